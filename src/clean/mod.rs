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

mod spill;

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};

use rustc_hash::{FxHashMap, FxHashSet};

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use crate::document::BlockKind;
use crate::ingest::IngestedDoc;
use crate::letters::Letters;
use crate::scratch::ByteFile;
use spill::{BlockFile, Partitions};

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
    pub labelled: bool,
}

/// The sketches of a file's documents as the index stores them: postcard, a third of their
/// JSON, and much quicker to read back.
pub fn encode_sketches(sketches: &[DocSketch]) -> Vec<u8> {
    postcard::to_allocvec(sketches).expect("sketches serialise")
}

/// Sketches as [`encode_sketches`] wrote them.
pub fn decode_sketches(bytes: &[u8]) -> Result<Vec<DocSketch>, postcard::Error> {
    postcard::from_bytes(bytes)
}

/// What the cleaning decisions need to know of one document; kept in the index beside the
/// file's record.
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
    /// Whether the decision leaves the document as it is: no copy, nothing dropped, nothing
    /// held for others.
    pub fn is_empty(&self) -> bool {
        self.alias_of.is_none() && !self.drops() && self.also_in.is_empty()
    }

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

    let mut minhash = MinHash::new();
    // The last words' hashes, oldest first, and how many words there were so far.
    let mut window = [0u64; SHINGLE_WORDS];
    let mut seen = 0usize;
    // Buffers reused across blocks: every block of the corpus is sketched.
    let mut lower = String::new();
    let letters = Letters::get();
    let mut hashes: Vec<u64> = Vec::new();
    let mut joined: Vec<u8> = Vec::new();
    let mut blocks = Vec::new();
    for (index, block) in doc.blocks.iter().enumerate() {
        if matches!(block.kind, BlockKind::Heading { .. }) {
            continue;
        }
        if block.text.is_ascii() {
            lower.clear();
            lower.push_str(&block.text);
            lower.make_ascii_lowercase();
        } else {
            // Whole-string lower-casing: a final sigma is lower-cased by its place in a word.
            letters.lowercase_into(&block.text, &mut lower);
        }
        hashes.clear();
        joined.clear();
        for word in words(&lower, &letters) {
            hashes.push(xxh3_64(word.as_bytes()));
            // The fingerprint is of the words joined by single spaces.
            if !joined.is_empty() {
                joined.push(b' ');
            }
            joined.extend_from_slice(word.as_bytes());
        }
        if hashes.is_empty() {
            continue;
        }
        for &hash in &hashes {
            window.copy_within(1.., 0);
            window[SHINGLE_WORDS - 1] = hash;
            seen += 1;
            if seen >= SHINGLE_WORDS {
                minhash.add(shingle_hash(&window));
            }
        }
        blocks.push(BlockSketch {
            index: index as u32,
            fp: xxh3_64(&joined),
            sim: simhash(&hashes),
            words: hashes.len() as u32,
            labelled: law || doc.labelled.get(index).copied().unwrap_or(false),
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

/// The words of lower-cased text, punctuation dropped: what makes two blocks the same text.
fn words<'a>(lower: &'a str, letters: &Letters) -> impl Iterator<Item = &'a str> {
    lower
        .split(|c: char| !letters.is_alphanumeric(c))
        .filter(|w| !w.is_empty())
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
        // that signatures stored by earlier runs stay comparable), `(s * a + b) >> 32`
        // modulo 2^64. It is worked out in 32-bit halves, which the compiler turns into
        // vector instructions (x86-64 has no vector 64-bit multiply): every distinct
        // shingle of the corpus updates all 64 slots, and this was 4 % of a build.
        let signature: &mut [u32; MINHASH_LEN] = (&mut self.signature[..])
            .try_into()
            .expect("a signature has MINHASH_LEN slots");
        PERMUTATION_HALVES.lower(signature, shingle);
    }
}

/// [`PERMUTATIONS`] cut into 32-bit halves, one array per half.
struct PermutationHalves {
    a_low: [u32; MINHASH_LEN],
    a_high: [u32; MINHASH_LEN],
    b_low: [u32; MINHASH_LEN],
    b_high: [u32; MINHASH_LEN],
}

