//! Which words of a passage a query matched, as byte ranges: the highlights.
//!
//! A passage is cut into words once, the way every analyzer of the index cuts it; each
//! distinct word is then analysed on its own, by the neutral chain and by the chain of the
//! passage's language, and what it is indexed as is remembered across hits and queries.
//! Running both chains over the whole text of every hit had been a third of the
//! instructions of a search: most words of a passage recur, in it and in its neighbours.

use std::ops::Range;
use std::sync::Mutex;

use rustc_hash::FxHashMap;
use tantivy::schema::Field;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};

use crate::letters::Letters;

/// How a query wants a term: on its own, or only as part of a phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Wanted {
    Alone,
    InPhrase,
}

/// The terms a query looks for, by field.
pub type WantedTerms = FxHashMap<Field, FxHashMap<String, Wanted>>;

/// Words remembered per field before that field's memory is emptied: a bound on a long
/// process (a server, a bench), far above the vocabulary of one page of hits.
const REMEMBERED_WORDS: usize = 65_536;

/// Finds the words of passages that a query's terms match.
pub struct Highlighter {
    fields: Mutex<FxHashMap<Field, FieldForms>>,
}

/// One field's analyzer and the terms it made of the words seen so far. Terms are kept as
/// numbers: a passage's words are then checked against a query's few terms without hashing
/// a term string per word.
struct FieldForms {
    analyzer: TextAnalyzer,
    /// Word as written → its entry in `forms`.
    words: FxHashMap<Box<str>, u32>,
    /// Per word: the terms the field indexes for it (none for a word too long to index; a
    /// German compound gives its parts too).
    forms: Vec<Box<[u32]>>,
    /// Term → its number.
    term_ids: FxHashMap<Box<str>, u32>,
}

impl FieldForms {
    fn forms_of(&mut self, word: &str) -> &[u32] {
        let entry = match self.words.get(word) {
            Some(&entry) => entry,
            None => {
                let mut terms = Vec::new();
                let mut stream = self.analyzer.token_stream(word);
                while let Some(token) = stream.next() {
                    terms.push(intern(&mut self.term_ids, &token.text));
                }
                let entry = self.forms.len() as u32;
                self.forms.push(terms.into_boxed_slice());
                self.words.insert(word.into(), entry);
                entry
            }
        };
        &self.forms[entry as usize]
    }

    /// Forgets what a long process has seen, at most once per passage: the numbers of a
    /// query's terms stay valid through a passage.
    fn bound(&mut self) {
        if self.words.len() >= REMEMBERED_WORDS {
            self.words.clear();
            self.forms.clear();
            self.term_ids.clear();
        }
    }
}

fn intern(ids: &mut FxHashMap<Box<str>, u32>, term: &str) -> u32 {
    if let Some(&id) = ids.get(term) {
        return id;
    }
    let id = ids.len() as u32;
    ids.insert(term.into(), id);
    id
}

impl Highlighter {
    /// A highlighter for these fields, each with the analyzer that indexes it.
    pub fn new(analyzers: impl IntoIterator<Item = (Field, TextAnalyzer)>) -> Highlighter {
        let fields = analyzers
            .into_iter()
            .map(|(field, analyzer)| {
                let forms = FieldForms {
                    analyzer,
                    words: FxHashMap::default(),
                    forms: Vec::new(),
                    term_ids: FxHashMap::default(),
                };
                (field, forms)
            })
            .collect();
        Highlighter {
            fields: Mutex::new(fields),
        }
    }

    /// Byte ranges of the words of `text` that one of `fields` turns into a wanted term: this
    /// is what lets "Regulierung" light up "KI-Regulierung" and "regulations" light up
    /// "regulation". A word wanted only as part of a phrase is marked only next to another
    /// matched word, so the phrase "offene und ethische KI" does not light up every "und" of
    /// the passage.
    pub fn ranges(&self, text: &str, fields: &[Field], wanted: &WantedTerms) -> Vec<Range<usize>> {
        if !fields.iter().any(|field| wanted.contains_key(field)) {
            return Vec::new();
        }
        let mut forms = self
            .fields
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let words = words(text);
        let mut best: Vec<Option<Wanted>> = vec![None; words.len()];
        for field in fields {
            let (Some(wanted), Some(field_forms)) = (wanted.get(field), forms.get_mut(field))
            else {
                continue;
            };
            field_forms.bound();
            let wanted: Vec<(u32, Wanted)> = wanted
                .iter()
                .map(|(term, how)| (intern(&mut field_forms.term_ids, term), *how))
                .collect();
            for (range, best) in words.iter().zip(best.iter_mut()) {
                for term in field_forms.forms_of(&text[range.clone()]) {
                    for (id, how) in &wanted {
                        if id == term {
                            *best = Some(best.map_or(*how, |b| b.min(*how)));
                        }
                    }
                }
            }
        }
        let matched = |position: usize| best.get(position).is_some_and(Option::is_some);
        words
            .iter()
            .enumerate()
            .filter(|(position, _)| match best[*position] {
                Some(Wanted::Alone) => true,
                Some(Wanted::InPhrase) => {
                    matched(position + 1) || position.checked_sub(1).is_some_and(matched)
                }
                None => false,
            })
            .map(|(_, range)| range.clone())
            .collect()
    }
}

