//! `polsearch search` for research (issue 6): reproducible lists (generation, ties), grouping
//! by document, date order, facets, CSV/TSV/JSONL export and `--explain`, on fixtures with
//! documents of several years, sites, types and languages.

mod util;

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::Value;
use util::TestEnv;

/// Six documents: German and English, 2022–2024 and undated, four sites, four types. Every
/// passage mentions "Aufsicht" or "oversight", so `Aufsicht OR oversight` finds them all
/// (11 passages: paragraphs are long enough to stand alone).
fn research_corpus() -> TestEnv {
    let env = TestEnv::new();
    env.write(
        "de/regulierung-2023.md",
        "---\ntitle: Neue Regeln für Maschinen\nauthor: Erika Beispiel\ndate: 2023-03-01\n\
         site: netzpolitik.example\ntype: news\nlang: de\n---\n\
         Die Regulierung von Software braucht eine starke Aufsicht und klare Zuständigkeiten \
         in allen Ländern der Union. Wer Programme verkauft, soll wissen, welche Stelle ihn \
         prüft, welche Unterlagen er vorlegen muss und wie lange ein Verfahren dauert, bevor \
         ein Produkt auf den Markt kommen darf.\n\n\
         Mehrere Regulierungen greifen ineinander, doch die Aufsicht bleibt bei den \
         nationalen Behörden der Mitgliedstaaten. Diese Ämter tauschen sich regelmäßig aus, \
         veröffentlichen gemeinsame Berichte und stimmen ihre Bußgelder ab, damit kein \
         Unternehmen in das Land mit den mildesten Regeln ausweicht.\n\n\
         Die KI-Regulierung verlangt außerdem eine unabhängige Aufsicht über große Anbieter \
         und ihre Modelle im Markt. Fachleute aus Forschung und Praxis sollen beraten, \
         Beschwerden von Bürgerinnen und Bürgern werden gesammelt, und jedes Jahr erscheint \
         ein öffentlicher Bericht über die wichtigsten Fälle.\n",
    );
    env.write(
        "de/datenschutz-2024.md",
        "---\ntitle: Behörden im Wandel\ndate: 2024-06-10\nsite: beispiel.example\n\
         type: article\nlang: de\n---\n\
         Der Datenschutz ist ein Grundrecht, und die Regulierung schützt ihn durch eine \
         wirksame Aufsicht der Länder. Jede Person kann Auskunft über ihre gespeicherten \
         Daten verlangen, falsche Angaben berichtigen lassen und sich beschweren, wenn eine \
         Firma ihre Pflichten nicht ernst nimmt oder Fristen versäumt.\n\n\
         Eine Datenschutzregulierung ohne Aufsicht bliebe wirkungslos, sagen viele \
         Fachleute aus Wissenschaft und Praxis. Sie fordern mehr Personal für die Ämter, \
         bessere Technik für Prüfungen vor Ort und eine engere Zusammenarbeit mit den \
         Gerichten, die am Ende über strittige Fälle entscheiden.\n",
    );
    env.write(
        "de/leitfaden-2024.md",
        "---\ntitle: Leitfaden für Ämter\ndate: 2024-01-20\nsite: amt.example\ntype: report\n\
         lang: de\n---\n\
         Der Leitfaden beschreibt die Aufsicht über Sprachmodelle in der Verwaltung und nennt \
         Datenschutz als Bedingung. Ämter sollen vor dem Einsatz prüfen, welche Daten ein \
         System verarbeitet, wer die Ergebnisse kontrolliert und wie Bürgerinnen und Bürger \
         erfahren, dass eine Maschine an ihrem Bescheid mitgewirkt hat.\n",
    );
    env.write(
        "en/oversight-2022.md",
        "---\ntitle: Notes on Supervision\ndate: 2022-09-15\nsite: policy.example\n\
         type: report\nlang: en\n---\n\
         Human oversight of automated systems is required before any deployment in public \
         services across the member states. Agencies have to document who reviews the \
         outputs, how complaints are handled and which staff may stop a system when it \
         behaves in ways nobody expected during testing.\n\n\
         Effective oversight needs budgets, trained staff and access to the models that \
         providers place on the market. Without these means, inspectors can only read \
         paperwork, and the promise of accountability turns into a ritual that reassures \
         nobody and protects very few people in practice.\n",
    );
    env.write(
        "en/undated.md",
        "---\ntitle: A Page Without a Date\nsite: policy.example\ntype: web\nlang: en\n---\n\
         This page explains oversight duties in plain words for readers who are new to the \
         subject of regulation. It lists the bodies involved, describes what each of them \
         may ask of a company, and points to the forms a citizen can use to report a \
         problem with a product or a public service.\n",
    );
    env.write(
        "en/brief-2024.md",
        "---\ntitle: Brief on Enforcement\ndate: 2024-11-02\nsite: policy.example\ntype: news\n\
         lang: en\n---\n\
         Enforcement relies on oversight bodies with real powers, including fines and the \
         withdrawal of products from the market. Regulators in several capitals have \
         already opened cases against large vendors, and the first decisions are expected \
         before the end of the coming year, according to officials.\n\n\
         Critics say that oversight arrives late, after harm is done, and that small \
         offices cannot match the lawyers of global firms. They ask for shared teams across \
         borders, public registers of incidents and a duty for providers to report serious \
         failures within days rather than months.\n",
    );
    env
}

