//! JSON and JSON Lines exports to documents: one document a record, its fields found by name
//! (any case, common aliases), its body split into paragraphs like plain text, or read as
//! HTML when it is markup.
//!
//! This module owns the mapping from export records to documents. It must not guess at
//! structures that are not records: a file with no object holding text is an error, not a
//! heap of documents made of ids and hashes.

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::{ExtractError, Format, clean_meta, html, meta, text};
use crate::document::{Block, Document, Metadata};

/// Field names, lowercase, in order of preference.
const TITLE: &[&str] = &["title", "headline", "name"];
const TEXT: &[&str] = &[
    "text",
    "body",
    "content",
    "full_text",
    "fulltext",
    "article",
    "article_body",
    "articlebody",
];
const URL: &[&str] = &["url", "link", "canonical_url", "canonicalurl"];
const DATE: &[&str] = &[
    "date",
    "published",
    "published_at",
    "publishedat",
    "datepublished",
    "date_published",
    "pubdate",
    "publication_date",
];
const AUTHOR: &[&str] = &["author", "authors", "byline", "creator"];
const LANG: &[&str] = &["lang", "language", "locale", "inlanguage"];
const SITE: &[&str] = &["site", "source", "publisher", "site_name", "sitename"];
const TYPE: &[&str] = &["type", "doc_type", "document_type"];
const KEY: &[&str] = &["id", "_id", "uuid", "slug"];
/// Keys under which a wrapper object holds its records.
const WRAPPERS: &[&str] = &[
    "documents",
    "items",
    "records",
    "data",
    "articles",
    "results",
];

/// The documents of a JSON (`.json`) or JSON Lines (`.jsonl`) text.
///
/// A `.json` file is one record, an array of records, or an object holding an array of
/// records under `documents`, `items`, `records`, `data`, `articles` or `results`; a `.json`
/// file that turns out to be JSON Lines is read as such. A record's key is its own id
/// (`id`, `_id`, `uuid`, `slug`), else its position: array index or line number, from 1. Records without text are skipped,
/// and so are JSON Lines lines that are not JSON, as long as some record is usable.
///
/// # Errors
///
/// [`ExtractError::NoRecords`] naming the first bad line, or saying that no record has a
/// text field.
pub(crate) fn extract_json(source: &str, format: Format) -> Result<Vec<Document>, ExtractError> {
    let (values, first_bad) = match format {
        Format::JsonLines => lines(source),
        _ => match serde_json::from_str::<Value>(source) {
            Ok(value) => (numbered(records(value)), None),
            Err(err) if err.is_syntax() && source.trim_start().starts_with('{') => {
                // "Trailing characters" after the first object: JSON Lines under a .json name.
                let (values, bad) = lines(source);
                if values.len() > 1 {
                    (values, bad)
                } else {
                    return Err(not_json(&err));
                }
            }
            Err(err) => return Err(not_json(&err)),
        },
    };
    let mut keys = HashSet::new();
    let docs: Vec<Document> = values
        .into_iter()
        .filter_map(|(number, value)| document(&value, number, &mut keys))
        .collect();
    if !docs.is_empty() {
        return Ok(docs);
    }
    Err(ExtractError::NoRecords(match first_bad {
        Some((line, err)) => format!("line {line} is not JSON ({err})"),
        None => format!(
            "no object with a text field ({}) found; is this a document export?",
            TEXT[..4].join(", ")
        ),
    }))
}

fn not_json(err: &serde_json::Error) -> ExtractError {
    ExtractError::NoRecords(format!("not JSON ({err})"))
}

/// Records with their 1-based positions (array index or line number).
type Numbered = Vec<(usize, Value)>;
/// The first line that is not JSON, with why.
type BadLine = Option<(usize, String)>;

/// Values with their 1-based positions.
fn numbered(values: Vec<Value>) -> Numbered {
    values
        .into_iter()
        .enumerate()
        .map(|(i, value)| (i + 1, value))
        .collect()
}

/// The values of JSON Lines with their line numbers (so a record keeps its number when a bad
/// line before it is fixed), and the first line that is not JSON with why.
fn lines(source: &str) -> (Numbered, BadLine) {
    let mut values = Vec::new();
    let mut first_bad = None;
    for (i, line) in source.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(value) => values.push((i + 1, value)),
            Err(err) => {
                first_bad.get_or_insert((i + 1, err.to_string()));
            }
        }
    }
    (values, first_bad)
}

