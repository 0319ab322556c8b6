//! `polsearch cites DOC` and `polsearch cited-by TARGET`: who cites whom, from the references
//! each passage was indexed with (see [`crate::reference`]).
//!
//! Exit codes: 0 listed; 1 the document or target is well formed but nothing is referenced;
//! 2 an id or target that cannot be read, or another error.

use std::collections::HashSet;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use anyhow::bail;
use serde::Serialize;

use super::lookup::{self, Found, Target};
use super::{EXIT_NO_HITS, EXIT_OK};
use crate::cli::{CitedByArgs, CitesArgs, Cli};
use crate::hit::Hit;
use crate::output::{self, TextStyle, sanitize_line};
use crate::reference;
use crate::snippet;

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const ID: &str = "\x1b[35m";
const RESET: &str = "\x1b[0m";

/// Characters of a passage shown around its reference in `cites`.
const FRAGMENT_CHARS: usize = 160;

/// One target of a document, as `cites --json` prints it.
#[derive(Debug, Serialize)]
struct Cited {
    target: String,
    label: String,
    /// Passages of the document that reference it.
    count: usize,
    /// For a url: the document of the corpus at that url, if there is one.
    document: Option<String>,
    passages: Vec<Citing>,
}

/// A passage doing the referencing.
#[derive(Debug, Serialize)]
struct Citing {
    passage_id: String,
    ordinal: u64,
    section: Option<String>,
    heading: Option<String>,
    /// The part of the passage around the reference.
    fragment: String,
}

pub fn cites(cli: &Cli, args: &CitesArgs, color: bool) -> anyhow::Result<ExitCode> {
    let target = lookup::parse_id(&args.doc)?;
    let Target::Document(doc_id) = target else {
        bail!(
            "{:?} is a passage id; `cites` takes a document id (such as {})",
            args.doc,
            target.doc_id()
        );
    };
    let searcher = lookup::open(&cli.index)?;
    let first = match lookup::find(&searcher, &Target::Document(doc_id.clone()))? {
        Found::Document(first) | Found::Passage(first) => first,
        Found::Missing(reason) => {
            eprintln!("polsearch: {reason}");
            return Ok(ExitCode::from(EXIT_NO_HITS));
        }
    };
    let mut cited: Vec<Cited> = Vec::new();
    // Passages come in document order, so targets are listed by their first reference.
    for (hit, targets) in searcher.references_of(&doc_id)? {
        for target in targets {
            let citing = Citing {
                fragment: fragment_around(&hit, &target),
                passage_id: hit.passage_id.clone(),
                ordinal: hit.ordinal,
                section: hit.section.clone(),
                heading: hit.heading.clone(),
            };
            match cited.iter_mut().find(|c| c.target == target) {
                Some(entry) => entry.passages.push(citing),
                None => cited.push(Cited {
                    label: reference::label(&target),
                    target,
                    count: 0,
                    document: None,
                    passages: vec![citing],
                }),
            }
        }
    }
    if cited.is_empty() {
        eprintln!("polsearch: {doc_id} references no act, instrument or url polsearch knows");
        return Ok(ExitCode::from(EXIT_NO_HITS));
    }
    for entry in &mut cited {
        entry.count = entry.passages.len();
        if let Some(url) = entry.target.strip_prefix("url:") {
            entry.document = searcher.document_at(url)?.filter(|d| *d != doc_id);
        }
    }
    let mut out = BufWriter::new(io::stdout().lock());
    if args.json {
        for entry in &cited {
            serde_json::to_writer(&mut out, entry)?;
            out.write_all(b"\n")?;
        }
    } else {
        write_cites(&mut out, &first, &cited, color)?;
    }
    out.flush()?;
    Ok(ExitCode::from(EXIT_OK))
}

fn write_cites<W: Write>(out: &mut W, doc: &Hit, cited: &[Cited], color: bool) -> io::Result<()> {
    let paint = |code: &'static str| if color { code } else { "" };
    writeln!(
        out,
        "{}{}{} [{}]",
        paint(BOLD),
        sanitize_line(&doc.title),
        paint(RESET),
        sanitize_line(&doc.lang)
    )?;
    writeln!(out, "  {}", sanitize_line(&doc.doc_id))?;
    for entry in cited {
        writeln!(out)?;
        let passages = if entry.count == 1 {
            "1 passage".to_string()
        } else {
            format!("{} passages", entry.count)
        };
        let document = entry
            .document
            .as_deref()
            .map(|d| format!("  → {}", sanitize_line(d)))
            .unwrap_or_default();
        writeln!(
            out,
            "{}{}{}  {}{}  {passages}{}{document}",
            paint(BOLD),
            sanitize_line(&entry.label),
            paint(RESET),
            paint(DIM),
            sanitize_line(&entry.target),
            paint(RESET),
        )?;
        for citing in &entry.passages {
            let place = citing
                .section
                .as_deref()
                .or(citing.heading.as_deref())
                .map(|p| format!("  § {}", sanitize_line(p)))
                .unwrap_or_default();
            writeln!(
                out,
                "  {}{}{}{place}",
                paint(ID),
                sanitize_line(&citing.passage_id),
                paint(RESET)
            )?;
            writeln!(out, "    {}", sanitize_line(&citing.fragment))?;
        }
    }
    Ok(())
}

