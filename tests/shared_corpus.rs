//! The real multilingual corpus under `../shared/corpus`: skipped where it is absent.

mod util;

use std::collections::HashSet;

use util::{TestEnv, highlighted, shared};

#[test]
fn the_shared_corpus_indexes_and_answers_in_every_language() {
    let Some(corpus) = shared("corpus") else {
        return;
    };
    let env = TestEnv::on_corpus(&corpus);
    let run = env.run(&["index", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary: serde_json::Value = serde_json::from_str(run.stdout.trim()).expect("JSON");
    assert!(summary["documents"].as_u64().unwrap() >= 45, "{summary}");
    assert!(summary["passages"].as_u64().unwrap() > 5000, "{summary}");
    for lang in ["de", "en", "fr", "nl", "hu"] {
        assert!(
            summary["documents_by_lang"][lang].as_u64().unwrap_or(0) >= 1,
            "no {lang} document: {summary}"
        );
    }

    let search = |args: &[&str]| {
        let mut full = vec!["search"];
        full.extend_from_slice(args);
        full.extend_from_slice(&["--json", "--limit", "10"]);
        let run = env.run(&full);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        run.json_lines()
    };

    let de = search(&["Marktüberwachungsbehörde"]);
    assert_eq!(de[0]["path"], "eu-ai-act/de.md");
    assert!(
        highlighted(&de[0])
            .iter()
            .any(|w| w == "Marktüberwachungsbehörde")
    );

    let fr = search(&["reconnaissance faciale", "--lang", "fr"]);
    assert!(fr.iter().all(|h| h["lang"] == "fr"));
    assert!(
        fr[0]["path"].as_str().unwrap().starts_with("eu-ai-act/fr"),
        "{}",
        fr[0]
    );

    let en = search(&["\"high-risk AI system\""]);
    assert!(en.iter().all(|h| h["lang"] == "en"));
    let marked: HashSet<String> = en
        .iter()
        .flat_map(highlighted)
        .map(|w| w.to_lowercase())
        .collect();
    assert!(marked.contains("high") && marked.contains("systems") || marked.contains("system"));

    let nl = search(&["kunstmatige intelligentie", "--lang", "nl"]);
    assert!(nl[0]["path"].as_str().unwrap().starts_with("eu-ai-act/nl"));
}

#[test]
fn the_relevance_judgments_still_match_the_index_and_the_scores_hold() {
    let Some(corpus) = shared("corpus") else {
        return;
    };
    let env = TestEnv::on_corpus(&corpus);
    let root = util::repo_path("");
    let queries = root.join("bench/relevance/queries.tsv");
    let qrels = root.join("bench/relevance/qrels.tsv");
    let run = env.run_ok(
        &[
            "eval",
            "relevance",
            "--no-decompound",
            "--no-proximity",
            "--queries",
            queries.to_str().unwrap(),
            "--qrels",
            qrels.to_str().unwrap(),
        ],
        0,
    );
    assert!(!run.stdout.contains("warning"), "{}", run.stdout);
    // Only the configuration without decompounding and proximity runs here; its scores are
    // the floor every change must keep (measured at 0.485 nDCG@10, 0.807 MRR@10 once copies
    // and legal units were judged as indexed; 0.53 / 0.86 before, counting both copies).
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("neither"))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    let numbers: Vec<f64> = line
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    assert!(numbers[0] > 0.45 && numbers[1] > 0.75, "{line}");
}
