//! The nightly rebuild: incremental runs, full rebuilds, the writer lock, crashes mid-run, and
//! what a run reports to cron.

mod util;

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use util::TestEnv;

fn index_json(env: &TestEnv, args: &[&str]) -> Value {
    let mut full = vec!["index", "--json"];
    full.extend_from_slice(args);
    let run = env.run_ok(&full, 0);
    serde_json::from_str(run.stdout.trim()).expect("one JSON object")
}

fn paragraph(seed: usize) -> String {
    const WORDS: &[&str] = &[
        "Aufsicht",
        "Behörde",
        "Regulierung",
        "Transparenz",
        "Risiko",
        "Kommission",
        "Daten",
        "Grundrechte",
        "Innovation",
        "Markt",
        "Pflichten",
        "Anbieter",
        "Betreiber",
        "Prüfung",
        "Sicherheit",
        "Verfahren",
        "Mitgliedstaaten",
        "Modelle",
        "Rechenzentren",
        "Förderung",
    ];
    let words: Vec<String> = (0..60)
        .map(|i| {
            let w = WORDS[(seed * 7 + i * 13 + i * i) % WORDS.len()];
            format!("{w}{}", (seed * 31 + i) % 97)
        })
        .collect();
    format!("Der Abschnitt {seed} behandelt {}.", words.join(" "))
}

fn write_doc(env: &TestEnv, rel: &str, title: &str, paragraphs: &[String]) {
    env.write(rel, format!("{title}\n\n{}\n", paragraphs.join("\n\n")));
}

#[test]
fn an_incremental_run_reads_only_what_changed() {
    let env = TestEnv::new();
    write_doc(
        &env,
        "a.txt",
        "Alpha",
        &[
            paragraph(1),
            "Das Wort Alphabetisierung steht nur hier.".into(),
        ],
    );
    write_doc(
        &env,
        "b.txt",
        "Beta",
        &[paragraph(2), "Das Wort Betamaschine steht nur hier.".into()],
    );
    write_doc(
        &env,
        "c.txt",
        "Gamma",
        &[
            paragraph(3),
            "Das Wort Gammastrahlung steht nur hier.".into(),
        ],
    );
    write_doc(&env, "d.txt", "Delta", &[paragraph(4)]);
    let first = index_json(&env, &[]);
    assert_eq!(first["full"], true);
    assert_eq!(first["reason"], "no index yet");
    assert_eq!(first["added"], 4);
    let ids_before = env
        .run_ok(&["search", "Abschnitt", "--json", "--limit", "50"], 0)
        .json_lines();

    // Nothing changed: nothing is read.
    let idle = index_json(&env, &[]);
    assert_eq!(idle["full"], false);
    assert_eq!(
        (idle["unchanged"].as_u64(), idle["bytes_read"].as_u64()),
        (Some(4), Some(0))
    );
    assert_eq!(
        (
            idle["added"].as_u64(),
            idle["updated"].as_u64(),
            idle["removed"].as_u64()
        ),
        (Some(0), Some(0), Some(0))
    );

    // One edited, one new, one deleted, one rewritten with the same bytes.
    write_doc(
        &env,
        "a.txt",
        "Alpha",
        &[paragraph(1), "Nun steht hier das Wort Omegapunkt.".into()],
    );
    write_doc(
        &env,
        "e.txt",
        "Epsilon",
        &[paragraph(5), "Das Wort Epsilonumgebung ist neu.".into()],
    );
    fs::remove_file(env.corpus().join("b.txt")).expect("remove");
    let c = env.corpus().join("c.txt");
    let bytes = fs::read(&c).expect("read");
    std::thread::sleep(Duration::from_millis(20));
    fs::write(&c, bytes).expect("rewrite");
    let update = index_json(&env, &[]);
    assert_eq!(update["full"], false);
    assert_eq!(update["added"], 1, "{update}");
    assert_eq!(update["updated"], 1, "{update}");
    assert_eq!(update["removed"], 1, "{update}");
    assert_eq!(update["unchanged"], 2, "{update}");
    assert_eq!(update["documents"], 4);

    env.run_ok(&["search", "Alphabetisierung"], 1);
    env.run_ok(&["search", "Betamaschine"], 1);
    env.run_ok(&["search", "Omegapunkt"], 0);
    env.run_ok(&["search", "Epsilonumgebung"], 0);
    env.run_ok(&["search", "Gammastrahlung"], 0);
    // Unchanged documents keep their passage ids.
    let ids_after = env
        .run_ok(&["search", "Abschnitt", "--json", "--limit", "50"], 0)
        .json_lines();
    for id in ["c#p1", "d#p1"] {
        assert!(ids_before.iter().any(|h| h["passage_id"] == id));
        assert!(ids_after.iter().any(|h| h["passage_id"] == id), "{id} lost");
    }
    // The record of the rewritten file was refreshed: the next run reads nothing.
    let again = index_json(&env, &[]);
    assert_eq!(again["bytes_read"], 0, "{again}");
}

