//! References a passage makes to other texts: EU acts by number ("Regulation (EU)
//! 2024/1689", "Verordnung (EU) Nr. 182/2011", "Directive 95/46/EC"), well-known instruments
//! by name ("AI Act", "KI-Verordnung", "DSGVO", "Draghi-Bericht", "Bletchley Declaration"),
//! and urls written out in the text.
//!
//! Each is normalised to a target string that the index stores as one term: `eu:2024/1689`,
//! `name:draghi-report`, `url:https://example.org/page`. One instrument has one target
//! whatever language or name a passage uses for it, so that `cited-by "AI Act"` finds the
//! German passage saying "KI-Verordnung" and the French one saying "règlement (UE)
//! 2024/1689". Pure functions of the text.

use std::sync::LazyLock;

use regex::Regex;

use crate::instrument;

/// A target a passage references, with where it first mentions it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// `eu:2024/1689`, `name:bletchley-declaration`, `url:https://…`.
    pub target: String,
    /// Byte range of the first mention in the text.
    pub start: usize,
    pub end: usize,
}

/// An instrument known by name.
struct Name {
    pattern: &'static str,
    target: &'static str,
    /// Only in passages of this language: short acronyms mean other things elsewhere.
    lang: Option<&'static str>,
    /// Only when the passage also has one of these words (lower case).
    context: &'static [&'static str],
}

const AI_ACT: &str = "eu:2024/1689";
const GDPR: &str = "eu:2016/679";

/// The names recognised. Acronyms are case-sensitive whole words; longer names ignore case.
const NAMES: &[Name] = &[
    name(r"(?i)\b(?:EU[- ])?AI[- ]Act\b", AI_ACT),
    name(r"(?i)\bArtificial Intelligence Act\b", AI_ACT),
    name(r"\bKI-Verordnung(?:en)?\b", AI_ACT),
    name(r"\bKI-VO\b", AI_ACT),
    name(r"(?i)\bAI-verordening\b", AI_ACT),
    name(
        r"(?i)\brèglement (?:européen )?sur l['’]intelligence artificielle\b",
        AI_ACT,
    ),
    Name {
        pattern: r"\bRIA\b",
        target: AI_ACT,
        lang: Some("fr"),
        context: &[],
    },
    name(r"\bGDPR\b", GDPR),
    name(r"\bDS-?GVO\b", GDPR),
    name(r"\bRGPD\b", GDPR),
    name(r"(?i)\bGeneral Data Protection Regulation\b", GDPR),
    name(r"(?i)\bDatenschutz-Grundverordnung\b", GDPR),
    name(
        r"(?i)\brèglement général sur la protection des données\b",
        GDPR,
    ),
    Name {
        pattern: r"\bAVG\b",
        target: GDPR,
        lang: Some("nl"),
        context: &["persoonsgegevens", "privacy", "gegevensbescherming"],
    },
    name(r"\bData Act\b", "eu:2023/2854"),
    name(r"(?i)\bDigital Services Act\b", "eu:2022/2065"),
    name(r"\bDSA\b", "eu:2022/2065"),
    name(r"(?i)\bDigital Markets Act\b", "eu:2022/1925"),
    name(r"(?i)\bDraghi[- ](?:report|Bericht(?:s|es)?)\b", DRAGHI),
    name(r"(?i)\brapport (?:de Mario )?Draghi\b", DRAGHI),
    name(r"(?i)\bBletchley[- ](?:Declaration|Erklärung)\b", BLETCHLEY),
    name(r"(?i)\bdéclaration de Bletchley\b", BLETCHLEY),
    name(
        r"(?i)\bHiroshima[- ](?:AI|KI)[- ]Pro(?:cess|zess(?:es)?)\b",
        HIROSHIMA,
    ),
    name(r"(?i)\bHiroshima[- ]Prozess(?:es)?\b", HIROSHIMA),
    name(r"(?i)\bprocessus d['’]Hiroshima\b", HIROSHIMA),
    name(
        r"(?i)\bFramework Convention on (?:AI|Artificial Intelligence)\b",
        COE_CONVENTION,
    ),
    name(
        r"(?i)\bRahmenübereinkommen (?:des Europarats )?über (?:KI|künstliche Intelligenz)\b",
        COE_CONVENTION,
    ),
    name(
        r"(?i)\bconvention[- ]cadre (?:du Conseil de l['’]Europe )?sur l['’]intelligence artificielle\b",
        COE_CONVENTION,
    ),
];

