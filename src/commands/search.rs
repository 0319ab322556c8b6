//! `polsearch search`: answer a query from the live generation, building it first when the
//! index is missing or was made by another version.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::process::ExitCode;

use super::{EXIT_NO_HITS, EXIT_OK};
use crate::cli::{Cli, SearchArgs};
use crate::indexer::BuildOptions;
use crate::output::{self, TextStyle};
use crate::store::reader::{SearchOptions, Searcher};
use crate::store::{self, StoreError};

pub fn run(cli: &Cli, args: &SearchArgs, color: bool) -> anyhow::Result<ExitCode> {
    let query = args.query.join(" ");
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
        ..SearchOptions::default()
    };
    let hits = searcher.search(&query, &options)?;
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
    Ok(ExitCode::from(if hits.is_empty() {
        EXIT_NO_HITS
    } else {
        EXIT_OK
    }))
}
