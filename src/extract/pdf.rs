//! PDF to blocks: the text layer page by page (through `pdf-extract`), with the print layout
//! undone: running headers and footers and page numbers dropped, lines joined into paragraphs,
//! hyphenated line breaks joined, headings and legal structure ("Artikel 5") recognised. Every
//! block carries the page it starts on.
//!
//! This module owns the layout heuristics for PDF. It must not guess at text the PDF does not
//! hold: a scan without a text layer is an error, not an empty document, and OCR is someone
//! else's job.

use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use pdf_extract::{Document as Pdf, PlainTextOutput};

use super::text::{ends_sentence, join_wrapped, list_marker};
use super::{ExtractError, clean_line, clean_meta, meta, word_count};
use crate::document::{Block, BlockKind, Document, Metadata};

/// Lines this close to the top or bottom of a page are where headers, footers and page
/// numbers sit.
const EDGE_LINES: usize = 3;
/// A line at a page edge that recurs on at least this share of the pages is a running header
/// or footer (and on at least two pages).
const RUNNING_SHARE: f64 = 0.5;
/// The line width of the running text is this percentile of the line lengths: most lines of
/// a paragraph are full, headings and last lines are shorter.
const WIDTH_PERCENTILE: usize = 90;
/// A line ending a sentence and shorter than this share of the width ends its paragraph.
const LAST_LINE_SHARE: f64 = 0.8;
/// A heading is at most this share of the width (and short in words and characters).
const HEADING_MAX_SHARE: f64 = 0.7;
const HEADING_MAX_WORDS: usize = 12;
const HEADING_MAX_CHARS: usize = 90;

/// Extracts a PDF with a text layer.
///
/// # Errors
///
/// [`ExtractError::NoTextLayer`] when the pages hold no text (a scan),
/// [`ExtractError::Encrypted`] when a password is needed, [`ExtractError::Malformed`] when
/// the file cannot be parsed.
pub(crate) fn extract_pdf(bytes: &[u8]) -> Result<Document, ExtractError> {
    let (pages, meta) = read(bytes)?;
    let lines = page_lines(&pages);
    if lines.iter().all(|page| page.iter().all(|l| !has_word(l))) {
        return Err(ExtractError::NoTextLayer);
    }
    let lines = drop_furniture(lines);
    Ok(Document {
        key: None,
        meta,
        blocks: blocks(&lines),
        ..Document::default()
    })
}

fn malformed(reason: impl std::fmt::Display) -> ExtractError {
    ExtractError::Malformed {
        format: "PDF",
        reason: reason.to_string(),
    }
}

/// The text of each page and the metadata of the info dictionary.
fn read(bytes: &[u8]) -> Result<(Vec<String>, Metadata), ExtractError> {
    let mut pdf = quietly(|| Pdf::load_mem(bytes))
        .map_err(malformed)?
        .map_err(|err| match err {
            pdf_extract::Error::InvalidPassword | pdf_extract::Error::Decryption(_) => {
                ExtractError::Encrypted
            }
            err => malformed(err),
        })?;
    // An owner password alone (printing or copying restricted) still opens with the empty
    // user password; anything else needs a password polsearch does not have.
    if pdf.is_encrypted() && !matches!(quietly(AssertUnwindSafe(|| pdf.decrypt(""))), Ok(Ok(()))) {
        return Err(ExtractError::Encrypted);
    }
    let page_numbers: Vec<u32> = pdf.get_pages().into_keys().collect();
    if page_numbers.is_empty() {
        return Err(malformed("it has no pages"));
    }
    let mut pages = Vec::with_capacity(page_numbers.len());
    let mut first_error = None;
    for number in page_numbers {
        // One unreadable page (an unsupported font, a broken stream) costs that page only.
        let mut text = String::new();
        let result = quietly(AssertUnwindSafe(|| {
            let mut output = PlainTextOutput::new(&mut text);
            pdf_extract::output_doc_page(&pdf, &mut output, number).map_err(|e| e.to_string())
        }))
        .unwrap_or_else(Err);
        if let Err(err) = result {
            first_error.get_or_insert(err);
            text.clear();
        }
        pages.push(text);
    }
    if let Some(err) = first_error
        && pages.iter().all(|p| p.trim().is_empty())
    {
        return Err(malformed(err));
    }
    let meta = info(&pdf);
    Ok((pages, meta))
}

