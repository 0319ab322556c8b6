//! `polsearch show`: a passage with its neighbours, its place and its document's metadata, a
//! citation line, the same hit objects as `search --json`, documents, unknown ids, and the
//! same unit of a law in its other languages (`--parallel`).

mod util;

use std::collections::BTreeSet;

use polsearch::compound::Lexicon;
use polsearch::document::Metadata;
use polsearch::ingest::{IngestedDoc, IngestedPassage};
use polsearch::store::writer::{FileRecord, Update};
use serde_json::Value;
use util::research::{self, LAW_DE_ID, LAW_EN_ID, NEWS_ID, NEWS_PATH};
use util::{TestEnv, shared};

/// The one hit `query` finds first.
fn first_hit(env: &TestEnv, query: &[&str]) -> Value {
    let mut args = vec!["search"];
    args.extend_from_slice(query);
    args.extend_from_slice(&["--json", "--limit", "1"]);
    env.run_ok(&args, 0).json_lines().remove(0)
}

fn id_of(hit: &Value) -> String {
    hit["passage_id"].as_str().expect("passage_id").to_string()
}

#[test]
fn a_passage_is_shown_in_full_between_its_neighbours_with_metadata_and_citation() {
    let env = research::indexed();
    let hit = first_hit(&env, &["Delegationen"]);
    let id = id_of(&hit);
    let ordinal = hit["ordinal"].as_u64().expect("ordinal");
    let run = env.run_ok(&["show", &id, "-C", "1", "--accessed", "2026-01-02"], 0);
    let out = &run.stdout;
    for line in [
        "Gipfel in Paris: Was von der Erklärung bleibt\n",
        &format!("  document {NEWS_ID}\n"),
        "  author   Maxime Lefebvre; Jana Novak\n",
        "  date     2025-02-26\n",
        "  site     Tagesblatt Beispiel\n",
        "  url      https://tagesblatt.example/gipfel-paris?teil=1&seite=2\n",
        "  type     news\n",
        "  lang     de\n",
        &format!("  path     {NEWS_PATH}\n"),
        &format!("> {id}  § Die Fragen der Aufsicht\n"),
        "    Wer die großen Modelle beaufsichtigen soll, blieb umstritten: Manche Delegationen \
         wollten eine internationale Behörde, andere lehnten jede neue Stelle ab.\n",
        "cite: Lefebvre, M., & Novak, J. (2025, February 26). Gipfel in Paris: Was von der \
         Erklärung bleibt. Tagesblatt Beispiel. \
         https://tagesblatt.example/gipfel-paris?teil=1&seite=2\n",
    ] {
        assert!(out.contains(line), "missing {line:?} in\n{out}");
    }
    // One neighbour on each side, in document order around the passage.
    let before = format!("  {NEWS_ID}#p{}", ordinal - 1);
    let after = format!("  {NEWS_ID}#p{}", ordinal + 1);
    let at = |needle: &str| {
        out.find(needle)
            .unwrap_or_else(|| panic!("{needle} in\n{out}"))
    };
    assert!(at(&before) < at(&format!("> {id}")) && at(&format!("> {id}")) < at(&after));
    assert!(!out.contains(&format!("#p{}", ordinal + 2)), "{out}");
    assert!(!out.contains('\x1b'));
}

#[test]
fn json_prints_the_hit_objects_of_search_with_their_offsets() {
    let env = research::indexed();
    let hit = first_hit(&env, &["Delegationen"]);
    let id = id_of(&hit);
    let rows = env
        .run_ok(&["show", &id, "--json", "-C", "2"], 0)
        .json_lines();
    let contexts: Vec<i64> = rows
        .iter()
        .map(|r| r["context"].as_i64().unwrap())
        .collect();
    let ordinal = hit["ordinal"].as_i64().unwrap();
    let ordinals: Vec<i64> = rows
        .iter()
        .map(|r| r["ordinal"].as_i64().unwrap())
        .collect();
    assert_eq!(
        ordinals,
        contexts.iter().map(|c| ordinal + c).collect::<Vec<_>>(),
        "the passages have no gaps here, so offsets are ordinal differences"
    );
    assert_eq!(contexts[0], -(ordinal - 1).min(2), "{contexts:?}");
    assert!(contexts.windows(2).all(|w| w[1] == w[0] + 1) && contexts.contains(&1));
    let asked = rows
        .iter()
        .find(|r| r["context"] == 0)
        .expect("the asked passage");
    assert_eq!(asked["passage_id"], hit["passage_id"]);
    assert_eq!(asked["text"], hit["text"]);
    // The same keys as a search hit, plus `context`.
    let keys = |v: &Value| -> BTreeSet<String> {
        v.as_object().expect("object").keys().cloned().collect()
    };
    let mut expected = keys(&hit);
    expected.insert("context".to_string());
    for row in &rows {
        assert_eq!(keys(row), expected, "{row}");
        assert_eq!(row["highlights"], serde_json::json!([]));
        assert_eq!(row["doc_id"], NEWS_ID);
    }
}

