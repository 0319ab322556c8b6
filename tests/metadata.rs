//! Document metadata as `polsearch extract FILE --json` reports it: running-text bylines and
//! date lines, JSON-LD, sidecars and front matter, and coverage over `../shared/corpus`.
//!
//! Owns the end-to-end checks of metadata only; the rules themselves are unit-tested in
//! `src/extract/meta.rs`. Fixtures live in `tests/fixtures/metadata/` and are copied into a
//! temporary corpus, never used in place.

mod util;

use std::fs;
use std::path::Path;

use serde_json::Value;
use util::{TestEnv, repo_path, shared};

/// Copies the named fixtures into a fresh corpus.
fn env_with(fixtures: &[&str]) -> TestEnv {
    let env = TestEnv::new();
    for name in fixtures {
        let from = repo_path("tests/fixtures/metadata").join(name);
        let bytes = fs::read(&from).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
        env.write(name, bytes);
    }
    env
}

/// The `meta` object of `extract FILE --json` for a file of the env's corpus.
fn meta_of(env: &TestEnv, name: &str) -> Value {
    let path = env.corpus().join(name);
    let run = env.run_ok(
        &["extract", path.to_str().expect("UTF-8 path"), "--json"],
        0,
    );
    let doc: Value = serde_json::from_str(run.stdout.trim()).expect("one JSON object");
    doc["meta"].clone()
}

#[test]
fn german_text_byline_and_date_line() {
    let env = env_with(&["gastbeitrag.txt"]);
    let meta = meta_of(&env, "gastbeitrag.txt");
    assert_eq!(
        meta["title"],
        "Beispielstädte erproben Regeln für KI in der Verwaltung"
    );
    assert_eq!(meta["author"], "Erika Musterfrau; Jan Beispiel");
    // The date line, not the event date in the running text further down.
    assert_eq!(meta["date"], "2025-03-14");
    assert_eq!(meta["type"], "article");
}

#[test]
fn english_html_json_ld_graph() {
    let env = env_with(&["report.html"]);
    let meta = meta_of(&env, "report.html");
    assert_eq!(meta["title"], "Sandbox lessons for model oversight");
    assert_eq!(meta["author"], "Jane Example; John Sample");
    assert_eq!(meta["date"], "2025-01-20");
    assert_eq!(meta["site"], "Example Policy Lab");
    assert_eq!(
        meta["url"],
        "https://policylab.example/reports/sandbox-lessons"
    );
    assert_eq!(meta["lang"], "en");
    assert_eq!(meta["type"], "report");
}

#[test]
fn french_html_byline_with_date() {
    let env = env_with(&["tribune.html"]);
    let meta = meta_of(&env, "tribune.html");
    assert_eq!(
        meta["title"],
        "Une charte locale pour les algorithmes publics"
    );
    assert_eq!(meta["author"], "Claire Exemple");
    assert_eq!(meta["date"], "2025-03-03");
    assert_eq!(meta["lang"], "fr");
    assert_eq!(meta["type"], "article");
}

#[test]
fn sidecar_overrides_detection_and_is_not_a_document() {
    let env = env_with(&["memo.txt", "memo.txt.meta.json"]);
    let meta = meta_of(&env, "memo.txt");
    assert_eq!(
        meta["title"],
        "Beschaffung von Textassistenten: Anforderungen"
    );
    assert_eq!(meta["author"], "Jan Beispiel; Eva Probe");
    assert_eq!(meta["date"], "2024-02-05");
    assert_eq!(meta["site"], "Beispielstadt");
    assert_eq!(meta["url"], "https://beispielstadt.example/notiz");
    assert_eq!(meta["type"], "report");

    // The indexer takes the sidecar too, and does not index it as a document of its own.
    let run = env.run_ok(&["index", "--json"], 0);
    let summary: Value = serde_json::from_str(run.stdout.trim()).expect("JSON");
    assert_eq!(summary["documents"], 1, "{summary}");
    assert!(!run.stderr.contains("meta.json"), "{}", run.stderr);
    let hits = env
        .run_ok(&["search", "Beschaffungsstelle", "--json"], 0)
        .json_lines();
    assert_eq!(
        hits[0]["title"],
        "Beschaffung von Textassistenten: Anforderungen"
    );
    assert_eq!(hits[0]["author"], "Jan Beispiel; Eva Probe");
    assert_eq!(hits[0]["date"], "2024-02-05");
}

