//! Changing the index: a run either fills a new generation (full rebuild) or updates the live
//! one (incremental), replacing the passages of changed files and their per-file records, and
//! commits once, with the [`Manifest`] as the commit's payload.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use tantivy::collector::DocSetCollector;
use tantivy::index::{SegmentId, SegmentMeta};
use tantivy::indexer::{LogMergePolicy, NoMergePolicy};
use tantivy::query::{BooleanQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, Index, IndexSettings, IndexWriter, Searcher, TantivyDocument, Term};

use super::mapped;
use super::schema::{self, Fields, LINK_SEPARATOR};
use super::{
    CURRENT, Manifest, SCHEMA_VERSION, SkippedFile, StoreError, generation_name, generation_number,
    io_err, is_generation_name, tantivy_err, write_atomically,
};
use crate::analysis;
use crate::clean::{self, DocSketch};
use crate::compound::Lexicon;
use crate::ingest::IngestedDoc;
use crate::reference;
use crate::scratch::ByteFile;

/// Tantivy refuses less than this per writer thread.
const MIN_HEAP_PER_THREAD: usize = 15 * 1024 * 1024;

const FILE_KIND: &str = "file";
/// The `record` value of a file's sketches.
const SKETCHES_KIND: &str = "sketches";

/// What the index remembers of one corpus file: enough to tell next time whether it changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRecord {
    pub path: String,
    pub doc_id: String,
    /// xxh3-128 of the file's bytes, hex.
    pub hash: String,
    pub size: u64,
    /// Modification time in nanoseconds since the epoch: an unchanged size and time spare
    /// reading the file at all.
    pub mtime_ns: u64,
    /// The language of the file's (first) document.
    pub lang: Option<String>,
    /// Documents the file holds: one, or several for an export.
    pub documents: u64,
    #[serde(default)]
    pub documents_by_lang: LangCounts,
    pub passages: u64,
    /// Bytes of the passages' text as indexed.
    #[serde(default)]
    pub text_bytes: u64,
    pub passages_by_lang: LangCounts,
    pub repeated: u64,
    pub fragments: u64,
    /// Elements and blocks the HTML extractor left out as page furniture.
    #[serde(default)]
    pub furniture: u64,
    /// Passages dropped as boilerplate shared across documents.
    #[serde(default)]
    pub boilerplate: u64,
    /// Passages dropped because another document holds them.
    #[serde(default)]
    pub duplicates: u64,
    /// Documents of the file that are copies of another document.
    #[serde(default)]
    pub aliases: u64,
    /// What cross-document cleaning needs to know of the file's documents; stored in an
    /// entry of its own (see [`schema::FILE_SKETCHES`]), and here only when the records are
    /// read back with them.
    #[serde(skip)]
    pub sketches: Vec<DocSketch>,
    /// Digest of the cleaning decisions the file's passages were written with.
    #[serde(default)]
    pub cleaning: u64,
    /// Digest of the `polsearch.toml` rules the file was extracted with (0: none).
    #[serde(default)]
    pub rules: u64,
    /// Why the file is not indexed, if it is not.
    pub error: Option<String>,
}

/// Counts by language code, stored as a JSON object. A run holds the record of every file of
/// the corpus, and most files are in one language: a short list costs a tenth of the
/// smallest map (at a hundred times the bench corpus, the two maps of each record were
/// 0.1 GB of a run's memory).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LangCounts(Vec<(String, u64)>);

impl LangCounts {
    pub fn add(&mut self, lang: &str, n: u64) {
        match self.0.iter_mut().find(|(known, _)| known == lang) {
            Some((_, count)) => *count += n,
            None => self.0.push((lang.to_string(), n)),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, u64)> {
        self.0.iter().map(|(lang, n)| (lang.as_str(), *n))
    }
}

impl Serialize for LangCounts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut sorted: Vec<_> = self.iter().collect();
        sorted.sort_unstable();
        serializer.collect_map(sorted)
    }
}

impl<'de> Deserialize<'de> for LangCounts {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = BTreeMap::<String, u64>::deserialize(deserializer)?;
        Ok(LangCounts(map.into_iter().collect()))
    }
}

impl FileRecord {
    /// The record of a file that was ingested into `doc`, or failed with `error`.
    pub fn new(
        path: &str,
        doc_id: &str,
        hash: String,
        size: u64,
        mtime_ns: u64,
        outcome: Result<&[IngestedDoc], String>,
    ) -> FileRecord {
        let mut record = FileRecord {
            path: path.to_string(),
            doc_id: doc_id.to_string(),
            hash,
            size,
            mtime_ns,
            lang: None,
            documents: 0,
            documents_by_lang: LangCounts::default(),
            passages: 0,
            text_bytes: 0,
            passages_by_lang: LangCounts::default(),
            repeated: 0,
            fragments: 0,
            furniture: 0,
            boilerplate: 0,
            duplicates: 0,
            aliases: 0,
            sketches: Vec::new(),
            cleaning: 0,
            rules: 0,
            error: None,
        };
        match outcome {
            Ok(docs) => {
                record.lang = docs.first().map(|doc| doc.lang.clone());
                record.documents = docs.len() as u64;
                for doc in docs {
                    record.documents_by_lang.add(&doc.lang, 1);
                    record.passages += doc.passages.len() as u64;
                    record.text_bytes += doc.text_bytes();
                    for passage in &doc.passages {
                        record.passages_by_lang.add(&passage.lang, 1);
                    }
                    record.repeated += doc.repeated as u64;
                    record.fragments += doc.fragments as u64;
                    record.furniture += doc.furniture.len() as u64;
                    record.boilerplate += doc.boilerplate as u64;
                    record.duplicates += doc.duplicates as u64;
                    record.aliases += u64::from(doc.alias_of.is_some());
                }
            }
            Err(error) => record.error = Some(error),
        }
        record
    }
}

