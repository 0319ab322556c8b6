//! Passages: the unit of retrieval, cut from a document's blocks.
//!
//! A passage is one paragraph, or a window of sentences of a long paragraph (about 40–150
//! words); consecutive short blocks under one heading (list items, short paragraphs) share a
//! passage; headings are not passages but travel with the passages under them; one-line
//! fragments ("Trending", "4 Minuten") are dropped. A paragraph that repeats inside a document
//! is kept once. In a legal text (see `structure`) a passage never spans two structural units:
//! each recital and each numbered paragraph of an article is a passage of its own (or several
//! windows, all with its label). Pure functions only: no IO, no index, no language detection.

use rustc_hash::FxHashSet;

use unicode_segmentation::UnicodeSegmentation;

use crate::document::{Block, BlockKind, Link};
use crate::letters::Letters;
use crate::structure::{self, Section};

/// A window never holds more words than this; longer paragraphs are split.
pub const MAX_WORDS: usize = 150;
/// Blocks shorter than this may share a passage with their short neighbours.
pub const SHORT_WORDS: usize = 40;
/// A paragraph with fewer words than this and no sentence punctuation is a fragment.
const FRAGMENT_WORDS: usize = 4;

/// One passage of a document, before language detection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// 1-based position among the document's passages; with the document id it forms the
    /// passage id, stable while the document does not change.
    pub ordinal: u32,
    /// The nearest heading above the passage, if any.
    pub heading: Option<String>,
    /// The structural unit a citation names ("Artikel 5 Absatz 1", "Recital 27"), for
    /// legal texts.
    pub section: Option<Section>,
    /// The page the passage starts on, where the source has pages.
    pub page: Option<u32>,
    pub text: String,
    /// The hyperlinks of the passage's blocks.
    pub links: Vec<Link>,
}

/// What [`split`] left out, for the extract and index reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SplitReport {
    /// Paragraphs dropped because the same text came earlier in the document.
    pub repeated: usize,
    /// One-line fragments that are not passages on their own.
    pub fragments: usize,
}

/// Cuts `blocks` into passages.
pub fn split(blocks: &[Block]) -> (Vec<Passage>, SplitReport) {
    split_in_sections(blocks, structure::sections(blocks))
}

/// Cuts `blocks` into passages, given their [`structure::sections`].
pub fn split_in_sections(
    blocks: &[Block],
    sections: Vec<Option<Section>>,
) -> (Vec<Passage>, SplitReport) {
    let mut splitter = Splitter::default();
    for (block, section) in blocks.iter().zip(sections) {
        splitter.push(block, section);
    }
    splitter.flush();
    (splitter.passages, splitter.report)
}

#[derive(Default)]
struct Splitter {
    passages: Vec<Passage>,
    report: SplitReport,
    heading: Option<String>,
    /// The structural unit of the pending blocks: all of them share it.
    section: Option<Section>,
    /// Short blocks waiting to be joined into one passage.
    pending: Vec<String>,
    pending_words: usize,
    /// The page of the first pending block.
    pending_page: Option<u32>,
    pending_links: Vec<Link>,
    /// Hashes of the paragraphs kept so far ([`dedup_key`]).
    seen: FxHashSet<u128>,
    /// Room for the normalised text of the paragraph being hashed.
    scratch: String,
}

