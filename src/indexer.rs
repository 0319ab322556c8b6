//! Building and updating an index from a corpus folder: walk, decide what changed, ingest the
//! changed files in parallel, commit once.
//!
//! A run is incremental by default: files whose size and modification time match the index's
//! record are not read at all; files read but byte-identical only get their record refreshed;
//! changed and new files are re-ingested; the passages of vanished files are removed. A full
//! rebuild (asked for, or forced by a missing, damaged or outdated index) writes a new
//! generation beside the live one.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;

use crate::clean::{self, Decision};
use crate::compound::{Lexicon, Params, Splitter};
use crate::ingest::{self, IngestedDoc};
use crate::lang::LanguageDetector;
use crate::source::{self, SourceFile};
use crate::store::lock::{LockError, WriterLock};
use crate::store::writer::{FileRecord, Update};
use crate::store::{self, Manifest, SkippedFile, StoreError};

/// Files ingested in parallel before their passages go to the writer; bounds the passages
/// held in memory at once while keeping every core busy.
const BATCH_FILES: usize = 64;
/// Batches of files read again between two returns of free memory to the system.
const TRIM_BATCHES: usize = 16;

/// Why a run failed as a whole; the index is then as it was before the run.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("corpus folder {path}")]
    Corpus {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "nothing to index in {0}: no readable documents (.html, .txt, .md, .pdf, .docx, .json, .jsonl)"
    )]
    Empty(String),
    #[error(transparent)]
    Lock(#[from] LockError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("scratch file for cleaning across documents: {0}")]
    Scratch(std::io::Error),
}

/// Options of one run.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Memory for the tantivy writer's buffers.
    pub heap_bytes: usize,
    /// Rebuild everything into a new generation.
    pub full: bool,
    /// Wait for another run holding the lock instead of failing.
    pub wait: bool,
    /// Split German compounds with a lexicon learnt from the corpus (full rebuilds).
    pub decompound: bool,
    /// Passage text a full rebuild keeps in memory between reading and indexing; files
    /// beyond it are read a second time.
    pub keep_bytes: usize,
}

/// The memory budget of a run (`index --memory`), in bytes.
pub const DEFAULT_MEMORY_BYTES: usize = 256 * 1024 * 1024;

impl BuildOptions {
    /// The index writer's share of a memory budget (see [`store::writer::heap_share`]).
    pub fn heap_share(memory: usize) -> usize {
        store::writer::heap_share(memory)
    }

    /// The share of a memory budget for documents held from the read pass to the write
    /// pass: a quarter (their text; the structures around it about double it). The rest
    /// goes to merges, which map the segments they read (see `store::writer`).
    pub fn keep_share(memory: usize) -> usize {
        memory / 4
    }
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            heap_bytes: BuildOptions::heap_share(DEFAULT_MEMORY_BYTES),
            full: false,
            wait: false,
            decompound: true,
            keep_bytes: BuildOptions::keep_share(DEFAULT_MEMORY_BYTES),
        }
    }
}

/// Hears what a run does, as it happens. Every method has a silent default.
pub trait Progress {
    /// The kind of run: `full` with its reason, or incremental.
    fn start(&mut self, _full: bool, _reason: Option<&str>) {}
    /// `files` files of `bytes` bytes will be read; `unchanged` are known not to have changed.
    fn plan(&mut self, _files: u64, _bytes: u64, _unchanged: u64) {}
    /// One planned file was read (`bytes` of it).
    fn file_done(&mut self, _bytes: u64) {}
    /// A file was left out.
    fn skipped(&mut self, _file: &SkippedFile) {}
    /// All files are read; the commit follows.
    fn committing(&mut self) {}
}

/// A progress listener that hears nothing.
pub struct Silent;
impl Progress for Silent {}

/// What a run did, and the manifest of the index after it.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    /// Whether this was a full rebuild into a new generation.
    pub full: bool,
    /// Why a full rebuild was made.
    pub reason: Option<String>,
    pub added: u64,
    pub updated: u64,
    pub removed: u64,
    pub unchanged: u64,
    /// Unchanged files written again because cleaning across documents decided differently
    /// for them (a copy or a boilerplate twin came or went).
    pub recleaned: u64,
    /// Files left out by this run (unreadable, binary, empty, …), counted once each.
    pub newly_skipped: u64,
    /// Bytes of the files read by this run.
    pub bytes_read: u64,
    pub size_bytes: u64,
    /// Where the run's time went.
    pub phases: Phases,
    #[serde(flatten)]
    pub manifest: Manifest,
}

