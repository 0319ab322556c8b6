//! Choosing and ordering the matches of a query before any stored passage is read: the top
//! of the list by score with its ties kept whole, or every match (for sorting by date and
//! grouping by document), in an order that does not depend on how the index was built.
//!
//! Tantivy's `TopDocs` cuts a run of equal scores by segment and document address, which
//! change from one rebuild to the next; here every passage tying with the last one kept
//! stays in, and the order among equals is document id, then position in the document.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use super::schema;

/// Which matches to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// The best `n` by score, and every match tying with the `n`-th.
    Top(usize),
    /// Every match.
    All,
}

/// Collects `(score, address)` of the matches [`Keep`] asks for.
pub struct RankCollector {
    pub keep: Keep,
}

pub struct RankSegmentCollector {
    segment: SegmentOrdinal,
    keep: Keep,
    found: Vec<(Score, DocId)>,
    /// Scores below this cannot reach the top any more.
    floor: Score,
}

impl Collector for RankCollector {
    type Fruit = Vec<(Score, DocAddress)>;
    type Child = RankSegmentCollector;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        _reader: &SegmentReader,
    ) -> tantivy::Result<RankSegmentCollector> {
        Ok(RankSegmentCollector {
            segment,
            keep: self.keep,
            found: Vec::new(),
            floor: Score::NEG_INFINITY,
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(
        &self,
        segments: Vec<Vec<(Score, DocAddress)>>,
    ) -> tantivy::Result<Vec<(Score, DocAddress)>> {
        let mut all: Vec<(Score, DocAddress)> = segments.into_iter().flatten().collect();
        if let Keep::Top(n) = self.keep {
            keep_top(&mut all, n);
        }
        Ok(all)
    }
}

impl SegmentCollector for RankSegmentCollector {
    type Fruit = Vec<(Score, DocAddress)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if score < self.floor {
            return;
        }
        self.found.push((score, doc));
        if let Keep::Top(n) = self.keep
            && self.found.len() >= 2 * n.max(16)
        {
            self.floor = keep_top(&mut self.found, n);
        }
    }

    fn harvest(mut self) -> Self::Fruit {
        if let Keep::Top(n) = self.keep {
            keep_top(&mut self.found, n);
        }
        let segment = self.segment;
        self.found
            .into_iter()
            .map(|(score, doc)| (score, DocAddress::new(segment, doc)))
            .collect()
    }
}

/// Keeps the `n` best scores of `found` and all that tie with the `n`-th; returns that
/// `n`-th score (the lowest a later match needs).
fn keep_top<T>(found: &mut Vec<(Score, T)>, n: usize) -> Score {
    if n == 0 {
        found.clear();
        return Score::INFINITY;
    }
    if found.len() <= n {
        return Score::NEG_INFINITY;
    }
    found.select_nth_unstable_by(n - 1, |a, b| b.0.total_cmp(&a.0));
    let nth = found[n - 1].0;
    found.retain(|(score, _)| *score >= nth);
    nth
}

/// A match with what ordering needs, read from fast fields.
#[derive(Debug, Clone)]
pub struct Ranked {
    pub score: Score,
    pub address: DocAddress,
    pub doc_id: Arc<str>,
    pub ordinal: u64,
    /// The document's date (`YYYY-MM-DD` or shorter); read only when sorting by date.
    pub date: Option<Arc<str>>,
}

/// How the list is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Order {
    #[default]
    Relevance,
    /// Newest document first.
    DateDesc,
    /// Oldest document first.
    DateAsc,
}

/// The fast-field columns ordering reads, per segment of a searcher. Opening a string
/// column reads its dictionary's index, so it is done once per searcher, not per query.
#[derive(Clone)]
pub struct Columns {
    doc_id: Option<StrColumn>,
    ordinal: Option<tantivy::columnar::Column<u64>>,
    date: Option<StrColumn>,
}

impl Columns {
    /// The columns of every segment of `searcher`, by segment ordinal.
    pub fn open(searcher: &tantivy::Searcher) -> tantivy::Result<Vec<Columns>> {
        searcher
            .segment_readers()
            .iter()
            .map(|reader| {
                let fast = reader.fast_fields();
                Ok(Columns {
                    doc_id: fast.str(schema::DOC_ID)?,
                    ordinal: fast.column_opt::<u64>(schema::ORDINAL)?,
                    date: fast.str(schema::DATE)?,
                })
            })
            .collect()
    }
}

