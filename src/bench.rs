//! In-process search latency: the whole path a search takes (parse, search, fetch stored
//! passages, highlight, pick each hit's snippet), timed per query over repeated runs, for
//! `polsearch bench` and `cargo bench --bench search`.

use std::time::Instant;

use serde::Serialize;

use crate::output::FRAGMENT_CHARS;
use crate::snippet;
use crate::store::reader::{SearchOptions, Searcher};

/// The latency of one query over its runs.
#[derive(Debug, Clone, Serialize)]
pub struct QueryLatency {
    pub query: String,
    /// Hits returned (at most the limit).
    pub hits: usize,
    pub runs: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub mean_ms: f64,
    /// Why the query could not run, if it could not (then no timings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Every query's latency, and all runs of all queries together.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub queries: Vec<QueryLatency>,
    pub overall: Overall,
}

#[derive(Debug, Clone, Serialize)]
pub struct Overall {
    pub queries: usize,
    pub runs: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub mean_ms: f64,
}

/// The queries of a query file: one per line; blank lines and `#` comments are skipped.
pub fn read_queries(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// Runs every query once to warm caches, then `repeat` times each, timing each run.
pub fn run(searcher: &Searcher, queries: &[String], repeat: usize, limit: usize) -> Report {
    let options = SearchOptions {
        limit,
        ..SearchOptions::default()
    };
    let once = |query: &str| -> Result<usize, String> {
        let hits = searcher
            .search(query, &options)
            .map_err(|e| e.to_string())?;
        // What a result list shows: each hit's best snippet.
        let mut shown = 0;
        for hit in &hits {
            let fragment = snippet::best_fragment(&hit.text, &hit.highlights, FRAGMENT_CHARS);
            shown += usize::from(!fragment.text.is_empty());
        }
        std::hint::black_box(shown);
        Ok(hits.len())
    };
    for query in queries {
        let _ = once(query);
    }
    let repeat = repeat.max(1);
    let mut all = Vec::with_capacity(queries.len() * repeat);
    let mut out = Vec::with_capacity(queries.len());
    for query in queries {
        let mut times = Vec::with_capacity(repeat);
        let mut result = Ok(0);
        for _ in 0..repeat {
            let started = Instant::now();
            result = once(query);
            times.push(started.elapsed().as_secs_f64() * 1e3);
            if result.is_err() {
                break;
            }
        }
        match result {
            Ok(hits) => {
                all.extend_from_slice(&times);
                let stats = Stats::of(times);
                out.push(QueryLatency {
                    query: query.clone(),
                    hits,
                    runs: stats.runs,
                    p50_ms: stats.p50,
                    p95_ms: stats.p95,
                    p99_ms: stats.p99,
                    mean_ms: stats.mean,
                    error: None,
                });
            }
            Err(error) => out.push(QueryLatency {
                query: query.clone(),
                hits: 0,
                runs: 0,
                p50_ms: 0.0,
                p95_ms: 0.0,
                p99_ms: 0.0,
                mean_ms: 0.0,
                error: Some(error),
            }),
        }
    }
    let stats = Stats::of(all);
    Report {
        overall: Overall {
            queries: out.iter().filter(|q| q.error.is_none()).count(),
            runs: stats.runs,
            p50_ms: stats.p50,
            p95_ms: stats.p95,
            p99_ms: stats.p99,
            mean_ms: stats.mean,
        },
        queries: out,
    }
}

struct Stats {
    runs: usize,
    p50: f64,
    p95: f64,
    p99: f64,
    mean: f64,
}

impl Stats {
    fn of(mut times: Vec<f64>) -> Stats {
        times.sort_by(f64::total_cmp);
        let mean = if times.is_empty() {
            0.0
        } else {
            times.iter().sum::<f64>() / times.len() as f64
        };
        Stats {
            runs: times.len(),
            p50: percentile(&times, 50.0),
            p95: percentile(&times, 95.0),
            p99: percentile(&times, 99.0),
            mean,
        }
    }
}

/// The nearest-rank percentile `p` of sorted `times` (0 when there are none): the smallest
/// value at least `p` % of the values are at or below.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let times: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&times, 50.0), 50.0);
        assert_eq!(percentile(&times, 95.0), 95.0);
        assert_eq!(percentile(&times, 99.0), 99.0);
        assert_eq!(percentile(&times, 100.0), 100.0);
        assert_eq!(percentile(&[3.0], 50.0), 3.0);
        assert_eq!(percentile(&[1.0, 2.0], 99.0), 2.0);
        assert_eq!(percentile(&[], 50.0), 0.0);
    }

    #[test]
    fn query_files_skip_blanks_and_comments() {
        assert_eq!(
            read_queries("# German\nKI-Verordnung\n\n  \"AI Act\"  \n#x\n"),
            ["KI-Verordnung", "\"AI Act\""]
        );
    }
}
