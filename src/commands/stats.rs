//! `polsearch stats`: the facts of the live generation.

use std::io::{self, Write};
use std::process::ExitCode;

use super::EXIT_OK;
use crate::cli::{Cli, StatsArgs};
use crate::store;

pub fn run(cli: &Cli, args: &StatsArgs) -> anyhow::Result<ExitCode> {
    let store::Live {
        manifest,
        generation,
        ..
    } = store::open_current(&cli.index)?;
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