const ALL: &str = "Aufsicht OR oversight";

fn search(env: &TestEnv, args: &[&str]) -> Vec<Value> {
    let mut full = vec!["search"];
    full.extend_from_slice(args);
    env.run_ok(&full, 0).json_lines()
}

fn ids(hits: &[Value]) -> Vec<String> {
    hits.iter()
        .map(|h| h["passage_id"].as_str().expect("passage_id").to_string())
        .collect()
}

#[test]
fn every_hit_names_its_generation_and_the_commit() {
    let env = research_corpus();
    let hits = search(&env, &[ALL, "--json"]);
    let generation = hits[0]["generation"]
        .as_str()
        .expect("generation")
        .to_string();
    let (name, opstamp) = generation.split_once(':').expect("name:opstamp");
    assert!(name.starts_with('g') && name.len() == 7, "{generation}");
    assert!(opstamp.parse::<u64>().is_ok(), "{generation}");
    assert!(hits.iter().all(|h| h["generation"] == generation.as_str()));
    // An incremental commit into the same generation is told apart by its opstamp.
    env.write(
        "en/later.md",
        "---\ntitle: Later\nlang: en\n---\nA later note on oversight and enforcement.\n",
    );
    env.run_ok(&["index"], 0);
    let later = search(&env, &[ALL, "--json"]);
    let again = later[0]["generation"].as_str().expect("generation");
    assert!(again.starts_with(&format!("{name}:")), "{again}");
    assert_ne!(again, generation);
    // A full rebuild is a new generation.
    env.run_ok(&["index", "--full"], 0);
    let rebuilt = search(&env, &[ALL, "--json"]);
    assert!(!rebuilt[0]["generation"].as_str().unwrap().starts_with(name));
}

/// Twelve documents with one passage each, of equal length with the query word once: every
/// passage scores the same.
fn write_tied(env: &TestEnv, order: &[usize]) {
    const FILLER: [&str; 12] = [
        "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
        "juliet", "kilo", "lima",
    ];
    for &i in order {
        let words: Vec<String> = (0..10).map(|k| format!("{}{}", FILLER[i], k)).collect();
        env.write(
            &format!("t{i:02}.md"),
            format!(
                "---\ntitle: Blatt {}\nlang: en\n---\nSandbox {}.\n",
                FILLER[i],
                words.join(" ")
            ),
        );
    }
}

