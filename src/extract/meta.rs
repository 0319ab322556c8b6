//! Document metadata rules shared by every format: date normalisation, dates and bylines in
//! running text, schema.org JSON-LD, author plausibility, the document-type rule and the
//! `NAME.meta.json` sidecar format.
//!
//! This module owns *what counts as* a title, author, date or type; the format extractors own
//! *where* in their markup a value sits. Everything here is a pure function of strings and
//! blocks: it must not read files (the ingest stage reads sidecars and hands the text over),
//! must not parse HTML, and must prefer no value to a wrong one.

use serde_json::Value;

use super::clean_meta;
use crate::document::{Block, Metadata};

/// Running text is searched for a date or byline in this many leading blocks only: a date deep
/// in the text is an event, not the publication date.
pub(crate) const HEAD_BLOCKS: usize = 15;
/// A date in running text counts only in a block this short (a date line, a byline, a
/// "Stand: …" line); dates inside long paragraphs are events the text reports on.
const DATE_LINE_MAX_WORDS: usize = 15;
/// A byline block is at most this long; a longer block starting with "Von …" is a sentence.
const BYLINE_MAX_WORDS: usize = 30;
/// Separator between several authors in [`Metadata::author`].
pub const AUTHOR_SEPARATOR: &str = "; ";

/// The document types polsearch assigns itself (a sidecar or front matter may name others).
pub mod doc_type {
    pub const LAW: &str = "law";
    pub const NEWS: &str = "news";
    pub const ARTICLE: &str = "article";
    pub const REPORT: &str = "report";
    pub const WEB: &str = "web";
    pub const TEXT: &str = "text";
}

// ---------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------

/// Normalises a machine-written date to `YYYY-MM-DD` (or `YYYY-MM`, `YYYY` when that is all it
/// states).
///
/// Accepts ISO forms with any time suffix (`2024-07-12T10:00:00+02:00`), slashes
/// (`2024/07/12`) and day-first dotted dates (`12.7.2024`). Anything else is `None`: a wrong
/// date is worse than none.
pub(crate) fn normalize_date(s: &str) -> Option<String> {
    let s = s.trim();
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    // ISO-like: the date is the leading run of digits and separators.
    let head: String = s
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, '-' | '/' | '.'))
        .collect();
    let parts: Vec<&str> = head
        .trim_end_matches(['-', '/', '.'])
        .split(['-', '/', '.'])
        .collect();
    let num = |t: &str| t.parse::<u32>().ok();
    match parts.as_slice() {
        [y] if y.len() == 4 && digits(y) => ymd(num(y)?, 1, None).map(|_| (*y).to_string()),
        [y, m] if y.len() == 4 && digits(y) && digits(m) => ymd(num(y)?, num(m)?, None),
        [y, m, d, ..] if y.len() == 4 && digits(y) && digits(m) && digits(d) => {
            ymd(num(y)?, num(m)?, Some(num(d)?))
        }
        [d, m, y] if y.len() == 4 && d.len() <= 2 && digits(d) && digits(m) && digits(y) => {
            ymd(num(y)?, num(m)?, Some(num(d)?))
        }
        _ => None,
    }
}

/// A checked date as ISO text; `None` for an impossible month or day.
fn ymd(year: u32, month: u32, day: Option<u32>) -> Option<String> {
    if !(1000..=2999).contains(&year) || !(1..=12).contains(&month) {
        return None;
    }
    let Some(day) = day else {
        return Some(format!("{year:04}-{month:02}"));
    };
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    let max = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (1..=max)
        .contains(&day)
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

/// Any date form polsearch reads: first the machine forms of [`normalize_date`], then the
/// first written date in the text ([`text_date`]). For metadata values such as JSON-LD
/// `datePublished`, which some sites fill with `Tue Jan 28 15:28:56 CET 2020`.
pub(crate) fn parse_any_date(s: &str) -> Option<String> {
    normalize_date(s).or_else(|| text_date(s)).or_else(|| {
        // The Java `Date.toString` form: weekday, month, day, time, zone, year.
        let t: Vec<&str> = s.split_whitespace().collect();
        match t.as_slice() {
            [_, m, d, _, _, y] => ymd(year(y)?, month_number(m)?, Some(day_number(d)?)),
            _ => None,
        }
    })
}

/// The first complete written date in `s`, as `YYYY-MM-DD`:
///
/// - numeric, day first: `26.02.2025`, `26.2.2025`, `26/02/2025`; ISO `2025-02-26`;
/// - day, month name, year: `26. Februar 2025`, `26 février 2025`, `1er mars 2025`,
///   `26 February 2025`, `3rd March 2025`;
/// - month name, day, year: `February 26, 2025`, `Feb. 26 2025`.
///
/// Month names are German, English (also abbreviated) and French, any case. A date right
/// after a range word ("bis", "to", "au", "–") ends a span of days and is skipped: in
/// "10. bis 11. Februar 2025" neither day is a publication date.
pub(crate) fn text_date(s: &str) -> Option<String> {
    let tokens: Vec<&str> = s
        .split_whitespace()
        .map(|t| t.trim_start_matches(['(', '[', '„', '"', '«']))
        .collect();
    for i in 0..tokens.len() {
        if i > 0 && ends_range(&tokens[..i]) {
            continue;
        }
        let tok = tokens[i].trim_end_matches([',', ';', ':', ')', ']', '"', '“', '»']);
        if let Some(date) = numeric_date(tok) {
            return Some(date);
        }
        let next = |k: usize| tokens.get(i + k).copied();
        // Day, month name, year.
        if let (Some(d), Some(m), Some(y)) = (
            day_number(tok),
            next(1).and_then(month_number),
            next(2).and_then(year),
        ) && let Some(date) = ymd(y, m, Some(d))
        {
            return Some(date);
        }
        // Month name, day, year.
        if let (Some(m), Some(d), Some(y)) = (
            month_number(tok),
            next(1).and_then(day_number),
            next(2).and_then(year),
        ) && let Some(date) = ymd(y, m, Some(d))
        {
            return Some(date);
        }
    }
    None
}

/// Whether the tokens before a date end in a range word: "bis", "to", "au", or a dash after
/// a day ("10. – 11. Februar"). A dash after anything else separates ("NL — 12.07.2024").
fn ends_range(before: &[&str]) -> bool {
    let Some(last) = before.last() else {
        return false;
    };
    match last.to_lowercase().as_str() {
        "bis" | "zum" | "to" | "until" | "till" | "through" | "au" => true,
        "-" | "–" | "—" => before
            .len()
            .checked_sub(2)
            .is_some_and(|i| day_number(before[i]).is_some()),
        _ => false,
    }
}

/// A whole token that is a numeric full date: `26.02.2025`, `2025-02-26`, `2025-02-26T10:00`.
fn numeric_date(tok: &str) -> Option<String> {
    let tok = tok.trim_end_matches('.');
    let date_part = match tok.split_once('T') {
        Some((d, _)) if d.len() == 10 => d,
        _ => tok,
    };
    let shape_ok = date_part
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '/'))
        && date_part.chars().filter(|c| !c.is_ascii_digit()).count() == 2;
    shape_ok
        .then(|| normalize_date(date_part))
        .flatten()
        .filter(|d| d.len() == 10)
}

