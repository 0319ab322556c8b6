//! Writing a new generation: passages in, a verified generation switched live out.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use tantivy::schema::Field;
use tantivy::{Index, IndexWriter, TantivyDocument};

use super::schema::{self, Fields};
use super::{
    CURRENT, MANIFEST, Manifest, SCHEMA_VERSION, StoreError, dir_size, generation_name,
    generation_number, io_err, is_generation_name, tantivy_err, write_atomically,
};
use crate::analysis;
use crate::ingest::IngestedDoc;

/// Memory the tantivy writer may use for its buffers, in total across its threads.
pub const DEFAULT_HEAP_BYTES: usize = 256 * 1024 * 1024;

/// A generation being built in a temporary folder beside the live one.
pub struct GenerationWriter {
    index_dir: PathBuf,
    tmp_dir: PathBuf,
    name: String,
    fields: Fields,
    writer: IndexWriter<TantivyDocument>,
    manifest: Manifest,
}

impl GenerationWriter {
    /// Starts a new generation in `index_dir` (created if missing). Leftovers of an
    /// interrupted earlier build are removed first.
    pub fn create(index_dir: &Path, corpus: &str, heap_bytes: usize) -> Result<Self, StoreError> {
        fs::create_dir_all(index_dir)
            .map_err(io_err(format!("creating {}", index_dir.display())))?;
        remove_stale(index_dir, None);
        let number = next_generation_number(index_dir)?;
        let name = generation_name(number);
        let tmp_dir = index_dir.join(format!("{name}.tmp"));
        fs::create_dir_all(&tmp_dir).map_err(io_err(format!("creating {}", tmp_dir.display())))?;
        let index = Index::create_in_dir(&tmp_dir, schema::build()).map_err(tantivy_err(
            format!("creating index in {}", tmp_dir.display()),
        ))?;
        analysis::register(index.tokenizers());
        let fields = Fields::resolve(&index.schema()).map_err(tantivy_err("resolving schema"))?;
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, 4);
        let heap = heap_bytes.max(threads * 16 * 1024 * 1024);
        let writer = index
            .writer_with_num_threads(threads, heap)
            .map_err(tantivy_err("starting the index writer"))?;
        Ok(GenerationWriter {
            index_dir: index_dir.to_path_buf(),
            tmp_dir,
            name: name.clone(),
            fields,
            writer,
            manifest: Manifest {
                schema_version: SCHEMA_VERSION,
                analyzer_version: analysis::ANALYZER_VERSION,
                generation: name,
                created: 0,
                corpus: corpus.to_string(),
                documents: 0,
                passages: 0,
                passages_by_lang: Default::default(),
                documents_by_lang: Default::default(),
                skipped: Vec::new(),
                other_formats: 0,
                repeated_paragraphs: 0,
                fragments: 0,
                seconds: 0.0,
                size_bytes: 0,
            },
        })
    }

    /// The manifest being filled; callers record skipped files and timings in it.
    pub fn manifest_mut(&mut self) -> &mut Manifest {
        &mut self.manifest
    }

    /// Adds every passage of `doc`.
    pub fn add(&mut self, doc: &IngestedDoc) -> Result<(), StoreError> {
        let f = &self.fields;
        for passage in &doc.passages {
            let mut out = TantivyDocument::default();
            out.add_text(f.passage_id, &passage.id);
            out.add_text(f.doc_id, &doc.doc_id);
            out.add_text(f.path, &doc.path);
            out.add_u64(f.ordinal, u64::from(passage.ordinal));
            out.add_text(f.lang, &passage.lang);
            add_opt(&mut out, f.date, doc.meta.date.as_deref());
            add_opt(&mut out, f.site, doc.meta.site.as_deref());
            add_opt(&mut out, f.url, doc.meta.url.as_deref());
            add_opt(&mut out, f.author, doc.meta.author.as_deref());
            add_opt(&mut out, f.heading, passage.heading.as_deref());
            out.add_text(f.title, &doc.title);
            out.add_text(f.text, &passage.text);
            if let Some(lang) = f.language(&passage.lang) {
                out.add_text(lang.text, &passage.text);
                out.add_text(lang.title, &doc.title);
            }
            self.writer
                .add_document(out)
                .map_err(tantivy_err("adding a passage"))?;
            *self
                .manifest
                .passages_by_lang
                .entry(passage.lang.clone())
                .or_default() += 1;
        }
        self.manifest.documents += 1;
        self.manifest.passages += doc.passages.len() as u64;
        self.manifest.repeated_paragraphs += doc.repeated as u64;
        self.manifest.fragments += doc.fragments as u64;
        *self
            .manifest
            .documents_by_lang
            .entry(doc.lang.clone())
            .or_default() += 1;
        Ok(())
    }

    /// Commits, verifies that the new generation opens and holds every passage added, then
    /// makes it the live one and removes the generations it supersedes.
    pub fn finish(mut self, seconds: f64) -> Result<Manifest, StoreError> {
        self.writer
            .commit()
            .map_err(tantivy_err("committing the index"))?;
        self.writer
            .wait_merging_threads()
            .map_err(tantivy_err("finishing index merges"))?;
        let index = super::open_index(&self.tmp_dir)?;
        let reader = index
            .reader()
            .map_err(tantivy_err("verifying the new index"))?;
        let found = reader.searcher().num_docs();
        if found != self.manifest.passages {
            return Err(StoreError::Corrupt {
                path: self.tmp_dir.clone(),
                reason: format!(
                    "the new index holds {found} passages, {} were written",
                    self.manifest.passages
                ),
            });
        }
        self.manifest.created = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        self.manifest.size_bytes = dir_size(&self.tmp_dir);
        self.manifest.seconds = seconds;
        let json = serde_json::to_vec_pretty(&self.manifest).expect("a manifest serialises");
        write_atomically(&self.tmp_dir.join(MANIFEST), &json)
            .map_err(io_err("writing the manifest"))?;
        let live = self.index_dir.join(&self.name);
        fs::rename(&self.tmp_dir, &live)
            .map_err(io_err(format!("renaming to {}", live.display())))?;
        write_atomically(
            &self.index_dir.join(CURRENT),
            format!("{}\n", self.name).as_bytes(),
        )
        .map_err(io_err("switching CURRENT to the new generation"))?;
        remove_stale(&self.index_dir, Some(&self.name));
        Ok(self.manifest)
    }
}

fn add_opt(doc: &mut TantivyDocument, field: Field, value: Option<&str>) {
    if let Some(value) = value.filter(|v| !v.is_empty()) {
        doc.add_text(field, value);
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

/// Removes unfinished builds, and, once a generation is live, the generations before it.
/// Only folders named like generations are touched: `--index` may point at a folder that
/// holds other things too.
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
