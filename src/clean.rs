//! Cleaning across documents: boilerplate that recurs in many documents of one site or folder,
//! and the same text held by several documents (a page saved twice, an article syndicated with
//! other furniture, a consolidated law beside its original).
//!
//! The unit is the block (a paragraph, list item or quote), not the passage: a newsletter
//! teaser joined with the short paragraphs around it into one passage is still one block.
//! Decisions need the whole corpus, but a nightly run must not read the whole corpus, so they
//! are made from small [`DocSketch`]es — one fingerprint and one SimHash per block and a
//! MinHash of the document — that the index keeps for every file. [`decide`] is a pure function
//! of all sketches; the ingest stage then drops the blocks it names before cutting passages.
//!
//! - **Boilerplate**: a short block found in at least [`BOILERPLATE_MIN_DOCS`] documents of
//!   one site (or, without a known site, one folder), and in a good share of them, belongs to
//!   no document and is not indexed. Copies of one document count once; laws have none.
//! - **Near-duplicate documents**: a document whose word shingles lie mostly inside another's
//!   (MinHash estimate) is a copy of it; its blocks that match the original's exactly or
//!   nearly (SimHash) are not indexed again, and the original's passages list the copy.
//! - **Duplicate blocks**: a block whose text (case, punctuation and spacing aside) another
//!   document already holds is indexed once, in the first document in a fixed order, whose
//!   passage then lists the others in `also_in`.

use std::collections::{BTreeMap, HashMap, HashSet};

use rustc_hash::{FxHashMap, FxHashSet};

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use crate::document::BlockKind;
use crate::ingest::IngestedDoc;

/// Documents of one group that must hold a block before it can count as boilerplate.
pub const BOILERPLATE_MIN_DOCS: usize = 3;
/// Beyond this many documents a recurring block is boilerplate whatever the group's size;
/// below it, the block must also be in a fifth of the group.
const BOILERPLATE_SURE_DOCS: usize = 10;
/// Boilerplate is short: a block longer than this that recurs is shared content (a quoted
/// statement, a syndicated paragraph), handled as a duplicate instead.
const BOILERPLATE_MAX_WORDS: u32 = 100;
/// Hash functions of a document's MinHash signature.
const MINHASH_LEN: usize = 64;
/// Words per shingle for document similarity.
const SHINGLE_WORDS: usize = 4;
/// Documents with fewer distinct shingles are too short to compare by MinHash; their
/// blocks are still deduplicated exactly.
const MIN_SHINGLES: u32 = 30;
/// Share of a document's shingles that must lie inside another document for it to be a copy.
const ALIAS_CONTAINMENT: f64 = 0.7;
/// Blocks of a copy whose SimHash differs from one of the original's in at most this many
/// bits are the same block with small edits.
const SIMHASH_MAX_BITS: u32 = 6;
/// Blocks shorter than this are held once only between a copy and its original.
const MIN_SHARED_WORDS: u32 = 12;
/// Blocks shorter than this are matched exactly only: SimHash is noisy on a few words.
const SIMHASH_MIN_WORDS: u32 = 12;

/// What the cleaning decisions need to know of one block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockSketch {
    /// Position among the document's blocks.
    pub index: u32,
    /// xxh3 of the normalised text (lowercase words, no punctuation).
    pub fp: u64,
    pub sim: u64,
    pub words: u32,
    /// The block belongs to a law (or sits in an article, recital or annex): content by
    /// definition, never boilerplate.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub labelled: bool,
}

/// What the cleaning decisions need to know of one document; kept in the index's file record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocSketch {
    pub doc_id: String,
    /// The groups boilerplate is counted in: `site:<host or name>|<lang>`,
    /// `dir:<folder>|<lang>`.
    pub groups: Vec<String>,
    /// Prefers the original when several copies exist: richer metadata first.
    pub richness: u8,
    /// Length of the file name: `en.html` before `en-browser-saved.html`.
    pub name_len: u32,
    pub path: String,
    pub minhash: Vec<u32>,
    /// Distinct shingles of the document.
    pub shingles: u32,
    pub blocks: Vec<BlockSketch>,
}