/// Seconds of each stage of a run: reading (extraction, language detection, passages,
/// sketches, in parallel), cleaning across documents, writing (analysis and indexing), and
/// the commit (the last segments written, merged and switched live).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Phases {
    pub read: f64,
    pub cleaning: f64,
    pub write: f64,
    pub commit: f64,
}

/// Indexes `corpus` into `index_dir`: incrementally when the live index allows it, else (or
/// with `options.full`) as a new generation. Holds the writer lock throughout.
pub fn build(
    corpus: &Path,
    index_dir: &Path,
    options: &BuildOptions,
    progress: &mut dyn Progress,
) -> Result<RunReport, BuildError> {
    let started = Instant::now();
    // Walk first: a missing corpus must fail before the index folder is even created.
    let walk = source::walk(corpus).map_err(|source| BuildError::Corpus {
        path: corpus.display().to_string(),
        source,
    })?;
    let _lock = WriterLock::acquire(index_dir, options.wait)?;
    let start = begin(index_dir, options)?;
    let reason = match &start {
        Start::Incremental(_) => None,
        Start::Full(reason) => Some(reason.clone()),
    };
    progress.start(reason.is_some(), reason.as_deref());

    let mut walk_skipped = Vec::new();
    for entry in &walk.skipped {
        let skipped = SkippedFile {
            path: entry.path.display().to_string(),
            reason: entry.reason.clone(),
        };
        progress.skipped(&skipped);
        walk_skipped.push(skipped);
    }

    let mut report = RunReport {
        full: reason.is_some(),
        reason,
        added: 0,
        updated: 0,
        removed: 0,
        unchanged: 0,
        recleaned: 0,
        newly_skipped: 0,
        bytes_read: 0,
        size_bytes: 0,
        phases: Phases::default(),
        manifest: Manifest::default(),
    };
    let detector = LanguageDetector::new();
    // Which files to read: all for a full rebuild; for an incremental run, those whose size
    // or time differ from their record (the hash then tells whether they really changed).
    let mut unchanged: Vec<&SourceFile> = Vec::new();
    let mut todo: Vec<(&SourceFile, Option<String>)> = Vec::new();
    let (mut update, learn) = match start {
        Start::Incremental(update) => {
            for file in &walk.files {
                match update.previous(&file.rel_path) {
                    Some(prev)
                        if prev.doc_id == file.doc_id
                            && prev.size == file.size
                            && prev.mtime_ns == file.mtime_ns
                            && prev.rules == rules_digest(file)
                            && file.mtime_ns != 0 =>
                    {
                        unchanged.push(file);
                    }
                    // Same id: the contents may still be the same; the hash will tell.
                    Some(prev) if prev.doc_id == file.doc_id => {
                        todo.push((file, Some(prev.hash.clone())))
                    }
                    _ => todo.push((file, None)),
                }
            }
            (Some(*update), false)
        }
        Start::Full(_) => {
            todo = walk.files.iter().map(|file| (file, None)).collect();
            (None, options.decompound)
        }
    };
    plan(progress, &todo, unchanged.len() as u64);

    // Read pass: every changed file is ingested and sketched; the documents are kept up to a
    // memory bound, the rest are read again for writing.
    let mut lexicon = Lexicon::new();
    let mut kept: Vec<(&SourceFile, Outcome)> = Vec::new();
    let mut kept_bytes = 0;
    // Passage text of the files read: how large the new index will be.
    let mut text_read = 0u64;
    let mut deferred: Vec<(&SourceFile, Option<String>)> = Vec::new();
    // Each document's sketch: the blocks go to a scratch file beside the index.
    let mut sketches = clean::Sketches::new(index_dir).map_err(BuildError::Scratch)?;
    // Files read whose bytes are as before: their record stands unless cleaning changes.
    let mut same: Vec<&SourceFile> = Vec::new();
    for batch in todo.chunks(BATCH_FILES) {
        // Sketching and word counting run with the reading, in parallel; only merging the
        // counts is left to this thread.
        let read: Vec<_> = batch
            .par_iter()
            .map(|(file, prev_hash)| {
                let outcome = read(file, prev_hash.as_deref(), &detector);
                let (sketched, words) = match &outcome {
                    Outcome::Ingested(_, docs) => {
                        let mut words = Lexicon::new();
                        if learn {
                            for doc in docs {
                                learn_words(&mut words, doc);
                            }
                        }
                        (docs.iter().map(clean::sketch).collect(), words)
                    }
                    _ => (Vec::new(), Lexicon::new()),
                };
                (*file, outcome, sketched, words)
            })
            .collect();
        for (file, outcome, sketched, words) in read {
            progress.file_done(file.size);
            report.bytes_read += file.size;
            match &outcome {
                Outcome::Ingested(_, docs) => {
                    text_read += docs.iter().map(IngestedDoc::text_bytes).sum::<u64>();
                    lexicon.merge(words);
                    sketches
                        .add(&file.rel_path, sketched)
                        .map_err(BuildError::Scratch)?;
                }
                Outcome::Same => {
                    same.push(file);
                    continue;
                }
                Outcome::Failed(..) => {}
            }
            if kept_bytes < options.keep_bytes {
                kept_bytes += outcome.text_bytes();
                kept.push((file, outcome));
            } else {
                let prev_hash = update
                    .as_ref()
                    .and_then(|u| u.previous(&file.rel_path))
                    .map(|prev| prev.hash.clone());
                deferred.push((file, prev_hash));
            }
        }
    }
    let mut update = match update.take() {
        Some(update) => update,
        None => {
            // The lexicon must be complete before the first passage is analysed.
            let lexicon = Splitter::induce_tails(lexicon, Params::default());
            Update::full(index_dir, options.heap_bytes, &lexicon, text_read)?
        }
    };

    // Cleaning across documents, from the sketches of every file the corpus still holds;
    // when no file came, went or changed, its decisions cannot have changed either.
    let present: std::collections::HashSet<&str> =
        walk.files.iter().map(|f| f.rel_path.as_str()).collect();
    let corpus_changed = !kept.is_empty()
        || !deferred.is_empty()
        || update.previous_paths().any(|path| !present.contains(path));
    if corpus_changed {
        for file in unchanged.iter().chain(&same) {
            if update.previous(&file.rel_path).is_some() {
                let previous = update.previous_sketches(&file.rel_path)?;
                sketches
                    .add(&file.rel_path, previous)
                    .map_err(BuildError::Scratch)?;
            }
        }
    }
    let read_done = started.elapsed().as_secs_f64();
    let decisions = if corpus_changed {
        sketches.decide().map_err(BuildError::Scratch)?
    } else {
        sketches.seal().map_err(BuildError::Scratch)?;
        BTreeMap::new()
    };
    // Cleaning leaves most documents as they are, and has no decision for them.
    let as_they_are = Decision::default().digest();
    let digest_of = |path: &str| -> u64 {
        let digests: Vec<u64> = sketches
            .doc_ids(path)
            .map(|id| decisions.get(id).map_or(as_they_are, Decision::digest))
            .collect();
        clean_digest(&digests)
    };

    // Unchanged files are rewritten only when cleaning decides differently for them now
    // (another document came, went or changed); that needs their text again.
    let mut rewrite: Vec<(&SourceFile, Option<String>)> = Vec::new();
    for file in unchanged.iter().chain(&same) {
        // Both kinds of file have a record: their size and time, or their hash, matched it.
        let Some(mut prev) = update.previous(&file.rel_path).cloned() else {
            continue;
        };
        if corpus_changed && prev.error.is_none() && prev.cleaning != digest_of(&file.rel_path) {
            rewrite.push((file, None));
            continue;
        }
        if prev.size != file.size || prev.mtime_ns != file.mtime_ns {
            prev.size = file.size;
            prev.mtime_ns = file.mtime_ns;
            update.touch(prev)?;
        }
        report.unchanged += 1;
    }

    let cleaning_done = started.elapsed().as_secs_f64();
    // Write pass.
    let mut write = |update: &mut Update, file: &SourceFile, outcome: Outcome, rewritten: bool| {
        let cleaning = digest_of(&file.rel_path);
        // The read pass sketched every file (or its record kept the sketches).
        let sketched = sketches
            .encoded(&file.rel_path)
            .map_err(BuildError::Scratch)?;
        apply(
            update,
            &mut report,
            progress,
            file,
            outcome,
            Cleaning {
                decisions: &decisions,
                digest: cleaning,
                sketches: sketched,
                detector: &detector,
            },
            rewritten,
        )
    };
    for (file, outcome) in kept {
        write(&mut update, file, outcome, false)?;
    }
    for (n, batch) in deferred.chunks(BATCH_FILES).enumerate() {
        for (file, outcome) in read_batch(batch, &detector) {
            write(&mut update, file, outcome, false)?;
        }
        if n % TRIM_BATCHES == TRIM_BATCHES - 1 {
            // Documents freed as soon as they are written lie between state that stays, and
            // glibc keeps those pages.
            store::writer::return_free_memory();
        }
    }
    for batch in rewrite.chunks(BATCH_FILES) {
        for (file, outcome) in read_batch(batch, &detector) {
            write(&mut update, file, outcome, true)?;
        }
    }
    for path in update.vanished(|path| present.contains(path)) {
        update.remove(&path)?;
        report.removed += 1;
    }
    if !update.has_documents() {
        return Err(BuildError::Empty(corpus.display().to_string()));
    }
    progress.committing();
    let corpus_name = std::fs::canonicalize(corpus)
        .unwrap_or_else(|_| corpus.to_path_buf())
        .display()
        .to_string();
    let write_done = started.elapsed().as_secs_f64();
    report.manifest = update.commit(
        &corpus_name,
        walk_skipped,
        walk.other_formats as u64,
        started.elapsed().as_secs_f64(),
    )?;
    report.size_bytes = store::current_generation(index_dir)
        .map(|generation| store::generation_size(&generation))
        .unwrap_or(0);
    let done = started.elapsed().as_secs_f64();
    report.phases = Phases {
        read: read_done,
        cleaning: cleaning_done - read_done,
        write: write_done - cleaning_done,
        commit: done - write_done,
    };
    Ok(report)
}

