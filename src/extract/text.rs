//! Plain text to blocks: title line, paragraphs (one per line, or re-joined when the text is
//! hard-wrapped), list items and heading-like short lines.
//!
//! This module owns the line-level heuristics for `.txt` files. It must not drop text: every
//! non-blank line ends up in some block, however short.

use super::{clean_line, push_block, word_count};
use crate::document::{Block, BlockKind, Document, Metadata};

/// Hard-wrap detection: at least this many non-blank lines are needed to judge.
const WRAP_MIN_LINES: usize = 4;
/// Wrap widths outside this range are not typewriter-style hard wraps.
const WRAP_WIDTH: std::ops::RangeInclusive<usize> = 40..=100;
/// Share of lines that must be close to the wrap width (70–110 % of it).
const WRAP_MIN_FULL_SHARE: f64 = 0.5;
/// Share of lines allowed to be clearly longer than the wrap width.
const WRAP_MAX_OVERLONG_SHARE: f64 = 0.05;
/// In wrapped text, a line at least this share of the width was wrapped, so its paragraph
/// goes on.
const WRAPPED_LINE_SHARE: f64 = 0.6;
/// Heading candidates are at most this long.
const HEADING_MAX_WORDS: usize = 10;
const HEADING_MAX_CHARS: usize = 80;
/// A first line longer than this is a paragraph; the title is then its shortened start.
const TITLE_MAX_CHARS: usize = 150;

/// Extracts a plain-text document.
pub(crate) fn extract_text(source: &str) -> Document {
    let lines: Vec<String> = source.lines().map(clean_line).collect();
    let Some(first) = lines.iter().position(|l| !l.is_empty()) else {
        return Document::default();
    };

    let mut blocks = Vec::new();
    let title_line = &lines[first];
    let title = if title_line.chars().count() <= TITLE_MAX_CHARS {
        push_block(&mut blocks, BlockKind::Heading { level: 1 }, title_line);
        title_line.clone()
    } else {
        push_block(&mut blocks, BlockKind::Paragraph, title_line);
        shorten(title_line, 100)
    };

    blocks.extend(line_blocks(&lines[first + 1..]));

    Document {
        meta: Metadata {
            title: Some(title),
            ..Metadata::default()
        },
        blocks,
        key: None,
        furniture: Vec::new(),
    }
}

/// Blocks of a text without a title line, such as the body of a JSON record: paragraphs at
/// blank lines, and at single line breaks unless the text is hard-wrapped.
pub(super) fn body_blocks(source: &str) -> Vec<Block> {
    let lines: Vec<String> = source.lines().map(clean_line).collect();
    line_blocks(&lines)
}

fn line_blocks(lines: &[String]) -> Vec<Block> {
    let mut blocks = Vec::new();
    let units = paragraphs(lines, wrap_width(lines));
    classify(&units, &mut blocks);
    blocks
}

/// The wrap width when the lines look hard-wrapped, `None` when each line is a paragraph.
///
/// Rule: with W the 90th-percentile line length (blank lines ignored), the text is
/// hard-wrapped when it has at least [`WRAP_MIN_LINES`] lines, W is within [`WRAP_WIDTH`],
/// at least half the lines are 70–110 % of W long and at most 5 % are longer than 110 % of W.
fn wrap_width(lines: &[String]) -> Option<usize> {
    let mut lens: Vec<usize> = lines
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| l.chars().count())
        .collect();
    if lens.len() < WRAP_MIN_LINES {
        return None;
    }
    lens.sort_unstable();
    let width = lens[(lens.len() * 9 / 10).min(lens.len() - 1)];
    if !WRAP_WIDTH.contains(&width) {
        return None;
    }
    let n = lens.len() as f64;
    let (lo, hi) = (width as f64 * 0.7, width as f64 * 1.1);
    let full = lens
        .iter()
        .filter(|&&l| (lo..=hi).contains(&(l as f64)))
        .count();
    let overlong = lens.iter().filter(|&&l| l as f64 > hi).count();
    (full as f64 >= WRAP_MIN_FULL_SHARE * n && overlong as f64 <= WRAP_MAX_OVERLONG_SHARE * n)
        .then_some(width)
}

/// Groups lines into paragraphs. Blank lines always end one. Without a wrap width every
/// line is its own paragraph; with one, a line continues into the next when it was wrapped
/// (at least [`WRAPPED_LINE_SHARE`] of the width) or when it ends without sentence
/// punctuation and the next line starts in lower case; a list marker always starts anew.
fn paragraphs(lines: &[String], width: Option<usize>) -> Vec<String> {
    let mut units: Vec<String> = Vec::new();
    let mut open: Option<String> = None;
    let mut prev_len = 0usize;
    for line in lines {
        if line.is_empty() {
            units.extend(open.take());
            continue;
        }
        let continues = match (&open, width) {
            (Some(prev), Some(w)) => {
                list_marker(line).is_none()
                    && (prev_len as f64 >= WRAPPED_LINE_SHARE * w as f64
                        || (!ends_sentence(prev) && starts_lowercase(line)))
            }
            _ => false,
        };
        prev_len = line.chars().count();
        match open.as_mut() {
            Some(prev) if continues => join_wrapped(prev, line),
            _ => {
                units.extend(open.take());
                open = Some(line.clone());
            }
        }
    }
    units.extend(open);
    units
}

