//! Word (`.docx`, Office Open XML) to blocks: the paragraphs of `word/document.xml` with their
//! heading and list styles, tables row by row, and title, author and date from
//! `docProps/core.xml`.
//!
//! This module owns the reading of the Word package. It must not render anything: tracked
//! deletions, field codes, comments, headers and footers are not part of the running text.
//!
//! Built on `zip` and `quick-xml` rather than a Word crate: the text needs a small walk over
//! one XML part, and the Word crates are mostly writers whose readers pull in much more.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use super::{BlockBuilder, ExtractError, clean_meta, meta};
use crate::document::{BlockKind, Document, Metadata};

/// A part larger than this, unpacked, is not read: a policy text is far smaller, and a
/// compressed part can unpack to many times its size.
const MAX_PART_BYTES: u64 = 128 * 1024 * 1024;

/// What a paragraph style makes of its paragraphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Heading(u8),
    List,
}

/// Extracts a Word document.
///
/// # Errors
///
/// [`ExtractError::Malformed`] when the file is not a ZIP archive holding
/// `word/document.xml`, or that part is not XML.
pub(crate) fn extract_docx(bytes: &[u8]) -> Result<Document, ExtractError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(malformed)?;
    let body = part(&mut archive, "word/document.xml")?
        .ok_or_else(|| malformed("it holds no word/document.xml (not a Word document)"))?;
    let styles = part(&mut archive, "word/styles.xml")?
        .map(|xml| styles(&xml))
        .unwrap_or_default();
    let meta = part(&mut archive, "docProps/core.xml")?
        .map(|xml| core_properties(&xml))
        .unwrap_or_default();
    Ok(Document {
        key: None,
        meta,
        blocks: blocks(&body, &styles)?.finish(),
        ..Document::default()
    })
}

fn malformed(reason: impl std::fmt::Display) -> ExtractError {
    ExtractError::Malformed {
        format: ".docx",
        reason: reason.to_string(),
    }
}

/// The text of one part of the package, `None` when it is absent.
fn part(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
) -> Result<Option<String>, ExtractError> {
    let file = match archive.by_name(name) {
        Ok(file) => file,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(err) => return Err(malformed(format!("{name}: {err}"))),
    };
    let mut bytes = Vec::new();
    file.take(MAX_PART_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| malformed(format!("{name}: {err}")))?;
    if bytes.len() as u64 > MAX_PART_BYTES {
        return Err(malformed(format!(
            "{name} unpacks to more than {MAX_PART_BYTES} bytes"
        )));
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| malformed(format!("{name} is not UTF-8")))
}

/// The `w:val` attribute of an element.
fn val(element: &BytesStart) -> Option<String> {
    attr(element, "val")
}

