//! Legal structure through `polsearch extract --json`: passages of a regulation carry the
//! label of their article, paragraph, recital or annex and never hold two units' text.

mod util;

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;
use util::{TestEnv, shared};

/// A made-up German regulation, block by block, with the unit each block belongs to (as
/// `Section::keys` writes it; `None` for text outside any unit).
const REGULATION: &[(Option<&str>, &str)] = &[
    (None, "# Verordnung (EU) 2030/1 über Prüfsysteme"),
    (None, "## Erwägungsgründe"),
    (
        Some("recital:1"),
        "(1) Prüfsysteme sollten sicher und nachvollziehbar sein.",
    ),
    (
        Some("recital:2"),
        "(2) Die Mitgliedstaaten sollten bei der Aufsicht zusammenarbeiten.",
    ),
    (
        Some("recital:3"),
        "(3) Diese Verordnung sollte bald nach ihrer Veröffentlichung gelten.",
    ),
    (None, "## Kapitel I – Allgemeine Bestimmungen"),
    (Some("article:1"), "## Artikel 1 – Gegenstand"),
    (
        Some("article:1(1)"),
        "(1) Diese Verordnung legt Regeln für Prüfsysteme fest.",
    ),
    (Some("article:1(2)"), "(2) Sie gilt für"),
    (Some("article:1(2)"), "a) Anbieter von Prüfsystemen;"),
    (Some("article:1(2)"), "b) Betreiber von Prüfsystemen."),
    (Some("article:2"), "## Artikel 2 – Begriffsbestimmungen"),
    (
        Some("article:2"),
        "Für die Zwecke dieser Verordnung bezeichnet der Ausdruck",
    ),
    (
        Some("article:2"),
        "1. „Prüfsystem“ eine Einrichtung, die Bauwerke prüft;",
    ),
    (
        Some("article:2"),
        "2. „Anbieter“ eine Person, die ein Prüfsystem anbietet.",
    ),
    (Some("article:3"), "## Artikel 3 – Inkrafttreten"),
    (
        Some("article:3"),
        "Diese Verordnung tritt am zwanzigsten Tag nach ihrer Veröffentlichung in Kraft.",
    ),
    (Some("annex:i"), "## Anhang I – Liste der Prüfsysteme"),
    (
        Some("annex:i"),
        "Systeme zur Prüfung von Brücken und Tunneln gelten als Prüfsysteme.",
    ),
];

const NEWS: &str = "# Was die KI-Verordnung verbietet

Die Verordnung verbietet manche Praktiken ganz, andere erlaubt sie nur unter Auflagen.

## Artikel 5

Artikel 5 zählt die verbotenen Praktiken auf.

(1) Erstens geht es um Manipulation von Menschen.

(2) Zweitens geht es um soziale Bewertung durch Behörden.
";

fn extract(env: &TestEnv, path: &std::path::Path) -> Value {
    let run = env.run_ok(
        &["extract", path.to_str().expect("UTF-8 path"), "--json"],
        0,
    );
    serde_json::from_str(run.stdout.trim()).expect("one JSON document")
}

fn passages(doc: &Value) -> &Vec<Value> {
    doc["passages"].as_array().expect("passages")
}

/// The most specific key of a passage's section (`article:1(2)` rather than `article:1`).
fn unit_key(passage: &Value) -> Option<String> {
    let keys = passage["section"]["keys"].as_array()?;
    keys.last()?.as_str().map(str::to_string)
}

#[test]
fn a_regulation_is_labelled_and_no_passage_holds_two_units() {
    let env = TestEnv::new();
    let markdown: String = REGULATION
        .iter()
        .map(|(_, block)| format!("{block}\n\n"))
        .collect();
    let path = env.write(
        "law/pruefsysteme.md",
        format!("---\nlang: de\n---\n{markdown}"),
    );
    let doc = extract(&env, &path);
    let passages = passages(&doc);

    // Which unit each line of text belongs to, as the fixture states it.
    let unit_of: HashMap<&str, Option<&str>> = REGULATION
        .iter()
        .map(|(unit, block)| (block.trim_start_matches('#').trim(), *unit))
        .collect();
    for passage in passages {
        let text = passage["text"].as_str().expect("text");
        let key = unit_key(passage);
        for line in text.lines() {
            let want = unit_of
                .get(line)
                .unwrap_or_else(|| panic!("line not in the fixture: {line:?}"));
            assert_eq!(key.as_deref(), *want, "{line:?} in {passage}");
        }
    }
    let labels: Vec<&str> = passages
        .iter()
        .filter_map(|p| p["section"]["label"].as_str())
        .collect();
    assert_eq!(
        labels,
        [
            "Erwägungsgrund 1",
            "Erwägungsgrund 2",
            "Erwägungsgrund 3",
            "Artikel 1 Absatz 1",
            "Artikel 1 Absatz 2",
            "Artikel 2",
            "Artikel 3",
            "Anhang I",
        ]
    );
    assert_eq!(
        passages[4]["text"],
        "(2) Sie gilt für\na) Anbieter von Prüfsystemen;\nb) Betreiber von Prüfsystemen."
    );
    assert_eq!(passages[3]["section"]["keys"][1], "article:1(1)");
}

#[test]
fn a_news_text_that_mentions_an_article_gets_no_labels() {
    let env = TestEnv::new();
    let path = env.write("news/ki-verbote.md", NEWS);
    let doc = extract(&env, &path);
    assert!(passages(&doc).len() >= 2);
    for passage in passages(&doc) {
        assert!(passage.get("section").is_none(), "{passage}");
    }
}