impl PermutationHalves {
    /// Lowers every slot of `signature` to the shingle's hash where that is less. With
    /// AVX2 (x86-64 machines of the last decade), eight slots at a time.
    fn lower(&self, signature: &mut [u32; MINHASH_LEN], shingle: u64) {
        let (sl, sh) = (shingle as u32, (shingle >> 32) as u32);
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor has AVX2, just checked.
            unsafe { self.lower_avx2(signature, sl, sh) };
            return;
        }
        self.lower_portable(signature, sl, sh);
    }

    #[inline(always)]
    fn lower_portable(&self, signature: &mut [u32; MINHASH_LEN], sl: u32, sh: u32) {
        for (i, slot) in signature.iter_mut().enumerate() {
            *slot = (*slot).min(self.hash(i, sl, sh));
        }
    }

    /// [`PermutationHalves::lower_portable`], compiled for AVX2.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn lower_avx2(&self, signature: &mut [u32; MINHASH_LEN], sl: u32, sh: u32) {
        self.lower_portable(signature, sl, sh);
    }

    /// Slot `i`'s hash of the shingle with halves `sl` (low) and `sh` (high): the top half
    /// of `s * a + b` modulo 2^64. The low halves' product plus `b`'s low half fits 64 bits
    /// (at most 2^64 - 2^32); its top half carries into the sum of the cross products and
    /// `b`'s top half, modulo 2^32.
    #[inline(always)]
    fn hash(&self, i: usize, sl: u32, sh: u32) -> u32 {
        let low = u64::from(sl) * u64::from(self.a_low[i]) + u64::from(self.b_low[i]);
        let cross = sh
            .wrapping_mul(self.a_low[i])
            .wrapping_add(sl.wrapping_mul(self.a_high[i]))
            .wrapping_add(self.b_high[i]);
        ((low >> 32) as u32).wrapping_add(cross)
    }
}

static PERMUTATION_HALVES: std::sync::LazyLock<PermutationHalves> =
    std::sync::LazyLock::new(|| {
        let mut halves = PermutationHalves {
            a_low: [0; MINHASH_LEN],
            a_high: [0; MINHASH_LEN],
            b_low: [0; MINHASH_LEN],
            b_high: [0; MINHASH_LEN],
        };
        for (i, (a, b)) in PERMUTATIONS.iter().enumerate() {
            halves.a_low[i] = *a as u32;
            halves.a_high[i] = (a >> 32) as u32;
            halves.b_low[i] = *b as u32;
            halves.b_high[i] = (b >> 32) as u32;
        }
        halves
    });

/// What cleaning keeps in memory of one document: everything but its blocks, which are in
/// the [`BlockFile`].
struct DocHead {
    doc_id: String,
    path: String,
    /// Group numbers (see [`Sketches::group_names`]).
    groups: Vec<u32>,
    richness: u8,
    name_len: u32,
    minhash: Box<[u32]>,
    shingles: u32,
    /// Where the blocks are in the block file, and how many.
    offset: u64,
    blocks: u32,
}

/// The sketches of every document of a run, for [`Sketches::decide`]. A document's head
/// stays in memory (a few hundred bytes); its blocks go to a scratch file, and cleaning
/// compares them across documents a slice of fingerprints at a time: a run's memory does
/// not grow with the number of blocks in the corpus.
pub struct Sketches {
    heads: Vec<DocHead>,
    /// The documents' ids, by head, once adding has ended: all that is kept of a head then
    /// (the rest, its MinHash above all, would sit through the whole writing of a large
    /// corpus).
    ids: Vec<Box<str>>,
    group_names: Vec<String>,
    group_ids: FxHashMap<String, u32>,
    /// Each file's documents.
    by_path: FxHashMap<String, FileSketches>,
    blocks: BlockFile,
    /// Each file's sketches whole, as the index stores them (postcard), for writing them;
    /// so the heads need only their document ids once cleaning has decided.
    files: ByteFile,
    /// Where scratch files go.
    scratch: PathBuf,
}

