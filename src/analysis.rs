//! Text analysis: the tokenizer chain of every language field and of the language-neutral field.
//!
//! The chains are registered under the names in [`analyzer_name`] and [`NEUTRAL`]; the index
//! schema refers to them by name, so every index open must call [`register`]. This module owns
//! what a word becomes in the index; it does no IO and knows nothing of documents.

use std::borrow::Cow;
use std::mem;
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

use crate::compound::Splitter;
use rust_stemmers::{Algorithm, Stemmer};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer, TokenizerManager,
};

/// Bumped whenever analysis (or extraction) changes what is indexed, so that an index built by
/// an older version is rebuilt rather than silently mismatching queries or keeping stale
/// metadata for files that did not change. 3: document metadata from markup and running text.
pub const ANALYZER_VERSION: u32 = 3;

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

/// Registers every chain with an index's tokenizer manager. `german` splits German compounds
/// (index side: the parts are indexed beside the whole word); `None` keeps words whole, which
/// is what the query side uses, where compounds are expanded into explicit clauses instead.
pub fn register(manager: &TokenizerManager, german: Option<Arc<Splitter>>) {
    manager.register(NEUTRAL, neutral_analyzer());
    for (code, algorithm) in STEMMED_LANGUAGES {
        let splitter = if *algorithm == Algorithm::German {
            german.clone()
        } else {
            None
        };
        manager.register(
            &analyzer_name(code),
            language_analyzer(*algorithm, splitter),
        );
    }
}

/// A tokenizer manager with every chain and no compound splitting: for parsing queries.
pub fn query_manager() -> TokenizerManager {
    let manager = TokenizerManager::default();
    manager.register(NEUTRAL, neutral_analyzer());
    for (code, algorithm) in STEMMED_LANGUAGES {
        manager.register(
            &analyzer_name(code),
            stemmed_chain(Stem::shared(*algorithm), None),
        );
    }
    manager
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

/// The chain of one stemmed language: lowercase → (compound parts) → Snowball stem →
/// (German spelling variants) → diacritics folded.
///
/// Splitting comes first because the lexicon holds the corpus's own unstemmed, unfolded
/// words; folding comes after stemming because the stemmers read diacritics (French `é`,
/// German `ü`) to find suffixes; folding afterwards lets a query typed without accents meet
/// the text.
pub fn language_analyzer(algorithm: Algorithm, splitter: Option<Arc<Splitter>>) -> TextAnalyzer {
    stemmed_chain(Stem::new(algorithm), splitter)
}

/// The chain of [`language_analyzer`] around a given stemming filter.
fn stemmed_chain(stem: Stem, splitter: Option<Arc<Splitter>>) -> TextAnalyzer {
    let builder = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser);
    match splitter {
        Some(splitter) => builder
            .filter(Decompound::new(splitter))
            .filter(stem)
            .filter(AsciiFoldingFilter)
            .build(),
        None => builder.filter(stem).filter(AsciiFoldingFilter).build(),
    }
}

/// Emits the parts of a compound after the compound itself, at its position and with its
/// offsets, so that a part matches where the compound stands and highlights all of it.
#[derive(Clone)]
pub struct Decompound {
    splitter: Arc<Splitter>,
}

impl Decompound {
    pub fn new(splitter: Arc<Splitter>) -> Self {
        Decompound { splitter }
    }
}

impl TokenFilter for Decompound {
    type Tokenizer<T: Tokenizer> = DecompoundTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> DecompoundTokenizer<T> {
        DecompoundTokenizer {
            inner: tokenizer,
            splitter: self.splitter,
            memo: FxHashMap::default(),
        }
    }
}

/// Words longer than this are not looked up: no compound is, and the memo stays small.
const MAX_COMPOUND_BYTES: usize = 64;
/// The memo is cleared when it grows past this many words, bounding memory on huge corpora.
const MEMO_WORDS: usize = 200_000;

#[derive(Clone)]
pub struct DecompoundTokenizer<T> {
    inner: T,
    splitter: Arc<Splitter>,
    /// Parts per word, computed once per analyzer instance: each distinct word is split once
    /// however often it occurs.
    memo: FxHashMap<String, Arc<[String]>>,
}

impl<T: Tokenizer> Tokenizer for DecompoundTokenizer<T> {
    type TokenStream<'a> = DecompoundTokenStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.memo.len() > MEMO_WORDS {
            self.memo.clear();
        }
        DecompoundTokenStream {
            tail: self.inner.token_stream(text),
            splitter: &self.splitter,
            memo: &mut self.memo,
            parts: None,
            next_part: 0,
            part_token: Token::default(),
        }
    }
}

pub struct DecompoundTokenStream<'a, T> {
    tail: T,
    splitter: &'a Splitter,
    memo: &'a mut FxHashMap<String, Arc<[String]>>,
    /// Parts of the current word still to emit.
    parts: Option<Arc<[String]>>,
    next_part: usize,
    part_token: Token,
}

