//! `polsearch search` end to end: ranking, inflected forms, highlights, both output modes,
//! exit codes.

mod util;

use std::collections::HashSet;

use util::{TestEnv, highlighted};

const SEED_ID: &str = "de/ai-action-summit-kooperation-und-konflikt";

#[test]
fn first_search_builds_the_index_and_finds_the_seed_once() {
    let env = TestEnv::with_shipped_corpus();
    let run = env.run_ok(&["search", "KI-Regulierung", "--limit", "50", "--json"], 0);
    assert!(run.stderr.contains("building it from"), "{}", run.stderr);
    let hits = run.json_lines();
    assert!(hits.len() >= 3, "only {} hits", hits.len());
    assert_eq!(hits[0]["lang"], "de");
    assert_eq!(hits[0]["doc_id"], SEED_ID);
    let ids: Vec<&str> = hits
        .iter()
        .map(|h| h["passage_id"].as_str().unwrap())
        .collect();
    let unique: HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(
        unique.len(),
        ids.len(),
        "a passage came back twice: {ids:?}"
    );
    let texts: HashSet<&str> = hits.iter().map(|h| h["text"].as_str().unwrap()).collect();
    assert_eq!(
        texts.len(),
        hits.len(),
        "the same text came back under two ids"
    );
    for hit in hits.iter().filter(|h| h["doc_id"] == SEED_ID) {
        let marked = highlighted(hit);
        assert!(!marked.is_empty(), "no highlight in {}", hit["passage_id"]);
        for word in marked {
            assert!(
                ["KI", "Regulierung"].contains(&word.as_str()),
                "highlighted {word:?}"
            );
        }
    }
}

#[test]
fn the_article_repeated_three_times_is_found_once() {
    let env = TestEnv::with_shipped_corpus();
    for phrase in [
        "\"Multilateralismus in Zeiten wachsender geopolitischer Spannungen\"",
        "\"Der Draghi-Bericht hebt beispielsweise Europas Stärken\"",
    ] {
        let hits = env.run_ok(&["search", phrase, "--json"], 0).json_lines();
        assert_eq!(hits.len(), 1, "{phrase}: {hits:#?}");
    }
}

#[test]
fn human_output_is_grep_like_with_title_id_path_and_fragment() {
    let env = TestEnv::with_shipped_corpus();
    let run = env.run_ok(&["search", "Investitionsoffensive", "--limit", "1"], 0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[0].starts_with("1. AI Action Summit: Zwischen Kooperation und Konflikt"),
        "{}",
        run.stdout
    );
    assert!(lines[0].ends_with("[de]"));
    assert!(lines[1].trim_start().starts_with(&format!("{SEED_ID}#p")));
    assert!(lines[1].contains("de/ai-action-summit-kooperation-und-konflikt.txt"));
    assert!(run.stdout.contains("Investitionsoffensive"));
    assert!(!run.stdout.contains('\x1b'), "colour with --color never");
    let fragment = lines.last().unwrap();
    assert!(
        fragment.chars().count() <= 300 + 6,
        "fragment too long: {fragment}"
    );
    let full = env.run_ok(
        &["search", "Investitionsoffensive", "--limit", "1", "--full"],
        0,
    );
    assert!(
        full.stdout.len() > run.stdout.len(),
        "--full shows the whole passage"
    );
}

#[test]
fn colour_is_used_only_when_asked_or_on_a_terminal() {
    let env = TestEnv::with_shipped_corpus();
    let always = env.run_ok(&["search", "Gipfel", "--color", "always"], 0);
    assert!(
        always.stdout.contains("\x1b[1;31mGipfel\x1b[0m"),
        "{}",
        always.stdout
    );
    // stdout is a pipe here, so `auto` means no colour; NO_COLOR must not switch it on.
    let auto = env.run_with(
        &["search", "Gipfel", "--color", "auto"],
        &[("NO_COLOR", "1")],
    );
    assert_eq!(auto.code, 0);
    assert!(!auto.stdout.contains('\x1b'));
}

#[test]
fn json_lines_carry_every_documented_field() {
    let env = TestEnv::with_shipped_corpus();
    let run = env.run_ok(
        &["search", "\"offene, inklusive und ethische KI\"", "--json"],
        0,
    );
    let hits = run.json_lines();
    assert_eq!(hits.len(), 1);
    let hit = &hits[0];
    for field in [
        "rank",
        "score",
        "passage_id",
        "doc_id",
        "title",
        "author",
        "date",
        "lang",
        "path",
        "heading",
        "text",
        "highlights",
    ] {
        assert!(hit.get(field).is_some(), "missing {field} in {hit}");
    }
    assert_eq!(hit["rank"], 1);
    assert_eq!(
        highlighted(hit),
        ["offene", "inklusive", "und", "ethische", "KI"],
        "every word of the phrase is marked"
    );
}