/// Where a file's sketches are: its documents are the heads `first..first + count`.
struct FileSketches {
    first: u32,
    count: u32,
    offset: u64,
    len: usize,
}

impl Sketches {
    /// An empty set, with its scratch files in `scratch`.
    pub fn new(scratch: &Path) -> io::Result<Sketches> {
        Ok(Sketches {
            heads: Vec::new(),
            ids: Vec::new(),
            group_names: Vec::new(),
            group_ids: FxHashMap::default(),
            by_path: FxHashMap::default(),
            blocks: BlockFile::new(scratch)?,
            files: ByteFile::new(scratch)?,
            scratch: scratch.to_path_buf(),
        })
    }

    /// Adds the sketches of the documents of the file at `path` (once per file).
    pub fn add(&mut self, path: &str, sketches: Vec<DocSketch>) -> io::Result<()> {
        debug_assert!(!self.by_path.contains_key(path), "{path} added twice");
        let whole = encode_sketches(&sketches);
        let whole_at = self.files.append(&whole)?;
        let first = self.heads.len() as u32;
        let count = sketches.len() as u32;
        for sketch in sketches {
            let offset = self.blocks.append(&sketch.blocks)?;
            let groups = sketch
                .groups
                .into_iter()
                .map(|group| {
                    let next = self.group_names.len() as u32;
                    *self.group_ids.entry(group).or_insert_with_key(|group| {
                        self.group_names.push(group.clone());
                        next
                    })
                })
                .collect();
            self.heads.push(DocHead {
                doc_id: sketch.doc_id,
                path: sketch.path,
                groups,
                richness: sketch.richness,
                name_len: sketch.name_len,
                minhash: sketch.minhash.into_boxed_slice(),
                shingles: sketch.shingles,
                offset,
                blocks: sketch.blocks.len() as u32,
            });
        }
        self.by_path.insert(
            path.to_string(),
            FileSketches {
                first,
                count,
                offset: whole_at,
                len: whole.len(),
            },
        );
        Ok(())
    }

    /// The ids of the documents of the file at `path`, in the order they were added. Only
    /// after [`Sketches::seal`] or [`Sketches::decide`].
    pub fn doc_ids(&self, path: &str) -> impl Iterator<Item = &str> {
        let range = self.by_path.get(path).map_or(0..0, |file| {
            file.first as usize..(file.first + file.count) as usize
        });
        self.ids[range].iter().map(|id| &**id)
    }

    /// The sketches of the file at `path` as added, encoded as the index stores them
    /// ([`encode_sketches`]); `None` for a file never added. Only after [`Sketches::decide`].
    pub fn encoded(&self, path: &str) -> io::Result<Option<Vec<u8>>> {
        match self.by_path.get(path) {
            Some(file) => self.files.read(file.offset, file.len).map(Some),
            None => Ok(None),
        }
    }

    /// Ends adding; [`Sketches::decide`] does it too.
    pub fn seal(&mut self) -> io::Result<()> {
        self.seal_files()?;
        self.retire_heads();
        Ok(())
    }

    fn seal_files(&mut self) -> io::Result<()> {
        self.blocks.seal()?;
        self.files.seal()
    }

    /// Keeps only the documents' ids of their heads.
    fn retire_heads(&mut self) {
        self.ids = std::mem::take(&mut self.heads)
            .into_iter()
            .map(|head| head.doc_id.into_boxed_str())
            .collect();
    }