enum Target {
    /// A new generation in `tmp_dir`, to be renamed to `index_dir/name` when complete.
    Fresh { tmp_dir: PathBuf, name: String },
    /// The live generation.
    Live { name: String },
}

/// One run's changes to the index, committed at once by [`Update::commit`].
pub struct Update {
    index_dir: PathBuf,
    target: Target,
    index: Index,
    fields: Fields,
    heap_bytes: usize,
    writer: Option<IndexWriter<TantivyDocument>>,
    /// The previous generation's records that this run has not replaced or removed, without
    /// their sketches: those are read back from it when needed (at a hundred times the bench
    /// corpus they are gigabytes). A new generation starts with none.
    records: BTreeMap<String, FileRecord>,
    /// Where the previous generation stores each record, and a view of it as it was.
    stored: Option<StoredRecords>,
    /// The records this run writes, at the commit.
    taken: Taken,
    changed: bool,
    /// A full rebuild small enough to be merged into one segment at the end (see
    /// [`merge_all`]); background merges would only be done again.
    merge_whole: bool,
    /// The run's maps of index files hold no pages for long: merges read whole segments.
    _released: mapped::Releasing,
}

impl Update {
    /// Starts a new generation in `index_dir` (created if missing), removing the leftovers
    /// of interrupted earlier runs first.
    /// `lexicon` drives German compound splitting for the whole generation; it is stored in
    /// it, so that later runs and searches split exactly alike. `text_bytes`, the passage
    /// text about to be written, decides how segments are merged.
    pub fn full(
        index_dir: &Path,
        heap_bytes: usize,
        lexicon: &Lexicon,
        text_bytes: u64,
    ) -> Result<Update, StoreError> {
        fs::create_dir_all(index_dir)
            .map_err(io_err(format!("creating {}", index_dir.display())))?;
        remove_stale(index_dir, None);
        let name = generation_name(next_generation_number(index_dir)?);
        let tmp_dir = index_dir.join(format!("{name}.tmp"));
        fs::create_dir_all(&tmp_dir).map_err(io_err(format!("creating {}", tmp_dir.display())))?;
        let index = mapped::Directory::open(&tmp_dir, false)
            .and_then(|directory| {
                Index::create(directory, schema::build(), IndexSettings::default())
            })
            .map_err(tantivy_err(format!(
                "creating index in {}",
                tmp_dir.display()
            )))?;
        if !lexicon.is_empty() {
            write_atomically(
                &tmp_dir.join(super::LEXICON_DE),
                &lexicon.to_fst().map_err(|err| {
                    io_err("writing the German lexicon")(std::io::Error::other(err))
                })?,
            )
            .map_err(io_err("writing the German lexicon"))?;
        }
        analysis::register(index.tokenizers(), super::read_lexicon(&tmp_dir)?);
        let fields = Fields::resolve(&index.schema()).map_err(tantivy_err("resolving schema"))?;
        Ok(Update {
            index_dir: index_dir.to_path_buf(),
            target: Target::Fresh { tmp_dir, name },
            index,
            fields,
            heap_bytes,
            writer: None,
            records: BTreeMap::new(),
            stored: None,
            taken: Taken::new(index_dir)?,
            changed: true,
            merge_whole: expected_index_bytes(text_bytes) <= SEGMENT_BYTES,
            _released: mapped::release_above(RELEASE_ABOVE, RELEASE_PERIOD),
        })
    }

    /// Starts an update of the live generation `generation`, opened as `index`.
    pub fn incremental(
        index_dir: &Path,
        index: Index,
        generation: &Path,
        heap_bytes: usize,
    ) -> Result<Update, StoreError> {
        remove_stale(index_dir, None);
        let fields =
            Fields::resolve(&index.schema()).map_err(tantivy_err("reading the index schema"))?;
        let (records, stored) = load_records(&index, &fields, generation, false)?;
        let name = generation
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok(Update {
            index_dir: index_dir.to_path_buf(),
            target: Target::Live { name },
            index,
            fields,
            heap_bytes,
            writer: None,
            records,
            stored: Some(stored),
            taken: Taken::new(index_dir)?,
            changed: false,
            merge_whole: false,
            _released: mapped::release_above(RELEASE_ABOVE, RELEASE_PERIOD),
        })
    }

    /// The record the index holds for `path` from earlier runs, without its sketches (see
    /// [`Update::previous_sketches`]), until this run replaces or removes it.
    pub fn previous(&self, path: &str) -> Option<&FileRecord> {
        self.records.get(path)
    }

    /// The sketches of the record the previous generation holds for `path` (none when it
    /// holds no record for it).
    pub fn previous_sketches(&self, path: &str) -> Result<Vec<DocSketch>, StoreError> {
        match &self.stored {
            Some(stored) => stored.sketches(path),
            None => Ok(Vec::new()),
        }
    }

    /// The paths the index held before this run, but those it replaced or removed so far.
    pub fn previous_paths(&self) -> impl Iterator<Item = &str> {
        self.records.keys().map(String::as_str)
    }

    /// Replaces everything the index holds for `record.path` by the passages of `docs` (none
    /// when the file could not be ingested), `record`, and the documents' `sketches` as
    /// [`clean::encode_sketches`] gives them (none: empty).
    pub fn replace(
        &mut self,
        record: FileRecord,
        sketches: &[u8],
        docs: &[IngestedDoc],
    ) -> Result<(), StoreError> {
        self.changed = true;
        let fields = self.fields.clone();
        self.delete(&[fields.path, fields.file_path], &record.path)?;
        let writer = self.writer()?;
        for doc in docs {
            for passage in passage_documents(&fields, doc) {
                writer
                    .add_document(passage)
                    .map_err(tantivy_err("adding a passage"))?;
            }
        }
        self.put_record(record, sketches)
    }

