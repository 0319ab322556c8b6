//! `polsearch extract FILE`: what the indexer takes from one file.

mod util;

use util::TestEnv;

#[test]
fn extract_shows_metadata_and_each_seed_passage_once() {
    let env = TestEnv::with_shipped_corpus();
    let seed = env
        .corpus()
        .join("de/ai-action-summit-kooperation-und-konflikt.txt");
    let run = env.run_ok(&["extract", seed.to_str().unwrap(), "--json"], 0);
    let doc: serde_json::Value = serde_json::from_str(run.stdout.trim()).expect("one JSON object");
    assert_eq!(
        doc["title"],
        "AI Action Summit: Zwischen Kooperation und Konflikt"
    );
    assert_eq!(doc["lang"], "de");
    let passages = doc["passages"].as_array().expect("passages");
    assert!(passages.len() >= 12, "{} passages", passages.len());
    let mut texts: Vec<&str> = passages
        .iter()
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    let total = texts.len();
    texts.sort();
    texts.dedup();
    assert_eq!(texts.len(), total, "a passage repeats");
    assert!(doc["repeated"].as_u64().unwrap() >= 20);
    let draghi = texts
        .iter()
        .filter(|t| t.contains("Draghi-Bericht"))
        .count();
    assert_eq!(draghi, 1);
    for (i, p) in passages.iter().enumerate() {
        assert_eq!(p["ordinal"], i + 1);
        assert_eq!(
            p["id"],
            format!("de/ai-action-summit-kooperation-und-konflikt#p{}", i + 1)
        );
    }

    let text = env.run_ok(&["extract", seed.to_str().unwrap()], 0).stdout;
    assert!(text.starts_with("path "), "{text}");
    assert!(text.contains("title     AI Action Summit: Zwischen Kooperation und Konflikt"));
    assert!(text.contains("[de/ai-action-summit-kooperation-und-konflikt#p1] (de)"));
}

#[test]
fn extract_html_keeps_the_article_and_drops_the_page_furniture() {
    let env = TestEnv::with_shipped_corpus();
    let page = env.corpus().join("html/observatory-newsletter.html");
    let run = env.run_ok(&["extract", page.to_str().unwrap(), "--json"], 0);
    let doc: serde_json::Value = serde_json::from_str(run.stdout.trim()).expect("JSON");
    let all: String = doc["passages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["text"].as_str().unwrap().to_string() + "\n")
        .collect();
    assert!(all.contains("sandboxes"), "{all}");
    assert!(all.contains("surveillance authorities"), "{all}");
    for furniture in [
        "cookies",
        "Accept all",
        "Subscribe",
        "Imprint",
        "Trending",
        "localStorage",
        "All rights reserved",
    ] {
        assert!(!all.contains(furniture), "{furniture:?} leaked into\n{all}");
    }
    assert_eq!(doc["lang"], "en");
    assert_eq!(doc["meta"]["date"], "2025-03-14");
    assert_eq!(doc["meta"]["author"], "Observatory Policy Desk");
}

#[test]
fn extract_reports_unreadable_files_with_exit_2() {
    let env = TestEnv::new();
    let empty = env.write("empty.txt", "");
    let run = env.run_ok(&["extract", empty.to_str().unwrap()], 2);
    assert!(run.stderr.contains("empty.txt"), "{}", run.stderr);
    let other = env.write("x.odt", "PK\x03\x04");
    let run = env.run_ok(&["extract", other.to_str().unwrap()], 2);
    assert!(run.stderr.contains("not a format"), "{}", run.stderr);
}
