//! Language detection: which language a document, and a long enough passage, is written in.
//!
//! This is the only module that talks to whatlang. It answers with ISO 639-1 codes (`de`, `en`,
//! …) and knows nothing of files, analysis or the index.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use whatlang::{Detector, Lang};

/// Languages a policy corpus plausibly holds: the official EU languages whatlang knows, plus a
/// few neighbours. Restricting whatlang to them keeps Danish from being read as Norwegian
/// Bokmål and Slovak from being read as Latin.
const PLAUSIBLE: &[(Lang, &str)] = &[
    (Lang::Bul, "bg"),
    (Lang::Ces, "cs"),
    (Lang::Dan, "da"),
    (Lang::Deu, "de"),
    (Lang::Ell, "el"),
    (Lang::Eng, "en"),
    (Lang::Spa, "es"),
    (Lang::Est, "et"),
    (Lang::Fin, "fi"),
    (Lang::Fra, "fr"),
    (Lang::Hrv, "hr"),
    (Lang::Hun, "hu"),
    (Lang::Ita, "it"),
    (Lang::Lit, "lt"),
    (Lang::Lav, "lv"),
    (Lang::Nld, "nl"),
    (Lang::Pol, "pl"),
    (Lang::Por, "pt"),
    (Lang::Ron, "ro"),
    (Lang::Slk, "sk"),
    (Lang::Slv, "sl"),
    (Lang::Swe, "sv"),
    (Lang::Ukr, "uk"),
    (Lang::Rus, "ru"),
    (Lang::Tur, "tr"),
    (Lang::Ara, "ar"),
];

/// How much text a document-level detection reads. Trigram statistics settle long before
/// this; reading whole laws would only cost time.
const SAMPLE_CHARS: usize = 4000;

/// How much of a passage its detection reads: every passage of the corpus is detected, and
/// whatlang's cost grows with the text; 600 characters (about 90 words) decide as firmly
/// as a whole passage of 300 words does.
const PASSAGE_SAMPLE_CHARS: usize = 600;

/// Fewer words than this and a passage inherits its document's language: whatlang guesses
/// wildly on short Latin-script text.
pub const MIN_PASSAGE_WORDS: usize = 25;

/// Below this confidence a passage-level answer is not trusted, even when whatlang calls it
/// reliable.
const MIN_PASSAGE_CONFIDENCE: f64 = 0.5;

