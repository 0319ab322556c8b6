//! `polsearch cite ID…`: citations of passages and documents in one style, for pasting or for
//! importing into a reference manager.
//!
//! Exit codes: 0 every id cited, 1 some id is well formed but not in the index (the others
//! are still cited), 2 a malformed id (nothing is printed) or another error.

use std::io::{self, Write};
use std::process::ExitCode;

use super::lookup::{self, Found};
use super::{EXIT_NO_HITS, EXIT_OK};
use crate::cite::{self, Scope, Style};
use crate::cli::{CiteArgs, CiteStyle, Cli};

pub fn run(cli: &Cli, args: &CiteArgs) -> anyhow::Result<ExitCode> {
    // Every id is checked before anything is looked up, so a typo prints nothing half-done.
    let targets = args
        .ids
        .iter()
        .map(|id| lookup::parse_id(id))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let accessed = lookup::accessed(args.accessed.as_deref())?;
    let searcher = lookup::open(&cli.index)?;
    let mut citations = Vec::with_capacity(targets.len());
    let mut missing = false;
    for target in &targets {
        match lookup::find(&searcher, target)? {
            Found::Passage(hit) => citations.push(cite::citation(&hit, Scope::Passage)),
            Found::Document(first) => citations.push(cite::citation(&first, Scope::Document)),
            Found::Missing(reason) => {
                eprintln!("polsearch: {reason}");
                missing = true;
            }
        }
    }
    cite::assign_keys(&mut citations);
    if !citations.is_empty() {
        let mut out = io::stdout().lock();
        out.write_all(cite::render(&citations, style(args.style), accessed).as_bytes())?;
        out.flush()?;
    }
    Ok(ExitCode::from(if missing { EXIT_NO_HITS } else { EXIT_OK }))
}

/// The core style of a command-line style.
pub fn style(style: CiteStyle) -> Style {
    match style {
        CiteStyle::Apa => Style::Apa,
        CiteStyle::Chicago => Style::Chicago,
        CiteStyle::Bibtex => Style::Bibtex,
        CiteStyle::Ris => Style::Ris,
        CiteStyle::CslJson => Style::CslJson,
    }
}
