//! The value every extractor produces: a document's metadata and its text as ordered blocks.
//!
//! This module owns the shape of extracted text only; it reads no files and knows nothing of
//! passages, languages or the index.

use serde::Serialize;

/// What a block of text is in its document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// A heading; `level` 1 is the top (`<h1>`, `#`), deeper levels count up.
    Heading { level: u8 },
    /// A paragraph of running text.
    Paragraph,
    /// One item of a bulleted or numbered list.
    ListItem,
    /// A block quotation.
    Quote,
}

/// One unit of text in reading order: a heading, a paragraph, a list item or a quote.
///
/// `text` holds a single line of normalised text: whitespace runs collapsed to one space,
/// no leading or trailing space, no soft hyphens or control characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
    /// The page the block starts on, 1-based, where the source has pages (PDF).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// The hyperlinks in the block, in order: what a web page cites is mostly linked, not
    /// named.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
}

impl Block {
    /// A block of `kind` with `text`, on no particular page.
    pub fn new(kind: BlockKind, text: impl Into<String>) -> Block {
        Block {
            kind,
            text: text.into(),
            page: None,
            links: Vec::new(),
        }
    }
}

/// A hyperlink: where it points and the words that carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    /// The target as written in the source (`href`), made absolute where the document's own
    /// url allows it.
    pub url: String,
    /// The anchor text, normalised like block text; may be empty (a linked image).
    pub text: String,
}

/// What is known about a document besides its text. Every field is optional: extractors
/// fill what their input states, nothing is guessed here (the rules live in
/// `extract::meta`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Metadata {
    pub title: Option<String>,
    pub author: Option<String>,
    /// Publication date as ISO 8601 `YYYY-MM-DD` (or `YYYY-MM`, `YYYY` when that is all there is).
    pub date: Option<String>,
    /// Site or publisher name.
    pub site: Option<String>,
    pub url: Option<String>,
    /// Language the document declares for itself (`<html lang>`, metadata), as ISO 639-1.
    pub lang: Option<String>,
    /// What kind of document this is: `law`, `news`, `article`, `report`, `web` or `text`
    /// (a sidecar or front matter may name another). Serialised as `type`.
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
}

/// A source file after extraction: metadata plus its blocks in reading order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Document {
    /// The document's own name inside a file that holds several (a JSON Lines record's
    /// `id`), from which its document id is made; `None` for a file that is one document.
    pub key: Option<String>,
    pub meta: Metadata,
    pub blocks: Vec<Block>,
    /// Text left out as page furniture (newsletter boxes, share bars, "Lesen Sie auch"
    /// lines, comment sections): each removed element's text, then each dropped block's, in
    /// document order within each; so a run can count and show what it did not index.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub furniture: Vec<String>,
}