/// "26", "26.", "1er", "1st", "22nd", "3rd", "4th", "26," → the day number.
fn day_number(tok: &str) -> Option<u32> {
    let t = tok.trim_end_matches([',', '.']);
    let t = ["er", "st", "nd", "rd", "th"]
        .iter()
        .find_map(|suffix| t.strip_suffix(suffix))
        .unwrap_or(t);
    if t.is_empty() || t.len() > 2 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok().filter(|d| (1..=31).contains(d))
}

/// A four-digit year between 1900 and 2100, trailing punctuation allowed.
fn year(tok: &str) -> Option<u32> {
    let t = tok.trim_end_matches(['.', ',', ';', ':', ')', ']']);
    if t.len() != 4 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok().filter(|y| (1900..=2100).contains(y))
}

/// The number of a German, English or French month name (English also abbreviated).
fn month_number(tok: &str) -> Option<u32> {
    let t = tok.trim_end_matches([',', '.']).to_lowercase();
    let n = match t.as_str() {
        "januar" | "jänner" | "january" | "jan" | "janvier" => 1,
        "februar" | "february" | "feb" | "février" | "fevrier" => 2,
        "märz" | "maerz" | "march" | "mar" | "mars" => 3,
        "april" | "apr" | "avril" => 4,
        "mai" | "may" => 5,
        "juni" | "june" | "jun" | "juin" => 6,
        "juli" | "july" | "jul" | "juillet" => 7,
        "august" | "aug" | "août" | "aout" => 8,
        "september" | "sep" | "sept" | "septembre" => 9,
        "oktober" | "october" | "oct" | "octobre" => 10,
        "november" | "nov" | "novembre" => 11,
        "dezember" | "december" | "dec" | "décembre" | "decembre" => 12,
        _ => return None,
    };
    Some(n)
}

// ---------------------------------------------------------------------------------------
// Bylines and authors
// ---------------------------------------------------------------------------------------

/// Block openings that introduce the author's name, lowercased.
const BYLINE_PREFIXES: &[&str] = &[
    "ein gastbeitrag von ",
    "gastbeitrag von ",
    "ein kommentar von ",
    "kommentar von ",
    "ein beitrag von ",
    "eine analyse von ",
    "von ",
    "autor: ",
    "autorin: ",
    "autoren: ",
    "written by ",
    "by ",
    "author: ",
    "authors: ",
    "par ",
    "auteur : ",
    "auteur: ",
    "auteure : ",
    "auteure: ",
];

/// Capitalised words that open sentences after "Von"/"By"/"Par" but are no names.
const NOT_NAME_WORDS: &[&str] = &[
    "der",
    "die",
    "das",
    "den",
    "dem",
    "des",
    "ein",
    "eine",
    "einem",
    "einer",
    "the",
    "a",
    "an",
    "this",
    "these",
    "le",
    "la",
    "les",
    "un",
    "une",
    "ce",
    "cette",
    "seiten",
    "anfang",
    "beginn",
    "ende",
    "mitte",
    "jahr",
    "jahren",
    "heute",
    "morgen",
    "vereinten",
    "nationen",
    "regierung",
    "redaktion",
    "staff",
    "team",
    "admin",
    "editor",
    "editors",
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag",
    "sonntag",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
];

/// Lowercase name particles allowed between capitalised name words ("Ursula von der Leyen").
const PARTICLES: &[&str] = &[
    "von", "van", "der", "den", "de", "du", "da", "di", "del", "della", "zu", "ten", "ter", "af",
    "y", "d'",
];

/// Words that may follow a byline name: a date or a place usually comes next.
const AFTER_NAME: &[&str] = &[
    "am",
    "vom",
    "on",
    "le",
    "published",
    "updated",
    "veröffentlicht",
    "aktualisiert",
    "publié",
    "mis",
    "|",
    "·",
    "•",
    "–",
    "—",
    "-",
    "/",
];

