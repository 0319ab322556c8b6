//! Rendering hits: grep-like text for people (with colour when wanted), JSON Lines for scripts.
//!
//! Printers write to any `io::Write`, so tests print into a `Vec<u8>`. Nothing from a document
//! reaches the terminal unsanitised: a scraped page must not be able to move the cursor, clear
//! the screen or write the clipboard.

use std::io::{self, Write};

use crate::hit::Hit;
use crate::snippet;

/// Characters of a passage shown without `--full`.
pub const FRAGMENT_CHARS: usize = 300;

const BOLD: &str = "\x1b[1m";
const MATCH: &str = "\x1b[1;31m";
const DIM: &str = "\x1b[2m";
const ID: &str = "\x1b[35m";
const RESET: &str = "\x1b[0m";

/// How hits are printed.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextStyle {
    pub color: bool,
    /// Print whole passages instead of their best fragment.
    pub full: bool,
}

/// Prints `hits` for people.
pub fn write_text<W: Write>(out: &mut W, hits: &[Hit], style: TextStyle) -> io::Result<()> {
    for (i, hit) in hits.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        write_text_hit(out, hit, style)?;
    }
    Ok(())
}

fn write_text_hit<W: Write>(out: &mut W, hit: &Hit, style: TextStyle) -> io::Result<()> {
    let paint = |code: &'static str| if style.color { code } else { "" };
    let reset = paint(RESET);
    let mut byline = Vec::new();
    if let Some(author) = &hit.author {
        byline.push(sanitize_line(author));
    }
    if let Some(date) = &hit.date {
        byline.push(sanitize_line(date));
    }
    if let Some(site) = &hit.site {
        byline.push(sanitize_line(site));
    }
    let byline = if byline.is_empty() {
        String::new()
    } else {
        format!(" — {}", byline.join(", "))
    };
    writeln!(
        out,
        "{bold}{rank}. {title}{reset}{byline} [{lang}]",
        bold = paint(BOLD),
        rank = hit.rank,
        title = sanitize_line(&hit.title),
        lang = hit.lang,
    )?;
    let page = hit.page.map(|p| format!(", p. {p}")).unwrap_or_default();
    writeln!(
        out,
        "   {id}{passage}{reset}  {dim}{path}{page}{reset}",
        id = paint(ID),
        passage = sanitize_line(&hit.passage_id),
        dim = paint(DIM),
        path = sanitize_line(&hit.path),
    )?;
    // The structural label leads, as a citation would name it; the heading adds the words.
    let place = match (&hit.section, &hit.heading) {
        (Some(section), Some(heading)) => Some(match heading_title(heading) {
            Some(title) if !title.is_empty() => format!("{section} — {title}"),
            Some(_) => section.clone(),
            None => format!("{section} — {heading}"),
        }),
        (Some(section), None) => Some(section.clone()),
        (None, heading) => heading.clone(),
    };
    if let Some(place) = place {
        writeln!(
            out,
            "   {dim}§ {}{reset}",
            sanitize_line(&place),
            dim = paint(DIM)
        )?;
    }
    let fragment = if style.full {
        snippet::Fragment {
            text: hit.text.clone(),
            highlights: hit.highlights.clone(),
            cut_start: false,
            cut_end: false,
        }
    } else {
        snippet::best_fragment(&hit.text, &hit.highlights, FRAGMENT_CHARS)
    };
    write!(out, "   ")?;
    if fragment.cut_start {
        write!(out, "…")?;
    }
    let (open, close) = if style.color {
        (MATCH, RESET)
    } else {
        ("", "")
    };
    let mut marks = fragment.highlights.iter().peekable();
    for (i, c) in fragment.text.chars().enumerate() {
        if let Some([start, _]) = marks.peek()
            && *start == i
        {
            out.write_all(open.as_bytes())?;
        }
        match c {
            '\n' => write!(out, "\n   ")?,
            c if is_unsafe(c) => {}
            c => write!(out, "{c}")?,
        }
        if let Some([_, end]) = marks.peek()
            && *end == i + 1
        {
            out.write_all(close.as_bytes())?;
            marks.next();
        }
    }
    if fragment.cut_end {
        write!(out, "…")?;
    }
    writeln!(out)?;
    if !hit.also_in.is_empty() {
        let ids: Vec<String> = hit.also_in.iter().map(|id| sanitize_line(id)).collect();
        writeln!(
            out,
            "   {dim}also in: {}{reset}",
            ids.join(", "),
            dim = paint(DIM)
        )?;
    }
    Ok(())
}

