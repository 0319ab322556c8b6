//! `polsearch cites DOC` and `polsearch cited-by TARGET`: who cites whom, from the references
//! each passage was indexed with (see [`crate::reference`]).
//!
//! Exit codes: 0 listed; 1 the document or target is well formed but nothing is referenced;
//! 2 an id or target that cannot be read, or another error.

use std::collections::{HashMap, HashSet};
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use anyhow::bail;
use serde::Serialize;

use super::lookup::{self, Found, Target};
use super::{EXIT_NO_HITS, EXIT_OK};
use crate::cli::{CitedByArgs, CitesArgs, Cli};
use crate::hit::Hit;
use crate::instrument;
use crate::output::{self, TextStyle, sanitize_line};
use crate::reference::{self, TitleMention, Titles};
use crate::snippet;

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const ID: &str = "\x1b[35m";
const RESET: &str = "\x1b[0m";

/// Characters of a passage shown around its reference in `cites`.
const FRAGMENT_CHARS: usize = 160;

/// A passage as `cites --json` prints it: the hit object of `search --json` (the references
/// highlighted) plus what it references.
#[derive(Debug, Serialize)]
struct Referencing<'a> {
    #[serde(flatten)]
    hit: &'a Hit,
    references: Vec<Reference<'a>>,
}

/// One target a passage references.
#[derive(Debug, Serialize)]
struct Reference<'a> {
    /// `eu:2024/1689`, `name:bletchley-declaration`, `url:example.org/page`, `doc:DOC_ID`.
    target: &'a str,
    label: &'a str,
    /// The document of the corpus the target is, if it is one.
    document: Option<&'a str>,
}