/// The author named by a byline block: "Ein Gastbeitrag von NAME, …", "Von NAME", "Autor:
/// NAME", "By NAME", "Par NAME", with two names joined by "und"/"and"/"et"/"&".
///
/// NAME is two to four capitalised words (lowercase particles such as "von der" between them
/// do not count; "Dr." and initials do), ending at a comma, the end of the block, a separator
/// or a word that introduces a date. Anything else after the name means the block is a
/// sentence, not a byline: "Von den Vereinten Nationen …", "Von 10. bis 11. Februar …" and
/// "By 2030 the Union …" give `None`.
pub(crate) fn byline(block: &str) -> Option<String> {
    if block.split_whitespace().count() > BYLINE_MAX_WORDS {
        return None;
    }
    let lower = block.to_lowercase();
    // Lowercasing keeps byte offsets only for ASCII prefixes, which all of these are.
    let prefix = BYLINE_PREFIXES.iter().find(|p| lower.starts_with(**p))?;
    let rest = block.get(prefix.len()..)?;
    let tokens: Vec<&str> = rest.split_whitespace().collect();
    let (first, used) = name_at(&tokens)?;
    let mut names = vec![first];
    let mut i = used;
    if !ended_by_punctuation(&tokens, used)
        && let Some(and) = tokens.get(i)
        && matches!(and.to_lowercase().as_str(), "und" | "and" | "et" | "&")
    {
        // A second name that does not parse ("und dem Team") ends the byline after the first.
        if let Some((second, more)) = name_at(&tokens[i + 1..]) {
            names.push(second);
            i += 1 + more;
        } else {
            return Some(names.join(AUTHOR_SEPARATOR));
        }
    }
    if !ended_by_punctuation(&tokens, i) && !follows_name(tokens.get(i).copied()) {
        return None;
    }
    Some(names.join(AUTHOR_SEPARATOR))
}

/// Whether the name that took `tokens[..used]` ended with its own punctuation ("Lefebvre,").
fn ended_by_punctuation(tokens: &[&str], used: usize) -> bool {
    used > 0
        && tokens
            .get(used - 1)
            .is_some_and(|t| t.ends_with([',', ';', ':', '|', ')']))
}

/// Whether `next` (the token after a name) fits a byline: end, separator, date or date word.
fn follows_name(next: Option<&str>) -> bool {
    let Some(next) = next else { return true };
    let lower = next.to_lowercase();
    AFTER_NAME.contains(&lower.trim_end_matches(','))
        || next.starts_with(['(', ','])
        || day_number(next).is_some()
        || numeric_date(next).is_some()
}

/// A name at the start of `tokens`: the name and how many tokens it took.
fn name_at(tokens: &[&str]) -> Option<(String, usize)> {
    let mut words: Vec<&str> = Vec::new();
    let mut capitalised = 0;
    let mut used = 0;
    for (i, raw) in tokens.iter().enumerate() {
        let stop = raw.ends_with([',', ';', ':', '|', ')']);
        let word = raw.trim_end_matches([',', ';', ':', '|', ')']);
        if PARTICLES.contains(&word) && capitalised > 0 && !stop {
            // Only inside a name: the particles must be followed by another capitalised word.
            let next = tokens[i + 1..]
                .iter()
                .map(|t| t.trim_end_matches([',', ';', ':', '|', ')', '.']))
                .find(|t| !PARTICLES.contains(t));
            if next.is_some_and(|n| name_word(n, false)) {
                words.push(word);
                used = i + 1;
                continue;
            }
            break;
        }
        let bare = word
            .strip_suffix('.')
            .filter(|w| w.chars().count() > 2)
            .unwrap_or(word);
        if !name_word(bare, capitalised == 0) || capitalised == 4 {
            break;
        }
        words.push(if is_title_or_initial(word) {
            word
        } else {
            bare
        });
        capitalised += 1;
        used = i + 1;
        if stop || (word.ends_with('.') && !is_title_or_initial(word)) {
            break;
        }
    }
    (capitalised >= 2).then(|| (words.join(" "), used))
}

/// "Dr.", "Prof.", "J." keep their period; other words lose a sentence-final one.
fn is_title_or_initial(word: &str) -> bool {
    word.ends_with('.')
        && (word.chars().count() == 2
            || matches!(
                word,
                "Dr." | "Prof." | "Mr." | "Ms." | "Mrs." | "Mme." | "M."
            ))
}

/// A word that can be part of a personal name: capitalised, letters (and `-`, `'`, `.`)
/// only, not a shouted word, and as the `first` word not a known sentence opener (later
/// words may be: "Loïc Le Clerc").
fn name_word(word: &str, first: bool) -> bool {
    let Some(initial) = word.chars().next() else {
        return false;
    };
    let letters = word
        .chars()
        .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'));
    let shouted = word.chars().filter(|c| c.is_alphabetic()).count() > 3
        && !word.chars().any(char::is_lowercase);
    initial.is_uppercase()
        && letters
        && !shouted
        && !(first && NOT_NAME_WORDS.contains(&word.to_lowercase().as_str()))
}

/// `author` cleaned and checked, or `None` when it is not a person's name as far as can be
/// told: a URL, a user name without capitals or spaces ("publisher", "john",
/// "KonstantinNotz"), the site or publisher
/// itself ("SPIEGEL ONLINE, Hamburg, Germany" on spiegel.de), or a company ("… GmbH").
/// Byline words left in the value ("Von", "By", "Autor", "Interview") are cut off.
pub(crate) fn plausible_author(author: &str, site: Option<&str>) -> Option<String> {
    let mut a = clean_meta(author)?;
    loop {
        let lower = a.to_lowercase();
        let cut = [
            "von ",
            "by ",
            "par ",
            "autor ",
            "autor: ",
            "autorin ",
            "interview ",
            "interview: ",
            "text: ",
        ]
        .iter()
        .find(|p| lower.starts_with(**p))
        .map(|p| p.len());
        match cut {
            Some(n) => a = a.get(n..).map(str::trim).unwrap_or_default().to_string(),
            None => break,
        }
    }
    let lower = a.to_lowercase();
    if a.is_empty()
        || lower.starts_with("http")
        || lower.contains("www.")
        || !a.chars().any(char::is_uppercase)
        || !a.contains(' ')
        || a.chars().count() > 120
    {
        return None;
    }
    let company = [
        "gmbh",
        " ag",
        " ltd",
        " inc",
        " llc",
        " s.a.",
        "redaktion",
        "newsroom",
    ]
    .iter()
    .any(|c| lower.ends_with(c) || lower.contains(&format!("{c} ")));
    if company {
        return None;
    }
    if let Some(site) = site
        .map(str::to_lowercase)
        .filter(|s| s.chars().count() >= 3)
        && (lower.contains(&site) || site.contains(&lower))
    {
        return None;
    }
    Some(a)
}

