//! Language detection: which language a document, and a long enough passage, is written in.
//!
//! This is the only module that talks to whatlang. It answers with ISO 639-1 codes (`de`, `en`,
//! …) and knows nothing of files, analysis or the index.

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

/// Fewer words than this and a passage inherits its document's language: whatlang guesses
/// wildly on short Latin-script text.
pub const MIN_PASSAGE_WORDS: usize = 25;

/// Below this confidence a passage-level answer is not trusted, even when whatlang calls it
/// reliable.
const MIN_PASSAGE_CONFIDENCE: f64 = 0.5;

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
        let sample = match text.char_indices().nth(SAMPLE_CHARS) {
            Some((cut, _)) => &text[..cut],
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

    /// A passage's own language when it is long enough to judge and the guess is firm;
    /// `None` means "inherit the document's".
    pub fn passage_language(&self, text: &str) -> Option<&'static str> {
        if text.split_whitespace().count() < MIN_PASSAGE_WORDS {
            return None;
        }
        let guess = self.guess(text)?;
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
