//! `polsearch index`: build a new generation from the corpus and report what it holds.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use super::EXIT_OK;
use crate::cli::{Cli, IndexArgs};
use crate::indexer::{self, BuildOptions};
use crate::store::{Manifest, SkippedFile};

pub fn run(cli: &Cli, args: &IndexArgs) -> anyhow::Result<ExitCode> {
    let options = BuildOptions {
        heap_bytes: args.memory.saturating_mul(1024 * 1024),
    };
    let manifest = build(&cli.corpus, &cli.index, &options)?;
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &manifest)?;
        writeln!(out)?;
    } else if !args.quiet {
        write_summary(&mut out, &manifest, &cli.index)?;
    }
    Ok(ExitCode::from(EXIT_OK))
}

/// Builds the index, reporting each skipped file on stderr as `polsearch: PATH: REASON`.
pub fn build(corpus: &Path, index: &Path, options: &BuildOptions) -> anyhow::Result<Manifest> {
    let mut report = |skipped: &SkippedFile| {
        eprintln!(
            "polsearch: skipped {}: {}",
            crate::output::sanitize_line(&skipped.path),
            skipped.reason
        );
    };
    indexer::build(corpus, index, options, &mut report)
        .with_context(|| format!("indexing {} into {}", corpus.display(), index.display()))
}

/// The human summary of a build or of an existing index.
pub fn write_summary<W: Write>(out: &mut W, manifest: &Manifest, index: &Path) -> io::Result<()> {
    let by_lang = |counts: &std::collections::BTreeMap<String, u64>| {
        let mut pairs: Vec<_> = counts.iter().collect();
        pairs.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        pairs
            .iter()
            .map(|(lang, n)| format!("{lang} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    writeln!(out, "documents: {}", manifest.documents)?;
    writeln!(out, "passages:  {}", manifest.passages)?;
    writeln!(
        out,
        "passages by language: {}",
        by_lang(&manifest.passages_by_lang)
    )?;
    writeln!(
        out,
        "documents by language: {}",
        by_lang(&manifest.documents_by_lang)
    )?;
    writeln!(
        out,
        "not indexed: {} repeated paragraphs, {} one-line fragments",
        manifest.repeated_paragraphs, manifest.fragments
    )?;
    writeln!(
        out,
        "files skipped: {}{}",
        manifest.skipped.len(),
        if manifest.other_formats > 0 {
            format!(
                " (and {} files of other formats ignored)",
                manifest.other_formats
            )
        } else {
            String::new()
        }
    )?;
    writeln!(
        out,
        "index: {} ({}, {:.1} MB)",
        index.join(&manifest.generation).display(),
        manifest.generation,
        manifest.size_bytes as f64 / 1e6
    )?;
    writeln!(out, "seconds: {:.2}", manifest.seconds)
}