/// Joins a wrapped line to its paragraph, undoing hyphenation: "Regu-" + "lierung" is one
/// word, while "KI-" + "Strategie" keeps its hyphen because a capital follows.
pub(super) fn join_wrapped(prev: &mut String, next: &str) {
    let mut tail = prev.chars().rev();
    let hyphenated = tail.next() == Some('-') && tail.next().is_some_and(char::is_alphabetic);
    let next_first = next.chars().next();
    if hyphenated && next_first.is_some_and(char::is_alphabetic) {
        if next_first.is_some_and(char::is_lowercase) {
            prev.pop();
        }
    } else {
        prev.push(' ');
    }
    prev.push_str(next);
}

/// Emits paragraphs as list items, headings or paragraphs.
///
/// Heading rule: a paragraph that is short (at most [`HEADING_MAX_WORDS`] words and
/// [`HEADING_MAX_CHARS`] characters), contains a letter, does not end with sentence
/// punctuation and is followed by a paragraph with more words that is neither heading-like
/// nor a list item nor letter-free (a date) becomes a level-2 heading.
fn classify(units: &[String], blocks: &mut Vec<Block>) {
    for (i, unit) in units.iter().enumerate() {
        if let Some(item) = list_marker(unit) {
            push_block(blocks, BlockKind::ListItem, item);
            continue;
        }
        let heading = heading_like(unit)
            && units.get(i + 1).is_some_and(|next| {
                !heading_like(next)
                    && list_marker(next).is_none()
                    && next.chars().any(char::is_alphabetic)
                    && word_count(next) > word_count(unit)
            });
        let kind = if heading {
            BlockKind::Heading { level: 2 }
        } else {
            BlockKind::Paragraph
        };
        push_block(blocks, kind, unit);
    }
}

fn heading_like(s: &str) -> bool {
    word_count(s) <= HEADING_MAX_WORDS
        && s.chars().count() <= HEADING_MAX_CHARS
        && s.chars().any(char::is_alphabetic)
        && !ends_sentence(s)
        && list_marker(s).is_none()
}

/// The text of a bulleted line without its bullet ("- ", "* ", "• ", "– "), or a numbered
/// line ("1. ", "2) ") whole; `None` for other lines.
pub(super) fn list_marker(s: &str) -> Option<&str> {
    for bullet in ["- ", "* ", "• ", "– ", "· "] {
        if let Some(rest) = s.strip_prefix(bullet) {
            return Some(rest);
        }
    }
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let numbered = (1..=3).contains(&digits)
        && matches!(s.as_bytes().get(digits), Some(b'.' | b')'))
        && s.as_bytes().get(digits + 1) == Some(&b' ');
    numbered.then_some(s)
}

/// Whether the text ends with sentence punctuation (. ! ? : ; , …), closing quotes and
/// brackets aside.
pub(super) fn ends_sentence(s: &str) -> bool {
    s.trim_end_matches(['"', '\'', '“', '”', '»', '«', '’', ')', ']'])
        .ends_with(['.', '!', '?', ':', ';', ',', '…'])
}

pub(super) fn starts_lowercase(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_lowercase)
}

