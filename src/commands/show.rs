//! `polsearch show ID`: one passage in full with the passages around it, its place in the
//! document, the document's metadata and a ready citation; or a document's metadata and first
//! passages. `--parallel` adds the same unit of a law in the act's other languages.
//!
//! Exit codes: 0 shown, 1 the id is well formed but not in the index, 2 a malformed id or
//! another error.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use serde::Serialize;

use super::lookup::{self, Found};
use super::{EXIT_NO_HITS, EXIT_OK};
use crate::cite::{self, Date, Scope};
use crate::cli::{CiteStyle, Cli, ShowArgs};
use crate::hit::Hit;
use crate::instrument;
use crate::output::{heading_title, sanitize_line};
use crate::store::StoreError;
use crate::store::reader::Searcher;
use crate::structure;

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const ID: &str = "\x1b[35m";
const RESET: &str = "\x1b[0m";

/// At most this many passages of one unit are looked up across the act's languages (an
/// article of the AI Act has a few dozen in all languages together).
const UNIT_PASSAGES_LIMIT: usize = 10_000;

/// A passage as `show --json` prints it: the hit object of `search --json` plus its place in
/// this view.
#[derive(Debug, Serialize)]
struct Shown<'a> {
    #[serde(flatten)]
    hit: &'a Hit,
    /// Offset from the passage asked for (negative before it); for a document, the position
    /// among its first passages; 0 for a parallel passage.
    context: i64,
    /// For a passage of `--parallel`: the id of the passage it translates.
    #[serde(skip_serializing_if = "Option::is_none")]
    parallel_to: Option<&'a str>,
}

/// The same unit in another language.
struct ParallelText {
    lang: String,
    doc_id: String,
    passages: Vec<Hit>,
    /// Other documents of this language that hold the unit too (not copies).
    others: Vec<String>,
}

/// What `--parallel` found.
enum Parallel {
    Found(Vec<ParallelText>),
    /// Why there is nothing to show, in one line.
    None(String),
}

