//! TEMPORARY stub until the extraction module lands.
use crate::document::{Block, BlockKind, Document};
use std::path::Path;
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Text,
    Markdown,
}
impl Format {
    pub fn from_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "html" | "htm" => Some(Format::Html),
            "txt" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            _ => None,
        }
    }
}
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("binary")]
    Binary,
    #[error("empty")]
    Empty,
}
pub fn extract(bytes: &[u8], _format: Format) -> Result<Document, ExtractError> {
    if bytes.contains(&0) {
        return Err(ExtractError::Binary);
    }
    let text = String::from_utf8_lossy(bytes);
    let mut doc = Document::default();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        doc.blocks.push(Block {
            kind: if line.split_whitespace().count() < 8 && !line.ends_with('.') {
                BlockKind::Heading { level: 2 }
            } else {
                BlockKind::Paragraph
            },
            text: line.to_string(),
        });
    }
    if doc.blocks.is_empty() {
        return Err(ExtractError::Empty);
    }
    doc.meta.title = doc.blocks.first().map(|b| b.text.clone());
    Ok(doc)
}