const DRAGHI: &str = "name:draghi-report";
const BLETCHLEY: &str = "name:bletchley-declaration";
const HIROSHIMA: &str = "name:hiroshima-ai-process";
const COE_CONVENTION: &str = "name:coe-ai-convention";

const fn name(pattern: &'static str, target: &'static str) -> Name {
    Name {
        pattern,
        target,
        lang: None,
        context: &[],
    }
}

/// Display labels of the targets that have a name.
const LABELS: &[(&str, &str)] = &[
    (AI_ACT, "AI Act (Regulation (EU) 2024/1689)"),
    (GDPR, "GDPR (Regulation (EU) 2016/679)"),
    (
        "eu:2016/680",
        "Law Enforcement Directive (Directive (EU) 2016/680)",
    ),
    ("eu:2023/2854", "Data Act (Regulation (EU) 2023/2854)"),
    (
        "eu:2022/2065",
        "Digital Services Act (Regulation (EU) 2022/2065)",
    ),
    (
        "eu:2022/1925",
        "Digital Markets Act (Regulation (EU) 2022/1925)",
    ),
    (
        "eu:1995/46",
        "Data Protection Directive (Directive 95/46/EC)",
    ),
    (
        DRAGHI,
        "Draghi report (The future of European competitiveness)",
    ),
    (BLETCHLEY, "Bletchley Declaration"),
    (HIROSHIMA, "Hiroshima AI Process"),
    (
        COE_CONVENTION,
        "Council of Europe Framework Convention on Artificial Intelligence",
    ),
];