/// What cleaning does to one document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// The document this one is a copy of.
    pub alias_of: Option<String>,
    /// Blocks that are boilerplate.
    pub boilerplate: Vec<u32>,
    /// Blocks held by another document, with that document's id.
    pub duplicates: Vec<(u32, String)>,
    /// Blocks this document holds for others too, with those documents' ids.
    pub also_in: BTreeMap<u32, Vec<String>>,
}

impl Decision {
    /// Whether the decision drops any block.
    pub fn drops(&self) -> bool {
        !self.boilerplate.is_empty() || !self.duplicates.is_empty()
    }

    /// Whether block `index` is left out.
    pub fn dropped(&self, index: u32) -> bool {
        self.boilerplate.contains(&index) || self.duplicates.iter().any(|(i, _)| *i == index)
    }

    /// A digest of the decision: when it changes, the document must be written again.
    pub fn digest(&self) -> u64 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(self.alias_of.as_deref().unwrap_or("\0").as_bytes());
        for index in &self.boilerplate {
            h.update(b"b");
            h.update(&index.to_le_bytes());
        }
        for (index, holder) in &self.duplicates {
            h.update(b"d");
            h.update(&index.to_le_bytes());
            h.update(holder.as_bytes());
        }
        for (index, others) in &self.also_in {
            h.update(b"a");
            h.update(&index.to_le_bytes());
            for other in others {
                h.update(other.as_bytes());
                h.update(b"\0");
            }
        }
        h.digest()
    }
}

/// The sketch of `doc`, from its blocks as extracted (before cleaning).
pub fn sketch(doc: &IngestedDoc) -> DocSketch {
    // Furniture is in the site's language: counting per language keeps the few strings that
    // translations of one text share (names, numbers, urls) from passing for it.
    let mut groups = Vec::new();
    if let Some(site) = site_key(doc) {
        groups.push(format!("site:{site}|{}", doc.lang));
    }
    let folder = doc.path.rsplit_once('/').map_or("", |(dir, _)| dir);
    groups.push(format!("dir:{folder}|{}", doc.lang));
    let meta = &doc.meta;
    let richness = [
        meta.title.is_some(),
        meta.date.is_some(),
        meta.author.is_some(),
        meta.url.is_some(),
        meta.site.is_some(),
    ]
    .into_iter()
    .filter(|known| *known)
    .count() as u8;
    let name_len = doc.path.rsplit('/').next().unwrap_or("").chars().count() as u32;
    // A law's text is content, never furniture, inside its articles, recitals and annexes
    // above all (where formulas recur across acts on purpose); the furniture of legal
    // pages is the extractor's business.
    let law = meta.doc_type.as_deref() == Some(crate::extract::meta::doc_type::LAW);
    let sections = crate::structure::sections(&doc.blocks);

    let mut minhash = MinHash::new();
    let mut window: Vec<u64> = Vec::with_capacity(SHINGLE_WORDS);
    let mut blocks = Vec::new();
    for (index, block) in doc.blocks.iter().enumerate() {
        if matches!(block.kind, BlockKind::Heading { .. }) {
            continue;
        }
        // One lower-cased copy per block; the words are slices of it.
        let lower = block.text.to_lowercase();
        let words = words(&lower);
        if words.is_empty() {
            continue;
        }
        let hashes: Vec<u64> = words.iter().map(|w| xxh3_64(w.as_bytes())).collect();
        for &hash in &hashes {
            if window.len() == SHINGLE_WORDS {
                window.remove(0);
            }
            window.push(hash);
            if window.len() == SHINGLE_WORDS {
                minhash.add(shingle_hash(&window));
            }
        }
        // The hash of the words joined by single spaces, without joining them.
        let mut fp = Xxh3::new();
        for (i, word) in words.iter().enumerate() {
            if i > 0 {
                fp.update(b" ");
            }
            fp.update(word.as_bytes());
        }
        blocks.push(BlockSketch {
            index: index as u32,
            fp: fp.digest(),
            sim: simhash(&hashes),
            words: words.len() as u32,
            labelled: law || sections.get(index).is_some_and(Option::is_some),
        });
    }
    DocSketch {
        doc_id: doc.doc_id.clone(),
        groups,
        richness,
        name_len,
        path: doc.path.clone(),
        shingles: minhash.distinct.len() as u32,
        minhash: minhash.signature,
        blocks,
    }
}