/// The attribute `local` (any prefix) of an element.
fn attr(element: &BytesStart, local: &str) -> Option<String> {
    element
        .attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// The heading and list paragraph styles of `word/styles.xml`, by style id.
///
/// Style ids are localised (a German Word names "Heading 1" `berschrift1`), so a style is
/// judged by its name ("heading 1", "Title", "List Paragraph") and its outline level.
fn styles(xml: &str) -> HashMap<String, Style> {
    let mut out = HashMap::new();
    let mut reader = Reader::from_str(xml);
    let mut current: Option<(String, Option<Style>)> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                "style" => current = attr(&e, "styleId").map(|id| (id, None)),
                "name" => {
                    if let (Some((_, style)), Some(name)) = (current.as_mut(), val(&e)) {
                        *style = style.or_else(|| style_by_name(&name));
                    }
                }
                "outlineLvl" => {
                    if let (Some((_, style)), Some(level)) =
                        (current.as_mut(), val(&e).and_then(|v| v.parse::<u8>().ok()))
                        && level < 9
                    {
                        *style = Some(Style::Heading(level + 1));
                    }
                }
                _ => {}
            },
            Ok(Event::End(e)) if e.local_name().as_ref() == "style" => {
                if let Some((id, Some(style))) = current.take() {
                    out.insert(id, style);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// A style from its name (or, without `styles.xml`, its id): "heading 2", "Heading2",
/// "Title", "List Paragraph", "List Bullet".
fn style_by_name(name: &str) -> Option<Style> {
    let lower = name.to_lowercase().replace(' ', "");
    if lower == "title" {
        return Some(Style::Heading(1));
    }
    if let Some(level) = lower.strip_prefix("heading") {
        return level
            .parse::<u8>()
            .ok()
            .filter(|l| (1..=9).contains(l))
            .map(Style::Heading);
    }
    lower.starts_with("list").then_some(Style::List)
}

/// The blocks of `word/document.xml`.
fn blocks(xml: &str, styles: &HashMap<String, Style>) -> Result<BlockBuilder, ExtractError> {
    let mut reader = Reader::from_str(xml);
    let mut builder = BlockBuilder::default();
    let mut paragraph = String::new();
    let mut kind = BlockKind::Paragraph;
    let mut in_text = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|err| malformed(format!("word/document.xml: {err}")))?;
        match event {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "p" => {
                    paragraph.clear();
                    kind = BlockKind::Paragraph;
                }
                "pStyle" => {
                    let style = val(&e)
                        .and_then(|id| styles.get(&id).copied().or_else(|| style_by_name(&id)));
                    kind = match style {
                        Some(Style::Heading(level)) => BlockKind::Heading { level },
                        Some(Style::List) => BlockKind::ListItem,
                        None => kind,
                    };
                }
                "outlineLvl" => {
                    if let Some(level) = val(&e).and_then(|v| v.parse::<u8>().ok())
                        && level < 9
                    {
                        kind = BlockKind::Heading { level: level + 1 };
                    }
                }
                "numPr" if kind == BlockKind::Paragraph => kind = BlockKind::ListItem,
                "t" => in_text = true,
                "tab" | "br" | "cr" => paragraph.push(' '),
                "tbl" => builder.start_table(),
                "tr" => builder.start_row(),
                "tc" => builder.end_cell(),
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" => {
                    builder.push_kind(kind);
                    builder.text(&paragraph);
                    builder.pop_kind();
                    paragraph.clear();
                    kind = BlockKind::Paragraph;
                }
                "tc" => builder.end_cell(),
                "tr" => builder.end_row(),
                "tbl" => builder.end_table(),
                _ => {}
            },
            Event::Text(t) if in_text => paragraph.push_str(&t.xml10_content()),
            Event::CData(t) if in_text => paragraph.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    paragraph.push(c);
                } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&r) {
                    paragraph.push_str(s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(builder)
}

/// Title, author, creation date and language from `docProps/core.xml`.
fn core_properties(xml: &str) -> Metadata {
    let mut reader = Reader::from_str(xml);
    let mut values: HashMap<String, String> = HashMap::new();
    let mut current: Option<String> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => current = Some(e.local_name().as_ref().to_string()),
            Ok(Event::Text(t)) => {
                if let Some(name) = &current {
                    values
                        .entry(name.clone())
                        .or_default()
                        .push_str(&t.xml10_content());
                }
            }
            Ok(Event::GeneralRef(r)) => {
                if let (Some(name), Some(s)) =
                    (&current, quick_xml::escape::resolve_predefined_entity(&r))
                {
                    values.entry(name.clone()).or_default().push_str(s);
                }
            }
            Ok(Event::End(_)) => current = None,
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    let get = |key: &str| values.get(key).and_then(|v| clean_meta(v));
    Metadata {
        title: get("title"),
        author: get("creator").and_then(|a| meta::plausible_author(&a, None)),
        date: get("created").and_then(|d| meta::normalize_date(&d)),
        lang: get("language").and_then(|l| meta::language_code(&l)),
        ..Metadata::default()
    }
}

#[cfg(test)]
#[path = "../../tests/util/docx.rs"]
mod fixture;

#[cfg(test)]
mod tests {
    use super::*;

    const P: BlockKind = BlockKind::Paragraph;

    #[test]
    fn paragraphs_headings_lists_and_tables() {
        let doc = extract_docx(&fixture::guideline_docx()).expect("a document");
        let got: Vec<(BlockKind, &str)> = doc
            .blocks
            .iter()
            .map(|b| (b.kind, b.text.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    BlockKind::Heading { level: 1 },
                    "Leitfaden für KI in Behörden"
                ),
                (
                    P,
                    "Behörden setzen KI-Systeme nur ein, wenn Zweck & Risiken dokumentiert sind."
                ),
                (BlockKind::Heading { level: 2 }, "Pflichten der Anbieter"),
                (BlockKind::ListItem, "Dokumentation der Trainingsdaten"),
                (BlockKind::ListItem, "Prüfung auf Verzerrungen"),
                (P, "Stufe | Aufsicht"),
                (P, "hoch | Landesbehörde"),
                (P, "Der Leitfaden gilt ab dem ersten Januar."),
            ]
        );
        assert_eq!(
            doc.meta.title.as_deref(),
            Some("Leitfaden für KI in Behörden")
        );
        assert_eq!(doc.meta.author.as_deref(), Some("Erika Mustermann"));
        assert_eq!(doc.meta.date.as_deref(), Some("2024-03-05"));
    }

    #[test]
    fn broken_packages_are_errors() {
        let err = extract_docx(b"PK\x03\x04 not really a zip").unwrap_err();
        assert!(matches!(err, ExtractError::Malformed { .. }), "{err}");
        let no_word = fixture::zip(&[("content.xml", "<x/>")]);
        let err = extract_docx(&no_word).unwrap_err().to_string();
        assert!(err.contains("no word/document.xml"), "{err}");
        // Unclosed or garbled XML ends the text early or fails; it never panics.
        for xml in [
            "<w:document><w:body><w:p><w:r><w:t>offen",
            "<w:p></w:r>&bogus;<",
        ] {
            let _ = extract_docx(&fixture::zip(&[("word/document.xml", xml)]));
        }
    }
}
