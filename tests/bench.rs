//! `polsearch bench`: per-query and overall latency figures in text and JSON, failing
//! queries reported and left out, bad query files refused. Only the shape of the figures is
//! checked: timing belongs in benchmarks, not tests.

mod util;

use util::TestEnv;

fn env_with_queries(queries: &str) -> (TestEnv, String) {
    let env = TestEnv::with_shipped_corpus();
    env.run_ok(&["index", "--quiet"], 0);
    let file = env.dir.path().join("queries.txt");
    std::fs::write(&file, queries).unwrap();
    (env, file.to_string_lossy().into_owned())
}

#[test]
fn json_has_one_object_per_query_and_an_overall_one() {
    let (env, file) =
        env_with_queries("# comment\nKI-Regulierung\n\n\"AI Act\"\nsommet (\nBletchley\n");
    let rows = env
        .run_ok(&["bench", "--queries", &file, "--repeat", "3", "--json"], 0)
        .json_lines();
    assert_eq!(rows.len(), 5, "{rows:?}");
    let queries: Vec<&str> = rows[..4]
        .iter()
        .map(|r| r["query"].as_str().unwrap())
        .collect();
    assert_eq!(
        queries,
        ["KI-Regulierung", "\"AI Act\"", "sommet (", "Bletchley"]
    );
    for row in [&rows[0], &rows[1], &rows[3]] {
        assert_eq!(row["runs"], 3);
        assert!(row["hits"].as_u64().unwrap() >= 1, "{row}");
        let (p50, p95, p99) = (
            row["p50_ms"].as_f64().unwrap(),
            row["p95_ms"].as_f64().unwrap(),
            row["p99_ms"].as_f64().unwrap(),
        );
        assert!(0.0 < p50 && p50 <= p95 && p95 <= p99, "{row}");
        assert!(row.get("error").is_none());
    }
    // The malformed query is reported, not timed.
    assert_eq!(rows[2]["runs"], 0);
    assert!(
        rows[2]["error"].as_str().unwrap().contains('('),
        "{}",
        rows[2]
    );
    let overall = &rows[4];
    assert_eq!(overall["overall"], true);
    assert_eq!(overall["queries"], 3);
    assert_eq!(overall["runs"], 9);
    assert_eq!(overall["limit"], 10);
    assert!(overall["p50_ms"].as_f64().unwrap() <= overall["p99_ms"].as_f64().unwrap());
    assert!(overall["generation"].as_str().unwrap().starts_with('g'));
}

#[test]
fn text_is_a_table_with_an_overall_line() {
    let (env, file) = env_with_queries("Regulierung\nsupervision\n");
    let run = env.run_ok(&["bench", "--queries", &file, "--repeat", "2"], 0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", run.stdout);
    assert!(lines[0].starts_with("query") && lines[0].contains("p99 ms"));
    assert!(lines[1].starts_with("Regulierung"));
    assert!(
        lines[3].starts_with("overall: 2 queries × 2 runs = 4 searches (top 10), p50 "),
        "{}",
        lines[3]
    );
}

#[test]
fn missing_or_empty_query_files_and_missing_indexes_are_refused() {
    let (env, file) = env_with_queries("# only a comment\n\n");
    let empty = env.run_ok(&["bench", "--queries", &file], 2);
    assert!(empty.stderr.contains("has no queries"), "{}", empty.stderr);
    let missing = env.run_ok(&["bench", "--queries", "/nonexistent/queries.txt"], 2);
    assert_eq!(missing.stderr.lines().count(), 1, "{}", missing.stderr);
    let fresh = TestEnv::new();
    std::fs::write(fresh.dir.path().join("q.txt"), "KI\n").unwrap();
    let q = fresh.dir.path().join("q.txt");
    let no_index = fresh.run_ok(&["bench", "--queries", q.to_str().unwrap()], 2);
    assert_eq!(no_index.stderr.lines().count(), 1, "{}", no_index.stderr);
}