/// The site a document comes from, as a group key: the host of its url, else its stated site.
fn site_key(doc: &IngestedDoc) -> Option<String> {
    if let Some(url) = &doc.meta.url
        && let Some(rest) = url.split_once("://").map(|(_, rest)| rest)
    {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = host.trim_start_matches("www.").to_lowercase();
        if !host.is_empty() {
            return Some(host);
        }
    }
    doc.meta
        .site
        .as_ref()
        .map(|site| site.trim().to_lowercase())
        .filter(|site| !site.is_empty())
}

/// Lowercase words of `text`, punctuation dropped: what makes two blocks the same text.
/// The words of lower-cased `text`.
fn words(lower: &str) -> Vec<&str> {
    lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

fn shingle_hash(window: &[u64]) -> u64 {
    window.iter().fold(0u64, |acc, h| {
        acc.rotate_left(17) ^ h.wrapping_mul(0x9E37_79B9_7F4A_7C15)
    })
}

/// A 64-bit SimHash over the words of a block: blocks differing in a few words differ in
/// few bits. Words alone, not pairs, keep one changed word to one changed feature; order
/// matters little when only a copy's blocks are compared with its original's.
/// `hashes` are the words' hashes; a bit is set where more than half of them have it.
fn simhash(hashes: &[u64]) -> u64 {
    // The ones per bit position are counted eight positions to a word: byte k of
    // `packed[j]` counts bit 8k + j. Flushed before a byte can overflow; one shift, mask and
    // add per eight positions instead of a branch per position (this was a tenth of
    // indexing).
    const LOW_BITS: u64 = 0x0101_0101_0101_0101;
    let mut counts = [0u32; 64];
    let mut packed = [0u64; 8];
    let flush = |packed: &mut [u64; 8], counts: &mut [u32; 64]| {
        for (j, lane) in packed.iter_mut().enumerate() {
            for k in 0..8 {
                counts[8 * k + j] += ((*lane >> (8 * k)) & 0xff) as u32;
            }
            *lane = 0;
        }
    };
    for chunk in hashes.chunks(255) {
        for h in chunk {
            for (j, lane) in packed.iter_mut().enumerate() {
                *lane += (h >> j) & LOW_BITS;
            }
        }
        flush(&mut packed, &mut counts);
    }
    let n = hashes.len() as u32;
    counts.iter().enumerate().fold(
        0u64,
        |acc, (bit, &ones)| if 2 * ones > n { acc | 1 << bit } else { acc },
    )
}

/// A set of shingle hashes: they are hashes already, so hashing them again is waste.
type ShingleSet = HashSet<u64, std::hash::BuildHasherDefault<IdentityHasher>>;

#[derive(Default)]
struct IdentityHasher(u64);

impl std::hash::Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// The `(a, b)` of each MinHash slot's hash function, from a fixed SplitMix64 sequence.
static PERMUTATIONS: std::sync::LazyLock<Vec<(u64, u64)>> = std::sync::LazyLock::new(|| {
    let mut state: u64 = 0x5EED_0FC0_FFEE;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    (0..MINHASH_LEN).map(|_| (next() | 1, next())).collect()
});

/// A MinHash signature: per hash function the least value over the document's shingles.
struct MinHash {
    signature: Vec<u32>,
    distinct: ShingleSet,
}

impl MinHash {
    fn new() -> MinHash {
        MinHash {
            signature: vec![u32::MAX; MINHASH_LEN],
            distinct: ShingleSet::default(),
        }
    }

    fn add(&mut self, shingle: u64) {
        if !self.distinct.insert(shingle) {
            return;
        }
        // One hash function per slot: a multiply-add of the shingle's hash with odd
        // constants fixed per slot (the classic universal family; cheap, and fixed so
        // that signatures stored by earlier runs stay comparable).
        for (slot, (a, b)) in self.signature.iter_mut().zip(PERMUTATIONS.iter()) {
            let h = (shingle.wrapping_mul(*a).wrapping_add(*b) >> 32) as u32;
            *slot = (*slot).min(h);
        }
    }
}

/// Estimated Jaccard similarity of two documents' shingle sets.
fn jaccard(a: &DocSketch, b: &DocSketch) -> f64 {
    let same = a
        .minhash
        .iter()
        .zip(&b.minhash)
        .filter(|(x, y)| x == y)
        .count();
    same as f64 / MINHASH_LEN as f64
}

/// Share of `a`'s shingles that `b` holds too, from the Jaccard estimate and the set sizes.
fn containment(a: &DocSketch, b: &DocSketch, jaccard: f64) -> f64 {
    let common = jaccard / (1.0 + jaccard) * f64::from(a.shingles + b.shingles);
    (common / f64::from(a.shingles.max(1))).min(1.0)
}

/// The order in which documents claim blocks: originals before copies; among equals, richer
/// metadata, then the shorter file name, then the path.
fn precedence(a: &DocSketch, b: &DocSketch) -> std::cmp::Ordering {
    b.richness
        .cmp(&a.richness)
        .then(a.name_len.cmp(&b.name_len))
        .then(a.path.cmp(&b.path))
        .then(a.doc_id.cmp(&b.doc_id))
}

/// Decides, for every document, which of its blocks are boilerplate or held elsewhere.
/// The result is keyed by document id and covers every sketch given.
pub fn decide(sketches: &[&DocSketch]) -> BTreeMap<String, Decision> {
    let mut order: Vec<&DocSketch> = sketches.to_vec();
    order.sort_by(|a, b| precedence(a, b));
    let rank: HashMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, s)| (s.doc_id.as_str(), i))
        .collect();

    let alias_of = find_aliases(&order, &rank);
    // The original of every document, by position in `order` (itself when it is no copy).
    let roots: Vec<usize> = order
        .iter()
        .map(|sketch| {
            let mut current = sketch.doc_id.as_str();
            // Chains are short and acyclic (see `find_aliases`); the bound is a guard only.
            for _ in 0..order.len() {
                match alias_of.get(current) {
                    Some(next) => current = next,
                    None => break,
                }
            }
            rank[current]
        })
        .collect();

    let boilerplate = find_boilerplate(&order, &roots);

    // Originals claim their blocks before their copies, so a copy's blocks fall to it.
    let mut claim_order: Vec<&DocSketch> = order.clone();
    claim_order.sort_by_key(|s| {
        (
            alias_of.contains_key(s.doc_id.as_str()),
            rank[s.doc_id.as_str()],
        )
    });

    let mut decisions: BTreeMap<String, Decision> = BTreeMap::new();
    // The first document keeping each text that can be held for another document (of
    // `MIN_SHARED_WORDS` or more: a fingerprint stands for its words, so their count is the
    // same everywhere), and every text kept by a document that has copies; by rank. These two
    // maps are most of the memory of cleaning a large corpus (a hundred times the bench
    // corpus has ten million blocks), hence compact keys and only the entries a lookup can
    // want.
    let mut has_copies = vec![false; order.len()];
    for (me, &root) in roots.iter().enumerate() {
        if root != me {
            has_copies[root] = true;
        }
    }
    let mut owner: FxHashMap<u64, (u32, u32)> = FxHashMap::default();
    let mut kept: FxHashMap<(u32, u64), u32> = FxHashMap::default();
    for sketch in claim_order {
        let me = rank[sketch.doc_id.as_str()];
        let original_rank = (roots[me] != me).then_some(roots[me]);
        let original = original_rank.map(|o| order[o]);
        let mut decision = Decision {
            alias_of: original.map(|o| o.doc_id.clone()),
            ..Decision::default()
        };
        for block in &sketch.blocks {
            if boilerplate.contains(&(sketch.doc_id.as_str(), block.fp)) {
                decision.boilerplate.push(block.index);
                continue;
            }
            // A copy's block is held by its original when the original kept the same text,
            // or nearly the same. Between documents that are not copies of each other only
            // substantial shared prose is held once: a short formula ("The President",
            // "Whereas:") is no shared passage, and the article of one law must stay
            // citable in that law even where another law words it alike.
            let shared_prose = block.words >= MIN_SHARED_WORDS && !block.labelled;
            let in_original = |fp: u64| {
                let o = original_rank?;
                kept.get(&(o as u32, fp)).map(|index| (o, *index))
            };
            let held = in_original(block.fp)
                .or_else(|| {
                    owner
                        .get(&block.fp)
                        .map(|&(holder, index)| (holder as usize, index))
                        .filter(|(holder, _)| shared_prose && *holder != me)
                })
                .or_else(|| in_original(near_match(block, original?)?));
            match held {
                Some((holder, index)) => {
                    let holder = order[holder].doc_id.clone();
                    decision.duplicates.push((block.index, holder.clone()));
                    let others = decisions
                        .entry(holder)
                        .or_default()
                        .also_in
                        .entry(index)
                        .or_default();
                    if !others.contains(&sketch.doc_id) {
                        others.push(sketch.doc_id.clone());
                    }
                }
                None => {
                    // Repeats inside one document are the passage splitter's business.
                    if has_copies[me] {
                        kept.entry((me as u32, block.fp)).or_insert(block.index);
                    }
                    if block.words >= MIN_SHARED_WORDS {
                        owner.entry(block.fp).or_insert((me as u32, block.index));
                    }
                }
            }
        }
        let entry = decisions.entry(sketch.doc_id.clone()).or_default();
        let also_in = std::mem::take(&mut entry.also_in);
        *entry = decision;
        entry.also_in = also_in;
    }
    decisions
}