#[test]
fn front_matter_wins_and_a_stem_sidecar_adds_to_it() {
    let env = env_with(&["leitfaden.md", "leitfaden.meta.json"]);
    let meta = meta_of(&env, "leitfaden.md");
    // Front matter beats the byline and date line in the text…
    assert_eq!(meta["title"], "Leitfaden für Reallabore");
    assert_eq!(meta["author"], "Jan Beispiel");
    assert_eq!(meta["date"], "2024-11-05");
    assert_eq!(meta["type"], "report");
    // …and `leitfaden.meta.json` (no extension in the name) is found too.
    assert_eq!(meta["site"], "Beispielministerium");
}

#[test]
fn a_broken_sidecar_is_reported_not_ignored() {
    let env = env_with(&["memo.txt"]);
    env.write("memo.txt.meta.json", r#"{"date": "last Tuesday"}"#);
    let path = env.corpus().join("memo.txt");
    let run = env.run(&["extract", path.to_str().expect("UTF-8 path"), "--json"]);
    assert_ne!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stderr.contains("memo.txt.meta.json") && run.stderr.contains("date"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_seed_names_its_author_and_date() {
    let env = TestEnv::with_shipped_corpus();
    let meta = meta_of(&env, "de/ai-action-summit-kooperation-und-konflikt.txt");
    assert_eq!(
        meta["title"],
        "AI Action Summit: Zwischen Kooperation und Konflikt"
    );
    assert_eq!(meta["author"], "Maxime Lefebvre");
    assert_eq!(meta["date"], "2025-02-26");
    assert_eq!(meta["type"], "article");
}

/// Every `.html`/`.htm`/`.md`/`.txt` file under `dir`, sorted.
fn documents(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            documents(&path, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "html" | "htm" | "md" | "txt"))
        {
            out.push(path);
        }
    }
    out.sort();
}

/// Coverage over the real corpus: reported on stderr, asserted only as conservative floors.
#[test]
fn shared_corpus_metadata_coverage() {
    let Some(corpus) = shared("corpus") else {
        return;
    };
    let env = TestEnv::on_corpus(&corpus);
    let mut files = Vec::new();
    documents(&corpus, &mut files);
    let (mut titled, mut dated, mut authored, mut typed) = (0, 0, 0, 0);
    // Laws and the manifest have no author; the floor is taken over the articles.
    let (mut articles, mut articles_authored) = (0, 0);
    for file in &files {
        let rel = file
            .strip_prefix(&corpus)
            .expect("inside corpus")
            .to_string_lossy()
            .into_owned();
        let meta = meta_of(&env, &rel);
        let has = |k: &str| meta[k].as_str().is_some_and(|s| !s.is_empty());
        titled += usize::from(has("title"));
        dated += usize::from(has("date"));
        authored += usize::from(has("author"));
        typed += usize::from(has("type"));
        if rel.starts_with("articles/") {
            articles += 1;
            articles_authored += usize::from(has("author"));
        }
        if rel.starts_with("eu-ai-act/") || rel.starts_with("gdpr/") {
            assert_eq!(meta["type"], "law", "{rel}: {meta}");
        }
    }
    let n = files.len();
    eprintln!(
        "metadata coverage over {n} documents: title {titled}, date {dated}, author {authored} \
         ({articles_authored} of {articles} articles), type {typed}"
    );
    assert!(n >= 45, "{n} documents");
    assert_eq!(titled, n, "every document has a title");
    assert_eq!(typed, n, "every document has a type");
    assert!(dated * 10 >= n * 8, "dates: {dated} of {n}");
    assert!(
        articles_authored * 2 >= articles,
        "authors: {articles_authored} of {articles} articles"
    );
}
