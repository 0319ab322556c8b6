//! The proximity clause: the query's words standing near each other in a passage, counted the
//! same whatever else the index holds.
//!
//! Tantivy's sloppy `PhraseQuery` chains the words' positions in the order of its document
//! intersection, which sorts the words by how many passages of the segment hold them. With
//! three or more words, or two close to each other more than once, the count then depends on
//! unrelated passages: adding three one-word passages "data" changed a passage's count for
//! `"personal data processing"~20` from 2 to 3, and with it the order of hits across rebuilds.
//! Here the positions are always chained in the order of the query.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25Weight, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, TantivyError, Term};

/// Passages holding all of `terms` (one field) within `slop` positions of where the query puts
/// them, scored by BM25 on how many times they do.
#[derive(Clone, Debug)]
pub struct NearQuery {
    /// Each term with its position in the query.
    terms: Vec<(usize, Term)>,
    slop: u32,
}

impl NearQuery {
    /// `terms` must be two or more, of one field.
    pub fn new(terms: Vec<(usize, Term)>, slop: u32) -> NearQuery {
        assert!(terms.len() >= 2, "a proximity clause needs two terms");
        debug_assert!(terms.iter().all(|(_, t)| t.field() == terms[0].1.field()));
        NearQuery { terms, slop }
    }
}

impl Query for NearQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let bm25 = match enable_scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => {
                let terms: Vec<Term> = self.terms.iter().map(|(_, t)| t.clone()).collect();
                Some(Bm25Weight::for_terms(statistics_provider, &terms)?)
            }
            EnableScoring::Disabled { .. } => None,
        };
        Ok(Box::new(NearWeight {
            terms: self.terms.clone(),
            slop: self.slop,
            bm25,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (_, term) in &self.terms {
            visitor(term, true);
        }
    }
}

struct NearWeight {
    terms: Vec<(usize, Term)>,
    slop: u32,
    bm25: Option<Bm25Weight>,
}

impl NearWeight {
    fn near_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<NearScorer>> {
        let field = self.terms[0].1.field();
        let index = reader.inverted_index(field)?;
        let last = self.terms.iter().map(|(at, _)| *at).max().unwrap_or(0);
        let mut postings = Vec::with_capacity(self.terms.len());
        let mut shifts = Vec::with_capacity(self.terms.len());
        for (at, term) in &self.terms {
            let Some(list) = index.read_postings(term, IndexRecordOption::WithFreqsAndPositions)?
            else {
                return Ok(None);
            };
            postings.push(list);
            // Shifted so that words standing exactly as in the query share one position.
            shifts.push((last - at) as u32);
        }
        let fieldnorms = match &self.bm25 {
            Some(_) => reader.get_fieldnorms_reader(field)?,
            None => FieldNormReader::constant(reader.max_doc(), 1),
        };
        let mut lead: Vec<usize> = (0..postings.len()).collect();
        lead.sort_by_key(|&i| postings[i].size_hint());
        let mut scorer = NearScorer {
            postings,
            shifts,
            lead,
            slop: self.slop,
            bm25: self.bm25.as_ref().map(|w| w.boost_by(boost)),
            fieldnorms,
            doc: 0,
            count: 0,
            chain: Chain::default(),
        };
        scorer.doc = scorer.settle(0);
        Ok(Some(scorer))
    }
}

impl Weight for NearWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.near_scorer(reader, boost)? {
            Some(scorer) => Box::new(scorer),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let no_match = || TantivyError::InvalidArgument(format!("document #{doc} does not match"));
        let mut scorer = self.near_scorer(reader, 1.0)?.ok_or_else(no_match)?;
        if scorer.seek(doc) != doc {
            return Err(no_match());
        }
        let mut explanation = Explanation::new_with_string(
            format!("Near, words within {} positions", self.slop),
            scorer.score(),
        );
        // Read back by `explain::score_parts`: the field, and the clause as a query writes it.
        let words: Vec<String> = self
            .terms
            .iter()
            .filter_map(|(_, term)| term.value().as_str().map(str::to_string))
            .collect();
        explanation.add_context(format!(
            "field={}, \"{}\"~{}",
            self.terms[0].1.field().field_id(),
            words.join(" "),
            self.slop
        ));
        if let Some(bm25) = &self.bm25 {
            explanation.add_detail(bm25.explain(scorer.fieldnorms.fieldnorm_id(doc), scorer.count));
        }
        Ok(explanation)
    }
}