/// The original of each copy. A document is a copy of another when most of its shingles lie
/// inside it; when both lie mostly inside each other, the one later in precedence is the
/// copy. Candidates come from MinHash bands (locality-sensitive hashing), so the comparison
/// is not quadratic in the number of documents.
fn find_aliases<'a>(
    order: &[&'a DocSketch],
    rank: &HashMap<&str, usize>,
) -> HashMap<&'a str, String> {
    const BANDS: usize = 16;
    const ROWS: usize = MINHASH_LEN / BANDS;
    let mut buckets: HashMap<(usize, u64), Vec<usize>> = HashMap::new();
    for (i, sketch) in order.iter().enumerate() {
        if sketch.shingles < MIN_SHINGLES || sketch.minhash.len() != MINHASH_LEN {
            continue;
        }
        for band in 0..BANDS {
            let rows = &sketch.minhash[band * ROWS..(band + 1) * ROWS];
            let key = rows
                .iter()
                .fold(0u64, |acc, v| acc.rotate_left(23) ^ u64::from(*v));
            buckets.entry((band, key)).or_default().push(i);
        }
    }
    let mut pairs: HashSet<(usize, usize)> = HashSet::new();
    for members in buckets.values() {
        for (n, &a) in members.iter().enumerate() {
            for &b in &members[n + 1..] {
                pairs.insert((a.min(b), a.max(b)));
            }
        }
    }
    let mut pairs: Vec<(usize, usize)> = pairs.into_iter().collect();
    pairs.sort_unstable();

    // Best original per copy: highest containment, then precedence.
    let mut best: HashMap<&'a str, (f64, usize)> = HashMap::new();
    for (a, b) in pairs {
        let (sa, sb) = (order[a], order[b]);
        let j = jaccard(sa, sb);
        let a_in_b = containment(sa, sb, j);
        let b_in_a = containment(sb, sa, j);
        let mut consider = |copy: &'a DocSketch, original: usize, share: f64| {
            let entry = best
                .entry(copy.doc_id.as_str())
                .or_insert((0.0, usize::MAX));
            if share > entry.0 || (share == entry.0 && original < entry.1) {
                *entry = (share, original);
            }
        };
        // `a` precedes `b` in `order` (a < b), so on mutual containment `b` is the copy.
        if b_in_a >= ALIAS_CONTAINMENT {
            consider(sb, a, b_in_a);
        } else if a_in_b >= ALIAS_CONTAINMENT {
            consider(sa, b, a_in_b);
        }
    }
    let mut alias_of: HashMap<&'a str, String> = best
        .into_iter()
        .map(|(copy, (_, original))| (copy, order[original].doc_id.clone()))
        .collect();
    // A copy-of-a-copy cycle cannot arise from the rules above except through ties broken
    // differently per pair; cut any edge that points to a later document in a cycle.
    let ids: Vec<&str> = alias_of.keys().copied().collect();
    for id in ids {
        let mut seen = HashSet::new();
        let mut current = id.to_string();
        while let Some(next) = alias_of.get(current.as_str()) {
            if !seen.insert(current.clone()) {
                let later = seen
                    .iter()
                    .max_by_key(|d| rank.get(d.as_str()).copied().unwrap_or(0))
                    .cloned()
                    .unwrap_or(current.clone());
                alias_of.retain(|k, _| *k != later);
                break;
            }
            current = next.clone();
        }
    }
    alias_of
}