// ---------------------------------------------------------------------------------------
// Running text
// ---------------------------------------------------------------------------------------

/// The author named by the first byline among the leading blocks.
pub(crate) fn author_from_blocks(blocks: &[Block]) -> Option<String> {
    blocks
        .iter()
        .take(HEAD_BLOCKS)
        .find_map(|b| byline(&b.text))
}

/// The first date on a short line among the leading blocks ([`DATE_LINE_MAX_WORDS`]), or in
/// a byline.
pub(crate) fn date_from_blocks(blocks: &[Block]) -> Option<String> {
    blocks
        .iter()
        .take(HEAD_BLOCKS)
        .filter(|b| {
            b.text.split_whitespace().count() <= DATE_LINE_MAX_WORDS || byline(&b.text).is_some()
        })
        .find_map(|b| text_date(&b.text))
}

/// Whether a title names a legal act: it opens with the act's kind ("Regulation", "Verordnung",
/// "Règlement", "Directive", "Richtlinie", "Verordening", "Richtlijn"), or such a word is
/// followed by an EU marker ("Verordnung (EU) 2024/1689", "Durchführungsverordnung (EU)").
pub(crate) fn is_legal_title(title: &str) -> bool {
    const ACTS: &[&str] = &[
        "regulation",
        "verordnung",
        "règlement",
        "reglement",
        "directive",
        "richtlinie",
        "verordening",
        "richtlijn",
    ];
    const MARKERS: &[&str] = &[
        "(eu)", "(ue)", "(eg)", "(ce)", "(ewg)", "(eec)", "(eu,", "(ue,",
    ];
    let lower = title.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let opens = words
        .first()
        .is_some_and(|w| ACTS.contains(&w.trim_end_matches([',', ':'])));
    let marked = words
        .windows(2)
        .any(|w| ACTS.iter().any(|act| w[0].ends_with(act)) && MARKERS.contains(&w[1]));
    opens || marked
}

/// Fills what the format's own metadata left open from the running text, and sets the type:
///
/// - author: the first byline in the leading blocks ([`author_from_blocks`]);
/// - date: the first date on a short line in the leading blocks ([`date_from_blocks`]);
/// - type, when the format did not set one: `law` for a legal title ([`is_legal_title`]),
///   `article` when the text opens with a byline or a date line, otherwise `default_type`
///   (`web` for HTML, `text` for the rest).
///
/// Values already set are never replaced: markup and front matter beat running text.
pub(crate) fn complete(meta: &mut Metadata, blocks: &[Block], default_type: &str) {
    let byline =
        author_from_blocks(blocks).and_then(|a| plausible_author(&a, meta.site.as_deref()));
    let date_line = date_from_blocks(blocks);
    let looks_like_article = byline.is_some() || date_line.is_some();
    if meta.author.is_none() {
        meta.author = byline;
    }
    if meta.date.is_none() {
        meta.date = date_line;
    }
    if meta.doc_type.is_none() {
        let kind = if meta.title.as_deref().is_some_and(is_legal_title) {
            doc_type::LAW
        } else if looks_like_article {
            doc_type::ARTICLE
        } else {
            default_type
        };
        meta.doc_type = Some(kind.to_string());
    }
}

// ---------------------------------------------------------------------------------------
// JSON-LD
// ---------------------------------------------------------------------------------------

/// What the JSON-LD of a page says, plus the schema.org types it names.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct LinkedData {
    pub meta: Metadata,
    /// The page holds a `Legislation` object or a `legislationIdentifier`.
    pub legislation: bool,
    /// The type of the main object, mapped to a document type (`news`, `article`, …).
    pub doc_type: Option<&'static str>,
    /// The `legislationIdentifier`, a title of last resort for a legal text.
    pub identifier: Option<String>,
}

/// The schema.org types read, best first: an article-like object describes the document, a
/// `WebPage` only the page around it.
const LD_TYPES: &[(&str, Option<&str>)] = &[
    ("Legislation", Some(doc_type::LAW)),
    ("LegislationObject", Some(doc_type::LAW)),
    ("NewsArticle", Some(doc_type::NEWS)),
    ("ReportageNewsArticle", Some(doc_type::NEWS)),
    ("AnalysisNewsArticle", Some(doc_type::NEWS)),
    ("OpinionNewsArticle", Some(doc_type::NEWS)),
    ("Report", Some(doc_type::REPORT)),
    ("Article", Some(doc_type::ARTICLE)),
    ("BlogPosting", Some(doc_type::ARTICLE)),
    ("ScholarlyArticle", Some(doc_type::ARTICLE)),
    ("WebPage", None),
];