/// The words of `text` as tantivy's `SimpleTokenizer` cuts them (runs of alphanumeric
/// characters), which every analyzer of the index starts with: the n-th word here is at the
/// index position n. Written out because the tokenizer copies each word into a `String`.
fn words(text: &str) -> Vec<Range<usize>> {
    // Byte by byte where the text is ASCII, with the letter table elsewhere: this loop ran
    // over every character of every hit, and `char_indices` with `char::is_alphanumeric`
    // made it a third of highlighting.
    let letters = Letters::get();
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 6 + 1);
    let mut start: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let (alphanumeric, len) = if bytes[i].is_ascii() {
            (bytes[i].is_ascii_alphanumeric(), 1)
        } else {
            let c = text[i..].chars().next().expect("a char starts here");
            (letters.is_alphanumeric(c), c.len_utf8())
        };
        match (alphanumeric, start) {
            (true, None) => start = Some(i),
            (false, Some(from)) => {
                out.push(from..i);
                start = None;
            }
            _ => {}
        }
        i += len;
    }
    if let Some(from) = start {
        out.push(from..text.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis;
    use rust_stemmers::Algorithm;
    use tantivy::tokenizer::{SimpleTokenizer, Tokenizer};

    fn wanted(field: Field, terms: &[(&str, Wanted)]) -> WantedTerms {
        let mut out = WantedTerms::default();
        out.insert(
            field,
            terms.iter().map(|(t, w)| (t.to_string(), *w)).collect(),
        );
        out
    }

    #[test]
    fn stemmed_terms_light_up_every_form_and_phrase_words_only_beside_a_match() {
        let (neutral, english) = (Field::from_field_id(0), Field::from_field_id(1));
        let highlighter = Highlighter::new([
            (neutral, analysis::neutral_analyzer()),
            (
                english,
                analysis::language_analyzer(Algorithm::English, None),
            ),
        ]);
        let text = "Regulations of AI: the regulation of open and ethical AI, and AI-regulating.";
        let terms = wanted(
            english,
            &[
                ("regul", Wanted::Alone),
                ("and", Wanted::InPhrase),
                ("ethic", Wanted::InPhrase),
            ],
        );
        let found: Vec<&str> = highlighter
            .ranges(text, &[neutral, english], &terms)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        // "and" is marked only where it stands next to "ethical"; the second "and" is alone.
        assert_eq!(
            found,
            ["Regulations", "regulation", "and", "ethical", "regulating"]
        );
        // Asked again (now from memory), the answer is the same; a field without wanted terms
        // marks nothing.
        assert_eq!(
            highlighter.ranges(text, &[neutral, english], &terms).len(),
            5
        );
        assert!(highlighter.ranges(text, &[neutral], &terms).is_empty());
        // A passage of more distinct words than are remembered: the memory is emptied
        // before the next passage, and the answers stay the same.
        let long: String = (0..REMEMBERED_WORDS + 10)
            .map(|i| format!("w{i} "))
            .collect::<String>()
            + "regulation";
        let marked = highlighter.ranges(&long, &[neutral, english], &terms);
        assert_eq!(
            marked.iter().map(|r| &long[r.clone()]).collect::<Vec<_>>(),
            ["regulation"]
        );
        assert_eq!(
            highlighter.ranges(text, &[neutral, english], &terms).len(),
            5
        );
    }

    #[test]
    fn words_are_the_simple_tokenizers_words() {
        for text in [
            "KI-Regulierung, d’IA (2024/1689) — über “Straße” … ½ x²",
            "",
            "  trailing ",
            "Ünïcödé wörds",
            "Κανονισμός (ΕΕ) 2024/1689 — Регламент ЕС, ½·x",
            "数据保护 🙂 ok_go e\u{301}t\u{e9}",
        ] {
            let mut tokenizer = SimpleTokenizer::default();
            let mut stream = tokenizer.token_stream(text);
            let mut expected = Vec::new();
            while let Some(token) = stream.next() {
                expected.push((token.position, token.offset_from..token.offset_to));
            }
            let found: Vec<_> = words(text).into_iter().enumerate().collect();
            assert_eq!(found, expected, "{text:?}");
        }
    }
}