    /// Decides, for every document, which of its blocks are boilerplate or held elsewhere.
    /// The result is keyed by document id and leaves out the documents that cleaning leaves
    /// as they are (most of a large corpus). Adding ends here.
    pub fn decide(&mut self) -> io::Result<BTreeMap<String, Decision>> {
        self.seal_files()?;
        let heads = &self.heads;
        let n = heads.len();
        // Documents by position in precedence (`order`) and the position of each (`rank`).
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_by(|&a, &b| precedence(&heads[a as usize], &heads[b as usize]));
        let mut rank = vec![0u32; n];
        for (position, &head) in order.iter().enumerate() {
            rank[head as usize] = position as u32;
        }
        let alias_of = find_aliases(heads, &order);
        // The original of every document (itself when it is no copy).
        let roots: Vec<usize> = (0..n)
            .map(|head| {
                let mut current = head;
                // Chains are short and acyclic (see `find_aliases`); the bound is a guard only.
                for _ in 0..n {
                    match alias_of[current] {
                        Some(next) => current = next,
                        None => break,
                    }
                }
                current
            })
            .collect();
        let boilerplate = self.find_boilerplate(&roots)?;
        let is_boilerplate = |head: usize, fp: u64| {
            heads[head]
                .groups
                .iter()
                .any(|&group| boilerplate.contains(&(group, fp)))
        };

        let mut decisions: Vec<Decision> = (0..n)
            .map(|head| Decision {
                alias_of: (roots[head] != head).then(|| heads[roots[head]].doc_id.clone()),
                ..Decision::default()
            })
            .collect();
        let copies = {
            let mut copies: Vec<usize> = (0..n).filter(|&h| roots[h] != h).collect();
            copies.sort_by_key(|&h| rank[h]);
            copies
        };
        // The texts of copies that another document may already hold (see below).
        let mut copy_texts: FxHashSet<u64> = FxHashSet::default();
        for &copy in &copies {
            for block in self.blocks_of(copy)? {
                if block.words >= MIN_SHARED_WORDS {
                    copy_texts.insert(block.fp);
                }
            }
        }

        // Documents that are no copy claim their blocks first, in precedence. Of the blocks
        // sharing a text of `MIN_SHARED_WORDS` or more (a fingerprint stands for its words,
        // so their count is the same everywhere), the first one in precedence is kept and
        // holds the text for the others. Between documents that are not copies of each
        // other only substantial shared prose is held once: a short formula ("The
        // President", "Whereas:") is no shared passage, and the article of one law must stay
        // citable in that law even where another law words it alike.
        const PROSE: u32 = 1 << 31;
        let total: u64 = heads.iter().map(|h| u64::from(h.blocks)).sum();
        let mut claims = Partitions::new(&self.scratch, total)?;
        let mut scan = self.blocks.scan()?;
        let mut blocks = Vec::new();
        for (head, doc) in heads.iter().enumerate() {
            scan.next_into(doc.blocks, &mut blocks)?;
            if roots[head] != head {
                continue;
            }
            for block in &blocks {
                if is_boilerplate(head, block.fp) {
                    decisions[head].boilerplate.push(block.index);
                } else if block.words >= MIN_SHARED_WORDS {
                    let prose = if block.labelled { 0 } else { PROSE };
                    claims.push((block.fp, rank[head], block.index | prose))?;
                }
            }
        }
        // The first holder of each text copies look for.
        let mut owner: FxHashMap<u64, (usize, u32)> = FxHashMap::default();
        claims.for_each_sorted(|records| {
            for run in records.chunk_by(|a, b| a.0 == b.0) {
                let (fp, owner_rank, owner_index) = run[0];
                let holder = order[owner_rank as usize] as usize;
                let owner_index = owner_index & !PROSE;
                if copy_texts.contains(&fp) {
                    owner.insert(fp, (holder, owner_index));
                }
                for &(_, other_rank, flagged) in &run[1..] {
                    if other_rank == owner_rank || flagged & PROSE == 0 {
                        // Repeats inside one document are the passage splitter's business.
                        continue;
                    }
                    let other = order[other_rank as usize] as usize;
                    hold(
                        &mut decisions,
                        heads,
                        (other, flagged & !PROSE),
                        (holder, owner_index),
                    );
                }
            }
            Ok(())
        })?;
        for decision in &mut decisions {
            decision
                .duplicates
                .sort_unstable_by_key(|(index, _)| *index);
        }

        // Then the copies, in precedence. A copy's block is held by its original when the
        // original kept the same text, or nearly the same; else as above.
        let mut copies_left: FxHashMap<usize, usize> = FxHashMap::default();
        for &copy in &copies {
            *copies_left.entry(roots[copy]).or_default() += 1;
        }
        // Per original with copies still to come: its blocks, and the first block keeping
        // each of its texts.
        let mut originals: FxHashMap<usize, (Vec<BlockSketch>, FxHashMap<u64, u32>)> =
            FxHashMap::default();
        for &copy in &copies {
            let original = roots[copy];
            if let Entry::Vacant(vacant) = originals.entry(original) {
                let blocks = self.blocks_of(original)?;
                let held: FxHashSet<u32> = decisions[original]
                    .duplicates
                    .iter()
                    .map(|(index, _)| *index)
                    .collect();
                let mut kept: FxHashMap<u64, u32> = FxHashMap::default();
                for block in &blocks {
                    if !is_boilerplate(original, block.fp) && !held.contains(&block.index) {
                        kept.entry(block.fp).or_insert(block.index);
                    }
                }
                vacant.insert((blocks, kept));
            }
            let (original_blocks, kept) = &originals[&original];
            for block in self.blocks_of(copy)? {
                if is_boilerplate(copy, block.fp) {
                    decisions[copy].boilerplate.push(block.index);
                    continue;
                }
                let shared_prose = block.words >= MIN_SHARED_WORDS && !block.labelled;
                let in_original = |fp: u64| kept.get(&fp).map(|&index| (original, index));
                let held = in_original(block.fp)
                    .or_else(|| {
                        owner
                            .get(&block.fp)
                            .copied()
                            .filter(|(holder, _)| shared_prose && *holder != copy)
                    })
                    .or_else(|| in_original(near_match(&block, original_blocks)?));
                match held {
                    Some(holder) => hold(&mut decisions, heads, (copy, block.index), holder),
                    None if block.words >= MIN_SHARED_WORDS => {
                        owner.entry(block.fp).or_insert((copy, block.index));
                    }
                    None => {}
                }
            }
            let left = copies_left.get_mut(&original).expect("counted above");
            *left -= 1;
            if *left == 0 {
                originals.remove(&original);
            }
        }

        let decisions = heads
            .iter()
            .zip(decisions)
            .filter(|(_, decision)| !decision.is_empty())
            .map(|(head, decision)| (head.doc_id.clone(), decision))
            .collect();
        self.retire_heads();
        Ok(decisions)
    }