/// Blocks (`(doc_id, fingerprint)`) that are boilerplate of their document's groups.
fn find_boilerplate<'a>(order: &[&'a DocSketch], roots: &[usize]) -> HashSet<(&'a str, u64)> {
    // Groups by number; per group its distinct originals, and per (group, fingerprint) the
    // originals holding it, up to `BOILERPLATE_SURE_DOCS` (more decide nothing more). One
    // entry per short block of the corpus: kept small.
    let mut group_ids: FxHashMap<&str, u32> = FxHashMap::default();
    let mut group_docs: Vec<FxHashSet<u32>> = Vec::new();
    let mut holders: FxHashMap<(u32, u64), Vec<u32>> = FxHashMap::default();
    for (sketch, &original) in order.iter().zip(roots) {
        let original = original as u32;
        for group in &sketch.groups {
            let next = group_ids.len() as u32;
            let id = *group_ids.entry(group.as_str()).or_insert(next);
            if id == next {
                group_docs.push(FxHashSet::default());
            }
            group_docs[id as usize].insert(original);
            for block in &sketch.blocks {
                if block.labelled || block.words > BOILERPLATE_MAX_WORDS {
                    continue;
                }
                let docs = holders.entry((id, block.fp)).or_default();
                if docs.len() < BOILERPLATE_SURE_DOCS && !docs.contains(&original) {
                    docs.push(original);
                }
            }
        }
    }
    let is_boilerplate = |group: &str, fp: u64| -> bool {
        let Some(&id) = group_ids.get(group) else {
            return false;
        };
        let Some(docs) = holders.get(&(id, fp)) else {
            return false;
        };
        let size = group_docs[id as usize].len();
        docs.len() >= BOILERPLATE_MIN_DOCS
            && (docs.len() >= BOILERPLATE_SURE_DOCS || docs.len() * 5 >= size)
    };
    let mut out = HashSet::new();
    for sketch in order {
        for block in &sketch.blocks {
            if sketch.groups.iter().any(|g| is_boilerplate(g, block.fp)) {
                out.insert((sketch.doc_id.as_str(), block.fp));
            }
        }
    }
    out
}