struct Patterns {
    names: Vec<(Regex, &'static Name)>,
    /// `(EU) 2024/1689`, `(EG) Nr. 1907/2006`, `(CE) n° 182/2011`.
    marked: Regex,
    /// `Regulation 2024/1689`: an act word and a new-style number without the Union's mark.
    worded: Regex,
    /// `95/46/EC`: the old form of directives and decisions.
    suffixed: Regex,
    url: Regex,
}

static PATTERNS: LazyLock<Option<Patterns>> = LazyLock::new(|| {
    let names = NAMES
        .iter()
        .map(|n| Regex::new(n.pattern).ok().map(|r| (r, n)))
        .collect::<Option<Vec<_>>>()?;
    Some(Patterns {
        names,
        marked: Regex::new(
            r"\((?:EU|UE|EG|EC|CE|EWG|EEG|EEC|CEE)\)\s*(?:(?:No|Nr|n°|nr)\.?\s*)?(\d{1,5})/(\d{1,5})\b",
        )
        .ok()?,
        worded: Regex::new(
            r"(?i)\b(?:regulation|directive|decision|verordnung|richtlinie|beschluss|règlement|décision|verordening|richtlijn|besluit)\s+(\d{4})/(\d{1,5})\b",
        )
        .ok()?,
        suffixed: Regex::new(r"\b(\d{2}|\d{4})/(\d{1,4})/(?:EC|EG|CE|EEC|EWG|CEE|EU|UE)\b").ok()?,
        url: Regex::new(r#"https?://[^\s<>"'\[\]{}|\\^`]+"#).ok()?,
    })
});

/// The targets `text` references, each once, in the order of their first mention. `lang` is
/// the passage's language: acronyms that mean an instrument in one language only (`RIA` in
/// French, `AVG` in Dutch) count there alone; `None` accepts them everywhere (for reading a
/// user's target).
pub fn find(text: &str, lang: Option<&str>) -> Vec<Reference> {
    let Some(patterns) = PATTERNS.as_ref() else {
        return Vec::new();
    };
    let mut found: Vec<Reference> = Vec::new();
    let mut add = |target: String, start: usize, end: usize| match found
        .iter_mut()
        .find(|r| r.target == target)
    {
        Some(seen) if seen.start <= start => {}
        Some(seen) => {
            seen.start = start;
            seen.end = end;
        }
        None => found.push(Reference { target, start, end }),
    };
    // A url's path often spells a name ("/ai-act-notes"): that is the url, not the name.
    let url_spans: Vec<(usize, usize)> = patterns
        .url
        .find_iter(text)
        .map(|m| (m.start(), m.end()))
        .collect();
    let in_url = |at: usize| url_spans.iter().any(|(s, e)| (*s..*e).contains(&at));
    let mut lower: Option<String> = None;
    for (regex, name) in &patterns.names {
        if let (Some(only), Some(lang)) = (name.lang, lang)
            && only != lang
        {
            continue;
        }
        let Some(m) = regex.find_iter(text).find(|m| !in_url(m.start())) else {
            continue;
        };
        if lang.is_some() && !name.context.is_empty() {
            let lower = lower.get_or_insert_with(|| text.to_lowercase());
            if !name.context.iter().any(|word| lower.contains(word)) {
                continue;
            }
        }
        add(name.target.to_string(), m.start(), m.end());
    }
    for caps in patterns.marked.captures_iter(text) {
        if let (Some(all), Some(a), Some(b)) = (caps.get(0), caps.get(1), caps.get(2))
            && !in_url(all.start())
            && let Some(number) = act_number(a.as_str(), b.as_str())
        {
            add(format!("eu:{number}"), all.start(), all.end());
        }
    }
    for caps in patterns.worded.captures_iter(text) {
        if let (Some(all), Some(a), Some(b)) = (caps.get(0), caps.get(1), caps.get(2))
            && !in_url(all.start())
            && is_year(a.as_str())
        {
            add(
                format!("eu:{}/{}", a.as_str(), trim_zeros(b.as_str())),
                all.start(),
                all.end(),
            );
        }
    }
    for caps in patterns.suffixed.captures_iter(text) {
        if let (Some(all), Some(a), Some(b)) = (caps.get(0), caps.get(1), caps.get(2))
            && !in_url(all.start())
        {
            let year = match a.as_str() {
                short if short.len() == 2 => {
                    let yy: u32 = short.parse().unwrap_or(0);
                    if yy >= 50 {
                        format!("19{short}")
                    } else {
                        format!("20{short}")
                    }
                }
                long => long.to_string(),
            };
            if is_year(&year) {
                add(
                    format!("eu:{year}/{}", trim_zeros(b.as_str())),
                    all.start(),
                    all.end(),
                );
            }
        }
    }
    for m in patterns.url.find_iter(text) {
        let raw = m
            .as_str()
            .trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '»', '“']);
        if let Some(url) = normalise_url(raw) {
            add(format!("url:{url}"), m.start(), m.start() + raw.len());
        }
    }
    found.sort_by_key(|r| r.start);
    found
}

/// An act number from the two numbers of `(EU) A/B`: new style `YYYY/N` (since 2015, and
/// directives before), else old-style regulations `N/YYYY`.
fn act_number(a: &str, b: &str) -> Option<String> {
    if is_year(a) {
        Some(format!("{a}/{}", trim_zeros(b)))
    } else if is_year(b) {
        Some(format!("{}/{b}", trim_zeros(a)))
    } else {
        None
    }
}

fn is_year(text: &str) -> bool {
    text.len() == 4
        && text
            .parse::<u32>()
            .is_ok_and(|y| (1950..=2099).contains(&y))
}

fn trim_zeros(number: &str) -> &str {
    let trimmed = number.trim_start_matches('0');
    if trimmed.is_empty() { "0" } else { trimmed }
}

/// A url as references compare it: scheme and host in lower case, no fragment, no trailing
/// slash. `None` for what is not an http(s) url with a host.
pub fn normalise_url(url: &str) -> Option<String> {
    let url = url.trim();
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let rest = rest.split('#').next().unwrap_or_default();
    let (host, path) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    if host.is_empty() {
        return None;
    }
    let path = path.trim_end_matches('/');
    Some(format!("{scheme}://{}{path}", host.to_lowercase()))
}