    fn blocks_of(&self, head: usize) -> io::Result<Vec<BlockSketch>> {
        let head = &self.heads[head];
        self.blocks.read(head.offset, head.blocks)
    }

    /// The `(group, fingerprint)` pairs that are boilerplate. A block counts in each of its
    /// document's groups, once per original (copies of one document count once).
    fn find_boilerplate(&self, roots: &[usize]) -> io::Result<FxHashSet<(u32, u64)>> {
        let heads = &self.heads;
        let mut group_docs: Vec<FxHashSet<u32>> =
            vec![FxHashSet::default(); self.group_names.len()];
        for (head, doc) in heads.iter().enumerate() {
            for &group in &doc.groups {
                group_docs[group as usize].insert(roots[head] as u32);
            }
        }
        let expected: u64 = heads
            .iter()
            .map(|h| u64::from(h.blocks) * h.groups.len() as u64)
            .sum();
        let mut holders = Partitions::new(&self.scratch, expected)?;
        let mut scan = self.blocks.scan()?;
        let mut blocks = Vec::new();
        for (head, doc) in heads.iter().enumerate() {
            scan.next_into(doc.blocks, &mut blocks)?;
            for block in &blocks {
                if block.labelled || block.words > BOILERPLATE_MAX_WORDS {
                    continue;
                }
                for &group in &doc.groups {
                    holders.push((block.fp, group, roots[head] as u32))?;
                }
            }
        }
        let mut out = FxHashSet::default();
        holders.for_each_sorted(|records| {
            for run in records.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
                let docs = 1 + run.windows(2).filter(|w| w[0].2 != w[1].2).count();
                let size = group_docs[run[0].1 as usize].len();
                if docs >= BOILERPLATE_MIN_DOCS
                    && (docs >= BOILERPLATE_SURE_DOCS || docs * 5 >= size)
                {
                    out.insert((run[0].1, run[0].0));
                }
            }
            Ok(())
        })?;
        Ok(out)
    }
}