/// What one real legal text must show: its share of labelled passages, the articles,
/// recitals and annexes, and one label in its own language.
struct Expect {
    file: &'static str,
    articles: usize,
    recitals: usize,
    annexes: usize,
    label: (&'static str, &'static str),
}

#[test]
fn the_shared_corpus_acts_are_labelled_article_by_article() {
    let Some(corpus) = shared("corpus") else {
        return;
    };
    let env = TestEnv::on_corpus(&corpus);
    let expect = [
        Expect {
            file: "eu-ai-act/en.html",
            articles: 113,
            recitals: 180,
            annexes: 13,
            label: ("article:5(1)", "Article 5(1)"),
        },
        Expect {
            file: "eu-ai-act/de.md",
            articles: 113,
            recitals: 180,
            annexes: 13,
            label: ("article:5(1)", "Artikel 5 Absatz 1"),
        },
        Expect {
            file: "eu-ai-act/fr.html",
            articles: 113,
            recitals: 180,
            annexes: 13,
            label: ("recital:27", "Considérant 27"),
        },
        Expect {
            file: "gdpr/en.html",
            articles: 99,
            recitals: 173,
            annexes: 0,
            label: ("article:17(1)", "Article 17(1)"),
        },
    ];
    for e in expect {
        let doc = extract(&env, &corpus.join(e.file));
        let passages = passages(&doc);
        let labelled: Vec<&Value> = passages
            .iter()
            .filter(|p| p.get("section").is_some())
            .collect();
        let share = labelled.len() as f64 / passages.len() as f64;
        eprintln!(
            "{}: {} of {} passages labelled ({:.1} %)",
            e.file,
            labelled.len(),
            passages.len(),
            share * 100.0
        );
        assert!(
            share >= 0.9,
            "{}: only {:.1} % labelled",
            e.file,
            share * 100.0
        );

        let keys: BTreeSet<String> = labelled
            .iter()
            .filter_map(|p| p["section"]["keys"][0].as_str())
            .map(str::to_string)
            .collect();
        let count = |prefix: &str| keys.iter().filter(|k| k.starts_with(prefix)).count();
        assert_eq!(count("article:"), e.articles, "{}", e.file);
        assert_eq!(count("recital:"), e.recitals, "{}", e.file);
        assert_eq!(count("annex:"), e.annexes, "{}", e.file);
        for n in 1..=e.articles {
            assert!(
                keys.contains(&format!("article:{n}")),
                "{}: article {n}",
                e.file
            );
        }
        for n in 1..=e.recitals {
            assert!(
                keys.contains(&format!("recital:{n}")),
                "{}: recital {n}",
                e.file
            );
        }

        let (key, label) = e.label;
        let found = labelled
            .iter()
            .find(|p| unit_key(p).as_deref() == Some(key))
            .unwrap_or_else(|| panic!("{}: no passage of {key}", e.file));
        assert_eq!(found["section"]["label"], label, "{}", e.file);
    }
}

#[test]
fn search_targets_an_article_paragraph_recital_or_annex() {
    let env = TestEnv::new();
    let markdown: String = REGULATION
        .iter()
        .map(|(_, block)| format!("{block}\n\n"))
        .collect();
    env.write(
        "law/pruefsysteme.md",
        format!("---\nlang: de\n---\n{markdown}"),
    );
    env.run_ok(&["index"], 0);
    let sections = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["search"];
        all.extend_from_slice(args);
        all.push("--json");
        env.run_ok(&all, 0)
            .json_lines()
            .iter()
            .map(|h| h["section"].as_str().unwrap_or("-").to_string())
            .collect()
    };
    // "Prüfsysteme" is everywhere; the unit narrows it.
    assert_eq!(
        sections(&["Prüfsysteme", "--article", "Art. 1 Abs. 1"]),
        vec!["Artikel 1 Absatz 1"]
    );
    assert_eq!(
        sections(&["Prüfsysteme", "article:1(1)"]),
        vec!["Artikel 1 Absatz 1"]
    );
    let whole_article = sections(&["--article", "1", "Prüfsystemen OR Prüfsysteme"]);
    assert!(
        whole_article.iter().all(|s| s.starts_with("Artikel 1 ")) && whole_article.len() >= 2,
        "{whole_article:?}"
    );
    assert_eq!(sections(&["recital:3"]), vec!["Erwägungsgrund 3"]);
    assert_eq!(
        sections(&["Brücken", "--article", "Anhang I"]),
        vec!["Anhang I"]
    );
    // The text output names the unit before the heading.
    let text = env.run_ok(&["search", "Brücken"], 0).stdout;
    assert!(
        text.contains("§ Anhang I — Liste der Prüfsysteme\n"),
        "{text}"
    );
    let text = env
        .run_ok(&["search", "Prüfsysteme", "article:1(1)"], 0)
        .stdout;
    assert!(
        text.contains("§ Artikel 1 Absatz 1 — Gegenstand\n"),
        "{text}"
    );
    // Nothing there, and a unit that is not one.
    env.run_ok(&["search", "Brücken", "--article", "2"], 1);
    let bad = env.run_ok(&["search", "Brücken", "--article", "Kapitel 9"], 2);
    assert!(bad.stderr.contains("Kapitel 9"), "{}", bad.stderr);
    let bad = env.run_ok(&["search", "annex:zz"], 2);
    assert_eq!(bad.stderr.lines().count(), 1, "{}", bad.stderr);
}
