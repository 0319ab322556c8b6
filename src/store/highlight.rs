//! Which words of a passage a query matched, as byte ranges: the highlights.
//!
//! A passage is cut into words once, the way every analyzer of the index cuts it; each
//! distinct word is then analysed on its own, by the neutral chain and by the chain of the
//! passage's language, and what it is indexed as is remembered across hits and queries.
//! Running both chains over the whole text of every hit had been a third of the
//! instructions of a search: most words of a passage recur, in it and in its neighbours.

use std::ops::Range;
use std::sync::Mutex;

use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::schema::Field;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};

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

/// One field's analyzer and the terms it made of the words seen so far.
struct FieldForms {
    analyzer: TextAnalyzer,
    /// Word as written → the terms the field indexes for it (none for a word too long to
    /// index; a German compound gives its parts too).
    terms: FxHashMap<Box<str>, Box<[Box<str>]>>,
}

impl FieldForms {
    fn terms_of(&mut self, word: &str) -> &[Box<str>] {
        // Looked up before inserting: the key is copied only for a word not seen before.
        if !self.terms.contains_key(word) {
            if self.terms.len() >= REMEMBERED_WORDS {
                self.terms.clear();
            }
            let mut out = Vec::new();
            let mut stream = self.analyzer.token_stream(word);
            while let Some(token) = stream.next() {
                out.push(token.text.as_str().into());
            }
            self.terms.insert(word.into(), out.into_boxed_slice());
        }
        &self.terms[word]
    }
}

impl Highlighter {
    /// A highlighter for these fields, each with the analyzer that indexes it.
    pub fn new(analyzers: impl IntoIterator<Item = (Field, TextAnalyzer)>) -> Highlighter {
        let fields = analyzers
            .into_iter()
            .map(|(field, analyzer)| {
                let forms = FieldForms {
                    analyzer,
                    terms: FxHashMap::default(),
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
        let fields: Vec<(Field, &FxHashMap<String, Wanted>)> = fields
            .iter()
            .filter_map(|field| wanted.get(field).map(|w| (*field, w)))
            .collect();
        if fields.is_empty() {
            return Vec::new();
        }
        let mut forms = self
            .fields
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut matched: Vec<(usize, Range<usize>, Wanted)> = Vec::new();
        for (position, range) in words(text).enumerate() {
            let word = &text[range.clone()];
            let mut best: Option<Wanted> = None;
            for (field, wanted) in &fields {
                let Some(field_forms) = forms.get_mut(field) else {
                    continue;
                };
                for term in field_forms.terms_of(word) {
                    if let Some(how) = wanted.get(&**term) {
                        best = Some(best.map_or(*how, |b| b.min(*how)));
                    }
                }
            }
            if let Some(how) = best {
                matched.push((position, range, how));
            }
        }
        let positions: FxHashSet<usize> = matched.iter().map(|(pos, ..)| *pos).collect();
        matched
            .into_iter()
            .filter(|(pos, _, how)| {
                *how == Wanted::Alone
                    || positions.contains(&(pos + 1))
                    || pos
                        .checked_sub(1)
                        .is_some_and(|prev| positions.contains(&prev))
            })
            .map(|(_, range, _)| range)
            .collect()
    }
}

/// The words of `text` as tantivy's `SimpleTokenizer` cuts them (runs of alphanumeric
/// characters), which every analyzer of the index starts with: the n-th word here is at the
/// index position n. Written out because the tokenizer copies each word into a `String`.
fn words(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut chars = text.char_indices();
    std::iter::from_fn(move || {
        let start = chars.find(|(_, c)| c.is_alphanumeric())?.0;
        let end = chars
            .find(|(_, c)| !c.is_alphanumeric())
            .map_or(text.len(), |(i, _)| i);
        Some(start..end)
    })
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
    }

    #[test]
    fn words_are_the_simple_tokenizers_words() {
        for text in [
            "KI-Regulierung, d’IA (2024/1689) — über “Straße” … ½ x²",
            "",
            "  trailing ",
            "Ünïcödé wörds",
        ] {
            let mut tokenizer = SimpleTokenizer::default();
            let mut stream = tokenizer.token_stream(text);
            let mut expected = Vec::new();
            while let Some(token) = stream.next() {
                expected.push((token.position, token.offset_from..token.offset_to));
            }
            let found: Vec<_> = words(text).enumerate().collect();
            assert_eq!(found, expected, "{text:?}");
        }
    }
}
