//! Collecting a heavy query's matches on every core. Tantivy runs whole segments in
//! parallel at most, and an index fresh from a build has one segment, so the union of a
//! query's common words ran on one core of two while the other idled.
//!
//! The documents are cut into runs (whole segments where there are enough of them); each
//! thread takes the next run not yet taken, with a scorer of its own per segment that it
//! moves forward from run to run. A thread that starts late (a pool thread must wake up
//! first) simply takes fewer runs, so the cores finish together.
//!
//! A document's score does not depend on where its scorer started: every scorer sums the
//! same sub-scores in the same order for it. So the threads' matches, merged by the
//! collector, are exactly those of one pass (`merge_fruits` must not depend on the order
//! of the parts it merges, as that of [`super::rank::RankCollector`] does not).

use std::sync::atomic::{AtomicUsize, Ordering};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{Scorer, Weight};
use tantivy::{DocId, Searcher, SegmentOrdinal};

/// Documents per run at least: enough that moving a scorer to the next run (each of its
/// postings skips ahead) costs little beside scoring the run.
const RUN_DOCS: DocId = 8_192;
/// Runs per thread at most, where segments are cut: enough that a late thread still gets its
/// share of a query's runs.
const RUNS_PER_THREAD: u64 = 4;

/// A run of documents of one segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    segment: SegmentOrdinal,
    start: DocId,
    end: DocId,
}

/// The matches of `weight` in `searcher`, collected by `collector` on `threads` threads
/// (the calling one and rayon's pool).
///
/// A scorer is made per segment and thread, and making them twice over cost more than the
/// second core saved on light queries of many segments (with runs of 8,192 documents in all
/// cases, p50 went from 9.7 to 12.1 ms at 100× the bench corpus, 52 segments). So where
/// there are enough segments to go round, each is one run, the largest first; only fewer
/// segments are cut.
pub fn collect<C: Collector>(
    searcher: &Searcher,
    weight: &dyn Weight,
    collector: &C,
    threads: usize,
) -> tantivy::Result<C::Fruit> {
    let sizes: Vec<DocId> = searcher
        .segment_readers()
        .iter()
        .map(|reader| reader.max_doc())
        .collect();
    let runs = if sizes.len() >= 2 * threads {
        whole_segments(&sizes)
    } else {
        let total: u64 = sizes.iter().map(|&n| u64::from(n)).sum();
        let share = total / (threads.max(1) as u64 * RUNS_PER_THREAD);
        runs(
            &sizes,
            DocId::try_from(share).unwrap_or(DocId::MAX).max(RUN_DOCS),
        )
    };
    collect_in_runs(searcher, weight, collector, threads, &runs)
}

/// [`collect`] in the given runs: in document order within a segment.
fn collect_in_runs<C: Collector>(
    searcher: &Searcher,
    weight: &dyn Weight,
    collector: &C,
    threads: usize,
    runs: &[Run],
) -> tantivy::Result<C::Fruit> {
    let next = AtomicUsize::new(0);
    let work = || collect_runs(searcher, weight, collector, runs, &next);
    let helpers = threads.clamp(1, runs.len().max(1)) - 1;
    let mut helped: Vec<tantivy::Result<Vec<_>>> = (0..helpers).map(|_| Ok(Vec::new())).collect();
    let mut own = Ok(Vec::new());
    rayon::in_place_scope(|scope| {
        for out in helped.iter_mut() {
            let work = &work;
            scope.spawn(move |_| *out = work());
        }
        own = work();
    });
    let mut fruits = own?;
    for part in helped {
        fruits.extend(part?);
    }
    collector.merge_fruits(fruits)
}

/// One thread's share: the runs it takes from `runs` (through `next`) until none is left,
/// collected per segment.
fn collect_runs<C: Collector>(
    searcher: &Searcher,
    weight: &dyn Weight,
    collector: &C,
    runs: &[Run],
    next: &AtomicUsize,
) -> tantivy::Result<Vec<<C::Child as SegmentCollector>::Fruit>> {
    let mut fruits = Vec::new();
    let mut current: Option<(SegmentOrdinal, C::Child, Box<dyn Scorer>)> = None;
    loop {
        let taken = next.fetch_add(1, Ordering::Relaxed);
        let Some(run) = runs.get(taken) else { break };
        // A segment's runs are taken in document order and never after another segment's,
        // so a thread's scorer only ever moves forward.
        if current
            .as_ref()
            .is_none_or(|(segment, ..)| *segment != run.segment)
        {
            if let Some((_, child, _)) = current.take() {
                fruits.push(child.harvest());
            }
            let reader = searcher.segment_reader(run.segment);
            let child = collector.for_segment(run.segment, reader)?;
            let scorer = weight.scorer(reader, 1.0)?;
            current = Some((run.segment, child, scorer));
        }
        let Some((_, child, scorer)) = current.as_mut() else {
            unreachable!("a scorer was just made for this segment")
        };
        let alive = searcher.segment_reader(run.segment).alive_bitset();
        let mut doc = scorer.doc();
        if doc < run.start {
            doc = scorer.seek(run.start);
        }
        while doc < run.end {
            if alive.is_none_or(|bits| bits.is_alive(doc)) {
                child.collect(doc, scorer.score());
            }
            doc = scorer.advance();
        }
    }
    if let Some((_, child, _)) = current {
        fruits.push(child.harvest());
    }
    Ok(fruits)
}

