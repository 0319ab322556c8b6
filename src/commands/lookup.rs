//! What `show` and `cite` share: reading a passage or document id as the user typed it, finding
//! it in the live index, and the access date of a citation.
//!
//! A malformed id is an error of the command line (exit 2); a well-formed id the index does not
//! hold is "nothing found" (exit 1), reported with the reason where one is known (the id names
//! a copy whose text another document holds).

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};

use crate::cite::Date;
use crate::hit::Hit;
use crate::store::reader::Searcher;
use crate::store::{self, StoreError};

/// What an id names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `doc#pN`.
    Passage {
        doc_id: String,
        ordinal: u64,
    },
    Document(String),
}

impl Target {
    pub fn doc_id(&self) -> &str {
        match self {
            Target::Passage { doc_id, .. } | Target::Document(doc_id) => doc_id,
        }
    }
}

/// Reads a passage id (`eu-ai-act/en#p406`) or a document id (`eu-ai-act/en`). Document ids
/// are lower case (letters, digits and `-`, in `/`-separated parts), so the id is lower-cased
/// before it is checked.
pub fn parse_id(id: &str) -> anyhow::Result<Target> {
    let malformed = || {
        anyhow::anyhow!(
            "{id:?} is not a passage or document id (expected DOC#pN such as \
             eu-ai-act/en#p406, or a document id such as eu-ai-act/en)"
        )
    };
    let (doc, passage) = match id.trim().split_once('#') {
        Some((doc, passage)) => (doc, Some(passage)),
        None => (id.trim(), None),
    };
    let doc = doc.to_lowercase();
    let well_formed = !doc.is_empty()
        && doc
            .split('/')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_alphanumeric() || c == '-'));
    if !well_formed {
        return Err(malformed());
    }
    match passage {
        None => Ok(Target::Document(doc)),
        Some(passage) => {
            let ordinal = passage
                .strip_prefix('p')
                .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|n| n.parse::<u64>().ok())
                .filter(|n| *n > 0)
                .ok_or_else(malformed)?;
            Ok(Target::Passage {
                doc_id: doc,
                ordinal,
            })
        }
    }
}

/// What the index holds for a target.
pub enum Found {
    Passage(Hit),
    /// A document, represented by its first passage (which carries its metadata).
    Document(Hit),
    /// Not in the index; the message says why as far as known.
    Missing(String),
}

/// Looks `target` up in the index.
pub fn find(searcher: &Searcher, target: &Target) -> Result<Found, StoreError> {
    let doc_id = target.doc_id();
    let first = searcher.first_passages(doc_id, 1)?.into_iter().next();
    match (target, first) {
        (Target::Passage { ordinal, .. }, Some(_)) => {
            let id = format!("{doc_id}#p{ordinal}");
            Ok(match searcher.passage(&id)? {
                Some(hit) => Found::Passage(hit),
                None => {
                    let copy = match searcher.holder_of(doc_id)? {
                        Some(holder) => {
                            format!("; it is a copy of {holder}, which holds the text they share")
                        }
                        None => String::new(),
                    };
                    Found::Missing(format!(
                        "no passage {id} in the index (document {doc_id} has no passage \
                         p{ordinal}{copy}; `polsearch show {doc_id}` lists its first passages)"
                    ))
                }
            })
        }
        (Target::Document(_), Some(first)) => Ok(Found::Document(first)),
        (_, None) => Ok(Found::Missing(match searcher.holder_of(doc_id)? {
            Some(holder) => format!(
                "{doc_id} is a copy of {holder}, which holds its text; its passages are not \
                 indexed on their own (try `polsearch show {holder}`)"
            ),
            None => format!("no document {doc_id} in the index"),
        })),
    }
}

/// The live index, opened for lookups. Unlike `search`, this never builds one: an id comes
/// from an index that exists.
pub fn open(index: &Path) -> anyhow::Result<Searcher> {
    let live = store::open_current(index)?;
    Ok(Searcher::new(live)?)
}

/// `--accessed YYYY-MM-DD`, or today (UTC) from the system clock.
pub fn accessed(arg: Option<&str>) -> anyhow::Result<Date> {
    match arg {
        Some(text) => match Date::parse(text) {
            Some(date) if date.day.is_some() => Ok(date),
            _ => bail!("--accessed {text:?} is not a date (use YYYY-MM-DD)"),
        },
        None => {
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .context("the system clock is before 1970")?;
            Ok(Date::from_unix(now.as_secs()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_read_or_rejected() {
        assert_eq!(
            parse_id("eu-ai-act/en#p406").unwrap(),
            Target::Passage {
                doc_id: "eu-ai-act/en".into(),
                ordinal: 406
            }
        );
        assert_eq!(
            parse_id("EU-AI-Act/EN").unwrap(),
            Target::Document("eu-ai-act/en".into())
        );
        assert_eq!(
            parse_id("de/übersicht#p1").unwrap(),
            Target::Passage {
                doc_id: "de/übersicht".into(),
                ordinal: 1
            }
        );
        for bad in [
            "",
            "#p1",
            "a b",
            "a//b",
            "a/",
            "doc#",
            "doc#p",
            "doc#p0",
            "doc#12",
            "doc#p1#p2",
            "doc#p-1",
            "doc#p99999999999999999999999",
            "a.md",
        ] {
            assert!(parse_id(bad).is_err(), "{bad:?} should be rejected");
        }
    }
}