    /// Rewrites the record of a file whose contents did not change (its time did), leaving
    /// its passages as they are; its sketches stay as the previous generation stores them.
    pub fn touch(&mut self, record: FileRecord) -> Result<(), StoreError> {
        let sketches = match &self.stored {
            Some(stored) => stored.encoded_sketches(&record.path)?,
            None => Vec::new(),
        };
        self.changed = true;
        let fields = self.fields.clone();
        self.delete(&[fields.file_path], &record.path)?;
        self.put_record(record, &sketches)
    }

    /// Takes `record` and its `sketches`, the old ones deleted already; they are written at
    /// the commit.
    fn put_record(&mut self, record: FileRecord, sketches: &[u8]) -> Result<(), StoreError> {
        self.records.remove(&record.path);
        self.taken
            .add(&record, sketches)
            .map_err(io_err("keeping a file record in a scratch file"))
    }

    /// Whether any file would be indexed after this run.
    pub fn has_documents(&self) -> bool {
        self.taken.indexed > 0 || self.records.values().any(|r| r.error.is_none())
    }

    /// The previous generation's records, neither replaced nor removed, whose file the corpus
    /// does not hold any more.
    pub fn vanished(&self, in_corpus: impl Fn(&str) -> bool) -> Vec<String> {
        self.records
            .keys()
            .filter(|path| !in_corpus(path))
            .cloned()
            .collect()
    }

    /// Removes every passage and the record of `path`.
    pub fn remove(&mut self, path: &str) -> Result<(), StoreError> {
        self.changed = true;
        let fields = self.fields.clone();
        self.delete(&[fields.path, fields.file_path], path)?;
        self.records.remove(path);
        Ok(())
    }

    /// Deletes what the generation holds under `path` in `fields`. A new generation holds
    /// nothing yet, and is spared the deletes: tantivy keeps every delete until the commit,
    /// with a scorer set up for it (over a kilobyte each), which at a hundred times the bench
    /// corpus was a quarter of a gigabyte.
    fn delete(&mut self, fields: &[Field], path: &str) -> Result<(), StoreError> {
        if matches!(self.target, Target::Fresh { .. }) {
            return Ok(());
        }
        let writer = self.writer()?;
        for &field in fields {
            writer.delete_term(Term::from_field_text(field, path));
        }
        Ok(())
    }

    /// Commits the run. A full rebuild is verified (it opens, and holds exactly the passages
    /// and records written), then made live, and the generations it supersedes are removed.
    /// An incremental run without changes commits nothing.
    pub fn commit(
        mut self,
        corpus: &str,
        walk_skipped: Vec<SkippedFile>,
        other_formats: u64,
        seconds: f64,
    ) -> Result<Manifest, StoreError> {
        let name = match &self.target {
            Target::Fresh { name, .. } | Target::Live { name } => name.clone(),
        };
        let manifest = manifest(
            &name,
            corpus,
            &self.records,
            &self.taken.tally,
            walk_skipped,
            other_formats,
            seconds,
        );
        if !self.changed {
            return Ok(manifest);
        }
        let payload = serde_json::to_string(&manifest).expect("a manifest serialises");
        let mut writer = match self.writer.take() {
            Some(writer) => writer,
            None => self.new_writer()?,
        };
        // Records go in last and side by side. Every run reads all of them back, and the
        // document store is read in blocks, which the kernel maps with their neighbours:
        // records spread among the passages made a run with nothing to do map 354 MB of
        // the store of ten times the bench corpus.
        // The sketches likewise, for the next run that must clean across documents reads
        // those of every file it does not read again.
        self.taken
            .seal()
            .map_err(io_err("reading file records back from a scratch file"))?;
        let fields = &self.fields;
        let sketches = &self.taken.sketches;
        add_entries(
            &mut writer,
            fields,
            sketches,
            SKETCHES_KIND,
            |out, value| out.add_bytes(fields.file_sketches, value),
        )?;
        add_entries(
            &mut writer,
            fields,
            &self.taken.records,
            FILE_KIND,
            |out, value| out.add_text(fields.file_record, String::from_utf8_lossy(value)),
        )?;
        let mut prepared = writer
            .prepare_commit()
            .map_err(tantivy_err("preparing the commit"))?;
        prepared.set_payload(&payload);
        prepared
            .commit()
            .map_err(tantivy_err("committing the index"))?;
        writer
            .wait_merging_threads()
            .map_err(tantivy_err("finishing index merges"))?;
        // The writer's buffers are free now; the final merges map what they read.
        return_free_memory();
        if self.merge_whole {
            merge_all(&self.index)?;
        } else if matches!(self.target, Target::Fresh { .. }) {
            merge_in_groups(&self.index)?;
        }
        if let Target::Fresh { tmp_dir, name } = &self.target {
            self.verify(tmp_dir, &manifest)?;
            let live = self.index_dir.join(name);
            fs::rename(tmp_dir, &live)
                .map_err(io_err(format!("renaming to {}", live.display())))?;
            write_atomically(
                &self.index_dir.join(CURRENT),
                format!("{name}\n").as_bytes(),
            )
            .map_err(io_err("switching CURRENT to the new generation"))?;
            remove_stale(&self.index_dir, Some(name));
        }
        Ok(manifest)
    }