/// The target a user means by `input`: an act number ("2024/1689", "182/2011", "Regulation
/// (EU) 2024/1689"), a name ("AI Act", "KI-Verordnung", "GDPR"), a url, or a target as
/// stored (`eu:2024/1689`). `None` when it is none of these.
pub fn resolve(input: &str) -> Option<String> {
    let input = input.trim();
    for prefix in ["eu:", "name:", "url:"] {
        if let Some(rest) = input.strip_prefix(prefix) {
            return match prefix {
                "url:" => normalise_url(rest).map(|u| format!("url:{u}")),
                "eu:" => bare_number(rest).map(|n| format!("eu:{n}")),
                _ => LABELS
                    .iter()
                    .any(|(t, _)| *t == input)
                    .then(|| input.to_string()),
            };
        }
    }
    if input.starts_with("http://") || input.starts_with("https://") {
        return normalise_url(input).map(|u| format!("url:{u}"));
    }
    if let Some(number) = bare_number(input) {
        return Some(format!("eu:{number}"));
    }
    let found = find(input, None);
    // The whole input must name one thing: "AI Act and GDPR" is two targets, not one.
    match found.as_slice() {
        [one] => Some(one.target.clone()),
        _ => None,
    }
}

/// `2024/1689` or old-style `182/2011`, alone.
fn bare_number(input: &str) -> Option<String> {
    let (a, b) = input.trim().split_once('/')?;
    let digits = |s: &str| !s.is_empty() && s.len() <= 5 && s.bytes().all(|c| c.is_ascii_digit());
    if !digits(a) || !digits(b) {
        return None;
    }
    act_number(a, b)
}

/// How a target is shown: the instrument's name where it has one, the act number, the url.
pub fn label(target: &str) -> String {
    if let Some((_, label)) = LABELS.iter().find(|(t, _)| *t == target) {
        return (*label).to_string();
    }
    if let Some(number) = target.strip_prefix("eu:") {
        return format!("EU act {number}");
    }
    if let Some(url) = target.strip_prefix("url:") {
        return url.to_string();
    }
    target.to_string()
}

/// What a document is, and so never references: the act number in its title (the AI Act's
/// "Regulation (EU) 2024/1689" is its name, not a citation; its "this Regulation" matches
/// nothing) and its own url.
pub fn own_targets(title: &str, url: Option<&str>) -> Vec<String> {
    let mut own = Vec::new();
    if let Some(number) = instrument::act_number(title) {
        own.push(format!("eu:{number}"));
    }
    if let Some(url) = url.and_then(normalise_url) {
        own.push(format!("url:{url}"));
    }
    own
}