#[test]
fn a_document_id_shows_its_metadata_and_first_passages() {
    let env = research::indexed();
    let rows = env
        .run_ok(&["show", NEWS_ID, "--json", "-C", "1"], 0)
        .json_lines();
    let ordinals: Vec<u64> = rows
        .iter()
        .map(|r| r["ordinal"].as_u64().unwrap())
        .collect();
    assert_eq!(ordinals, [1, 2, 3]);
    let contexts: Vec<i64> = rows
        .iter()
        .map(|r| r["context"].as_i64().unwrap())
        .collect();
    assert_eq!(contexts, [0, 1, 2]);
    let text = env
        .run_ok(&["show", NEWS_ID, "--accessed", "2026-01-02"], 0)
        .stdout;
    assert!(text.starts_with("Gipfel in Paris"), "{text}");
    assert!(
        text.contains("cite: Lefebvre, M., & Novak, J. (2025, February 26). Gipfel in Paris"),
        "{text}"
    );
    assert!(!text.contains("> "), "no passage is singled out: {text}");
}

#[test]
fn unknown_ids_are_told_apart_from_malformed_ones() {
    let env = research::indexed();
    for malformed in [
        "news/gipfel paris#p1",
        "news/gipfel-paris#p0",
        "news#",
        "#p3",
    ] {
        let run = env.run_ok(&["show", malformed], 2);
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        assert!(run.stderr.contains("is not a passage or document id"));
        assert!(run.stdout.is_empty());
    }
    for (missing, says) in [
        (
            "news/gipfel-paris#p999",
            "no passage news/gipfel-paris#p999",
        ),
        ("news/nirgends", "no document news/nirgends"),
        ("news/nirgends#p2", "no document news/nirgends"),
    ] {
        let run = env.run_ok(&["show", missing], 1);
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        assert!(run.stderr.contains(says), "{}", run.stderr);
        assert!(run.stdout.is_empty());
    }
    // Ids are lower case; what a user types in capitals still finds the document.
    env.run_ok(&["show", "NEWS/Gipfel-Paris#p1"], 0);
    let run = env.run_ok(&["show", NEWS_ID, "--accessed", "2026-02-30"], 2);
    assert!(run.stderr.contains("--accessed"), "{}", run.stderr);
}

