//! German compound splitting with a lexicon learnt from the corpus itself.
//!
//! The lexicon is the word frequencies of the corpus's German text. A word is split where the
//! geometric mean of its parts' frequencies, discounted for each extra part, beats the
//! frequency of the whole word (Koehn & Knight 2003, "Empirical Methods for Compound
//! Splitting"). Non-final parts may carry a linking element (-s-, -es-, -n-, -en-, -er-, -e-,
//! -ens-) or have lost a final -e (`Schul|buch`). Parts must be long enough, frequent enough,
//! and neither a derivational suffix (`-schaft`, `-heit`) nor a function word (`unter`,
//! `über`): that keeps `Wirtschaft`, `Verordnung` and `Unternehmen` whole.
//!
//! Designed for German; the same method serves Dutch and the Scandinavian languages given
//! their own linking elements and stop lists. No IO here: the store persists the lexicon.

use std::collections::HashMap;

/// Linking elements (Fugenelemente) a non-final part may end with, longest first.
const LINKS: &[&str] = &["ens", "es", "en", "er", "s", "n", "e"];

/// Endings that are derivational suffixes, never compound parts of their own.
const SUFFIXES: &[&str] = &[
    "schaft",
    "schaften",
    "heit",
    "heiten",
    "keit",
    "keiten",
    "lich",
    "liche",
    "lichen",
    "licher",
    "liches",
    "isch",
    "ische",
    "ischen",
    "ung",
    "ungen",
    "nis",
    "nisse",
    "tion",
    "tionen",
    "ität",
    "itäten",
    "ismus",
    "chen",
    "lein",
    "bar",
    "bare",
    "baren",
    "sam",
    "same",
    "samen",
    "haft",
    "hafte",
    "haften",
    "weise",
    "ling",
    "linge",
    "tum",
    "tümer",
    "ieren",
    "ierung",
    "ierungen",
    "mäßig",
    "mäßige",
    "mäßigen",
    "artig",
    "artige",
    "artigen",
    "ende",
    "enden",
    "ender",
    "ungs",
    "ters",
    "tern",
    "lung",
    "lungen",
];

/// Function words and prefixes that look like parts but never are: `Unter|nehmen`,
/// `Über|gang` would otherwise be split wherever `unter` and `nehmen` are frequent.
const NOT_PARTS: &[&str] = &[
    "aber", "alle", "allem", "allen", "aller", "alles", "also", "ander", "andere", "anderen",
    "auch", "auf", "aus", "bei", "beim", "bereits", "bis", "dabei", "dafür", "dagegen", "daher",
    "damit", "dann", "daran", "darauf", "darf", "darin", "darum", "dass", "dein", "deine", "dem",
    "den", "denen", "denn", "der", "deren", "derer", "des", "dessen", "dies", "diese", "diesem",
    "diesen", "dieser", "dieses", "doch", "dort", "durch", "eben", "eine", "einem", "einen",
    "einer", "eines", "einig", "einige", "etwa", "etwas", "euer", "falls", "fort", "gegen", "gern",
    "hier", "hinter", "hinten", "ihre", "ihrem", "ihren", "ihrer", "ihres", "immer", "indem",
    "jede", "jedem", "jeden", "jeder", "jedes", "jene", "jenem", "jenen", "jener", "jetzt", "kann",
    "kein", "keine", "keinem", "keinen", "keiner", "mehr", "mein", "meine", "miss", "mit", "muss",
    "nach", "neben", "nicht", "noch", "nun", "nur", "oben", "oder", "ohne", "schon", "sehr",
    "seid", "sein", "seine", "seinem", "seinen", "seiner", "seit", "sich", "sie", "sind", "soll",
    "sollen", "sondern", "sowie", "über", "uber", "um", "und", "uns", "unser", "unter", "viel",
    "viele", "vom", "von", "vor", "voran", "voraus", "wann", "warum", "weil", "weiter", "welche",
    "welchem", "welchen", "welcher", "wenn", "werde", "werden", "wider", "wie", "wieder", "will",
    "wird", "wurde", "wurden", "zer", "zum", "zur", "zurück", "zusammen", "zwar", "zwischen",
    "ents", "vers", "bes", "ges", "inter", "trans", "super", "multi",
];