    fn verify(&self, dir: &Path, manifest: &Manifest) -> Result<(), StoreError> {
        let index = super::open_index(dir)?;
        let reader = index
            .reader()
            .map_err(tantivy_err("verifying the new index"))?;
        let found = reader.searcher().num_docs();
        let records = self.records.len() as u64 + self.taken.count;
        let expected = manifest.passages + records + self.taken.sketch_entries;
        if found != expected {
            return Err(StoreError::Corrupt {
                path: dir.to_path_buf(),
                reason: format!("the new index holds {found} entries, {expected} were written"),
            });
        }
        Ok(())
    }

    fn writer(&mut self) -> Result<&mut IndexWriter<TantivyDocument>, StoreError> {
        if self.writer.is_none() {
            self.writer = Some(self.new_writer()?);
        }
        Ok(self.writer.as_mut().expect("just set"))
    }

    // The writer starts only when there is something to write: a run that finds nothing
    // changed does not pay for its threads and buffers.
    fn new_writer(&self) -> Result<IndexWriter<TantivyDocument>, StoreError> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let threads = (self.heap_bytes / MIN_HEAP_PER_THREAD).clamp(1, cores.min(4));
        let heap = self.heap_bytes.max(threads * MIN_HEAP_PER_THREAD);
        let writer = self
            .index
            .writer_with_num_threads(threads, heap)
            .map_err(tantivy_err("starting the index writer"))?;
        if self.merge_whole {
            writer.set_merge_policy(Box::new(NoMergePolicy));
        } else {
            writer.set_merge_policy(Box::new(bounded_merges(budget(self.heap_bytes))));
        }
        Ok(writer)
    }
}

impl Drop for Update {
    /// A full rebuild that did not reach its switch (an error, a full disk) gives its space
    /// back at once rather than at the next run.
    fn drop(&mut self) {
        if let Target::Fresh { tmp_dir, .. } = &self.target
            && tmp_dir.exists()
        {
            // The writer holds files in the folder: it goes first.
            if let Some(writer) = self.writer.take() {
                let _ = writer.wait_merging_threads();
            }
            let _ = fs::remove_dir_all(tmp_dir);
        }
    }
}

/// Gives the pages the allocator holds free back to the system. glibc keeps freed memory
/// that lies between allocations still in use: after a large rebuild's writer was gone, its
/// final merges ran beside 309 MB of resident heap (a hundred times the bench corpus).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn return_free_memory() {
    // SAFETY: malloc_trim only returns free pages of the allocator's heaps to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn return_free_memory() {}

/// About how many bytes of index a passage takes (0.8 KB on the bench corpus, 0.9 KB at ten
/// times its size).
const INDEX_BYTES_PER_PASSAGE: u64 = 1024;

/// The index writer's share of a run's memory budget (`index --memory`): half.
pub fn heap_share(memory: usize) -> usize {
    memory / 2
}

/// The memory budget of a run whose writer has `heap_bytes`: the inverse of [`heap_share`].
fn budget(heap_bytes: usize) -> u64 {
    2 * heap_bytes as u64
}

/// About how large an index of `text_bytes` of passage text will be: 1.5 to 1.8 times the
/// text on the bench corpus and ten times it.
fn expected_index_bytes(text_bytes: u64) -> u64 {
    text_bytes * 2
}

/// The merges tantivy runs in the background of a full rebuild too large to merge whole, and
/// of an incremental run, bounded by the run's memory `budget`. A merge reads its segments through memory maps,
/// and every page it reads counts as resident until the merge ends: with tantivy's default
/// policy (eight segments at a time, of any size), merges during the build of ten times the
/// bench corpus held 300 MB of mapped index on top of 440 MB of heap (748 MB peak RSS).
/// Here a segment takes part in merges only while it holds less than a quarter of the
/// budget's worth of passages, and two are enough for a merge: the writer's segments (about
/// 47,000 passages each with the default budget) are merged in pairs, once, and a merge maps
/// about 90 MB (457 MB peak RSS, 11 segments for 943,000 passages). With tantivy's policy,
/// the first nightly run after that build merged most of the 11 segments (17 s, 0.9 GB).
/// A segment that loses passages to later runs joins merges again once it is small enough.
fn bounded_merges(budget: u64) -> LogMergePolicy {
    let mut policy = LogMergePolicy::default();
    policy.set_min_num_segments(2);
    policy.set_max_docs_before_merge((budget / 4 / INDEX_BYTES_PER_PASSAGE) as usize);
    policy
}

/// A run hands back the pages its maps of index files hold when they are over 32 MB, looking
/// five times a second (see [`mapped`]).
const RELEASE_ABOVE: usize = 32 << 20;
/// See [`RELEASE_ABOVE`].
const RELEASE_PERIOD: std::time::Duration = std::time::Duration::from_millis(200);

/// The largest segment the final merges of a full rebuild write, in bytes of index: 2 GiB,
/// about two million passages. A query pays per segment for every term of every field it
/// names (dictionary lookups, postings set-up), and each lookup leaves pages of the term
/// dictionary mapped. A merge needs room on disk for its output beside its inputs: a limit
/// keeps that room small next to the index.
const SEGMENT_BYTES: u64 = 2 << 30;

/// Merges a fresh index into one segment. Each indexing thread leaves segments of its own,
/// and a query pays per segment for every term of every field it names: on the bench corpus
/// one segment instead of three makes searches about 30 % faster, on ten times it one
/// instead of six makes the median search 0.52 ms instead of 0.76–0.83 ms. A merge reads
/// all of its segments, through maps that [`mapped::release_above`] keeps nearly empty (without it,
/// merging ten times the bench corpus whole peaked at 871 MB resident). A full rebuild whose
/// index is expected to exceed [`SEGMENT_BYTES`] is merged in groups instead
/// ([`merge_in_groups`]), and incremental runs have [`bounded_merges`]: a nightly run that
/// changes one file merges its small segment with other small ones, never the whole index.
fn merge_all(index: &Index) -> Result<(), StoreError> {
    let segments = index
        .searchable_segment_ids()
        .map_err(tantivy_err("listing the index's segments"))?;
    merge_groups(index, vec![segments])
}