/// Reads the `application/ld+json` scripts of a page: objects of the types in [`LD_TYPES`],
/// at the top level, in arrays or in `@graph`. Fields: `headline` (or `name`), `author`
/// (string, object with `name`, `@id` reference into the graph, or an array of those;
/// organisations are not authors), `datePublished` (`dateCreated` as fallback),
/// `publisher.name`, `url`, `inLanguage`, `legislationIdentifier`. Several objects fill each
/// other's gaps, best type first. Unparseable scripts are ignored.
pub(crate) fn json_ld<'a>(scripts: impl IntoIterator<Item = &'a str>) -> LinkedData {
    let mut nodes: Vec<&Value> = Vec::new();
    let values: Vec<Value> = scripts
        .into_iter()
        .filter_map(|s| serde_json::from_str(s.trim().trim_end_matches(';')).ok())
        .collect();
    for v in &values {
        collect_nodes(v, &mut nodes, 0);
    }
    let by_id = |id: &str| {
        nodes
            .iter()
            .find(|n| n.get("@id").and_then(Value::as_str) == Some(id))
            .copied()
    };
    let mut ranked: Vec<(usize, &Value)> = nodes
        .iter()
        .filter_map(|n| {
            let rank = LD_TYPES
                .iter()
                .position(|(t, _)| types_of(n).iter().any(|x| x == t))?;
            Some((rank, *n))
        })
        .collect();
    ranked.sort_by_key(|(rank, _)| *rank);

    let mut ld = LinkedData {
        legislation: nodes.iter().any(|n| {
            n.get("legislationIdentifier").is_some()
                || types_of(n).iter().any(|t| t.starts_with("Legislation"))
        }),
        doc_type: ranked.first().and_then(|(rank, _)| LD_TYPES[*rank].1),
        ..LinkedData::default()
    };
    let m = &mut ld.meta;
    for (_, node) in &ranked {
        let is_page = types_of(node).iter().any(|t| t == "WebPage");
        let title = string_field(node, "headline")
            .or_else(|| (!is_page).then(|| string_field(node, "name")).flatten());
        fill(&mut m.title, title);
        fill(&mut m.author, authors(node.get("author"), &by_id));
        fill(
            &mut m.date,
            string_field(node, "datePublished")
                .or_else(|| string_field(node, "dateCreated"))
                .and_then(|d| parse_any_date(&d)),
        );
        fill(
            &mut m.site,
            node.get("publisher").and_then(|p| name_of(p, &by_id)),
        );
        fill(
            &mut m.url,
            string_field(node, "url").filter(|u| is_absolute_url(u)),
        );
        fill(
            &mut m.lang,
            node.get("inLanguage").and_then(|l| match l {
                Value::String(s) => language_code(s),
                other => other
                    .get("alternateName")
                    .and_then(Value::as_str)
                    .and_then(language_code),
            }),
        );
        if ld.identifier.is_none() {
            ld.identifier = string_field(node, "legislationIdentifier");
        }
    }
    ld
}