/// Tuning knobs of the splitter; [`Params::default`] is what indexing uses, chosen by
/// `polsearch eval` on `bench/compounds/`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Minimum length of a part in characters.
    pub min_part: usize,
    /// Minimum corpus frequency of a part.
    pub min_freq: u32,
    /// Factor applied to a split's score for each part beyond the second: below 1, it
    /// prefers fewer parts.
    pub part_penalty: f64,
    /// At most this many parts in one split.
    pub max_parts: usize,
    /// A split must score above this share of the whole word's frequency. Koehn & Knight
    /// use 1 (frequent compounds stay whole); retrieval wants `Behörde` to find even the
    /// most frequent `Marktüberwachungsbehörde`, so a smaller share may serve it better.
    pub whole_weight: f64,
    /// A word ending that follows a known word in this many different words becomes a part
    /// ([`Splitter::induce_tails`]).
    pub min_tail_words: u32,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            // Chosen on bench/compounds with `polsearch eval compounds --grid` over
            // ../shared/corpus and over it plus JRC-Acquis (de): the best F1 with no
            // must-not-split word split (see the issue notes for the table).
            min_part: 4,
            min_freq: 1,
            part_penalty: 0.8,
            max_parts: 4,
            whole_weight: 0.1,
            min_tail_words: 2,
        }
    }
}

/// Word frequencies of a language's text, lowercased.
///
/// Counted in a hash map while an index is built; stored with the index as a finite-state
/// transducer ([`Lexicon::to_fst`]) that a search loads without parsing (reading the
/// lexicon as text was a quarter of a search process's time).
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    counts: HashMap<String, u32>,
    /// The stored form, read only; `counts` is empty beside it.
    frozen: Option<fst::Map<Vec<u8>>>,
}

impl Lexicon {
    /// An empty lexicon: nothing is ever split.
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts the words of `text` (alphanumeric runs, as the tokenizer cuts them).
    pub fn add_text(&mut self, text: &str) {
        self.thaw();
        let mut lower = String::new();
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            if word.len() < 2 || !word.chars().all(char::is_alphabetic) {
                continue;
            }
            lower.clear();
            lower.extend(word.chars().flat_map(char::to_lowercase));
            // Allocate only for a word not seen before.
            match self.counts.get_mut(lower.as_str()) {
                Some(n) => *n += 1,
                None => {
                    self.counts.insert(lower.clone(), 1);
                }
            }
        }
    }

    /// Adds the counts of `other`.
    pub fn merge(&mut self, mut other: Lexicon) {
        self.thaw();
        other.thaw();
        for (word, n) in other.counts {
            *self.counts.entry(word).or_default() += n;
        }
    }

    pub fn frequency(&self, word: &str) -> u32 {
        match &self.frozen {
            Some(map) => map
                .get(word)
                .map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX)),
            None => self.counts.get(word).copied().unwrap_or(0),
        }
    }

    pub fn len(&self) -> usize {
        match &self.frozen {
            Some(map) => map.len(),
            None => self.counts.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Turns a stored lexicon back into counts, to add to it.
    fn thaw(&mut self) {
        use fst::Streamer;
        if let Some(map) = self.frozen.take() {
            let mut stream = map.stream();
            while let Some((word, n)) = stream.next() {
                self.counts.insert(
                    String::from_utf8_lossy(word).into_owned(),
                    u32::try_from(n).unwrap_or(u32::MAX),
                );
            }
        }
    }

    /// The lexicon as an FST map (word → count), the form an index stores.
    pub fn to_fst(&self) -> Result<Vec<u8>, fst::Error> {
        if let Some(map) = &self.frozen {
            return Ok(map.as_fst().as_bytes().to_vec());
        }
        let mut entries: Vec<(&str, u32)> =
            self.counts.iter().map(|(w, n)| (w.as_str(), *n)).collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut builder = fst::MapBuilder::memory();
        for (word, n) in entries {
            builder.insert(word, u64::from(n))?;
        }
        builder.into_inner()
    }

    /// Reads what [`Lexicon::to_fst`] wrote, without decoding it: lookups walk the bytes.
    pub fn from_fst(bytes: Vec<u8>) -> Result<Lexicon, fst::Error> {
        Ok(Lexicon {
            counts: HashMap::new(),
            frozen: Some(fst::Map::new(bytes)?),
        })
    }

    /// `word<TAB>count` lines, most frequent first (ties alphabetical): stable bytes for
    /// the same corpus.
    pub fn to_tsv(&self) -> String {
        let mut entries: Vec<(&String, &u32)> = self.counts.iter().collect();
        entries.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let mut out = String::with_capacity(entries.len() * 12);
        for (word, n) in entries {
            out.push_str(word);
            out.push('\t');
            out.push_str(&n.to_string());
            out.push('\n');
        }
        out
    }

    /// Reads what [`Lexicon::to_tsv`] wrote; malformed lines are skipped.
    pub fn from_tsv(text: &str) -> Lexicon {
        let counts = text
            .lines()
            .filter_map(|line| {
                let (word, n) = line.split_once('\t')?;
                Some((word.to_string(), n.trim().parse().ok()?))
            })
            .collect();
        Lexicon {
            counts,
            frozen: None,
        }
    }
}

/// Two lexicons are equal when they count the same words the same, stored or not.
impl PartialEq for Lexicon {
    fn eq(&self, other: &Lexicon) -> bool {
        let entries = |lexicon: &Lexicon| {
            let mut thawed = lexicon.clone();
            thawed.thaw();
            thawed
                .counts
                .into_iter()
                .collect::<std::collections::BTreeMap<_, _>>()
        };
        self.len() == other.len() && entries(self) == entries(other)
    }
}

impl Eq for Lexicon {}

/// One part of a split word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Byte range of the part in the word, its linking element included.
    pub start: usize,
    pub end: usize,
    /// The part as a word: linking element removed (or a lost `e` restored).
    pub form: String,
}