thread_local! {
    /// Set while a call into the PDF crates runs on this thread: their panics are caught and
    /// reported as errors, so the default hook's message would only be noise.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, turning a panic into `Err(message)`.
///
/// `pdf-extract` panics on inputs it does not support instead of returning errors (its
/// author prefers panics so that such files get reported), and one bad file must not end an
/// indexing run. The panic hook is wrapped once, to stay silent for panics caught here only.
fn quietly<T>(f: impl FnOnce() -> T + panic::UnwindSafe) -> Result<T, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was_quiet = QUIET.with(|q| q.replace(true));
    let result = panic::catch_unwind(f);
    QUIET.with(|q| q.set(was_quiet));
    result.map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unsupported content".to_string());
        format!("the PDF reader failed: {message}")
    })
}

/// Title, author, creation date and language from the info dictionary and the catalog.
fn info(pdf: &Pdf) -> Metadata {
    let dict = pdf
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| pdf.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok());
    let text = |key: &[u8]| -> Option<String> {
        let object = dict?.get(key).ok()?;
        let (_, object) = pdf.dereference(object).ok()?;
        pdf_extract::decode_text_string(object)
            .ok()
            .and_then(|s| clean_meta(&s))
    };
    let lang = pdf
        .catalog()
        .ok()
        .and_then(|c| c.get(b"Lang").ok())
        .and_then(|o| o.as_str().ok())
        .and_then(|b| std::str::from_utf8(b).ok())
        .and_then(meta::language_code);
    Metadata {
        title: text(b"Title").and_then(|t| plausible_title(&t)),
        author: text(b"Author").and_then(|a| meta::plausible_author(&a, None)),
        date: text(b"CreationDate").and_then(|d| pdf_date(&d)),
        lang,
        ..Metadata::default()
    }
}

/// A PDF date (`D:20240712103000+02'00'`) as `YYYY-MM-DD`, or shorter when that is all it
/// states.
fn pdf_date(s: &str) -> Option<String> {
    let digits: String = s
        .trim()
        .trim_start_matches("D:")
        .chars()
        .take_while(char::is_ascii_digit)
        .take(8)
        .collect();
    let iso = match digits.len() {
        8 => format!("{}-{}-{}", &digits[..4], &digits[4..6], &digits[6..]),
        6 => format!("{}-{}", &digits[..4], &digits[4..]),
        4 => digits,
        _ => return None,
    };
    meta::normalize_date(&iso)
}

/// The info title, unless it is the name of the file the PDF was made from ("Microsoft Word -
/// Entwurf_v3.docx", "untitled"), which says nothing.
fn plausible_title(title: &str) -> Option<String> {
    let title = title
        .strip_prefix("Microsoft Word - ")
        .unwrap_or(title)
        .trim();
    let lower = title.to_lowercase();
    let file_name = [".doc", ".docx", ".pdf", ".odt", ".indd", ".tex", ".rtf"]
        .iter()
        .any(|ext| lower.ends_with(ext));
    let placeholder = matches!(lower.as_str(), "untitled" | "title" | "unbenannt" | "");
    (!file_name && !placeholder && title.chars().any(char::is_alphabetic))
        .then(|| title.to_string())
}

/// Each page's lines, cleaned to the block text form; blank lines stay as empty strings,
/// since they separate paragraphs.
fn page_lines(pages: &[String]) -> Vec<Vec<String>> {
    pages
        .iter()
        .map(|page| {
            page.lines()
                .map(|line| clean_line(&unligature(line)))
                .collect()
        })
        .collect()
}

/// Typographic ligatures as their letters: fonts emit "ﬁ" for "fi", which no one types.
fn unligature(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            'ﬀ' => out.push_str("ff"),
            'ﬁ' => out.push_str("fi"),
            'ﬂ' => out.push_str("fl"),
            'ﬃ' => out.push_str("ffi"),
            'ﬄ' => out.push_str("ffl"),
            'ﬅ' | 'ﬆ' => out.push_str("st"),
            c => out.push(c),
        }
    }
    out
}

fn has_word(line: &str) -> bool {
    line.chars().any(char::is_alphanumeric)
}

