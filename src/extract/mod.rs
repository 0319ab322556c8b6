//! Turns the bytes of one source file (HTML, plain text, Markdown, PDF, Word `.docx`, JSON
//! or JSON Lines) into [`Document`]s: a check that the bytes are what the file's name says,
//! decoding, main-content extraction, metadata and normalised text blocks.
//!
//! This module owns the file-format knowledge of polsearch and the single-line block text rule
//! ([`clean_line`]). It must not read files, detect languages, split passages or touch the
//! index: callers hand it bytes and get blocks back.

pub mod decode;
mod docx;
mod furniture;
mod html;
mod json;
mod markdown;
pub mod meta;
mod pdf;
mod sniff;
mod text;

use std::path::Path;

use crate::config::HtmlRules;
use crate::document::{Block, BlockKind, Document, Link};

pub use decode::decode;
pub(crate) use meta::normalize_date;

/// The source formats polsearch can extract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An HTML page, from a full web page to a bare fragment.
    Html,
    /// Plain text, hard-wrapped or one paragraph per line.
    Text,
    /// CommonMark with optional YAML-style front matter.
    Markdown,
    /// A PDF with a text layer; each block knows its page.
    Pdf,
    /// A Word document (Office Open XML).
    Docx,
    /// One JSON document: an object, an array of objects, or an object holding such an array.
    Json,
    /// JSON Lines: one object a line, each a document.
    JsonLines,
}

impl Format {
    /// The extensions polsearch reads, as help and error messages list them.
    pub const EXTENSIONS: &'static str =
        ".txt, .md, .html, .htm, .pdf, .docx, .json, .jsonl, .ndjson";

    /// The format a file's extension names (`.html`/`.htm`, `.txt`, `.md`/`.markdown`, `.pdf`,
    /// `.docx`, `.json`, `.jsonl`/`.ndjson`, any case), or `None` for anything else.
    ///
    /// A metadata sidecar (`NAME.meta.json`) is `None` too: it describes a document and is
    /// read with it, it is not one.
    pub fn from_path(path: &Path) -> Option<Format> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        if name.ends_with(".meta.json") {
            return None;
        }
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "html" | "htm" => Some(Format::Html),
            "txt" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            "pdf" => Some(Format::Pdf),
            "docx" => Some(Format::Docx),
            "json" => Some(Format::Json),
            "jsonl" | "ndjson" => Some(Format::JsonLines),
            _ => None,
        }
    }

    /// The format as messages name it: its usual extension.
    pub fn name(self) -> &'static str {
        match self {
            Format::Html => ".html",
            Format::Text => ".txt",
            Format::Markdown => ".md",
            Format::Pdf => ".pdf",
            Format::Docx => ".docx",
            Format::Json => ".json",
            Format::JsonLines => ".jsonl",
        }
    }
}

/// Why a file yields no document.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// The bytes are not text: NUL bytes or mostly control characters.
    #[error("input looks binary, not text")]
    Binary,
    /// The bytes could not be read in any known character encoding.
    #[error("input is not decodable as text in any known encoding")]
    Undecodable,
    /// Decoding or extraction left no text at all.
    #[error("no text left after extraction")]
    Empty,
    /// The bytes are another kind of file than the name says (a PDF named `.html`).
    #[error("named {named} but the bytes are {found}")]
    Mismatch {
        named: &'static str,
        found: &'static str,
    },
    /// A PDF whose pages hold no text, only images: a scan.
    #[error("PDF has no text layer (scanned image?); run OCR first")]
    NoTextLayer,
    /// A PDF that needs a password to be read.
    #[error("PDF is encrypted; polsearch cannot read it without the password")]
    Encrypted,
    /// The file is of the named kind but broken inside.
    #[error("not a readable {format} file: {reason}")]
    Malformed {
        format: &'static str,
        reason: String,
    },
    /// A JSON or JSON Lines file with no record polsearch can take as a document.
    #[error("no usable record: {0}")]
    NoRecords(String),
}