impl Splitter {
    fn push(&mut self, block: &Block, section: Option<Section>) {
        if section != self.section {
            self.flush();
            self.section = section;
        }
        if let BlockKind::Heading { .. } = block.kind {
            self.flush();
            self.heading = Some(block.text.clone());
            // Scraped pages repeat their title as a paragraph below it; that copy says nothing
            // the heading does not.
            let key = dedup_key(&mut self.scratch, None, &block.text);
            self.seen.insert(key);
            return;
        }
        let words = word_count(&block.text);
        let labelled = self.section.is_some();
        if block.kind == BlockKind::Paragraph
            && is_fragment(&block.text, words)
            && !(labelled && is_short_point(&block.text))
        {
            self.report.fragments += 1;
            return;
        }
        // The same words under two articles are two provisions ("(b) the licence;" in two
        // annexes), so a legal text's repeats are only dropped within one unit.
        let label = self.section.as_ref().map(|s| s.label.as_str());
        let key = dedup_key(&mut self.scratch, label, &block.text);
        if !self.seen.insert(key) {
            self.report.repeated += 1;
            return;
        }
        if words >= SHORT_WORDS {
            self.flush();
            let windows = windows(&block.text, words);
            // A link goes with the window that holds its anchor text.
            let mut links = vec![Vec::new(); windows.len()];
            for link in &block.links {
                let at = windows
                    .iter()
                    .position(|w| !link.text.is_empty() && w.contains(&link.text))
                    .unwrap_or(0);
                links[at].push(link.clone());
            }
            for (window, links) in windows.into_iter().zip(links) {
                self.emit(window, block.page, links);
            }
            return;
        }
        if self.pending_words + words > MAX_WORDS {
            self.flush();
        }
        if self.pending.is_empty() {
            self.pending_page = block.page;
        }
        self.pending.push(block.text.clone());
        self.pending_links.extend(block.links.iter().cloned());
        self.pending_words += words;
    }

    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let text = self.pending.join("\n");
        self.pending.clear();
        self.pending_words = 0;
        let page = self.pending_page.take();
        let links = std::mem::take(&mut self.pending_links);
        self.emit(text, page, links);
    }

    fn emit(&mut self, text: String, page: Option<u32>, links: Vec<Link>) {
        self.passages.push(Passage {
            ordinal: self.passages.len() as u32 + 1,
            heading: self.heading.clone(),
            section: self.section.clone(),
            page,
            text,
            links,
        });
    }
}

fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// "Trending", "4 Minuten", "26.02.2025": too short to be read on their own and not a
/// sentence. A short sentence ("Wir lehnen das ab.") is not a fragment.
fn is_fragment(text: &str, words: usize) -> bool {
    words < FRAGMENT_WORDS
        && !text
            .trim_end()
            .ends_with(['.', '!', '?', '…', '"', '“', '»'])
}

/// "(c) Eurodac;", "d) Händler;": a point of a legal text, short but a part of the provision
/// that is cited with it.
fn is_short_point(text: &str) -> bool {
    text.trim_end().ends_with([';', ':', ',']) || text.trim_end().ends_with("; and")
}

/// Two paragraphs are the same when they differ only in case, spacing and punctuation, as
/// copies of one article pasted twice do: the key is a 128-bit hash of the lowercased words
/// (letters and digits only) joined by single spaces, after the unit's `label` if any. A
/// hash, not the text, because every paragraph of the corpus goes through here and into a
/// set; `scratch` is reused so that no paragraph allocates.
fn dedup_key(scratch: &mut String, label: Option<&str>, text: &str) -> u128 {
    scratch.clear();
    if let Some(label) = label {
        scratch.push_str(label);
        scratch.push('\u{1f}');
    }
    let start = scratch.len();
    let mut space = false;
    // Classes and lower case by table: going through Unicode's own tables for every
    // character was a sixteenth of a build.
    let letters = Letters::get();
    for c in text.chars() {
        let blank = if c.is_ascii() {
            matches!(c, '\t'..='\r' | ' ')
        } else {
            c.is_whitespace()
        };
        if blank {
            space = scratch.len() > start;
        } else if letters.is_alphanumeric(c) {
            if space {
                scratch.push(' ');
                space = false;
            }
            letters.push_lower(c, scratch);
        }
    }
    xxhash_rust::xxh3::xxh3_128(scratch.as_bytes())
}

/// Splits a long paragraph at sentence boundaries into windows of at most [`MAX_WORDS`]
/// words, of near-equal size so that no tiny tail is left; a single sentence longer than
/// the limit (legal texts have them) is cut between words.
fn windows(text: &str, words: usize) -> Vec<String> {
    if words <= MAX_WORDS {
        return vec![text.to_string()];
    }
    let count = words.div_ceil(MAX_WORDS);
    let target = words.div_ceil(count);
    let mut out = Vec::with_capacity(count + 1);
    let mut current = String::new();
    let mut current_words = 0;
    for sentence in text.split_sentence_bounds() {
        let sentence_words = word_count(sentence);
        if current_words > 0 && current_words + sentence_words > MAX_WORDS {
            out.push(current.trim().to_string());
            current.clear();
            current_words = 0;
        }
        if sentence_words > MAX_WORDS {
            for piece in cut_between_words(sentence, target) {
                out.push(piece);
            }
            continue;
        }
        current.push_str(sentence);
        current_words += sentence_words;
        if current_words >= target {
            out.push(current.trim().to_string());
            current.clear();
            current_words = 0;
        }
    }
    if current_words > 0 {
        out.push(current.trim().to_string());
    }
    out.retain(|window| !window.is_empty());
    out
}