#[test]
fn inflected_forms_match_in_german_english_and_french() {
    let env = TestEnv::with_shipped_corpus();
    let cases = [
        ("Investition", "de", "Investitionen"),
        ("Maßnahme", "de", "Maßnahmen"),
        ("Massnahmen", "de", "Maßnahmen"),
        ("investment", "en", "investments"),
        ("regulation", "en", "regulations"),
        ("obligation", "fr", "obligations"),
        ("régulation", "fr", "régulations"),
        ("reglementation", "fr", "réglementation"),
    ];
    for (query, lang, form) in cases {
        let hits = env
            .run_ok(
                &["search", query, "--lang", lang, "--limit", "100", "--json"],
                0,
            )
            .json_lines();
        let marked: HashSet<String> = hits.iter().flat_map(highlighted).collect();
        assert!(
            marked.iter().any(|w| w == form),
            "{query} ({lang}) should highlight {form}; highlighted {marked:?}"
        );
        assert!(
            hits.iter().all(|h| h["lang"] == lang),
            "--lang {lang} leaked"
        );
    }
}

#[test]
fn lang_filter_restricts_results() {
    let env = TestEnv::with_shipped_corpus();
    let all = env
        .run_ok(&["search", "AI", "--limit", "100", "--json"], 0)
        .json_lines();
    let langs: HashSet<&str> = all.iter().map(|h| h["lang"].as_str().unwrap()).collect();
    assert!(langs.len() > 1, "{langs:?}");
    let fr = env
        .run_ok(
            &["search", "AI", "--lang", "fr", "--limit", "100", "--json"],
            0,
        )
        .json_lines();
    assert!(!fr.is_empty());
    assert!(fr.iter().all(|h| h["lang"] == "fr"));
}

#[test]
fn limit_and_offset_page_through_results() {
    let env = TestEnv::with_shipped_corpus();
    let all = env
        .run_ok(&["search", "KI", "--limit", "6", "--json"], 0)
        .json_lines();
    let page = env
        .run_ok(
            &["search", "KI", "--limit", "3", "--offset", "3", "--json"],
            0,
        )
        .json_lines();
    assert_eq!(all.len(), 6);
    assert_eq!(page.len(), 3);
    assert_eq!(page[0]["rank"], 4);
    assert_eq!(page[0]["passage_id"], all[3]["passage_id"]);
}

#[test]
fn boolean_operators_and_fields_work() {
    let env = TestEnv::with_shipped_corpus();
    let both = env
        .run_ok(
            &["search", "Gipfel AND Indien", "--json", "--limit", "50"],
            0,
        )
        .json_lines();
    assert!(!both.is_empty());
    for hit in &both {
        let text = hit["text"].as_str().unwrap();
        assert!(text.contains("Indien"), "{text}");
    }
    let without = env
        .run_ok(&["search", "Gipfel -Indien", "--json", "--limit", "50"], 0)
        .json_lines();
    assert!(
        without
            .iter()
            .all(|h| !h["text"].as_str().unwrap().contains("Indien"))
    );
    let titled = env
        .run_ok(
            &["search", "title:Kooperation", "--json", "--limit", "100"],
            0,
        )
        .json_lines();
    assert!(titled.len() > 5);
    assert!(titled.iter().all(|h| h["doc_id"] == SEED_ID));
}

#[test]
fn no_hits_exit_1_and_print_nothing() {
    let env = TestEnv::with_shipped_corpus();
    let run = env.run_ok(&["search", "Quantenschaumgebäckzange"], 1);
    assert!(run.stdout.is_empty());
}

#[test]
fn malformed_queries_get_one_line_and_exit_2() {
    let env = TestEnv::with_shipped_corpus();
    env.run_ok(&["index"], 0);
    for query in [
        "\"unclosed",
        "title:",
        "AND",
        "nosuchfield:word",
        "(KI",
        "OR OR",
    ] {
        let run = env.run_ok(&["search", query], 2);
        assert!(run.stdout.is_empty());
        let lines: Vec<&str> = run.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{query}: {}", run.stderr);
        assert!(
            lines[0].starts_with("polsearch: error: invalid query"),
            "{}",
            lines[0]
        );
    }
}

#[test]
fn terminal_never_receives_control_sequences_from_documents() {
    let env = TestEnv::new();
    env.write(
        "evil.txt",
        "Evil\x1b[2J title\n\nThis passage about surveillance tries \x1b]52;c;aGk=\x07 to write \
         the clipboard and \x1b[31mpaint\x1b[0m the screen, then \u{202E}reverse\u{202C} text.\n",
    );
    let run = env.run_ok(
        &["search", "surveillance", "--color", "always", "--full"],
        0,
    );
    let without_ours = run
        .stdout
        .replace("\x1b[1;31m", "")
        .replace("\x1b[0m", "")
        .replace("\x1b[1m", "")
        .replace("\x1b[2m", "")
        .replace("\x1b[35m", "");
    assert!(!without_ours.contains('\x1b'), "{:?}", run.stdout);
    assert!(!without_ours.contains('\x07'));
    assert!(!without_ours.contains('\u{202E}'));
}