impl<T: TokenStream> TokenStream for DecompoundTokenStream<'_, T> {
    fn advance(&mut self) -> bool {
        if let Some(parts) = &self.parts {
            if self.next_part < parts.len() {
                self.part_token.text.clear();
                self.part_token.text.push_str(&parts[self.next_part]);
                self.next_part += 1;
                return true;
            }
            self.parts = None;
        }
        if !self.tail.advance() {
            return false;
        }
        let word = &self.tail.token().text;
        if word.len() <= MAX_COMPOUND_BYTES {
            let parts = match self.memo.get(word.as_str()) {
                Some(parts) => parts.clone(),
                None => {
                    let parts: Arc<[String]> = self.splitter.parts(word).into();
                    self.memo.insert(word.clone(), parts.clone());
                    parts
                }
            };
            if !parts.is_empty() {
                let whole = self.tail.token();
                self.part_token.offset_from = whole.offset_from;
                self.part_token.offset_to = whole.offset_to;
                self.part_token.position = whole.position;
                self.part_token.position_length = whole.position_length;
                self.parts = Some(parts);
                self.next_part = 0;
            }
        }
        true
    }

    fn token(&self) -> &Token {
        if self.parts.is_some() && self.next_part > 0 {
            &self.part_token
        } else {
            self.tail.token()
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        if self.parts.is_some() && self.next_part > 0 {
            &mut self.part_token
        } else {
            self.tail.token_mut()
        }
    }
}

/// Snowball stemming by rust-stemmers, followed for German by [`fold_german`].
#[derive(Clone)]
pub struct Stem {
    stemmer: Arc<Stemmer>,
    german: bool,
    /// Stems shared by every copy of this filter (see [`Stem::shared`]).
    shared: Option<SharedStems>,
}

type SharedStems = Arc<Mutex<FxHashMap<String, String>>>;

impl Stem {
    pub fn new(algorithm: Algorithm) -> Self {
        Stem {
            stemmer: Arc::new(Stemmer::create(algorithm)),
            german: matches!(algorithm, Algorithm::German),
            shared: None,
        }
    }

    /// A filter whose copies remember stems together. The query parser takes a fresh copy of
    /// an analyzer for every word and field, and one query is parsed three times (words,
    /// proximity, titles): with copies of their own, every copy stemmed from scratch, a
    /// fifth of a search. Index analyzers keep their own memory, since the indexing
    /// threads would otherwise contend for one lock per word.
    pub fn shared(algorithm: Algorithm) -> Self {
        Stem {
            shared: Some(Arc::default()),
            ..Stem::new(algorithm)
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
            memo: FxHashMap::default(),
        }
    }
}

/// Words whose stems one analyzer remembers. Text repeats its words (a tenth of the index
/// build went to Snowball on the bench corpus); the bound keeps a long run's memory flat.
const STEM_MEMO_WORDS: usize = 8_192;

#[derive(Clone)]
pub struct StemTokenizer<T> {
    inner: T,
    stem: Stem,
    buffer: String,
    /// Stems of words seen before, emptied when it reaches [`STEM_MEMO_WORDS`]; unused when
    /// the filter is [`Stem::shared`].
    memo: FxHashMap<String, String>,
}

impl<T: Tokenizer> Tokenizer for StemTokenizer<T> {
    type TokenStream<'a> = StemTokenStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StemTokenStream {
            tail: self.inner.token_stream(text),
            stem: &self.stem,
            buffer: &mut self.buffer,
            memo: &mut self.memo,
        }
    }
}

pub struct StemTokenStream<'a, T> {
    tail: T,
    stem: &'a Stem,
    buffer: &'a mut String,
    memo: &'a mut FxHashMap<String, String>,
}

impl<T: TokenStream> TokenStream for StemTokenStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let mut shared;
        let memo = match &self.stem.shared {
            Some(stems) => {
                shared = stems
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                &mut *shared
            }
            None => &mut *self.memo,
        };
        if let Some(stem) = memo.get(&token.text) {
            token.text.clear();
            token.text.push_str(stem);
            return true;
        }
        self.stem.apply(&token.text, self.buffer);
        if memo.len() >= STEM_MEMO_WORDS {
            memo.clear();
        }
        memo.insert(token.text.clone(), self.buffer.clone());
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
        register(&manager, None);
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

    fn german_with_lexicon(words: &[(&str, u32)]) -> TextAnalyzer {
        let mut lexicon = crate::compound::Lexicon::new();
        for (word, n) in words {
            for _ in 0..*n {
                lexicon.add_text(word);
            }
        }
        let splitter = Splitter::new(lexicon, crate::compound::Params::default());
        language_analyzer(Algorithm::German, Some(Arc::new(splitter)))
    }

    #[test]
    fn compound_parts_follow_the_whole_word_at_its_position_and_offsets() {
        let mut analyzer =
            german_with_lexicon(&[("datenschutz", 3), ("regulierung", 5), ("neue", 2)]);
        let mut stream = analyzer.token_stream("Neue Datenschutzregulierung");
        let mut tokens = Vec::new();
        while let Some(t) = stream.next() {
            tokens.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        let regulierung = analyse("de", "Regulierung")[0].clone();
        assert_eq!(tokens[0].0, analyse("de", "neue")[0]);
        assert_eq!(tokens[1].0, analyse("de", "Datenschutzregulierung")[0]);
        assert!(tokens[2..].iter().any(|t| t.0 == regulierung), "{tokens:?}");
        for token in &tokens[1..] {
            assert_eq!((token.1, token.2, token.3), (1, 5, 27), "{token:?}");
        }
    }

    #[test]
    fn umlaut_parts_are_folded_after_splitting() {
        let mut analyzer = german_with_lexicon(&[("markt", 4), ("behörde", 4)]);
        let terms = terms(&mut analyzer, "Marktbehörde");
        assert!(terms.contains(&analyse("de", "Behoerde")[0]), "{terms:?}");
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
        register(&manager, None);
        for (code, _) in STEMMED_LANGUAGES {
            assert!(manager.get(&analyzer_name(code)).is_some(), "{code}");
        }
        assert!(is_stemmed("de") && !is_stemmed("pl"));
    }
}