/// The fingerprint of the block of `original` that `block` is a lightly edited copy of.
fn near_match(block: &BlockSketch, original: &DocSketch) -> Option<u64> {
    if block.words < SIMHASH_MIN_WORDS {
        return None;
    }
    original
        .blocks
        .iter()
        .filter(|b| b.words >= SIMHASH_MIN_WORDS)
        .map(|b| ((b.sim ^ block.sim).count_ones(), b.index, b.fp))
        .filter(|(bits, _, _)| *bits <= SIMHASH_MAX_BITS)
        .min()
        .map(|(_, _, fp)| fp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Block, Metadata};

    fn doc(path: &str, paragraphs: &[&str]) -> IngestedDoc {
        IngestedDoc {
            doc_id: path.trim_end_matches(".txt").to_string(),
            path: path.to_string(),
            title: path.to_string(),
            meta: Metadata::default(),
            lang: "de".to_string(),
            passages: Vec::new(),
            repeated: 0,
            fragments: 0,
            alias_of: None,
            furniture: Vec::new(),
            boilerplate: 0,
            duplicates: 0,
            blocks: paragraphs
                .iter()
                .map(|p| Block::new(BlockKind::Paragraph, *p))
                .collect(),
        }
    }

    /// A paragraph of `n` words unique to `seed`.
    fn prose(seed: &str, n: usize) -> String {
        (0..n)
            .map(|i| format!("{seed}wort{i}"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn decide_docs(docs: &[IngestedDoc]) -> BTreeMap<String, Decision> {
        let sketches: Vec<DocSketch> = docs.iter().map(sketch).collect();
        decide(&sketches.iter().collect::<Vec<_>>())
    }

    const TEASER: &str = "Abonnieren Sie unseren Newsletter und lesen Sie jeden Freitag mehr.";

    #[test]
    fn a_block_in_three_pages_of_a_folder_is_boilerplate_in_two_it_is_not() {
        let bodies: Vec<String> = (0..3).map(|i| prose(&format!("s{i}"), 40)).collect();
        let three: Vec<IngestedDoc> = (0..3)
            .map(|i| doc(&format!("site/p{i}.txt"), &[&bodies[i], TEASER]))
            .collect();
        let decisions = decide_docs(&three);
        for d in &three {
            assert_eq!(decisions[&d.doc_id].boilerplate, vec![1], "{}", d.doc_id);
        }
        let decisions = decide_docs(&three[..2]);
        assert!(decisions["site/p0"].boilerplate.is_empty());
        // Two pages: a short shared line is neither furniture nor a shared passage.
        assert!(decisions.values().all(|d| d.duplicates.is_empty()));
        // Shared prose of some length is held once, by the first.
        let quote = prose("zitat", 20);
        let two = [
            doc("site/p0.txt", &[&bodies[0], &quote]),
            doc("site/p1.txt", &[&bodies[1], &quote]),
        ];
        let decisions = decide_docs(&two);
        assert!(decisions["site/p0"].duplicates.is_empty());
        assert_eq!(
            decisions["site/p1"].duplicates,
            vec![(1, "site/p0".to_string())]
        );
        assert_eq!(
            decisions["site/p0"].also_in.get(&1),
            Some(&vec!["site/p1".to_string()])
        );
    }

    #[test]
    fn a_rare_block_of_a_big_site_is_shared_content_not_boilerplate() {
        // Three pages of twenty hold the block: not a fifth of the site.
        let bodies: Vec<String> = (0..20).map(|i| prose(&format!("b{i}"), 40)).collect();
        let shared = prose("gemeinsam", 15);
        let docs: Vec<IngestedDoc> = (0..20)
            .map(|i| {
                let mut blocks = vec![bodies[i].as_str()];
                if i < 3 {
                    blocks.push(&shared);
                }
                doc(&format!("site/p{i:02}.txt"), &blocks)
            })
            .collect();
        let decisions = decide_docs(&docs);
        assert!(decisions.values().all(|d| d.boilerplate.is_empty()));
        assert_eq!(decisions["site/p01"].duplicates.len(), 1);
    }

    #[test]
    fn laws_and_long_blocks_are_never_boilerplate() {
        let formula =
            "Diese Verordnung ist in allen ihren Teilen verbindlich und gilt unmittelbar.";
        let long = prose("lang", 120);
        let docs: Vec<IngestedDoc> = (0..4)
            .map(|i| {
                let mut d = doc(
                    &format!("acts/a{i}.txt"),
                    &[&prose(&format!("a{i}"), 50), formula, &long],
                );
                d.meta.doc_type = Some("law".to_string());
                d
            })
            .collect();
        let decisions = decide_docs(&docs);
        assert!(decisions.values().all(|d| d.boilerplate.is_empty()));
        // Nor held by another act: each law stays whole, to be cited article by article.
        assert!(decisions.values().all(|d| d.duplicates.is_empty()));
    }

    #[test]
    fn a_copy_with_small_edits_is_an_alias_and_its_edited_blocks_are_matched() {
        let paragraphs: Vec<String> = (0..6).map(|i| prose(&format!("k{i}"), 30)).collect();
        let original: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
        let mut edited = paragraphs.clone();
        // One word changed in one paragraph, and a paragraph of its own.
        edited[2] = edited[2].replace("k2wort7 ", "geaendert ");
        edited.push(prose("eigen", 30));
        let copy: Vec<&str> = edited.iter().map(String::as_str).collect();
        let docs = [
            doc("news/bericht.txt", &original),
            doc("news/bericht-kopie.txt", &copy),
        ];
        let decisions = decide_docs(&docs);
        let copy = &decisions["news/bericht-kopie"];
        assert_eq!(copy.alias_of.as_deref(), Some("news/bericht"));
        let held: Vec<u32> = copy.duplicates.iter().map(|(i, _)| *i).collect();
        assert_eq!(held, vec![0, 1, 2, 3, 4, 5], "the edited block too");
        assert!(decisions["news/bericht"].alias_of.is_none());
        assert!(!copy.dropped(6), "the copy's own paragraph stays");
    }

    #[test]
    fn decisions_do_not_depend_on_the_order_documents_come_in() {
        let shared = prose("geteilt", 30);
        let a = doc("x/a.txt", &[&prose("a", 30), &shared]);
        let b = doc("x/b.txt", &[&prose("b", 30), &shared]);
        let forward = decide_docs(&[a.clone(), b.clone()]);
        let backward = decide_docs(&[b, a]);
        assert_eq!(forward, backward);
        assert_eq!(forward["x/b"].duplicates, vec![(1, "x/a".to_string())]);
    }

    #[test]
    fn the_original_is_the_one_with_richer_metadata_then_the_shorter_name() {
        let text: Vec<String> = (0..4).map(|i| prose(&format!("o{i}"), 30)).collect();
        let blocks: Vec<&str> = text.iter().map(String::as_str).collect();
        let plain = doc("en.txt", &blocks);
        let mut rich = doc("en-browser-saved.txt", &blocks);
        rich.meta.date = Some("2024-07-12".to_string());
        let decisions = decide_docs(&[plain.clone(), rich.clone()]);
        assert_eq!(
            decisions["en"].alias_of.as_deref(),
            Some("en-browser-saved")
        );
        rich.meta.date = None;
        let decisions = decide_docs(&[plain, rich]);
        assert_eq!(
            decisions["en-browser-saved"].alias_of.as_deref(),
            Some("en")
        );
    }

    #[test]
    fn simhash_tells_near_from_far() {
        let (s, t) = (prose("s", 40).to_lowercase(), prose("t", 40).to_lowercase());
        let hash = |words: Vec<&str>| -> Vec<u64> {
            words.iter().map(|w| xxh3_64(w.as_bytes())).collect()
        };
        let a = hash(words(&s));
        let mut b = a.clone();
        b[10] = xxh3_64(b"anders");
        let c = hash(words(&t));
        assert!((simhash(&a) ^ simhash(&b)).count_ones() <= SIMHASH_MAX_BITS);
        assert!((simhash(&a) ^ simhash(&c)).count_ones() > 16);
    }

    #[test]
    fn simhash_is_the_majority_of_each_bit() {
        let naive = |hashes: &[u64]| {
            (0..64).fold(0u64, |acc, bit| {
                let ones = hashes.iter().filter(|h| *h >> bit & 1 == 1).count();
                if 2 * ones > hashes.len() {
                    acc | 1 << bit
                } else {
                    acc
                }
            })
        };
        for n in [0usize, 1, 2, 7, 254, 255, 256, 600] {
            let hashes: Vec<u64> = (0..n as u64)
                .map(|i| xxh3_64(&i.to_le_bytes()) | u64::from(i % 3 == 0) << 63)
                .collect();
            assert_eq!(simhash(&hashes), naive(&hashes), "{n} hashes");
        }
    }
}