/// Checks that the bytes are what `format` says, decodes them and extracts metadata and blocks
/// in that format; metadata the format's markup leaves open is completed from the running
/// text ([`meta::complete`]).
///
/// Most files are one document; an export (JSON, JSON Lines) holds several, each with its
/// [`Document::key`]. This is the one entry point the indexer and `polsearch extract FILE` use.
pub fn extract(bytes: &[u8], format: Format) -> Result<Vec<Document>, ExtractError> {
    extract_with(bytes, format, None)
}

/// [`extract`], with the corpus's drop/keep selectors for an HTML page.
pub fn extract_with(
    bytes: &[u8],
    format: Format,
    rules: Option<&HtmlRules>,
) -> Result<Vec<Document>, ExtractError> {
    sniff::check(bytes, format)?;
    let (doc, default_type) = match format {
        Format::Pdf => (pdf::extract_pdf(bytes)?, meta::doc_type::REPORT),
        Format::Docx => (docx::extract_docx(bytes)?, meta::doc_type::REPORT),
        Format::Json | Format::JsonLines => {
            return json::extract_json(&decode(bytes, format)?, format);
        }
        Format::Html => {
            let text = decode(bytes, format)?;
            let doc = match rules {
                Some(rules) => html::extract_html(&html::apply_rules(&text, rules)),
                None => html::extract_html(&text),
            };
            (doc, meta::doc_type::WEB)
        }
        Format::Text => (
            text::extract_text(&decode(bytes, format)?),
            meta::doc_type::TEXT,
        ),
        Format::Markdown => (
            markdown::extract_markdown(&decode(bytes, format)?),
            meta::doc_type::TEXT,
        ),
    };
    Ok(vec![complete(doc, default_type)?])
}

/// Fails a document without blocks, and completes the metadata of one with some.
fn complete(mut doc: Document, default_type: &str) -> Result<Document, ExtractError> {
    if doc.blocks.is_empty() {
        return Err(ExtractError::Empty);
    }
    meta::complete(&mut doc.meta, &doc.blocks, default_type);
    Ok(doc)
}

