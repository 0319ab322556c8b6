//! `polsearch index`, `stats` and the index folder: summaries, hostile input, and an
//! interrupted or failed run that must leave the previous index searchable.

mod util;

use std::fs;

use util::TestEnv;

#[test]
fn index_prints_a_summary_and_stats_repeats_it() {
    let env = TestEnv::with_shipped_corpus();
    let run = env.run_ok(&["index"], 0);
    for line in [
        "documents: 7",
        "passages:",
        "passages by language:",
        "files skipped: 0",
        "seconds:",
    ] {
        assert!(
            run.stdout.contains(line),
            "missing {line:?} in\n{}",
            run.stdout
        );
    }
    assert!(run.stdout.contains("de ") && run.stdout.contains("en ") && run.stdout.contains("fr "));
    let stats = env.run_ok(&["stats"], 0);
    assert!(stats.stdout.contains("documents: 7"), "{}", stats.stdout);
    let json: serde_json::Value =
        serde_json::from_str(env.run_ok(&["stats", "--json"], 0).stdout.trim()).expect("JSON");
    assert_eq!(json["documents"], 7);
    assert!(json["passages"].as_u64().unwrap() > 30);
    assert!(
        json["repeated_paragraphs"].as_u64().unwrap() > 20,
        "the seed repeats its article"
    );
}

