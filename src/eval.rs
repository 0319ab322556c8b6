//! Measuring analysis: compound-split precision and recall on a test set, and retrieval
//! quality (nDCG@10, MRR@10, recall@10) on judged queries.
//!
//! Every change to analysis is judged by these numbers (`polsearch eval`). The test data lives
//! in `bench/`; this module only reads it and computes.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use crate::compound::{Lexicon, Params, Splitter};
use crate::ingest;
use crate::lang::LanguageDetector;
use crate::source;

/// One compound of the test set: the word and its gold split points (byte offsets into the
/// lowercased word).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldCompound {
    pub word: String,
    pub boundaries: BTreeSet<usize>,
}

/// Reads `compound<TAB>seg|men|ta|tion[<TAB>note]` lines; `#` starts a comment line.
pub fn read_compounds(text: &str) -> Result<Vec<GoldCompound>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut columns = line.split('\t');
        let (Some(_), Some(segmented)) = (columns.next(), columns.next()) else {
            return Err(format!(
                "line {}: expected compound<TAB>segmentation",
                n + 1
            ));
        };
        let mut word = String::new();
        let mut boundaries = BTreeSet::new();
        for (i, piece) in segmented.trim().split('|').enumerate() {
            if i > 0 {
                boundaries.insert(word.len());
            }
            word.push_str(piece);
        }
        out.push(GoldCompound {
            word: word.to_lowercase(),
            boundaries,
        });
    }
    Ok(out)
}

/// Split points the analysis makes in a lowercased word: at hyphens (the tokenizer) and
/// wherever `splitter` cuts the pieces between them.
pub fn predicted_boundaries(splitter: &Splitter, word: &str) -> BTreeSet<usize> {
    let mut out = BTreeSet::new();
    let mut offset = 0;
    for (i, piece) in word.split('-').enumerate() {
        if i > 0 {
            offset += 1; // the hyphen
            out.insert(offset);
        }
        for cut in splitter.boundaries(piece) {
            out.insert(offset + cut);
        }
        offset += piece.len();
    }
    out
}

/// Compound-split quality on a test set.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SplitScores {
    pub compounds: usize,
    /// Split points found that are right / all found.
    pub precision: f64,
    /// Split points found that are right / all in the test set.
    pub recall: f64,
    pub f1: f64,
    /// Compounds whose split points are exactly right.
    pub exact: f64,
    /// Must-not-split words that were split, by name.
    pub false_splits: Vec<String>,
    pub no_split_words: usize,
}

/// Scores `splitter` on `gold` and on `no_split` words.
pub fn score_splits(
    splitter: &Splitter,
    gold: &[GoldCompound],
    no_split: &[String],
) -> SplitScores {
    let (mut right, mut found, mut expected, mut exact) = (0usize, 0usize, 0usize, 0usize);
    for compound in gold {
        let predicted = predicted_boundaries(splitter, &compound.word);
        right += predicted.intersection(&compound.boundaries).count();
        found += predicted.len();
        expected += compound.boundaries.len();
        exact += usize::from(predicted == compound.boundaries);
    }
    let precision = ratio(right, found);
    let recall = ratio(right, expected);
    SplitScores {
        compounds: gold.len(),
        precision,
        recall,
        f1: if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        },
        exact: ratio(exact, gold.len()),
        false_splits: no_split
            .iter()
            .filter(|w| !predicted_boundaries(splitter, &w.to_lowercase()).is_empty())
            .cloned()
            .collect(),
        no_split_words: no_split.len(),
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// The German lexicon a full rebuild of `corpus` would learn (before tail induction).
pub fn learn_lexicon(corpus: &Path) -> std::io::Result<Lexicon> {
    let walk = source::walk(corpus)?;
    let detector = LanguageDetector::new();
    let lexicon = walk
        .files
        .par_iter()
        .filter_map(|file| ingest::ingest(file, &detector).ok())
        .map(|docs| {
            let mut lexicon = Lexicon::new();
            for doc in &docs {
                crate::indexer::learn_words(&mut lexicon, doc);
            }
            lexicon
        })
        .reduce(Lexicon::new, |mut a, b| {
            a.merge(b);
            a
        });
    Ok(lexicon)
}

/// The grid `--grid` searches for the splitter's parameters.
pub fn parameter_grid() -> Vec<Params> {
    let mut grid = Vec::new();
    for min_part in [4, 5] {
        for min_freq in [1, 2] {
            for whole_weight in [1.0, 0.3, 0.1, 0.0] {
                for min_tail_words in [2, 3, 5, u32::MAX] {
                    grid.push(Params {
                        min_part,
                        min_freq,
                        whole_weight,
                        min_tail_words,
                        ..Params::default()
                    });
                }
            }
        }
    }
    grid
}

/// A judged query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JudgedQuery {
    pub id: String,
    pub lang: String,
    pub query: String,
    /// Grade (0–3) per passage id.
    pub grades: HashMap<String, u8>,
}