/// The records of a whole-file JSON value: an array's elements, a wrapper's array, or the
/// value itself.
fn records(value: Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items,
        Value::Object(map) => {
            let wrapped = map.iter().find_map(|(key, v)| {
                let key = key.to_ascii_lowercase();
                match v {
                    Value::Array(items) if WRAPPERS.contains(&key.as_str()) => Some(items.clone()),
                    _ => None,
                }
            });
            wrapped.unwrap_or_else(|| vec![Value::Object(map)])
        }
        other => vec![other],
    }
}

/// The first field of `object` named (in any case) by one of `names`, in their order.
fn field<'a>(object: &'a Map<String, Value>, names: &[&str]) -> Option<&'a Value> {
    names.iter().find_map(|name| {
        object
            .iter()
            .find(|(key, value)| key.eq_ignore_ascii_case(name) && !value.is_null())
            .map(|(_, value)| value)
    })
}

/// A field as one line of text: a string, or a number written out.
fn string(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => clean_meta(s),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A person or organisation: a string, or an object with a `name`.
fn name(value: &Value) -> Option<String> {
    match value {
        Value::Object(map) => field(map, &["name"]).and_then(string),
        other => string(other),
    }
}

/// One or several authors, joined with [`meta::AUTHOR_SEPARATOR`].
fn authors(value: &Value) -> Option<String> {
    let names: Vec<String> = match value {
        Value::Array(items) => items.iter().filter_map(name).collect(),
        other => name(other).into_iter().collect(),
    };
    (!names.is_empty()).then(|| names.join(meta::AUTHOR_SEPARATOR))
}

/// The document of the record at `number` (its 1-based position in the array, or its line in
/// JSON Lines), `None` when it has no text.
fn document(value: &Value, number: usize, keys: &mut HashSet<String>) -> Option<Document> {
    let Value::Object(object) = value else {
        return None;
    };
    let (blocks, markup) = body(field(object, TEXT)?);
    if blocks.is_empty() {
        return None;
    }
    let own = Metadata {
        title: field(object, TITLE).and_then(string),
        author: field(object, AUTHOR).and_then(authors),
        date: field(object, DATE)
            .and_then(string)
            .and_then(|d| meta::parse_any_date(&d)),
        site: field(object, SITE).and_then(name),
        url: field(object, URL).and_then(string),
        lang: field(object, LANG)
            .and_then(string)
            .and_then(|l| meta::language_code(&l)),
        doc_type: field(object, TYPE)
            .and_then(string)
            .map(|t| t.to_lowercase()),
    };
    // What the record states beats what its HTML body's markup says.
    let mut meta = markup;
    meta::overlay(&mut meta, own);
    let default_type = if meta.url.is_some() {
        meta::doc_type::WEB
    } else {
        meta::doc_type::TEXT
    };
    meta::complete(&mut meta, &blocks, default_type);
    Some(Document {
        key: Some(key(object, number, keys)),
        meta,
        blocks,
        ..Document::default()
    })
}

/// The record's own id when it has one usable as a name and not yet taken in this file,
/// else its number.
fn key(object: &Map<String, Value>, number: usize, keys: &mut HashSet<String>) -> String {
    let own = field(object, KEY)
        .and_then(string)
        .filter(|k| k.chars().any(char::is_alphanumeric));
    let key = match own {
        Some(k) if !keys.contains(&k) => k,
        Some(k) => format!("{k}-{number}"),
        None => number.to_string(),
    };
    keys.insert(key.clone());
    key
}

/// The blocks of a text field (a string, or an array of strings, one or more paragraphs
/// each), with the metadata of an HTML body.
fn body(value: &Value) -> (Vec<Block>, Metadata) {
    match value {
        Value::String(s) if is_markup(s) => {
            let doc = html::extract_html(s);
            (doc.blocks, doc.meta)
        }
        Value::String(s) => (text::body_blocks(s), Metadata::default()),
        Value::Array(items) => {
            let blocks = items
                .iter()
                .filter_map(Value::as_str)
                .flat_map(|s| {
                    if is_markup(s) {
                        html::extract_html(s).blocks
                    } else {
                        text::body_blocks(s)
                    }
                })
                .collect();
            (blocks, Metadata::default())
        }
        _ => (Vec::new(), Metadata::default()),
    }
}

/// Whether a body is HTML: it opens with a tag and closes one.
fn is_markup(s: &str) -> bool {
    let s = s.trim_start();
    s.starts_with('<')
        && s.chars()
            .nth(1)
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '!')
        && s.contains("</")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::BlockKind;

    fn texts(doc: &Document) -> Vec<&str> {
        doc.blocks.iter().map(|b| b.text.as_str()).collect()
    }

    #[test]
    fn json_lines_records_with_aliases() {
        let source = r#"{"ID": "a-1", "Headline": "Erster Bericht", "Body": "Absatz eins.\n\nAbsatz zwei.", "datePublished": "2024-07-12T08:00:00Z", "Authors": [{"name": "Jana Beispiel"}, "Tom Muster"], "Language": "de-DE", "Publisher": {"name": "Beispielblatt"}, "link": "https://example.org/a"}
not json at all
{"_id": 7, "title": "Second", "content": ["One paragraph.", "Another paragraph."], "pubdate": "12.7.2024", "byline": "Ann Example", "type": "News"}
{"title": "No text here", "url": "https://example.org/c"}
{"text": "<article><h2>Zwischentitel</h2><p>Markup im Text.</p></article>"}
"#;
        let docs = extract_json(source, Format::JsonLines).expect("documents");
        assert_eq!(docs.len(), 3);
        let first = &docs[0];
        assert_eq!(first.key.as_deref(), Some("a-1"));
        assert_eq!(first.meta.title.as_deref(), Some("Erster Bericht"));
        assert_eq!(first.meta.date.as_deref(), Some("2024-07-12"));
        assert_eq!(
            first.meta.author.as_deref(),
            Some("Jana Beispiel; Tom Muster")
        );
        assert_eq!(first.meta.lang.as_deref(), Some("de"));
        assert_eq!(first.meta.site.as_deref(), Some("Beispielblatt"));
        assert_eq!(first.meta.doc_type.as_deref(), Some("web"));
        assert_eq!(texts(first), ["Absatz eins.", "Absatz zwei."]);

        let second = &docs[1];
        assert_eq!(second.key.as_deref(), Some("7"));
        assert_eq!(second.meta.date.as_deref(), Some("2024-07-12"));
        assert_eq!(second.meta.doc_type.as_deref(), Some("news"));
        assert_eq!(texts(second), ["One paragraph.", "Another paragraph."]);

        let third = &docs[2];
        assert_eq!(third.key.as_deref(), Some("5"), "numbered by its line");
        assert!(
            third
                .blocks
                .iter()
                .any(|b| matches!(b.kind, BlockKind::Heading { .. }) && b.text == "Zwischentitel")
        );
    }

    #[test]
    fn one_paragraph_per_line_bodies_split_at_each_line() {
        let source = r#"[{"title": "T", "text": "Erste Zeile ist ein Absatz.\nZweite Zeile ist auch einer.\nDritte ebenso."}]"#;
        let docs = extract_json(source, Format::Json).expect("documents");
        assert_eq!(texts(&docs[0]).len(), 3);
    }

    #[test]
    fn wrappers_single_objects_and_disguised_json_lines() {
        let wrapped = r#"{"count": 2, "Items": [{"text": "Eins."}, {"text": "Zwei."}]}"#;
        assert_eq!(extract_json(wrapped, Format::Json).unwrap().len(), 2);
        let single = r#"{"title": "Allein", "text": "Nur ein Dokument."}"#;
        let docs = extract_json(single, Format::Json).unwrap();
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].key.as_deref(), Some("1"));
        let lines = "{\"text\": \"Eins.\"}\n{\"text\": \"Zwei.\"}\n";
        assert_eq!(extract_json(lines, Format::Json).unwrap().len(), 2);
    }

    #[test]
    fn duplicate_ids_stay_apart() {
        let source = r#"[{"id": "x", "text": "Eins."}, {"id": "x", "text": "Zwei."}]"#;
        let keys: Vec<_> = extract_json(source, Format::Json)
            .unwrap()
            .into_iter()
            .map(|d| d.key.unwrap())
            .collect();
        assert_eq!(keys, ["x", "x-2"]);
    }

    #[test]
    fn files_without_documents_are_errors() {
        let nodes = r#"{"celex": "0", "nodes": [{"id": "n1", "hash": "ab", "order": 0}]}"#;
        let err = extract_json(nodes, Format::Json).unwrap_err().to_string();
        assert!(err.contains("no object with a text field"), "{err}");
        let err = extract_json("{\"text\": \nbroken\n", Format::JsonLines)
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 1 is not JSON"), "{err}");
        let err = extract_json("[1, 2", Format::Json).unwrap_err().to_string();
        assert!(err.starts_with("no usable record: not JSON"), "{err}");
        assert!(extract_json("42", Format::Json).is_err());
        assert!(extract_json(r#"[{"text": 5}, {"text": [1, null]}]"#, Format::Json).is_err());
    }
}