pub fn run(cli: &Cli, args: &ShowArgs, color: bool) -> anyhow::Result<ExitCode> {
    let target = lookup::parse_id(&args.id)?;
    let accessed = lookup::accessed(args.accessed.as_deref())?;
    let searcher = lookup::open(&cli.index)?;
    let mut out = BufWriter::new(io::stdout().lock());
    let paint = Paint { color };
    match lookup::find(&searcher, &target)? {
        Found::Missing(reason) => {
            eprintln!("polsearch: {reason}");
            return Ok(ExitCode::from(EXIT_NO_HITS));
        }
        Found::Passage(hit) => {
            let (before, after) = searcher.neighbours(&hit.doc_id, hit.ordinal, args.context)?;
            let mut shown: Vec<(i64, Hit)> = Vec::new();
            let n_before = before.len() as i64;
            shown.extend(
                before
                    .into_iter()
                    .enumerate()
                    .map(|(i, h)| (i as i64 - n_before, h)),
            );
            shown.push((0, hit.clone()));
            shown.extend(
                after
                    .into_iter()
                    .enumerate()
                    .map(|(i, h)| (i as i64 + 1, h)),
            );
            let parallel = if args.parallel {
                Some(parallel(&searcher, &hit)?)
            } else {
                None
            };
            if args.json {
                let mut rows: Vec<Shown> = shown
                    .iter()
                    .map(|(offset, hit)| Shown {
                        hit,
                        context: *offset,
                        parallel_to: None,
                    })
                    .collect();
                match &parallel {
                    Some(Parallel::Found(texts)) => {
                        for text in texts {
                            rows.extend(text.passages.iter().map(|p| Shown {
                                hit: p,
                                context: 0,
                                parallel_to: Some(&hit.passage_id),
                            }));
                        }
                    }
                    Some(Parallel::None(reason)) => eprintln!("polsearch: {reason}"),
                    None => {}
                }
                write_json(&mut out, rows)?;
            } else {
                write_metadata(&mut out, &hit, paint)?;
                for (offset, passage) in &shown {
                    writeln!(out)?;
                    write_passage(&mut out, passage, *offset == 0, paint)?;
                }
                match &parallel {
                    Some(Parallel::Found(texts)) => write_parallel(&mut out, texts, paint)?,
                    Some(Parallel::None(reason)) => {
                        writeln!(out)?;
                        writeln!(out, "{}", sanitize_line(reason))?;
                    }
                    None => {}
                }
                writeln!(out)?;
                write_citation(&mut out, &hit, Scope::Passage, args.style, accessed)?;
            }
        }
        Found::Document(first) => {
            let passages = searcher.first_passages(&first.doc_id, 2 * args.context + 1)?;
            if args.parallel {
                eprintln!(
                    "polsearch: --parallel needs a passage id; {} is a document",
                    first.doc_id
                );
            }
            if args.json {
                let rows = passages
                    .iter()
                    .enumerate()
                    .map(|(i, hit)| Shown {
                        hit,
                        context: i as i64,
                        parallel_to: None,
                    })
                    .collect();
                write_json(&mut out, rows)?;
            } else {
                write_metadata(&mut out, &first, paint)?;
                for passage in &passages {
                    writeln!(out)?;
                    write_passage(&mut out, passage, false, paint)?;
                }
                writeln!(out)?;
                write_citation(&mut out, &first, Scope::Document, args.style, accessed)?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::from(EXIT_OK))
}

/// The same unit as `hit` (its article, paragraph, recital or annex) in the other languages
/// of its act: documents whose title carries the same act number, one per language, copies
/// (documents listed in `also_in`) left out.
fn parallel(searcher: &Searcher, hit: &Hit) -> Result<Parallel, StoreError> {
    let Some(key) = hit.section.as_deref().and_then(structure::parse_target) else {
        return Ok(Parallel::None(format!(
            "{} belongs to no article, recital or annex of a law; there is no parallel text",
            hit.passage_id
        )));
    };
    let Some(number) = instrument::act_number(&hit.title) else {
        return Ok(Parallel::None(format!(
            "the title of {} names no act number (such as 2024/1689); its other languages \
             cannot be told",
            hit.doc_id
        )));
    };
    // The whole article is looked up, so that a language whose paragraphs were not told
    // apart still shows the article.
    let base = key.split('(').next().unwrap_or(&key).to_string();
    let candidates = searcher.unit_passages(&base, &number, UNIT_PASSAGES_LIMIT)?;
    let copies: BTreeSet<&str> = candidates
        .iter()
        .chain(std::iter::once(hit))
        .flat_map(|p| p.also_in.iter().map(String::as_str))
        .collect();
    let mut by_doc: BTreeMap<&str, Vec<&Hit>> = BTreeMap::new();
    for passage in &candidates {
        let same_act = instrument::act_number(&passage.title).as_deref() == Some(number.as_str());
        if same_act
            && passage.doc_id != hit.doc_id
            && passage.lang != hit.lang
            && !copies.contains(passage.doc_id.as_str())
        {
            by_doc.entry(&passage.doc_id).or_default().push(passage);
        }
    }
    let mut by_lang: BTreeMap<String, Vec<(String, Vec<Hit>)>> = BTreeMap::new();
    for (doc_id, passages) in by_doc {
        let exact: Vec<Hit> = passages
            .iter()
            .filter(|p| p.section.as_deref().and_then(structure::parse_target) == Some(key.clone()))
            .map(|p| (*p).clone())
            .collect();
        let unit = if exact.is_empty() {
            passages.into_iter().cloned().collect()
        } else {
            exact
        };
        // A language is the language of the document (its first passage here), not of a
        // passage whose detection strayed.
        let lang = unit[0].lang.clone();
        by_lang
            .entry(lang)
            .or_default()
            .push((doc_id.to_string(), unit));
    }
    if by_lang.is_empty() {
        return Ok(Parallel::None(format!(
            "no other language of act {number} in the index holds {}",
            hit.section.as_deref().unwrap_or(&key)
        )));
    }
    let texts = by_lang
        .into_iter()
        .map(|(lang, mut docs)| {
            // The shortest id is the plain text ("nl" before "nl-consolidated-…"), as cleaning
            // picks originals.
            docs.sort_by(|a, b| a.0.len().cmp(&b.0.len()).then_with(|| a.0.cmp(&b.0)));
            let mut docs = docs.into_iter();
            let (doc_id, passages) = docs.next().expect("a language has a document");
            ParallelText {
                lang,
                doc_id,
                passages,
                others: docs.map(|(id, _)| id).collect(),
            }
        })
        .collect();
    Ok(Parallel::Found(texts))
}

#[derive(Clone, Copy)]
struct Paint {
    color: bool,
}

impl Paint {
    fn code(self, code: &'static str) -> &'static str {
        if self.color { code } else { "" }
    }
}

fn write_json<W: Write>(out: &mut W, mut rows: Vec<Shown>) -> io::Result<()> {
    for (i, row) in rows.iter_mut().enumerate() {
        let mut hit = row.hit.clone();
        hit.rank = i + 1;
        let shown = Shown {
            hit: &hit,
            context: row.context,
            parallel_to: row.parallel_to,
        };
        serde_json::to_writer(&mut *out, &shown)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// The document's metadata, one `key  value` line each, known values only.
fn write_metadata<W: Write>(out: &mut W, hit: &Hit, paint: Paint) -> io::Result<()> {
    writeln!(
        out,
        "{}{}{}",
        paint.code(BOLD),
        sanitize_line(&hit.title),
        paint.code(RESET)
    )?;
    let fields: [(&str, Option<&str>); 8] = [
        ("document", Some(&hit.doc_id)),
        ("author", hit.author.as_deref()),
        ("date", hit.date.as_deref()),
        ("site", hit.site.as_deref()),
        ("url", hit.url.as_deref()),
        ("type", hit.doc_type.as_deref()),
        ("lang", Some(&hit.lang)),
        ("path", Some(&hit.path)),
    ];
    for (name, value) in fields {
        if let Some(value) = value {
            writeln!(
                out,
                "  {dim}{name:<9}{reset}{}",
                sanitize_line(value),
                dim = paint.code(DIM),
                reset = paint.code(RESET)
            )?;
        }
    }
    Ok(())
}

/// One passage: its id and place (label, heading, page), its whole text, its copies.
fn write_passage<W: Write>(out: &mut W, hit: &Hit, asked: bool, paint: Paint) -> io::Result<()> {
    let place = match (&hit.section, &hit.heading) {
        (Some(section), Some(heading)) => Some(match heading_title(heading) {
            Some("") => section.clone(),
            Some(title) => format!("{section} — {title}"),
            None => format!("{section} — {heading}"),
        }),
        (Some(section), None) => Some(section.clone()),
        (None, heading) => heading.clone(),
    };
    let page = hit.page.map(|p| format!("  p. {p}")).unwrap_or_default();
    writeln!(
        out,
        "{mark}{id}{passage}{reset}{page}{place}",
        mark = if asked { "> " } else { "  " },
        id = paint.code(if asked { BOLD } else { ID }),
        passage = sanitize_line(&hit.passage_id),
        reset = paint.code(RESET),
        place = place
            .map(|p| format!(
                "  {}§ {}{}",
                paint.code(DIM),
                sanitize_line(&p),
                paint.code(RESET)
            ))
            .unwrap_or_default(),
    )?;
    for line in hit.text.lines() {
        writeln!(out, "    {}", sanitize_line(line))?;
    }
    if !hit.also_in.is_empty() {
        let ids: Vec<String> = hit.also_in.iter().map(|id| sanitize_line(id)).collect();
        writeln!(
            out,
            "    {}also in: {}{}",
            paint.code(DIM),
            ids.join(", "),
            paint.code(RESET)
        )?;
    }
    Ok(())
}

fn write_parallel<W: Write>(out: &mut W, texts: &[ParallelText], paint: Paint) -> io::Result<()> {
    for text in texts {
        writeln!(out)?;
        writeln!(
            out,
            "{bold}[{}] {}{reset}",
            sanitize_line(&text.lang),
            sanitize_line(&text.doc_id),
            bold = paint.code(BOLD),
            reset = paint.code(RESET)
        )?;
        for passage in &text.passages {
            write_passage(out, passage, false, paint)?;
        }
        if !text.others.is_empty() {
            let others: Vec<String> = text.others.iter().map(|id| sanitize_line(id)).collect();
            writeln!(
                out,
                "    {}also in this language: {}{}",
                paint.code(DIM),
                others.join(", "),
                paint.code(RESET)
            )?;
        }
    }
    Ok(())
}

/// The citation of the passage or document: one line in APA or Chicago, a record in the
/// reference-manager formats.
fn write_citation<W: Write>(
    out: &mut W,
    hit: &Hit,
    scope: Scope,
    style: CiteStyle,
    accessed: Date,
) -> io::Result<()> {
    let citation = cite::citation(hit, scope);
    match super::cite::style(style) {
        style @ (cite::Style::Apa | cite::Style::Chicago) => writeln!(
            out,
            "cite: {}",
            sanitize_line(&cite::reference(&citation, style, accessed))
        ),
        style => {
            writeln!(out, "cite:")?;
            out.write_all(cite::render(&[citation], style, accessed).as_bytes())
        }
    }
}
