//! In-process search latency: parse, search, fetch and highlight, per query and overall.
//!
//! `cargo bench --bench search` indexes `../shared/corpus` into a temporary folder (or uses
//! the index named by `POLSEARCH_BENCH_INDEX`), then runs every query of
//! `../shared/bench/queries.txt` (or `POLSEARCH_BENCH_QUERIES`) `POLSEARCH_BENCH_REPEAT`
//! times (default 20) and prints p50/p95/p99 in milliseconds. It also reports how long the
//! build took. Run on demand; tests never time anything.

use std::path::PathBuf;
use std::time::Instant;

use polsearch::bench;
use polsearch::indexer::{self, BuildOptions};
use polsearch::store::{self, reader::Searcher};

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let queries_path = std::env::var_os("POLSEARCH_BENCH_QUERIES")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/bench/queries.txt"));
    let Ok(queries) = std::fs::read_to_string(&queries_path) else {
        eprintln!("skipped: no query file at {}", queries_path.display());
        return;
    };
    let queries = bench::read_queries(&queries);
    let repeat: usize = std::env::var("POLSEARCH_BENCH_REPEAT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);

    let _tmp;
    let index_dir = match std::env::var_os("POLSEARCH_BENCH_INDEX") {
        Some(dir) => PathBuf::from(dir),
        None => {
            let corpus = root.join("../shared/corpus");
            if !corpus.is_dir() {
                eprintln!("skipped: {} is absent", corpus.display());
                return;
            }
            _tmp = tempfile::tempdir().expect("tempdir");
            let dir = _tmp.path().join("index");
            let started = Instant::now();
            let report = indexer::build(
                &corpus,
                &dir,
                &BuildOptions::default(),
                &mut indexer::Silent,
            )
            .expect("index the bench corpus");
            println!(
                "build: {} documents, {} passages, {:.2} s, index {:.1} MB",
                report.manifest.documents,
                report.manifest.passages,
                started.elapsed().as_secs_f64(),
                report.size_bytes as f64 / 1e6
            );
            dir
        }
    };

    let opened = Instant::now();
    let live = store::open_current(&index_dir).expect("open index");
    let searcher = Searcher::new(live).expect("searcher");
    println!("open: {:.2} ms", opened.elapsed().as_secs_f64() * 1e3);

    let report = bench::run(&searcher, &queries, repeat, 10);
    println!(
        "{:<45} {:>6} {:>8} {:>8} {:>8}",
        "query", "hits", "p50 ms", "p95 ms", "p99 ms"
    );
    for q in &report.queries {
        match &q.error {
            Some(error) => println!("{:<45} error: {error}", q.query),
            None => println!(
                "{:<45} {:>6} {:>8.3} {:>8.3} {:>8.3}",
                q.query, q.hits, q.p50_ms, q.p95_ms, q.p99_ms
            ),
        }
    }
    let o = &report.overall;
    println!(
        "overall: {} searches, p50 {:.3} ms, p95 {:.3} ms, p99 {:.3} ms",
        o.runs, o.p50_ms, o.p95_ms, o.p99_ms
    );
}
