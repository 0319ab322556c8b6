//! Rendering hits: grep-like text for people (with colour when wanted), JSON Lines for scripts,
//! CSV and TSV for spreadsheets; and the facets of a result list.
//!
//! Printers write to any `io::Write`, so tests print into a `Vec<u8>`. Nothing from a document
//! reaches the terminal unsanitised: a scraped page must not be able to move the cursor, clear
//! the screen or write the clipboard.

use std::io::{self, Write};

use crate::hit::{Explain, Hit};
use crate::snippet;
use crate::store::facets::Facets;

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
    if let Some(more) = hit.more_in_doc {
        writeln!(
            out,
            "   {dim}+{more} more in this document{reset}",
            dim = paint(DIM)
        )?;
    }
    if let Some(explain) = &hit.explain {
        write_explain(out, explain, hit.score, paint(DIM), reset)?;
    }
    Ok(())
}

/// Score parts shown per hit; the rest are summed.
const SCORE_PARTS: usize = 6;

/// `why:` (query word → passage words, and how they met) and `score:` (its largest parts).
fn write_explain<W: Write>(
    out: &mut W,
    explain: &Explain,
    score: f32,
    dim: &str,
    reset: &str,
) -> io::Result<()> {
    let mut by_query: Vec<(&str, Vec<String>)> = Vec::new();
    for m in &explain.matches {
        let times = if m.count > 1 {
            format!(" ×{}", m.count)
        } else {
            String::new()
        };
        let shown = format!("{} ({}){times}", sanitize_line(&m.passage), m.how.label());
        match by_query.iter_mut().find(|(q, _)| *q == m.query) {
            Some((_, list)) => list.push(shown),
            None => by_query.push((&m.query, vec![shown])),
        }
    }
    let why: Vec<String> = by_query
        .iter()
        .map(|(q, list)| {
            let q = if q.is_empty() { "?" } else { q };
            format!("{} → {}", sanitize_line(q), list.join(", "))
        })
        .collect();
    if !why.is_empty() {
        writeln!(out, "   {dim}why: {}{reset}", why.join("; "))?;
    }
    let mut parts: Vec<String> = explain
        .score
        .iter()
        .take(SCORE_PARTS)
        .map(|p| {
            let name = if p.field.is_empty() {
                sanitize_line(&p.term)
            } else {
                format!("{}:{}", p.field, sanitize_line(&p.term))
            };
            if (p.boost - 1.0).abs() > f32::EPSILON {
                format!("{:.2} {name} ({:.2}×{})", p.points, p.bm25, p.boost)
            } else {
                format!("{:.2} {name}", p.points)
            }
        })
        .collect();
    if explain.score.len() > SCORE_PARTS {
        let rest: f32 = explain.score[SCORE_PARTS..].iter().map(|p| p.points).sum();
        parts.push(format!(
            "{rest:.2} in {} more",
            explain.score.len() - SCORE_PARTS
        ));
    }
    if !parts.is_empty() {
        writeln!(
            out,
            "   {dim}score {score:.2} = {}{reset}",
            parts.join(" + ")
        )?;
    }
    Ok(())
}

/// Width of the longest bar of the year histogram, in columns.
const HISTOGRAM_WIDTH: usize = 40;
/// Values shown per facet line; the rest are summed.
const FACET_VALUES: usize = 8;