struct NearScorer {
    /// One list per query term, in query order.
    postings: Vec<SegmentPostings>,
    shifts: Vec<u32>,
    /// The lists by length: the shortest leads the intersection.
    lead: Vec<usize>,
    slop: u32,
    bm25: Option<Bm25Weight>,
    fieldnorms: FieldNormReader,
    doc: DocId,
    /// How many times the words stand near each other in `doc`.
    count: u32,
    chain: Chain,
}

impl NearScorer {
    /// The first passage at or after `target` holding every term near the others.
    fn settle(&mut self, target: DocId) -> DocId {
        let mut candidate = target;
        loop {
            candidate = self.next_common(candidate);
            if candidate == TERMINATED {
                self.count = 0;
                return TERMINATED;
            }
            self.count = self.count_here();
            if self.count > 0 {
                return candidate;
            }
            candidate += 1;
        }
    }

    /// The first passage at or after `target` holding every term.
    fn next_common(&mut self, target: DocId) -> DocId {
        let mut candidate = target;
        'search: loop {
            for &i in &self.lead {
                let list = &mut self.postings[i];
                let doc = match list.doc() {
                    // The usual step after a passage without the words near each other.
                    doc if doc + 1 == candidate => list.advance(),
                    doc if doc < candidate => list.seek(candidate),
                    doc => doc,
                };
                if doc == TERMINATED {
                    return TERMINATED;
                }
                if doc > candidate {
                    candidate = doc;
                    continue 'search;
                }
            }
            return candidate;
        }
    }

    fn count_here(&mut self) -> u32 {
        let (postings, shifts) = (&mut self.postings, &self.shifts);
        self.chain.count(postings.len(), self.slop, |k, out| {
            postings[k].positions_with_offset(shifts[k], out)
        })
    }
}

impl DocSet for NearScorer {
    fn advance(&mut self) -> DocId {
        if self.doc != TERMINATED {
            self.doc = self.settle(self.doc + 1);
        }
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc < target {
            self.doc = self.settle(target);
        }
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.postings
            .iter()
            .map(|p| p.size_hint())
            .min()
            .unwrap_or(0)
    }
}

impl Scorer for NearScorer {
    fn score(&mut self) -> Score {
        match &self.bm25 {
            Some(bm25) => bm25.score(self.fieldnorms.fieldnorm_id(self.doc), self.count),
            None => 1.0,
        }
    }
}

/// The positions of each term in one passage, and the buffers to chain them.
#[derive(Default)]
struct Chain {
    lists: Vec<Vec<u32>>,
    reached: Vec<(u32, u32)>,
    next: Vec<(u32, u32)>,
}

impl Chain {
    /// How many times the terms stand near each other: the occurrences of the last term
    /// reachable from the first one, chaining the terms in query order, with distances
    /// (beyond where the query puts them) adding up to at most `slop`; and at most as many
    /// as the occurrences of the first term that start such a chain, so that one "personal"
    /// beside five "data" counts once.
    ///
    /// `fill(k, out)` puts the positions of the `k`-th term into `out`; a term is read only
    /// once the ones before it are all near each other.
    fn count(&mut self, n: usize, slop: u32, mut fill: impl FnMut(usize, &mut Vec<u32>)) -> u32 {
        self.lists.resize_with(n, Vec::new);
        fill(0, &mut self.lists[0]);
        if n == 2 {
            fill(1, &mut self.lists[1]);
            let (first, last) = (&self.lists[0], &self.lists[1]);
            return near_in(last, first, slop).min(near_in(first, last, slop));
        }
        self.reached.clear();
        self.reached.extend(self.lists[0].iter().map(|&p| (p, 0)));
        for k in 1..n {
            fill(k, &mut self.lists[k]);
            step(&self.reached, &self.lists[k], slop, &mut self.next);
            std::mem::swap(&mut self.reached, &mut self.next);
            if self.reached.is_empty() {
                return 0;
            }
        }
        let forward = self.reached.len() as u32;
        if forward == 1 {
            // Some occurrence of the first term starts the one chain found.
            return 1;
        }
        // The same from the last term back to the first.
        self.reached.clear();
        self.reached
            .extend(self.lists[n - 1].iter().map(|&p| (p, 0)));
        for k in (0..n - 1).rev() {
            step(&self.reached, &self.lists[k], slop, &mut self.next);
            std::mem::swap(&mut self.reached, &mut self.next);
        }
        forward.min(self.reached.len() as u32)
    }
}