#[test]
fn hostile_files_are_reported_by_name_and_skipped() {
    let env = TestEnv::new();
    env.write(
        "good.txt",
        "Gute Texte\n\nDiese Datei enthält einen ordentlichen Absatz über Regulierung.\n",
    );
    env.write("empty.txt", "");
    env.write("blank.md", "\n\n   \n");
    env.write(
        "binary.html",
        [0u8, 159, 146, 150, 0, 0, 1, 2, 3, 0, 255, 254],
    );
    env.write("image.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10");
    // windows-1252 without any declaration: must be decoded, not skipped.
    env.write(
        "latin.txt",
        b"Stra\xdfe\n\nMa\xdfnahmen f\xfcr die \xdcberwachung der Stra\xdfen werden gepr\xfcft.\n",
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink("/nowhere/at/all.txt", env.corpus().join("dangling.txt"))
        .expect("symlink");

    let run = env.run_ok(&["index"], 0);
    for name in ["empty.txt", "blank.md", "binary.html", "image.txt"] {
        assert!(
            run.stderr
                .lines()
                .any(|l| l.starts_with("polsearch: skipped") && l.contains(name)),
            "{name} not reported:\n{}",
            run.stderr
        );
    }
    #[cfg(unix)]
    assert!(run.stderr.contains("dangling.txt"), "{}", run.stderr);
    assert!(run.stdout.contains("documents: 2"), "{}", run.stdout);
    let hits = env
        .run_ok(&["search", "Überwachung", "--json"], 0)
        .json_lines();
    assert_eq!(hits[0]["path"], "latin.txt");
    assert!(
        hits[0]["text"]
            .as_str()
            .unwrap()
            .contains("Maßnahmen für die Überwachung")
    );
}

#[test]
fn a_corpus_with_nothing_readable_is_an_error() {
    let env = TestEnv::new();
    env.write("empty.txt", "");
    let run = env.run_ok(&["index"], 2);
    assert!(run.stderr.contains("nothing to index"), "{}", run.stderr);
}

#[test]
fn a_missing_corpus_is_a_clear_error() {
    let env = TestEnv::new();
    fs::remove_dir(env.corpus()).expect("rmdir");
    let run = env.run_ok(&["index"], 2);
    assert!(
        run.stderr.starts_with("polsearch: error:"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("corpus"), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    let search = env.run_ok(&["search", "KI"], 2);
    assert!(search.stderr.contains("corpus"), "{}", search.stderr);
}

#[test]
fn a_failed_run_leaves_the_previous_index_searchable() {
    let env = TestEnv::with_shipped_corpus();
    env.run_ok(&["index"], 0);
    let before = env.run_ok(&["search", "Gipfel", "--json"], 0).stdout;

    // A run that dies half-way leaves an unfinished generation behind.
    fs::create_dir_all(env.index().join("g000099.tmp")).expect("mkdir");
    fs::write(env.index().join("g000099.tmp/junk"), "half-written").expect("write");
    assert_eq!(
        env.run_ok(&["search", "Gipfel", "--json"], 0).stdout,
        before
    );

    // A run that fails (its corpus vanished) changes nothing either.
    let moved = env.dir.path().join("corpus-away");
    fs::rename(env.corpus(), &moved).expect("move corpus");
    env.run_ok(&["index"], 2);
    assert_eq!(
        env.run_ok(&["search", "Gipfel", "--json"], 0).stdout,
        before
    );

    // The next good run cleans up; a full one switches to a new generation.
    fs::rename(&moved, env.corpus()).expect("move back");
    env.run_ok(&["index"], 0);
    let search = || env.run_ok(&["search", "Gipfel", "--json"], 0).stdout;
    assert_eq!(search(), before);
    env.run_ok(&["index", "--full"], 0);
    // The same hits, each naming the new generation it now comes from.
    let after = search();
    assert!(after.contains(r#""generation":"g000002:"#), "{after}");
    assert_eq!(without_generation(&after), without_generation(&before));
    let mut left: Vec<String> = fs::read_dir(env.index())
        .expect("index dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["CURRENT", "LOCK", "g000002"]);
}

#[test]
fn a_damaged_pointer_is_an_error_not_a_panic() {
    let env = TestEnv::with_shipped_corpus();
    env.run_ok(&["index"], 0);
    fs::write(env.index().join("CURRENT"), "../../etc\n").expect("write");
    let run = env.run_ok(&["search", "KI"], 2);
    assert!(run.stderr.contains("damaged"), "{}", run.stderr);
}

#[test]
fn hidden_files_and_foreign_formats_are_not_indexed() {
    let env = TestEnv::new();
    env.write(
        "visible.md",
        "# Sichtbar\n\nDieser Absatz ist sichtbar und handelt von Aufsicht.\n",
    );
    env.write(
        ".hidden/secret.md",
        "# Geheim\n\nDieser Absatz über Aufsicht ist versteckt.\n",
    );
    env.write(
        ".draft.txt",
        "Entwurf\n\nEin versteckter Entwurf über Aufsicht.\n",
    );
    env.write("data.csv", "text\nAufsicht\n");
    let run = env.run_ok(&["index"], 0);
    assert!(run.stdout.contains("documents: 1"), "{}", run.stdout);
    assert!(
        run.stdout.contains("1 files of other formats ignored"),
        "{}",
        run.stdout
    );
    let hits = env
        .run_ok(&["search", "Aufsicht", "--json"], 0)
        .json_lines();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["path"], "visible.md");
}

#[test]
fn environment_variables_choose_corpus_and_index() {
    let env = TestEnv::new();
    env.write(
        "a.txt",
        "Titel\n\nEin Absatz über Marktüberwachung in Europa.\n",
    );
    let other_index = env.dir.path().join("elsewhere");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_polsearch"))
        .args(["index", "--quiet"])
        .env("POLSEARCH_CORPUS", env.corpus())
        .env("POLSEARCH_INDEX", &other_index)
        .output()
        .expect("run");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    assert!(
        status.stdout.is_empty(),
        "--quiet prints nothing on success"
    );
    assert!(other_index.join("CURRENT").is_file());
}

/// JSON Lines with each hit's `generation` left out.
fn without_generation(lines: &str) -> Vec<serde_json::Value> {
    lines
        .lines()
        .map(|line| {
            let mut hit: serde_json::Value = serde_json::from_str(line).expect("JSON line");
            if let Some(object) = hit.as_object_mut() {
                object.remove("generation");
            }
            hit
        })
        .collect()
}

#[test]
fn a_run_without_memory_to_spare_finds_what_a_roomy_one_finds() {
    // `--memory 0`: nothing is held from reading to writing (every file is read twice) and the
    // index is too large for its budget, so it is not merged into one segment; the default
    // budget holds everything and merges the index whole. The hits must not tell them apart.
    let hits = |memory: Option<&str>| {
        let env = TestEnv::with_shipped_corpus();
        let mut args = vec!["index"];
        if let Some(mb) = memory {
            args.extend(["--memory", mb]);
        }
        env.run_ok(&args, 0);
        let mut out = Vec::new();
        for query in [
            "Gipfel",
            "KI-Regulierung",
            "intelligence artificielle",
            "AI Act",
        ] {
            let run = env.run_ok(&["search", query, "--json", "-n", "20"], 0);
            out.extend(run.json_lines().into_iter().map(|mut hit| {
                hit.as_object_mut()
                    .expect("hit object")
                    .remove("generation");
                hit
            }));
        }
        out
    };
    let roomy = hits(None);
    assert!(roomy.len() > 20, "{roomy:?}");
    assert_eq!(hits(Some("0")), roomy);
}
