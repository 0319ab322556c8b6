//! polsearch: full-text search for multilingual policy texts on AI governance.
//!
//! The flow, one module a stage:
//! `source` (walk the corpus) → `extract` (bytes → [`document::Document`]) → `passage`
//! (blocks → passages, repeats dropped; `structure` finds a legal text's articles, recitals
//! and annexes) → `lang` (whatlang) → `analysis` (per-language tokenizer chains) → `clean`
//! (boilerplate and duplicates across documents) → `store` (tantivy generations); `ingest`
//! runs one file through the first stages and `indexer` a whole corpus. Searching:
//! `store::reader` → [`hit::Hit`] → `snippet` → `output`; `cite` renders hits as citations
//! (`instrument` names the act a law is; `reference` finds what a passage cites). The command-line program lives in
//! `cli` and `commands`.

pub mod analysis;
pub mod bench;
pub mod cite;
pub mod clean;
pub mod cli;
pub mod commands;
pub mod compound;
pub mod config;
pub mod document;
pub mod eval;
pub mod extract;
pub mod hit;
pub mod indexer;
pub mod ingest;
pub mod instrument;
pub mod lang;
pub mod letters;
pub mod output;
pub mod passage;
pub mod reference;
pub mod scratch;
pub mod snippet;
pub mod source;
pub mod store;
pub mod structure;