/// Merges the segments a large full rebuild leaves (each writer segment, merged once in
/// pairs while writing) into segments of at most [`SEGMENT_BYTES`] each, one group at a
/// time: the writer's buffers are free by now. Before the merges' maps were released, the
/// groups were bounded by the run's memory budget, and a hundred times the bench corpus was
/// left in 52 segments.
fn merge_in_groups(index: &Index) -> Result<(), StoreError> {
    let segments = index
        .searchable_segment_metas()
        .map_err(tantivy_err("listing the index's segments"))?;
    merge_groups(
        index,
        merge_plan(segments, SEGMENT_BYTES / INDEX_BYTES_PER_PASSAGE),
    )
}

/// Groups of segments, smallest first, of at most `max_passages` each (a larger segment
/// alone).
fn merge_plan(mut segments: Vec<SegmentMeta>, max_passages: u64) -> Vec<Vec<SegmentId>> {
    segments.sort_by_key(|segment| (segment.num_docs(), segment.id()));
    let mut groups: Vec<Vec<SegmentId>> = Vec::new();
    let mut passages = 0u64;
    for segment in segments {
        let docs = u64::from(segment.num_docs());
        match groups.last_mut() {
            Some(group) if passages + docs <= max_passages => {
                group.push(segment.id());
                passages += docs;
            }
            _ => {
                groups.push(vec![segment.id()]);
                passages = docs;
            }
        }
    }
    groups
}

/// Merges each group of segments (of two or more) into one, one group after another.
fn merge_groups(index: &Index, groups: Vec<Vec<SegmentId>>) -> Result<(), StoreError> {
    let groups: Vec<Vec<SegmentId>> = groups.into_iter().filter(|g| g.len() >= 2).collect();
    if groups.is_empty() {
        return Ok(());
    }
    // A writer of its own, started once the run's writer and its background merges are
    // done, so that no merge of theirs holds a segment this one wants.
    let mut writer: IndexWriter<TantivyDocument> = index
        .writer_with_num_threads(1, MIN_HEAP_PER_THREAD)
        .map_err(tantivy_err("starting the final merge"))?;
    writer.set_merge_policy(Box::new(NoMergePolicy));
    for group in groups {
        writer
            .merge(&group)
            .wait()
            .map_err(tantivy_err("merging the index's segments"))?;
    }
    writer
        .wait_merging_threads()
        .map_err(tantivy_err("finishing the final merge"))
}

fn passage_documents(f: &Fields, doc: &IngestedDoc) -> Vec<TantivyDocument> {
    let url_key = doc.meta.url.as_deref().and_then(reference::normalise_url);
    let own_targets = reference::own_targets(&doc.title, doc.meta.url.as_deref());
    doc.passages
        .iter()
        .map(|passage| {
            let mut out = TantivyDocument::default();
            out.add_text(f.passage_id, &passage.id);
            out.add_text(f.doc_id, &doc.doc_id);
            out.add_text(f.path, &doc.path);
            out.add_u64(f.ordinal, u64::from(passage.ordinal));
            out.add_text(f.lang, &passage.lang);
            add_opt(&mut out, f.date, doc.meta.date.as_deref());
            add_opt(&mut out, f.site, doc.meta.site.as_deref());
            add_opt(&mut out, f.doc_type, doc.meta.doc_type.as_deref());
            add_opt(&mut out, f.url, doc.meta.url.as_deref());
            add_opt(&mut out, f.author, doc.meta.author.as_deref());
            add_opt(&mut out, f.heading, passage.heading.as_deref());
            if let Some(section) = &passage.section {
                out.add_text(f.section, &section.label);
                for key in section.keys() {
                    out.add_text(f.section_key, &key);
                }
            }
            if let Some(page) = passage.page {
                out.add_u64(f.page, u64::from(page));
            }
            for id in &passage.also_in {
                out.add_text(f.also_in, id);
            }
            out.add_text(f.title, &doc.title);
            out.add_text(f.text, &passage.text);
            if let Some(lang) = f.language(&passage.lang) {
                out.add_text(lang.text, &passage.text);
            }
            add_opt(&mut out, f.site_facet, doc.meta.site.as_deref());
            add_opt(&mut out, f.year, doc.meta.date.as_deref().and_then(year_of));
            add_opt(&mut out, f.url_key, url_key.as_deref());
            // The document's language judges language-bound acronyms: a short passage's own
            // detection strays more often.
            for target in
                reference::passage_targets(&passage.text, &passage.links, &doc.lang, &own_targets)
            {
                out.add_text(f.refs, &target);
            }
            for link in &passage.links {
                out.add_text(f.link, format!("{}{LINK_SEPARATOR}{}", link.url, link.text));
            }
            out
        })
        .collect()
}

/// The year of an ISO date (`2024-03-01` → `2024`), `None` for anything else.
pub fn year_of(date: &str) -> Option<&str> {
    date.get(..4)
        .filter(|y| y.bytes().all(|b| b.is_ascii_digit()))
}

fn add_opt(doc: &mut TantivyDocument, field: Field, value: Option<&str>) {
    if let Some(value) = value.filter(|v| !v.is_empty()) {
        doc.add_text(field, value);
    }
}

/// The records a generation stores, read back one at a time.
pub(crate) struct StoredRecords {
    searcher: Searcher,
    fields: Fields,
    generation: PathBuf,
}