/// The most frequent function words of each EU language: running text in a language is
/// full of them, text in another language has few. A passage whose words confirm its
/// document's language needs no detection, which is most of them, and detection is the
/// largest single cost of indexing (a fifth of the CPU time on the bench corpus).
#[rustfmt::skip]
const FUNCTION_WORDS: &[(&str, &str)] = &[
    ("bg", "и на за да от се в с е не които като по това който са"),
    ("cs", "a v na se je že s z do k o pro jako nebo by jsou být které který také podle tohoto této pokud mezi jejich jeho bude byl"),
    ("da", "og i at det er en til af den for med som på ikke de har der skal eller"),
    ("de", "der die das und ist nicht mit von den zu sich auf für dem des eine ein im auch werden wird sind"),
    ("el", "και το του της η να των με που σε για τα από ή στο είναι"),
    ("en", "the and of to is that for with are this be by on as from which or not have it"),
    ("es", "el la de que y en los las del por con una para es se al lo como más a o su sus sobre entre este esta"),
    ("et", "ja on ei et see kui ka või mis ning oma kes peab tuleb selle mille nende mida kõik ole oli siis aga vaid samuti"),
    ("fi", "ja on että ei se tai ovat kuin myös mukaan joka jotka sekä tämän voidaan olla sen jos kun niin mutta vain kanssa ne nämä joita jonka siitä tämä olisi"),
    ("fr", "le la les des et est une dans pour que qui sur du pas au aux sont par avec ce de à en l d il ne se plus leur ou"),
    ("hr", "i je u za na da se su ili koji koja ne od po kao te"),
    ("hu", "a az és hogy nem is egy meg csak vagy kell által szerint amely valamint van mint ez azt ezt között után során"),
    ("it", "il la di che e è per una non sono del della dei con le gli da nel alla essere in si al dal delle degli nella sul anche"),
    ("lt", "ir į su kad yra ar bei iš dėl kaip arba tai jų buvo kuris kurie turi taip pat ne nuo pagal šio šios apie iki tik jei kai"),
    ("lv", "un ir ar par uz no kas vai tā lai ka to nav arī kā tiek šo šīs kuru kuras būt tās pēc starp tikai vairāk"),
    ("nl", "de het een van en is dat voor met niet zijn op te aan door worden wordt als ook bij"),
    ("pl", "i w na z że do nie się jest to oraz przez dla lub od są być może a o po jak przy jego ich tym tego które który zgodnie"),
    ("pt", "o a os as de que e do da dos das em para com uma não por ao é são"),
    ("ro", "și de în la cu pe că a nu care pentru este sau din se sunt prin al ale unei unui fi mai acest această sa său"),
    ("sk", "a v na sa je že s z do k o pre ako alebo by sú byť ktoré ktorý tiež podľa tohto tejto ak medzi ich jeho bude bol"),
    ("sl", "in je za na da se v z ki so ali tudi ne pri od po o iz s k bi biti ter lahko kot če le pa sta"),
    ("sv", "och att det är en som för på av med inte den till har ska de eller om i så vid från skall genom enligt"),
];

/// Words of a passage the function-word check reads.
const CHECK_WORDS: usize = 120;
/// Share of those words (percent) that must be function words of the document's language…
const MIN_FUNCTION_SHARE: usize = 10;
/// …and by how many words they must outnumber those of any other language.
const FUNCTION_MARGIN: u16 = 2;

/// Each function word with the languages (bits in [`FUNCTION_WORDS`] order) that have it.
static FUNCTION_WORD_LANGS: LazyLock<FxHashMap<&'static str, u32>> = LazyLock::new(|| {
    let mut map: FxHashMap<&'static str, u32> = FxHashMap::default();
    for (i, (_, words)) in FUNCTION_WORDS.iter().enumerate() {
        for word in words.split_whitespace() {
            *map.entry(word).or_default() |= 1 << i;
        }
    }
    map
});

/// Articles and pronouns that French and Italian elide before a vowel (`d'IA`,
/// `l'intelligence`, `dell'Unione`): they always stand before an apostrophe.
const ELIDED: &[&str] = &[
    "c", "d", "j", "l", "m", "n", "s", "t", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", // fr
    "all", "coll", "dall", "dell", "nell", "quell", "sull", "un", // it
];

/// Whether `word`, written before an apostrophe, is an elided article or pronoun ("d" of
/// `d'IA`, "dell" of `dell'Unione`).
pub fn is_elided(word: &str) -> bool {
    let lower = word.to_lowercase();
    ELIDED.contains(&lower.as_str())
}

/// Whether `word` is a function word of any language polsearch knows ("der", "à", "the").
pub fn is_function_word(word: &str) -> bool {
    FUNCTION_WORD_LANGS.contains_key(word.to_lowercase().as_str())
}

