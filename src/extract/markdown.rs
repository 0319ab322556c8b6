//! Markdown to blocks via pulldown-cmark events, with simple `key: value` front matter read
//! for metadata.
//!
//! This module owns the mapping of CommonMark structure to block kinds. It must reduce inline
//! markup to its text and must not emit front matter, raw HTML tags or comments as text.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::{BlockBuilder, clean_line, clean_meta, meta, normalize_date, resolve_links};
use crate::document::{BlockKind, Document, Metadata};

/// Extracts a Markdown document.
pub(crate) fn extract_markdown(source: &str) -> Document {
    let (front, body) = split_front_matter(source);
    let mut meta = front.map(parse_front_matter).unwrap_or_default();

    let mut b = BlockBuilder::default();
    let mut html_block = String::new();
    let mut in_html_block = false;
    let mut image_depth = 0usize;
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS;
    for event in Parser::new_ext(body, options) {
        match event {
            Event::Start(tag) => match tag {
                Tag::Heading { level, .. } => {
                    b.push_kind(BlockKind::Heading { level: level as u8 })
                }
                Tag::Item => b.start_item(),
                Tag::List(start) => b.start_list(start),
                Tag::BlockQuote(_) => b.push_kind(BlockKind::Quote),
                // Code inside a list or quote is still code: a paragraph of its own.
                Tag::CodeBlock(_) => b.push_kind(BlockKind::Paragraph),
                Tag::Table(_) => b.start_table(),
                Tag::TableHead | Tag::TableRow => b.start_row(),
                Tag::TableCell => b.end_cell(),
                Tag::HtmlBlock => {
                    b.boundary();
                    in_html_block = true;
                }
                Tag::Image { .. } => image_depth += 1,
                Tag::Link { dest_url, .. } => b.start_link(&dest_url),
                Tag::Paragraph
                | Tag::FootnoteDefinition(_)
                | Tag::DefinitionList
                | Tag::DefinitionListTitle
                | Tag::DefinitionListDefinition => b.boundary(),
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Heading(_) | TagEnd::Item | TagEnd::BlockQuote(_) | TagEnd::CodeBlock => {
                    b.pop_kind()
                }
                TagEnd::List(_) => b.end_list(),
                TagEnd::Table => b.end_table(),
                TagEnd::TableHead | TagEnd::TableRow => b.end_row(),
                TagEnd::TableCell => b.end_cell(),
                TagEnd::HtmlBlock => {
                    in_html_block = false;
                    b.text(&strip_html(&std::mem::take(&mut html_block)));
                    b.boundary();
                }
                TagEnd::Image => image_depth = image_depth.saturating_sub(1),
                TagEnd::Link => b.end_link(),
                TagEnd::Paragraph
                | TagEnd::FootnoteDefinition
                | TagEnd::DefinitionList
                | TagEnd::DefinitionListTitle
                | TagEnd::DefinitionListDefinition => b.boundary(),
                _ => {}
            },
            // Alt text describes a picture; it is not text of the document.
            Event::Text(_) | Event::Code(_) if image_depth > 0 => {}
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                b.text(&t)
            }
            Event::Html(h) if in_html_block => html_block.push_str(&h),
            Event::Html(h) | Event::InlineHtml(h) => b.text(&strip_html(&h)),
            Event::SoftBreak | Event::HardBreak => b.space(),
            Event::Rule => b.boundary(),
            _ => {}
        }
    }
    let mut blocks = b.finish();
    for block in &mut blocks {
        block.links = resolve_links(std::mem::take(&mut block.links), meta.url.as_deref());
    }

    if meta.title.is_none() {
        meta.title = blocks
            .iter()
            .find(|bl| matches!(bl.kind, BlockKind::Heading { .. }))
            .or(blocks.first())
            .map(|bl| bl.text.clone());
    }
    Document {
        meta,
        blocks,
        ..Document::default()
    }
}

/// Splits `---` front matter off the top: `(Some(front), rest)`, or `(None, source)` when
/// the file does not open with a fence or the fence is never closed (`---` or `...`).
fn split_front_matter(source: &str) -> (Option<&str>, &str) {
    let Some(after) = source
        .strip_prefix("---\n")
        .or_else(|| source.strip_prefix("---\r\n"))
    else {
        return (None, source);
    };
    let mut offset = 0;
    for line in after.split_inclusive('\n') {
        if matches!(line.trim_end(), "---" | "...") {
            return (Some(&after[..offset]), &after[offset + line.len()..]);
        }
        offset += line.len();
    }
    (None, source)
}

/// Reads `title`, `author`, `date`, `url`, `lang`, `site` and `type` from simple
/// `key: value` lines; other keys and nested YAML are ignored. What it states wins over
/// anything detected in the text (`meta::complete` only fills gaps).
fn parse_front_matter(front: &str) -> Metadata {
    let mut meta = Metadata::default();
    for line in front.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        if line.starts_with([' ', '\t', '-']) {
            continue;
        }
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'').trim();
        let slot = match key.trim().to_ascii_lowercase().as_str() {
            "title" => &mut meta.title,
            "author" | "authors" => &mut meta.author,
            "date" | "published" => &mut meta.date,
            "url" | "link" | "source" => &mut meta.url,
            "lang" | "language" => &mut meta.lang,
            "site" | "site_name" | "publisher" => &mut meta.site,
            "type" => &mut meta.doc_type,
            _ => continue,
        };
        if slot.is_none() {
            *slot = clean_meta(value);
        }
    }
    meta.date = meta.date.as_deref().and_then(normalize_date);
    meta.lang = meta.lang.as_deref().and_then(meta::language_code);
    meta.doc_type = meta.doc_type.map(|t| t.to_lowercase());
    meta
}