impl StoredRecords {
    fn read(&self, address: DocAddress) -> Result<FileRecord, StoreError> {
        let entry = self.entry(address)?;
        let json = entry
            .get_first(self.fields.file_record)
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        serde_json::from_str(json).map_err(|err| self.corrupt(format!("a file record: {err}")))
    }

    /// The sketches stored for `path` (none without).
    fn sketches(&self, path: &str) -> Result<Vec<DocSketch>, StoreError> {
        let bytes = self.encoded_sketches(path)?;
        if bytes.is_empty() {
            return Ok(Vec::new());
        }
        clean::decode_sketches(&bytes)
            .map_err(|err| self.corrupt(format!("the sketches of {path}: {err}")))
    }

    /// The sketches stored for `path` as stored (empty without).
    fn encoded_sketches(&self, path: &str) -> Result<Vec<u8>, StoreError> {
        let term = |field, text: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, text),
                IndexRecordOption::Basic,
            ))
        };
        let query = BooleanQuery::intersection(vec![
            term(self.fields.record, SKETCHES_KIND),
            term(self.fields.file_path, path),
        ]);
        let found = self
            .searcher
            .search(&query, &DocSetCollector)
            .map_err(tantivy_err("finding a file's sketches"))?;
        let Some(&address) = found.iter().next() else {
            return Ok(Vec::new());
        };
        let entry = self.entry(address)?;
        Ok(entry
            .get_first(self.fields.file_sketches)
            .and_then(|v| v.as_bytes())
            .unwrap_or_default()
            .to_vec())
    }

    fn entry(&self, address: DocAddress) -> Result<TantivyDocument, StoreError> {
        self.searcher
            .doc(address)
            .map_err(tantivy_err("reading a file record"))
    }

    fn corrupt(&self, reason: String) -> StoreError {
        StoreError::Corrupt {
            path: self.generation.clone(),
            reason,
        }
    }
}

/// The file records of a generation by path; with their sketches only when `sketches` is
/// set (they are most of a record, and a run reads them back one file at a time).
pub(crate) fn load_records(
    index: &Index,
    fields: &Fields,
    generation: &Path,
    sketches: bool,
) -> Result<(BTreeMap<String, FileRecord>, StoredRecords), StoreError> {
    let reader = index
        .reader()
        .map_err(tantivy_err("reading file records"))?;
    let query = TermQuery::new(
        Term::from_field_text(fields.record, FILE_KIND),
        IndexRecordOption::Basic,
    );
    let stored = StoredRecords {
        searcher: reader.searcher(),
        fields: fields.clone(),
        generation: generation.to_path_buf(),
    };
    let addresses = stored
        .searcher
        .search(&query, &DocSetCollector)
        .map_err(tantivy_err("reading file records"))?;
    let mut records = BTreeMap::new();
    for address in addresses {
        let mut record = stored.read(address)?;
        if sketches {
            record.sketches = stored.sketches(&record.path)?;
        }
        records.insert(record.path.clone(), record);
    }
    Ok((records, stored))
}

/// Adds an entry of `kind` for each path and value in `file` (two frames each), the value
/// put in by `value`.
fn add_entries(
    writer: &mut IndexWriter<TantivyDocument>,
    fields: &Fields,
    file: &ByteFile,
    kind: &str,
    value: impl Fn(&mut TantivyDocument, &[u8]),
) -> Result<(), StoreError> {
    let scratch = |err: std::io::Error| io_err("reading back a scratch file")(err);
    let mut frames = file.frames().map_err(scratch)?;
    let (mut path, mut bytes) = (Vec::new(), Vec::new());
    while frames.next_into(&mut path).map_err(scratch)? {
        frames.next_into(&mut bytes).map_err(scratch)?;
        let mut out = TantivyDocument::default();
        out.add_text(fields.record, kind);
        out.add_text(fields.file_path, String::from_utf8_lossy(&path));
        value(&mut out, &bytes);
        writer
            .add_document(out)
            .map_err(tantivy_err(format!("adding a {kind} entry")))?;
    }
    Ok(())
}

/// The manifest of a generation holding the previous generation's `records` that a run left
/// and the records it took (counted in `taken`).
fn manifest(
    generation: &str,
    corpus: &str,
    records: &BTreeMap<String, FileRecord>,
    taken: &Manifest,
    walk_skipped: Vec<SkippedFile>,
    other_formats: u64,
    seconds: f64,
) -> Manifest {
    let mut manifest = Manifest {
        schema_version: SCHEMA_VERSION,
        analyzer_version: analysis::ANALYZER_VERSION,
        generation: generation.to_string(),
        created: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        corpus: corpus.to_string(),
        other_formats,
        seconds,
        ..taken.clone()
    };
    for record in records.values() {
        count(&mut manifest, record);
    }
    manifest.skipped.extend(walk_skipped);
    manifest.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    manifest
}

/// Adds what `record` holds to the totals of `manifest` (its file to the skipped ones, if it
/// is not indexed).
fn count(manifest: &mut Manifest, record: &FileRecord) {
    if let Some(error) = &record.error {
        manifest.skipped.push(SkippedFile {
            path: record.path.clone(),
            reason: error.clone(),
        });
        return;
    }
    manifest.documents += record.documents;
    manifest.passages += record.passages;
    manifest.text_bytes += record.text_bytes;
    for (lang, n) in record.passages_by_lang.iter() {
        *manifest
            .passages_by_lang
            .entry(lang.to_string())
            .or_default() += n;
    }
    for (lang, n) in record.documents_by_lang.iter() {
        *manifest
            .documents_by_lang
            .entry(lang.to_string())
            .or_default() += n;
    }
    manifest.repeated_paragraphs += record.repeated;
    manifest.fragments += record.fragments;
    manifest.furniture_blocks += record.furniture;
    manifest.boilerplate_blocks += record.boilerplate;
    manifest.duplicate_blocks += record.duplicates;
    manifest.duplicate_documents += record.aliases;
}