/// Each segment (of `sizes` documents each) whole, the largest first.
fn whole_segments(sizes: &[DocId]) -> Vec<Run> {
    let mut out: Vec<Run> = sizes
        .iter()
        .enumerate()
        .filter(|(_, size)| **size > 0)
        .map(|(segment, &size)| Run {
            segment: segment as SegmentOrdinal,
            start: 0,
            end: size,
        })
        .collect();
    out.sort_by_key(|run| std::cmp::Reverse(run.end));
    out
}

/// The documents of segments of `sizes` documents each, in document order, cut into runs of
/// at most `length`.
fn runs(sizes: &[DocId], length: DocId) -> Vec<Run> {
    let length = length.max(1);
    let mut out = Vec::new();
    for (segment, &size) in sizes.iter().enumerate() {
        let mut start = 0;
        while start < size {
            let end = start.saturating_add(length).min(size);
            out.push(Run {
                segment: segment as SegmentOrdinal,
                start,
                end,
            });
            start = end;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::rank::{Keep, RankCollector};
    use tantivy::collector::Count;
    use tantivy::query::{EnableScoring, Query, QueryParser};
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{DocAddress, Index, IndexWriter, Score, Term, doc};

    #[test]
    fn segments_are_cut_into_runs_in_document_order() {
        let cut = runs(&[5, 0, 3], 2);
        let as_tuples: Vec<_> = cut.iter().map(|r| (r.segment, r.start, r.end)).collect();
        assert_eq!(
            as_tuples,
            vec![(0, 0, 2), (0, 2, 4), (0, 4, 5), (2, 0, 2), (2, 2, 3)]
        );
        assert!(runs(&[], 8).is_empty());
        let whole: Vec<_> = whole_segments(&[5, 0, 9, 3])
            .iter()
            .map(|r| (r.segment, r.start, r.end))
            .collect();
        assert_eq!(whole, vec![(2, 0, 9), (0, 0, 5), (3, 0, 3)]);
        assert_eq!(runs(&[4], 0).len(), 4, "a run has at least one document");
    }

    /// An index of four segments, 150 short passages over a small vocabulary, some deleted.
    fn index() -> Index {
        let mut schema = Schema::builder();
        let text = schema.add_text_field("text", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        let words = [
            "data", "person", "process", "risk", "model", "system", "rule",
        ];
        for n in 0..150usize {
            let passage: Vec<&str> = (0..(3 + n % 7))
                .map(|i| words[(n * 7 + i * i * 3 + n / 5) % words.len()])
                .collect();
            writer
                .add_document(doc!(text => passage.join(" ")))
                .expect("add");
            if n % 40 == 39 {
                writer.commit().expect("commit");
            }
        }
        writer.commit().expect("commit");
        writer.delete_term(Term::from_field_text(text, "rule"));
        writer.commit().expect("commit");
        index
    }

    fn sorted(mut found: Vec<(Score, DocAddress)>) -> Vec<(u32, DocAddress)> {
        let mut out: Vec<(u32, DocAddress)> = found
            .drain(..)
            .map(|(score, address)| (score.to_bits(), address))
            .collect();
        out.sort_by_key(|&(score, address)| (score, address.segment_ord, address.doc_id));
        out
    }

    #[test]
    fn runs_on_two_threads_find_what_one_pass_finds() {
        let index = index();
        let reader = index.reader().expect("reader");
        let searcher = reader.searcher();
        assert_eq!(searcher.segment_readers().len(), 4);
        assert!(searcher.segment_readers().iter().any(|r| r.has_deletes()));
        let text = index.schema().get_field("text").expect("field");
        let parser = QueryParser::for_index(&index, vec![text]);
        for query in [
            "data",
            "data person",
            "+risk model",
            "+data +process -system",
            "\"data person\"",
            "\"person process\"~2 model",
        ] {
            let query = parser.parse_query(query).expect("query");
            let weight = query
                .weight(EnableScoring::enabled_from_searcher(&searcher))
                .expect("weight");
            for keep in [Keep::All, Keep::Top(5)] {
                let collector = RankCollector { keep };
                let one_pass = searcher.search(&query, &collector).expect("search");
                assert!(!one_pass.is_empty(), "{query:?} finds something");
                let sizes: Vec<DocId> = searcher
                    .segment_readers()
                    .iter()
                    .map(|r| r.max_doc())
                    .collect();
                for (cut, runs) in [
                    ("runs of 1", runs(&sizes, 1)),
                    ("runs of 3", runs(&sizes, 3)),
                    ("runs of 17", runs(&sizes, 17)),
                    ("runs of 1,000", runs(&sizes, 1_000)),
                    ("whole segments", whole_segments(&sizes)),
                ] {
                    let in_runs = collect_in_runs(&searcher, &*weight, &collector, 2, &runs)
                        .expect("collect");
                    assert_eq!(
                        sorted(in_runs),
                        sorted(one_pass.clone()),
                        "{query:?}, {keep:?}, {cut}"
                    );
                }
            }
            let count = searcher.search(&query, &Count).expect("count");
            let counted = collect(&searcher, &*weight, &Count, 2).expect("count in runs");
            assert_eq!(counted, count);
        }
    }
}
