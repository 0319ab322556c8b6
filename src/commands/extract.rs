//! `polsearch extract FILE`: what the indexer takes from one file, by the indexer's own code
//! path, so a user can see why a document is or is not found.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};

use super::EXIT_OK;
use crate::cli::{Cli, ExtractArgs};
use crate::extract::Format;
use crate::ingest::{self, IngestedDoc};
use crate::lang::LanguageDetector;
use crate::output::sanitize_line;
use crate::source::{self, SourceFile};

pub fn run(cli: &Cli, args: &ExtractArgs) -> anyhow::Result<ExitCode> {
    let file = source_file(&args.file, &cli.corpus)?;
    let docs = ingest::ingest(&file, &LanguageDetector::new())
        .with_context(|| format!("{}", args.file.display()))?;
    let mut out = io::stdout().lock();
    for (n, doc) in docs.iter().enumerate() {
        if args.json {
            serde_json::to_writer(&mut out, doc)?;
            writeln!(out)?;
        } else {
            if n > 0 {
                writeln!(out)?;
            }
            print_document(&mut out, doc)?;
        }
    }
    Ok(ExitCode::from(EXIT_OK))
}

/// One document as the text report shows it: metadata lines, then each passage.
fn print_document(out: &mut impl Write, doc: &IngestedDoc) -> io::Result<()> {
    let field = |name: &str, value: Option<&str>| {
        format!(
            "{name:<9} {}",
            value.map(sanitize_line).unwrap_or_else(|| "-".to_string())
        )
    };
    writeln!(out, "{}", field("path", Some(&doc.path)))?;
    writeln!(out, "{}", field("doc_id", Some(&doc.doc_id)))?;
    writeln!(out, "{}", field("title", Some(&doc.title)))?;
    writeln!(out, "{}", field("author", doc.meta.author.as_deref()))?;
    writeln!(out, "{}", field("date", doc.meta.date.as_deref()))?;
    writeln!(out, "{}", field("site", doc.meta.site.as_deref()))?;
    writeln!(out, "{}", field("type", doc.meta.doc_type.as_deref()))?;
    writeln!(out, "{}", field("url", doc.meta.url.as_deref()))?;
    writeln!(out, "{}", field("lang", Some(&doc.lang)))?;
    writeln!(
        out,
        "{}",
        field(
            "passages",
            Some(&format!(
                "{} ({} repeated paragraphs and {} one-line fragments not indexed)",
                doc.passages.len(),
                doc.repeated,
                doc.fragments
            ))
        )
    )?;
    for passage in &doc.passages {
        writeln!(out)?;
        writeln!(
            out,
            "[{}] ({}){}{}",
            sanitize_line(&passage.id),
            passage.lang,
            passage
                .section
                .as_ref()
                .map(|s| format!(" {}", sanitize_line(&s.label)))
                .unwrap_or_default(),
            passage
                .heading
                .as_deref()
                .map(|h| format!(" § {}", sanitize_line(h)))
                .unwrap_or_default()
        )?;
        for line in passage.text.lines() {
            writeln!(out, "{}", sanitize_line(line))?;
        }
    }
    Ok(())
}

/// The file as the indexer would see it: inside the corpus it gets the id the walk gives it
/// there (which may keep its extension, when another file shares its name).
fn source_file(path: &Path, corpus: &Path) -> anyhow::Result<SourceFile> {
    let Some(format) = Format::from_path(path) else {
        bail!(
            "{}: not a format polsearch reads ({})",
            path.display(),
            Format::EXTENSIONS
        );
    };
    let canonical = std::fs::canonicalize(path).with_context(|| format!("{}", path.display()))?;
    let in_corpus = std::fs::canonicalize(corpus)
        .is_ok_and(|root| canonical.starts_with(root))
        .then(|| source::walk(corpus).ok())
        .flatten()
        .and_then(|walk| {
            walk.files
                .into_iter()
                .find(|file| std::fs::canonicalize(&file.path).is_ok_and(|p| p == canonical))
        });
    if let Some(file) = in_corpus {
        return Ok(file);
    }
    let rel_path = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let doc_id = source::doc_ids(std::iter::once(rel_path.as_str()))
        .pop()
        .unwrap_or_default();
    let metadata = std::fs::metadata(&canonical)?;
    Ok(SourceFile {
        path: canonical,
        rel_path,
        doc_id,
        format,
        size: metadata.len(),
        mtime_ns: source::mtime_ns(&metadata),
        sidecar: None,
        rules: None,
    })
}
