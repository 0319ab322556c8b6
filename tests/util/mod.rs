//! Test harness: a temporary corpus and index, and the built binary run against them.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temporary corpus folder and index folder.
pub struct TestEnv {
    pub dir: tempfile::TempDir,
    corpus: PathBuf,
}

/// What one run of the binary did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Parses stdout as JSON Lines.
    pub fn json_lines(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|line| {
                serde_json::from_str(line)
                    .unwrap_or_else(|err| panic!("not a JSON line ({err}): {line}"))
            })
            .collect()
    }
}

impl TestEnv {
    pub fn new() -> TestEnv {
        let dir = tempfile::tempdir().expect("tempdir");
        let corpus = dir.path().join("corpus");
        fs::create_dir_all(&corpus).expect("corpus dir");
        TestEnv { dir, corpus }
    }

    /// A test env that reads an existing corpus folder (never written to) into its own index.
    pub fn on_corpus(corpus: &Path) -> TestEnv {
        TestEnv {
            dir: tempfile::tempdir().expect("tempdir"),
            corpus: corpus.to_path_buf(),
        }
    }

    /// A test env whose corpus is a copy of the shipped `corpus/`.
    pub fn with_shipped_corpus() -> TestEnv {
        let env = TestEnv::new();
        copy_dir(&repo_path("corpus"), &env.corpus());
        env
    }

    pub fn corpus(&self) -> PathBuf {
        self.corpus.clone()
    }

    pub fn index(&self) -> PathBuf {
        self.dir.path().join("index")
    }

    /// Writes a corpus file, creating folders.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.corpus().join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(&path, contents).expect("write corpus file");
        path
    }

    /// Runs polsearch with this env's corpus and index and `--color never`.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, &[])
    }

    pub fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_polsearch"));
        command
            .arg("--corpus")
            .arg(self.corpus())
            .arg("--index")
            .arg(self.index())
            .args(args)
            .env_remove("POLSEARCH_INDEX")
            .env_remove("POLSEARCH_CORPUS")
            .env_remove("NO_COLOR");
        if !args.contains(&"--color") && !args.iter().any(|a| a.starts_with("--color=")) {
            command.args(["--color", "never"]);
        }
        for (key, value) in env {
            command.env(key, value);
        }
        let Output {
            status,
            stdout,
            stderr,
        } = command.output().expect("run polsearch");
        let run = Run {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
        };
        assert!(
            !run.stderr.contains("panicked"),
            "polsearch panicked on {args:?}:\n{}",
            run.stderr
        );
        run
    }

    /// Runs and asserts the exit code, showing both streams on failure.
    pub fn run_ok(&self, args: &[&str], code: i32) -> Run {
        let run = self.run(args);
        assert_eq!(
            run.code, code,
            "exit code of {args:?}\nstdout:\n{}\nstderr:\n{}",
            run.stdout, run.stderr
        );
        run
    }
}

/// A path inside the repository.
pub fn repo_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// `../shared/<rel>` when present; `None` (and a note on stderr) where it is absent.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let path = repo_path("../shared").join(rel);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipped: {} is absent", path.display());
        None
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// The highlighted substrings of a JSON hit.
pub fn highlighted(hit: &serde_json::Value) -> Vec<String> {
    let text: Vec<char> = hit["text"].as_str().expect("text").chars().collect();
    hit["highlights"]
        .as_array()
        .expect("highlights")
        .iter()
        .map(|range| {
            let start = range[0].as_u64().expect("start") as usize;
            let end = range[1].as_u64().expect("end") as usize;
            assert!(
                start < end && end <= text.len(),
                "range {range} outside text"
            );
            text[start..end].iter().collect()
        })
        .collect()
}

pub mod docx;
pub mod pdf;
pub mod research;
