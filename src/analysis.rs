//! Text analysis: the tokenizer chain of every language field and of the language-neutral field.
//!
//! The chains are registered under the names in [`analyzer_name`] and [`NEUTRAL`]; the index
//! schema refers to them by name, so every index open must call [`register`]. This module owns
//! what a word becomes in the index; it does no IO and knows nothing of documents.

use std::borrow::Cow;
use std::mem;
use std::sync::Arc;

use rust_stemmers::{Algorithm, Stemmer};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer, TokenizerManager,
};

/// Bumped whenever analysis changes what a word becomes, so that an index built by an older
/// version is rebuilt rather than silently mismatching queries.
pub const ANALYZER_VERSION: u32 = 1;

/// Name of the language-neutral chain: lowercase and diacritics folded, no stemming.
pub const NEUTRAL: &str = "polsearch_neutral";

/// Tokens longer than this (in bytes) are dropped: they are base64 blobs, URLs or glued
/// garbage, never words a reader types.
const MAX_TOKEN_BYTES: usize = 60;

/// Every language with a Snowball stemmer in rust-stemmers, by ISO 639-1 code.
pub const STEMMED_LANGUAGES: &[(&str, Algorithm)] = &[
    ("ar", Algorithm::Arabic),
    ("da", Algorithm::Danish),
    ("de", Algorithm::German),
    ("el", Algorithm::Greek),
    ("en", Algorithm::English),
    ("es", Algorithm::Spanish),
    ("fi", Algorithm::Finnish),
    ("fr", Algorithm::French),
    ("hu", Algorithm::Hungarian),
    ("it", Algorithm::Italian),
    ("nl", Algorithm::Dutch),
    ("no", Algorithm::Norwegian),
    ("pt", Algorithm::Portuguese),
    ("ro", Algorithm::Romanian),
    ("ru", Algorithm::Russian),
    ("sv", Algorithm::Swedish),
    ("ta", Algorithm::Tamil),
    ("tr", Algorithm::Turkish),
];

/// Whether `code` has a stemmed field of its own.
pub fn is_stemmed(code: &str) -> bool {
    STEMMED_LANGUAGES.iter().any(|(known, _)| *known == code)
}

/// Name under which the chain of language `code` is registered.
pub fn analyzer_name(code: &str) -> String {
    format!("polsearch_{code}")
}

/// Registers every chain with an index's tokenizer manager.
pub fn register(manager: &TokenizerManager) {
    manager.register(NEUTRAL, neutral_analyzer());
    for (code, algorithm) in STEMMED_LANGUAGES {
        manager.register(&analyzer_name(code), language_analyzer(*algorithm));
    }
}

/// Lowercase, fold diacritics, no stemming: serves languages without a stemmer and exact-form
/// matching for all.
pub fn neutral_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The chain of one stemmed language: lowercase → Snowball stem → (German spelling variants)
/// → diacritics folded.
///
/// Folding comes after stemming because the stemmers read diacritics (French `é`, German `ü`)
/// to find suffixes; folding afterwards lets a query typed without accents meet the text.
pub fn language_analyzer(algorithm: Algorithm) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(Stem::new(algorithm))
        .filter(AsciiFoldingFilter)
        .build()
}

/// Snowball stemming by rust-stemmers, followed for German by [`fold_german`].
#[derive(Clone)]
pub struct Stem {
    stemmer: Arc<Stemmer>,
    german: bool,
}

impl Stem {
    pub fn new(algorithm: Algorithm) -> Self {
        Stem {
            stemmer: Arc::new(Stemmer::create(algorithm)),
            german: matches!(algorithm, Algorithm::German),
        }
    }

    /// The indexed form of one lowercased word.
    pub fn apply(&self, word: &str, out: &mut String) {
        out.clear();
        match self.stemmer.stem(word) {
            Cow::Borrowed(stem) => out.push_str(stem),
            Cow::Owned(stem) => *out = stem,
        }
        if self.german {
            fold_german(out);
        }
    }
}

/// Makes German spelling variants meet: `ä`/`ae` → `a`, `ö`/`oe` → `o`, `ü`/`ue` → `u`
/// (not the `ue` of `que`), `ß` → `ss`, in the spirit of Lucene's GermanNormalizationFilter.
///
/// It runs on stems, after the Snowball stemmer: run before it, `steuern`/`steuer` would
/// become `steurn`/`steur` and stem apart.
pub fn fold_german(word: &mut String) {
    if !word.bytes().any(|b| matches!(b, b'e') || !b.is_ascii()) {
        return;
    }
    let mut folded = String::with_capacity(word.len());
    let mut prev: Option<char> = None;
    let mut before_prev: Option<char> = None;
    for c in word.chars() {
        let drop_e = c == 'e'
            && match prev {
                Some('a') | Some('o') => true,
                Some('u') => before_prev != Some('q'),
                _ => false,
            };
        if !drop_e {
            match c {
                'ä' => folded.push('a'),
                'ö' => folded.push('o'),
                'ü' => folded.push('u'),
                'ß' => folded.push_str("ss"),
                _ => folded.push(c),
            }
        }
        before_prev = prev;
        // A dropped `e` must not start a new pair: `aee` folds once, to `ae` → `a` + `e`.
        prev = if drop_e { None } else { Some(c) };
    }
    *word = folded;
}