/// Records that block `index` of document `me` is held by block `index` of `holder`.
fn hold(decisions: &mut [Decision], heads: &[DocHead], me: (usize, u32), holder: (usize, u32)) {
    let (me, index) = me;
    let (holder, holder_index) = holder;
    decisions[me]
        .duplicates
        .push((index, heads[holder].doc_id.clone()));
    let others = decisions[holder].also_in.entry(holder_index).or_default();
    if !others.contains(&heads[me].doc_id) {
        others.push(heads[me].doc_id.clone());
    }
}

/// [`Sketches::decide`] for sketches at hand, with scratch files in the system's temporary
/// folder; every document has its decision, empty or not.
pub fn decide(sketches: &[&DocSketch]) -> io::Result<BTreeMap<String, Decision>> {
    let mut by_path: BTreeMap<&str, Vec<DocSketch>> = BTreeMap::new();
    for sketch in sketches {
        by_path
            .entry(sketch.path.as_str())
            .or_default()
            .push((*sketch).clone());
    }
    let mut all = Sketches::new(&std::env::temp_dir())?;
    for (path, sketches) in by_path {
        all.add(path, sketches)?;
    }
    let mut decisions = all.decide()?;
    for sketch in sketches {
        decisions.entry(sketch.doc_id.clone()).or_default();
    }
    Ok(decisions)
}

/// Estimated Jaccard similarity of two documents' shingle sets.
fn jaccard(a: &DocHead, b: &DocHead) -> f64 {
    let same = a
        .minhash
        .iter()
        .zip(b.minhash.iter())
        .filter(|(x, y)| x == y)
        .count();
    same as f64 / MINHASH_LEN as f64
}

/// Share of `a`'s shingles that `b` holds too, from the Jaccard estimate and the set sizes.
fn containment(a: &DocHead, b: &DocHead, jaccard: f64) -> f64 {
    let common = jaccard / (1.0 + jaccard) * f64::from(a.shingles + b.shingles);
    (common / f64::from(a.shingles.max(1))).min(1.0)
}

/// The order in which documents claim blocks: originals before copies; among equals, richer
/// metadata, then the shorter file name, then the path.
fn precedence(a: &DocHead, b: &DocHead) -> std::cmp::Ordering {
    b.richness
        .cmp(&a.richness)
        .then(a.name_len.cmp(&b.name_len))
        .then(a.path.cmp(&b.path))
        .then(a.doc_id.cmp(&b.doc_id))
}

