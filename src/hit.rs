//! The search result value: one ranked passage, everything needed to print or cite it.

use serde::Serialize;

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
    /// The whole passage.
    pub text: String,
    /// Matched words as `[start, end)` offsets in characters (Unicode scalar values) of `text`.
    pub highlights: Vec<[usize; 2]>,
}
