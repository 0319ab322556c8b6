//! Building an index from a corpus folder: walk, ingest files in parallel, write a new
//! generation, switch it live.

use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;

use crate::ingest;
use crate::lang::LanguageDetector;
use crate::source;
use crate::store::writer::GenerationWriter;
use crate::store::{Manifest, SkippedFile, StoreError};

/// Files ingested in parallel before their passages go to the writer; bounds the passages
/// held in memory at once while keeping both cores busy.
const BATCH_FILES: usize = 64;

/// Why a build failed as a whole.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("corpus folder {path}: {source}")]
    Corpus {
        path: String,
        source: std::io::Error,
    },
    #[error("nothing to index in {0}: no readable .txt, .md or .html files")]
    Empty(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Options of one build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub heap_bytes: usize,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            heap_bytes: crate::store::writer::DEFAULT_HEAP_BYTES,
        }
    }
}

/// Indexes `corpus` into a new generation of `index_dir`. `on_skip` hears of every file
/// left out, as it happens. The previous generation stays live until the new one is
/// complete; on error it stays live.
pub fn build(
    corpus: &Path,
    index_dir: &Path,
    options: &BuildOptions,
    on_skip: &mut dyn FnMut(&SkippedFile),
) -> Result<Manifest, BuildError> {
    let started = Instant::now();
    let walk = source::walk(corpus).map_err(|source| BuildError::Corpus {
        path: corpus.display().to_string(),
        source,
    })?;
    let mut skipped: Vec<SkippedFile> = Vec::new();
    let mut skip = |path: String, reason: String, skipped: &mut Vec<SkippedFile>| {
        let entry = SkippedFile { path, reason };
        on_skip(&entry);
        skipped.push(entry);
    };
    for entry in &walk.skipped {
        skip(
            entry.path.display().to_string(),
            entry.reason.clone(),
            &mut skipped,
        );
    }
    let corpus_name = std::fs::canonicalize(corpus)
        .unwrap_or_else(|_| corpus.to_path_buf())
        .display()
        .to_string();
    let mut writer = GenerationWriter::create(index_dir, &corpus_name, options.heap_bytes)?;
    let detector = LanguageDetector::new();
    for batch in walk.files.chunks(BATCH_FILES) {
        let results: Vec<_> = batch
            .par_iter()
            .map(|file| (file, ingest::ingest(file, &detector)))
            .collect();
        for (file, result) in results {
            match result {
                Ok(doc) => writer.add(&doc)?,
                Err(err) => skip(
                    file.path.display().to_string(),
                    err.to_string(),
                    &mut skipped,
                ),
            }
        }
    }
    if writer.manifest_mut().documents == 0 {
        return Err(BuildError::Empty(corpus.display().to_string()));
    }
    let manifest = writer.manifest_mut();
    manifest.skipped = skipped;
    manifest.other_formats = walk.other_formats as u64;
    Ok(writer.finish(started.elapsed().as_secs_f64())?)
}
