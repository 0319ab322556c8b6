//! Legal instruments named in a document's title: the act's number ("2024/1689", also written
//! as the CELEX number `32024R1689`), whether it is an act of the European Union, and which
//! institution adopted it.
//!
//! The number is what makes the German, English and French texts of one regulation the same
//! act (`show --parallel`); the issuer is what a citation names as the act's author. Pure
//! functions of the title only: the running text of a law cites dozens of other acts, so it
//! says nothing about which act the document *is*.

/// An act of the European Union recognised by its title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EuAct {
    /// "2024/1689".
    pub number: Option<String>,
    pub issuer: Issuer,
}

/// Who adopted an EU act; a citation names them as its author.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Issuer {
    /// The ordinary legislative procedure: most regulations and directives since 2009.
    ParliamentAndCouncil,
    Council,
    Commission,
}

impl Issuer {
    /// The institution's name in the document's language (`de`, `fr`, `nl`; English for
    /// every other language), as a citation's author.
    pub fn name(self, lang: &str) -> &'static str {
        match (self, lang) {
            (Issuer::ParliamentAndCouncil, "de") => {
                "Europäisches Parlament und Rat der Europäischen Union"
            }
            (Issuer::ParliamentAndCouncil, "fr") => {
                "Parlement européen et Conseil de l'Union européenne"
            }
            (Issuer::ParliamentAndCouncil, "nl") => {
                "Europees Parlement en Raad van de Europese Unie"
            }
            (Issuer::ParliamentAndCouncil, _) => {
                "European Parliament and Council of the European Union"
            }
            (Issuer::Council, "de") => "Rat der Europäischen Union",
            (Issuer::Council, "fr") => "Conseil de l'Union européenne",
            (Issuer::Council, "nl") => "Raad van de Europese Unie",
            (Issuer::Council, _) => "Council of the European Union",
            (Issuer::Commission, "de") => "Europäische Kommission",
            (Issuer::Commission, "fr") => "Commission européenne",
            (Issuer::Commission, "nl") => "Europese Commissie",
            (Issuer::Commission, _) => "European Commission",
        }
    }
}

/// Words that name the kind of an act in the corpus languages.
const ACT_WORDS: &[&str] = &[
    "regulation",
    "directive",
    "decision",
    "verordnung",
    "richtlinie",
    "beschluss",
    "durchführungsverordnung",
    "règlement",
    "reglement",
    "décision",
    "verordening",
    "richtlijn",
    "besluit",
    "uitvoeringsverordening",
    "reglamento",
    "directiva",
    "decisión",
    "regolamento",
    "direttiva",
    "decisione",
    "rendelet",
    "irányelv",
    "határozat",
];

/// The Union's marks in an act's title, in the corpus languages (EU, EC, EEC and their
/// translations).
const UNION_MARKS: &[&str] = &[
    "(eu)", "(ue)", "(eg)", "(ec)", "(ce)", "(eeg)", "(ewg)", "(eec)",
];

/// The act's number: the first `YYYY/N` in the title ("Regulation (EU) 2024/1689 …" →
/// "2024/1689"), or a CELEX number of an act (`32024R1689` → "2024/1689"). The first, because
/// an act's own number comes before the acts its title says it amends.
pub fn act_number(title: &str) -> Option<String> {
    let chars: Vec<char> = title.chars().collect();
    for start in 0..chars.len() {
        if start > 0 && (chars[start - 1].is_ascii_alphanumeric() || chars[start - 1] == '/') {
            continue;
        }
        if let Some(number) = year_slash_number(&chars[start..]).or_else(|| celex(&chars[start..]))
        {
            return Some(number);
        }
    }
    None
}