/// Normalises text to the one-line form every [`Block::text`] has: whitespace runs (NBSP,
/// tabs and newlines included) become one space, the ends are trimmed, and control, bidi
/// override and invisible format characters (soft hyphen, zero-width space/joiners, BOM)
/// are dropped.
pub fn clean_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // Leading whitespace is trimmed for free: a space is only owed after some text.
    let mut pending_space = false;
    let bytes = s.as_bytes();
    let mut at = 0;
    // Every line of every file passes through here: runs of printable ASCII are copied
    // whole, and only other characters are looked at one by one.
    while at < bytes.len() {
        let b = bytes[at];
        if b.is_ascii_graphic() {
            let start = at;
            while at < bytes.len() && bytes[at].is_ascii_graphic() {
                at += 1;
            }
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push_str(&s[start..at]);
            continue;
        }
        // `at` is at a character boundary: runs end before a non-ASCII byte's character.
        let Some(c) = s[at..].chars().next() else {
            break;
        };
        at += c.len_utf8();
        if c.is_whitespace() {
            pending_space = !out.is_empty();
        } else if is_invisible(c) {
            // Dropped without a space: a soft hyphen or zero-width joiner sits inside a word.
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Characters that carry no visible text: C0/C1 controls (whitespace ones are handled before),
/// bidi embeddings/overrides/isolates and marks, zero-width characters, soft hyphen, BOM.
pub(crate) fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// Appends a block of `kind` holding the cleaned `text`, unless nothing is left of it.
pub(crate) fn push_block(blocks: &mut Vec<Block>, kind: BlockKind, text: &str) {
    push_linked_block(blocks, kind, text, Vec::new());
}

/// [`push_block`] for a block with hyperlinks; the links go with the text or not at all.
fn push_linked_block(blocks: &mut Vec<Block>, kind: BlockKind, text: &str, links: Vec<Link>) {
    let text = clean_line(text);
    if !text.is_empty() {
        blocks.push(Block {
            links,
            ..Block::new(kind, text)
        });
    }
}

/// The links worth keeping as references, made absolute against `base` (the page's `<base
/// href>` or its own url): http(s) targets only, no in-page anchors, `mailto:` or
/// `javascript:`; a relative link on a page of unknown address is dropped.
pub(crate) fn resolve_links(links: Vec<Link>, base: Option<&str>) -> Vec<Link> {
    let base = base.and_then(|b| url::Url::parse(b).ok());
    links
        .into_iter()
        .filter_map(|link| {
            let href = link.url.trim();
            if href.starts_with('#') {
                return None;
            }
            let absolute = match (url::Url::parse(href), &base) {
                (Ok(url), _) => url,
                (Err(url::ParseError::RelativeUrlWithoutBase), Some(base)) => {
                    base.join(href).ok()?
                }
                _ => return None,
            };
            if !matches!(absolute.scheme(), "http" | "https") || absolute.host_str().is_none() {
                return None;
            }
            Some(Link {
                url: absolute.to_string(),
                ..link
            })
        })
        .collect()
}

/// An open table row: its finished cells and the table nesting depth it belongs to.
struct Row {
    cells: Vec<String>,
    table_depth: usize,
}

/// Turns a stream of structure events (from an HTML walk or Markdown parser) into blocks.
///
/// Text accumulates until a block boundary; it then becomes one block of the innermost kind
/// pushed (paragraph when none). Inside a table row, boundaries only separate words: a row
/// is one block, its cells joined by [`join_cells`]. A table nested in a cell splits the
/// outer row, so sub-points come out as blocks of their own instead of one giant row.
#[derive(Default)]
pub(crate) struct BlockBuilder {
    blocks: Vec<Block>,
    buf: String,
    kinds: Vec<BlockKind>,
    rows: Vec<Row>,
    table_depth: usize,
    /// Open lists, innermost last: the next item number of an ordered list, `None` otherwise.
    lists: Vec<Option<u64>>,
    /// An item number waiting for the item's first text (which may sit in a nested paragraph).
    prefix: Option<String>,
    /// Hyperlinks of the text being built: finished ones, and the open one's target and
    /// where its anchor text starts in the buffer.
    links: Vec<Link>,
    open_link: Option<(String, usize)>,
}

impl BlockBuilder {
    fn kind(&self) -> BlockKind {
        self.kinds.last().copied().unwrap_or(BlockKind::Paragraph)
    }

    /// Whether text currently belongs to a cell of the innermost table's open row.
    fn in_row(&self) -> bool {
        self.rows
            .last()
            .is_some_and(|r| r.table_depth == self.table_depth)
    }

    /// Appends running text; whitespace is normalised when the block is emitted.
    pub(crate) fn text(&mut self, text: &str) {
        self.buf.push_str(text);
    }

    /// Starts a hyperlink to `url` at this point of the running text.
    pub(crate) fn start_link(&mut self, url: &str) {
        let url = url.trim();
        if !url.is_empty() {
            self.open_link = Some((url.to_string(), self.buf.len()));
        }
    }

    /// Ends the open hyperlink, if any. A link whose text was cut by a block boundary keeps
    /// the part in the current block.
    pub(crate) fn end_link(&mut self) {
        if let Some((url, start)) = self.open_link.take() {
            let text = clean_line(self.buf.get(start..).unwrap_or_default());
            self.links.push(Link { url, text });
        }
    }

    /// A line break inside running text.
    pub(crate) fn space(&mut self) {
        self.buf.push(' ');
    }

    /// Ends the running text: a block of its own, or, inside a row, just a word break.
    pub(crate) fn boundary(&mut self) {
        if self.in_row() {
            self.space();
        } else {
            self.flush();
        }
    }

    /// Starts text of `kind` (heading, list item, quote), ending the text before it.
    pub(crate) fn push_kind(&mut self, kind: BlockKind) {
        self.boundary();
        self.kinds.push(kind);
    }

    /// Ends the text of the innermost kind pushed.
    pub(crate) fn pop_kind(&mut self) {
        self.boundary();
        self.kinds.pop();
        // A number of an item without text is no text either.
        self.prefix = None;
    }

    /// Opens a list; `Some(start)` numbers its items from `start`, as a reader sees them.
    pub(crate) fn start_list(&mut self, start: Option<u64>) {
        self.boundary();
        self.lists.push(start);
    }

    pub(crate) fn end_list(&mut self) {
        self.boundary();
        self.lists.pop();
    }

    /// Starts a list item, prefixed with its number in an ordered list: numbered points are
    /// cited by number ("Nummer 49"), so the number is text worth finding.
    pub(crate) fn start_item(&mut self) {
        self.push_kind(BlockKind::ListItem);
        if let Some(Some(n)) = self.lists.last_mut() {
            let number = format!("{n}. ");
            *n += 1;
            if self.in_row() {
                self.buf.push_str(&number);
            } else {
                self.prefix = Some(number);
            }
        }
    }

    pub(crate) fn start_table(&mut self) {
        if self.in_row() {
            self.emit_row();
        } else {
            self.flush();
        }
        self.table_depth += 1;
    }

    pub(crate) fn end_table(&mut self) {
        if !self.in_row() {
            self.flush();
        }
        self.table_depth = self.table_depth.saturating_sub(1);
    }

    pub(crate) fn start_row(&mut self) {
        self.boundary();
        self.rows.push(Row {
            cells: Vec::new(),
            table_depth: self.table_depth,
        });
    }

    pub(crate) fn end_row(&mut self) {
        if self.in_row() {
            self.emit_row();
            self.rows.pop();
        } else {
            self.boundary();
        }
    }

    /// Closes the current cell (called at both a cell's start and end: empty cells vanish).
    pub(crate) fn end_cell(&mut self) {
        if !self.in_row() {
            self.boundary();
            return;
        }
        self.end_link_for_flush();
        let cell = clean_line(&self.buf);
        self.buf.clear();
        if !cell.is_empty()
            && let Some(row) = self.rows.last_mut()
        {
            row.cells.push(cell);
        }
    }

    fn flush(&mut self) {
        // An open link goes on in the next block, from its start.
        self.end_link_for_flush();
        let links = std::mem::take(&mut self.links);
        if self.buf.chars().any(|c| !c.is_whitespace()) {
            if let Some(prefix) = self.prefix.take() {
                self.buf.insert_str(0, &prefix);
            }
            let kind = self.kind();
            push_linked_block(&mut self.blocks, kind, &self.buf, links);
        }
        self.buf.clear();
    }

    /// Closes the open link for the text so far, and reopens it at the start of what follows.
    fn end_link_for_flush(&mut self) {
        if let Some((url, start)) = self.open_link.take() {
            let text = clean_line(self.buf.get(start..).unwrap_or_default());
            if !text.is_empty() {
                self.links.push(Link {
                    url: url.clone(),
                    text,
                });
            }
            self.open_link = Some((url, 0));
        }
    }

    /// Emits the open row's cells so far as one block.
    fn emit_row(&mut self) {
        self.end_cell();
        let kind = self.kind();
        let links = std::mem::take(&mut self.links);
        if let Some(row) = self.rows.last_mut() {
            let cells = std::mem::take(&mut row.cells);
            push_linked_block(&mut self.blocks, kind, &join_cells(&cells), links);
        }
    }

    /// Emits any open text and rows and returns the blocks.
    pub(crate) fn finish(mut self) -> Vec<Block> {
        while !self.rows.is_empty() {
            self.table_depth = self.rows.last().map_or(0, |r| r.table_depth);
            self.end_row();
        }
        self.flush();
        self.blocks
    }
}

/// Joins row cells with " | ", except after an enumeration label such as "(a)" or "1.",
/// where a space reads as the original numbered point does.
pub(crate) fn join_cells(cells: &[String]) -> String {
    let mut out = String::new();
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push_str(if is_enum_label(&cells[i - 1]) {
                " "
            } else {
                " | "
            });
        }
        out.push_str(cell);
    }
    out
}