impl TokenFilter for Stem {
    type Tokenizer<T: Tokenizer> = StemTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> StemTokenizer<T> {
        StemTokenizer {
            inner: tokenizer,
            stem: self,
            buffer: String::new(),
        }
    }
}

#[derive(Clone)]
pub struct StemTokenizer<T> {
    inner: T,
    stem: Stem,
    buffer: String,
}

impl<T: Tokenizer> Tokenizer for StemTokenizer<T> {
    type TokenStream<'a> = StemTokenStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StemTokenStream {
            tail: self.inner.token_stream(text),
            stem: &self.stem,
            buffer: &mut self.buffer,
        }
    }
}

pub struct StemTokenStream<'a, T> {
    tail: T,
    stem: &'a Stem,
    buffer: &'a mut String,
}

impl<T: TokenStream> TokenStream for StemTokenStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        self.stem.apply(&token.text, self.buffer);
        mem::swap(&mut token.text, self.buffer);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// The terms `analyzer` makes of `text`, in order; for tests and `--explain`-style tools.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyse(code: &str, text: &str) -> Vec<String> {
        let manager = TokenizerManager::default();
        register(&manager);
        let name = if code == "neutral" {
            NEUTRAL.to_string()
        } else {
            analyzer_name(code)
        };
        let mut analyzer = manager.get(&name).expect("registered");
        terms(&mut analyzer, text)
    }

    fn assert_same_terms(code: &str, pairs: &[(&str, &str)]) {
        for (a, b) in pairs {
            assert_eq!(
                analyse(code, a),
                analyse(code, b),
                "help: {code} analysis should make {a:?} and {b:?} meet"
            );
        }
    }

    #[test]
    fn german_spelling_variants_meet() {
        assert_same_terms(
            "de",
            &[
                ("Maßnahmen", "Massnahmen"),
                ("Überwachung", "Ueberwachung"),
                ("Überwachung", "überwachung"),
                ("Größe", "Groesse"),
                ("Behörden", "Behoerden"),
                ("Grüße", "Gruesse"),
                ("Tür", "Tuer"),
            ],
        );
    }

    #[test]
    fn german_inflections_meet() {
        assert_same_terms(
            "de",
            &[
                ("Investitionen", "Investition"),
                ("Regulierungen", "Regulierung"),
                ("Steuern", "Steuer"),
                ("Maßnahme", "Massnahmen"),
            ],
        );
    }

    #[test]
    fn german_que_keeps_its_e() {
        let mut word = String::from("quelle");
        fold_german(&mut word);
        assert_eq!(word, "quelle");
    }

    #[test]
    fn hyphenated_compounds_split_into_words() {
        assert_eq!(
            analyse("de", "KI-Regulierung"),
            analyse("de", "KI Regulierung")
        );
        assert_eq!(
            analyse("de", "KI-Regulierung")[1],
            analyse("de", "Regulierung")[0]
        );
    }

    #[test]
    fn english_and_french_inflections_meet() {
        assert_same_terms(
            "en",
            &[
                ("regulations", "regulation"),
                ("investments", "investment"),
                ("obligations", "obligation"),
            ],
        );
        assert_same_terms(
            "fr",
            &[
                ("régulations", "régulation"),
                ("réglementation", "reglementation"),
                ("investissements", "investissement"),
                ("transparents", "transparent"),
            ],
        );
    }

    #[test]
    fn neutral_folds_case_and_diacritics_but_does_not_stem() {
        assert_eq!(
            analyse("neutral", "Maßnahmen Élysée"),
            ["massnahmen", "elysee"]
        );
        assert_ne!(
            analyse("neutral", "regulations"),
            analyse("neutral", "regulation")
        );
    }

    #[test]
    fn overlong_tokens_are_dropped() {
        let blob = "a".repeat(200);
        assert_eq!(
            analyse("en", &format!("before {blob} after")),
            ["befor", "after"]
        );
    }

    #[test]
    fn every_stemmed_language_is_registered() {
        let manager = TokenizerManager::default();
        register(&manager);
        for (code, _) in STEMMED_LANGUAGES {
            assert!(manager.get(&analyzer_name(code)).is_some(), "{code}");
        }
        assert!(is_stemmed("de") && !is_stemmed("pl"));
    }
}
