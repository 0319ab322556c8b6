//! In-process search latency: parse, search, fetch and highlight, per query and overall.
//!
//! `cargo bench --bench search` indexes `../shared/corpus` into a temporary folder (or uses
//! the index named by `POLSEARCH_BENCH_INDEX`), then runs every query of
//! `../shared/bench/queries.txt` (or `POLSEARCH_BENCH_QUERIES`) `POLSEARCH_BENCH_REPEAT`
//! times (default 20) and prints p50/p95/p99 in milliseconds. It also reports how long the
//! build took. Run on demand; tests never time anything.

use std::path::PathBuf;
use std::time::Instant;

use polsearch::indexer::{self, BuildOptions};
use polsearch::store::{self, reader::SearchOptions, reader::Searcher};

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let queries_path = std::env::var_os("POLSEARCH_BENCH_QUERIES")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/bench/queries.txt"));
    let Ok(queries) = std::fs::read_to_string(&queries_path) else {
        eprintln!("skipped: no query file at {}", queries_path.display());
        return;
    };
    let queries: Vec<&str> = queries.lines().filter(|l| !l.trim().is_empty()).collect();
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

    let options = SearchOptions {
        limit: 10,
        ..Default::default()
    };
    // One warm-up pass, so page-cache misses are not charged to the first query.
    for query in &queries {
        let _ = searcher.search(query, &options);
    }
    let mut all = Vec::new();
    println!(
        "{:<45} {:>6} {:>8} {:>8} {:>8}",
        "query", "hits", "p50 ms", "p95 ms", "p99 ms"
    );
    for query in &queries {
        let mut times = Vec::with_capacity(repeat);
        let mut hits = 0;
        for _ in 0..repeat {
            let started = Instant::now();
            hits = searcher
                .search(query, &options)
                .map(|h| h.len())
                .unwrap_or(0);
            times.push(started.elapsed().as_secs_f64() * 1e3);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{:<45} {:>6} {:>8.3} {:>8.3} {:>8.3}",
            query,
            hits,
            percentile(&times, 50.0),
            percentile(&times, 95.0),
            percentile(&times, 99.0)
        );
        all.extend(times);
    }
    all.sort_by(f64::total_cmp);
    println!(
        "overall: {} searches, p50 {:.3} ms, p95 {:.3} ms, p99 {:.3} ms",
        all.len(),
        percentile(&all, 50.0),
        percentile(&all, 95.0),
        percentile(&all, 99.0)
    );
}
