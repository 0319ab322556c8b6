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

use regex::{Regex, RegexSet};

use crate::document::Link;
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
    /// Every pattern below, in order (names, marked, worded, suffixed, url): one pass over a
    /// passage tells which of them can match it at all, and most passages match none. One
    /// pass per pattern was a twentieth of a build.
    any: RegexSet,
    names: Vec<(Regex, &'static Name)>,
    /// `(EU) 2024/1689`, `(EG) Nr. 1907/2006`, `(CE) n° 182/2011`.
    marked: Regex,
    /// `Regulation 2024/1689`: an act word and a new-style number without the Union's mark.
    worded: Regex,
    /// `95/46/EC`, `2008/98/EC`, `768/2008/EC`: the old form of directives and decisions.
    suffixed: Regex,
    url: Regex,
}

static PATTERNS: LazyLock<Option<Patterns>> = LazyLock::new(|| {
    let names = NAMES
        .iter()
        .map(|n| ascii_bounded(n.pattern).map(|r| (r, n)))
        .collect::<Option<Vec<_>>>()?;
    let marked = ascii_bounded(
        r"\((?:EU|UE|EG|EC|CE|EWG|EEG|EEC|CEE)\)\s*(?:(?:No|Nr|n°|nr)\.?\s*)?(\d{1,5})/(\d{1,5})\b",
    )?;
    let worded = ascii_bounded(
        r"(?i)\b(?:regulation|directive|decision|verordnung|richtlinie|beschluss|règlement|décision|verordening|richtlijn|besluit)\s+(\d{4})/(\d{1,5})\b",
    )?;
    let suffixed = ascii_bounded(r"\b(\d{1,4})/(\d{1,4})/(?:EC|EG|CE|EEC|EWG|CEE|EU|UE)\b")?;
    let url = Regex::new(r#"https?://[^\s<>"'\[\]{}|\\^`]+"#).ok()?;
    let any = RegexSet::new(
        names
            .iter()
            .map(|(regex, _)| regex)
            .chain([&marked, &worded, &suffixed, &url])
            .map(Regex::as_str),
    )
    .ok()?;
    Some(Patterns {
        any,
        names,
        marked,
        worded,
        suffixed,
        url,
    })
});

/// `pattern` with ASCII word boundaries. Every boundary in these patterns sits beside an
/// ASCII letter or digit of the name, so they find the same names; but a Unicode boundary beside a non-ASCII letter
/// makes the fast regex engine give up on the whole passage, and Greek, Bulgarian or
/// accented text then went through the slowest engine (a tenth of indexing a law corpus).
fn ascii_bounded(pattern: &str) -> Option<Regex> {
    Regex::new(&pattern.replace(r"\b", r"(?-u:\b)")).ok()
}

/// The targets `text` references, each once, in the order of their first mention. `lang` is
/// the passage's language: acronyms that mean an instrument in one language only (`RIA` in
/// French, `AVG` in Dutch) count there alone; `None` accepts them everywhere (for reading a
/// user's target).
pub fn find(text: &str, lang: Option<&str>) -> Vec<Reference> {
    let Some(patterns) = PATTERNS.as_ref() else {
        return Vec::new();
    };
    let can_match = patterns.any.matches(text);
    if !can_match.matched_any() {
        return Vec::new();
    }
    let n = patterns.names.len();
    let (marked, worded, suffixed, url) = (n, n + 1, n + 2, n + 3);
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
    let url_spans: Vec<(usize, usize)> = if can_match.matched(url) {
        patterns
            .url
            .find_iter(text)
            .map(|m| (m.start(), m.end()))
            .collect()
    } else {
        Vec::new()
    };
    let in_url = |at: usize| url_spans.iter().any(|(s, e)| (*s..*e).contains(&at));
    let mut lower: Option<String> = None;
    for (i, (regex, name)) in patterns.names.iter().enumerate() {
        if !can_match.matched(i) {
            continue;
        }
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
    let matching = |pattern: usize, regex: &'static Regex| {
        can_match
            .matched(pattern)
            .then(|| captures(regex, text))
            .into_iter()
            .flatten()
    };
    for caps in matching(marked, &patterns.marked) {
        if let (Some(all), Some(a), Some(b)) = (caps.get(0), caps.get(1), caps.get(2))
            && !in_url(all.start())
            && let Some(number) = act_number(a.as_str(), b.as_str())
        {
            add(format!("eu:{number}"), all.start(), all.end());
        }
    }
    for caps in matching(worded, &patterns.worded) {
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
    for caps in matching(suffixed, &patterns.suffixed) {
        if let (Some(all), Some(a), Some(b)) = (caps.get(0), caps.get(1), caps.get(2))
            && !in_url(all.start())
        {
            // `95/46/EC` (two-digit year first), `2008/98/EC` (year first), and decisions
            // numbered like old regulations, `768/2008/EC` (year last).
            let (a, b) = (a.as_str(), b.as_str());
            let number = match (a.len(), b.len()) {
                (4, _) if is_year(a) => Some(format!("{a}/{}", trim_zeros(b))),
                (_, 4) if is_year(b) => Some(format!("{}/{b}", trim_zeros(a))),
                (2, _) => {
                    let yy: u32 = a.parse().unwrap_or(0);
                    let century = if yy >= 50 { "19" } else { "20" };
                    Some(format!("{century}{a}/{}", trim_zeros(b)))
                }
                _ => None,
            };
            if let Some(number) = number {
                add(format!("eu:{number}"), all.start(), all.end());
            }
        }
    }
    for &(start, end) in &url_spans {
        let raw = text[start..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '»', '“']);
        if let Some(url) = normalise_url(raw) {
            add(format!("url:{url}"), start, start + raw.len());
        }
    }
    found.sort_by_key(|r| r.start);
    found
}

/// The captures of every match of `regex` in `text`. Matches are found first, by the fast
/// engines that know no groups; only where one is found are its groups read (the engines
/// that do were most of the cost of indexing law texts, dense with slashes and brackets).
fn captures<'t>(regex: &'t Regex, text: &'t str) -> impl Iterator<Item = regex::Captures<'t>> {
    regex
        .find_iter(text)
        .filter_map(|m| regex.captures_at(text, m.start()))
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

/// A url as references compare it: the page it names, not how it was written. Host in
/// lower case without `www.`, no scheme (`http://` and `https://` name one page), no default
/// port, fragment, tracking parameters (`utm_*`, `fbclid`, …) or trailing slash:
/// `https://www.Example.org/a/?utm_source=x#top` → `example.org/a`. `None` for what is not
/// an http(s) url with a host.
pub fn normalise_url(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return None;
    }
    let host = parsed.host_str()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    if host.is_empty() {
        return None;
    }
    let mut out = host.to_string();
    if let Some(port) = parsed.port() {
        out.push_str(&format!(":{port}"));
    }
    out.push_str(parsed.path().trim_end_matches('/'));
    let kept: Vec<(String, String)> = parsed
        .query_pairs()
        .filter(|(key, _)| !is_tracking_parameter(key))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if !kept.is_empty() {
        let query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(kept)
            .finish();
        out.push('?');
        out.push_str(&query);
    }
    Some(out)
}

/// Query parameters that say who sent a reader, not which page is meant.
fn is_tracking_parameter(key: &str) -> bool {
    key.starts_with("utm_")
        || matches!(
            key,
            "fbclid"
                | "gclid"
                | "dclid"
                | "msclkid"
                | "mc_cid"
                | "mc_eid"
                | "wt_mc"
                | "at_medium"
                | "at_campaign"
                | "ref_src"
                | "igshid"
        )
}

/// The EU act an EUR-Lex url names, as an act target: an ELI (`/eli/reg/2024/1689/oj`) or a
/// CELEX number (`uri=CELEX:32024R1689`, `/TXT/?uri=CELEX%3A31995L0046`).
pub fn act_of_url(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    let host = parsed.host_str()?;
    if !host.ends_with("europa.eu") {
        return None;
    }
    let mut segments = parsed.path_segments()?;
    if let Some(eli) = segments.position(|s| s == "eli").and_then(|_| {
        let kind = segments.next()?;
        let year = segments.next()?;
        let number = segments.next()?;
        Some((kind.to_string(), year.to_string(), number.to_string()))
    }) {
        let (kind, year, number) = eli;
        let letter = match kind.as_str() {
            "reg" | "reg_impl" | "reg_del" => 'R',
            "dir" | "dir_impl" | "dir_del" => 'L',
            "dec" | "dec_impl" | "dec_del" => 'D',
            _ => return None,
        };
        return act_target(letter, &year, &number);
    }
    let celex = parsed
        .query_pairs()
        .find(|(k, _)| k.eq_ignore_ascii_case("uri"))
        .map(|(_, v)| v.into_owned())?;
    let celex = celex.strip_prefix("CELEX:")?;
    // Sector 3 (legislation), year, type letter, number: `32024R1689`.
    let rest = celex.strip_prefix('3')?;
    let (year, rest) = rest.split_at_checked(4)?;
    let mut chars = rest.chars();
    let letter = chars.next()?;
    let number: String = chars.take_while(char::is_ascii_digit).collect();
    act_target(letter, year, &number)
}

/// The target of an act of type `letter` (CELEX: `R` regulation, `L` directive, `D`
/// decision) of `year` and `number`: acts since 2015, and directives always, are numbered
/// `YYYY/N`; regulations and decisions before, `N/YYYY`.
fn act_target(letter: char, year: &str, number: &str) -> Option<String> {
    if !is_year(year) || number.is_empty() || !number.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let number = trim_zeros(number);
    let new_style = year >= "2015" || letter == 'L';
    match letter {
        'R' | 'L' | 'D' if new_style => Some(format!("eu:{year}/{number}")),
        'R' | 'D' => Some(format!("eu:{number}/{year}")),
        _ => None,
    }
}

/// The targets a hyperlink names: its page, and the EU act where it is an EUR-Lex address.
pub fn link_targets(url: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(act) = act_of_url(url) {
        out.push(act);
    }
    if let Some(page) = normalise_url(url) {
        out.push(format!("url:{page}"));
    }
    out
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

/// Words a title needs, and characters, before running text naming it counts as a
/// reference: "Einleitung" or "Notes" is said everywhere without meaning a document.
const MIN_TITLE_WORDS: usize = 3;
const MIN_TITLE_CHARS: usize = 20;

/// The titles of the corpus's documents, to find in running text: a passage that writes out
/// another document's full title ("wie der Bericht „Künstliche Intelligenz im Gesundheitswesen“
/// zeigt") references that document. Matching ignores case and needs whole words.
pub struct Titles {
    matcher: Option<aho_corasick::AhoCorasick>,
    /// Document id of each pattern.
    docs: Vec<String>,
}

/// A document of the corpus named by its title in a text, with the byte range of the title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleMention {
    pub doc_id: String,
    pub start: usize,
    pub end: usize,
}

impl Titles {
    /// The citable titles of `docs` (`(doc_id, title)`): long enough to mean one document.
    pub fn new<'a>(docs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Titles {
        let mut patterns = Vec::new();
        let mut ids = Vec::new();
        for (doc_id, title) in docs {
            let title = title
                .trim()
                .trim_end_matches(['.', ':', ';', ',', '!', '?'])
                .to_lowercase();
            if title.split_whitespace().count() >= MIN_TITLE_WORDS
                && title.chars().count() >= MIN_TITLE_CHARS
            {
                patterns.push(title);
                ids.push(doc_id.to_string());
            }
        }
        let matcher = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(&patterns)
            .ok();
        Titles { matcher, docs: ids }
    }

    /// Whether any title is citable.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The documents `text` names by title, in order of mention, each once.
    pub fn find(&self, text: &str) -> Vec<TitleMention> {
        let Some(matcher) = &self.matcher else {
            return Vec::new();
        };
        // Lower case can change a character's length: keep where each byte came from.
        let mut lower = String::with_capacity(text.len());
        let mut origin = Vec::with_capacity(text.len() + 1);
        for (at, c) in text.char_indices() {
            for l in c.to_lowercase() {
                lower.push(l);
                origin.extend(std::iter::repeat_n(at, l.len_utf8()));
            }
        }
        origin.push(text.len());
        let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let mut out: Vec<TitleMention> = Vec::new();
        for m in matcher.find_iter(&lower) {
            if is_word(lower[..m.start()].chars().next_back())
                || is_word(lower[m.end()..].chars().next())
            {
                continue;
            }
            let doc_id = &self.docs[m.pattern().as_usize()];
            if out.iter().any(|seen| &seen.doc_id == doc_id) {
                continue;
            }
            out.push(TitleMention {
                doc_id: doc_id.clone(),
                start: origin[m.start()],
                end: origin[m.end()],
            });
        }
        out
    }
}