/// The targets a passage of a document with title `title` and url `url` references: what
/// [`find`] finds, less the document's own identity.
pub fn passage_targets(text: &str, lang: &str, title: &str, url: Option<&str>) -> Vec<String> {
    let own = own_targets(title, url);
    find(text, Some(lang))
        .into_iter()
        .map(|r| r.target)
        .filter(|t| !own.contains(t))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets(text: &str, lang: &str) -> Vec<String> {
        find(text, Some(lang))
            .into_iter()
            .map(|r| r.target)
            .collect()
    }

    #[test]
    fn act_numbers_in_every_language_become_one_target() {
        for text in [
            "under Regulation (EU) 2024/1689 of the Parliament",
            "gemäß Verordnung (EU) 2024/1689 des Parlaments",
            "le règlement (UE) 2024/1689 établit",
            "Verordening (EU) 2024/1689 van het Parlement",
            "the Regulation 2024/1689 applies",
        ] {
            assert_eq!(targets(text, "en"), ["eu:2024/1689"], "{text}");
        }
        assert_eq!(
            targets(
                "Directive (EU) 2016/680 and Regulation (EU) No 182/2011",
                "en"
            ),
            ["eu:2016/680", "eu:182/2011"]
        );
        assert_eq!(
            targets("Verordnung (EG) Nr. 765/2008 und Richtlinie 95/46/EG", "de"),
            ["eu:765/2008", "eu:1995/46"]
        );
        assert_eq!(targets("règlement (CE) n° 300/2008", "fr"), ["eu:300/2008"]);
        // A date or a fraction is no act.
        assert!(targets("am 12/2024 und 3/4 der Fälle", "de").is_empty());
    }

    #[test]
    fn names_become_canonical_targets_in_order_of_first_mention() {
        assert_eq!(
            targets("Die KI-Verordnung ergänzt die DSGVO.", "de"),
            ["eu:2024/1689", "eu:2016/679"]
        );
        assert_eq!(
            targets(
                "The GDPR came first; the AI Act and the EU AI Act later.",
                "en"
            ),
            ["eu:2016/679", "eu:2024/1689"]
        );
        assert_eq!(
            targets(
                "Le règlement sur l'intelligence artificielle et le RGPD",
                "fr"
            ),
            ["eu:2024/1689", "eu:2016/679"]
        );
        assert_eq!(targets("La RIA entre en vigueur.", "fr"), ["eu:2024/1689"]);
        assert_eq!(
            targets("Der Draghi-Bericht und die Bletchley-Erklärung", "de"),
            ["name:draghi-report", "name:bletchley-declaration"]
        );
        assert_eq!(
            targets("le rapport Draghi, la déclaration de Bletchley", "fr"),
            ["name:draghi-report", "name:bletchley-declaration"]
        );
        assert_eq!(
            targets("the Hiroshima AI Process and the Data Act", "en"),
            ["name:hiroshima-ai-process", "eu:2023/2854"]
        );
    }

    #[test]
    fn acronyms_count_only_where_they_mean_the_instrument() {
        // RIA is French only; lower-case words never match an acronym.
        assert!(targets("The RIA team met.", "en").is_empty());
        assert!(targets("la ria de Vigo", "fr").is_empty());
        // AVG is Dutch, and only next to data protection.
        assert!(targets("De AVG van de club", "nl").is_empty());
        assert_eq!(
            targets("De AVG beschermt persoonsgegevens.", "nl"),
            ["eu:2016/679"]
        );
        assert!(targets("Die AVG-Werte", "de").is_empty());
        // Part of a longer word is no name.
        assert!(targets("GDPRS and KI-VOLK", "en").is_empty());
    }

    #[test]
    fn urls_are_normalised() {
        assert_eq!(
            targets(
                "Siehe https://Example.ORG/Pfad/#teil, oder (http://a.example/).",
                "de"
            ),
            ["url:https://example.org/Pfad", "url:http://a.example"]
        );
        assert_eq!(
            targets("See https://blog.example/ai-act/2024/1689/EC", "en"),
            ["url:https://blog.example/ai-act/2024/1689/EC"]
        );
        assert_eq!(
            normalise_url("https://EUR-Lex.europa.eu/eli/reg/2024/1689/oj?x=1#a").as_deref(),
            Some("https://eur-lex.europa.eu/eli/reg/2024/1689/oj?x=1")
        );
        assert_eq!(normalise_url("ftp://a.example"), None);
        assert_eq!(normalise_url("https://"), None);
    }

    #[test]
    fn first_mention_positions_point_at_the_text() {
        let text = "Erst die DSGVO, dann die KI-Verordnung.";
        let refs = find(text, Some("de"));
        assert_eq!(&text[refs[0].start..refs[0].end], "DSGVO");
        assert_eq!(&text[refs[1].start..refs[1].end], "KI-Verordnung");
    }

    #[test]
    fn user_targets_are_resolved() {
        for (input, target) in [
            ("2024/1689", "eu:2024/1689"),
            ("182/2011", "eu:182/2011"),
            ("Regulation (EU) 2024/1689", "eu:2024/1689"),
            ("AI Act", "eu:2024/1689"),
            ("KI-Verordnung", "eu:2024/1689"),
            ("RIA", "eu:2024/1689"),
            ("GDPR", "eu:2016/679"),
            ("Draghi-Bericht", "name:draghi-report"),
            ("https://A.example/x/", "url:https://a.example/x"),
            ("eu:2016/679", "eu:2016/679"),
        ] {
            assert_eq!(resolve(input).as_deref(), Some(target), "{input}");
        }
        for bad in ["", "Paris", "12/34", "AI Act and GDPR", "name:nothing"] {
            assert_eq!(resolve(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_document_does_not_reference_itself() {
        let title = "Regulation (EU) 2024/1689 of the European Parliament and of the Council";
        assert_eq!(
            passage_targets(
                "This Regulation (EU) 2024/1689 lays down rules and amends Regulation (EU) \
                 2018/858; see https://own.example/act/.",
                "en",
                title,
                Some("https://own.example/act")
            ),
            ["eu:2018/858"]
        );
        assert_eq!(label("eu:2024/1689"), "AI Act (Regulation (EU) 2024/1689)");
        assert_eq!(label("eu:2018/858"), "EU act 2018/858");
    }
}