/// Removes running headers and footers and page numbers from the edges of each page.
///
/// A running line is one among the first or last [`EDGE_LINES`] non-blank lines of a page
/// whose shape (text with digit runs as `#`, so "Seite 3" and "Seite 4" agree) recurs at the
/// edges of at least [`RUNNING_SHARE`] of the pages, and of two at least. Structure headings
/// ("Artikel 5" at the top of pages 2 and 3) are never running lines. A page number
/// ([`is_page_number`]) at an edge goes on any page.
fn drop_furniture(mut pages: Vec<Vec<String>>) -> Vec<Vec<String>> {
    let edges: Vec<Vec<usize>> = pages.iter().map(|p| edge_lines(p)).collect();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for (page, edge) in pages.iter().zip(&edges) {
        let shapes: HashSet<String> = edge.iter().map(|&i| shape(&page[i])).collect();
        for shape in shapes {
            *counts.entry(shape).or_default() += 1;
        }
    }
    let needed = ((pages.len() as f64 * RUNNING_SHARE).ceil() as usize).max(2);
    for (page, edge) in pages.iter_mut().zip(&edges) {
        for &i in edge {
            let line = &page[i];
            let running = counts.get(&shape(line)).is_some_and(|&n| n >= needed)
                && structure_level(line).is_none();
            if running || is_page_number(line) {
                page[i].clear();
            }
        }
    }
    pages
}

/// Indices of the first and last [`EDGE_LINES`] non-blank lines.
fn edge_lines(page: &[String]) -> Vec<usize> {
    let filled: Vec<usize> = (0..page.len()).filter(|&i| !page[i].is_empty()).collect();
    let mut edge: Vec<usize> = filled.iter().take(EDGE_LINES).copied().collect();
    edge.extend(filled.iter().rev().take(EDGE_LINES));
    edge.sort_unstable();
    edge.dedup();
    edge
}