/// `YYYY/N…` at the start of `chars`, with a plausible year (old-style "No 300/2008" puts the
/// running number first and is not matched).
fn year_slash_number(chars: &[char]) -> Option<String> {
    let year: String = chars.iter().take(4).collect();
    let plausible = year.len() == 4
        && year.chars().all(|c| c.is_ascii_digit())
        && (1950..=2099).contains(&year.parse::<u32>().ok()?);
    if !plausible || chars.get(4) != Some(&'/') {
        return None;
    }
    let digits: String = chars[5..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let ends_well = chars
        .get(5 + digits.len())
        .is_none_or(|c| !c.is_alphanumeric());
    (!digits.is_empty() && digits.len() <= 5 && ends_well)
        .then(|| format!("{year}/{}", digits.trim_start_matches('0')))
}

/// A CELEX number of an act (`3` for secondary law, year, `R`/`L`/`D` for regulation,
/// directive, decision, four digits) at the start of `chars`, as `YYYY/N`.
fn celex(chars: &[char]) -> Option<String> {
    let word: String = chars
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let bytes = word.as_bytes();
    let ok = bytes.len() == 10
        && bytes[0] == b'3'
        && bytes[1..5].iter().all(u8::is_ascii_digit)
        && matches!(bytes[5], b'R' | b'L' | b'D')
        && bytes[6..].iter().all(u8::is_ascii_digit);
    ok.then(|| format!("{}/{}", &word[1..5], word[6..].trim_start_matches('0')))
}

/// The EU act a title names, if it names one: an act word ("Regulation", "Verordnung",
/// "Règlement", …) and the Union's mark ("(EU)", "(UE)", "(EG)", …).
pub fn eu_act(title: &str) -> Option<EuAct> {
    let lower = title.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let is_act = words.iter().any(|w| ACT_WORDS.contains(w));
    let is_union = UNION_MARKS.iter().any(|mark| lower.contains(mark));
    if !is_act || !is_union {
        return None;
    }
    Some(EuAct {
        number: act_number(title),
        issuer: issuer(&lower),
    })
}

/// The adopting institution, from the title's own words; an act that names none is taken to
/// come from Parliament and Council, the ordinary procedure for regulations and directives.
fn issuer(lower: &str) -> Issuer {
    let parliament = ["parliament", "parlament", "parlement", "parlamento"]
        .iter()
        .any(|w| lower.contains(w));
    let commission = [
        "commission",
        "kommission",
        "commissie",
        "comisión",
        "commissione",
    ]
    .iter()
    .any(|w| lower.contains(w));
    let council = [
        "council",
        "des rates",
        "conseil",
        "raad",
        "consejo",
        "consiglio",
    ]
    .iter()
    .any(|w| lower.contains(w));
    if parliament {
        Issuer::ParliamentAndCouncil
    } else if commission {
        Issuer::Commission
    } else if council {
        Issuer::Council
    } else {
        Issuer::ParliamentAndCouncil
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_act_number_is_the_first_in_the_title() {
        for (title, number) in [
            (
                "REGULATION (EU) 2024/1689 OF THE EUROPEAN PARLIAMENT AND OF THE COUNCIL",
                Some("2024/1689"),
            ),
            (
                "Verordnung (EU) 2024/1689 (KI-Verordnung)",
                Some("2024/1689"),
            ),
            (
                "Regulation (EU) 2016/679 … repealing Directive 95/46/EC",
                Some("2016/679"),
            ),
            ("Geconsolideerde tekst 32024R1689", Some("2024/1689")),
            ("Verordnung (EU) 2030/1 über Prüfsysteme", Some("2030/1")),
            ("amending Regulation (EC) No 300/2008", None),
            ("Bericht 2024 über KI", None),
            ("Page 12024/17x", None),
        ] {
            assert_eq!(act_number(title).as_deref(), number, "{title}");
        }
    }

    #[test]
    fn eu_acts_are_recognised_with_their_issuer() {
        let act = eu_act("RÈGLEMENT (UE) 2024/1689 DU PARLEMENT EUROPÉEN ET DU CONSEIL")
            .expect("an EU act");
        assert_eq!(act.number.as_deref(), Some("2024/1689"));
        assert_eq!(act.issuer, Issuer::ParliamentAndCouncil);
        let act = eu_act("Durchführungsverordnung (EU) 2023/5 der Kommission").expect("an act");
        assert_eq!(act.issuer, Issuer::Commission);
        assert_eq!(
            eu_act("Verordnung (EU) 2024/1689 (KI-Verordnung)").map(|a| a.issuer),
            Some(Issuer::ParliamentAndCouncil)
        );
        assert_eq!(eu_act("Was die KI-Verordnung verbietet"), None);
        assert_eq!(eu_act("The EU AI Act explained"), None);
        assert_eq!(
            Issuer::ParliamentAndCouncil.name("de"),
            "Europäisches Parlament und Rat der Europäischen Union"
        );
        assert_eq!(
            Issuer::Commission.name("hu"),
            "European Commission",
            "languages without a wording get English"
        );
    }
}