/// The records a run takes and their files' sketches, kept in scratch files until the commit
/// writes them, and what the manifest counts of the records. Held in memory, the records of
/// a full rebuild of a hundred times the bench corpus (114,000 files) grew the write phase
/// by about 0.1 GB.
struct Taken {
    /// Each record as two frames: its path, then its JSON as stored.
    records: ByteFile,
    /// Each file's sketches as two frames: its path, then the sketches as stored.
    sketches: ByteFile,
    count: u64,
    /// Records of files that are indexed (no error).
    indexed: u64,
    sketch_entries: u64,
    tally: Manifest,
}

impl Taken {
    fn new(index_dir: &Path) -> Result<Taken, StoreError> {
        let scratch = || {
            ByteFile::new(index_dir).map_err(io_err(format!(
                "creating a scratch file in {}",
                index_dir.display()
            )))
        };
        Ok(Taken {
            records: scratch()?,
            sketches: scratch()?,
            count: 0,
            indexed: 0,
            sketch_entries: 0,
            tally: Manifest::default(),
        })
    }

    /// Takes `record` and its file's encoded `sketches` (none: empty).
    fn add(&mut self, record: &FileRecord, sketches: &[u8]) -> std::io::Result<()> {
        let json = serde_json::to_string(record).expect("a file record serialises");
        self.records.append_frame(record.path.as_bytes())?;
        self.records.append_frame(json.as_bytes())?;
        if !sketches.is_empty() {
            self.sketches.append_frame(record.path.as_bytes())?;
            self.sketches.append_frame(sketches)?;
            self.sketch_entries += 1;
        }
        self.count += 1;
        self.indexed += u64::from(record.error.is_none());
        count(&mut self.tally, record);
        Ok(())
    }

    fn seal(&mut self) -> std::io::Result<()> {
        self.records.seal()?;
        self.sketches.seal()
    }
}

fn next_generation_number(index_dir: &Path) -> Result<u32, StoreError> {
    let entries =
        fs::read_dir(index_dir).map_err(io_err(format!("reading {}", index_dir.display())))?;
    let highest = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name();
            let name = name.to_str()?;
            generation_number(name.strip_suffix(".tmp").unwrap_or(name))
        })
        .max()
        .unwrap_or(0);
    Ok(highest + 1)
}