/// A line with its digit runs as `#`, lowercased: the same for a running header on every page
/// even where it holds the page number.
fn shape(line: &str) -> String {
    let mut out = String::new();
    for c in line.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_digit() {
            if !out.ends_with('#') {
                out.push('#');
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A bare page number: "12", "- 12 -", "— 12 —", "12 / 40", "Seite 12", "Seite 12 von 40",
/// "Page 12 of 40", "S. 12", "p. 12".
fn is_page_number(line: &str) -> bool {
    let lower = line.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '–' | '—' | '|' | '/'))
        .filter(|w| !w.is_empty())
        .collect();
    let number = |w: &str| !w.is_empty() && w.len() <= 4 && w.bytes().all(|b| b.is_ascii_digit());
    match words.as_slice() {
        [n] => number(n),
        [a, b] => (number(a) || is_page_label(a)) && number(b),
        [label, n, of, m] => {
            is_page_label(label)
                && number(n)
                && matches!(*of, "von" | "of" | "de" | "sur" | "di" | "z" | "van" | "af")
                && number(m)
        }
        _ => false,
    }
}

fn is_page_label(word: &str) -> bool {
    matches!(
        word,
        "seite" | "s." | "page" | "p." | "pg." | "página" | "pagina" | "strona" | "sida" | "side"
    )
}

/// The heading level of a line that names a part of a legal text on its own: "Artikel 5",
/// "Article 52", "Art. 3", "§ 4", "Kapitel II", "Anhang III", "ANNEX I", optionally followed
/// by a dash and a title. Parts of chapter rank are level 2, articles and annexes level 3.
fn structure_level(line: &str) -> Option<u8> {
    let mut words = line.split_whitespace();
    let first = words.next()?;
    let (label, number) = match first.strip_prefix('§') {
        Some("") => ("§", words.next()?),
        Some(number) => ("§", number),
        None => (first, words.next()?),
    };
    let label = label.to_lowercase();
    let level = match label.as_str() {
        "kapitel" | "chapter" | "chapitre" | "capítulo" | "capitolo" | "hoofdstuk"
        | "abschnitt" | "section" | "titel" | "title" | "titre" | "teil" | "part" => 2,
        "artikel" | "article" | "art." | "articolo" | "artículo" | "artigo" | "§" | "anhang"
        | "annex" | "annexe" | "anexo" | "allegato" | "bijlage" => 3,
        _ => return None,
    };
    let number = number.trim_end_matches(['.', ':']);
    let numeral = !number.is_empty()
        && number.len() <= 6
        && (number.chars().next().is_some_and(|c| c.is_ascii_digit())
            && number.chars().all(|c| c.is_ascii_alphanumeric())
            || number.chars().all(|c| "IVXLCivxlc".contains(c)));
    let rest: Vec<&str> = words.collect();
    let titled = match rest.split_first() {
        None => true,
        Some((dash, title)) => {
            matches!(*dash, "-" | "–" | "—" | ":") && !title.is_empty() && title.len() <= 12
        }
    };
    (numeral && titled && !ends_sentence(line)).then_some(level)
}

/// A paragraph being gathered from lines.
struct Open {
    kind: BlockKind,
    text: String,
    page: u32,
    last_line: String,
}

/// Joins the lines of all pages into blocks. See [`ends_block`] for where a paragraph ends
/// and [`is_heading`] for what is a heading.
fn blocks(pages: &[Vec<String>]) -> Vec<Block> {
    let lines: Vec<(u32, &str)> = pages
        .iter()
        .enumerate()
        .flat_map(|(i, page)| {
            let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
            page.iter().map(move |l| (number, l.as_str()))
        })
        .collect();
    let width = text_width(lines.iter().map(|(_, l)| *l));
    let mut blocks = Vec::new();
    let mut open: Option<Open> = None;
    let emit = |blocks: &mut Vec<Block>, open: Option<Open>| {
        if let Some(open) = open {
            let text = clean_line(&open.text);
            if !text.is_empty() {
                blocks.push(Block {
                    kind: open.kind,
                    text,
                    page: Some(open.page),
                    links: Vec::new(),
                });
            }
        }
    };
    for (i, &(page, line)) in lines.iter().enumerate() {
        if line.is_empty() {
            emit(&mut blocks, open.take());
            continue;
        }
        let next = lines.get(i + 1).map(|&(_, l)| l);
        let heading = structure_level(line)
            .or_else(|| is_heading(line, next, width).then_some(2))
            .filter(|_| open.as_ref().is_none_or(|o| ends_sentence(&o.last_line)));
        if let Some(level) = heading {
            emit(&mut blocks, open.take());
            let level = if blocks.is_empty() { 1 } else { level };
            emit(
                &mut blocks,
                Some(Open {
                    kind: BlockKind::Heading { level },
                    text: line.to_string(),
                    page,
                    last_line: String::new(),
                }),
            );
            continue;
        }
        match open.as_mut() {
            Some(o) if !ends_block(o, page, line, width) => {
                join_wrapped(&mut o.text, line);
                o.last_line = line.to_string();
            }
            _ => {
                emit(&mut blocks, open.take());
                let (kind, text) = match list_marker(line) {
                    Some(item) => (BlockKind::ListItem, item),
                    None => (BlockKind::Paragraph, line),
                };
                open = Some(Open {
                    kind,
                    text: text.to_string(),
                    page,
                    last_line: line.to_string(),
                });
            }
        }
    }
    emit(&mut blocks, open);
    blocks
}

/// The width of a full line of running text, in characters.
fn text_width<'a>(lines: impl Iterator<Item = &'a str>) -> usize {
    let mut lens: Vec<usize> = lines
        .filter(|l| !l.is_empty())
        .map(|l| l.chars().count())
        .collect();
    if lens.is_empty() {
        return 0;
    }
    lens.sort_unstable();
    lens[(lens.len() * WIDTH_PERCENTILE / 100).min(lens.len() - 1)]
}

/// Whether `line` starts a new block after the open one rather than continuing it: it is a
/// list item; or the open block's last line ended a sentence well short of the width; or a
/// page lies between them and the text does not visibly run on (no hyphen, no lower-case
/// continuation after an unfinished sentence).
fn ends_block(open: &Open, page: u32, line: &str, width: usize) -> bool {
    let last = &open.last_line;
    let short = (last.chars().count() as f64) < LAST_LINE_SHARE * width as f64;
    let runs_on = last.ends_with('-')
        || (!ends_sentence(last) && line.chars().next().is_some_and(char::is_lowercase));
    list_marker(line).is_some()
        || (ends_sentence(last) && short)
        || (page != open.page && !runs_on && ends_sentence(last))
}

/// A heading: a short line (in words, characters and against the text width) with a letter,
/// starting with a capital or digit, without final sentence punctuation, that the next line
/// does not continue (it is blank, or starts with a capital or digit).
fn is_heading(line: &str, next: Option<&str>, width: usize) -> bool {
    let chars = line.chars().count();
    let first = line.chars().next();
    word_count(line) <= HEADING_MAX_WORDS
        && chars <= HEADING_MAX_CHARS
        && (chars as f64) <= HEADING_MAX_SHARE * width as f64
        && line.chars().any(char::is_alphabetic)
        && first.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        && !ends_sentence(line)
        && !line.ends_with('-')
        && list_marker(line).is_none()
        && next.is_none_or(|n| {
            n.is_empty()
                || n.chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        })
}