/// Reads position, and document id and date where asked, of each match from the fast
/// fields.
pub fn annotate(
    columns: &[Columns],
    matches: Vec<(Score, DocAddress)>,
    with_doc_id: bool,
    with_date: bool,
) -> tantivy::Result<Vec<Ranked>> {
    let mut by_segment: HashMap<SegmentOrdinal, SegmentValues> = HashMap::new();
    let mut out = Vec::with_capacity(matches.len());
    for (score, address) in matches {
        let values = by_segment.entry(address.segment_ord).or_insert_with(|| {
            SegmentValues::new(columns.get(address.segment_ord as usize), with_date)
        });
        let doc = address.doc_id;
        out.push(Ranked {
            score,
            address,
            doc_id: if with_doc_id {
                values.doc_id.value(doc)?.unwrap_or_else(|| Arc::from(""))
            } else {
                Arc::from("")
            },
            ordinal: values
                .ordinal
                .as_ref()
                .and_then(|c| c.first(doc))
                .unwrap_or(0),
            date: match &mut values.date {
                Some(date) => date.value(doc)?,
                None => None,
            },
        });
    }
    Ok(out)
}

/// Reads the document ids of the matches that tie in score with another, the only ones
/// whose order needs them: reading an id from the dictionary costs more than the search
/// of a typical query.
pub fn fill_tied_doc_ids(columns: &[Columns], ranked: &mut [Ranked]) -> tantivy::Result<()> {
    ranked.sort_unstable_by(|a, b| b.score.total_cmp(&a.score));
    let mut strings: HashMap<SegmentOrdinal, Strings> = HashMap::new();
    let mut start = 0;
    while start < ranked.len() {
        let score = ranked[start].score;
        let end = start
            + ranked[start..]
                .iter()
                .take_while(|r| r.score.total_cmp(&score).is_eq())
                .count();
        if end - start > 1 {
            for r in &mut ranked[start..end] {
                let segment = r.address.segment_ord;
                let values = strings.entry(segment).or_insert_with(|| {
                    Strings::new(columns.get(segment as usize).and_then(|c| c.doc_id.clone()))
                });
                r.doc_id = values
                    .value(r.address.doc_id)?
                    .unwrap_or_else(|| Arc::from(""));
            }
        }
        start = end;
    }
    Ok(())
}

/// Sorts `ranked` into the order of the result list.
pub fn sort(ranked: &mut [Ranked], order: Order) {
    let by_relevance = |a: &Ranked, b: &Ranked| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.doc_id.cmp(&b.doc_id))
            .then_with(|| a.ordinal.cmp(&b.ordinal))
    };
    // Undated documents go last either way: an unknown date is neither new nor old.
    let by_date = |a: &Ranked, b: &Ranked, newest_first: bool| match (&a.date, &b.date) {
        (Some(x), Some(y)) if newest_first => y.cmp(x),
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    match order {
        Order::Relevance => ranked.sort_unstable_by(by_relevance),
        Order::DateDesc => {
            ranked.sort_unstable_by(|a, b| by_date(a, b, true).then_with(|| by_relevance(a, b)))
        }
        Order::DateAsc => {
            ranked.sort_unstable_by(|a, b| by_date(a, b, false).then_with(|| by_relevance(a, b)))
        }
    }
}

/// Keeps at most `n` passages per document, in list order; returns, for each kept passage,
/// how many more of its document's passages matched when it is the last one kept of them.
pub fn per_doc(ranked: Vec<Ranked>, n: usize) -> Vec<(Ranked, Option<usize>)> {
    let mut totals: HashMap<Arc<str>, usize> = HashMap::new();
    for r in &ranked {
        *totals.entry(r.doc_id.clone()).or_default() += 1;
    }
    let mut shown: HashMap<Arc<str>, usize> = HashMap::new();
    let mut out = Vec::new();
    for r in ranked {
        let seen = shown.entry(r.doc_id.clone()).or_default();
        if *seen >= n {
            continue;
        }
        *seen += 1;
        let total = totals.get(&r.doc_id).copied().unwrap_or(0);
        let more = (*seen == n.min(total) && total > n).then(|| total - n);
        out.push((r, more));
    }
    out
}

/// The fast-field columns of one segment, and the strings already read from them.
struct SegmentValues {
    doc_id: Strings,
    ordinal: Option<tantivy::columnar::Column<u64>>,
    date: Option<Strings>,
}

