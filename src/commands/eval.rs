//! `polsearch eval`: the numbers every change to analysis is judged by.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};

use super::EXIT_OK;
use crate::cli::{Cli, EvalCommand, EvalCompoundsArgs, EvalRelevanceArgs};
use crate::compound::{Params, Splitter};
use crate::eval::{self, QueryScores};
use crate::indexer::{self, BuildOptions, Silent};
use crate::store::{self, reader::SearchOptions, reader::Searcher};

pub fn run(cli: &Cli, command: &EvalCommand) -> anyhow::Result<ExitCode> {
    match command {
        EvalCommand::Compounds(args) => compounds(cli, args),
        EvalCommand::Relevance(args) => relevance(cli, args),
    }
}

fn read(path: &Path) -> anyhow::Result<String> {
    fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

fn compounds(cli: &Cli, args: &EvalCompoundsArgs) -> anyhow::Result<ExitCode> {
    let gold = eval::read_compounds(&read(&args.set)?).map_err(anyhow::Error::msg)?;
    let no_split: Vec<String> = read(&args.no_split)?
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    let lexicon = eval::learn_lexicon(&cli.corpus)
        .with_context(|| format!("learning the lexicon from {}", cli.corpus.display()))?;
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "lexicon: {} German words from {}",
        lexicon.len(),
        cli.corpus.display()
    )?;
    let mut rows = vec![Params::default()];
    if args.grid {
        rows.extend(eval::parameter_grid());
    }
    writeln!(
        out,
        "{:<36} {:>9} {:>9} {:>7} {:>7} {:>13}",
        "parameters", "precision", "recall", "F1", "exact", "false splits"
    )?;
    for (i, params) in rows.iter().enumerate() {
        let splitter = Splitter::new(Splitter::induce_tails(lexicon.clone(), *params), *params);
        let scores = eval::score_splits(&splitter, &gold, &no_split);
        writeln!(
            out,
            "{:<36} {:>9.3} {:>9.3} {:>7.3} {:>7.3} {:>7}/{:<5}{}",
            format!(
                "part≥{} freq≥{} whole {:.1} tails≥{}",
                params.min_part,
                params.min_freq,
                params.whole_weight,
                if params.min_tail_words == u32::MAX {
                    "∞".to_string()
                } else {
                    params.min_tail_words.to_string()
                }
            ),
            scores.precision,
            scores.recall,
            scores.f1,
            scores.exact,
            scores.false_splits.len(),
            scores.no_split_words,
            if i == 0 { "  (default)" } else { "" }
        )?;
        if i == 0 {
            if !scores.false_splits.is_empty() {
                writeln!(
                    out,
                    "  split although they must not be: {}",
                    scores.false_splits.join(", ")
                )?;
            }
            let wrong: Vec<String> = gold
                .iter()
                .filter(|g| eval::predicted_boundaries(&splitter, &g.word) != g.boundaries)
                .take(12)
                .map(|g| show_split(&g.word, &eval::predicted_boundaries(&splitter, &g.word)))
                .collect();
            writeln!(
                out,
                "  e.g. split otherwise than the test set: {}",
                wrong.join(", ")
            )?;
        }
    }
    writeln!(out, "compounds in the test set: {}", gold.len())?;
    Ok(ExitCode::from(EXIT_OK))
}

/// `word` with `|` at `cuts`.
fn show_split(word: &str, cuts: &std::collections::BTreeSet<usize>) -> String {
    let mut out = String::new();
    let mut last = 0;
    for &cut in cuts {
        out.push_str(&word[last..cut]);
        out.push('|');
        last = cut;
    }
    out.push_str(&word[last..]);
    out
}

/// One configuration of the relevance run.
struct Config {
    name: &'static str,
    decompound: bool,
    proximity: bool,
}