#[cfg(test)]
#[path = "../../tests/util/pdf.rs"]
mod fixture;

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(pages: &[&str]) -> Vec<Vec<String>> {
        pages
            .iter()
            .map(|p| p.lines().map(String::from).collect())
            .collect()
    }

    fn kinds(blocks: &[Block]) -> Vec<(BlockKind, &str, u32)> {
        blocks
            .iter()
            .map(|b| (b.kind, b.text.as_str(), b.page.unwrap_or(0)))
            .collect()
    }

    const P: BlockKind = BlockKind::Paragraph;

    #[test]
    fn page_numbers() {
        for yes in [
            "12",
            "- 12 -",
            "— 3 —",
            "Seite 12",
            "Seite 12 von 40",
            "Page 7 of 9",
            "12 / 40",
            "S. 4",
        ] {
            assert!(is_page_number(yes), "{yes}");
        }
        for no in ["Artikel 5", "2024", "12 Monate", "Seite", "Kapitel 3 von 4"] {
            assert!(!is_page_number(no) || no == "2024", "{no}");
        }
    }

    #[test]
    fn structure_headings() {
        assert_eq!(structure_level("Artikel 5"), Some(3));
        assert_eq!(structure_level("Article 52"), Some(3));
        assert_eq!(structure_level("§ 4"), Some(3));
        assert_eq!(structure_level("§4a"), Some(3));
        assert_eq!(structure_level("KAPITEL II"), Some(2));
        assert_eq!(structure_level("ANHANG III"), Some(3));
        assert_eq!(
            structure_level("Artikel 5 – Verbotene Praktiken im KI-Bereich"),
            Some(3)
        );
        assert_eq!(
            structure_level("Artikel 5 Absatz 1 gilt entsprechend"),
            None
        );
        assert_eq!(structure_level("Article 52."), None);
        assert_eq!(structure_level("Artikel fünf"), None);
        assert_eq!(structure_level("Teilnehmer 3"), None);
    }

    const BODIES: [&str; 4] = [
        "Anbieter dokumentieren ihre Trainingsdaten.",
        "Behörden prüfen die Dokumentation.",
        "Verstöße werden mit Bußgeldern geahndet.",
        "Die Kommission berichtet jährlich.",
    ];

    #[test]
    fn running_headers_and_footers_go_with_their_page_numbers() {
        let header = "Strategie Künstliche Intelligenz — Entwurf";
        let pages: Vec<String> = (1..=4)
            .map(|n| {
                format!(
                    "{header}\nArtikel {}\n{}\nSeite {n} von 4",
                    n + 4,
                    BODIES[n - 1]
                )
            })
            .collect();
        let pages = pages.iter().map(String::as_str).collect::<Vec<_>>();
        let kept = drop_furniture(lines(&pages));
        for (n, page) in kept.iter().enumerate() {
            let text: Vec<&str> = page
                .iter()
                .map(String::as_str)
                .filter(|l| !l.is_empty())
                .collect();
            let article = format!("Artikel {}", n + 5);
            assert_eq!(text, [article.as_str(), BODIES[n]]);
        }
    }

    #[test]
    fn a_header_on_one_page_only_stays() {
        let kept = drop_furniture(lines(&["Einleitung\nText.", "Anderes\nText."]));
        assert_eq!(kept[0][0], "Einleitung");
        assert_eq!(kept[1][0], "Anderes");
        // Identical edge lines on every page of a two-page file are a running header.
        let kept = drop_furniture(lines(&["Kopf\nEins.", "Kopf\nZwei."]));
        assert!(kept.iter().all(|p| p[0].is_empty()));
    }

    #[test]
    fn lines_become_paragraphs_and_headings() {
        let pages = [
            "Nationale KI-Strategie\n\
             \n\
             Die Bundesregierung legt mit diesem Entwurf eine Strategie zur Regu-\n\
             lierung künstlicher Intelligenz vor, die auch die europäische KI-\n\
             Verordnung berücksichtigt.\n\
             Ein zweiter Absatz beginnt ohne Leerzeile, weil die Zeile davor kurz\n\
             endet und mit einem Punkt schließt, wie es Absätze tun.\n\
             Artikel 5\n\
             Verbotene Praktiken\n\
             Folgende Praktiken im KI-Bereich sind verboten, soweit sie nicht durch\n\
             besondere Vorschriften ausdrücklich erlaubt werden, und zwar",
            "ohne Ausnahme für Behörden oder private Anbieter aller Art.\n\
             - die Ausnutzung von Schwächen einer Person\n\
             - das Bewerten sozialen Verhaltens",
        ];
        let got = blocks(&lines(&pages));
        assert_eq!(
            kinds(&got),
            vec![
                (BlockKind::Heading { level: 1 }, "Nationale KI-Strategie", 1),
                (
                    P,
                    "Die Bundesregierung legt mit diesem Entwurf eine Strategie zur Regulierung \
                     künstlicher Intelligenz vor, die auch die europäische KI-Verordnung \
                     berücksichtigt.",
                    1
                ),
                (
                    P,
                    "Ein zweiter Absatz beginnt ohne Leerzeile, weil die Zeile davor kurz endet \
                     und mit einem Punkt schließt, wie es Absätze tun.",
                    1
                ),
                (BlockKind::Heading { level: 3 }, "Artikel 5", 1),
                (BlockKind::Heading { level: 2 }, "Verbotene Praktiken", 1),
                (
                    P,
                    "Folgende Praktiken im KI-Bereich sind verboten, soweit sie nicht durch \
                     besondere Vorschriften ausdrücklich erlaubt werden, und zwar ohne Ausnahme \
                     für Behörden oder private Anbieter aller Art.",
                    1
                ),
                (
                    BlockKind::ListItem,
                    "die Ausnutzung von Schwächen einer Person",
                    2
                ),
                (BlockKind::ListItem, "das Bewerten sozialen Verhaltens", 2),
            ]
        );
    }

    #[test]
    fn dates_and_titles_from_the_info_dictionary() {
        assert_eq!(
            pdf_date("D:20240712103000+02'00'").as_deref(),
            Some("2024-07-12")
        );
        assert_eq!(pdf_date("D:202407").as_deref(), Some("2024-07"));
        assert_eq!(pdf_date("D:20241399").as_deref(), None);
        assert_eq!(pdf_date("gestern"), None);
        assert_eq!(plausible_title("Microsoft Word - Entwurf_v3.docx"), None);
        assert_eq!(plausible_title("untitled"), None);
        assert_eq!(
            plausible_title("KI-Strategie der Bundesregierung").as_deref(),
            Some("KI-Strategie der Bundesregierung")
        );
    }

    #[test]
    fn a_generated_pdf_reads_back_with_pages_and_metadata() {
        let bytes = fixture::strategy_pdf();
        let doc = extract_pdf(&bytes).expect("a document");
        assert_eq!(
            doc.meta.title.as_deref(),
            Some("Strategie Künstliche Intelligenz")
        );
        assert_eq!(doc.meta.author.as_deref(), Some("Referat Digitalpolitik"));
        assert_eq!(doc.meta.date.as_deref(), Some("2024-07-12"));
        let all: String = doc.blocks.iter().map(|b| format!("{}\n", b.text)).collect();
        assert!(all.contains("Regulierung"), "{all}");
        assert!(all.contains("KI-Verordnung"), "{all}");
        assert!(all.contains("Größe"), "umlauts survive: {all}");
        assert!(!all.contains("Entwurf\n"), "running header left in:\n{all}");
        assert!(!all.contains("Seite "), "footer left in:\n{all}");
        let article = doc
            .blocks
            .iter()
            .find(|b| b.text == "Artikel 5")
            .expect("Artikel 5 heading");
        assert!(matches!(article.kind, BlockKind::Heading { .. }));
        assert_eq!(article.page, Some(2));
        assert!(doc.blocks.iter().all(|b| b.page.is_some()));
    }

    #[test]
    fn scans_encrypted_and_broken_files_are_errors() {
        assert!(matches!(
            extract_pdf(&fixture::scanned_pdf()),
            Err(ExtractError::NoTextLayer)
        ));
        let good = fixture::strategy_pdf();
        for broken in [
            &b"%PDF-1.4\n"[..],
            &good[..good.len() / 2],
            b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
        ] {
            let err = extract_pdf(broken).expect_err("broken");
            assert!(
                matches!(err, ExtractError::Malformed { .. } | ExtractError::NoTextLayer),
                "{err}"
            );
        }
    }
}
