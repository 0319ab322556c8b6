//! One source file through extraction, passage splitting and language detection: everything
//! the indexer and `polsearch extract` take from a file, by one code path.
//!
//! No tantivy here: the result is plain data that the store writes.

use std::fs;
use std::io::Read;
use std::path::Path;

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::clean::Decision;
use crate::document::{Block, BlockKind, Document, Link, Metadata};
use crate::extract::{self, ExtractError, meta};
use crate::lang::LanguageDetector;
use crate::passage::{self, SplitReport};
use crate::source::SourceFile;
use crate::structure::{self, Section};

/// Files larger than this are skipped: no policy text is this long, and reading one would
/// cost the whole run its memory bound.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Language code for text whose language could not be told.
pub const UNKNOWN_LANG: &str = "und";

/// A passage with its language, ready to index.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct IngestedPassage {
    pub id: String,
    pub ordinal: u32,
    pub heading: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<Section>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    pub lang: String,
    pub text: String,
    /// Other documents holding this passage's text, not indexed there.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also_in: Vec<String>,
    /// The passage's hyperlinks (`polsearch extract --json` shows them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
}

/// A document ready to index: its metadata, language and passages.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct IngestedDoc {
    pub doc_id: String,
    pub path: String,
    pub title: String,
    pub meta: Metadata,
    pub lang: String,
    pub passages: Vec<IngestedPassage>,
    /// Paragraphs dropped because they repeat earlier text of the document.
    pub repeated: usize,
    /// One-line fragments not indexed on their own.
    pub fragments: usize,
    /// The document this one is a copy of (set by cross-document cleaning).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias_of: Option<String>,
    /// Page furniture the HTML extractor left out (newsletter boxes, share bars, comment
    /// threads, "Lesen Sie auch" lines), as text: counted in the summary, listed by
    /// `stats --dropped`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub furniture: Vec<String>,
    /// Blocks dropped as boilerplate shared with other documents of the site or folder.
    pub boilerplate: usize,
    /// Blocks dropped because another document holds them.
    pub duplicates: usize,
    /// The document's blocks as extracted, before cleaning: what cleaning sketches and
    /// what the passages are cut from again when it drops some.
    #[serde(skip)]
    pub blocks: Vec<Block>,
    /// Which of the blocks belong to a unit of a legal text (article, recital, annex), by
    /// position: found when the passages are first cut, and what cleaning's sketch needs
    /// (finding them again was a fiftieth of a build).
    #[serde(skip)]
    pub labelled: Vec<bool>,
}

/// Why a file could not be ingested; shown as `path: reason`.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    // Not a `source`: the reason is reported as one line, `cannot read: <why>`.
    #[error("cannot read: {0}")]
    Read(std::io::Error),
    #[error("too large ({size} bytes; the limit is {MAX_FILE_BYTES})")]
    TooLarge { size: u64 },
    #[error(transparent)]
    Extract(#[from] ExtractError),
    #[error("no text to index")]
    NoPassages,
    #[error("bad metadata sidecar {path}: {reason}")]
    Sidecar { path: String, reason: String },
}

impl From<std::io::Error> for IngestError {
    fn from(err: std::io::Error) -> Self {
        IngestError::Read(err)
    }
}

/// Reads, extracts and splits one corpus file: one document, or several for an export that
/// holds many.
pub fn ingest(
    file: &SourceFile,
    detector: &LanguageDetector,
) -> Result<Vec<IngestedDoc>, IngestError> {
    ingest_bytes(file, &read_bounded(&file.path)?, detector)
}

/// Extracts and splits the contents `bytes` of `file`, already read. Documents of a
/// multi-document file that have no text are left out; a file with no text at all fails.
pub fn ingest_bytes(
    file: &SourceFile,
    bytes: &[u8],
    detector: &LanguageDetector,
) -> Result<Vec<IngestedDoc>, IngestError> {
    let mut documents = extract::extract_with(bytes, file.format, file.rules.as_deref())?;
    // A sidecar describes a file that is one document; an export carries its own metadata.
    if documents.len() == 1
        && let Some(over) = read_sidecar(&file.path)?
    {
        meta::overlay(&mut documents[0].meta, over);
    }
    let docs: Vec<IngestedDoc> = documents
        .into_iter()
        .filter_map(|document| ingest_document(file, document, detector))
        .collect();
    if docs.is_empty() {
        return Err(IngestError::NoPassages);
    }
    Ok(docs)
}

fn ingest_document(
    file: &SourceFile,
    document: Document,
    detector: &LanguageDetector,
) -> Option<IngestedDoc> {
    let doc_id = match &document.key {
        Some(key) => format!("{}/{}", file.doc_id, crate::source::slug_part(key)),
        None => file.doc_id.clone(),
    };
    let title = document
        .meta
        .title
        .clone()
        .or_else(|| {
            document
                .blocks
                .iter()
                .find(|b| matches!(b.kind, BlockKind::Heading { .. }))
                .map(|b| b.text.clone())
        })
        .or_else(|| document.key.clone())
        .unwrap_or_else(|| file_stem(&file.path));
    let mut doc = IngestedDoc {
        doc_id,
        path: file.rel_path.clone(),
        title,
        meta: document.meta,
        lang: UNKNOWN_LANG.to_string(),
        passages: Vec::new(),
        repeated: 0,
        fragments: 0,
        alias_of: None,
        furniture: document.furniture,
        boilerplate: 0,
        duplicates: 0,
        blocks: document.blocks,
        labelled: Vec::new(),
    };
    doc.split(detector, None);
    (!doc.passages.is_empty()).then_some(doc)
}