/// Every object in `v`, descending into arrays and `@graph` (bounded: hostile nesting).
fn collect_nodes<'a>(v: &'a Value, out: &mut Vec<&'a Value>, depth: usize) {
    if depth > 8 {
        return;
    }
    match v {
        Value::Array(items) => items.iter().for_each(|i| collect_nodes(i, out, depth + 1)),
        Value::Object(map) => {
            out.push(v);
            if let Some(graph) = map.get("@graph") {
                collect_nodes(graph, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// The `@type` of a node, one string or several.
fn types_of(node: &Value) -> Vec<String> {
    match node.get("@type") {
        Some(Value::String(s)) => vec![strip_schema(s)],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(strip_schema)
            .collect(),
        _ => Vec::new(),
    }
}

/// "http://schema.org/Article" and "schema:Article" are "Article".
fn strip_schema(t: &str) -> String {
    t.rsplit(['/', ':']).next().unwrap_or(t).to_string()
}

fn string_field(node: &Value, key: &str) -> Option<String> {
    node.get(key)
        .and_then(Value::as_str)
        .and_then(|s| clean_meta(&decode_entities(s)))
}

/// The name of a person or organisation value: a string, an object with `name`, or an
/// `@id` reference resolved through `by_id`.
fn name_of<'a>(v: &'a Value, by_id: &dyn Fn(&str) -> Option<&'a Value>) -> Option<String> {
    match v {
        Value::String(s) => clean_meta(&decode_entities(s)),
        Value::Object(_) => string_field(v, "name").or_else(|| {
            let target = by_id(v.get("@id")?.as_str()?)?;
            string_field(target, "name")
        }),
        Value::Array(items) => items.iter().find_map(|i| name_of(i, by_id)),
        _ => None,
    }
}

/// Authors joined by [`AUTHOR_SEPARATOR`]; organisations are skipped (a site naming itself as
/// author says nothing about who wrote the text).
fn authors<'a>(v: Option<&'a Value>, by_id: &dyn Fn(&str) -> Option<&'a Value>) -> Option<String> {
    let items: Vec<&Value> = match v? {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    let names: Vec<String> = items
        .into_iter()
        .filter(|item| {
            let target = item
                .get("@id")
                .and_then(Value::as_str)
                .and_then(by_id)
                .unwrap_or(item);
            !types_of(target)
                .iter()
                .any(|t| t == "Organization" || t == "NewsMediaOrganization")
                && !types_of(item)
                    .iter()
                    .any(|t| t == "Organization" || t == "NewsMediaOrganization")
        })
        .filter_map(|item| name_of(item, by_id))
        .collect();
    (!names.is_empty()).then(|| names.join(AUTHOR_SEPARATOR))
}

fn fill(slot: &mut Option<String>, value: Option<String>) {
    if slot.is_none() {
        *slot = value;
    }
}

pub(crate) fn is_absolute_url(u: &str) -> bool {
    u.starts_with("http://") || u.starts_with("https://")
}

/// Decodes the character references sites leave in JSON-LD strings (`&#039;`, `&#8216;`,
/// `&amp;`); unknown ones stay as written.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').filter(|&end| end <= 10).and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "nbsp" => Some('\u{00A0}'),
                _ => {
                    let num = name.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            }?;
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The ISO 639-1 code of a language tag ("de-DE", "fr_FR", "EN"); `None` unless the primary
/// subtag is exactly two ASCII letters.
pub(crate) fn language_code(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?;
    (primary.len() == 2 && primary.bytes().all(|b| b.is_ascii_alphabetic()))
        .then(|| primary.to_ascii_lowercase())
}

// ---------------------------------------------------------------------------------------
// Sidecar
// ---------------------------------------------------------------------------------------

/// Why a sidecar file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SidecarError {
    #[error("not JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("not a JSON object")]
    NotObject,
    #[error("`{0}` must be a string")]
    NotString(String),
    #[error("`date` {0:?} is not a date (use YYYY-MM-DD)")]
    BadDate(String),
    #[error("`lang` {0:?} is not a language code (use e.g. \"de\")")]
    BadLang(String),
}

/// The file names a sidecar of the corpus file `file_name` may have, in order of preference:
/// `seed.txt.meta.json`, then `seed.meta.json`.
pub fn sidecar_names(file_name: &str) -> Vec<String> {
    let mut names = vec![format!("{file_name}.meta.json")];
    if let Some((stem, _)) = file_name.rsplit_once('.')
        && !stem.is_empty()
    {
        names.push(format!("{stem}.meta.json"));
    }
    names
}

/// Parses a `NAME.meta.json` sidecar: a JSON object with any of `title`, `author` (a string
/// or an array of strings), `date`, `site`, `url`, `lang`, `type`; other keys are ignored so
/// a sidecar may carry notes. A value that is present but unusable is an error rather than
/// silently dropped: the sidecar is the user's explicit word.
pub fn parse_sidecar(json: &str) -> Result<Metadata, SidecarError> {
    let value: Value = serde_json::from_str(json)?;
    let Value::Object(map) = value else {
        return Err(SidecarError::NotObject);
    };
    let text = |key: &str| -> Result<Option<String>, SidecarError> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(clean_meta(s)),
            Some(_) => Err(SidecarError::NotString(key.to_string())),
        }
    };
    let author = match map.get("author") {
        Some(Value::Array(items)) => {
            let names = items
                .iter()
                .map(|i| {
                    i.as_str()
                        .map(clean_meta)
                        .ok_or_else(|| SidecarError::NotString("author".into()))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let names: Vec<String> = names.into_iter().flatten().collect();
            (!names.is_empty()).then(|| names.join(AUTHOR_SEPARATOR))
        }
        _ => text("author")?,
    };
    let date = match text("date")? {
        Some(d) => Some(normalize_date(&d).ok_or(SidecarError::BadDate(d))?),
        None => None,
    };
    let lang = match text("lang")? {
        Some(l) => Some(language_code(&l).ok_or(SidecarError::BadLang(l))?),
        None => None,
    };
    Ok(Metadata {
        title: text("title")?,
        author,
        date,
        site: text("site")?,
        url: text("url")?,
        lang,
        doc_type: text("type")?.map(|t| t.to_lowercase()),
    })
}

/// Lays `over` on `base`: every field `over` states replaces `base`'s.
pub fn overlay(base: &mut Metadata, over: Metadata) {
    let Metadata {
        title,
        author,
        date,
        site,
        url,
        lang,
        doc_type,
    } = over;
    for (slot, value) in [
        (&mut base.title, title),
        (&mut base.author, author),
        (&mut base.date, date),
        (&mut base.site, site),
        (&mut base.url, url),
        (&mut base.lang, lang),
        (&mut base.doc_type, doc_type),
    ] {
        if value.is_some() {
            *slot = value;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::BlockKind;

    fn para(t: &str) -> Block {
        Block::new(BlockKind::Paragraph, t)
    }

    #[test]
    fn written_dates_in_three_languages() {
        for (text, want) in [
            ("26.02.2025", "2025-02-26"),
            ("Stand: 26.2.2025", "2025-02-26"),
            ("26. Februar 2025", "2025-02-26"),
            ("am 3. März 2025 veröffentlicht", "2025-03-03"),
            ("26 février 2025", "2025-02-26"),
            ("Publié le 1er mars 2025", "2025-03-01"),
            ("February 26, 2025", "2025-02-26"),
            ("Updated Feb. 26 2025", "2025-02-26"),
            ("26 February 2025", "2025-02-26"),
            ("3rd March 2025", "2025-03-03"),
            ("2025-02-26", "2025-02-26"),
            ("(2025-02-26T10:00)", "2025-02-26"),
            ("26/02/2025", "2025-02-26"),
            ("02024R1689 — NL — 12.07.2024 — 000.004", "2024-07-12"),
            ("Berlin – 26. Februar 2025", "2025-02-26"),
        ] {
            assert_eq!(text_date(text).as_deref(), Some(want), "{text}");
        }
    }

    #[test]
    fn non_dates_and_ranges_are_not_dates() {
        for text in [
            "Vom 10. bis zum 11. Februar 2025 fand der Gipfel statt",
            "du 10 au 11 février 2025",
            "10. – 11. Februar 2025",
            "4 Minuten",
            "Version 1.2.3",
            "31. Februar 2025",
            "Februar 2025",
            "2019",
            "Artikel 5 Absatz 1",
            "13.45.2025",
        ] {
            assert_eq!(text_date(text), None, "{text}");
        }
    }

    #[test]
    fn machine_dates() {
        assert_eq!(
            parse_any_date("Tue Jan 28 15:28:56 CET 2020").as_deref(),
            Some("2020-01-28")
        );
        assert_eq!(
            parse_any_date("2024-07-12T10:00:00+02:00").as_deref(),
            Some("2024-07-12")
        );
        assert_eq!(parse_any_date("2023-02-29"), None);
        assert_eq!(parse_any_date("2024-02-29").as_deref(), Some("2024-02-29"));
    }

    #[test]
    fn bylines_in_three_languages() {
        for (text, want) in [
            (
                "Ein Gastbeitrag von Maxime Lefebvre, Professor an der ESCP Business School",
                "Maxime Lefebvre",
            ),
            ("Von Erika Musterfrau", "Erika Musterfrau"),
            (
                "Von Anna Schmidt und Peter Müller",
                "Anna Schmidt; Peter Müller",
            ),
            ("Von Ursula von der Leyen, Brüssel", "Ursula von der Leyen"),
            ("Autor: Jan Beispiel", "Jan Beispiel"),
            ("Autorin: Dr. Eva Probe | 26.02.2025", "Dr. Eva Probe"),
            ("By Jane Example", "Jane Example"),
            (
                "By Jane Example and John Sample",
                "Jane Example; John Sample",
            ),
            ("By Jane Q. Example on February 26, 2025", "Jane Q. Example"),
            ("Par Claire Exemple, le 3 mars 2025", "Claire Exemple"),
            (
                "Par Claire Exemple et Luc Modèle",
                "Claire Exemple; Luc Modèle",
            ),
            ("Par Loïc Le Clerc", "Loïc Le Clerc"),
        ] {
            assert_eq!(byline(text).as_deref(), Some(want), "{text}");
        }
    }

    #[test]
    fn sentences_are_not_bylines() {
        for text in [
            "Von den Vereinten Nationen über die UNESCO bis zur OECD",
            "Von 10. bis 11. Februar fand der Gipfel statt",
            "Vom 10. bis zum 11. Februar fand der Gipfel statt",
            "Von Vereinten Nationen",
            "By 2030 the Union wants to lead",
            "By contrast, the council disagreed",
            "By Friday Morning the text was ready",
            "Par ailleurs, la Commission propose",
            "Von Berlin aus reiste die Delegation",
            "Von Maxime Lefebvre wurde das bestritten",
            "Der Autor: Maxime Lefebvre, Jahrgang 1967",
            "Von Jahr zu Jahr",
            "Von Anna",
            "BY THE EDITORS",
        ] {
            assert_eq!(byline(text), None, "{text}");
        }
        // A second name that is no name leaves the first.
        assert_eq!(
            byline("Von Anna Schmidt und dem Team").as_deref(),
            Some("Anna Schmidt")
        );
    }

    #[test]
    fn only_the_head_of_the_text_is_searched() {
        let mut blocks: Vec<Block> = (0..20)
            .map(|i| para(&format!("Absatz {i} ohne Angaben und ohne Namen.")))
            .collect();
        blocks.push(para("26.02.2025"));
        blocks.push(para("Von Erika Musterfrau"));
        assert_eq!(date_from_blocks(&blocks), None);
        assert_eq!(author_from_blocks(&blocks), None);
        blocks.insert(3, para("Von Erika Musterfrau, Berlin"));
        blocks.insert(4, para("26. Februar 2025"));
        assert_eq!(date_from_blocks(&blocks).as_deref(), Some("2025-02-26"));
        assert_eq!(
            author_from_blocks(&blocks).as_deref(),
            Some("Erika Musterfrau")
        );
        // A date inside a long paragraph is an event.
        let long = para(
            "Am 26. Februar 2025 hat die Kommission nach langen Verhandlungen mit den \
             Mitgliedstaaten und dem Parlament ihren Vorschlag endlich vorgelegt.",
        );
        assert_eq!(date_from_blocks(&[long]), None);
    }

    #[test]
    fn implausible_authors_are_dropped() {
        assert_eq!(plausible_author("publisher", None), None);
        assert_eq!(plausible_author("Autor john", None), None);
        assert_eq!(plausible_author("KonstantinNotz", None), None);
        assert_eq!(plausible_author("https://www.facebook.com/x", None), None);
        assert_eq!(
            plausible_author("Frankfurter Allgemeine Zeitung GmbH", None),
            None
        );
        assert_eq!(
            plausible_author("SPIEGEL ONLINE, Hamburg, Germany", Some("SPIEGEL ONLINE")),
            None
        );
        assert_eq!(plausible_author("Makronom", Some("Makronom")), None);
        assert_eq!(
            plausible_author("Interview Julia Lauter", Some("fluter.de")).as_deref(),
            Some("Julia Lauter")
        );
        assert_eq!(
            plausible_author("By Will Knight", Some("Wired")).as_deref(),
            Some("Will Knight")
        );
    }

    #[test]
    fn json_ld_article_with_author_array() {
        let ld = json_ld([r#"{"@context":"https://schema.org","@type":"NewsArticle",
            "headline":"Rat einigt sich &amp; vertagt","datePublished":"2025-02-26T08:00:00+01:00",
            "author":[{"@type":"Person","name":"Erika Musterfrau"},{"@type":"Person","name":"Max O&#039;Beispiel"},
                      {"@type":"Organization","name":"Beispiel-Zeitung"}],
            "publisher":{"@type":"Organization","name":"Beispiel-Zeitung"},
            "url":"https://zeitung.example/rat","inLanguage":"de-DE"}"#]);
        assert_eq!(ld.meta.title.as_deref(), Some("Rat einigt sich & vertagt"));
        assert_eq!(
            ld.meta.author.as_deref(),
            Some("Erika Musterfrau; Max O'Beispiel")
        );
        assert_eq!(ld.meta.date.as_deref(), Some("2025-02-26"));
        assert_eq!(ld.meta.site.as_deref(), Some("Beispiel-Zeitung"));
        assert_eq!(ld.meta.url.as_deref(), Some("https://zeitung.example/rat"));
        assert_eq!(ld.meta.lang.as_deref(), Some("de"));
        assert_eq!(ld.doc_type, Some(doc_type::NEWS));
        assert!(!ld.legislation);
    }

    #[test]
    fn json_ld_graph_with_references() {
        let ld = json_ld([
            "not json at all",
            r#"{"@context":"https://schema.org","@graph":[
              {"@type":"WebPage","@id":"https://x.example/#page","name":"Seite - Blog",
               "datePublished":"2020-01-01","inLanguage":"fr-FR"},
              {"@type":["Article"],"headline":"Le titre","author":{"@id":"https://x.example/#/p/1"},
               "publisher":{"@id":"https://x.example/#org"},"datePublished":"2019-05-15T06:00:01+02:00"},
              {"@type":"Person","@id":"https://x.example/#/p/1","name":"Claire Exemple"},
              {"@type":"Organization","@id":"https://x.example/#org","name":"Le Blog"}]}"#,
        ]);
        assert_eq!(ld.meta.title.as_deref(), Some("Le titre"));
        assert_eq!(ld.meta.author.as_deref(), Some("Claire Exemple"));
        assert_eq!(ld.meta.date.as_deref(), Some("2019-05-15"));
        assert_eq!(ld.meta.site.as_deref(), Some("Le Blog"));
        // The page fills what the article leaves open.
        assert_eq!(ld.meta.lang.as_deref(), Some("fr"));
        assert_eq!(ld.doc_type, Some(doc_type::ARTICLE));
    }

    #[test]
    fn json_ld_author_string_and_legislation() {
        let ld = json_ld([r#"[{"@type":"BlogPosting","name":"Notiz","author":"Jan Beispiel"}]"#]);
        assert_eq!(ld.meta.title.as_deref(), Some("Notiz"));
        assert_eq!(ld.meta.author.as_deref(), Some("Jan Beispiel"));
        let ld = json_ld([r#"{"@type":"Legislation","legislationIdentifier":"2099/1",
            "name":"Beispielverordnung","datePublished":"2099-03-01"}"#]);
        assert!(ld.legislation);
        assert_eq!(ld.doc_type, Some(doc_type::LAW));
        assert_eq!(ld.identifier.as_deref(), Some("2099/1"));
        assert_eq!(ld.meta.date.as_deref(), Some("2099-03-01"));
        let ld = json_ld([r#"{"@type":"Report","name":"Jahresbericht"}"#]);
        assert_eq!(ld.doc_type, Some(doc_type::REPORT));
        // An organisation as the only author is no author.
        let ld =
            json_ld([r#"{"@type":"NewsArticle","author":{"@type":"Organization","name":"X"}}"#]);
        assert_eq!(ld.meta.author, None);
    }

    #[test]
    fn legal_titles() {
        for t in [
            "Verordnung (EU) 2024/1689 (KI-Verordnung)",
            "REGULATION (EU) 2016/679 OF THE EUROPEAN PARLIAMENT AND OF THE COUNCIL",
            "RÈGLEMENT (UE) 2024/1689 DU PARLEMENT EUROPÉEN",
            "Directive 2009/24/EC on the legal protection of computer programs",
            "Durchführungsverordnung (EU) 2099/7",
            "Richtlinie über Produkthaftung",
        ] {
            assert!(is_legal_title(t), "{t}");
        }
        for t in [
            "Neue Richtlinie für KI-Systeme geplant",
            "What the AI regulation means for start-ups",
            "AI Action Summit: Zwischen Kooperation und Konflikt",
        ] {
            assert!(!is_legal_title(t), "{t}");
        }
    }

    #[test]
    fn complete_fills_gaps_and_sets_the_type() {
        let blocks = [
            para("Titel"),
            para("26.02.2025"),
            para("Ein Gastbeitrag von Maxime Lefebvre, Professor"),
        ];
        let mut meta = Metadata::default();
        complete(&mut meta, &blocks, doc_type::TEXT);
        assert_eq!(meta.author.as_deref(), Some("Maxime Lefebvre"));
        assert_eq!(meta.date.as_deref(), Some("2025-02-26"));
        assert_eq!(meta.doc_type.as_deref(), Some(doc_type::ARTICLE));

        // Precedence: what the markup or front matter stated stays.
        let mut meta = Metadata {
            author: Some("Erika Musterfrau".into()),
            date: Some("2024-01-02".into()),
            doc_type: Some("report".into()),
            ..Metadata::default()
        };
        complete(&mut meta, &blocks, doc_type::TEXT);
        assert_eq!(meta.author.as_deref(), Some("Erika Musterfrau"));
        assert_eq!(meta.date.as_deref(), Some("2024-01-02"));
        assert_eq!(meta.doc_type.as_deref(), Some("report"));

        let mut meta = Metadata {
            title: Some("Verordnung (EU) 2099/1".into()),
            ..Metadata::default()
        };
        complete(&mut meta, &blocks, doc_type::TEXT);
        assert_eq!(meta.doc_type.as_deref(), Some(doc_type::LAW));
        let mut meta = Metadata::default();
        complete(&mut meta, &[para("Nur Text ohne Angaben.")], doc_type::WEB);
        assert_eq!(meta.doc_type.as_deref(), Some(doc_type::WEB));
    }

    #[test]
    fn sidecar_overrides_everything_it_states() {
        let over = parse_sidecar(
            r#"{"title":"Eigener Titel","author":["Erika Musterfrau","Jan Beispiel"],
                "date":"2025-03-03","lang":"de-DE","type":"Report","note":"ignored"}"#,
        )
        .expect("valid sidecar");
        let mut meta = Metadata {
            title: Some("Erkannt".into()),
            author: Some("Falsch".into()),
            site: Some("Bleibt".into()),
            doc_type: Some("article".into()),
            ..Metadata::default()
        };
        overlay(&mut meta, over);
        assert_eq!(meta.title.as_deref(), Some("Eigener Titel"));
        assert_eq!(
            meta.author.as_deref(),
            Some("Erika Musterfrau; Jan Beispiel")
        );
        assert_eq!(meta.date.as_deref(), Some("2025-03-03"));
        assert_eq!(meta.lang.as_deref(), Some("de"));
        assert_eq!(meta.site.as_deref(), Some("Bleibt"));
        assert_eq!(meta.doc_type.as_deref(), Some("report"));

        assert!(matches!(parse_sidecar("[1]"), Err(SidecarError::NotObject)));
        assert!(matches!(parse_sidecar("{"), Err(SidecarError::Json(_))));
        assert!(matches!(
            parse_sidecar(r#"{"date":"gestern"}"#),
            Err(SidecarError::BadDate(_))
        ));
        assert!(matches!(
            parse_sidecar(r#"{"title":3}"#),
            Err(SidecarError::NotString(_))
        ));
        assert_eq!(
            sidecar_names("seed.txt"),
            vec![
                "seed.txt.meta.json".to_string(),
                "seed.meta.json".to_string()
            ]
        );
        assert_eq!(
            sidecar_names("README"),
            vec!["README.meta.json".to_string()]
        );
    }
}