/// Whether `text` is plainly in `lang`: its function words make up a good share of its
/// first words and clearly outnumber any other language's.
fn function_words_confirm(text: &str, lang: &str) -> bool {
    let Some(own) = FUNCTION_WORDS.iter().position(|(code, _)| *code == lang) else {
        return false;
    };
    let mut counts = [0u16; FUNCTION_WORDS.len()];
    let mut words = 0;
    let mut lower = String::new();
    for word in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .take(CHECK_WORDS)
    {
        words += 1;
        lower.clear();
        if word.is_ascii() {
            lower.push_str(word);
            lower.make_ascii_lowercase();
        } else {
            lower.extend(word.chars().flat_map(char::to_lowercase));
        }
        if let Some(&mask) = FUNCTION_WORD_LANGS.get(lower.as_str()) {
            for (i, count) in counts.iter_mut().enumerate() {
                *count += u16::from(mask >> i & 1 == 1);
            }
        }
    }
    let mine = counts[own];
    usize::from(mine) * 100 >= words * MIN_FUNCTION_SHARE
        && counts
            .iter()
            .enumerate()
            .all(|(i, &count)| i == own || count + FUNCTION_MARGIN <= mine)
}

/// A language guess with whatlang's confidence (0–1).
#[derive(Debug, Clone, PartialEq)]
pub struct Guess {
    pub code: &'static str,
    pub confidence: f64,
    pub reliable: bool,
}

/// A whatlang detector restricted to [`PLAUSIBLE`]; build once, share across threads.
pub struct LanguageDetector {
    detector: Detector,
}

impl Default for LanguageDetector {
    fn default() -> Self {
        Self::new()
    }
}

impl LanguageDetector {
    pub fn new() -> Self {
        let allow = PLAUSIBLE.iter().map(|(lang, _)| *lang).collect();
        LanguageDetector {
            detector: Detector::with_allowlist(allow),
        }
    }

    /// Guesses the language of `text`, reading at most [`SAMPLE_CHARS`] characters.
    pub fn guess(&self, text: &str) -> Option<Guess> {
        self.guess_within(text, SAMPLE_CHARS)
    }

    /// Guesses the language of the first `chars` characters of `text`, cut at a word end.
    fn guess_within(&self, text: &str, chars: usize) -> Option<Guess> {
        let sample = match text.char_indices().nth(chars) {
            Some((cut, _)) => {
                let head = &text[..cut];
                head.rfind(char::is_whitespace)
                    .map_or(head, |end| &head[..end])
            }
            None => text,
        };
        let info = self.detector.detect(sample)?;
        let code = iso_639_1(info.lang())?;
        Some(Guess {
            code,
            confidence: info.confidence(),
            reliable: info.is_reliable(),
        })
    }

    /// The language of a whole document: a declared language wins unless the text says
    /// clearly otherwise (templates often ship a site-wide `lang="en"` on every page).
    pub fn document_language<'a>(
        &self,
        declared: Option<&str>,
        sample: impl Iterator<Item = &'a str>,
    ) -> Option<String> {
        let mut text = String::new();
        for part in sample {
            if text.len() >= SAMPLE_CHARS {
                break;
            }
            text.push_str(part);
            text.push('\n');
        }
        let guess = self.guess(&text);
        let declared = declared.and_then(normalise_code);
        match (declared, guess) {
            (Some(declared), Some(guess))
                if guess.reliable && guess.confidence >= 0.9 && guess.code != declared =>
            {
                Some(guess.code.to_string())
            }
            (Some(declared), _) => Some(declared),
            (None, Some(guess)) => Some(guess.code.to_string()),
            (None, None) => None,
        }
    }

    /// [`Self::passage_language`] of a passage of a document in `document_lang`: `None`
    /// at once when the passage's function words show it is in that language.
    pub fn passage_language_in(&self, text: &str, document_lang: &str) -> Option<&'static str> {
        if function_words_confirm(text, document_lang) {
            return None;
        }
        self.passage_language(text)
    }

    /// A passage's own language when it is long enough to judge and the guess is firm;
    /// `None` means "inherit the document's".
    pub fn passage_language(&self, text: &str) -> Option<&'static str> {
        if text.split_whitespace().count() < MIN_PASSAGE_WORDS {
            return None;
        }
        let guess = self.guess_within(text, PASSAGE_SAMPLE_CHARS)?;
        (guess.reliable && guess.confidence >= MIN_PASSAGE_CONFIDENCE).then_some(guess.code)
    }
}

