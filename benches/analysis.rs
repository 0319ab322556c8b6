//! Micro-benchmarks of the indexing hot paths, on the shipped sample corpus (our own text,
//! so they run anywhere): HTML and text extraction, language detection, passage splitting,
//! German analysis with decompounding, English analysis, reference finding.
//!
//! `cargo bench --bench analysis` (divan; `-- --sample-count 500` for more samples). Each
//! benchmark checks its result inside the loop, so a change that breaks the work cannot
//! make it look fast.

use std::path::PathBuf;
use std::sync::{Arc, LazyLock};

use divan::{Bencher, black_box};
use polsearch::analysis;
use polsearch::compound::{Lexicon, Params, Splitter};
use polsearch::extract::{self, Format};
use polsearch::lang::LanguageDetector;
use polsearch::passage;
use polsearch::reference;
use rust_stemmers::Algorithm;

fn main() {
    divan::main();
}

fn sample(rel: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

const HTML: &str = "html/observatory-newsletter.html";
const GERMAN: &str = "de/ai-action-summit-kooperation-und-konflikt.txt";
const ENGLISH: &str = "en/ai-act-risk-tiers.md";

/// The German text as passages' worth of running text.
static GERMAN_TEXT: LazyLock<String> =
    LazyLock::new(|| String::from_utf8(sample(GERMAN)).expect("UTF-8 sample"));
static ENGLISH_TEXT: LazyLock<String> =
    LazyLock::new(|| String::from_utf8(sample(ENGLISH)).expect("UTF-8 sample"));

const PARTS: &str = "Markt Überwachung Behörde Daten Schutz Aufsicht Gipfel Treffen \
                     Regierung Chef Sicherheit Forschung Zentrum Grund Rechte";
const COMPOUNDS: &[&str] = &[
    "Marktüberwachungsbehörde",
    "Datenschutzaufsicht",
    "Gipfeltreffen",
    "Regierungschef",
    "Sicherheitsforschungszentrum",
    "Grundrechte",
];

/// A splitter learnt from the German samples, as an index build learns one from its corpus.
static SPLITTER: LazyLock<Arc<Splitter>> = LazyLock::new(|| {
    let mut lexicon = Lexicon::new();
    for rel in [GERMAN, "de/ki-reallabore.md"] {
        lexicon.add_text(&String::from_utf8_lossy(&sample(rel)));
    }
    // The parts of the compounds `split_compounds` checks, as a larger corpus has them.
    lexicon.add_text(PARTS);
    let params = Params::default();
    Arc::new(Splitter::new(
        Splitter::induce_tails(lexicon, params),
        params,
    ))
});

#[divan::bench]
fn extract_html(bencher: Bencher) {
    let bytes = sample(HTML);
    bencher.bench(|| {
        let docs = extract::extract(black_box(&bytes), Format::Html).expect("extracts");
        assert!(
            docs[0].blocks.len() >= 10,
            "{} blocks",
            docs[0].blocks.len()
        );
        docs
    });
}

#[divan::bench]
fn extract_text(bencher: Bencher) {
    let bytes = sample(GERMAN);
    bencher.bench(|| {
        let docs = extract::extract(black_box(&bytes), Format::Text).expect("extracts");
        assert!(docs[0].blocks.len() >= 10);
        docs
    });
}

#[divan::bench]
fn split_passages(bencher: Bencher) {
    let docs = extract::extract(&sample(GERMAN), Format::Text).expect("extracts");
    let blocks = &docs[0].blocks;
    bencher.bench(|| {
        let (passages, report) = passage::split(black_box(blocks));
        // The seed's text comes three times: two copies are dropped.
        assert!(report.repeated > 0 && !passages.is_empty());
        passages
    });
}

#[divan::bench]
fn detect_language(bencher: Bencher) {
    let detector = LanguageDetector::new();
    let paragraphs: Vec<&str> = GERMAN_TEXT
        .split("\n\n")
        .filter(|p| p.len() > 200)
        .take(8)
        .collect();
    bencher.bench(|| {
        for paragraph in &paragraphs {
            assert_eq!(detector.passage_language(black_box(paragraph)), Some("de"));
        }
    });
}

#[divan::bench]
fn analyse_german_with_compounds(bencher: Bencher) {
    let mut analyzer = analysis::language_analyzer(Algorithm::German, Some(Arc::clone(&SPLITTER)));
    let text = GERMAN_TEXT.as_str();
    let words = text.split_whitespace().count();
    bencher
        .counter(divan::counter::BytesCount::of_str(text))
        .bench_local(|| {
            let terms = analysis::terms(&mut analyzer, black_box(text));
            // Parts of compounds come on top of the words themselves.
            assert!(terms.len() >= words * 9 / 10, "{} terms", terms.len());
            terms
        });
}

#[divan::bench]
fn analyse_english(bencher: Bencher) {
    let mut analyzer = analysis::language_analyzer(Algorithm::English, None);
    let text = ENGLISH_TEXT.as_str();
    bencher
        .counter(divan::counter::BytesCount::of_str(text))
        .bench_local(|| {
            let terms = analysis::terms(&mut analyzer, black_box(text));
            assert!(terms.iter().any(|t| t == "regul"), "stemmed");
            terms
        });
}

#[divan::bench]
fn split_compounds(bencher: Bencher) {
    let splitter = Arc::clone(&SPLITTER);
    // Every word of the sample once; the compounds among them split as they did first.
    // The splitter sees words as the analyzer hands them over: lower case.
    let mut words: Vec<String> = GERMAN_TEXT
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| w.chars().count() >= 8)
        .chain(COMPOUNDS.iter().copied())
        .map(str::to_lowercase)
        .collect();
    words.sort_unstable();
    words.dedup();
    let expected: usize = words.iter().map(|w| splitter.parts(w).len()).sum();
    assert!(
        COMPOUNDS
            .iter()
            .all(|w| splitter.parts(&w.to_lowercase()).len() >= 2),
        "the compounds split"
    );
    bencher.counter(words.len()).bench(|| {
        let parts: usize = words
            .iter()
            .map(|w| splitter.parts(black_box(w)).len())
            .sum();
        assert_eq!(parts, expected);
        parts
    });
}

#[divan::bench]
fn find_references(bencher: Bencher) {
    let text = ENGLISH_TEXT.as_str();
    bencher.bench(|| {
        let found = reference::find(black_box(text), Some("en"));
        assert!(found.iter().any(|r| r.target == "eu:2024/1689"));
        found
    });
}
