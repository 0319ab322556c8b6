//! Citations of documents and passages: from a [`Hit`] to a reference in APA or Chicago
//! style, or to a record in BibTeX, RIS or CSL-JSON that reference managers (Zotero) import.
//!
//! This module owns what a citation says — who the author is (people, or the institution that
//! adopted a law), the type of the work in each format, the locator (article or page), the
//! quoted passage, the citation key — and each format's escaping. It renders from the stored
//! hit alone and never reads the index or the clock: the access date is handed in.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::hit::Hit;
use crate::instrument;

/// A citation format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// APA 7th edition reference list entry.
    Apa,
    /// Chicago 17th edition bibliography entry (notes and bibliography).
    Chicago,
    /// BibTeX / biblatex records.
    Bibtex,
    /// RIS records.
    Ris,
    /// A CSL-JSON array.
    CslJson,
}

/// A calendar date as far as it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

impl Date {
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` with a real month and day; `None` otherwise.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.trim().split('-');
        let year = parts.next().filter(|y| y.len() == 4)?.parse().ok()?;
        let mut number = |max: u32| -> Option<Option<u32>> {
            match parts.next() {
                None => Some(None),
                Some(p) if p.len() == 2 => {
                    let n: u32 = p.parse().ok()?;
                    (1..=max).contains(&n).then_some(Some(n))
                }
                Some(_) => None,
            }
        };
        let month = number(12)?;
        let day = match month {
            Some(m) => number(days_in_month(year, m))?,
            None => None,
        };
        parts.next().is_none().then_some(Date { year, month, day })
    }

    /// The day `seconds` after the Unix epoch, in UTC.
    pub fn from_unix(seconds: u64) -> Date {
        // Days to a civil date, counting from 0000-03-01 so that leap days end a year.
        let days = (seconds / 86_400) as i64 + 719_468;
        let era = days.div_euclid(146_097);
        let day_of_era = days.rem_euclid(146_097);
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let shifted_month = (5 * day_of_year + 2) / 153;
        let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
        let month = if shifted_month < 10 {
            shifted_month + 3
        } else {
            shifted_month - 9
        } as u32;
        let year = (year_of_era + era * 400 + i64::from(month <= 2)) as i32;
        Date {
            year,
            month: Some(month),
            day: Some(day),
        }
    }

    /// `YYYY-MM-DD`, or as much of it as is known.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    /// "February 26, 2025", "February 2025" or "2025".
    fn english(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{} {d}, {}", month_name(m), self.year),
            (Some(m), None) => format!("{} {}", month_name(m), self.year),
            _ => self.year.to_string(),
        }
    }

    /// CSL's `[[Y, M, D]]`, as far as known.
    fn date_parts(&self) -> Value {
        let mut parts = vec![json!(self.year)];
        if let Some(m) = self.month {
            parts.push(json!(m));
            if let Some(d) = self.day {
                parts.push(json!(d));
            }
        }
        json!({ "date-parts": [parts] })
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn month_name(month: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES[(month.clamp(1, 12) - 1) as usize]
}

/// One author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Name {
    Person {
        family: String,
        given: String,
    },
    /// An institution, a news agency, an editorial team: one name, never split.
    Institution(String),
}

/// What kind of work is cited; each format has its own word for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Webpage,
    News,
    /// An article published online that is not news (an analysis, a blog post).
    Article,
    Report,
    Law,
}

/// Everything a citation says, in neutral form.
#[derive(Debug, Clone, PartialEq)]
pub struct Citation {
    /// Citation key, unique within one output (see [`assign_keys`]).
    pub key: String,
    /// The passage or document id cited.
    pub id: String,
    pub kind: Kind,
    pub authors: Vec<Name>,
    pub title: String,
    /// Site or publisher.
    pub site: Option<String>,
    pub date: Option<Date>,
    pub url: Option<String>,
    pub lang: String,
    /// The number of a law ("2024/1689").
    pub number: Option<String>,
    /// Where in the work: "Article 5(1)", "p. 12".
    pub locator: Option<String>,
    /// The passage quoted, on one line.
    pub quote: Option<String>,
}

/// Whether the whole document or the one passage of a hit is cited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Document,
    Passage,
}

/// The citation of `hit`'s passage or document. Keys are readable but not yet unique: run
/// [`assign_keys`] over everything printed together.
pub fn citation(hit: &Hit, scope: Scope) -> Citation {
    let act = instrument::eu_act(&hit.title);
    let kind = match hit.doc_type.as_deref() {
        Some("law") => Kind::Law,
        Some("news") => Kind::News,
        Some("report") => Kind::Report,
        Some("article") => Kind::Article,
        None if act.is_some() => Kind::Law,
        _ => Kind::Webpage,
    };
    let mut authors: Vec<Name> = hit
        .author
        .as_deref()
        .unwrap_or("")
        .split("; ")
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(parse_name)
        .collect();
    // A law has no personal author: the institution that adopted it stands in that place.
    let mut by_the_union = false;
    if authors.is_empty()
        && let Some(act) = &act
    {
        authors.push(Name::Institution(act.issuer.name(&hit.lang).to_string()));
        by_the_union = true;
    }
    let (id, locator, quote) = match scope {
        Scope::Document => (hit.doc_id.clone(), None, None),
        Scope::Passage => (
            hit.passage_id.clone(),
            hit.section
                .clone()
                .or_else(|| hit.page.map(|p| format!("p. {p}"))),
            Some(one_line(&hit.text)),
        ),
    };
    let mut citation = Citation {
        key: String::new(),
        id,
        kind,
        authors,
        title: one_line(&hit.title),
        site: hit.site.as_deref().map(one_line),
        date: hit.date.as_deref().and_then(Date::parse).or_else(|| {
            // An undated law is still of the year its number names ("2024/1689").
            let number = act.as_ref().and_then(|a| a.number.as_deref())?;
            let year = number.split('/').next()?.parse().ok()?;
            Some(Date {
                year,
                month: None,
                day: None,
            })
        }),
        url: hit.url.clone(),
        lang: hit.lang.clone(),
        number: act
            .and_then(|a| a.number)
            .or_else(|| (kind == Kind::Law).then(|| instrument::act_number(&hit.title))?),
        locator,
        quote,
    };
    citation.key = base_key(&citation, by_the_union);
    if scope == Scope::Passage {
        citation.key.push_str(&format!("-p{}", hit.ordinal));
    }
    citation
}

/// Makes keys unique within one output: the first keeps its key, later ones with the same
/// key get `b`, `c`, … appended, so citing one work alone always gives the plain key.
pub fn assign_keys(citations: &mut [Citation]) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let taken: std::collections::HashSet<String> =
        citations.iter().map(|c| c.key.clone()).collect();
    for citation in citations.iter_mut() {
        let count = seen.entry(citation.key.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            let base = citation.key.clone();
            let mut n = *count;
            loop {
                let candidate = format!("{base}{}", suffix(n));
                if !taken.contains(&candidate) {
                    citation.key = candidate;
                    break;
                }
                n += 1;
            }
        }
    }
}

/// 2 → "b", 26 → "z", 27 → "za", …
fn suffix(n: usize) -> String {
    let mut out = String::new();
    let mut n = n - 1;
    while n >= 26 {
        out.push('z');
        n -= 25;
    }
    out.push((b'a' + n as u8) as char);
    out
}

/// Writes `citations` in `style`; `accessed` is the access date the formats carry.
pub fn render(citations: &[Citation], style: Style, accessed: Date) -> String {
    match style {
        Style::Apa | Style::Chicago => {
            let mut out = String::new();
            for (i, c) in citations.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                out.push_str(&reference(c, style, accessed));
                out.push('\n');
                if let Some(quote) = &c.quote {
                    let _ = writeln!(out, "  “{quote}”");
                }
            }
            out
        }
        Style::Bibtex => citations
            .iter()
            .map(|c| bibtex(c, accessed))
            .collect::<Vec<_>>()
            .join("\n"),
        Style::Ris => citations
            .iter()
            .map(|c| ris(c, accessed))
            .collect::<Vec<_>>()
            .join("\n"),
        Style::CslJson => {
            let items: Vec<Value> = citations.iter().map(|c| csl(c, accessed)).collect();
            let mut text = serde_json::to_string_pretty(&Value::Array(items))
                .expect("a JSON value always serialises");
            text.push('\n');
            text
        }
    }
}

/// The one-line reference of `citation` in APA or Chicago style (the other styles are
/// records, not lines; they get APA).
pub fn reference(citation: &Citation, style: Style, accessed: Date) -> String {
    match style {
        Style::Chicago => chicago(citation, accessed),
        _ => apa(citation, accessed),
    }
}

// ---------------------------------------------------------------------------------------
// Names and keys
// ---------------------------------------------------------------------------------------

/// Words that make a name an institution's rather than a person's.
const INSTITUTION_WORDS: &[&str] = &[
    "agency",
    "agentur",
    "amt",
    "association",
    "authority",
    "behörde",
    "board",
    "bundesamt",
    "bureau",
    "center",
    "centre",
    "commission",
    "committee",
    "council",
    "department",
    "editorial",
    "foundation",
    "gmbh",
    "government",
    "group",
    "inc",
    "institut",
    "institute",
    "kommission",
    "ltd",
    "ministerium",
    "ministry",
    "network",
    "news",
    "office",
    "parliament",
    "press",
    "rat",
    "redaktion",
    "regierung",
    "staff",
    "stiftung",
    "team",
    "union",
    "universität",
    "university",
    "verband",
];

/// Lower-case particles that belong to the family name ("von der Leyen", "van Dijk").
const PARTICLES: &[&str] = &[
    "von", "van", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "ter", "zu",
];

/// A person's name ("Maxime Lefebvre", "Lefebvre, Maxime", "Ursula von der Leyen") or an
/// institution's (a single word, or a name with an institutional word).
fn parse_name(raw: &str) -> Name {
    let words: Vec<&str> = raw.split_whitespace().collect();
    let institutional = words.len() < 2
        || words.len() > 5
        || words.iter().any(|w| {
            let w = w
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            INSTITUTION_WORDS.contains(&w.as_str())
        });
    if institutional {
        return Name::Institution(raw.to_string());
    }
    if let Some((family, given)) = raw.split_once(',') {
        let (family, given) = (family.trim(), given.trim());
        if !family.is_empty() && !given.is_empty() {
            return Name::Person {
                family: family.to_string(),
                given: given.to_string(),
            };
        }
    }
    let family_start = (1..words.len())
        .find(|&i| PARTICLES.contains(&words[i]))
        .unwrap_or(words.len() - 1);
    Name::Person {
        family: words[family_start..].join(" "),
        given: words[..family_start].join(" "),
    }
}

/// Words a key's title part skips.
const STOP_WORDS: &[&str] = &[
    "a", "an", "the", "of", "on", "in", "and", "for", "to", "with", "der", "die", "das", "ein",
    "eine", "und", "zur", "zum", "über", "mit", "von", "im", "le", "la", "les", "un", "une", "des",
    "du", "de", "et", "het", "een", "van", "en", "was", "wie",
];

/// `family` + year + first significant title word, in ASCII: `lefebvre2025ai`,
/// `eu2024regulation` for an act whose author is an institution of the Union; without a
/// date, no year (`lefebvreai`).
fn base_key(citation: &Citation, by_the_union: bool) -> String {
    let name = match citation.authors.first() {
        Some(_) if by_the_union => "eu".to_string(),
        Some(Name::Person { family, .. }) => {
            let last = family
                .split_whitespace()
                .rfind(|w| !PARTICLES.contains(w))
                .unwrap_or(family);
            ascii_word(last)
        }
        Some(Name::Institution(name)) => {
            let capitals: Vec<&str> = name
                .split_whitespace()
                .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
                .collect();
            if capitals.len() >= 2 {
                capitals
                    .iter()
                    .filter_map(|w| ascii_word(w).chars().next())
                    .collect()
            } else {
                ascii_word(name)
            }
        }
        None => citation
            .site
            .as_deref()
            .and_then(|s| {
                s.split(|c: char| !c.is_alphanumeric())
                    .find(|w| !w.is_empty())
            })
            .map(ascii_word)
            .unwrap_or_default(),
    };
    let year = citation
        .date
        .map_or_else(String::new, |d| d.year.to_string());
    let word = citation
        .title
        .split(|c: char| !c.is_alphanumeric())
        .map(|w| w.to_lowercase())
        .find(|w| {
            w.chars().count() > 1
                && !STOP_WORDS.contains(&w.as_str())
                && !w.chars().all(|c| c.is_ascii_digit())
                && ascii_word(w) != name
        })
        .map(|w| ascii_word(&w))
        .unwrap_or_default();
    let key = format!("{name}{year}{word}");
    if key.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
        key
    } else {
        format!("ref{key}")
    }
}

/// Lower-case ASCII letters and digits of `word`, accents dropped ("Müller" → "muller",
/// "Straße" → "strasse").
fn ascii_word(word: &str) -> String {
    let mut out = String::new();
    for c in word.chars().flat_map(char::to_lowercase) {
        match c {
            'a'..='z' | '0'..='9' => out.push(c),
            'à'..='å' | 'ā' | 'ă' | 'ą' => out.push('a'),
            'æ' => out.push_str("ae"),
            'ç' | 'ć' | 'č' => out.push('c'),
            'ď' | 'đ' => out.push('d'),
            'è'..='ë' | 'ē' | 'ė' | 'ę' | 'ě' => out.push('e'),
            'ì'..='ï' | 'ī' | 'į' => out.push('i'),
            'ł' | 'ľ' => out.push('l'),
            'ñ' | 'ń' | 'ň' => out.push('n'),
            'ò'..='ö' | 'ø' | 'ō' | 'ő' => out.push('o'),
            'œ' => out.push_str("oe"),
            'ř' => out.push('r'),
            'ś' | 'š' | 'ș' | 'ş' => out.push('s'),
            'ß' => out.push_str("ss"),
            'ť' | 'ț' => out.push('t'),
            'ù'..='ü' | 'ū' | 'ů' | 'ű' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            'ź' | 'ż' | 'ž' => out.push('z'),
            _ => {}
        }
    }
    out
}

/// `text` with its line breaks and runs of spaces turned into single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace()
        .filter(|w| !w.chars().all(char::is_control))
        .collect::<Vec<_>>()
        .join(" ")
}

// ---------------------------------------------------------------------------------------
// APA and Chicago
// ---------------------------------------------------------------------------------------

/// `text` ending in one full stop, whatever punctuation it had.
fn sentence(text: &str) -> String {
    if text.ends_with(['.', '?', '!']) {
        text.to_string()
    } else {
        format!("{text}.")
    }
}

fn apa_name(name: &Name) -> String {
    match name {
        Name::Institution(name) => name.clone(),
        Name::Person { family, given } => {
            let initials: Vec<String> = given
                .split_whitespace()
                .map(|part| {
                    // "Jean-Luc" → "J.-L."
                    part.split('-')
                        .filter_map(|p| p.chars().next())
                        .map(|c| format!("{c}."))
                        .collect::<Vec<_>>()
                        .join("-")
                })
                .collect();
            if initials.is_empty() {
                family.clone()
            } else {
                format!("{family}, {}", initials.join(" "))
            }
        }
    }
}

fn apa(c: &Citation, accessed: Date) -> String {
    let names: Vec<String> = c.authors.iter().map(apa_name).collect();
    let authors = match names.as_slice() {
        [] => None,
        [one] => Some(one.clone()),
        [first, second] => Some(format!("{first}, & {second}")),
        [rest @ .., last] => Some(format!("{}, & {last}", rest.join(", "))),
    };
    let date = match c.date {
        Some(Date {
            year,
            month: Some(m),
            day: Some(d),
        }) => format!("({year}, {} {d})", month_name(m)),
        Some(Date {
            year,
            month: Some(m),
            day: None,
        }) => format!("({year}, {})", month_name(m)),
        Some(Date { year, .. }) => format!("({year})"),
        None => "(n.d.)".to_string(),
    };
    let title = match &c.locator {
        Some(locator) => format!("{}, {locator}", c.title),
        None => c.title.clone(),
    };
    let mut parts = Vec::new();
    match authors {
        Some(authors) => {
            parts.push(sentence(&authors));
            parts.push(format!("{date}."));
            parts.push(sentence(&title));
        }
        // Without an author, APA moves the title to the author's place.
        None => {
            parts.push(sentence(&title));
            parts.push(format!("{date}."));
        }
    }
    if let Some(site) = &c.site
        && !c.authors.iter().any(|a| apa_name(a) == *site)
    {
        parts.push(sentence(site));
    }
    if let Some(url) = &c.url {
        // A page without a date may change: APA then gives the day it was read.
        if c.date.is_none() {
            parts.push(format!("Retrieved {}, from {url}", accessed.english()));
        } else {
            parts.push(url.clone());
        }
    }
    parts.join(" ")
}

fn chicago(c: &Citation, accessed: Date) -> String {
    let names: Vec<String> = c
        .authors
        .iter()
        .enumerate()
        .map(|(i, name)| match name {
            Name::Institution(name) => name.clone(),
            Name::Person { family, given } if i == 0 => format!("{family}, {given}"),
            Name::Person { family, given } => format!("{given} {family}"),
        })
        .collect();
    let authors = match names.as_slice() {
        [] => None,
        [one] => Some(one.clone()),
        [first, second] => Some(format!("{first}, and {second}")),
        [rest @ .., last] => Some(format!("{}, and {last}", rest.join(", "))),
    };
    let quoted = matches!(c.kind, Kind::News | Kind::Article | Kind::Webpage);
    let title = match (&c.locator, quoted) {
        (Some(locator), true) => format!("“{},” {locator}.", c.title.trim_end_matches('.')),
        (None, true) => format!("“{}.”", c.title.trim_end_matches('.')),
        (Some(locator), false) => format!("{}, {locator}.", c.title),
        (None, false) => sentence(&c.title),
    };
    let mut parts = Vec::new();
    if let Some(authors) = authors {
        parts.push(sentence(&authors));
    }
    parts.push(title);
    let published = match (&c.site, c.date) {
        (Some(site), Some(date)) => Some(format!("{site}, {}.", date.english())),
        (Some(site), None) => Some(sentence(site)),
        (None, Some(date)) => Some(format!("{}.", date.english())),
        (None, None) => None,
    };
    parts.extend(published);
    if c.date.is_none() {
        parts.push(format!("Accessed {}.", accessed.english()));
    }
    if let Some(url) = &c.url {
        parts.push(format!("{url}."));
    }
    parts.join(" ")
}

// ---------------------------------------------------------------------------------------
// BibTeX
// ---------------------------------------------------------------------------------------

/// `text` safe inside a braced BibTeX value: the characters TeX gives a meaning escaped.
pub fn bibtex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '%' | '&' | '#' | '_' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A URL as a verbatim BibTeX value: braces and spaces percent-encoded so the value stays
/// balanced; everything else as it is (`url` is read verbatim).
fn bibtex_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            '{' => out.push_str("%7B"),
            '}' => out.push_str("%7D"),
            c if c.is_whitespace() || c.is_control() => out.push_str("%20"),
            c => out.push(c),
        }
    }
    out
}

fn bibtex_name(name: &Name) -> String {
    match name {
        Name::Person { family, given } => {
            format!("{}, {}", bibtex_escape(family), bibtex_escape(given))
        }
        // Braced: one name, whatever "and" or commas it contains.
        Name::Institution(name) => format!("{{{}}}", bibtex_escape(name)),
    }
}

/// The quoted passage with its locator, for `note` fields.
fn passage_note(c: &Citation) -> Option<String> {
    match (&c.locator, &c.quote) {
        (Some(locator), Some(quote)) => Some(format!("{locator}: “{quote}”")),
        (None, Some(quote)) => Some(format!("“{quote}”")),
        (Some(locator), None) => Some(locator.clone()),
        (None, None) => None,
    }
}

/// One BibTeX record. Types are those Zotero imports to the matching item: `@online`
/// (web page), `@article` with `journal` (newspaper and other articles: BibTeX has no
/// newspaper type), `@techreport` (report), `@misc` with `howpublished` (a law: BibTeX and
/// Zotero's importer have no legislation type).
fn bibtex(c: &Citation, accessed: Date) -> String {
    let (entry_type, site_field) = match c.kind {
        Kind::Webpage => ("online", "organization"),
        Kind::News | Kind::Article => ("article", "journal"),
        Kind::Report => ("techreport", "institution"),
        Kind::Law => ("misc", "howpublished"),
    };
    let mut fields: Vec<(&str, String)> = Vec::new();
    if !c.authors.is_empty() {
        let names: Vec<String> = c.authors.iter().map(bibtex_name).collect();
        fields.push(("author", names.join(" and ")));
    }
    // Braced twice so that BibTeX styles keep the title's capitals.
    fields.push(("title", format!("{{{}}}", bibtex_escape(&c.title))));
    if let Some(site) = &c.site {
        fields.push((site_field, bibtex_escape(site)));
    }
    if let Some(date) = c.date {
        fields.push(("date", date.iso()));
        fields.push(("year", date.year.to_string()));
    }
    if let Some(number) = &c.number {
        fields.push(("number", bibtex_escape(number)));
    }
    if let Some(url) = &c.url {
        fields.push(("url", bibtex_url(url)));
    }
    fields.push(("urldate", accessed.iso()));
    if !c.lang.is_empty() && c.lang != "und" {
        fields.push(("language", bibtex_escape(&c.lang)));
    }
    if let Some(note) = passage_note(c) {
        fields.push(("note", bibtex_escape(&note)));
    }
    let mut out = format!("@{entry_type}{{{},\n", c.key);
    for (name, value) in fields {
        let _ = writeln!(out, "  {name} = {{{value}}},");
    }
    out.push_str("}\n");
    out
}

// ---------------------------------------------------------------------------------------
// RIS
// ---------------------------------------------------------------------------------------

/// One RIS record: one `TAG  - value` a line, from `TY` to `ER`. Types: `ELEC` (web page,
/// online article), `NEWS`, `RPRT`, `STAT` (statute: Zotero's own export type for a law).
fn ris(c: &Citation, accessed: Date) -> String {
    let ty = match c.kind {
        Kind::Webpage | Kind::Article => "ELEC",
        Kind::News => "NEWS",
        Kind::Report => "RPRT",
        Kind::Law => "STAT",
    };
    let mut lines: Vec<(&str, String)> = vec![("TY", ty.to_string()), ("ID", c.key.clone())];
    for name in &c.authors {
        lines.push((
            "AU",
            match name {
                Name::Person { family, given } => format!("{family}, {given}"),
                Name::Institution(name) => name.clone(),
            },
        ));
    }
    lines.push(("TI", c.title.clone()));
    if let Some(site) = &c.site {
        lines.push((
            if c.kind == Kind::Report { "PB" } else { "T2" },
            site.clone(),
        ));
    }
    if let Some(date) = c.date {
        lines.push(("PY", format!("{:04}", date.year)));
        let ris_date = match (date.month, date.day) {
            (Some(m), Some(d)) => format!("{:04}/{m:02}/{d:02}/", date.year),
            (Some(m), None) => format!("{:04}/{m:02}//", date.year),
            _ => format!("{:04}///", date.year),
        };
        lines.push(("DA", ris_date));
    }
    if let Some(number) = &c.number {
        lines.push(("M1", number.clone()));
    }
    if let Some(url) = &c.url {
        lines.push(("UR", url.clone()));
    }
    lines.push((
        "Y2",
        format!(
            "{:04}/{:02}/{:02}/",
            accessed.year,
            accessed.month.unwrap_or(1),
            accessed.day.unwrap_or(1)
        ),
    ));
    if !c.lang.is_empty() && c.lang != "und" {
        lines.push(("LA", c.lang.clone()));
    }
    if let Some(locator) = &c.locator {
        lines.push(("SE", locator.clone()));
    }
    if let Some(note) = passage_note(c) {
        lines.push(("N1", note));
    }
    let mut out = String::new();
    for (tag, value) in lines {
        let _ = writeln!(out, "{tag}  - {}", one_line(&value));
    }
    out.push_str("ER  - \n");
    out
}

// ---------------------------------------------------------------------------------------
// CSL-JSON
// ---------------------------------------------------------------------------------------

/// One CSL-JSON item. CSL items have no locator field: the article or page goes into `note`
/// with the quoted passage.
fn csl(c: &Citation, accessed: Date) -> Value {
    let ty = match c.kind {
        Kind::Webpage => "webpage",
        Kind::News => "article-newspaper",
        Kind::Article => "article",
        Kind::Report => "report",
        Kind::Law => "legislation",
    };
    let mut item = serde_json::Map::new();
    item.insert("id".into(), json!(c.key));
    item.insert("type".into(), json!(ty));
    item.insert("title".into(), json!(c.title));
    if !c.authors.is_empty() {
        let authors: Vec<Value> = c
            .authors
            .iter()
            .map(|name| match name {
                Name::Person { family, given } => json!({ "family": family, "given": given }),
                Name::Institution(name) => json!({ "literal": name }),
            })
            .collect();
        item.insert("author".into(), Value::Array(authors));
    }
    if let Some(site) = &c.site {
        let field = if c.kind == Kind::Report {
            "publisher"
        } else {
            "container-title"
        };
        item.insert(field.into(), json!(site));
    }
    if let Some(date) = c.date {
        item.insert("issued".into(), date.date_parts());
    }
    item.insert("accessed".into(), accessed.date_parts());
    if let Some(url) = &c.url {
        item.insert("URL".into(), json!(url));
    }
    if let Some(number) = &c.number {
        item.insert("number".into(), json!(number));
    }
    if !c.lang.is_empty() && c.lang != "und" {
        item.insert("language".into(), json!(c.lang));
    }
    if let Some(note) = passage_note(c) {
        item.insert("note".into(), json!(note));
    }
    Value::Object(item)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit() -> Hit {
        Hit {
            rank: 1,
            score: 0.0,
            passage_id: "news/gipfel#p3".into(),
            doc_id: "news/gipfel".into(),
            ordinal: 3,
            title: "Der Gipfel & die {Folgen}".into(),
            author: Some("Maxime Lefebvre; Ursula von der Leyen".into()),
            date: Some("2025-02-26".into()),
            site: Some("Gipfelblatt".into()),
            doc_type: Some("news".into()),
            url: Some("https://example.org/gipfel?a=1&b=%20".into()),
            lang: "de".into(),
            path: "news/gipfel.md".into(),
            heading: None,
            section: None,
            page: Some(12),
            also_in: vec![],
            links: Vec::new(),
            text: "Die KI-Regulierung\nbleibt 100% offen.".into(),
            highlights: vec![],
            generation: "g000001:1".into(),
            more_in_doc: None,
            explain: None,
        }
    }

    const ACCESSED: Date = Date {
        year: 2026,
        month: Some(3),
        day: Some(1),
    };

    #[test]
    fn dates_parse_strictly_and_count_days_from_the_epoch() {
        assert_eq!(
            Date::parse("2024-02-29").map(|d| d.iso()),
            Some("2024-02-29".into())
        );
        for bad in [
            "2023-02-29",
            "2024-13",
            "24-01-01",
            "2024-1-1",
            "2024-01-01-01",
            "",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert_eq!(Date::from_unix(0).iso(), "1970-01-01");
        assert_eq!(Date::from_unix(951_782_400).iso(), "2000-02-29");
        assert_eq!(Date::from_unix(1_740_528_000).iso(), "2025-02-26");
    }

    #[test]
    fn names_split_into_family_and_given_unless_institutional() {
        assert_eq!(
            parse_name("Ursula von der Leyen"),
            Name::Person {
                family: "von der Leyen".into(),
                given: "Ursula".into()
            }
        );
        assert_eq!(
            parse_name("Lefebvre, Maxime"),
            Name::Person {
                family: "Lefebvre".into(),
                given: "Maxime".into()
            }
        );
        for institution in ["dpa", "European Commission", "Redaktion netzpolitik.org"] {
            assert_eq!(
                parse_name(institution),
                Name::Institution(institution.into())
            );
        }
    }

    #[test]
    fn keys_are_readable_and_unique_within_an_output() {
        let mut citations = vec![
            citation(&hit(), Scope::Document),
            citation(&hit(), Scope::Document),
            citation(&hit(), Scope::Passage),
        ];
        assign_keys(&mut citations);
        let keys: Vec<&str> = citations.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "lefebvre2025gipfel",
                "lefebvre2025gipfelb",
                "lefebvre2025gipfel-p3"
            ]
        );
        let mut law = hit();
        law.title =
            "REGULATION (EU) 2024/1689 OF THE EUROPEAN PARLIAMENT AND OF THE COUNCIL".into();
        law.author = None;
        law.doc_type = Some("law".into());
        law.date = Some("2024-07-12".into());
        law.lang = "en".into();
        let c = citation(&law, Scope::Document);
        assert_eq!(c.key, "eu2024regulation");
        assert_eq!(
            c.authors,
            [Name::Institution(
                "European Parliament and Council of the European Union".into()
            )]
        );
        assert_eq!(c.number.as_deref(), Some("2024/1689"));
    }

    #[test]
    fn text_styles_name_the_locator_after_the_title() {
        let c = citation(&hit(), Scope::Passage);
        assert_eq!(
            reference(&c, Style::Apa, ACCESSED),
            "Lefebvre, M., & von der Leyen, U. (2025, February 26). Der Gipfel & die {Folgen}, \
             p. 12. Gipfelblatt. https://example.org/gipfel?a=1&b=%20"
        );
        assert_eq!(
            reference(&c, Style::Chicago, ACCESSED),
            "Lefebvre, Maxime, and Ursula von der Leyen. “Der Gipfel & die {Folgen},” p. 12. \
             Gipfelblatt, February 26, 2025. https://example.org/gipfel?a=1&b=%20."
        );
        let mut undated = hit();
        undated.date = None;
        undated.author = None;
        let c = citation(&undated, Scope::Document);
        assert_eq!(
            reference(&c, Style::Apa, ACCESSED),
            "Der Gipfel & die {Folgen}. (n.d.). Gipfelblatt. Retrieved March 1, 2026, from \
             https://example.org/gipfel?a=1&b=%20"
        );
    }

    #[test]
    fn bibtex_escapes_what_tex_would_read() {
        assert_eq!(
            bibtex_escape(r"50% & {x}_1 #2 $3 ~ ^ \"),
            r"50\% \& \{x\}\_1 \#2 \$3 \textasciitilde{} \textasciicircum{} \textbackslash{}"
        );
        let record = render(&[citation(&hit(), Scope::Passage)], Style::Bibtex, ACCESSED);
        assert!(
            record.starts_with("@article{lefebvre2025gipfel-p3,\n"),
            "{record}"
        );
        assert!(record.contains("  title = {{Der Gipfel \\& die \\{Folgen\\}}},\n"));
        assert!(record.contains("  note = {p. 12: “Die KI-Regulierung bleibt 100\\% offen.”},\n"));
        assert!(record.contains("  url = {https://example.org/gipfel?a=1&b=%20},\n"));
        assert!(record.ends_with("}\n"));
    }
}