impl IngestedDoc {
    /// Bytes of the passages' text: what the index holds of this document.
    pub fn text_bytes(&self) -> u64 {
        self.passages.iter().map(|p| p.text.len() as u64).sum()
    }

    /// Cuts the blocks into passages, all of them or those `decision` keeps, and tells their
    /// languages.
    fn split(&mut self, detector: &LanguageDetector, decision: Option<&Decision>) {
        let (
            passages,
            SplitReport {
                repeated,
                fragments,
            },
        ) = match decision {
            None => {
                let sections = structure::sections(&self.blocks);
                self.labelled = sections.iter().map(Option::is_some).collect();
                passage::split_in_sections(&self.blocks, sections)
            }
            Some(decision) => {
                let kept: Vec<Block> = self
                    .blocks
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !decision.dropped(*i as u32))
                    .map(|(_, b)| b.clone())
                    .collect();
                passage::split(&kept)
            }
        };
        self.repeated = repeated;
        self.fragments = fragments;
        let earlier_lang = std::mem::take(&mut self.lang);
        let earlier = std::mem::take(&mut self.passages);
        self.lang = detector
            .document_language(
                self.meta.lang.as_deref(),
                passages.iter().map(|p| p.text.as_str()),
            )
            .unwrap_or_else(|| UNKNOWN_LANG.to_string());
        // Cleaning cuts a document again after dropping a few blocks: most passages come
        // out as before, and their languages are known (detection is the costliest step).
        let known: FxHashMap<&str, &str> = if earlier_lang == self.lang {
            earlier
                .iter()
                .map(|p| (p.text.as_str(), p.lang.as_str()))
                .collect()
        } else {
            FxHashMap::default()
        };
        let doc_id = &self.doc_id;
        let lang = &self.lang;
        self.passages = passages
            .into_iter()
            .map(|p| IngestedPassage {
                id: format!("{doc_id}#p{}", p.ordinal),
                ordinal: p.ordinal,
                lang: match known.get(p.text.as_str()) {
                    Some(known) => known.to_string(),
                    None => detector
                        .passage_language_in(&p.text, lang)
                        .map_or_else(|| lang.clone(), str::to_string),
                },
                heading: p.heading,
                // The splitter words labels after the structural words alone; the
                // document's language (declared, else detected) is the better judge where
                // it is known.
                section: p.section.map(|s| {
                    if lang == UNKNOWN_LANG {
                        s
                    } else {
                        s.in_language(lang)
                    }
                }),
                page: p.page,
                text: p.text,
                also_in: Vec::new(),
                links: p.links,
            })
            .collect();
    }

    /// Applies the cross-document cleaning `decision`: drops the blocks it names (cutting
    /// the passages again when any is dropped) and lists, on the passages holding text that
    /// other documents have too, those documents.
    pub fn clean(&mut self, decision: &Decision, detector: &LanguageDetector) {
        self.alias_of = decision.alias_of.clone();
        self.boilerplate = decision.boilerplate.len();
        self.duplicates = decision.duplicates.len();
        if decision.drops() {
            self.split(detector, Some(decision));
        }
        // Passages keep their blocks' order, so one forward walk finds the passage of each
        // shared block: the one holding its text (or, for a long block cut into windows,
        // the first window).
        let mut cursor = 0;
        for (index, others) in &decision.also_in {
            let Some(block) = self.blocks.get(*index as usize) else {
                continue;
            };
            let head: String = block.text.chars().take(60).collect();
            let found = self.passages[cursor..]
                .iter()
                .position(|p| p.text.contains(&head) || head.starts_with(p.text.as_str()));
            if let Some(offset) = found {
                cursor += offset;
                let passage = &mut self.passages[cursor];
                for other in others {
                    if !passage.also_in.contains(other) {
                        passage.also_in.push(other.clone());
                    }
                }
            }
        }
    }
}

/// Reads a file of at most [`MAX_FILE_BYTES`].
pub fn read_bounded(path: &Path) -> Result<Vec<u8>, IngestError> {
    let size = fs::metadata(path)?.len();
    if size > MAX_FILE_BYTES {
        return Err(IngestError::TooLarge { size });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // `take` guards against a file that grows between the size check and the read.
    fs::File::open(path)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(IngestError::TooLarge {
            size: bytes.len() as u64,
        });
    }
    Ok(bytes)
}

/// The metadata of the sidecar beside `path` (`NAME.meta.json` with NAME the full file name,
/// else the name without its extension), `None` when there is none.
///
/// A sidecar that exists but cannot be used fails the file, so the mistake is reported
/// instead of the document quietly keeping the metadata its author meant to replace.
fn read_sidecar(path: &Path) -> Result<Option<Metadata>, IngestError> {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name().and_then(|n| n.to_str())) else {
        return Ok(None);
    };
    for candidate in meta::sidecar_names(name) {
        let sidecar = dir.join(&candidate);
        let bytes = match read_bounded(&sidecar) {
            Ok(bytes) => bytes,
            Err(IngestError::Read(err)) if err.kind() == std::io::ErrorKind::NotFound => continue,
            Err(err) => return Err(err),
        };
        let bad = |reason: String| IngestError::Sidecar {
            path: candidate.clone(),
            reason,
        };
        let text = String::from_utf8(bytes).map_err(|_| bad("not UTF-8".to_string()))?;
        return meta::parse_sidecar(&text)
            .map(Some)
            .map_err(|err| bad(err.to_string()));
    }
    Ok(None)
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default()
}