/// The text of raw HTML: tags and comments removed, a space where a tag was.
fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        out.push(' ');
        rest = &rest[lt..];
        let end = if rest.starts_with("<!--") {
            rest.find("-->").map(|p| p + 3)
        } else {
            rest.find('>').map(|p| p + 1)
        };
        rest = &rest[end.unwrap_or(rest.len())..];
    }
    out.push_str(rest);
    clean_line(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: BlockKind = BlockKind::Paragraph;

    fn blocks(s: &str) -> Vec<(BlockKind, String)> {
        extract_markdown(s)
            .blocks
            .into_iter()
            .map(|b| (b.kind, b.text))
            .collect()
    }

    #[test]
    fn links_are_kept_and_made_absolute() {
        let doc = extract_markdown(
            "---\nurl: https://blog.example/posts/ki/\n---\n# Notiz\n\n\
             Siehe [die Verordnung](https://eur-lex.europa.eu/eli/reg/2024/1689/oj) und \
             [den älteren Beitrag](../dsgvo/) sowie [oben](#notiz).\n",
        );
        let links: Vec<(&str, &str)> = doc.blocks[1]
            .links
            .iter()
            .map(|l| (l.url.as_str(), l.text.as_str()))
            .collect();
        assert_eq!(
            links,
            [
                (
                    "https://eur-lex.europa.eu/eli/reg/2024/1689/oj",
                    "die Verordnung"
                ),
                ("https://blog.example/posts/dsgvo/", "den älteren Beitrag"),
            ]
        );
    }

    #[test]
    fn structure_and_inline_markup() {
        let got = blocks(
            "# Verordnung\n\nEin *wichtiger* [Absatz](https://x.example) mit `Code`.\n\n\
             ## Artikel 1 – Gegenstand\n\n- Punkt **eins**\n- Punkt zwei\n  1. Unterpunkt\n\n\
             > Zitat\n> über zwei Zeilen\n\n```\nfn main() {}\n```\n\n\
             | Land | Behörde |\n|------|---------|\n| DE | BfDI |\n\n\
             3. locker\n\n   mit Absatz\n4. zweiter\n\n![Logo der Behörde](logo.png)\n\n<!-- Kommentar -->\n<div>Roh<b>text</b></div>\n",
        );
        assert_eq!(
            got,
            vec![
                (BlockKind::Heading { level: 1 }, "Verordnung".into()),
                (P, "Ein wichtiger Absatz mit Code.".into()),
                (
                    BlockKind::Heading { level: 2 },
                    "Artikel 1 – Gegenstand".into()
                ),
                (BlockKind::ListItem, "Punkt eins".into()),
                (BlockKind::ListItem, "Punkt zwei".into()),
                (BlockKind::ListItem, "1. Unterpunkt".into()),
                (BlockKind::Quote, "Zitat über zwei Zeilen".into()),
                (P, "fn main() {}".into()),
                (P, "Land | Behörde".into()),
                (P, "DE | BfDI".into()),
                (BlockKind::ListItem, "3. locker".into()),
                (BlockKind::ListItem, "mit Absatz".into()),
                (BlockKind::ListItem, "4. zweiter".into()),
                (P, "Roh text".into()),
            ]
        );
    }

    #[test]
    fn front_matter_is_metadata_not_text() {
        let doc = extract_markdown(
            "---\ntitle: \"KI-Verordnung\"\nauthor: Erika Musterfrau\ndate: 2024-07-12\n\
             url: https://example.org/ki\nlang: de-DE\ntags:\n  - ki\n---\n# Überschrift\n\nText.\n",
        );
        assert_eq!(doc.meta.title.as_deref(), Some("KI-Verordnung"));
        assert_eq!(doc.meta.author.as_deref(), Some("Erika Musterfrau"));
        assert_eq!(doc.meta.date.as_deref(), Some("2024-07-12"));
        assert_eq!(doc.meta.url.as_deref(), Some("https://example.org/ki"));
        assert_eq!(doc.meta.lang.as_deref(), Some("de"));
        assert_eq!(doc.blocks.len(), 2);
        assert!(!doc.blocks.iter().any(|b| b.text.contains("title")));
    }

    #[test]
    fn title_falls_back_to_heading_then_first_line() {
        let doc = extract_markdown("Vorspann ohne Überschrift.\n\n## Erste Überschrift\n");
        assert_eq!(doc.meta.title.as_deref(), Some("Erste Überschrift"));
        let doc = extract_markdown("Nur ein Absatz.");
        assert_eq!(doc.meta.title.as_deref(), Some("Nur ein Absatz."));
        // An unclosed fence is not front matter but text.
        let doc = extract_markdown("---\ntitle: offen\n");
        assert!(doc.blocks.iter().any(|b| b.text.contains("title: offen")));
    }

    #[test]
    fn german_ai_act_markdown() {
        let path = "/work/shared/corpus/eu-ai-act/de.md";
        let Ok(source) = std::fs::read_to_string(path) else {
            eprintln!("skipping: {path} not present");
            return;
        };
        let doc = extract_markdown(&source);
        assert_eq!(
            doc.meta.title.as_deref(),
            Some("Verordnung (EU) 2024/1689 (KI-Verordnung)")
        );
        let articles = doc
            .blocks
            .iter()
            .filter(|b| {
                b.kind == (BlockKind::Heading { level: 2 }) && b.text.starts_with("Artikel ")
            })
            .count();
        assert!(articles >= 113, "{articles} article headings");
    }
}