/// One target of a document, with the passages that reference it.
#[derive(Debug)]
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
#[derive(Debug)]
struct Citing {
    passage_id: String,
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
    let documents = searcher.documents()?;
    let titles = citable_titles(&documents, &first);
    let mut cited: Vec<Cited> = Vec::new();
    let mut referencing: Vec<(Hit, Vec<String>)> = Vec::new();
    // Passages come in document order, so targets are listed by their first reference.
    for (mut hit, mut targets) in searcher.references_of(&doc_id)? {
        let by_title = titles.find(&hit.text);
        targets.extend(
            by_title
                .iter()
                .map(|m| reference::document_target(&m.doc_id)),
        );
        // In the order the passage mentions them; a link without words goes last.
        targets.sort_by_cached_key(|t| {
            mention_ranges(&hit, std::slice::from_ref(t), &by_title)
                .first()
                .map_or(usize::MAX, |r| r[0])
        });
        if targets.is_empty() {
            continue;
        }
        hit.highlights = mention_ranges(&hit, &targets, &by_title);
        for target in &targets {
            let citing = Citing {
                fragment: fragment_around(&hit, target, &by_title),
                passage_id: hit.passage_id.clone(),
                section: hit.section.clone(),
                heading: hit.heading.clone(),
            };
            match cited.iter_mut().find(|c| c.target == *target) {
                Some(entry) => entry.passages.push(citing),
                None => cited.push(Cited {
                    label: reference::label(target),
                    target: target.clone(),
                    count: 0,
                    document: None,
                    passages: vec![citing],
                }),
            }
        }
        referencing.push((hit, targets));
    }
    if cited.is_empty() {
        eprintln!(
            "polsearch: {doc_id} references no act, instrument, url or document of the corpus \
             polsearch knows"
        );
        return Ok(ExitCode::from(EXIT_NO_HITS));
    }
    for entry in &mut cited {
        entry.count = entry.passages.len();
        if let Some(url) = entry.target.strip_prefix("url:") {
            entry.document = searcher.document_at(url)?.filter(|d| *d != doc_id);
        } else if let Some(id) = entry.target.strip_prefix("doc:") {
            if let Some(doc) = documents.iter().find(|d| d.doc_id == id) {
                entry.label = doc.title.clone();
            }
            entry.document = Some(id.to_string());
        }
    }
    let mut out = BufWriter::new(io::stdout().lock());
    if args.json {
        for (i, (hit, targets)) in referencing.iter_mut().enumerate() {
            hit.rank = i + 1;
            let references = targets
                .iter()
                .filter_map(|t| cited.iter().find(|c| c.target == *t))
                .map(|c| Reference {
                    target: &c.target,
                    label: &c.label,
                    document: c.document.as_deref(),
                })
                .collect();
            serde_json::to_writer(&mut out, &Referencing { hit, references })?;
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
        // A url is its own label: the target would only repeat it.
        let target = if entry.target.strip_prefix("url:") == Some(entry.label.as_str()) {
            String::new()
        } else {
            format!(
                "  {}{}{}",
                paint(DIM),
                sanitize_line(&entry.target),
                paint(RESET)
            )
        };
        writeln!(
            out,
            "{}{}{}{target}  {passages}{document}",
            paint(BOLD),
            sanitize_line(&entry.label),
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

/// The titles by which passages of `doc` may cite other documents of the corpus.
fn citable_titles(documents: &[Hit], doc: &Hit) -> Titles {
    Titles::new(
        documents
            .iter()
            .filter(|cited| may_cite_by_title(doc, cited))
            .map(|d| (d.doc_id.as_str(), d.title.as_str())),
    )
}

/// Whether naming `cited`'s title in `citing` is a reference: not for its own title, nor
/// for that of its other copies or language versions sharing it, nor for an act's (an act
/// is cited by its number, found as such).
fn may_cite_by_title(citing: &Hit, cited: &Hit) -> bool {
    citing.doc_id != cited.doc_id
        && citing.title.to_lowercase() != cited.title.to_lowercase()
        && instrument::act_number(&cited.title).is_none()
}

/// A short part of the passage around its first reference to `target`.
fn fragment_around(hit: &Hit, target: &str, by_title: &[TitleMention]) -> String {
    let ranges = mention_ranges(hit, &[target.to_string()], by_title);
    let fragment = snippet::best_fragment(&hit.text, &ranges, FRAGMENT_CHARS);
    format!(
        "{}{}{}",
        if fragment.cut_start { "… " } else { "" },
        fragment.text,
        if fragment.cut_end { " …" } else { "" }
    )
}

/// Where the passage first mentions each of `targets`, as highlight ranges: the words that
/// name it, the anchor text of a link to it, or, for a document, its title (`by_title`).
fn mention_ranges(hit: &Hit, targets: &[String], by_title: &[TitleMention]) -> Vec<[usize; 2]> {
    let mut ranges: Vec<_> = reference::find(&hit.text, Some(&hit.lang))
        .into_iter()
        .chain(reference::find(&hit.text, None))
        .filter(|r| targets.contains(&r.target))
        .map(|r| r.start..r.end)
        .collect();
    ranges.extend(
        by_title
            .iter()
            .filter(|m| targets.contains(&reference::document_target(&m.doc_id)))
            .map(|m| m.start..m.end),
    );
    for link in &hit.links {
        if link.text.is_empty()
            || !reference::link_targets(&link.url)
                .iter()
                .any(|t| targets.contains(t))
        {
            continue;
        }
        if let Some(start) = hit.text.find(&link.text) {
            ranges.push(start..start + link.text.len());
        }
    }
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
    // A document of the corpus, by id or by its exact title, is looked up first: its url,
    // act number and title are what others cite it by.
    let document = match lookup::parse_id(input) {
        Ok(Target::Document(doc_id)) => searcher
            .first_passages(&doc_id, 1)?
            .into_iter()
            .next()
            .map(|first| (doc_id, first)),
        _ if input.contains(char::is_whitespace) => {
            let wanted = input.to_lowercase();
            let mut titled: Vec<Hit> = searcher
                .documents()?
                .into_iter()
                .filter(|d| d.title.to_lowercase() == wanted)
                .collect();
            titled.sort_by(|a, b| a.doc_id.cmp(&b.doc_id));
            titled.into_iter().next().map(|d| (d.doc_id.clone(), d))
        }
        _ => None,
    };
    let mut by_title: Vec<(Hit, Vec<TitleMention>)> = Vec::new();
    let (targets, about) = match &document {
        Some((doc_id, first)) => {
            let targets = reference::own_targets(&first.title, first.url.as_deref());
            if instrument::act_number(&first.title).is_none() {
                let titles = Titles::new([(doc_id.as_str(), first.title.as_str())]);
                for hit in searcher.passages_with_phrase(&first.title)? {
                    let found = titles.find(&hit.text);
                    if !found.is_empty() && may_cite_by_title(&hit, first) {
                        by_title.push((hit, found));
                    }
                }
            }
            if targets.is_empty() && by_title.is_empty() {
                eprintln!(
                    "polsearch: {doc_id} has no url, no act number in its title and no title \
                     that others name, by which they could cite it"
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
    let mut mentions: HashMap<String, Vec<TitleMention>> = HashMap::new();
    for (hit, found) in by_title {
        if Some(hit.doc_id.as_str()) != own_doc {
            mentions.insert(hit.passage_id.clone(), found);
            if seen.insert(hit.passage_id.clone()) {
                hits.push(hit);
            }
        }
    }
    let mut targets = targets;
    if let Some((doc_id, _)) = &document {
        targets.push(reference::document_target(doc_id));
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
        let by_title = mentions.get(&hit.passage_id).map_or(&[][..], Vec::as_slice);
        hit.highlights = mention_ranges(hit, &targets, by_title);
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
