//! The index folder: generations of a tantivy index, the `CURRENT` pointer, and each
//! generation's manifest.
//!
//! `index/CURRENT` names the live generation (`g000003`); a build writes a new generation
//! beside it and switches `CURRENT` by an atomic rename only once the new one is complete and
//! verified, so a search sees the old index or the new one, never half of either. An
//! incremental run commits into the live generation instead: a tantivy commit is atomic, and
//! the per-file records and the [`Manifest`] (the commit's payload) change in that same commit.
//! Tantivy types stop here: callers get plain values.

pub mod explain;
pub mod facets;
pub mod highlight;
pub mod lock;
pub mod mapped;
pub mod near;
pub mod parts;
pub mod rank;
pub mod reader;
pub mod schema;
pub mod writer;

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::Index;

use std::sync::Arc;

use crate::analysis;
use crate::compound::{Lexicon, Params, Splitter};

const CURRENT: &str = "CURRENT";
const GENERATION_PREFIX: &str = "g";
/// Version of the on-disk layout and schema; an index of another version is rebuilt.
/// 5: `doc_id` fast (tie-breaking), `site_facet` and `year` (facets).
/// 6: `refs` (what a passage references) and `url_key` (its document's url, normalised).
/// 7: `link` (a passage's hyperlinks), link targets in `refs`; urls compared without
///    scheme, `www.` and tracking parameters; the German lexicon stored as an FST.
/// 8: no title field per language (the title boost reads the neutral `title` and `heading`).
pub const SCHEMA_VERSION: u32 = 9;

/// Errors callers branch on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no index at {0} (run `polsearch index` to build it)")]
    NotFound(PathBuf),
    #[error(
        "the index at {path} was built by another version of polsearch (schema {found}, \
         analysis {found_analysis}); run `polsearch index` to rebuild it"
    )]
    Outdated {
        path: PathBuf,
        found: u32,
        found_analysis: u32,
    },
    #[error("index at {path} is damaged: {reason}")]
    Corrupt { path: PathBuf, reason: String },
    #[error("{context}")]
    Io {
        context: String,
        source: std::io::Error,
    },
    #[error("{context}")]
    Tantivy {
        context: String,
        source: tantivy::TantivyError,
    },
}

fn io_err(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> StoreError {
    let context = context.into();
    move |source| StoreError::Io { context, source }
}

fn tantivy_err(context: impl Into<String>) -> impl FnOnce(tantivy::TantivyError) -> StoreError {
    let context = context.into();
    move |source| StoreError::Tantivy { context, source }
}

/// A file the index run skipped, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedFile {
    pub path: String,
    pub reason: String,
}

/// What a generation holds and how its last run went; stored as the payload of the tantivy
/// commit it describes, so it can never disagree with the index.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub schema_version: u32,
    pub analyzer_version: u32,
    pub generation: String,
    /// Seconds since the Unix epoch when the generation was completed.
    pub created: u64,
    pub corpus: String,
    pub documents: u64,
    pub passages: u64,
    /// Bytes of the indexed passages' text: what the index size compares with.
    #[serde(default)]
    pub text_bytes: u64,
    pub passages_by_lang: BTreeMap<String, u64>,
    pub documents_by_lang: BTreeMap<String, u64>,
    pub skipped: Vec<SkippedFile>,
    /// Files of formats polsearch does not read.
    pub other_formats: u64,
    /// Paragraphs not indexed because they repeat earlier text of their document.
    pub repeated_paragraphs: u64,
    /// One-line fragments not indexed on their own.
    pub fragments: u64,
    /// Page furniture the HTML extractor left out (elements named as newsletter, share,
    /// comment, related-article boxes; blocks that are only "Lesen Sie auch", "Advertisement").
    #[serde(default)]
    pub furniture_blocks: u64,
    /// Blocks (paragraphs, list items) not indexed because they recur across documents of
    /// one site or folder.
    #[serde(default)]
    pub boilerplate_blocks: u64,
    /// Blocks not indexed because another document holds the same text.
    #[serde(default)]
    pub duplicate_blocks: u64,
    /// Documents that are copies of another document.
    #[serde(default)]
    pub duplicate_documents: u64,
    /// Seconds the run that made the last commit took.
    pub seconds: f64,
}

/// Path of the live generation named by `index_dir/CURRENT`.
pub fn current_generation(index_dir: &Path) -> Result<PathBuf, StoreError> {
    let pointer = index_dir.join(CURRENT);
    let name = match fs::read_to_string(&pointer) {
        Ok(name) => name,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Err(StoreError::NotFound(index_dir.to_path_buf()));
        }
        Err(err) => return Err(io_err(format!("reading {}", pointer.display()))(err)),
    };
    let name = name.trim();
    if !is_generation_name(name) {
        return Err(StoreError::Corrupt {
            path: index_dir.to_path_buf(),
            reason: format!("CURRENT names {name:?}, which is not a generation"),
        });
    }
    Ok(index_dir.join(name))
}

/// Whether an index exists at `index_dir`.
pub fn exists(index_dir: &Path) -> bool {
    index_dir.join(CURRENT).is_file()
}

