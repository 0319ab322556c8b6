//! `polsearch search`: answer a query from the live generation, building it first when the
//! index is missing or was made by another version.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::process::ExitCode;

use super::{EXIT_NO_HITS, EXIT_OK};
use crate::cli::{Cli, Format, SearchArgs, SortOrder};
use crate::indexer::BuildOptions;
use crate::output::{self, TextStyle};
use crate::store::rank::Order;
use crate::store::reader::{SearchOptions, Searcher};
use crate::store::{self, StoreError};

pub fn run(cli: &Cli, args: &SearchArgs, color: bool) -> anyhow::Result<ExitCode> {
    let query = args.query.join(" ");
    let format = output_format(args)?;
    let live = match store::open_current(&cli.index) {
        Ok(opened) => opened,
        Err(err @ (StoreError::NotFound(_) | StoreError::Outdated { .. })) => {
            eprintln!(
                "polsearch: {}; building it from {} first",
                match err {
                    StoreError::NotFound(_) => format!("no index at {}", cli.index.display()),
                    _ => format!("the index at {} is outdated", cli.index.display()),
                },
                cli.corpus.display()
            );
            let mut progress = super::index::Reporter::new(io::stderr().is_terminal(), false);
            let report = super::index::build(
                &cli.corpus,
                &cli.index,
                &BuildOptions::default(),
                &mut progress,
            )?;
            eprintln!(
                "polsearch: indexed {} documents, {} passages in {:.1} s",
                report.manifest.documents, report.manifest.passages, report.manifest.seconds
            );
            store::open_current(&cli.index)?
        }
        Err(err) => return Err(err.into()),
    };
    let searcher = Searcher::new(live)?;
    let options = SearchOptions {
        lang: args.lang.as_ref().map(|code| code.to_ascii_lowercase()),
        limit: args.limit,
        offset: args.offset,
        since: args.since.clone(),
        until: args.until.clone(),
        author: args.author.clone(),
        source: args.source.clone(),
        doc_type: args.doc_type.clone(),
        section: args.article.clone(),
        order: match args.sort {
            SortOrder::Relevance => Order::Relevance,
            SortOrder::Date => Order::DateDesc,
            SortOrder::DateAsc => Order::DateAsc,
        },
        per_doc: args.per_doc,
        facets: args.facets,
        explain: args.explain,
        ..SearchOptions::default()
    };
    let results = searcher.search_page(&query, &options)?;
    let hits = &results.hits;
    let mut out = BufWriter::new(io::stdout().lock());
    // Nothing found prints nothing, facets included: exit code 1 says it.
    let facets = results
        .facets
        .as_ref()
        .zip(results.total)
        .filter(|_| !hits.is_empty());
    match format {
        Format::Text => {
            output::write_text(
                &mut out,
                hits,
                TextStyle {
                    color,
                    full: args.full,
                },
            )?;
            if let Some((facets, total)) = facets {
                output::write_facets_text(&mut out, facets, total, color)?;
            }
        }
        Format::Jsonl => {
            output::write_json(&mut out, hits)?;
            if let Some((facets, total)) = facets {
                output::write_facets_json(&mut out, facets, total)?;
            }
        }
        Format::Csv => output::write_csv(&mut out, hits)?,
        Format::Tsv => output::write_tsv(&mut out, hits)?,
    }
    out.flush()?;
    Ok(ExitCode::from(if hits.is_empty() {
        EXIT_NO_HITS
    } else {
        EXIT_OK
    }))
}

/// The format asked for, checking the flags that go with it.
fn output_format(args: &SearchArgs) -> anyhow::Result<Format> {
    let format = match (args.json, args.format) {
        (true, None | Some(Format::Jsonl)) => Format::Jsonl,
        (true, Some(other)) => anyhow::bail!(
            "--json is --format jsonl; it cannot be combined with --format {}",
            format_name(other)
        ),
        (false, format) => format.unwrap_or(Format::Text),
    };
    if matches!(format, Format::Csv | Format::Tsv) {
        // A table has one row per hit; a summary or a tree has no column to go in.
        for (flag, on) in [("--facets", args.facets), ("--explain", args.explain)] {
            if on {
                anyhow::bail!(
                    "{flag} prints with text or jsonl output, not with --format {}",
                    format_name(format)
                );
            }
        }
    }
    if args.per_doc == Some(0) {
        anyhow::bail!("--per-doc needs at least 1 passage per document");
    }
    Ok(format)
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Text => "text",
        Format::Jsonl => "jsonl",
        Format::Csv => "csv",
        Format::Tsv => "tsv",
    }
}