/// Counts the words of `doc`'s German passages into `lexicon`: what the compound splitter
/// learns from.
pub fn learn_words(lexicon: &mut Lexicon, doc: &IngestedDoc) {
    for passage in doc.passages.iter().filter(|p| p.lang == "de") {
        lexicon.add_text(&passage.text);
    }
}

fn plan(progress: &mut dyn Progress, todo: &[(&SourceFile, Option<String>)], unchanged: u64) {
    let bytes = todo.iter().map(|(file, _)| file.size).sum();
    progress.plan(todo.len() as u64, bytes, unchanged);
}

/// Reads and ingests a batch of files in parallel, in order.
fn read_batch<'a>(
    batch: &[(&'a SourceFile, Option<String>)],
    detector: &LanguageDetector,
) -> Vec<(&'a SourceFile, Outcome)> {
    batch
        .par_iter()
        .map(|(file, prev_hash)| (*file, read(file, prev_hash.as_deref(), detector)))
        .collect()
}

/// Records one file's outcome in the update and the report, after cleaning its documents.
fn apply(
    update: &mut Update,
    report: &mut RunReport,
    progress: &mut dyn Progress,
    file: &SourceFile,
    outcome: Outcome,
    cleaning: Cleaning<'_>,
    rewritten: bool,
) -> Result<(), BuildError> {
    let existed = update.previous(&file.rel_path).is_some();
    let record = |hash: String, result: Result<&[IngestedDoc], String>| {
        let mut record = FileRecord::new(
            &file.rel_path,
            &file.doc_id,
            hash,
            file.size,
            file.mtime_ns,
            result,
        );
        record.rules = rules_digest(file);
        record
    };
    match outcome {
        Outcome::Same => {
            let mut refreshed = update
                .previous(&file.rel_path)
                .cloned()
                .expect("Same is only returned against a previous record");
            refreshed.size = file.size;
            refreshed.mtime_ns = file.mtime_ns;
            update.touch(refreshed)?;
            report.unchanged += 1;
        }
        Outcome::Ingested(hash, mut docs) => {
            let sketches = cleaning.sketches.unwrap_or_else(|| {
                clean::encode_sketches(&docs.iter().map(clean::sketch).collect::<Vec<_>>())
            });
            for doc in &mut docs {
                if let Some(decision) = cleaning.decisions.get(&doc.doc_id) {
                    doc.clean(decision, cleaning.detector);
                }
            }
            // Cleaning may leave a copy with nothing of its own; it stays recorded, so
            // that it comes back should its original go.
            docs.retain(|doc| !doc.passages.is_empty() || doc.alias_of.is_some());
            let mut record = record(hash, Ok(&docs));
            record.cleaning = cleaning.digest;
            update.replace(record, &sketches, &docs)?;
            if rewritten {
                report.recleaned += 1;
            } else if existed {
                report.updated += 1;
            } else {
                report.added += 1;
            }
        }
        Outcome::Failed(hash, reason) => {
            progress.skipped(&SkippedFile {
                path: file.path.display().to_string(),
                reason: reason.clone(),
            });
            report.newly_skipped += 1;
            update.replace(record(hash, Err(reason)), &[], &[])?;
        }
    }
    Ok(())
}

/// What cross-document cleaning says about one file.
struct Cleaning<'a> {
    decisions: &'a BTreeMap<String, Decision>,
    /// Digest of the decisions for the file's documents.
    digest: u64,
    /// The file's sketches from the read pass, encoded, when it made them.
    sketches: Option<Vec<u8>>,
    /// For the passages cut again after blocks are dropped.
    detector: &'a LanguageDetector,
}

