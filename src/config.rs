//! The corpus's own settings: an optional `polsearch.toml` at the corpus root with per-site
//! CSS selectors for what the HTML extractor should drop or keep, for the furniture that
//! boilerplate detection misses (one page of a site has no siblings to compare with) or the
//! content it cannot find.
//!
//! ```toml
//! [[site]]
//! files = "articles/de/netzpolitik*"   # glob over paths relative to the corpus root
//! drop = [".newsletter-box", "aside.related", "#comments"]
//!
//! [[site]]
//! files = "press/**"
//! keep = ["article .entry-content"]   # only these elements are read (the head still gives metadata)
//! ```
//!
//! Every rule whose `files` matches a file applies; their selectors add up. A mistake in the
//! file (bad TOML, a glob or selector that does not parse, an unknown key) fails the run with
//! a line naming it, rather than indexing pages as if the rule were not there.

use std::fs;
use std::path::Path;
use std::sync::Arc;

use globset::{Glob, GlobMatcher};
use serde::Deserialize;

/// The file name looked for at the corpus root.
pub const FILE_NAME: &str = "polsearch.toml";

/// Why `polsearch.toml` cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{FILE_NAME}: {0}")]
pub struct ConfigError(String);

/// CSS selectors applied to one HTML page before extraction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlRules {
    /// Elements removed with everything inside them.
    pub drop: Vec<String>,
    /// When not empty, only these elements' content is read.
    pub keep: Vec<String>,
}

impl HtmlRules {
    /// A digest of the rules: part of a file's content hash, so that changing the rules
    /// for a file re-indexes it.
    pub fn digest(&self) -> u64 {
        let text = format!("drop={:?};keep={:?}", self.drop, self.keep);
        xxhash_rust::xxh3::xxh3_64(text.as_bytes())
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    site: Vec<RawSite>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSite {
    files: String,
    #[serde(default)]
    drop: Vec<String>,
    #[serde(default)]
    keep: Vec<String>,
}

struct Site {
    files: GlobMatcher,
    rules: HtmlRules,
}

/// The settings of one corpus.
#[derive(Default)]
pub struct CorpusConfig {
    sites: Vec<Site>,
}

impl std::fmt::Debug for CorpusConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CorpusConfig")
            .field("sites", &self.sites.len())
            .finish()
    }
}

impl CorpusConfig {
    /// Reads `root/polsearch.toml`; no file is an empty configuration.
    pub fn load(root: &Path) -> Result<CorpusConfig, ConfigError> {
        let path = root.join(FILE_NAME);
        match fs::read_to_string(&path) {
            Ok(text) => CorpusConfig::parse(&text),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(CorpusConfig::default()),
            Err(err) => Err(ConfigError(err.to_string())),
        }
    }

    /// Parses the text of a `polsearch.toml`, checking every glob and selector.
    pub fn parse(text: &str) -> Result<CorpusConfig, ConfigError> {
        let raw: RawConfig =
            toml::from_str(text).map_err(|err| ConfigError(err.message().to_string()))?;
        let mut sites = Vec::new();
        for (n, site) in raw.site.into_iter().enumerate() {
            let which = format!("[[site]] {} (files = {:?})", n + 1, site.files);
            let files = Glob::new(&site.files)
                .map_err(|err| ConfigError(format!("{which}: {err}")))?
                .compile_matcher();
            for selector in site.drop.iter().chain(&site.keep) {
                scraper::Selector::parse(selector).map_err(|err| {
                    ConfigError(format!(
                        "{which}: selector {selector:?} does not parse: {err}"
                    ))
                })?;
            }
            if site.drop.is_empty() && site.keep.is_empty() {
                return Err(ConfigError(format!("{which}: neither drop nor keep")));
            }
            sites.push(Site {
                files,
                rules: HtmlRules {
                    drop: site.drop,
                    keep: site.keep,
                },
            });
        }
        Ok(CorpusConfig { sites })
    }

    /// The rules for the file at `rel_path` (relative to the corpus root), if any match.
    pub fn rules_for(&self, rel_path: &str) -> Option<Arc<HtmlRules>> {
        let mut rules = HtmlRules::default();
        for site in self.sites.iter().filter(|s| s.files.is_match(rel_path)) {
            rules.drop.extend(site.rules.drop.iter().cloned());
            rules.keep.extend(site.rules.keep.iter().cloned());
        }
        (rules != HtmlRules::default()).then(|| Arc::new(rules))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_of_every_matching_site_add_up() {
        let config = CorpusConfig::parse(
            r#"
            [[site]]
            files = "news/**"
            drop = [".newsletter"]

            [[site]]
            files = "news/heise*"
            drop = ["aside"]
            keep = ["article"]
            "#,
        )
        .expect("parses");
        let rules = config
            .rules_for("news/heise-lithium.html")
            .expect("matches");
        assert_eq!(rules.drop, vec![".newsletter", "aside"]);
        assert_eq!(rules.keep, vec!["article"]);
        assert_eq!(
            config.rules_for("news/zeit.html").unwrap().drop,
            vec![".newsletter"]
        );
        assert!(config.rules_for("laws/ai-act.html").is_none());
    }

    #[test]
    fn mistakes_are_named() {
        let bad = |text: &str| CorpusConfig::parse(text).unwrap_err().to_string();
        assert!(bad("[[site]]\nfiles = \"a/*\"\ndrop = [\"div[\"]\n").contains("div["));
        assert!(bad("[[site]]\nfiles = \"a/[\"\ndrop = [\"p\"]\n").contains("a/["));
        assert!(bad("[[site]]\nfiles = \"a/*\"\n").contains("neither drop nor keep"));
        assert!(bad("[[site]]\nfiles = \"a/*\"\ndorp = [\"p\"]\n").contains("dorp"));
        assert!(bad("site = 3").starts_with("polsearch.toml:"));
    }

    #[test]
    fn no_file_is_no_rules() {
        let dir = tempfile::tempdir().unwrap();
        let config = CorpusConfig::load(dir.path()).expect("empty");
        assert!(config.rules_for("any.html").is_none());
    }
}
