//! `polsearch index`: bring the index up to date with the corpus and report what changed.
//!
//! On a terminal a progress bar runs on stderr; without one (cron, systemd) there is no bar,
//! only a few plain log lines, so that a log file stays readable.

use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

use super::EXIT_OK;
use crate::cli::{Cli, IndexArgs};
use crate::indexer::{self, BuildOptions, Progress, RunReport};
use crate::output::sanitize_line;
use crate::store::{Manifest, SkippedFile};

pub fn run(cli: &Cli, args: &IndexArgs) -> anyhow::Result<ExitCode> {
    let options = BuildOptions {
        heap_bytes: BuildOptions::heap_share(args.memory.saturating_mul(1024 * 1024)),
        keep_bytes: BuildOptions::keep_share(args.memory.saturating_mul(1024 * 1024)),
        full: args.full,
        wait: args.wait,
        decompound: !args.no_decompound,
    };
    let mut progress = Reporter::new(!args.quiet && io::stderr().is_terminal(), args.quiet);
    let report = build(&cli.corpus, &cli.index, &options, &mut progress)?;
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &report)?;
        writeln!(out)?;
    } else if !args.quiet {
        write_run(&mut out, &report, &cli.index)?;
    }
    Ok(ExitCode::from(EXIT_OK))
}

/// Runs the indexer with the command's error context.
pub fn build(
    corpus: &Path,
    index: &Path,
    options: &BuildOptions,
    progress: &mut dyn Progress,
) -> anyhow::Result<RunReport> {
    indexer::build(corpus, index, options, progress)
        .with_context(|| format!("indexing {} into {}", corpus.display(), index.display()))
}

/// Progress on stderr: a bar on a terminal, plain lines otherwise, errors only when quiet.
pub struct Reporter {
    bar: Option<ProgressBar>,
    interactive: bool,
    quiet: bool,
    files_done: u64,
    files_planned: u64,
}

impl Reporter {
    pub fn new(interactive: bool, quiet: bool) -> Reporter {
        Reporter {
            bar: None,
            interactive,
            quiet,
            files_done: 0,
            files_planned: 0,
        }
    }

    fn line(&self, text: &str) {
        match &self.bar {
            Some(bar) => bar.println(text),
            None => eprintln!("{text}"),
        }
    }
}

impl Progress for Reporter {
    fn start(&mut self, full: bool, reason: Option<&str>) {
        if full && !self.quiet {
            self.line(&format!(
                "polsearch: full rebuild ({})",
                reason.unwrap_or("asked for")
            ));
        }
    }

    fn plan(&mut self, files: u64, bytes: u64, unchanged: u64) {
        self.files_planned = files;
        if self.quiet {
            return;
        }
        if self.interactive && files > 0 {
            let bar = ProgressBar::new(bytes);
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{bar:30}] {bytes}/{total_bytes} {msg} {bytes_per_sec}, ETA {eta}",
                )
                .expect("a valid template")
                .progress_chars("=> "),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            bar.set_message(format!("0/{files} files"));
            self.bar = Some(bar);
        } else if !self.interactive {
            eprintln!(
                "polsearch: reading {files} files ({:.1} MB), {unchanged} unchanged",
                bytes as f64 / 1e6
            );
        }
    }

    fn file_done(&mut self, bytes: u64) {
        self.files_done += 1;
        if let Some(bar) = &self.bar {
            bar.inc(bytes);
            bar.set_message(format!("{}/{} files", self.files_done, self.files_planned));
        }
    }

    fn skipped(&mut self, file: &SkippedFile) {
        // Skips are warnings, not errors: even --quiet keeps them out.
        if !self.quiet {
            self.line(&format!(
                "polsearch: skipped {}: {}",
                sanitize_line(&file.path),
                file.reason
            ));
        }
    }

    fn committing(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

/// The human summary of a run.
fn write_run<W: Write>(out: &mut W, report: &RunReport, index: &Path) -> io::Result<()> {
    writeln!(
        out,
        "{}: {} added, {} updated, {} removed, {} unchanged, {} newly skipped",
        if report.full {
            "full rebuild"
        } else {
            "update"
        },
        report.added,
        report.updated,
        report.removed,
        report.unchanged,
        report.newly_skipped
    )?;
    if report.recleaned > 0 {
        writeln!(
            out,
            "rewritten: {} unchanged files (a copy or shared boilerplate came or went)",
            report.recleaned
        )?;
    }
    write_summary(out, &report.manifest, index, report.size_bytes)?;
    let p = &report.phases;
    writeln!(
        out,
        "phases: read {:.2} s, cleaning {:.2} s, write {:.2} s, commit and merge {:.2} s; \
         total {:.2} s",
        p.read,
        p.cleaning,
        p.write,
        p.commit,
        p.read + p.cleaning + p.write + p.commit
    )
}

/// The facts of an index: what `index` ends with and what `stats` shows.
pub fn write_summary<W: Write>(
    out: &mut W,
    manifest: &Manifest,
    index: &Path,
    size_bytes: u64,
) -> io::Result<()> {
    let by_lang = |counts: &std::collections::BTreeMap<String, u64>| {
        let mut pairs: Vec<_> = counts.iter().collect();
        pairs.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        pairs
            .iter()
            .map(|(lang, n)| format!("{lang} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    writeln!(out, "documents: {}", manifest.documents)?;
    writeln!(out, "passages:  {}", manifest.passages)?;
    writeln!(
        out,
        "passages by language: {}",
        by_lang(&manifest.passages_by_lang)
    )?;
    writeln!(
        out,
        "documents by language: {}",
        by_lang(&manifest.documents_by_lang)
    )?;
    writeln!(
        out,
        "not indexed: {} repeated paragraphs, {} one-line fragments, {} page furniture, {} \
         boilerplate blocks, {} blocks held by another document",
        manifest.repeated_paragraphs,
        manifest.fragments,
        manifest.furniture_blocks,
        manifest.boilerplate_blocks,
        manifest.duplicate_blocks
    )?;
    if manifest.duplicate_documents > 0 {
        writeln!(
            out,
            "copies: {} documents are copies of another (see stats --dropped)",
            manifest.duplicate_documents
        )?;
    }
    writeln!(
        out,
        "files skipped: {}{}",
        manifest.skipped.len(),
        if manifest.other_formats > 0 {
            format!(
                " (and {} files of other formats ignored)",
                manifest.other_formats
            )
        } else {
            String::new()
        }
    )?;
    let ratio = if manifest.text_bytes > 0 {
        format!(
            ", {:.2}x the {:.1} MB of text indexed",
            size_bytes as f64 / manifest.text_bytes as f64,
            manifest.text_bytes as f64 / 1e6
        )
    } else {
        String::new()
    };
    writeln!(
        out,
        "index: {} ({:.1} MB{ratio})",
        index.join(&manifest.generation).display(),
        size_bytes as f64 / 1e6
    )?;
    writeln!(out, "seconds: {:.2}", manifest.seconds)
}
