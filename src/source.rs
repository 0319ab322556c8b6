//! The corpus walk: which files of a corpus folder are documents, in a deterministic order,
//! and what each is called.
//!
//! The walk is recursive, skips hidden files and folders, follows a symbolic link only when it
//! stays inside the corpus, and never visits a folder twice (so link loops end). It reads no
//! file contents; it knows nothing of extraction or the index.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use std::sync::Arc;

use crate::config::{CorpusConfig, HtmlRules};
use crate::extract::Format;

/// A file found in the corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The file on disk.
    pub path: PathBuf,
    /// Path relative to the corpus root with `/` separators: what results show and ids derive
    /// from, the same on every machine.
    pub rel_path: String,
    /// Short readable document id (`de/ai-action-summit`), unique within the corpus.
    pub doc_id: String,
    pub format: Format,
    pub size: u64,
    /// Modification time in nanoseconds since the epoch (0 where the platform has none). With a
    /// sidecar, the later of the two times, so that editing only the sidecar is noticed.
    pub mtime_ns: u64,
    /// The `NAME.meta.json` beside the file, if any: its metadata overrides the file's.
    pub sidecar: Option<PathBuf>,
    /// What the corpus's `polsearch.toml` says to drop or keep in this (HTML) file.
    pub rules: Option<Arc<HtmlRules>>,
}

/// A file or folder the walk could not take, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: String,
}

/// The result of a walk.
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<SourceFile>,
    pub skipped: Vec<Skipped>,
    /// Files whose format polsearch does not read (images, metadata sidecars, …): counted, not
    /// reported one by one.
    pub other_formats: usize,
}

/// Lists the documents under `root`, sorted by relative path.
pub fn walk(root: &Path) -> io::Result<Walk> {
    let canonical_root = fs::canonicalize(root)?;
    if !canonical_root.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::NotADirectory,
            format!("{} is not a folder", root.display()),
        ));
    }
    let mut walk = Walk::default();
    let mut visited = HashSet::from([canonical_root.clone()]);
    let mut found = Vec::new();
    visit(
        &canonical_root,
        root,
        "",
        &mut visited,
        &mut found,
        &mut walk,
    );
    found.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    let config = CorpusConfig::load(&canonical_root)
        .map_err(|err| io::Error::new(io::ErrorKind::InvalidData, err))?;
    let ids = doc_ids(found.iter().map(|file| file.rel_path.as_str()));
    for (file, id) in found.iter_mut().zip(ids) {
        file.doc_id = id;
        if file.format == Format::Html {
            file.rules = config.rules_for(&file.rel_path);
        }
    }
    walk.files = found;
    walk.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(walk)
}

fn visit(
    canonical_root: &Path,
    dir: &Path,
    rel_dir: &str,
    visited: &mut HashSet<PathBuf>,
    found: &mut Vec<SourceFile>,
    walk: &mut Walk,
) {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) => {
            walk.skipped.push(Skipped {
                path: dir.to_path_buf(),
                reason: format!("cannot read folder: {err}"),
            });
            return;
        }
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            walk.skipped.push(Skipped {
                path: entry.path(),
                reason: "file name is not valid UTF-8".to_string(),
            });
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        let rel = if rel_dir.is_empty() {
            name.to_string()
        } else {
            format!("{rel_dir}/{name}")
        };
        // `metadata` follows links; a dangling link or a link out of the corpus is skipped.
        let is_link = entry.file_type().map(|t| t.is_symlink()).unwrap_or(false);
        let target = match fs::canonicalize(&path) {
            Ok(target) => target,
            Err(err) => {
                walk.skipped.push(Skipped {
                    path,
                    reason: format!("cannot resolve: {err}"),
                });
                continue;
            }
        };
        if is_link && !target.starts_with(canonical_root) {
            walk.skipped.push(Skipped {
                path,
                reason: "symbolic link leads out of the corpus".to_string(),
            });
            continue;
        }
        let metadata = match fs::metadata(&target) {
            Ok(metadata) => metadata,
            Err(err) => {
                walk.skipped.push(Skipped {
                    path,
                    reason: format!("cannot read: {err}"),
                });
                continue;
            }
        };
        if metadata.is_dir() {
            if visited.insert(target) {
                visit(canonical_root, &path, &rel, visited, found, walk);
            }
        } else if metadata.is_file() {
            match Format::from_path(&path) {
                Some(format) => {
                    let sidecar = crate::extract::meta::sidecar_names(name)
                        .into_iter()
                        .map(|candidate| dir.join(candidate))
                        .find_map(|p| {
                            fs::metadata(&p)
                                .ok()
                                .filter(|m| m.is_file())
                                .map(|m| (p, m))
                        });
                    let (size, mtime) = match &sidecar {
                        Some((_, side)) => (
                            metadata.len() + side.len(),
                            mtime_ns(&metadata).max(mtime_ns(side)),
                        ),
                        None => (metadata.len(), mtime_ns(&metadata)),
                    };
                    found.push(SourceFile {
                        path,
                        rel_path: rel,
                        doc_id: String::new(),
                        format,
                        size,
                        mtime_ns: mtime,
                        sidecar: sidecar.map(|(p, _)| p),
                        rules: None,
                    });
                }
                // The corpus's settings are not a document of it.
                None if rel == crate::config::FILE_NAME => {}
                None => walk.other_formats += 1,
            }
        }
    }
}