/// Prints facets for people: one line per facet, then hits per year as bars.
pub fn write_facets_text<W: Write>(
    out: &mut W,
    facets: &Facets,
    total: u64,
    color: bool,
) -> io::Result<()> {
    let (bold, reset) = if color { (BOLD, RESET) } else { ("", "") };
    writeln!(out)?;
    writeln!(
        out,
        "{bold}{total} {}{reset}",
        if total == 1 { "hit" } else { "hits" }
    )?;
    for (name, counts) in [
        ("language", &facets.lang),
        ("source", &facets.site),
        ("type", &facets.doc_type),
    ] {
        let mut shown: Vec<String> = counts
            .0
            .iter()
            .take(FACET_VALUES)
            .map(|(key, n)| format!("{} {n}", sanitize_line(key)))
            .collect();
        if counts.0.len() > FACET_VALUES {
            let rest: u64 = counts.0[FACET_VALUES..].iter().map(|(_, n)| n).sum();
            shown.push(format!("{} more {rest}", counts.0.len() - FACET_VALUES));
        }
        writeln!(out, "  {name:<9} {}", shown.join(" · "))?;
    }
    let most = facets.year.0.iter().map(|(_, n)| *n).max().unwrap_or(0);
    if most > 0 {
        writeln!(out, "  year")?;
    }
    for (year, n) in &facets.year.0 {
        // Every year with hits gets at least one block, so none looks empty.
        let width = ((*n as f64 / most as f64) * HISTOGRAM_WIDTH as f64).round() as usize;
        let bar = "█".repeat(width.max(1));
        writeln!(
            out,
            "    {:<9} {bar:<width$} {n}",
            sanitize_line(year),
            width = HISTOGRAM_WIDTH
        )?;
    }
    Ok(())
}

/// Prints the facets as the final JSON line: `{"facets": {…}, "total": N}`.
pub fn write_facets_json<W: Write>(out: &mut W, facets: &Facets, total: u64) -> io::Result<()> {
    // A struct, not `json!`: a `Value` would sort the keys and lose the printed order.
    #[derive(serde::Serialize)]
    struct Summary<'a> {
        facets: &'a Facets,
        total: u64,
    }
    serde_json::to_writer(&mut *out, &Summary { facets, total })?;
    out.write_all(b"\n")
}

/// Columns of `--format csv` and `--format tsv`, in order.
pub const TABLE_COLUMNS: [&str; 18] = [
    "rank",
    "score",
    "passage_id",
    "doc_id",
    "title",
    "author",
    "date",
    "site",
    "url",
    "type",
    "lang",
    "path",
    "section",
    "page",
    "heading",
    "text",
    "also_in",
    "generation",
];

/// One hit as the values of [`TABLE_COLUMNS`].
fn table_row(hit: &Hit) -> [String; 18] {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    [
        hit.rank.to_string(),
        hit.score.to_string(),
        hit.passage_id.clone(),
        hit.doc_id.clone(),
        hit.title.clone(),
        opt(&hit.author),
        opt(&hit.date),
        opt(&hit.site),
        opt(&hit.url),
        opt(&hit.doc_type),
        hit.lang.clone(),
        hit.path.clone(),
        opt(&hit.section),
        hit.page.map(|p| p.to_string()).unwrap_or_default(),
        opt(&hit.heading),
        hit.text.clone(),
        hit.also_in.join("; "),
        hit.generation.clone(),
    ]
}

/// Prints a header row and one row per hit as RFC 4180 CSV: fields quoted where needed,
/// newlines kept inside quotes, CRLF between records.
pub fn write_csv<W: Write>(out: &mut W, hits: &[Hit]) -> io::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    writer.write_record(TABLE_COLUMNS)?;
    for hit in hits {
        writer.write_record(table_row(hit))?;
    }
    writer.flush()
}

/// Prints a header row and one row per hit as TSV, one line per hit: a tab, newline,
/// carriage return or backslash inside a field is written `\t`, `\n`, `\r`, `\\`.
pub fn write_tsv<W: Write>(out: &mut W, hits: &[Hit]) -> io::Result<()> {
    writeln!(out, "{}", TABLE_COLUMNS.join("\t"))?;
    for hit in hits {
        let row: Vec<String> = table_row(hit).iter().map(|v| tsv_escape(v)).collect();
        writeln!(out, "{}", row.join("\t"))?;
    }
    Ok(())
}

fn tsv_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
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
            links: Vec::new(),
            text: text.to_string(),
            highlights,
            generation: "g000001:3".to_string(),
            more_in_doc: None,
            explain: None,
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