/// The title part of a heading that names its own unit ("Artikel 5 – Verbotene Praktiken" →
/// "Verbotene Praktiken", "Anhang I" → ""), so the label is not printed twice; `None` when the
/// heading does not start with a unit.
pub fn heading_title(heading: &str) -> Option<&str> {
    let (head, title) = [" – ", " — ", " - ", ": "]
        .iter()
        .find_map(|sep| heading.split_once(sep))
        .unwrap_or((heading, ""));
    crate::structure::parse_target(head.trim()).map(|_| title.trim())
}

/// Prints one JSON object per hit, one per line.
pub fn write_json<W: Write>(out: &mut W, hits: &[Hit]) -> io::Result<()> {
    for hit in hits {
        serde_json::to_writer(&mut *out, hit)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Control characters (C0, C1, DEL) and bidirectional overrides: never printed.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// `text` on one line with nothing that could steer a terminal.
pub fn sanitize_line(text: &str) -> String {
    text.chars()
        .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
        .filter(|c| !is_unsafe(*c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(text: &str, highlights: Vec<[usize; 2]>) -> Hit {
        Hit {
            rank: 1,
            score: 1.5,
            passage_id: "de/gipfel#p3".to_string(),
            doc_id: "de/gipfel".to_string(),
            ordinal: 3,
            title: "Der Gipfel\x1b[2J".to_string(),
            author: Some("Maxime Lefebvre".to_string()),
            date: Some("2025-02-26".to_string()),
            site: None,
            doc_type: None,
            url: None,
            lang: "de".to_string(),
            path: "de/gipfel.txt".to_string(),
            heading: Some("Die Fragen".to_string()),
            section: None,
            page: None,
            also_in: Vec::new(),
            text: text.to_string(),
            highlights,
        }
    }

    fn render(hit: &Hit, style: TextStyle) -> String {
        let mut out = Vec::new();
        write_text(&mut out, std::slice::from_ref(hit), style).expect("write to Vec");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn plain_output_is_compact_and_free_of_escapes() {
        let text = "Die KI-Regulierung\x1b]52;c;ZXZpbA==\x07 bleibt schwierig.";
        let out = render(&hit(text, vec![[7, 18]]), TextStyle::default());
        assert_eq!(
            out,
            "1. Der Gipfel[2J — Maxime Lefebvre, 2025-02-26 [de]\n   de/gipfel#p3  de/gipfel.txt\n   \
             § Die Fragen\n   Die KI-Regulierung]52;c;ZXZpbA== bleibt schwierig.\n"
        );
        assert!(!out.contains('\x1b') && !out.contains('\x07'));
    }

    #[test]
    fn colour_marks_exactly_the_highlights() {
        let out = render(
            &hit("Die KI-Regulierung bleibt", vec![[7, 18]]),
            TextStyle {
                color: true,
                full: false,
            },
        );
        assert!(
            out.contains("KI-\x1b[1;31mRegulierung\x1b[0m bleibt"),
            "{out:?}"
        );
    }

    #[test]
    fn json_lines_parse_back() {
        let hits = [hit("eins", vec![[0, 4]]), hit("zwei", vec![])];
        let mut out = Vec::new();
        write_json(&mut out, &hits).expect("write");
        let text = String::from_utf8(out).expect("utf-8");
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).expect("valid JSON"))
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["highlights"], serde_json::json!([[0, 4]]));
        assert_eq!(lines[0]["passage_id"], "de/gipfel#p3");
    }
}