/// How many positions of `these` have one of `those` within `slop`.
fn near_in(these: &[u32], those: &[u32], slop: u32) -> u32 {
    let mut n = 0;
    let mut j = 0;
    for &p in these {
        while j < those.len() && those[j].saturating_add(slop) < p {
            j += 1;
        }
        match those.get(j) {
            Some(&q) if q <= p.saturating_add(slop) => n += 1,
            Some(_) => {}
            None => break,
        }
    }
    n
}

/// Each position of `to` with the least slop spent to reach it from a position of `from`
/// (`(position, slop spent)`, both ascending by position), kept where that is at most `slop`.
fn step(from: &[(u32, u32)], to: &[u32], slop: u32, out: &mut Vec<(u32, u32)>) {
    out.clear();
    // From the left: the least `spent - p` over the positions p at or before q.
    let mut best = i64::MAX;
    let mut j = 0;
    for &q in to {
        while j < from.len() && from[j].0 <= q {
            best = best.min(i64::from(from[j].1) - i64::from(from[j].0));
            j += 1;
        }
        let cost = best.saturating_add(i64::from(q));
        out.push((q, cost.clamp(0, i64::from(u32::MAX)) as u32));
    }
    // From the right: the least `spent + p` over the positions p at or after q.
    let mut best = i64::MAX;
    let mut j = from.len();
    for (q, cost) in out.iter_mut().rev() {
        while j > 0 && from[j - 1].0 >= *q {
            j -= 1;
            best = best.min(i64::from(from[j].1) + i64::from(from[j].0));
        }
        if best != i64::MAX {
            let right = (best - i64::from(*q)) as u32;
            *cost = (*cost).min(right);
        }
    }
    out.retain(|&(_, cost)| cost <= slop);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(lists: &[&[u32]], slop: u32) -> u32 {
        Chain::default().count(lists.len(), slop, |k, out| {
            out.clear();
            out.extend_from_slice(lists[k]);
        })
    }

    #[test]
    fn exact_phrases_count_each_occurrence() {
        // Positions already shifted: an exact occurrence puts every term on one position.
        assert_eq!(count(&[&[3, 10, 40], &[3, 10, 41], &[3, 10, 42]], 0), 2);
        assert_eq!(count(&[&[3], &[4]], 0), 0);
        assert_eq!(count(&[&[3], &[4]], 1), 1);
    }

    #[test]
    fn slop_is_spent_along_the_whole_chain() {
        // 2 + 3 = 5 positions away from the query's order in all.
        assert_eq!(count(&[&[10], &[12], &[9]], 5), 1);
        assert_eq!(count(&[&[10], &[12], &[9]], 4), 0);
        // Either side of the previous word counts, as with tantivy's slop.
        assert_eq!(count(&[&[10], &[7]], 3), 1);
    }

    #[test]
    fn one_word_beside_many_counts_once() {
        assert_eq!(count(&[&[5], &[3, 4, 6, 7]], 20), 1);
        assert_eq!(count(&[&[3, 4, 6, 7], &[5]], 20), 1);
        assert_eq!(count(&[&[1, 2], &[3, 4]], 20), 2);
    }

    /// The reproduction of tantivy's order dependence: its count was 2 or 3 for this passage
    /// depending on how many other passages held "data". Here the lists arrive in query
    /// order only, so the count is a property of the passage.
    #[test]
    fn the_count_depends_on_the_passage_alone() {
        // "person data process" with positions shifted by (2, 1, 0).
        let person: Vec<u32> = [3, 36, 45].iter().map(|p| p + 2).collect();
        let data: Vec<u32> = [4, 25, 27, 37, 41].iter().map(|p| p + 1).collect();
        let process: Vec<u32> = vec![1, 22];
        let n = count(&[&person, &data, &process], 20);
        assert_eq!(n, 2);
        let reversed = count(&[&process, &data, &person], 20);
        assert_eq!(
            reversed, n,
            "the same words near each other, read from the other end"
        );
    }

    /// The passage of tantivy's reproduction: "person data process" stands near itself twice.
    fn passage() -> String {
        let mut words: Vec<String> = (0..54).map(|i| format!("w{i}")).collect();
        for (at, word) in [
            (1, "process"),
            (3, "person"),
            (4, "data"),
            (22, "process"),
            (25, "data"),
            (27, "data"),
            (36, "person"),
            (37, "data"),
            (41, "data"),
            (45, "person"),
        ] {
            words[at] = word.to_string();
        }
        words.join(" ")
    }

    /// The count for `text` and the query `words` (slop 20) in an index that also holds
    /// `fillers` passages of `filler`; `None` where `text` does not match.
    fn count_in_index(text: &str, words: &[&str], fillers: usize, filler: &str) -> Option<u32> {
        use tantivy::schema::{Schema, TEXT};
        use tantivy::{Index, IndexWriter, doc};
        let mut builder = Schema::builder();
        let field = builder.add_text_field("text", TEXT);
        let index = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for _ in 0..fillers {
            writer.add_document(doc!(field => filler)).unwrap();
        }
        writer.add_document(doc!(field => text)).unwrap();
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let terms = words
            .iter()
            .enumerate()
            .map(|(at, word)| (at, Term::from_field_text(field, word)))
            .collect();
        let weight = NearWeight {
            terms,
            slop: 20,
            bm25: None,
        };
        let mut scorer = weight
            .near_scorer(searcher.segment_reader(0), 1.0)
            .unwrap()?;
        let target = fillers as DocId;
        (scorer.seek(target) == target).then_some(scorer.count)
    }

    /// Tantivy's sloppy phrase gave this passage 2 alone and 3 beside three passages "data".
    #[test]
    fn other_passages_do_not_change_a_count() {
        let words = ["person", "data", "process"];
        assert_eq!(count_in_index(&passage(), &words, 0, "data"), Some(2));
        for filler in words {
            assert_eq!(count_in_index(&passage(), &words, 3, filler), Some(2));
        }
    }

    /// A small deterministic generator (64-bit LCG): the tests need variety, not quality.
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: u32) -> u32 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((self.0 >> 33) % u64::from(n)) as u32
        }
    }

    /// With tantivy's phrase, 192 of 600 such passages changed count with the filler passages
    /// beside them, and 76 matched in one index and not in another.
    #[test]
    fn random_passages_count_the_same_beside_any_other_passages() {
        let mut random = Lcg(7);
        for _ in 0..40 {
            let mut words: Vec<String> = (0..80).map(|i| format!("w{i}")).collect();
            for word in ["a", "b", "c"] {
                for _ in 0..=random.below(3) {
                    words[random.below(80) as usize] = word.to_string();
                }
            }
            let text = words.join(" ");
            let query = ["a", "b", "c"];
            let alone = count_in_index(&text, &query, 0, "a");
            for filler in query {
                assert_eq!(count_in_index(&text, &query, 3, filler), alone, "{text}");
            }
        }
    }

    /// Every chain tried: the reachable first and last positions, the lesser count.
    fn brute_force(lists: &[Vec<u32>], slop: u32) -> u32 {
        use std::collections::BTreeSet;
        fn walk(
            lists: &[Vec<u32>],
            at: usize,
            path: &mut Vec<u32>,
            slop: u32,
            ends: &mut (BTreeSet<u32>, BTreeSet<u32>),
        ) {
            if at == lists.len() {
                let spent: u32 = path.windows(2).map(|w| w[0].abs_diff(w[1])).sum();
                if spent <= slop {
                    ends.0.insert(path[0]);
                    ends.1.insert(path[path.len() - 1]);
                }
                return;
            }
            for &p in &lists[at] {
                path.push(p);
                walk(lists, at + 1, path, slop, ends);
                path.pop();
            }
        }
        let mut ends = Default::default();
        walk(lists, 0, &mut Vec::new(), slop, &mut ends);
        ends.0.len().min(ends.1.len()) as u32
    }

    #[test]
    fn the_chain_count_agrees_with_trying_every_chain() {
        let mut random = Lcg(42);
        for case in 0..2_000 {
            let n = 2 + random.below(3) as usize;
            let lists: Vec<Vec<u32>> = (0..n)
                .map(|_| {
                    let mut list: Vec<u32> =
                        (0..=random.below(4)).map(|_| random.below(60)).collect();
                    list.sort_unstable();
                    list.dedup();
                    list
                })
                .collect();
            let slop = [0, 3, 10, 20][random.below(4) as usize];
            let slices: Vec<&[u32]> = lists.iter().map(Vec::as_slice).collect();
            assert_eq!(
                count(&slices, slop),
                brute_force(&lists, slop),
                "case {case}: {lists:?}, slop {slop}"
            );
        }
    }

    #[test]
    fn step_keeps_the_cheapest_way_to_each_position() {
        let mut out = Vec::new();
        step(&[(10, 3), (20, 0)], &[12, 18, 40], 5, &mut out);
        assert_eq!(out, vec![(12, 5), (18, 2)]);
    }
}