#[test]
fn ties_in_score_come_in_the_same_order_and_pages_after_a_rebuild() {
    let env = TestEnv::new();
    // Half first, the rest in a second commit: two segments, addresses unlike a full build.
    write_tied(&env, &[11, 3, 7, 0, 9, 5]);
    env.run_ok(&["index"], 0);
    write_tied(&env, &[10, 1, 8, 2, 6, 4]);
    env.run_ok(&["index"], 0);
    let lists = |env: &TestEnv| {
        let all = search(env, &["Sandbox", "--json", "--limit", "100"]);
        let pages: Vec<Vec<String>> = (0..4)
            .map(|page| {
                let offset = (page * 5).to_string();
                let run = env.run(&[
                    "search", "Sandbox", "--json", "--limit", "5", "--offset", &offset,
                ]);
                ids(&run.json_lines())
            })
            .collect();
        (all, pages)
    };
    let (before, pages_before) = lists(&env);
    assert_eq!(before.len(), 12);
    let scores: HashSet<String> = before.iter().map(|h| h["score"].to_string()).collect();
    assert_eq!(scores.len(), 1, "the fixture should tie: {scores:?}");
    let mut sorted = ids(&before);
    sorted.sort();
    assert_eq!(ids(&before), sorted, "ties go by document id");
    let paged: Vec<String> = pages_before.concat();
    assert_eq!(paged, ids(&before), "pages cut the same list");

    for i in 0..12 {
        std::fs::remove_file(env.corpus().join(format!("t{i:02}.md"))).expect("remove");
    }
    write_tied(&env, &[4, 6, 2, 8, 1, 10, 5, 9, 0, 7, 3, 11]);
    env.run_ok(&["index", "--full"], 0);
    let (after, pages_after) = lists(&env);
    assert_eq!(ids(&after), ids(&before));
    assert_eq!(pages_after, pages_before);
}