fn is_generation_name(name: &str) -> bool {
    name.strip_prefix(GENERATION_PREFIX)
        .is_some_and(|n| n.len() == 6 && n.bytes().all(|b| b.is_ascii_digit()))
}

fn generation_number(name: &str) -> Option<u32> {
    is_generation_name(name).then(|| name[1..].parse().ok())?
}

fn generation_name(number: u32) -> String {
    format!("{GENERATION_PREFIX}{number:06}")
}

/// Reads the manifest stored with the last commit of `index`.
pub fn read_manifest(index: &Index, generation: &Path) -> Result<Manifest, StoreError> {
    let corrupt = |reason: String| StoreError::Corrupt {
        path: generation.to_path_buf(),
        reason,
    };
    let metas = index
        .load_metas()
        .map_err(tantivy_err(format!("reading {}", generation.display())))?;
    let payload = metas
        .payload
        .ok_or_else(|| corrupt("its last commit has no manifest".to_string()))?;
    serde_json::from_str(&payload).map_err(|err| corrupt(format!("manifest: {err}")))
}

/// Opens a generation's tantivy index with polsearch's analyzers registered, German
/// compound splitting with the generation's own lexicon.
pub fn open_index(generation: &Path) -> Result<Index, StoreError> {
    open_index_with_splitter(generation).map(|(index, _)| index)
}

/// [`open_index`], also handing out the German splitter it registered (queries need it to
/// expand compounds).
pub fn open_index_with_splitter(
    generation: &Path,
) -> Result<(Index, Option<Arc<Splitter>>), StoreError> {
    let index = open_mapped(generation).map_err(tantivy_err(format!(
        "opening index {}",
        generation.display()
    )))?;
    let splitter = read_lexicon(generation)?;
    analysis::register(index.tokenizers(), splitter.clone());
    Ok((index, splitter))
}

/// The index in `generation`, its files mapped for random reads. By default the kernel maps
/// the pages around each page read (and reads ahead), so that reading a few hundred bytes
/// here and there leaves megabytes resident: reading the file records of ten times the bench
/// corpus mapped 380 MB of the document store.
fn open_mapped(generation: &Path) -> tantivy::Result<Index> {
    Index::open(mapped::Directory::open(generation, true)?)
}

/// File of a generation's German lexicon (`word<TAB>count` lines).
pub const LEXICON_DE: &str = "lexicon-de.fst";

/// The German splitter of a generation, `None` when it was built without decompounding.
pub fn read_lexicon(generation: &Path) -> Result<Option<Arc<Splitter>>, StoreError> {
    let path = generation.join(LEXICON_DE);
    match fs::read(&path) {
        Ok(bytes) => {
            let lexicon = Lexicon::from_fst(bytes).map_err(|err| {
                io_err(format!("reading {}", path.display()))(std::io::Error::other(err))
            })?;
            Ok((!lexicon.is_empty()).then(|| Arc::new(Splitter::new(lexicon, Params::default()))))
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(io_err(format!("reading {}", path.display()))(err)),
    }
}

/// The live generation, opened.
pub struct Live {
    pub index: Index,
    pub manifest: Manifest,
    pub generation: PathBuf,
    /// German compound splitter of the generation, if it was built with one.
    pub splitter: Option<Arc<Splitter>>,
}

/// Opens the live generation and its manifest, refusing one built by another version.
pub fn open_current(index_dir: &Path) -> Result<Live, StoreError> {
    let generation = current_generation(index_dir)?;
    if !generation.is_dir() {
        return Err(StoreError::Corrupt {
            path: index_dir.to_path_buf(),
            reason: format!("CURRENT names {}, which is missing", generation.display()),
        });
    }
    let (index, splitter) = open_index_with_splitter(&generation)?;
    let manifest = read_manifest(&index, &generation)?;
    if manifest.schema_version != SCHEMA_VERSION
        || manifest.analyzer_version != analysis::ANALYZER_VERSION
    {
        return Err(StoreError::Outdated {
            path: index_dir.to_path_buf(),
            found: manifest.schema_version,
            found_analysis: manifest.analyzer_version,
        });
    }
    Ok(Live {
        index,
        manifest,
        generation,
        splitter,
    })
}

/// The per-file records of the live generation `live`, by corpus path.
pub fn file_records(
    live: &Live,
) -> Result<std::collections::BTreeMap<String, writer::FileRecord>, StoreError> {
    let fields =
        schema::Fields::resolve(&live.index.schema()).map_err(tantivy_err("resolving schema"))?;
    writer::load_records(&live.index, &fields, &live.generation, true).map(|(records, _)| records)
}

/// Writes `contents` to `path` so that a reader sees the old file or the new one, complete.
fn write_atomically(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(contents)?;
        file.sync_all()?;
    }
    fs::rename(&tmp, path)?;
    if let Some(parent) = path.parent() {
        // The rename is durable only once the folder entry is on disk.
        fs::File::open(parent)?.sync_all()?;
    }
    Ok(())
}

/// Size in bytes of the files under `path` (a generation's size).
pub fn generation_size(path: &Path) -> u64 {
    fs::read_dir(path)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| {
                    let meta = e.metadata();
                    match meta {
                        Ok(m) if m.is_dir() => generation_size(&e.path()),
                        Ok(m) => m.len(),
                        Err(_) => 0,
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}