/// A file's modification time in nanoseconds since the epoch, 0 where unknown.
pub fn mtime_ns(metadata: &fs::Metadata) -> u64 {
    metadata
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64)
}

/// Document ids from relative paths: the path without its extension, lowercased, with runs of
/// anything but letters and digits turned into `-`. Where two files would share an id (`a.md`
/// and `a.txt`), each keeps its extension.
pub fn doc_ids<'a>(rel_paths: impl Iterator<Item = &'a str>) -> Vec<String> {
    let rel_paths: Vec<&str> = rel_paths.collect();
    let short: Vec<String> = rel_paths.iter().map(|rel| slug(rel, false)).collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for id in &short {
        *counts.entry(id.as_str()).or_default() += 1;
    }
    rel_paths
        .iter()
        .zip(&short)
        .map(|(rel, id)| {
            if counts[id.as_str()] > 1 {
                slug(rel, true)
            } else {
                id.clone()
            }
        })
        .collect()
}

fn slug(rel_path: &str, keep_extension: bool) -> String {
    let path = Path::new(rel_path);
    let without_ext = match (keep_extension, path.extension()) {
        (false, Some(ext)) => &rel_path[..rel_path.len() - ext.len() - 1],
        _ => rel_path,
    };
    without_ext
        .split('/')
        .map(slug_part)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("/")
}

/// One part of a document id: lowercase letters and digits, other runs as one `-`.
pub fn slug_part(part: &str) -> String {
    let mut out = String::new();
    for c in part.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_readable_and_unique() {
        let ids = doc_ids(
            [
                "de/AI Action Summit.txt",
                "en/notes.md",
                "en/notes.txt",
                "fr/Régulation_IA.html",
            ]
            .into_iter(),
        );
        assert_eq!(
            ids,
            [
                "de/ai-action-summit",
                "en/notes-md",
                "en/notes-txt",
                "fr/régulation-ia"
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn walk_skips_hidden_and_outside_links_and_survives_loops() {
        use std::os::unix::fs::symlink;
        let outside = tempfile::tempdir().expect("tempdir");
        fs::write(outside.path().join("secret.txt"), "outside").expect("write");
        let root = tempfile::tempdir().expect("tempdir");
        let r = root.path();
        fs::create_dir_all(r.join("sub/deeper")).expect("mkdir");
        fs::create_dir_all(r.join(".git")).expect("mkdir");
        fs::write(r.join(".git/config.txt"), "hidden").expect("write");
        fs::write(r.join(".hidden.txt"), "hidden").expect("write");
        fs::write(r.join("b.md"), "# B").expect("write");
        fs::write(r.join("sub/a.txt"), "A").expect("write");
        fs::write(r.join("sub/deeper/c.html"), "<p>C</p>").expect("write");
        fs::write(r.join("image.png"), [0u8, 1, 2]).expect("write");
        symlink(r.join("sub"), r.join("sub/deeper/loop")).expect("symlink");
        symlink(outside.path(), r.join("out")).expect("symlink");
        symlink(outside.path().join("secret.txt"), r.join("secret.txt")).expect("symlink");

        let walk = walk(r).expect("walk");
        let rels: Vec<_> = walk.files.iter().map(|f| f.rel_path.as_str()).collect();
        assert_eq!(rels, ["b.md", "sub/a.txt", "sub/deeper/c.html"]);
        assert_eq!(walk.other_formats, 1);
        assert_eq!(walk.skipped.len(), 2, "{:?}", walk.skipped);
        assert!(
            walk.skipped
                .iter()
                .all(|s| s.reason.contains("out of the corpus"))
        );
    }

    #[test]
    fn a_missing_root_is_an_error() {
        assert!(walk(Path::new("/definitely/not/here")).is_err());
    }
}