#[test]
fn per_doc_keeps_n_passages_per_document_and_says_how_many_more() {
    let env = research_corpus();
    let all = search(&env, &[ALL, "--json", "--limit", "100"]);
    let mut per_doc: HashMap<String, usize> = HashMap::new();
    for hit in &all {
        *per_doc
            .entry(hit["doc_id"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    let grouped = search(&env, &[ALL, "--json", "--limit", "100", "--per-doc", "1"]);
    assert_eq!(grouped.len(), per_doc.len());
    let docs: HashSet<&str> = grouped
        .iter()
        .map(|h| h["doc_id"].as_str().unwrap())
        .collect();
    assert_eq!(docs.len(), grouped.len(), "one passage per document");
    for hit in &grouped {
        let total = per_doc[hit["doc_id"].as_str().unwrap()];
        match hit.get("more_in_doc") {
            Some(more) => assert_eq!(more.as_u64(), Some(total as u64 - 1), "{hit}"),
            None => assert_eq!(total, 1, "{hit}"),
        }
    }
    let two = search(&env, &[ALL, "--json", "--limit", "100", "--per-doc", "2"]);
    let regulierung: Vec<&Value> = two
        .iter()
        .filter(|h| h["doc_id"] == "de/regulierung-2023")
        .collect();
    assert_eq!(regulierung.len(), 2);
    assert!(regulierung[0].get("more_in_doc").is_none());
    assert_eq!(regulierung[1]["more_in_doc"], 1);
    // --offset pages through the grouped list.
    let second = search(
        &env,
        &[
            ALL,
            "--json",
            "--per-doc",
            "1",
            "--limit",
            "1",
            "--offset",
            "1",
        ],
    );
    assert_eq!(ids(&second), ids(&grouped[1..2]));
    assert_eq!(second[0]["rank"], 2);
    let text = env.run_ok(&["search", ALL, "--per-doc", "1", "--limit", "100"], 0);
    assert!(
        text.stdout.contains("   +2 more in this document\n"),
        "{}",
        text.stdout
    );
    let bad = env.run_ok(&["search", ALL, "--per-doc", "0"], 2);
    assert_eq!(bad.stderr.lines().count(), 1, "{}", bad.stderr);
}

#[test]
fn sort_by_date_puts_newest_or_oldest_first_and_undated_last() {
    let env = research_corpus();
    for (order, newest_first) in [("date", true), ("date-asc", false)] {
        let hits = search(&env, &[ALL, "--json", "--limit", "100", "--sort", order]);
        assert_eq!(
            hits.len(),
            11,
            "{order}: the sort sees every hit: {:?}",
            ids(&hits)
        );
        let dates: Vec<Option<&str>> = hits.iter().map(|h| h["date"].as_str()).collect();
        let dated: Vec<&str> = dates.iter().map_while(|d| *d).collect();
        assert!(
            dates[dated.len()..].iter().all(Option::is_none),
            "{order}: undated last: {dates:?}"
        );
        assert!(!dated.is_empty() && dated.len() < dates.len());
        let mut want = dated.clone();
        want.sort();
        if newest_first {
            want.reverse();
        }
        assert_eq!(dated, want, "{order}");
        // Within one document (one date) the better passage comes first.
        for pair in hits.windows(2) {
            if pair[0]["doc_id"] == pair[1]["doc_id"] {
                assert!(pair[0]["score"].as_f64() >= pair[1]["score"].as_f64());
            }
        }
    }
    // The newest first even when it is not the best match, and a short page still holds it.
    let top = search(&env, &[ALL, "--json", "--limit", "1", "--sort", "date"]);
    assert_eq!(top[0]["date"], "2024-11-02");
}

#[test]
fn facets_count_every_hit_and_end_the_json_with_one_summary_object() {
    let env = research_corpus();
    let run = env.run_ok(&["search", ALL, "--json", "--facets", "--limit", "3"], 0);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 4, "three hits and the summary");
    assert!(lines[..3].iter().all(|l| l.get("facets").is_none()));
    let summary = &lines[3];
    assert_eq!(summary.as_object().unwrap().len(), 2, "{summary}");
    let total = summary["total"].as_u64().expect("total");
    assert_eq!(total, 11, "all hits, not the page");
    let count = |facet: &str| -> BTreeMap<String, u64> {
        summary["facets"][facet]
            .as_object()
            .unwrap_or_else(|| panic!("no {facet} in {summary}"))
            .iter()
            .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
            .collect()
    };
    for facet in ["lang", "site", "type", "year"] {
        assert_eq!(count(facet).values().sum::<u64>(), total, "{facet}");
    }
    assert_eq!(
        count("lang"),
        BTreeMap::from([("de".to_string(), 6), ("en".to_string(), 5)])
    );
    assert_eq!(count("site")["policy.example"], 5);
    assert_eq!(count("type")["report"], 3);
    assert_eq!(
        count("year"),
        BTreeMap::from([
            ("(undated)".to_string(), 1),
            ("2022".to_string(), 2),
            ("2023".to_string(), 3),
            ("2024".to_string(), 5),
        ])
    );
    // Years read oldest first in the printed object too, the undated last.
    let line = run.stdout.lines().last().unwrap();
    let at = |key: &str| line.find(&format!("\"{key}\":")).expect(key);
    assert!(
        at("2022") < at("2023") && at("2024") < at("(undated)"),
        "{line}"
    );

    let text = env.run_ok(&["search", ALL, "--facets", "--limit", "2"], 0);
    let tail = text
        .stdout
        .split("\n\n11 hits\n")
        .nth(1)
        .unwrap_or_else(|| {
            panic!("no facets after the hits:\n{}", text.stdout);
        });
    assert!(tail.contains("  language  de 6 · en 5\n"), "{tail}");
    assert!(tail.contains("  type      "), "{tail}");
    let bar = |year: &str| -> usize {
        let line = tail
            .lines()
            .find(|l| l.trim_start().starts_with(year))
            .unwrap_or_else(|| panic!("no {year} line in {tail}"));
        line.chars().filter(|&c| c == '█').count()
    };
    assert_eq!(bar("2024"), 40, "the largest year fills the width");
    assert_eq!(bar("2022"), 16);
    assert_eq!(bar("(undated)"), 8);
    // Nothing found: nothing printed, facets included.
    let none = env.run_ok(&["search", "Quantenschaumgebäck", "--facets", "--json"], 1);
    assert!(none.stdout.is_empty());
}

#[test]
fn csv_and_tsv_hold_one_row_per_hit_with_the_citation_fields() {
    let env = research_corpus();
    let json = search(&env, &[ALL, "--json", "--limit", "100"]);
    let same = search(&env, &[ALL, "--format", "jsonl", "--limit", "100"]);
    assert_eq!(json, same, "--json is --format jsonl");

    let csv_run = env.run_ok(&["search", ALL, "--format", "csv", "--limit", "100"], 0);
    let mut reader = csv::Reader::from_reader(csv_run.stdout.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        header,
        [
            "rank",
            "score",
            "passage_id",
            "doc_id",
            "title",
            "author",
            "date",
            "site",
            "url",
            "type",
            "lang",
            "path",
            "section",
            "page",
            "heading",
            "text",
            "also_in",
            "generation"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), json.len());
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    for (row, hit) in rows.iter().zip(&json) {
        assert_eq!(
            &row[column("passage_id")],
            hit["passage_id"].as_str().unwrap()
        );
        assert_eq!(&row[column("text")], hit["text"].as_str().unwrap());
        assert_eq!(&row[column("date")], hit["date"].as_str().unwrap_or(""));
        assert_eq!(
            &row[column("generation")],
            hit["generation"].as_str().unwrap()
        );
        assert_eq!(
            row[column("rank")].parse::<u64>().ok(),
            hit["rank"].as_u64()
        );
    }
    assert!(
        csv_run.stdout.contains("\r\n"),
        "RFC 4180 ends records with CRLF"
    );

    let tsv = env.run_ok(&["search", ALL, "--format", "tsv", "--limit", "100"], 0);
    let lines: Vec<&str> = tsv.stdout.lines().collect();
    assert_eq!(lines.len(), json.len() + 1, "a header and one line per hit");
    assert!(
        lines.iter().all(|l| l.split('\t').count() == 18),
        "{}",
        tsv.stdout
    );
    // The passage with a line break inside keeps it, escaped.
    let broken = json
        .iter()
        .find(|h| h["text"].as_str().unwrap().contains('\n'));
    if let Some(hit) = broken {
        let escaped = hit["text"].as_str().unwrap().replace('\n', "\\n");
        assert!(tsv.stdout.contains(&escaped), "{}", tsv.stdout);
    }

    for args in [
        &["--json", "--format", "csv"][..],
        &["--format", "tsv", "--facets"][..],
        &["--format", "csv", "--explain"][..],
    ] {
        let mut full = vec!["search", ALL];
        full.extend_from_slice(args);
        let run = env.run_ok(&full, 2);
        assert_eq!(run.stderr.lines().count(), 1, "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty());
    }
}

#[test]
fn explain_names_exact_stem_and_compound_matches_and_the_score_parts() {
    let env = research_corpus();
    let hits = search(
        &env,
        &[
            "Regulierung",
            "--lang",
            "de",
            "--explain",
            "--json",
            "--limit",
            "20",
        ],
    );
    let mut kinds: HashMap<String, String> = HashMap::new();
    for hit in &hits {
        let explain = &hit["explain"];
        for m in explain["matches"].as_array().expect("matches") {
            assert_eq!(m["query"], "Regulierung", "{m}");
            kinds.insert(
                m["passage"].as_str().unwrap().to_string(),
                m["how"].as_str().unwrap().to_string(),
            );
        }
        let parts = explain["score"].as_array().expect("score parts");
        let sum: f64 = parts.iter().map(|p| p["points"].as_f64().unwrap()).sum();
        let score = hit["score"].as_f64().unwrap();
        assert!(
            (sum - score).abs() < 1e-3 * score.max(1.0),
            "{sum} vs {score}"
        );
        assert!(
            parts.iter().any(|p| p["field"] == "text_de"),
            "a stemmed-field part: {parts:?}"
        );
    }
    assert_eq!(
        kinds.get("Regulierung").map(String::as_str),
        Some("exact"),
        "{kinds:?}"
    );
    assert_eq!(
        kinds.get("Regulierungen").map(String::as_str),
        Some("stem"),
        "{kinds:?}"
    );
    assert_eq!(
        kinds.get("KI-Regulierung").map(String::as_str),
        Some("compound"),
        "{kinds:?}"
    );
    assert_eq!(
        kinds.get("Datenschutzregulierung").map(String::as_str),
        Some("compound"),
        "{kinds:?}"
    );

    let text = env.run_ok(&["search", "Regulierung", "--lang", "de", "--explain"], 0);
    assert!(
        text.stdout
            .contains("   why: Regulierung → KI-Regulierung (compound part)"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains(" text_de:regulier"), "{}", text.stdout);
    assert!(text.stdout.contains("   score "), "{}", text.stdout);
    let plain = env.run_ok(&["search", "Regulierung", "--lang", "de", "--json"], 0);
    assert!(
        plain
            .json_lines()
            .iter()
            .all(|h| h.get("explain").is_none())
    );
}