/// The start of `s` up to about `max` characters, cut at a word boundary, with an ellipsis.
fn shorten(s: &str, max: usize) -> String {
    let cut: String = s.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(p) if p > max / 2 => &cut[..p],
        _ => cut.as_str(),
    };
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    const H1: BlockKind = BlockKind::Heading { level: 1 };
    const H2: BlockKind = BlockKind::Heading { level: 2 };
    const P: BlockKind = BlockKind::Paragraph;

    fn blocks(s: &str) -> Vec<(BlockKind, String)> {
        extract_text(s)
            .blocks
            .into_iter()
            .map(|b| (b.kind, b.text))
            .collect()
    }

    #[test]
    fn one_paragraph_per_line_with_headings() {
        let long = "Die Regulierung künstlicher Intelligenz beschäftigt Parlamente, \
                    Gerichte und Behörden in ganz Europa seit mehreren Jahren intensiv.";
        let text = format!(
            "Titel des Textes\nInsight\n4 Minuten\n26.02.2025\n\n{long}\n\
             Die drängenden Fragen der KI-Regulierung\n{long}\nEin kurzer Satz.\n{long}\n"
        );
        let doc = extract_text(&text);
        assert_eq!(doc.meta.title.as_deref(), Some("Titel des Textes"));
        let got: Vec<(BlockKind, &str)> = doc
            .blocks
            .iter()
            .map(|b| (b.kind, b.text.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (H1, "Titel des Textes"),
                (P, "Insight"),
                (P, "4 Minuten"),
                (P, "26.02.2025"),
                (P, long),
                (H2, "Die drängenden Fragen der KI-Regulierung"),
                (P, long),
                (P, "Ein kurzer Satz."),
                (P, long),
            ]
        );
    }

    #[test]
    fn hard_wrapped_text_is_joined() {
        let text = "Bericht\n\
            Die Kommission hat am Montag einen Vorschlag zur Regu-\n\
            lierung von Basismodellen vorgelegt, der auch die KI-\n\
            Strategie der Mitgliedstaaten berührt. Er sieht neue\n\
            Pflichten für Anbieter vor, die große Modelle trainieren.\n\
            \n\
            Neue Pflichten\n\
            Anbieter müssen ihre Trainingsdaten dokumentieren und\n\
            Sicherheitstests durchführen, bevor sie Modelle in der\n\
            Union anbieten. Verstöße werden mit Bußgeldern belegt.\n";
        assert!(wrap_width(&text.lines().skip(1).map(clean_line).collect::<Vec<_>>()).is_some());
        assert_eq!(
            blocks(text),
            vec![
                (H1, "Bericht".into()),
                (
                    P,
                    "Die Kommission hat am Montag einen Vorschlag zur Regulierung von \
                     Basismodellen vorgelegt, der auch die KI-Strategie der Mitgliedstaaten \
                     berührt. Er sieht neue Pflichten für Anbieter vor, die große Modelle \
                     trainieren."
                        .into()
                ),
                (H2, "Neue Pflichten".into()),
                (
                    P,
                    "Anbieter müssen ihre Trainingsdaten dokumentieren und Sicherheitstests \
                     durchführen, bevor sie Modelle in der Union anbieten. Verstöße werden mit \
                     Bußgeldern belegt."
                        .into()
                ),
            ]
        );
    }

    #[test]
    fn hyphenation_at_line_ends() {
        let mut s = String::from("Regu-");
        join_wrapped(&mut s, "lierung");
        assert_eq!(s, "Regulierung");
        let mut s = String::from("die KI-");
        join_wrapped(&mut s, "Strategie");
        assert_eq!(s, "die KI-Strategie");
        let mut s = String::from("Frist -");
        join_wrapped(&mut s, "und");
        assert_eq!(s, "Frist - und");
    }

    #[test]
    fn ragged_lines_are_not_joined() {
        let lines: Vec<String> = [
            "Kurz.",
            "Eine deutlich längere Zeile, die für sich allein einen ganzen Absatz bildet und weit über hundert Zeichen hinausgeht.",
            "Noch eine.",
            "Und eine weitere Zeile mittlerer Länge.",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(wrap_width(&lines), None);
    }

    #[test]
    fn list_items_and_lost_text() {
        let got = blocks("Liste\n- erstens\n* zweitens\n1. drittens\n\n\nSchluss");
        assert_eq!(
            got,
            vec![
                (H1, "Liste".into()),
                (BlockKind::ListItem, "erstens".into()),
                (BlockKind::ListItem, "zweitens".into()),
                (BlockKind::ListItem, "1. drittens".into()),
                (P, "Schluss".into()),
            ]
        );
    }

    #[test]
    fn long_first_line_is_a_paragraph_with_a_short_title() {
        let line = "Wort ".repeat(60);
        let doc = extract_text(&line);
        assert_eq!(doc.blocks[0].kind, P);
        assert!(
            doc.meta
                .title
                .is_some_and(|t| t.ends_with('…') && t.len() < 110)
        );
    }

    #[test]
    fn seed_op_ed_is_sensible() {
        let path = "/work/shared/seed/ai-action-summit-kooperation-und-konflikt.txt";
        let Ok(source) = std::fs::read_to_string(path) else {
            eprintln!("skipping: {path} not present");
            return;
        };
        let doc = extract_text(&source);
        assert_eq!(
            doc.meta.title.as_deref(),
            Some("AI Action Summit: Zwischen Kooperation und Konflikt")
        );
        let is_heading = |t: &str| doc.blocks.iter().any(|b| b.kind == H2 && b.text == t);
        assert!(is_heading("Die drängenden Fragen der KI-Regulierung"));
        assert!(is_heading(
            "Frankreich und Indien setzen auf inklusive KI-Entwicklung"
        ));
        let words_in: usize = source.split_whitespace().count();
        let words_out: usize = doc.blocks.iter().map(|b| word_count(&b.text)).sum();
        assert_eq!(words_in, words_out, "text extraction must not lose words");
    }
}