fn relevance(cli: &Cli, args: &EvalRelevanceArgs) -> anyhow::Result<ExitCode> {
    let judged = eval::read_judgments(&read(&args.queries)?, &read(&args.qrels)?)
        .map_err(anyhow::Error::msg)?;
    if judged.is_empty() {
        bail!("no queries in {}", args.queries.display());
    }
    let all = [
        Config {
            name: "decompounding + proximity",
            decompound: true,
            proximity: true,
        },
        Config {
            name: "decompounding only",
            decompound: true,
            proximity: false,
        },
        Config {
            name: "proximity only",
            decompound: false,
            proximity: true,
        },
        Config {
            name: "neither",
            decompound: false,
            proximity: false,
        },
    ];
    let configs: Vec<&Config> = all
        .iter()
        .filter(|c| (!args.no_decompound || !c.decompound) && (!args.no_proximity || !c.proximity))
        .collect();
    let scratch = ScratchDir::new()?;
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "{} queries, {} judgments, corpus {}",
        judged.len(),
        judged.iter().map(|q| q.grades.len()).sum::<usize>(),
        cli.corpus.display()
    )?;
    writeln!(
        out,
        "{:<28} {:>8} {:>8} {:>10}",
        "configuration", "nDCG@10", "MRR@10", "recall@10"
    )?;
    for decompound in [true, false] {
        let wanted: Vec<&&Config> = configs
            .iter()
            .filter(|c| c.decompound == decompound)
            .collect();
        if wanted.is_empty() {
            continue;
        }
        let index_dir = scratch.0.join(if decompound { "on" } else { "off" });
        let options = BuildOptions {
            decompound,
            ..BuildOptions::default()
        };
        indexer::build(&cli.corpus, &index_dir, &options, &mut Silent)
            .with_context(|| format!("indexing {}", cli.corpus.display()))?;
        let searcher = Searcher::new(store::open_current(&index_dir)?)?;
        let missing: Vec<&String> = judged
            .iter()
            .flat_map(|q| q.grades.keys())
            .filter(|id| !searcher.has_passage(id))
            .collect();
        if !missing.is_empty() {
            writeln!(
                out,
                "warning: {} judged passages are not in the index (passage splitting or the \
                 corpus changed since judging), e.g. {}",
                missing.len(),
                missing
                    .iter()
                    .take(5)
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )?;
        }
        for config in wanted {
            let mut total = QueryScores::default();
            let mut missing = 0;
            for query in &judged {
                // Judgments cover the query's own language: each query searches that
                // language, as a researcher who knows what they look for would.
                let options = SearchOptions {
                    lang: Some(query.lang.clone()),
                    limit: eval::CUTOFF,
                    no_compound_parts: !config.decompound,
                    no_proximity: !config.proximity,
                    ..SearchOptions::default()
                };
                let ranked: Vec<String> = searcher
                    .search(&query.query, &options)
                    .with_context(|| format!("query {} ({})", query.id, query.query))?
                    .into_iter()
                    .map(|hit| hit.passage_id)
                    .collect();
                let scores = eval::score_ranking(&ranked, &query.grades);
                missing += usize::from(query.grades.values().all(|g| *g < eval::RELEVANT_GRADE));
                if args.per_query {
                    writeln!(
                        out,
                        "  {:<5} {:<40} {:>6.3} {:>6.3} {:>6.3}",
                        query.id, query.query, scores.ndcg, scores.mrr, scores.recall
                    )?;
                }
                total.ndcg += scores.ndcg;
                total.mrr += scores.mrr;
                total.recall += scores.recall;
            }
            let n = judged.len() as f64;
            writeln!(
                out,
                "{:<28} {:>8.3} {:>8.3} {:>10.3}",
                config.name,
                total.ndcg / n,
                total.mrr / n,
                total.recall / n
            )?;
            if missing > 0 {
                writeln!(out, "  ({missing} queries have no passage graded ≥ 2)")?;
            }
        }
    }
    Ok(ExitCode::from(EXIT_OK))
}

/// A temporary folder for the evaluation's indexes, removed when dropped.
struct ScratchDir(PathBuf);

impl ScratchDir {
    fn new() -> anyhow::Result<ScratchDir> {
        let dir = std::env::temp_dir().join(format!("polsearch-eval-{}", std::process::id()));
        fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(ScratchDir(dir))
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}