fn iso_639_1(lang: Lang) -> Option<&'static str> {
    PLAUSIBLE
        .iter()
        .find(|(known, _)| *known == lang)
        .map(|(_, code)| *code)
}

/// Turns a declared language tag (`de-DE`, `EN`, `fr_FR`) into a two-letter code, or `None`
/// when it is not one (unrendered templates leave tags such as `{{lang}}`).
pub fn normalise_code(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    (primary.len() == 2 && primary.bytes().all(|b| b.is_ascii_lowercase())).then_some(primary)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DE: &str = "Die Regulierung von künstlicher Intelligenz gestaltet sich besonders \
        aufgrund der Anzahl der zahlreichen verschiedenen Akteure und der vielfältigen \
        Anwendungsmöglichkeiten als besonders komplex, sagen die Fachleute.";
    const EN: &str = "The regulation of artificial intelligence is difficult because of the \
        many different actors involved and the wide range of possible applications, the \
        experts say, and governments disagree about what should come first.";
    const FR: &str = "La réglementation de l'intelligence artificielle est difficile en raison \
        du grand nombre d'acteurs différents et de la diversité des applications possibles, \
        selon les experts, et les gouvernements ne sont pas d'accord.";
    const DA: &str = "Reguleringen af kunstig intelligens er vanskelig på grund af de mange \
        forskellige aktører og de mange mulige anvendelser, siger eksperterne, og regeringerne \
        er ikke enige om, hvad der skal komme først.";

    #[test]
    fn detects_the_main_languages() {
        let detector = LanguageDetector::new();
        for (text, code) in [(DE, "de"), (EN, "en"), (FR, "fr"), (DA, "da")] {
            assert_eq!(detector.guess(text).map(|g| g.code), Some(code), "{text}");
            assert_eq!(detector.passage_language(text), Some(code));
        }
    }

    #[test]
    fn function_words_confirm_a_language_and_no_other() {
        for (text, code) in [(DE, "de"), (EN, "en"), (FR, "fr"), (DA, "da")] {
            for (other, _) in FUNCTION_WORDS {
                assert_eq!(
                    function_words_confirm(text, other),
                    *other == code,
                    "{other} for the {code} text"
                );
            }
        }
        // An English passage in a German document is still detected as English.
        let detector = LanguageDetector::new();
        assert_eq!(detector.passage_language_in(EN, "de"), Some("en"));
        assert_eq!(detector.passage_language_in(DE, "de"), None);
        // Without a list (or for an unknown document language), detection decides.
        assert_eq!(detector.passage_language_in(DE, "und"), Some("de"));
    }

    #[test]
    fn short_passages_inherit() {
        let detector = LanguageDetector::new();
        assert_eq!(detector.passage_language("Trending now"), None);
        assert_eq!(detector.passage_language("Die Regulierung von KI"), None);
    }

    #[test]
    fn declared_language_wins_unless_text_clearly_disagrees() {
        let detector = LanguageDetector::new();
        let short = ["Hallo Welt"];
        assert_eq!(
            detector.document_language(Some("fr-FR"), short.into_iter()),
            Some("fr".to_string())
        );
        assert_eq!(
            detector.document_language(Some("en"), [DE, DE].into_iter()),
            Some("de".to_string())
        );
        assert_eq!(
            detector.document_language(Some("{{lang}}"), [FR].into_iter()),
            Some("fr".to_string())
        );
    }

    #[test]
    fn normalises_language_tags() {
        assert_eq!(normalise_code("de-DE").as_deref(), Some("de"));
        assert_eq!(normalise_code("EN").as_deref(), Some("en"));
        assert_eq!(normalise_code("fr_FR").as_deref(), Some("fr"));
        assert_eq!(normalise_code("{{lang}}"), None);
        assert_eq!(normalise_code("deu"), None);
    }
}