/// Removes unfinished builds, and the generations before the live one. Only folders named
/// like generations are touched: `--index` may point at a folder that holds other things too.
/// Callers hold the writer lock, so no other run's unfinished build can be removed.
fn remove_stale(index_dir: &Path, live: Option<&str>) {
    let Ok(entries) = fs::read_dir(index_dir) else {
        return;
    };
    let live = live.map(str::to_string).or_else(|| {
        super::current_generation(index_dir)
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
    });
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let unfinished = name.strip_suffix(".tmp").is_some_and(is_generation_name);
        let superseded =
            live.is_some() && is_generation_name(&name) && Some(name.as_str()) != live.as_deref();
        if unfinished || superseded {
            // Best effort: a leftover costs disk space, not correctness, and the next run
            // tries again.
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::indexer::MergePolicy;

    #[test]
    fn a_large_rebuild_is_merged_in_groups_of_at_most_two_gib() {
        let index = Index::create_in_ram(schema::build());
        let meta = |docs| index.new_segment_meta(SegmentId::generate_random(), docs);
        let max = SEGMENT_BYTES / INDEX_BYTES_PER_PASSAGE;
        assert_eq!(max, 2_097_152);
        let sizes = |plan: &[Vec<SegmentId>], segments: &[SegmentMeta]| -> Vec<u64> {
            plan.iter()
                .map(|group| {
                    group
                        .iter()
                        .map(|id| {
                            let found = segments.iter().find(|s| s.id() == *id).unwrap();
                            u64::from(found.num_docs())
                        })
                        .sum()
                })
                .collect()
        };
        // About what the bounded merges leave of a hundred times the bench corpus.
        let segments: Vec<SegmentMeta> = (0..92).map(|_| meta(95_000)).collect();
        let plan = merge_plan(segments.clone(), max);
        assert_eq!(
            plan.iter().map(Vec::len).collect::<Vec<_>>(),
            [22, 22, 22, 22, 4]
        );
        assert!(sizes(&plan, &segments).iter().all(|&n| n <= max));
        // Small ones go together first; one too large for any group stays alone.
        let segments = vec![
            meta(100_000),
            meta(2_500_000),
            meta(200_000),
            meta(1_500_000),
            meta(5),
        ];
        let plan = merge_plan(segments.clone(), max);
        assert_eq!(sizes(&plan, &segments), [1_800_005, 2_500_000]);
    }

    fn passages(id: &str, count: u32) -> IngestedDoc {
        IngestedDoc {
            doc_id: id.to_string(),
            path: format!("{id}.md"),
            title: id.to_string(),
            lang: "de".to_string(),
            passages: (1..=count)
                .map(|n| crate::ingest::IngestedPassage {
                    id: format!("{id}#p{n}"),
                    ordinal: n,
                    lang: "de".to_string(),
                    text: format!("Absatz {n} von {id} über die Aufsicht."),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }
    }

    /// The kinds of entry of each segment, in the order the store holds them: passages
    /// (`p`), sketches (`s`), file records (`f`).
    fn entry_kinds(index_dir: &Path) -> Vec<String> {
        let generation = super::super::current_generation(index_dir).unwrap();
        let index = super::super::open_index(&generation).unwrap();
        let fields = Fields::resolve(&index.schema()).unwrap();
        let searcher = index.reader().unwrap().searcher();
        let mut kinds = Vec::new();
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let mut segment_kinds = String::new();
            for doc in 0..segment.max_doc() {
                if !segment.is_deleted(doc) {
                    let entry: TantivyDocument =
                        searcher.doc(DocAddress::new(ord as u32, doc)).unwrap();
                    let has = |field| entry.get_first(field).is_some();
                    segment_kinds.push(if has(fields.file_record) {
                        'f'
                    } else if has(fields.file_sketches) {
                        's'
                    } else {
                        'p'
                    });
                }
            }
            kinds.push(segment_kinds);
        }
        kinds
    }

    #[test]
    fn records_and_sketches_go_in_together_after_the_passages() {
        let dir = tempfile::tempdir().unwrap();
        let write = |update: &mut Update, names: &[&str]| {
            for name in names {
                let docs = [passages(name, 3)];
                let record =
                    FileRecord::new(&format!("{name}.md"), name, "0".repeat(32), 1, 1, Ok(&docs));
                update.replace(record, b"sketch", &docs).unwrap();
            }
        };
        // Each indexing thread writes a segment of its own, and the commit's entries are
        // shared among them: a segment holds as many runs of sketches and of records as
        // segments went into it, whatever the number of files.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        let runs = |kinds: &str, kind: char| {
            kinds
                .as_bytes()
                .chunk_by(|a, b| a == b)
                .filter(|run| run[0] == kind as u8)
                .count()
        };
        let names: Vec<String> = (0..12).map(|n| format!("d{n:02}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let mut update = Update::full(dir.path(), 50_000_000, &Lexicon::new(), 0).unwrap();
        write(&mut update, &names);
        let manifest = update.commit("corpus", Vec::new(), 0, 0.0).unwrap();
        assert_eq!((manifest.documents, manifest.passages), (12, 36));
        let kinds = entry_kinds(dir.path());
        // A small full rebuild is merged whole.
        assert_eq!(kinds.len(), 1);
        assert_eq!(kinds[0].len(), 36 + 12 + 12);
        assert!(runs(&kinds[0], 's') <= threads, "{kinds:?}");
        assert!(runs(&kinds[0], 'f') <= threads, "{kinds:?}");
        // Within a thread's share, sketches come after the passages and records last.
        for share in kinds[0].split("fp") {
            assert!(!share.contains("sp") && !share.contains("fs"), "{kinds:?}");
        }

        // An incremental run that replaces one file and removes another adds a segment of
        // its own, laid out alike; the manifest counts the files it left as they were.
        let live = super::super::open_current(dir.path()).unwrap();
        let mut update =
            Update::incremental(dir.path(), live.index, &live.generation, 50_000_000).unwrap();
        assert!(update.previous("d01.md").is_some());
        write(&mut update, &["d01"]);
        assert!(update.previous("d01.md").is_none(), "taken by the run");
        update.remove("d02.md").unwrap();
        let vanished = update.vanished(|path| path != "d03.md");
        assert_eq!(vanished, vec!["d03.md".to_string()]);
        update.remove("d03.md").unwrap();
        let manifest = update.commit("corpus", Vec::new(), 0, 0.0).unwrap();
        assert_eq!((manifest.documents, manifest.passages), (10, 30));
        let kinds = entry_kinds(dir.path()).concat();
        assert_eq!(kinds.len(), 30 + 10 + 10, "{kinds:?}");
    }

    #[test]
    fn merges_leave_large_segments_alone_and_pair_small_ones() {
        let index = Index::create_in_ram(schema::build());
        let meta = |docs| index.new_segment_meta(SegmentId::generate_random(), docs);
        let policy = bounded_merges(budget(heap_share(256 << 20)));
        let merged = |segments: &[SegmentMeta]| -> Vec<usize> {
            policy
                .compute_merge_candidates(segments)
                .iter()
                .map(|candidate| candidate.0.len())
                .collect()
        };
        // What a full build of ten times the bench corpus leaves, and one nightly segment.
        let mut segments: Vec<SegmentMeta> = (0..11).map(|_| meta(86_000)).collect();
        segments.push(meta(40));
        assert_eq!(merged(&segments), Vec::<usize>::new());
        // tantivy's own policy would merge the eleven large ones.
        let stock = LogMergePolicy::default().compute_merge_candidates(&segments);
        assert_eq!(stock.iter().map(|c| c.0.len()).max(), Some(11));
        // The next night's segment is merged with the first.
        segments.push(meta(25));
        assert_eq!(merged(&segments), vec![2]);
        // A large segment whose passages were mostly replaced joins merges again.
        let shrunk = meta(86_000).with_delete_meta(60_000, 1);
        let mut with_shrunk = vec![shrunk, meta(30_000)];
        with_shrunk.extend((0..3).map(|_| meta(86_000)));
        assert_eq!(merged(&with_shrunk), vec![2]);
    }

    #[test]
    fn language_counts_add_up_and_are_stored_as_an_object() {
        let mut counts = LangCounts::default();
        for lang in ["de", "en", "de", "fr", "de"] {
            counts.add(lang, 1);
        }
        counts.add("en", 4);
        let json = serde_json::to_string(&counts).unwrap();
        assert_eq!(json, r#"{"de":3,"en":5,"fr":1}"#);
        let back: LangCounts = serde_json::from_str(&json).unwrap();
        let mut again: Vec<_> = back.iter().collect();
        again.sort_unstable();
        assert_eq!(again, [("de", 3), ("en", 5), ("fr", 1)]);
    }
}