impl SegmentValues {
    fn new(columns: Option<&Columns>, with_date: bool) -> SegmentValues {
        let columns = columns.cloned().unwrap_or(Columns {
            doc_id: None,
            ordinal: None,
            date: None,
        });
        SegmentValues {
            doc_id: Strings::new(columns.doc_id),
            ordinal: columns.ordinal,
            date: with_date.then(|| Strings::new(columns.date)),
        }
    }
}

/// A string column with the values already read, by term ordinal: many passages share a
/// document id or a date.
struct Strings {
    column: Option<StrColumn>,
    seen: HashMap<u64, Arc<str>>,
}

impl Strings {
    fn new(column: Option<StrColumn>) -> Strings {
        Strings {
            column,
            seen: HashMap::new(),
        }
    }

    fn value(&mut self, doc: DocId) -> tantivy::Result<Option<Arc<str>>> {
        let Some(column) = &self.column else {
            return Ok(None);
        };
        let Some(ord) = column.term_ords(doc).next() else {
            return Ok(None);
        };
        if let Some(value) = self.seen.get(&ord) {
            return Ok(Some(value.clone()));
        }
        let mut text = String::new();
        column.ord_to_str(ord, &mut text)?;
        let value: Arc<str> = Arc::from(text);
        self.seen.insert(ord, value.clone());
        Ok(Some(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranked(score: f32, doc_id: &str, ordinal: u64, date: Option<&str>) -> Ranked {
        Ranked {
            score,
            address: DocAddress::new(0, 0),
            doc_id: Arc::from(doc_id),
            ordinal,
            date: date.map(Arc::from),
        }
    }

    fn ids(list: &[Ranked]) -> Vec<String> {
        list.iter()
            .map(|r| format!("{}#p{}", r.doc_id, r.ordinal))
            .collect()
    }

    #[test]
    fn the_top_keeps_every_tie_with_its_last_score() {
        let mut found = vec![(1.0, 'a'), (3.0, 'b'), (2.0, 'c'), (2.0, 'd'), (2.0, 'e')];
        assert_eq!(keep_top(&mut found, 2), 2.0);
        let mut kept: Vec<char> = found.iter().map(|(_, c)| *c).collect();
        kept.sort();
        assert_eq!(kept, ['b', 'c', 'd', 'e']);
        let mut few = vec![(1.0, 'a')];
        assert_eq!(keep_top(&mut few, 5), Score::NEG_INFINITY);
        assert_eq!(few.len(), 1);
    }

    #[test]
    fn ties_order_by_document_then_position_and_undated_go_last() {
        let list = || {
            vec![
                ranked(1.0, "b", 2, Some("2023-01-01")),
                ranked(1.0, "b", 10, Some("2023-01-01")),
                ranked(1.0, "a", 7, None),
                ranked(2.0, "c", 1, Some("2021")),
                ranked(1.5, "d", 1, Some("2024-05-01")),
            ]
        };
        let mut by_score = list();
        sort(&mut by_score, Order::Relevance);
        assert_eq!(ids(&by_score), ["c#p1", "d#p1", "a#p7", "b#p2", "b#p10"]);
        let mut newest = list();
        sort(&mut newest, Order::DateDesc);
        assert_eq!(ids(&newest), ["d#p1", "b#p2", "b#p10", "c#p1", "a#p7"]);
        let mut oldest = list();
        sort(&mut oldest, Order::DateAsc);
        assert_eq!(ids(&oldest), ["c#p1", "b#p2", "b#p10", "d#p1", "a#p7"]);
    }

    #[test]
    fn per_doc_keeps_n_and_counts_the_rest_on_the_last_kept() {
        let list = vec![
            ranked(5.0, "a", 1, None),
            ranked(4.0, "a", 2, None),
            ranked(3.0, "b", 1, None),
            ranked(2.0, "a", 3, None),
            ranked(1.0, "a", 4, None),
        ];
        let grouped = per_doc(list, 2);
        let shown: Vec<(String, Option<usize>)> = grouped
            .iter()
            .map(|(r, more)| (format!("{}#p{}", r.doc_id, r.ordinal), *more))
            .collect();
        assert_eq!(
            shown,
            [
                ("a#p1".to_string(), None),
                ("a#p2".to_string(), Some(2)),
                ("b#p1".to_string(), None)
            ]
        );
    }
}
