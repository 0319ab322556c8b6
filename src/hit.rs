//! The search result value: one ranked passage, everything needed to print or cite it.

use serde::Serialize;

use crate::document::Link;

/// A ranked passage. Serialised as one JSON object per line by `--json`; the field names are
/// the documented output schema.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// 1-based position in the result list (counting `--offset`).
    pub rank: usize,
    pub score: f32,
    /// `doc_id#pN`: stable while the document is unchanged.
    pub passage_id: String,
    pub doc_id: String,
    /// Position of the passage in its document (1-based).
    pub ordinal: u64,
    pub title: String,
    pub author: Option<String>,
    pub date: Option<String>,
    pub site: Option<String>,
    /// Document type: `law`, `news`, `article`, `report`, `web` or `text`.
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    pub url: Option<String>,
    pub lang: String,
    /// Path of the source file relative to the corpus folder.
    pub path: String,
    pub heading: Option<String>,
    /// The structural label of a passage of a law: "Artikel 5 Absatz 1", "Recital 27".
    pub section: Option<String>,
    /// The PDF page the passage starts on.
    pub page: Option<u64>,
    /// Ids of the same passage in other documents (copies, syndicated versions), which are
    /// not shown as hits of their own.
    pub also_in: Vec<String>,
    /// The passage's hyperlinks (web pages, Markdown), in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// The whole passage.
    pub text: String,
    /// Matched words as `[start, end)` offsets in characters (Unicode scalar values) of `text`.
    pub highlights: Vec<[usize; 2]>,
    /// The index state the hit came from: the live generation and its tantivy commit
    /// (`g000003:17`), so that a cited result list can be reproduced.
    pub generation: String,
    /// With `--per-doc`: on the last passage shown of a document, how many more of its
    /// passages matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub more_in_doc: Option<usize>,
    /// With `--explain`: why the passage matched and how its score adds up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<Explain>,
}

/// Why a passage matched: its matched words, and the parts of its score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explain {
    pub matches: Vec<WordMatch>,
    /// The score's parts, largest first; they add up to the score.
    pub score: Vec<ScorePart>,
}

/// A query word and a word of the passage it matched.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WordMatch {
    /// The word as the query has it.
    pub query: String,
    /// The word as the passage has it.
    pub passage: String,
    pub how: MatchKind,
    /// How often the passage has this word.
    pub count: usize,
}

/// The analysis through which a query word met a word of the passage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// The same word, up to case.
    Exact,
    /// The same word spelt another way: ß/ss, ä/ae, accents.
    Variant,
    /// Another form of the same word (the language's stemmer).
    Stem,
    /// The passage word is a compound with the query word as one of its parts
    /// (`KI-Regulierung`, `Datenschutzregulierung` for `Regulierung`).
    Compound,
    /// The passage word is a part of the query's compound (`Offensive` for
    /// `Investitionsoffensive`).
    Part,
    /// Matched, but by none of the above alone (a phrase, a field, the title).
    Other,
}

impl MatchKind {
    /// How the kind is named in text output.
    pub fn label(self) -> &'static str {
        match self {
            MatchKind::Exact => "exact",
            MatchKind::Variant => "spelling variant",
            MatchKind::Stem => "stem",
            MatchKind::Compound => "compound part",
            MatchKind::Part => "part of the query word",
            MatchKind::Other => "other",
        }
    }
}

/// One term's share of a score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScorePart {
    /// The index field (`text_de`, `text`, `title_de`, …).
    pub field: String,
    /// The indexed term (a stem in a language field), or several for a phrase.
    pub term: String,
    /// BM25 of the term (or phrase) in this passage, before boosts.
    pub bm25: f32,
    /// Product of the boosts the clause sits under (1 when none).
    pub boost: f32,
    /// What it adds to the score: `bm25 × boost`.
    pub points: f32,
}
