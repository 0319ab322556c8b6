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

/// Words each article page kept before single-page furniture removal (measured on the
/// extractor's blocks at the commit before it). A page must keep at least
/// [`KEPT_FLOOR`] of them: furniture is a few short lines, never the article.
const WORDS_BEFORE: &[(&str, usize)] = &[
    ("de/amnesty.de-waffensysteme.html", 585),
    ("de/bmjv.de.konsum.html", 1550),
    ("de/bsi.de-ki.html", 428),
    ("de/correctiv.org.zusage.html", 1371),
    ("de/de.creativecommons.org.endlich.html", 251),
    ("de/digitale-exzellenz.de.gesundheitswesen.html", 1058),
    ("de/erp-news.info.interview.html", 1193),
    ("de/faz.net.streaming.html", 530),
    ("de/fluter.de.vorbild.html", 1103),
    ("de/gruen-digital.de.jahrestagung.html", 653),
    ("de/handwerk-magazin.de-Angriffe.html", 622),
    ("de/heise.de.lithium.html", 292),
    ("de/internet-law.de.pseudonymen.html", 316),
    ("de/makronom.de-Ressourcenschutzgesetz.html", 1325),
    ("de/netzpolitik.org.abmahnungen.html", 1817),
    ("de/spiegel.de.albtraum.html", 2277),
    ("de/spreeblick.com.habeck.html", 428),
    ("de/telemedicus.info.rezension.html", 420),
    ("de/teslamag.de-Musk.html", 484),
    ("de/zeit.de.zugverkehr.html", 614),
    ("en/appen.com.ai-healthcare.html", 900),
    ("en/creativecommons.org.html", 211),
    ("en/nature.com.telescope.html", 928),
    ("en/theguardian.com.academics.html", 551),
    ("en/theverge.com.ios13.html", 334),
    ("en/threatpost.com.android.html", 593),
    ("en/wikimediafoundation.org.turkey.html", 527),
    ("en/wired.com.burn.html", 647),
    ("fr/bondyblog.fr.paris-8.html", 1089),
    ("fr/dalloz-actualite.fr.raoult.html", 565),
    ("fr/franceculture.fr.idees.html", 1054),
    // No article in the page at all (rendered in the browser): only template code and
    // editor buttons, which is what goes.
    ("fr/lanouvellerepublique.fr.martin.html", 0),
    ("fr/laviedesidees.fr.evaluation.html", 5964),
    ("fr/lopinion.fr.glyphosate.html", 1163),
    ("fr/psl.eu.luniversite.html", 619),
    ("fr/regards.fr.enquetes.html", 2491),
    ("fr/sciencesetavenir.fr.rumeur.html", 888),
];

/// The lowest share of its former words a page may keep (the lowest measured is 0.95, a
/// blog post that lost its author box and recommended posts).
const KEPT_FLOOR: f64 = 0.9;

/// Furniture the audit of these pages found in the extracted blocks: each must not start a
/// block any more (compared in lowercase).
const FURNITURE_STARTS: &[&str] = &[
    "lesen sie auch",
    "mehr zum thema",
    "keine kommentare",
    "empfohlene beiträge",
    "redakteur in der wirtschaft",
    "-aktualisiert am",
    "twitter: @",
    "correctiv ist spendenfinanziert",
    "anzeige",
    "alle rechte vorbehalten",
    "share this",
    "advertisement",
    "all rights reserved",
    "à lire aussi",
    "a lire aussi",
    "lire aussi",
    "partager",
    "tous droits réservés",
];

#[test]
fn article_pages_keep_their_article_and_lose_their_furniture() {
    let Some(articles) = shared("corpus/articles") else {
        return;
    };
    let mut pages = Vec::new();
    for lang in ["de", "en", "fr"] {
        let Ok(dir) = std::fs::read_dir(articles.join(lang)) else {
            continue;
        };
        for entry in dir.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "html") {
                pages.push(path);
            }
        }
    }
    pages.sort();
    assert!(pages.len() >= WORDS_BEFORE.len(), "{} pages", pages.len());
    let mut left_out = 0;
    for path in &pages {
        let rel = path
            .strip_prefix(&articles)
            .expect("under articles")
            .to_string_lossy()
            .replace('\\', "/");
        let bytes = std::fs::read(path).expect("readable page");
        let docs = polsearch::extract::extract(&bytes, polsearch::extract::Format::Html)
            .unwrap_or_else(|e| panic!("{rel}: {e}"));
        let doc = &docs[0];
        let words: usize = doc
            .blocks
            .iter()
            .map(|b| b.text.split_whitespace().count())
            .sum();
        left_out += doc.furniture.len();
        let before = WORDS_BEFORE
            .iter()
            .find(|(p, _)| *p == rel)
            .map(|(_, w)| *w);
        eprintln!(
            "{rel}: {words} words kept (before: {}), {} furniture items",
            before.map_or("-".to_string(), |w| w.to_string()),
            doc.furniture.len()
        );
        if let Some(before) = before {
            assert!(
                words as f64 >= KEPT_FLOOR * before as f64,
                "{rel}: {words} words kept, {before} before"
            );
        }
        for block in &doc.blocks {
            let text = block.text.to_lowercase();
            assert!(
                !text.contains("{{"),
                "{rel}: template code kept: {}",
                block.text
            );
            for start in FURNITURE_STARTS {
                assert!(
                    !text.starts_with(start),
                    "{rel}: furniture kept: {}",
                    block.text
                );
            }
        }
    }
    eprintln!(
        "{left_out} furniture items left out over {} pages",
        pages.len()
    );
    assert!(left_out > 0);
}