#[test]
fn full_rebuild_makes_a_new_generation_and_removes_the_old() {
    let env = TestEnv::with_shipped_corpus();
    index_json(&env, &[]);
    let before = env.run_ok(&["search", "Regulierung", "--json"], 0).stdout;
    let full = index_json(&env, &["--full"]);
    assert_eq!(full["full"], true);
    assert_eq!(full["reason"], "--full");
    assert_eq!(full["generation"], "g000002");
    assert!(!env.index().join("g000001").exists());
    // The same hits, now naming the new generation.
    let after = env.run_ok(&["search", "Regulierung", "--json"], 0).stdout;
    assert_eq!(
        after.replace("\"generation\":\"g000002:", "\"generation\":\"g000001:"),
        before
    );
}

#[test]
fn a_changed_analysis_version_forces_a_full_rebuild_with_a_reason() {
    let env = TestEnv::with_shipped_corpus();
    index_json(&env, &[]);
    // Pretend the index was made by an older analysis: rewrite the manifest in the commit.
    let meta_path = env.index().join("g000001/meta.json");
    let mut meta: Value =
        serde_json::from_str(&fs::read_to_string(&meta_path).expect("meta")).expect("json");
    let mut manifest: Value =
        serde_json::from_str(meta["payload"].as_str().expect("payload")).expect("manifest");
    manifest["analyzer_version"] = 0.into();
    meta["payload"] = manifest.to_string().into();
    fs::write(&meta_path, meta.to_string()).expect("write meta");

    let run = env.run_ok(&["index"], 0);
    assert!(
        run.stderr.contains("full rebuild") && run.stderr.contains("analysis 0"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.starts_with("full rebuild:"), "{}", run.stdout);
    assert!(env.index().join("g000002").is_dir());
}

#[test]
fn a_second_writer_fails_at_once_naming_the_first_and_wait_waits() {
    let env = TestEnv::with_shipped_corpus();
    index_json(&env, &[]);
    // Hold the writer lock as another process would.
    let lock_path = env.index().join("LOCK");
    let mut lock = OpenOptions::new()
        .write(true)
        .open(&lock_path)
        .expect("lock file");
    lock.try_lock().expect("take the lock");
    lock.set_len(0).expect("truncate");
    write!(lock, "424242").expect("write pid");

    let started = Instant::now();
    let run = env.run_ok(&["index"], 2);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "it must fail at once"
    );
    assert!(run.stderr.contains("pid 424242"), "{}", run.stderr);
    // Searches never take the lock.
    env.run_ok(&["search", "Gipfel"], 0);

    let mut waiting = Command::new(env!("CARGO_BIN_EXE_polsearch"))
        .arg("--corpus")
        .arg(env.corpus())
        .arg("--index")
        .arg(env.index())
        .args(["index", "--wait", "--quiet"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        waiting.try_wait().expect("poll").is_none(),
        "--wait did not wait"
    );
    drop(lock);
    let status = waiting.wait().expect("wait");
    assert!(status.success());
}

#[test]
fn killing_a_run_at_any_moment_keeps_the_previous_index_and_the_next_run_recovers() {
    let env = TestEnv::new();
    for i in 0..300 {
        write_doc(
            &env,
            &format!("batch{}/doc{i:03}.txt", i % 7),
            &format!("Dokument {i}"),
            &[paragraph(i), paragraph(i + 1000)],
        );
    }
    write_doc(
        &env,
        "marker.txt",
        "Marker",
        &["Das Kennwort Zebrastreifenkontrolle steht nur hier.".into()],
    );
    index_json(&env, &[]);
    let mut before = env
        .run_ok(&["search", "Zebrastreifenkontrolle", "--json"], 0)
        .stdout;
    let mut count_before = env
        .run_ok(&["search", "Abschnitt", "--json", "--limit", "1000"], 0)
        .json_lines()
        .len();

    let mut killed = 0;
    for (round, delay_ms) in [5u64, 40, 120, 250, 400].into_iter().enumerate() {
        // Alternate between full rebuilds and incremental updates of many files.
        let mut args = vec!["index", "--quiet"];
        if round % 2 == 0 {
            args.push("--full");
        } else {
            for i in (round..300).step_by(3) {
                write_doc(
                    &env,
                    &format!("batch{}/doc{i:03}.txt", i % 7),
                    &format!("Dokument {i}"),
                    &[paragraph(i), paragraph(i + 2000 + round)],
                );
            }
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_polsearch"))
            .arg("--corpus")
            .arg(env.corpus())
            .arg("--index")
            .arg(env.index())
            .args(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_millis(delay_ms));
        let finished = child.try_wait().expect("poll").is_some();
        if !finished {
            killed += 1;
        }
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();

        let now = env
            .run_ok(&["search", "Zebrastreifenkontrolle", "--json"], 0)
            .stdout;
        let (now_hit, before_hit): (serde_json::Value, serde_json::Value) = (
            serde_json::from_str(&now).expect("JSON"),
            serde_json::from_str(&before).expect("JSON"),
        );
        // A run killed after its commit, on its way out (merging), has changed the index
        // just as a run that ended: the hit's generation (name and commit) tells.
        let committed = finished || now_hit["generation"] != before_hit["generation"];
        if committed {
            // The run's result is the index now: a new commit (its scores have other
            // statistics) with the same passages.
            for key in ["passage_id", "text", "highlights"] {
                assert_eq!(
                    now_hit[key], before_hit[key],
                    "round {round}: the marker changed"
                );
            }
        } else {
            assert_eq!(now, before, "round {round}: the marker changed");
        }
        before = now;
        let count = env
            .run_ok(&["search", "Abschnitt", "--json", "--limit", "1000"], 0)
            .json_lines()
            .len();
        if !committed {
            assert_eq!(
                count, count_before,
                "round {round}: the index lost or gained documents"
            );
        }
        // A committed run indexed the files earlier rounds edited.
        count_before = count;
    }
    assert!(
        killed >= 3,
        "only {killed} runs were still going when killed"
    );
    // The next run finishes the job without help and leaves no debris.
    index_json(&env, &[]);
    let marker = env
        .run_ok(&["search", "Zebrastreifenkontrolle", "--json"], 0)
        .json_lines();
    assert_eq!(marker.len(), 1);
    assert_eq!(marker[0]["passage_id"], "marker#p1");
    let leftovers: Vec<String> = fs::read_dir(env.index())
        .expect("index")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn under_cron_there_is_no_bar_only_plain_lines_and_a_summary() {
    let env = TestEnv::with_shipped_corpus();
    env.write("broken.txt", "");
    let run = env.run_ok(&["index"], 0);
    assert!(
        !run.stderr.contains('\r') && !run.stderr.contains('\x1b'),
        "{:?}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("polsearch: full rebuild (no index yet)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("polsearch: reading 8 files"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("skipped") && run.stderr.contains("broken.txt"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.starts_with(
            "full rebuild: 7 added, 0 updated, 0 removed, 0 unchanged, 1 newly skipped"
        ),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("files skipped: 1"));

    let json = index_json(&env, &[]);
    for field in [
        "added",
        "updated",
        "removed",
        "unchanged",
        "newly_skipped",
        "documents",
        "passages",
        "skipped",
        "seconds",
        "size_bytes",
        "generation",
    ] {
        assert!(json.get(field).is_some(), "missing {field}: {json}");
    }
    assert_eq!(json["skipped"][0]["path"], "broken.txt");

    let quiet = env.run_ok(&["index", "--quiet"], 0);
    assert!(
        quiet.stdout.is_empty() && quiet.stderr.is_empty(),
        "{quiet:?}",
        quiet = (quiet.stdout.clone(), quiet.stderr.clone())
    );
}

#[test]
fn an_emptied_corpus_does_not_wipe_the_index() {
    let env = TestEnv::with_shipped_corpus();
    index_json(&env, &[]);
    let before = env.run_ok(&["search", "Gipfel", "--json"], 0).stdout;
    for entry in fs::read_dir(env.corpus()).expect("corpus") {
        fs::remove_dir_all(entry.expect("entry").path()).expect("remove");
    }
    let run = env.run_ok(&["index"], 2);
    assert!(run.stderr.contains("nothing to index"), "{}", run.stderr);
    assert_eq!(
        env.run_ok(&["search", "Gipfel", "--json"], 0).stdout,
        before
    );
}

#[test]
fn editing_only_a_sidecar_updates_the_document_at_the_next_run() {
    let env = TestEnv::new();
    write_doc(&env, "memo.txt", "Vermerk", &[paragraph(7)]);
    env.write(
        "memo.txt.meta.json",
        r#"{"author": "Erika Muster", "date": "2024-05-01"}"#,
    );
    index_json(&env, &[]);
    let hit = |env: &TestEnv| {
        env.run_ok(&["search", "Abschnitt", "--json"], 0)
            .json_lines()[0]
            .clone()
    };
    assert_eq!(hit(&env)["author"], "Erika Muster");
    std::thread::sleep(Duration::from_millis(20));
    env.write(
        "memo.txt.meta.json",
        r#"{"author": "Max Mustermann", "date": "2024-06-01"}"#,
    );
    let update = index_json(&env, &[]);
    assert_eq!(update["updated"], 1, "{update}");
    assert_eq!(hit(&env)["author"], "Max Mustermann");
    assert_eq!(hit(&env)["date"], "2024-06-01");
    fs::remove_file(env.corpus().join("memo.txt.meta.json")).expect("remove sidecar");
    assert_eq!(index_json(&env, &[])["updated"], 1);
    assert!(hit(&env)["author"].is_null());
}