/// Digest of the `polsearch.toml` rules that apply to `file` (0: none).
fn rules_digest(file: &SourceFile) -> u64 {
    file.rules.as_ref().map_or(0, |rules| rules.digest())
}

/// One digest for the cleaning decisions of a file's documents.
fn clean_digest(digests: &[u64]) -> u64 {
    let bytes: Vec<u8> = digests.iter().flat_map(|d| d.to_le_bytes()).collect();
    xxhash_rust::xxh3::xxh3_64(&bytes)
}

/// How a run starts: updating the live generation, or building a new one (and why).
enum Start {
    Incremental(Box<Update>),
    Full(String),
}

/// Opens the live generation for an incremental run, or says why a full one is needed.
fn begin(index_dir: &Path, options: &BuildOptions) -> Result<Start, BuildError> {
    let full = |reason: String| -> Result<Start, BuildError> { Ok(Start::Full(reason)) };
    if options.full {
        return full("--full".to_string());
    }
    match store::open_current(index_dir) {
        Ok(live) => Ok(Start::Incremental(Box::new(Update::incremental(
            index_dir,
            live.index,
            &live.generation,
            options.heap_bytes,
        )?))),
        Err(StoreError::NotFound(_)) => full("no index yet".to_string()),
        Err(StoreError::Outdated {
            found,
            found_analysis,
            ..
        }) => full(format!(
            "the index was built with schema {found} and analysis {found_analysis}, this \
             polsearch uses schema {} and analysis {}",
            store::SCHEMA_VERSION,
            crate::analysis::ANALYZER_VERSION
        )),
        Err(err @ StoreError::Corrupt { .. }) => full(err.to_string()),
        Err(err) => Err(err.into()),
    }
}

