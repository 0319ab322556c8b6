//! `polsearch stats`: the facts of the live generation.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use serde::Serialize;

use super::EXIT_OK;
use crate::clean::{self, DocSketch};
use crate::cli::{Cli, StatsArgs};
use crate::ingest;
use crate::lang::LanguageDetector;
use crate::output::sanitize_line;
use crate::source;
use crate::store;

pub fn run(cli: &Cli, args: &StatsArgs) -> anyhow::Result<ExitCode> {
    let live = store::open_current(&cli.index)?;
    if args.dropped {
        return dropped(cli, args, &live);
    }
    let store::Live {
        manifest,
        generation,
        ..
    } = live;
    let size = store::generation_size(&generation);
    let mut out = io::stdout().lock();
    if args.json {
        let mut json = serde_json::to_value(&manifest)?;
        json["size_bytes"] = size.into();
        serde_json::to_writer(&mut out, &json)?;
        writeln!(out)?;
    } else {
        super::index::write_summary(&mut out, &manifest, &cli.index, size)?;
        writeln!(out, "corpus: {}", manifest.corpus)?;
        for skipped in &manifest.skipped {
            writeln!(
                out,
                "skipped: {}: {}",
                crate::output::sanitize_line(&skipped.path),
                skipped.reason
            )?;
        }
    }
    Ok(ExitCode::from(EXIT_OK))
}

/// One block cleaning left out, as `--dropped` reports it.
#[derive(Debug, Serialize)]
struct Dropped {
    /// `furniture`, `boilerplate` or `duplicate`.
    reason: &'static str,
    doc_id: String,
    /// Position of the block in its document as extracted (1-based); for furniture, its
    /// position in the list of what the extractor left out.
    block: u32,
    /// For a duplicate: the document whose passage holds the text in the index.
    held_by: Option<String>,
    text: String,
}

/// Recomputes the cleaning decisions from the index's sketches and reads the files that lost
/// blocks again, so the report shows the very text that was left out.
fn dropped(cli: &Cli, args: &StatsArgs, live: &store::Live) -> anyhow::Result<ExitCode> {
    let records = store::file_records(live)?;
    let sketches: Vec<&DocSketch> = records.values().flat_map(|r| &r.sketches).collect();
    let decisions = clean::decide(&sketches).context("scratch files for cleaning")?;
    let corpus = Path::new(&live.manifest.corpus);
    let corpus = if corpus.is_dir() {
        corpus
    } else {
        cli.corpus.as_path()
    };
    let walk = source::walk(corpus).with_context(|| format!("{}", corpus.display()))?;
    let detector = LanguageDetector::new();
    let mut out = io::stdout().lock();
    let mut items: Vec<Dropped> = Vec::new();
    for file in &walk.files {
        let Some(record) = records.get(&file.rel_path) else {
            continue;
        };
        if record.furniture + record.boilerplate + record.duplicates + record.aliases == 0 {
            continue;
        }
        let Ok(docs) = ingest::ingest(file, &detector) else {
            continue;
        };
        for doc in docs {
            for (n, text) in doc.furniture.iter().enumerate() {
                items.push(Dropped {
                    reason: "furniture",
                    doc_id: doc.doc_id.clone(),
                    block: n as u32 + 1,
                    held_by: None,
                    text: text.clone(),
                });
            }
            let Some(decision) = decisions.get(&doc.doc_id) else {
                continue;
            };
            if let (Some(original), false) = (&decision.alias_of, args.json) {
                writeln!(
                    out,
                    "copy: {} is a copy of {}",
                    sanitize_line(&doc.doc_id),
                    sanitize_line(original)
                )?;
            }
            let held: BTreeMap<u32, &String> =
                decision.duplicates.iter().map(|(i, id)| (*i, id)).collect();
            for (index, block) in doc.blocks.iter().enumerate() {
                let index = index as u32;
                let reason = if decision.boilerplate.contains(&index) {
                    "boilerplate"
                } else if held.contains_key(&index) {
                    "duplicate"
                } else {
                    continue;
                };
                items.push(Dropped {
                    reason,
                    doc_id: doc.doc_id.clone(),
                    block: index + 1,
                    held_by: held.get(&index).map(|id| id.to_string()),
                    text: block.text.clone(),
                });
            }
        }
    }
    if let Some(n) = args.sample {
        // A seeded shuffle by hash: the same seed picks the same blocks.
        items.sort_by_key(|item| {
            let key = format!("{}#{}", item.doc_id, item.block);
            xxhash_rust::xxh3::xxh3_64_with_seed(key.as_bytes(), args.seed)
        });
        items.truncate(n);
    }
    for item in &items {
        if args.json {
            serde_json::to_writer(&mut out, item)?;
            writeln!(out)?;
        } else {
            let held = item
                .held_by
                .as_deref()
                .map(|id| format!(" (held by {})", sanitize_line(id)))
                .unwrap_or_default();
            writeln!(
                out,
                "{}: {} block {}{held}\n    {}",
                item.reason,
                sanitize_line(&item.doc_id),
                item.block,
                sanitize_line(&item.text)
            )?;
        }
    }
    Ok(ExitCode::from(EXIT_OK))
}