/// A document whose passages 4–6 and 9–11 were left out, written into an index directly.
fn gapped_index(env: &TestEnv) {
    let ordinals = [1u32, 2, 3, 7, 8, 12];
    let doc = IngestedDoc {
        doc_id: "gaps".to_string(),
        path: "gaps.md".to_string(),
        title: "Lücken".to_string(),
        meta: Metadata {
            title: Some("Lücken".to_string()),
            lang: Some("de".to_string()),
            ..Metadata::default()
        },
        lang: "de".to_string(),
        passages: ordinals
            .iter()
            .map(|&n| IngestedPassage {
                id: format!("gaps#p{n}"),
                ordinal: n,
                lang: "de".to_string(),
                text: format!("Absatz Nummer {n} des Dokuments."),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    };
    let docs = [doc];
    let mut update = Update::full(&env.index(), 50_000_000, &Lexicon::new(), 0).expect("start");
    let record = FileRecord::new("gaps.md", "gaps", "0".repeat(32), 1, 1, Ok(&docs[..]));
    update.replace(record, &[], &docs).expect("write");
    update.commit("corpus", Vec::new(), 0, 0.0).expect("commit");
}

#[test]
fn neighbours_are_the_nearest_passages_that_exist_across_gaps() {
    let env = TestEnv::new();
    gapped_index(&env);
    let rows = env
        .run_ok(&["show", "gaps#p7", "--json", "-C", "2"], 0)
        .json_lines();
    let shown: Vec<(u64, i64)> = rows
        .iter()
        .map(|r| {
            (
                r["ordinal"].as_u64().unwrap(),
                r["context"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(shown, [(2, -2), (3, -1), (7, 0), (8, 1), (12, 2)]);
    let rows = env
        .run_ok(&["show", "gaps#p1", "--json", "-C", "1"], 0)
        .json_lines();
    let shown: Vec<u64> = rows
        .iter()
        .map(|r| r["ordinal"].as_u64().unwrap())
        .collect();
    assert_eq!(shown, [1, 2], "nothing before the first passage");
    env.run_ok(&["show", "gaps#p5"], 1);
}

#[test]
fn parallel_shows_the_same_article_in_the_other_language() {
    let env = research::indexed();
    let de = first_hit(&env, &["heimlich"]);
    assert_eq!(de["section"], "Artikel 2 Absatz 1", "{de}");
    let en = first_hit(&env, &["falsify"]);
    assert_eq!(en["section"], "Article 2(1)", "{en}");

    let rows = env
        .run_ok(&["show", &id_of(&de), "--parallel", "--json", "-C", "0"], 0)
        .json_lines();
    let parallel: Vec<&Value> = rows
        .iter()
        .filter(|r| r.get("parallel_to").is_some())
        .collect();
    assert_eq!(parallel.len(), 1, "{rows:#?}");
    assert_eq!(parallel[0]["passage_id"], en["passage_id"]);
    assert_eq!(parallel[0]["parallel_to"], de["passage_id"]);
    assert_eq!(parallel[0]["doc_id"], LAW_EN_ID);

    let text = env
        .run_ok(&["show", &id_of(&en), "--parallel", "-C", "0"], 0)
        .stdout;
    assert!(text.contains(&format!("[de] {LAW_DE_ID}\n")), "{text}");
    assert!(
        text.contains(&format!(
            "  {}  § Artikel 2 Absatz 1 — Verbotene Praktiken\n",
            id_of(&de)
        )),
        "{text}"
    );
    assert!(
        !text.contains("Artikel 1 Absatz"),
        "only the same paragraph: {text}"
    );

    // A recital has its parallel too.
    let recital = first_hit(&env, &["vertrauen"]);
    assert_eq!(recital["section"], "Erwägungsgrund 1");
    let text = env
        .run_ok(&["show", &id_of(&recital), "--parallel", "-C", "0"], 0)
        .stdout;
    assert!(text.contains("§ Recital 1"), "{text}");

    // A news passage belongs to no unit of a law: said in one line, the passage still shown.
    let news = first_hit(&env, &["Delegationen"]);
    let run = env.run_ok(&["show", &id_of(&news), "--parallel", "-C", "0"], 0);
    assert!(
        run.stdout
            .contains("belongs to no article, recital or annex")
    );
    assert!(run.stdout.contains(&format!("> {}", id_of(&news))));
}

#[test]
fn the_shared_corpus_shows_the_ai_act_in_parallel_and_cites_it_in_every_style() {
    let Some(corpus) = shared("corpus") else {
        return;
    };
    let env = TestEnv::on_corpus(&corpus);
    env.run_ok(&["index", "--quiet"], 0);
    let hits = env
        .run_ok(
            &[
                "search",
                "verbotene Praktiken",
                "article:5",
                "--lang",
                "de",
                "--json",
            ],
            0,
        )
        .json_lines();
    let hit = hits
        .iter()
        .find(|h| h["doc_id"] == "eu-ai-act/de")
        .expect("a passage of Article 5 in the German AI Act");
    let id = id_of(hit);
    let rows = env
        .run_ok(&["show", &id, "--parallel", "--json", "-C", "0"], 0)
        .json_lines();
    let langs: BTreeSet<&str> = rows
        .iter()
        .filter(|r| r.get("parallel_to").is_some())
        .map(|r| r["lang"].as_str().unwrap())
        .collect();
    for lang in ["en", "fr", "nl"] {
        assert!(langs.contains(lang), "no {lang} in {langs:?}");
    }
    assert!(!langs.contains("de"));
    for row in rows.iter().filter(|r| r.get("parallel_to").is_some()) {
        let section = row["section"].as_str().unwrap_or("");
        assert!(section.contains('5'), "{row}");
        assert!(
            !row["doc_id"].as_str().unwrap().contains("browser-saved"),
            "a copy is not a language of its own: {row}"
        );
    }
    for style in ["apa", "chicago", "bibtex", "ris", "csl-json"] {
        let run = env.run_ok(&["cite", &id, "eu-ai-act/en", "--style", style], 0);
        assert!(run.stdout.contains("2024"), "{style}: {}", run.stdout);
    }
}
