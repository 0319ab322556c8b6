//! `polsearch bench --queries FILE`: in-process search latency on the live index.
//!
//! Exit codes: 0 measured (a query that fails is reported with its error and left out of
//! the figures); 2 no index, an unreadable or empty query file.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use serde::Serialize;

use super::EXIT_OK;
use super::lookup;
use crate::bench::{self, Overall, QueryLatency};
use crate::cli::{BenchArgs, Cli};
use crate::output::sanitize_line;

/// The last line of `--json`.
#[derive(Serialize)]
struct OverallLine<'a> {
    overall: bool,
    #[serde(flatten)]
    figures: &'a Overall,
    repeat: usize,
    limit: usize,
    /// Opening the index and building the searcher, once.
    open_ms: f64,
    generation: String,
}

pub fn run(cli: &Cli, args: &BenchArgs) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(&args.queries)
        .with_context(|| format!("reading {}", args.queries.display()))?;
    let queries = bench::read_queries(&text);
    if queries.is_empty() {
        bail!("{} has no queries", args.queries.display());
    }
    let started = Instant::now();
    let searcher = lookup::open(&cli.index)?;
    let open_ms = started.elapsed().as_secs_f64() * 1e3;
    let report = bench::run(&searcher, &queries, args.repeat, args.limit.max(1));
    let mut out = BufWriter::new(io::stdout().lock());
    if args.json {
        for query in &report.queries {
            serde_json::to_writer(&mut out, query)?;
            out.write_all(b"\n")?;
        }
        let overall = OverallLine {
            overall: true,
            figures: &report.overall,
            repeat: args.repeat.max(1),
            limit: args.limit.max(1),
            open_ms,
            generation: searcher.generation().to_string(),
        };
        serde_json::to_writer(&mut out, &overall)?;
        out.write_all(b"\n")?;
    } else {
        write_table(&mut out, &report.queries)?;
        let o = &report.overall;
        writeln!(
            out,
            "overall: {} queries × {} runs = {} searches (top {}), p50 {:.3} ms, p95 {:.3} ms, \
             p99 {:.3} ms, mean {:.3} ms; index opened in {open_ms:.1} ms",
            o.queries,
            args.repeat.max(1),
            o.runs,
            args.limit.max(1),
            o.p50_ms,
            o.p95_ms,
            o.p99_ms,
            o.mean_ms
        )?;
    }
    out.flush()?;
    Ok(ExitCode::from(EXIT_OK))
}

fn write_table<W: Write>(out: &mut W, queries: &[QueryLatency]) -> io::Result<()> {
    let width = queries
        .iter()
        .map(|q| q.query.chars().count())
        .max()
        .unwrap_or(5)
        .clamp(5, 48);
    writeln!(
        out,
        "{:<width$}  {:>5}  {:>8}  {:>8}  {:>8}",
        "query", "hits", "p50 ms", "p95 ms", "p99 ms"
    )?;
    for q in queries {
        let mut query: String = sanitize_line(&q.query).chars().take(width).collect();
        if q.query.chars().count() > width {
            query.pop();
            query.push('…');
        }
        match &q.error {
            Some(error) => writeln!(out, "{query:<width$}  error: {}", sanitize_line(error))?,
            None => writeln!(
                out,
                "{query:<width$}  {:>5}  {:>8.3}  {:>8.3}  {:>8.3}",
                q.hits, q.p50_ms, q.p95_ms, q.p99_ms
            )?,
        }
    }
    Ok(())
}