/// Splits words with a lexicon.
#[derive(Debug, Clone)]
pub struct Splitter {
    lexicon: Lexicon,
    params: Params,
}

impl Splitter {
    pub fn new(lexicon: Lexicon, params: Params) -> Self {
        Splitter { lexicon, params }
    }

    /// Learns parts that the corpus uses only inside compounds: a word ending that follows a
    /// known word (or a known word or compound, plus linking element) in at least
    /// [`Params::min_tail_words`] different words is added to the lexicon, with those words' summed frequency. So
    /// `Behörde` becomes a part where the corpus only ever writes `Datenschutzbehörde`,
    /// `Aufsichtsbehörde`, `Marktüberwachungsbehörde`. Runs once, when the lexicon is learnt.
    pub fn induce_tails(mut lexicon: Lexicon, params: Params) -> Lexicon {
        lexicon.thaw();
        let splitter = Splitter::new(lexicon, params);
        let mut tails: HashMap<&str, (u32, u32)> = HashMap::new();
        let mut compound_heads: HashMap<&str, bool> = HashMap::new();
        for (word, &freq) in &splitter.lexicon.counts {
            for (cut, _) in word.char_indices().skip(params.min_part) {
                let tail = &word[cut..];
                if tail.chars().count() < params.min_part {
                    break;
                }
                // A tail that is the end of a suffix (`chaft` of `-schaft`, `rung` of
                // `-ierung`) is a mis-cut derivation, not a word.
                if splitter.lexicon.frequency(tail) > 0
                    || SUFFIXES.iter().any(|suffix| suffix.ends_with(tail))
                    || NOT_PARTS.contains(&tail)
                {
                    continue;
                }
                // A known word starting just before the cut (`mitglied|staaten` against
                // `mitglieds|taaten`) means the real boundary lies there.
                let earlier_word = (1..=3).any(|back| {
                    cut >= back
                        && word.is_char_boundary(cut - back)
                        && splitter.lexicon.frequency(&word[cut - back..]) > 0
                });
                // Abstract nouns that only ever occur inside longer words are derivations
                // (`wahr|scheinlichkeit`), not parts.
                let derived = ["keit", "heit", "schaft", "igung"]
                    .iter()
                    .any(|end| tail.ends_with(end));
                if earlier_word || derived {
                    continue;
                }
                let head = &word[..cut];
                let known_head = splitter.head_form(head).is_some()
                    || LINKS
                        .iter()
                        .map(|link| head.strip_suffix(link).unwrap_or(head))
                        .chain([head])
                        .any(|h| {
                            *compound_heads
                                .entry(h)
                                .or_insert_with(|| splitter.split(h).is_some())
                        });
                if known_head {
                    let entry = tails.entry(tail).or_default();
                    entry.0 += 1;
                    entry.1 += freq;
                }
            }
        }
        let supported = |tail: &str| {
            tails
                .get(tail)
                .is_some_and(|(words, _)| *words >= params.min_tail_words)
        };
        let learnt: Vec<(String, u32)> = tails
            .iter()
            .filter(|(tail, _)| supported(tail))
            // `sbehörde` beside `behörde`: the linking element was cut into the tail.
            .filter(|(tail, _)| {
                !LINKS.iter().any(|link| {
                    tail.strip_prefix(link)
                        .is_some_and(|rest| supported(rest) || splitter.lexicon.frequency(rest) > 0)
                })
            })
            .map(|(tail, (_, freq))| (tail.to_string(), *freq))
            .collect();
        let mut lexicon = splitter.lexicon;
        lexicon.counts.extend(learnt);
        lexicon
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// The best split of the lowercase `word` into parts, or `None` when it is best kept
    /// whole.
    pub fn split(&self, word: &str) -> Option<Vec<Part>> {
        let p = &self.params;
        if self.lexicon.is_empty() || word.chars().count() < 2 * p.min_part {
            return None;
        }
        let whole = f64::from(self.lexicon.frequency(word)) * p.whole_weight;
        let (log_sum, parts) = self.best(word, 0, p.max_parts)?;
        (parts.len() > 1 && self.score(log_sum, parts.len()) > whole).then_some(parts)
    }

    /// Every word the split of `word` yields for the index: the parts, and recursively the
    /// parts of parts (`datenschutz|grundverordnung` also gives `daten`, `schutz`, …).
    pub fn parts(&self, word: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.collect_parts(word, &mut out, 0);
        out
    }

    fn collect_parts(&self, word: &str, out: &mut Vec<String>, depth: usize) {
        if depth > 3 {
            return;
        }
        if let Some(parts) = self.split(word) {
            for part in parts {
                if !out.contains(&part.form) {
                    out.push(part.form.clone());
                }
                self.collect_parts(&part.form, out, depth + 1);
            }
        }
    }

    /// Split points of `word` (byte offsets), recursively: what the test set is scored on.
    pub fn boundaries(&self, word: &str) -> Vec<usize> {
        let mut out = Vec::new();
        self.collect_boundaries(word, 0, &mut out, 0);
        out.sort_unstable();
        out.dedup();
        out
    }

    fn collect_boundaries(&self, word: &str, offset: usize, out: &mut Vec<usize>, depth: usize) {
        if depth > 3 {
            return;
        }
        if let Some(parts) = self.split(word) {
            for part in &parts {
                if part.start > 0 {
                    out.push(offset + part.start);
                }
                // Inside a part, only its word (without linking element) may split further.
                let surface = &word[part.start..part.end];
                let core = if surface.starts_with(part.form.as_str()) {
                    &surface[..part.form.len()]
                } else {
                    surface
                };
                self.collect_boundaries(core, offset + part.start, out, depth + 1);
            }
        }
    }

    /// Best split of `word[from..]` into at most `budget` parts, by [`Splitter::score`];
    /// returns the sum of the parts' log frequencies and the parts.
    fn best(&self, word: &str, from: usize, budget: usize) -> Option<(f64, Vec<Part>)> {
        let rest = &word[from..];
        // The whole word is not a candidate here: `split` weighs it against the best split.
        let whole = if from == 0 {
            None
        } else {
            self.part_frequency(rest)
        };
        let mut best: Option<(f64, Vec<Part>)> = whole.map(|freq| {
            let part = Part {
                start: from,
                end: word.len(),
                form: rest.to_string(),
            };
            (f64::from(freq).ln(), vec![part])
        });
        if budget < 2 {
            return best;
        }
        let min = self.params.min_part;
        for (offset, _) in rest.char_indices().skip(min) {
            let cut = from + offset;
            if word[cut..].chars().count() < min {
                break;
            }
            let Some((form, freq)) = self.head_form(&word[from..cut]) else {
                continue;
            };
            let Some((tail_log, tail_parts)) = self.best(word, cut, budget - 1) else {
                continue;
            };
            let log_sum = f64::from(freq).ln() + tail_log;
            let n = tail_parts.len() + 1;
            let better = match &best {
                None => true,
                Some((other_log, other)) => {
                    self.score(log_sum, n) > self.score(*other_log, other.len())
                }
            };
            if better {
                let mut parts = Vec::with_capacity(n);
                parts.push(Part {
                    start: from,
                    end: cut,
                    form,
                });
                parts.extend(tail_parts);
                best = Some((log_sum, parts));
            }
        }
        best
    }

    /// Koehn & Knight's score: the geometric mean of the parts' frequencies, discounted for
    /// each part beyond the second.
    fn score(&self, log_sum: f64, parts: usize) -> f64 {
        let mean = (log_sum / parts as f64).exp();
        mean * self
            .params
            .part_penalty
            .powi(parts.saturating_sub(2) as i32)
    }

    /// A non-final part: the surface itself, or without a linking element, or with a lost
    /// final `e` restored; the most frequent admissible form wins.
    fn head_form(&self, head: &str) -> Option<(String, u32)> {
        let mut best: Option<(String, u32)> = None;
        let mut consider = |form: &str| {
            if let Some(freq) = self.part_frequency(form)
                && best.as_ref().is_none_or(|(_, f)| freq > *f)
            {
                best = Some((form.to_string(), freq));
            }
        };
        consider(head);
        for link in LINKS {
            if let Some(stem) = head.strip_suffix(link) {
                consider(stem);
            }
        }
        // A lost final `e` (`Schul|buch`) is only possible after a consonant.
        if !head.ends_with(['a', 'e', 'i', 'o', 'u', 'ä', 'ö', 'ü']) {
            let mut restored = String::with_capacity(head.len() + 1);
            restored.push_str(head);
            restored.push('e');
            consider(&restored);
        }
        best
    }

    /// The frequency of `form` if it may be a part at all.
    fn part_frequency(&self, form: &str) -> Option<u32> {
        // The hash lookup first: most candidate strings are no word at all, and the lists
        // are scanned only for those that are.
        let freq = self.lexicon.frequency(form);
        if freq < self.params.min_freq.max(1)
            || form.chars().count() < self.params.min_part
            || SUFFIXES.contains(&form)
            || NOT_PARTS.contains(&form)
        {
            return None;
        }
        Some(freq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon(words: &[(&str, u32)]) -> Lexicon {
        Lexicon {
            counts: words.iter().map(|(w, n)| (w.to_string(), *n)).collect(),
            frozen: None,
        }
    }

    #[test]
    fn a_stored_lexicon_reads_back_the_same() {
        let counted = policy_lexicon();
        let stored = Lexicon::from_fst(counted.to_fst().unwrap()).unwrap();
        assert_eq!(stored.len(), counted.len());
        for (word, n) in &counted.counts {
            assert_eq!(stored.frequency(word), *n, "{word}");
        }
        assert_eq!(stored.frequency("nichtda"), 0);
        // Splits come out the same from either form.
        let (a, b) = (
            Splitter::new(counted, Params::default()),
            Splitter::new(stored.clone(), Params::default()),
        );
        for word in [
            "marktüberwachungsbehörde",
            "datenschutzgrundverordnung",
            "gipfel",
        ] {
            assert_eq!(forms(&a, word), forms(&b, word), "{word}");
        }
        // Adding to a stored lexicon counts on from its stored counts.
        let mut grown = stored;
        grown.add_text("Gipfel Gipfel");
        assert_eq!(
            grown.frequency("gipfel"),
            b.lexicon().frequency("gipfel") + 2
        );
        assert!(Lexicon::from_fst(b"not an fst".to_vec()).is_err());
        let counted = policy_lexicon();
        assert_eq!(
            Lexicon::from_fst(counted.to_fst().unwrap()).unwrap(),
            counted
        );
    }

    fn forms(splitter: &Splitter, word: &str) -> Vec<String> {
        splitter
            .split(word)
            .map(|parts| parts.into_iter().map(|p| p.form).collect())
            .unwrap_or_default()
    }

    fn policy_lexicon() -> Lexicon {
        lexicon(&[
            ("markt", 40),
            ("überwachung", 30),
            ("behörde", 50),
            ("behörden", 60),
            ("marktüberwachungsbehörde", 5),
            ("investition", 12),
            ("investitionen", 20),
            ("offensive", 3),
            ("daten", 80),
            ("schutz", 40),
            ("grund", 30),
            ("verordnung", 200),
            ("ordnung", 6),
            ("wirtschaft", 30),
            ("wirt", 2),
            ("schaft", 2),
            ("unternehmen", 30),
            ("unter", 200),
            ("nehmen", 20),
            ("hand", 10),
            ("handlung", 8),
            ("lung", 2),
            ("schule", 5),
            ("buch", 5),
            ("risiko", 30),
            ("system", 50),
            ("systeme", 40),
            ("hoch", 10),
        ])
    }

    #[test]
    fn splits_compounds_with_linking_elements() {
        let splitter = Splitter::new(policy_lexicon(), Params::default());
        assert_eq!(
            forms(&splitter, "marktüberwachungsbehörde"),
            ["markt", "überwachung", "behörde"]
        );
        assert_eq!(
            forms(&splitter, "investitionsoffensive"),
            ["investition", "offensive"]
        );
        assert_eq!(
            forms(&splitter, "datenschutzverordnung"),
            ["daten", "schutz", "verordnung"]
        );
        assert_eq!(
            forms(&splitter, "hochrisikosysteme"),
            ["hoch", "risiko", "systeme"]
        );
        assert_eq!(forms(&splitter, "schulbuch"), ["schule", "buch"]);
    }

    #[test]
    fn keeps_words_whose_parts_are_suffixes_prefixes_or_function_words() {
        let splitter = Splitter::new(policy_lexicon(), Params::default());
        for word in [
            "wirtschaft",
            "verordnung",
            "unternehmen",
            "handlung",
            "beamter",
            "behörde",
        ] {
            assert_eq!(
                forms(&splitter, word),
                Vec::<String>::new(),
                "{word} was split"
            );
        }
    }

    #[test]
    fn a_frequent_whole_word_beats_rare_parts() {
        let lex = lexicon(&[("datenschutz", 500), ("daten", 3), ("schutz", 3)]);
        let splitter = Splitter::new(lex, Params::default());
        assert!(splitter.split("datenschutz").is_none());
    }

    #[test]
    fn parts_recurse_and_boundaries_mark_the_split_points() {
        let lex = lexicon(&[
            ("datenschutz", 40),
            ("grundverordnung", 30),
            ("daten", 80),
            ("schutz", 40),
            ("grund", 30),
            ("verordnung", 200),
        ]);
        let splitter = Splitter::new(lex, Params::default());
        let parts = splitter.parts("datenschutzgrundverordnung");
        for part in ["daten", "schutz", "grund", "verordnung"] {
            assert!(parts.contains(&part.to_string()), "{parts:?} lacks {part}");
        }
        assert_eq!(
            splitter.boundaries("datenschutzgrundverordnung"),
            [5, 11, 16]
        );
        let word = "marktüberwachungsbehörde";
        let splitter = Splitter::new(policy_lexicon(), Params::default());
        let cuts = splitter.boundaries(word);
        assert_eq!(
            cuts.iter().map(|&c| &word[..c]).collect::<Vec<_>>(),
            ["markt", "marktüberwachungs"]
        );
    }

    #[test]
    fn lexicon_round_trips_and_counts_only_words() {
        let mut lex = Lexicon::new();
        lex.add_text("Die Behörde, die BEHÖRDE und 2024 Behörden-Chefs; x");
        assert_eq!(lex.frequency("behörde"), 2);
        assert_eq!(lex.frequency("2024"), 0);
        assert_eq!(lex.frequency("x"), 0);
        assert_eq!(Lexicon::from_tsv(&lex.to_tsv()), lex);
    }

    #[test]
    fn a_part_seen_only_inside_compounds_is_learnt() {
        let mut lex = Lexicon::new();
        lex.add_text(
            "Datenschutz Aufsicht Markt Datenschutzbehörde Aufsichtsbehörde Marktbehörde \
             Mitglied Staaten Mitgliedstaaten Eigen Eigenschaft Landschaft Land",
        );
        let params = Params::default();
        let lex = Splitter::induce_tails(lex, params);
        assert!(lex.frequency("behörde") >= 3, "behörde was not learnt");
        assert_eq!(
            lex.frequency("sbehörde"),
            0,
            "the linking s was cut into the part"
        );
        assert_eq!(lex.frequency("chaft"), 0);
        let splitter = Splitter::new(lex, params);
        assert_eq!(
            forms(&splitter, "datenschutzbehörde"),
            ["datenschutz", "behörde"]
        );
        assert_eq!(
            forms(&splitter, "aufsichtsbehörde"),
            ["aufsicht", "behörde"]
        );
        assert!(splitter.split("eigenschaft").is_none());
    }

    #[test]
    fn an_empty_lexicon_never_splits() {
        let splitter = Splitter::new(Lexicon::new(), Params::default());
        assert!(splitter.split("marktüberwachungsbehörde").is_none());
    }
}