/// The original of each copy (by head), `None` for a document that is no copy. A document
/// is a copy of another when most of its shingles lie inside it; when both lie mostly
/// inside each other, the one later in precedence is the copy. Candidates come from
/// MinHash bands (locality-sensitive hashing), so the comparison is not quadratic in the
/// number of documents; each band's keys are sorted rather than hashed into buckets, which
/// keeps the memory to one band's keys.
fn find_aliases(heads: &[DocHead], order: &[u32]) -> Vec<Option<usize>> {
    const BANDS: usize = 16;
    const ROWS: usize = MINHASH_LEN / BANDS;
    let comparable: Vec<u32> = (0..order.len() as u32)
        .filter(|&position| {
            let head = &heads[order[position as usize] as usize];
            head.shingles >= MIN_SHINGLES && head.minhash.len() == MINHASH_LEN
        })
        .collect();
    // Pairs of positions in `order`, the first before the second.
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    let mut keys: Vec<(u64, u32)> = Vec::with_capacity(comparable.len());
    for band in 0..BANDS {
        keys.clear();
        keys.extend(comparable.iter().map(|&position| {
            let head = &heads[order[position as usize] as usize];
            let rows = &head.minhash[band * ROWS..(band + 1) * ROWS];
            let key = rows
                .iter()
                .fold(0u64, |acc, v| acc.rotate_left(23) ^ u64::from(*v));
            (key, position)
        }));
        keys.sort_unstable();
        for run in keys.chunk_by(|a, b| a.0 == b.0) {
            for (i, &(_, a)) in run.iter().enumerate() {
                for &(_, b) in &run[i + 1..] {
                    pairs.push((a, b));
                }
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();

    // Best original per copy (both by position): highest containment, then precedence.
    let mut best: Vec<Option<(f64, u32)>> = vec![None; order.len()];
    for (a, b) in pairs {
        let (sa, sb) = (
            &heads[order[a as usize] as usize],
            &heads[order[b as usize] as usize],
        );
        let j = jaccard(sa, sb);
        let a_in_b = containment(sa, sb, j);
        let b_in_a = containment(sb, sa, j);
        let mut consider = |copy: u32, original: u32, share: f64| {
            let entry = &mut best[copy as usize];
            if entry.is_none_or(|(s, o)| share > s || (share == s && original < o)) {
                *entry = Some((share, original));
            }
        };
        // `a` precedes `b`, so on mutual containment `b` is the copy.
        if b_in_a >= ALIAS_CONTAINMENT {
            consider(b, a, b_in_a);
        } else if a_in_b >= ALIAS_CONTAINMENT {
            consider(a, b, a_in_b);
        }
    }
    let mut alias_of: Vec<Option<u32>> = best.iter().map(|b| b.map(|(_, o)| o)).collect();
    // A copy-of-a-copy cycle cannot arise from the rules above except through ties broken
    // differently per pair; cut the edge of the latest document in any cycle.
    for start in 0..alias_of.len() {
        let mut seen: Vec<u32> = Vec::new();
        let mut current = start as u32;
        while let Some(next) = alias_of[current as usize] {
            if seen.contains(&current) {
                let latest = *seen.iter().max().expect("a cycle has members");
                alias_of[latest as usize] = None;
                break;
            }
            seen.push(current);
            current = next;
        }
    }
    let mut by_head = vec![None; order.len()];
    for (position, original) in alias_of.into_iter().enumerate() {
        if let Some(original) = original {
            by_head[order[position] as usize] = Some(order[original as usize] as usize);
        }
    }
    by_head
}

/// The fingerprint of the block of an original (`original`, its blocks) that `block` is a
/// lightly edited copy of.
fn near_match(block: &BlockSketch, original: &[BlockSketch]) -> Option<u64> {
    if block.words < SIMHASH_MIN_WORDS {
        return None;
    }
    original
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
    use crate::document::Block;

    fn doc(path: &str, paragraphs: &[&str]) -> IngestedDoc {
        let blocks: Vec<Block> = paragraphs
            .iter()
            .map(|p| Block::new(BlockKind::Paragraph, *p))
            .collect();
        IngestedDoc {
            doc_id: path.trim_end_matches(".txt").to_string(),
            path: path.to_string(),
            title: path.to_string(),
            lang: "de".to_string(),
            // As ingesting finds them.
            labelled: crate::structure::sections(&blocks)
                .iter()
                .map(Option::is_some)
                .collect(),
            blocks,
            ..Default::default()
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
        decide(&sketches.iter().collect::<Vec<_>>()).expect("scratch files")
    }

    #[test]
    fn minhash_slots_are_lowered_alike_on_every_path() {
        let halves = &*PERMUTATION_HALVES;
        let mut x: u64 = 0x0FED_CBA9_8765_4321;
        let mut by_definition = [u32::MAX; MINHASH_LEN];
        let mut portable = [u32::MAX; MINHASH_LEN];
        let mut dispatched = [u32::MAX; MINHASH_LEN];
        for n in 0..5_000 {
            x = x.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(n);
            for (slot, (a, b)) in by_definition.iter_mut().zip(PERMUTATIONS.iter()) {
                *slot = (*slot).min((x.wrapping_mul(*a).wrapping_add(*b) >> 32) as u32);
            }
            halves.lower_portable(&mut portable, x as u32, (x >> 32) as u32);
            // AVX2 where the machine has it.
            halves.lower(&mut dispatched, x);
            assert_eq!(portable, by_definition);
            assert_eq!(dispatched, by_definition);
        }
    }

    #[test]
    fn minhash_halves_equal_the_64_bit_definition() {
        let halves = &*PERMUTATION_HALVES;
        let mut x: u64 = 0x0123_4567_89AB_CDEF;
        let extremes = [
            0,
            1,
            u64::MAX,
            u64::MAX - 1,
            1 << 32,
            (1 << 32) - 1,
            1 << 63,
        ];
        for n in 0..20_000 {
            x = x.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(n);
            let shingle = extremes.get(n as usize).copied().unwrap_or(x);
            for (i, (a, b)) in PERMUTATIONS.iter().enumerate() {
                let expected = (shingle.wrapping_mul(*a).wrapping_add(*b) >> 32) as u32;
                assert_eq!(
                    halves.hash(i, shingle as u32, (shingle >> 32) as u32),
                    expected
                );
            }
        }
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
    fn decisions_hold_across_many_scratch_partitions() {
        // Unit tests cut the comparison tables into partitions of 64 records: thirty pages
        // with four blocks in two groups make more than a dozen.
        // Longer than boilerplate can be: shared content, held once.
        let quote = prose("zitat", 120);
        let pages: Vec<IngestedDoc> = (0..30)
            .map(|i| {
                // Enough of their own that no page is a copy of another.
                let own = prose(&format!("s{i}"), 300);
                let more = prose(&format!("m{i}"), 20);
                doc(&format!("site/p{i}.txt"), &[&own, TEASER, &quote, &more])
            })
            .collect();
        let decisions = decide_docs(&pages);
        // Claim order: shorter names first, then by path.
        let mut claim: Vec<&str> = pages.iter().map(|p| p.doc_id.as_str()).collect();
        claim.sort_by_key(|id| (id.len(), id.to_string()));
        let first = claim[0];
        assert_eq!(first, "site/p0");
        for page in &pages {
            let decision = &decisions[&page.doc_id];
            assert_eq!(decision.alias_of, None);
            assert_eq!(decision.boilerplate, vec![1], "{}", page.doc_id);
            if page.doc_id == first {
                assert!(decision.duplicates.is_empty());
            } else {
                assert_eq!(decision.duplicates, vec![(2, first.to_string())]);
            }
        }
        let others: Vec<String> = claim[1..].iter().map(|id| id.to_string()).collect();
        assert_eq!(decisions[first].also_in.get(&2), Some(&others));
        assert_eq!(decisions[first].also_in.len(), 1);
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
    fn a_fingerprint_is_of_the_lower_cased_words_joined_by_spaces() {
        // Fingerprints are stored in the index and compared with those of later runs: this
        // pins their definition.
        let sketched = sketch(&doc(
            "a.txt",
            &["  Die KI-Verordnung, (EU) 2024/1689!", "ΟΔΥΣΣΕΑΣ σοφός"],
        ));
        let fps: Vec<u64> = sketched.blocks.iter().map(|b| b.fp).collect();
        assert_eq!(
            fps,
            [
                xxh3_64(b"die ki verordnung eu 2024 1689"),
                xxh3_64("οδυσσεας σοφός".as_bytes())
            ]
        );
        assert_eq!(sketched.blocks[0].words, 6);
    }

    #[test]
    fn simhash_tells_near_from_far() {
        let (s, t) = (prose("s", 40).to_lowercase(), prose("t", 40).to_lowercase());
        let letters = Letters::get();
        let hash = |text: &str| -> Vec<u64> {
            words(text, &letters)
                .map(|w| xxh3_64(w.as_bytes()))
                .collect()
        };
        let a = hash(&s);
        let mut b = a.clone();
        b[10] = xxh3_64(b"anders");
        let c = hash(&t);
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