/// A bare enumeration label: "1.", "(a)", "iv)", "(12)", "—", "•". Undecorated numbers such
/// as "12" are not labels: they are table data far more often.
pub(crate) fn is_enum_label(s: &str) -> bool {
    let s = s.trim();
    if matches!(s, "—" | "–" | "-" | "•" | "·" | "*" | "▪") {
        return true;
    }
    let inner = s.strip_prefix('(').unwrap_or(s);
    let inner = inner
        .strip_suffix(')')
        .or_else(|| inner.strip_suffix('.'))
        .unwrap_or(inner);
    let decorated = inner.len() != s.len();
    decorated
        && !inner.is_empty()
        && inner.len() <= 4
        && (inner.bytes().all(|b| b.is_ascii_digit())
            || inner.bytes().all(|b| b.is_ascii_alphabetic()))
}

/// Cleans a metadata value the same way as block text; `None` when nothing is left.
pub(crate) fn clean_meta(s: &str) -> Option<String> {
    Some(clean_line(s)).filter(|t| !t.is_empty())
}

/// Counts whitespace-separated words: the unit used by the legal-text fallback rule and by
/// extraction reports.
pub(crate) fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_from_path_is_case_insensitive() {
        assert_eq!(Format::from_path(Path::new("a/b.HTML")), Some(Format::Html));
        assert_eq!(Format::from_path(Path::new("x.htm")), Some(Format::Html));
        assert_eq!(Format::from_path(Path::new("x.Txt")), Some(Format::Text));
        assert_eq!(Format::from_path(Path::new("x.md")), Some(Format::Markdown));
        assert_eq!(
            Format::from_path(Path::new("x.markdown")),
            Some(Format::Markdown)
        );
        assert_eq!(Format::from_path(Path::new("x.PDF")), Some(Format::Pdf));
        assert_eq!(Format::from_path(Path::new("x.docx")), Some(Format::Docx));
        assert_eq!(Format::from_path(Path::new("x.json")), Some(Format::Json));
        assert_eq!(
            Format::from_path(Path::new("x.ndjson")),
            Some(Format::JsonLines)
        );
        assert_eq!(Format::from_path(Path::new("x.txt.meta.json")), None);
        assert_eq!(Format::from_path(Path::new("x.Meta.JSON")), None);
        assert_eq!(Format::from_path(Path::new("x.doc")), None);
        assert_eq!(Format::from_path(Path::new("README")), None);
    }

    #[test]
    fn clean_line_collapses_whitespace_and_drops_invisibles() {
        assert_eq!(
            clean_line("  Regu\u{00AD}lierung\u{00A0}\tder\n\r KI  "),
            "Regulierung der KI"
        );
        assert_eq!(clean_line("a\u{202E}b\u{2066}c\u{2069}"), "abc");
        assert_eq!(clean_line("x\u{0007}y\u{0085}z\u{009B}"), "xy z");
        assert_eq!(clean_line("zero\u{200B}width\u{FEFF}"), "zerowidth");
        assert_eq!(clean_line(" \u{00A0}\u{200B} "), "");
    }

    #[test]
    fn clean_line_equals_its_character_by_character_definition() {
        let reference = |s: &str| -> String {
            let mut out = String::new();
            let mut pending_space = false;
            for c in s.chars() {
                if c.is_whitespace() {
                    pending_space = !out.is_empty();
                } else if !is_invisible(c) {
                    if pending_space {
                        out.push(' ');
                        pending_space = false;
                    }
                    out.push(c);
                }
            }
            out
        };
        let pieces = [
            "Regu",
            "\u{00AD}",
            " ",
            "\t\n",
            "ß",
            "\u{00A0}",
            "KI",
            "\u{200B}",
            "\u{0007}",
            "\u{001C}",
            "\u{0085}",
            "é",
            "x",
            "\u{7F}",
            "  ",
            "Ω",
            "\u{3000}",
            "1689/2024",
        ];
        // Every sequence of three pieces, and long mixtures from a fixed walk.
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let s = format!("{a}{b}{c}");
                    assert_eq!(clean_line(&s), reference(&s), "{s:?}");
                }
            }
        }
        let mut state = 7usize;
        let mut s = String::new();
        for _ in 0..2000 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            s.push_str(pieces[(state >> 33) % pieces.len()]);
        }
        assert_eq!(clean_line(&s), reference(&s));
    }

    #[test]
    fn dates_normalise_to_iso() {
        assert_eq!(
            normalize_date("2024-07-12T10:00:00+02:00").as_deref(),
            Some("2024-07-12")
        );
        assert_eq!(normalize_date("2024/7/2").as_deref(), Some("2024-07-02"));
        assert_eq!(normalize_date("12.7.2024").as_deref(), Some("2024-07-12"));
        assert_eq!(normalize_date("1.3.2099.").as_deref(), Some("2099-03-01"));
        assert_eq!(normalize_date("2019-06").as_deref(), Some("2019-06"));
        assert_eq!(normalize_date("2019").as_deref(), Some("2019"));
        assert_eq!(normalize_date("2019-13-01"), None);
        assert_eq!(normalize_date("yesterday"), None);
        assert_eq!(normalize_date(""), None);
    }

    #[test]
    fn extract_rejects_empty_and_binary() {
        assert!(matches!(
            extract(b"", Format::Text),
            Err(ExtractError::Empty)
        ));
        assert!(matches!(
            extract(
                b"<html><body><script>x()</script></body></html>",
                Format::Html
            ),
            Err(ExtractError::Empty)
        ));
        assert!(matches!(
            extract(b"ab\0\0cd", Format::Markdown),
            Err(ExtractError::Binary)
        ));
    }

    /// Hostile inputs must yield a document or an error, never a panic.
    #[test]
    fn no_extractor_panics_on_hostile_input() {
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let random: Vec<u8> = (0..20_000)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                (seed >> 24) as u8
            })
            .collect();
        let random_no_nul: Vec<u8> = random.iter().map(|b| b.max(&1)).copied().collect();
        // Deep enough to bypass trafilatura; html5ever's scope checks make deeper nesting
        // quadratic to parse, which a debug-mode test need not pay for.
        let nested = format!(
            "<html><body>{}deep text{}</body></html>",
            "<div><span>".repeat(3_000),
            "</span></div>".repeat(3_000)
        );
        let pieces = [
            "<p>",
            "</p>",
            "<table><tr><td>",
            "</td>",
            "<li>",
            "<h2>",
            "Wort ",
            "&amp;",
        ];
        let soup: String = random
            .iter()
            .take(4_000)
            .map(|b| pieces[usize::from(*b) % pieces.len()])
            .collect();
        let one_line = "Wort ".repeat(200_000);
        let prefixed = |prefix: &[u8]| [prefix, &random[..4_000]].concat();
        let inputs: Vec<Vec<u8>> = vec![
            prefixed(b"%PDF-1.7\n"),
            prefixed(b"PK\x03\x04"),
            b"%PDF-1.4\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj trailer <</Root 1 0 R>>"
                .to_vec(),
            br#"{"documents": [{"text": [null, 5, {"name": []}]}, 7, "x"], "title": {}}"#.to_vec(),
            b"{\"text\": \"a\"}\n{\n[\n".to_vec(),
            random,
            random_no_nul,
            b"<html><body><p>trunc<div><table><tr><td>cell<ul><li".to_vec(),
            b"<<<>>><p<</p>&#0;&#xD800;&#99999999;<!-- never closed".to_vec(),
            b"---\ntitle: only front matter".to_vec(),
            b"#\n##\n|a|\n|-|\n```".to_vec(),
            nested.into_bytes(),
            soup.into_bytes(),
            one_line.into_bytes(),
            vec![b'-'; 5000],
            "\u{00AD}\u{200B}\u{202E}".as_bytes().to_vec(),
            vec![0xFF, 0xFE, 0x00],
            vec![0xFE, 0xFF, 0xD8],
        ];
        for input in &inputs {
            for format in [
                Format::Html,
                Format::Text,
                Format::Markdown,
                Format::Pdf,
                Format::Docx,
                Format::Json,
                Format::JsonLines,
            ] {
                if let Ok(docs) = extract(input, format) {
                    for block in docs.iter().flat_map(|doc| &doc.blocks) {
                        assert!(!block.text.is_empty());
                        assert_eq!(block.text, clean_line(&block.text));
                    }
                }
            }
        }
    }
}