#[test]
fn french_elisions_in_queries_are_words_not_quotes() {
    let env = TestEnv::with_shipped_corpus();
    let hits = env
        .run_ok(
            &[
                "search",
                "l'intelligence artificielle",
                "--lang",
                "fr",
                "--json",
            ],
            0,
        )
        .json_lines();
    assert!(!hits.is_empty());
    let marked: HashSet<String> = hits.iter().flat_map(highlighted).collect();
    assert!(
        marked.iter().any(|w| w.to_lowercase() == "intelligence"),
        "{marked:?}"
    );
}

#[test]
fn an_elided_article_does_not_narrow_a_query() {
    let env = TestEnv::new();
    env.write(
        "definite.txt",
        "Surveillance\n\nLe règlement encadre l'IA utilisée par les autorités publiques pour la \
         surveillance des espaces publics et des frontières extérieures.\n",
    );
    env.write(
        "partitive.txt",
        "Marché\n\nLes fournisseurs de systèmes d'IA doivent tenir une documentation technique \
         complète avant la mise sur le marché européen.\n",
    );
    let found = |query: &str| -> Vec<String> {
        let run = env.run(&["search", query, "--json"]);
        assert!(run.code == 0 || run.code == 1, "{query}: {}", run.stderr);
        let mut paths: Vec<String> = run
            .json_lines()
            .iter()
            .map(|h| h["path"].as_str().unwrap().to_string())
            .collect();
        paths.sort();
        paths
    };
    // `d'IA` and `l'IA` are the word "IA"; only a quoted phrase keeps the article.
    assert_eq!(found("d'IA"), vec!["definite.txt", "partitive.txt"]);
    assert_eq!(found("l’IA"), vec!["definite.txt", "partitive.txt"]);
    assert_eq!(found("\"d'IA\""), vec!["partitive.txt"]);
}

#[test]
fn metadata_filters_narrow_the_results() {
    let env = TestEnv::with_shipped_corpus();
    let docs = |args: &[&str]| -> HashSet<String> {
        let mut full = vec!["search"];
        full.extend_from_slice(args);
        full.extend_from_slice(&["--json", "--limit", "200"]);
        let run = env.run(&full);
        assert!(run.code == 0 || run.code == 1, "{args:?}: {}", run.stderr);
        run.json_lines()
            .iter()
            .map(|h| h["doc_id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        docs(&["KI", "--author", "Lefebvre"]),
        HashSet::from([SEED_ID.to_string()])
    );
    assert_eq!(
        docs(&["AI", "--since", "2025-03-01", "--until", "2025-03-31"]),
        HashSet::from(["html/observatory-newsletter".to_string()])
    );
    let february = docs(&["AI OR KI", "--until", "2025-02"]);
    assert!(
        february.contains(SEED_ID) && february.contains("en/ai-act-risk-tiers"),
        "{february:?}"
    );
    assert!(!february.contains("html/observatory-newsletter"));
    assert_eq!(
        docs(&["authorities", "--source", "observatory"]),
        HashSet::from(["html/observatory-newsletter".to_string()])
    );
    let hits = env
        .run_ok(&["search", "Lefebvre", "--json"], 0)
        .json_lines();
    assert_eq!(hits[0]["type"], "article");
    env.run_ok(&["search", "AI", "--type", "law"], 1);
    let bad = env.run_ok(&["search", "AI", "--since", "2025-3"], 2);
    assert_eq!(bad.stderr.lines().count(), 1, "{}", bad.stderr);
    assert!(bad.stderr.contains("not a date"), "{}", bad.stderr);
}

#[test]
fn a_phrase_with_a_slop_finds_its_words_within_that_many_positions() {
    let env = TestEnv::new();
    env.write(
        "near.txt",
        "Records\n\nThe personal records of each citizen hold data that the agency keeps for \
         processing later.\n",
    );
    let filler = "word ".repeat(40);
    env.write(
        "far.txt",
        format!("Archive\n\nA personal {filler} data {filler} processing remark.\n"),
    );
    let found = |query: &str| -> Vec<String> {
        let run = env.run(&["search", query, "--json"]);
        assert!(run.code == 0 || run.code == 1, "{query}: {}", run.stderr);
        run.json_lines()
            .iter()
            .map(|h| h["path"].as_str().unwrap().to_string())
            .collect()
    };
    // "data" stands 5 positions from where the phrase puts it, "processing" 5 more.
    assert_eq!(found("\"personal data processing\"~10"), vec!["near.txt"]);
    assert!(found("\"personal data processing\"~9").is_empty());
    assert!(found("\"personal data processing\"").is_empty());
    // The words found apart are still a plain query's hits, the nearer first.
    assert_eq!(
        found("personal data processing"),
        vec!["near.txt", "far.txt"]
    );
}