enum Outcome {
    /// The bytes hash as before: nothing to re-index.
    Same,
    Ingested(String, Vec<IngestedDoc>),
    Failed(String, String),
}

impl Outcome {
    /// Bytes of text held.
    fn text_bytes(&self) -> usize {
        match self {
            // The blocks are held too, for cleaning to cut the passages again.
            Outcome::Ingested(_, docs) => docs
                .iter()
                .map(|doc| {
                    let blocks: usize = doc.blocks.iter().map(|b| b.text.len()).sum();
                    doc.text_bytes() as usize + blocks
                })
                .sum(),
            _ => 0,
        }
    }
}

fn read(file: &SourceFile, prev_hash: Option<&str>, detector: &LanguageDetector) -> Outcome {
    let bytes = match ingest::read_bounded(&file.path) {
        Ok(bytes) => bytes,
        Err(err) => return Outcome::Failed(String::new(), err.to_string()),
    };
    let mut hash = format!("{:032x}", xxhash_rust::xxh3::xxh3_128(&bytes));
    // The sidecar is part of the document: a change to it alone must re-index the file.
    if let Some(sidecar) = &file.sidecar {
        match ingest::read_bounded(sidecar) {
            Ok(side) => hash.push_str(&format!("+{:032x}", xxhash_rust::xxh3::xxh3_128(&side))),
            Err(err) => return Outcome::Failed(hash, format!("sidecar: {err}")),
        }
    }
    // So are the corpus's extraction rules for it: changing them must re-extract the file.
    if let Some(rules) = &file.rules {
        hash.push_str(&format!("+r{:016x}", rules.digest()));
    }
    if prev_hash == Some(hash.as_str()) {
        return Outcome::Same;
    }
    match ingest::ingest_bytes(file, &bytes, detector) {
        Ok(docs) => Outcome::Ingested(hash, docs),
        Err(err) => Outcome::Failed(hash, err.to_string()),
    }
}