/// A short part of the passage around its first reference to `target`.
fn fragment_around(hit: &Hit, target: &str) -> String {
    let ranges = mention_ranges(hit, &[target.to_string()]);
    let fragment = snippet::best_fragment(&hit.text, &ranges, FRAGMENT_CHARS);
    format!(
        "{}{}{}",
        if fragment.cut_start { "… " } else { "" },
        fragment.text,
        if fragment.cut_end { " …" } else { "" }
    )
}

/// Where the passage first mentions each of `targets`, as highlight ranges.
fn mention_ranges(hit: &Hit, targets: &[String]) -> Vec<[usize; 2]> {
    let ranges = reference::find(&hit.text, Some(&hit.lang))
        .into_iter()
        .chain(reference::find(&hit.text, None))
        .filter(|r| targets.contains(&r.target))
        .map(|r| r.start..r.end)
        .collect();
    snippet::char_ranges(&hit.text, ranges)
}

pub fn cited_by(cli: &Cli, args: &CitedByArgs, color: bool) -> anyhow::Result<ExitCode> {
    let input = args.target.trim();
    if input.is_empty() {
        bail!(
            "the target is empty (an act number, a name such as \"AI Act\", a url or a document id)"
        );
    }
    let searcher = lookup::open(&cli.index)?;
    // A document id of the corpus is looked up first: its url and act number are what others
    // cite it by.
    let document = match lookup::parse_id(input) {
        Ok(Target::Document(doc_id)) => searcher
            .first_passages(&doc_id, 1)?
            .into_iter()
            .next()
            .map(|first| (doc_id, first)),
        _ => None,
    };
    let (targets, about) = match &document {
        Some((doc_id, first)) => {
            let targets = reference::own_targets(&first.title, first.url.as_deref());
            if targets.is_empty() {
                eprintln!(
                    "polsearch: {doc_id} has no url and no act number in its title by which \
                     others could cite it"
                );
                return Ok(ExitCode::from(EXIT_NO_HITS));
            }
            (targets, doc_id.clone())
        }
        None => match reference::resolve(input) {
            Some(target) => (vec![target.clone()], reference::label(&target)),
            None => bail!(
                "{input:?} is not a target polsearch can read (an act number such as \
                 2024/1689, a name such as \"AI Act\" or \"KI-Verordnung\", a url, or a \
                 document id of the index)"
            ),
        },
    };
    let own_doc = document.as_ref().map(|(id, _)| id.as_str());
    let mut seen = HashSet::new();
    let mut hits: Vec<Hit> = Vec::new();
    for target in &targets {
        for hit in searcher.referencing(target)? {
            if Some(hit.doc_id.as_str()) != own_doc && seen.insert(hit.passage_id.clone()) {
                hits.push(hit);
            }
        }
    }
    if hits.is_empty() {
        eprintln!("polsearch: nothing in the index references {about}");
        return Ok(ExitCode::from(EXIT_NO_HITS));
    }
    // Newest first; ISO dates order as strings, and undated documents go last.
    hits.sort_by(|a, b| {
        b.date
            .is_some()
            .cmp(&a.date.is_some())
            .then_with(|| b.date.cmp(&a.date))
            .then_with(|| a.doc_id.cmp(&b.doc_id))
            .then_with(|| a.ordinal.cmp(&b.ordinal))
    });
    hits.truncate(args.limit.max(1));
    for (i, hit) in hits.iter_mut().enumerate() {
        hit.rank = i + 1;
        hit.highlights = mention_ranges(hit, &targets);
    }
    let mut out = BufWriter::new(io::stdout().lock());
    if args.json {
        output::write_json(&mut out, &hits)?;
    } else {
        output::write_text(
            &mut out,
            &hits,
            TextStyle {
                color,
                full: args.full,
            },
        )?;
    }
    out.flush()?;
    Ok(ExitCode::from(EXIT_OK))
}