/// Reads `id<TAB>lang<TAB>query[<TAB>need]` and `query_id<TAB>passage_id<TAB>grade` files.
pub fn read_judgments(queries: &str, qrels: &str) -> Result<Vec<JudgedQuery>, String> {
    let rows = |text: &str| -> Vec<Vec<String>> {
        text.lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .map(|l| l.split('\t').map(|c| c.trim().to_string()).collect())
            .collect()
    };
    let mut out: Vec<JudgedQuery> = Vec::new();
    for row in rows(queries) {
        let [id, lang, query, ..] = row.as_slice() else {
            return Err(format!(
                "queries: expected id<TAB>lang<TAB>query, got {row:?}"
            ));
        };
        out.push(JudgedQuery {
            id: id.clone(),
            lang: lang.clone(),
            query: query.clone(),
            grades: HashMap::new(),
        });
    }
    for row in rows(qrels) {
        let [qid, passage, grade, ..] = row.as_slice() else {
            return Err(format!(
                "qrels: expected query_id<TAB>passage_id<TAB>grade, got {row:?}"
            ));
        };
        let grade: u8 = grade
            .parse()
            .ok()
            .filter(|g| *g <= 3)
            .ok_or_else(|| format!("qrels: grade {grade:?} is not 0–3"))?;
        let query = out
            .iter_mut()
            .find(|q| &q.id == qid)
            .ok_or_else(|| format!("qrels: unknown query {qid}"))?;
        query.grades.insert(passage.clone(), grade);
    }
    Ok(out)
}

/// Retrieval quality of one ranked list against a query's grades, at cut-off 10.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct QueryScores {
    pub ndcg: f64,
    pub mrr: f64,
    pub recall: f64,
}

/// A passage graded 2 or 3 counts as relevant for MRR and recall; nDCG uses every grade.
pub const RELEVANT_GRADE: u8 = 2;
pub const CUTOFF: usize = 10;

/// Scores a ranked list of passage ids (unjudged passages count as grade 0).
pub fn score_ranking(ranked: &[String], grades: &HashMap<String, u8>) -> QueryScores {
    let gain = |g: u8| f64::from((1u32 << g) - 1);
    let discount = |rank: usize| 1.0 / ((rank + 2) as f64).log2();
    let top = &ranked[..ranked.len().min(CUTOFF)];
    let dcg: f64 = top
        .iter()
        .enumerate()
        .map(|(i, id)| gain(grades.get(id).copied().unwrap_or(0)) * discount(i))
        .sum();
    let mut ideal: Vec<u8> = grades.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(CUTOFF)
        .enumerate()
        .map(|(i, g)| gain(*g) * discount(i))
        .sum();
    let relevant = |id: &String| grades.get(id).is_some_and(|g| *g >= RELEVANT_GRADE);
    let mrr = top
        .iter()
        .position(relevant)
        .map_or(0.0, |i| 1.0 / (i + 1) as f64);
    let total_relevant = grades.values().filter(|g| **g >= RELEVANT_GRADE).count();
    QueryScores {
        ndcg: if idcg > 0.0 { dcg / idcg } else { 0.0 },
        mrr,
        recall: ratio(top.iter().filter(|id| relevant(id)).count(), total_relevant),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gold_segmentations_become_boundaries() {
        let gold = read_compounds("# header\nMarktüberwachungsbehörde\tmarkt|überwachungs|behörde\nKI-Verordnung\tki-|verordnung\tnote\n")
            .expect("parses");
        assert_eq!(gold[0].word, "marktüberwachungsbehörde");
        let cuts: Vec<&str> = gold[0]
            .boundaries
            .iter()
            .map(|&c| &gold[0].word[..c])
            .collect();
        assert_eq!(cuts, ["markt", "marktüberwachungs"]);
        assert_eq!(gold[1].boundaries, BTreeSet::from([3]));
        assert!(read_compounds("no tab here\n").is_err());
    }

    #[test]
    fn hyphens_are_split_points_and_scores_add_up() {
        let mut lexicon = Lexicon::new();
        lexicon
            .add_text("markt markt überwachung überwachung behörde behörde verordnung verordnung");
        let splitter = Splitter::new(lexicon, Params::default());
        let gold = read_compounds(
            "a\tmarkt|überwachungs|behörde\nb\tki-|verordnung\nc\twirtschafts|ordnung\n",
        )
        .expect("parses");
        let scores = score_splits(&splitter, &gold, &["Verordnung".to_string()]);
        assert_eq!(scores.compounds, 3);
        assert!((scores.precision - 1.0).abs() < 1e-9, "{scores:?}");
        assert!((scores.recall - 0.75).abs() < 1e-9, "{scores:?}");
        assert!((scores.exact - 2.0 / 3.0).abs() < 1e-9);
        assert!(scores.false_splits.is_empty());
    }

    #[test]
    fn ranking_metrics_follow_their_definitions() {
        let grades: HashMap<String, u8> = [("a", 3), ("b", 2), ("c", 0), ("d", 1)]
            .map(|(k, g)| (k.to_string(), g))
            .into();
        let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let perfect = score_ranking(&ids(&["a", "b", "d", "c"]), &grades);
        assert!((perfect.ndcg - 1.0).abs() < 1e-9);
        assert_eq!((perfect.mrr, perfect.recall), (1.0, 1.0));
        let late = score_ranking(&ids(&["x", "c", "b"]), &grades);
        assert!((late.mrr - 1.0 / 3.0).abs() < 1e-9);
        assert!((late.recall - 0.5).abs() < 1e-9);
        assert!(late.ndcg > 0.0 && late.ndcg < 0.5);
        assert_eq!(score_ranking(&[], &grades), QueryScores::default());
    }

    #[test]
    fn judgments_parse_and_reject_bad_rows() {
        let queries = "# id\tlang\tquery\tneed\nq01\tde\tBehörde\tneed\n";
        let judged = read_judgments(queries, "q01\tx#p1\t3\nq01\ty#p2\t0\n").expect("parses");
        assert_eq!(judged[0].grades.len(), 2);
        assert!(read_judgments(queries, "q99\tx#p1\t3\n").is_err());
        assert!(read_judgments(queries, "q01\tx#p1\t7\n").is_err());
    }
}