fn cut_between_words(sentence: &str, size: usize) -> Vec<String> {
    let words: Vec<&str> = sentence.split_whitespace().collect();
    words
        .chunks(size.max(1))
        .map(|chunk| chunk.join(" "))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`dedup_key`] by its definition, one character at a time.
    fn dedup_key_by_definition(label: Option<&str>, text: &str) -> u128 {
        let mut key = String::new();
        if let Some(label) = label {
            key.push_str(label);
            key.push('\u{1f}');
        }
        let start = key.len();
        let mut space = false;
        for c in text.chars() {
            if c.is_whitespace() {
                space = key.len() > start;
            } else if c.is_alphanumeric() {
                if space {
                    key.push(' ');
                    space = false;
                }
                key.extend(c.to_lowercase());
            }
        }
        xxhash_rust::xxh3::xxh3_128(key.as_bytes())
    }

    #[test]
    fn dedup_keys_follow_their_definition_on_every_kind_of_character() {
        // Every ASCII character, the Latin, Greek and Cyrillic blocks, and the odd ones:
        // final sigma, dotted I (two characters lower-cased), no-break and ideographic
        // spaces, a combining accent, digits of other scripts.
        let mut chars: Vec<char> = (0u32..0x530).filter_map(char::from_u32).collect();
        chars.extend([
            '\u{2002}', '\u{3000}', '\u{0301}', '\u{0663}', 'Ⅻ', '€', '—',
        ]);
        let mut scratch = String::new();
        for (n, &c) in chars.iter().enumerate() {
            let other = chars[(n * 7 + 3) % chars.len()];
            for text in [
                format!("{c}"),
                format!("Ab{c}cD {other}x"),
                format!(" {c}{c} \t{other}ΣΑΣ İ"),
            ] {
                for label in [None, Some("Artikel 5")] {
                    assert_eq!(
                        dedup_key(&mut scratch, label, &text),
                        dedup_key_by_definition(label, &text),
                        "{text:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn paragraphs_differing_in_case_spacing_and_punctuation_share_a_key() {
        let mut scratch = String::new();
        let mut key = |label, text| dedup_key(&mut scratch, label, text);
        let plain = key(None, "die KI-Verordnung gilt ab 2026");
        assert_eq!(key(None, "  Die  KI-Verordnung gilt\nab 2026. "), plain);
        assert_eq!(key(None, "DIE KI-VERORDNUNG, GILT AB 2026!"), plain);
        // Words are not run together or split apart, and a unit's label counts.
        assert_ne!(key(None, "die KI Verordnung gilt ab 2026"), plain);
        assert_ne!(key(None, "die KI-Verordnung gilt ab 202 6"), plain);
        assert_ne!(
            key(Some("Article 5"), "die KI-Verordnung gilt ab 2026"),
            plain
        );
        assert_ne!(
            key(Some("Article 5"), "x"),
            key(Some("Article 6"), "x"),
            "the same words under two articles are two provisions"
        );
    }

    fn heading(text: &str) -> Block {
        Block::new(BlockKind::Heading { level: 2 }, text)
    }

    fn para(text: &str) -> Block {
        Block::new(BlockKind::Paragraph, text)
    }

    fn item(text: &str) -> Block {
        Block::new(BlockKind::ListItem, text)
    }

    fn sentence(n: usize) -> String {
        // Capitalised, as a sentence after a full stop must be for a sentence break.
        let mut s = (0..n - 1)
            .map(|i| format!("Wort{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        s.push_str(" Ende.");
        s
    }

    #[test]
    fn links_follow_their_text_into_passages() {
        let link = |url: &str, text: &str| Link {
            url: url.to_string(),
            text: text.to_string(),
        };
        let short = |text: &str, links: Vec<Link>| Block {
            links,
            ..para(text)
        };
        let long_text = format!("{} Am Ende steht die Quelle hier.", sentence(400));
        let (passages, _) = split(&[
            short(
                "Ein kurzer Absatz mit Verweis.",
                vec![link("https://a.example", "Verweis")],
            ),
            short("Noch ein kurzer Absatz.", vec![]),
            short(&long_text, vec![link("https://b.example", "Quelle hier")]),
        ]);
        assert_eq!(passages[0].links, [link("https://a.example", "Verweis")]);
        let holder: Vec<usize> = passages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.links.iter().any(|l| l.url == "https://b.example"))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(holder.len(), 1);
        assert!(passages[holder[0]].text.contains("Quelle hier"));
        assert!(
            holder[0] > 1,
            "the link is in the last window of the long paragraph"
        );
    }

    #[test]
    fn one_passage_per_paragraph_under_its_heading() {
        let long_a = sentence(45);
        let long_b = sentence(60).replace("Wort", "Satz");
        let (passages, _) = split(&[
            heading("Erstens"),
            para(&long_a),
            heading("Zweitens"),
            para(&long_b),
        ]);
        assert_eq!(passages.len(), 2);
        assert_eq!(passages[0].heading.as_deref(), Some("Erstens"));
        assert_eq!(passages[0].text, long_a);
        assert_eq!(passages[1].heading.as_deref(), Some("Zweitens"));
        assert_eq!((passages[0].ordinal, passages[1].ordinal), (1, 2));
    }

    #[test]
    fn fragments_are_dropped_and_short_sentences_kept() {
        let (passages, report) = split(&[
            para("Trending"),
            para("4 Minuten"),
            para("26.02.2025"),
            para("Wir lehnen das ab."),
        ]);
        assert_eq!(report.fragments, 3);
        assert_eq!(passages.len(), 1);
        assert_eq!(passages[0].text, "Wir lehnen das ab.");
    }

    #[test]
    fn repeated_paragraphs_are_indexed_once() {
        let a = sentence(50);
        let b = sentence(41).replace("Wort", "X");
        let blocks = [
            heading("Titel"),
            para(&a),
            para(&b),
            heading("Titel"),
            para(&a),
            para(&format!("  {}  ", b.to_uppercase())),
        ];
        let (passages, report) = split(&blocks);
        assert_eq!(passages.len(), 2);
        assert_eq!(report.repeated, 2);
    }

    #[test]
    fn a_paragraph_repeating_a_heading_is_not_a_passage() {
        let body = sentence(45);
        let (passages, report) = split(&[
            heading("AI Action Summit: Zwischen Kooperation und Konflikt"),
            para("AI Action Summit: Zwischen Kooperation und Konflikt"),
            para(&body),
        ]);
        assert_eq!(passages.len(), 1);
        assert_eq!(passages[0].text, body);
        assert_eq!(report.repeated, 1);
    }

    #[test]
    fn short_blocks_share_a_passage_until_the_next_heading() {
        let (passages, _) = split(&[
            item("prohibited practices"),
            item("high-risk systems"),
            item("transparency duties"),
            heading("Next"),
            para("A short closing remark here."),
        ]);
        assert_eq!(passages.len(), 2);
        assert_eq!(
            passages[0].text,
            "prohibited practices\nhigh-risk systems\ntransparency duties"
        );
        assert_eq!(passages[1].heading.as_deref(), Some("Next"));
    }

    #[test]
    fn long_paragraphs_split_at_sentences_into_balanced_windows() {
        let text = (0..20).map(|_| sentence(20)).collect::<Vec<_>>().join(" ");
        let (passages, _) = split(&[para(&text)]);
        assert_eq!(passages.len(), 3);
        for passage in &passages {
            let words = word_count(&passage.text);
            assert!((40..=MAX_WORDS).contains(&words), "{words} words");
            assert!(passage.text.ends_with("Ende."), "cut inside a sentence");
        }
        let rejoined: Vec<_> = passages
            .iter()
            .flat_map(|p| p.text.split_whitespace())
            .collect();
        assert_eq!(rejoined, text.split_whitespace().collect::<Vec<_>>());
    }

    fn labels(passages: &[Passage]) -> Vec<&str> {
        passages
            .iter()
            .map(|p| p.section.as_ref().map_or("-", |s| s.label.as_str()))
            .collect()
    }

    /// A made-up Dutch regulation: short recitals and paragraphs that the rules for
    /// ordinary text would join into one passage.
    fn dutch_regulation() -> Vec<Block> {
        vec![
            Block::new(
                BlockKind::Heading { level: 1 },
                "Verordening over testsystemen",
            ),
            para("Overwegende hetgeen volgt:"),
            para("(1) Testsystemen moeten veilig zijn."),
            para("(2) De lidstaten moeten samenwerken."),
            para("(3) Deze verordening moet snel gelden."),
            para("HEBBEN DE VOLGENDE VERORDENING VASTGESTELD:"),
            heading("Artikel 1"),
            heading("Onderwerp"),
            para("1. Deze verordening regelt testsystemen."),
            para("2. Zij is van toepassing op:"),
            para("a) aanbieders;"),
            para("b) exploitanten."),
            heading("Artikel 2"),
            para("Deze verordening geldt voor iedereen."),
            para("Zij geldt ook voor overheden."),
            heading("Artikel 3"),
            para("Deze verordening treedt in werking op de twintigste dag."),
            para("Gedaan te Brussel, 1 januari 2030."),
            heading("BIJLAGE I"),
            para("Lijst van testsystemen als bedoeld in artikel 1."),
        ]
    }

    #[test]
    fn each_recital_and_numbered_paragraph_is_its_own_passage() {
        let (passages, _) = split(&dutch_regulation());
        assert_eq!(
            labels(&passages),
            // The intro line is a fragment, not a passage.
            [
                "Overweging 1",
                "Overweging 2",
                "Overweging 3",
                "-",
                "Artikel 1, lid 1",
                "Artikel 1, lid 2",
                "Artikel 2",
                "Artikel 3",
                "-",
                "Bijlage I",
            ]
        );
        // Points stay with their paragraph, unnumbered paragraphs with their article.
        assert_eq!(
            passages[5].text,
            "2. Zij is van toepassing op:\na) aanbieders;\nb) exploitanten."
        );
        assert_eq!(
            passages[6].text,
            "Deze verordening geldt voor iedereen.\nZij geldt ook voor overheden."
        );
        assert_eq!(passages[4].heading.as_deref(), Some("Onderwerp"));
    }

    #[test]
    fn a_long_recital_splits_into_windows_that_all_carry_its_label() {
        let long = format!(
            "(2) {}",
            (0..20).map(|_| sentence(20)).collect::<Vec<_>>().join(" ")
        );
        let blocks = [
            para("Whereas:"),
            para("(1) AI should be safe."),
            para(&long),
            para("(3) Member States should cooperate."),
        ];
        let (passages, _) = split(&blocks);
        assert_eq!(
            labels(&passages),
            [
                "Recital 1",
                "Recital 2",
                "Recital 2",
                "Recital 2",
                "Recital 3"
            ]
        );
        assert!(passages.iter().all(|p| word_count(&p.text) <= MAX_WORDS));
    }

    #[test]
    fn repeated_points_under_two_units_are_both_kept_and_short_points_are_not_fragments() {
        let blocks = [
            heading("Article 1"),
            para("This Regulation applies to:"),
            para("(a) the licence;"),
            heading("Article 2"),
            para("Providers shall document:"),
            para("(a) the licence;"),
            para("(b) Eurodac;"),
            heading("Article 3"),
            para("This Regulation enters into force."),
        ];
        let (passages, report) = split(&blocks);
        assert_eq!(report.repeated, 0);
        assert_eq!(report.fragments, 0);
        assert_eq!(labels(&passages), ["Article 1", "Article 2", "Article 3"]);
        assert!(passages[1].text.ends_with("(b) Eurodac;"));
    }

    #[test]
    fn a_passage_takes_the_page_of_its_first_block() {
        let on_page = |block: Block, page| Block {
            page: Some(page),
            ..block
        };
        let (passages, _) = split(&[
            on_page(para("A first short remark here."), 3),
            on_page(para("A second short remark here."), 4),
            on_page(heading("Next"), 4),
            on_page(para(&sentence(45)), 5),
        ]);
        let pages: Vec<_> = passages.iter().map(|p| p.page).collect();
        assert_eq!(pages, [Some(3), Some(5)]);
    }

    #[test]
    fn a_news_text_mentioning_an_article_is_split_as_before() {
        let blocks = [
            heading("Was die KI-Verordnung verbietet"),
            para("Die Verordnung verbietet manche Praktiken ganz."),
            heading("Artikel 5"),
            para("Artikel 5 zählt die verbotenen Praktiken auf."),
            para("(1) Erstens geht es um Manipulation."),
            para("(2) Zweitens um soziale Bewertung."),
        ];
        let (passages, _) = split(&blocks);
        assert!(passages.iter().all(|p| p.section.is_none()));
        assert_eq!(passages.len(), 2);
        assert_eq!(passages[1].text.lines().count(), 3);
    }

    #[test]
    fn an_overlong_sentence_is_cut_between_words() {
        let text = sentence(400);
        let (passages, _) = split(&[para(&text)]);
        assert!(passages.len() >= 3);
        assert!(passages.iter().all(|p| word_count(&p.text) <= MAX_WORDS));
        let rejoined: Vec<_> = passages
            .iter()
            .flat_map(|p| p.text.split_whitespace())
            .collect();
        assert_eq!(rejoined.len(), 400);
    }
}