/// The target a reference by title makes: the document's id.
pub fn document_target(doc_id: &str) -> String {
    format!("doc:{doc_id}")
}

/// What a document is, and so never references: the act number in its title (the AI Act's
/// "Regulation (EU) 2024/1689" is its name, not a citation; its "this Regulation" matches
/// nothing) and its own url.
pub fn own_targets(title: &str, url: Option<&str>) -> Vec<String> {
    let mut own = Vec::new();
    if let Some(number) = instrument::act_number(title) {
        own.push(format!("eu:{number}"));
    }
    if let Some(url) = url {
        own.extend(link_targets(url));
    }
    own
}

/// The targets a passage references: what [`find`] finds in its text, then what its
/// hyperlinks point at, each once, less `own`, its document's [`own_targets`].
pub fn passage_targets(text: &str, links: &[Link], lang: &str, own: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let named = find(text, Some(lang)).into_iter().map(|r| r.target);
    let linked = links.iter().flat_map(|l| link_targets(&l.url));
    for target in named.chain(linked) {
        if !own.contains(&target) && !out.contains(&target) {
            out.push(target);
        }
    }
    out
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
        // Decisions numbered like old regulations, directives with the year first.
        assert_eq!(
            targets(
                "Decision No 768/2008/EC and Directive 2008/98/EC and Beschluss Nr. 768/2008/EG",
                "en"
            ),
            ["eu:768/2008", "eu:2008/98"]
        );
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
            ["url:example.org/Pfad", "url:a.example"]
        );
        assert_eq!(
            targets("See https://blog.example/ai-act/2024/1689/EC", "en"),
            ["url:blog.example/ai-act/2024/1689/EC"]
        );
        assert_eq!(
            normalise_url("https://EUR-Lex.europa.eu/eli/reg/2024/1689/oj?x=1#a").as_deref(),
            Some("eur-lex.europa.eu/eli/reg/2024/1689/oj?x=1")
        );
        // One page however the link was written.
        for same in [
            "http://example.org/a",
            "https://example.org/a/",
            "https://www.example.org/a",
            "https://example.org:443/a",
            "https://example.org/a?utm_source=news&utm_medium=mail#top",
            "HTTPS://EXAMPLE.org/a?fbclid=xyz",
        ] {
            assert_eq!(
                normalise_url(same).as_deref(),
                Some("example.org/a"),
                "{same}"
            );
        }
        assert_eq!(
            normalise_url("https://example.org/s?q=ki&utm_source=x&page=2").as_deref(),
            Some("example.org/s?q=ki&page=2")
        );
        assert_eq!(
            normalise_url("http://example.org:8080/").as_deref(),
            Some("example.org:8080")
        );
        assert_eq!(normalise_url("ftp://a.example"), None);
        assert_eq!(normalise_url("https://"), None);
        assert_eq!(normalise_url("/relative/path"), None);
    }

    #[test]
    fn eur_lex_links_name_their_act() {
        for (url, act) in [
            (
                "https://eur-lex.europa.eu/eli/reg/2024/1689/oj",
                "eu:2024/1689",
            ),
            (
                "http://data.europa.eu/eli/reg/2016/679/oj/eng",
                "eu:2016/679",
            ),
            (
                "https://eur-lex.europa.eu/legal-content/DE/TXT/?uri=CELEX:32024R1689",
                "eu:2024/1689",
            ),
            (
                "https://eur-lex.europa.eu/legal-content/EN/ALL/?uri=CELEX%3A31995L0046",
                "eu:1995/46",
            ),
            (
                "https://eur-lex.europa.eu/LexUriServ/LexUriServ.do?uri=CELEX:32008R0765:EN:NOT",
                "eu:765/2008",
            ),
            (
                "https://eur-lex.europa.eu/eli/dec/2008/768/oj",
                "eu:768/2008",
            ),
        ] {
            assert_eq!(act_of_url(url).as_deref(), Some(act), "{url}");
        }
        assert_eq!(act_of_url("https://example.org/eli/reg/2024/1689"), None);
        assert_eq!(act_of_url("https://eur-lex.europa.eu/homepage.html"), None);
        assert_eq!(
            link_targets("https://eur-lex.europa.eu/eli/reg/2024/1689/oj"),
            ["eu:2024/1689", "url:eur-lex.europa.eu/eli/reg/2024/1689/oj"]
        );
    }

    #[test]
    fn titles_of_the_corpus_are_found_as_whole_words() {
        let titles = Titles::new([
            (
                "bericht/gesundheit",
                "Künstliche Intelligenz im Gesundheitswesen",
            ),
            ("notiz/kurz", "Notizen"),
            ("blog/ai-act", "Notes on the new AI Act."),
            ("blog/ai-act-long", "Notes on the new AI Act and the GDPR"),
            ("blog/short", "On the AI Act"),
        ]);
        let text = "Wie „KÜNSTLICHE Intelligenz im Gesundheitswesen“ zeigt, und die Notizen; \
                    see notes on the new AI Act, notes on the new AI Act and the GDPR, and \
                    notes on the new AI Actor, on the AI Act.";
        let found = titles.find(text);
        let named: Vec<(&str, &str)> = found
            .iter()
            .map(|m| (m.doc_id.as_str(), &text[m.start..m.end]))
            .collect();
        assert_eq!(
            named,
            [
                (
                    "bericht/gesundheit",
                    "KÜNSTLICHE Intelligenz im Gesundheitswesen"
                ),
                ("blog/ai-act", "notes on the new AI Act"),
                ("blog/ai-act-long", "notes on the new AI Act and the GDPR"),
            ]
        );
        assert!(Titles::new([("a", "Kurz")]).is_empty());
        assert!(Titles::new(std::iter::empty()).find(text).is_empty());
    }

    #[test]
    fn links_are_references_too() {
        let link = |url: &str, text: &str| Link {
            url: url.to_string(),
            text: text.to_string(),
        };
        assert_eq!(
            passage_targets(
                "Die Kommission hat die Leitlinien veröffentlicht, wie berichtet.",
                &[
                    link(
                        "https://eur-lex.europa.eu/eli/reg/2024/1689/oj",
                        "Leitlinien"
                    ),
                    link("http://www.news.example/bericht/", "berichtet"),
                    link("https://own.example/page#kommentare", "Kommentare"),
                    link("https://news.example/bericht", "noch einmal"),
                ],
                "de",
                &own_targets("Eine Meldung", Some("https://own.example/page")),
            ),
            [
                "eu:2024/1689",
                "url:eur-lex.europa.eu/eli/reg/2024/1689/oj",
                "url:news.example/bericht"
            ]
        );
    }

    #[test]
    fn names_are_found_in_any_script_and_only_as_whole_words() {
        assert_eq!(
            targets("Σύμφωνα με τον GDPR και τον AI Act, η Επιτροπή", "el"),
            ["eu:2016/679", "eu:2024/1689"]
        );
        assert_eq!(
            targets("Проектът за AI Act и Регламент (EU) 2016/679.", "bg"),
            ["eu:2024/1689", "eu:2016/679"]
        );
        assert!(targets("Die KI-Verordnungsänderung und DSGVOs", "de").is_empty());
        assert_eq!(
            targets("Über die KI-Verordnung ärgern sich viele", "de"),
            ["eu:2024/1689"]
        );
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
            ("https://A.example/x/", "url:a.example/x"),
            ("url:http://www.a.example/x", "url:a.example/x"),
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
                &[],
                "en",
                &own_targets(title, Some("https://own.example/act"))
            ),
            ["eu:2018/858"]
        );
        assert_eq!(label("eu:2024/1689"), "AI Act (Regulation (EU) 2024/1689)");
        assert_eq!(label("eu:2018/858"), "EU act 2018/858");
    }
}
