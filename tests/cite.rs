//! `polsearch cite`: a news passage and a law passage in every style, parsed back — CSL-JSON
//! with serde_json, RIS line by line, BibTeX with a real BibTeX parser — so that what Zotero
//! imports is known to be well formed; escaping, keys, access dates and exit codes.

mod util;

use std::collections::BTreeSet;

use biblatex::{Bibliography, ChunksExt, EntryType};
use serde_json::{Value, json};
use util::TestEnv;
use util::research::{self, ANALYSIS_ID, LAW_EN_ID, NEWS_ID};

const ACCESSED: &str = "2026-01-02";

/// The ids of the news passage about supervision and of Article 2(1) of the English law.
fn passages(env: &TestEnv) -> (String, String) {
    let id = |query: &str| -> String {
        let hits = env
            .run_ok(&["search", query, "--json", "--limit", "1"], 0)
            .json_lines();
        hits[0]["passage_id"].as_str().unwrap().to_string()
    };
    (id("Delegationen"), id("falsify"))
}

fn cite(env: &TestEnv, ids: &[&str], style: &str) -> String {
    let mut args = vec!["cite"];
    args.extend_from_slice(ids);
    args.extend_from_slice(&["--style", style, "--accessed", ACCESSED]);
    env.run_ok(&args, 0).stdout
}

/// Two short paragraphs under one heading share a passage; the quote has them on one line.
const NEWS_QUOTE: &str = "Wer die großen Modelle beaufsichtigen soll, blieb umstritten: Manche \
                          Delegationen wollten eine internationale Behörde, andere lehnten jede \
                          neue Stelle ab. Beobachter erwarten, dass der nächste Gipfel in Indien \
                          die offenen Fragen der Aufsicht wieder aufgreift und genauer \
                          beantwortet.";
const LAW_QUOTE: &str = "(1) Placing on the market testing systems that secretly falsify test \
                         results shall be prohibited.";

#[test]
fn apa_and_chicago_name_the_work_the_locator_and_the_quote() {
    let env = research::indexed();
    let (news, law) = passages(&env);
    let apa = cite(&env, &[&news, &law], "apa");
    assert_eq!(
        apa,
        format!(
            "Lefebvre, M., & Novak, J. (2025, February 26). Gipfel in Paris: Was von der \
             Erklärung bleibt. Tagesblatt Beispiel. \
             https://tagesblatt.example/gipfel-paris?teil=1&seite=2\n  “{NEWS_QUOTE}”\n\n\
             European Parliament and Council of the European Union. (2030, March 1). \
             Regulation (EU) 2030/1 on testing systems, Article 2(1). \
             https://law.example/eli/reg/2030/1/oj\n  “{LAW_QUOTE}”\n"
        )
    );
    let chicago = cite(&env, &[&news, &law], "chicago");
    assert!(
        chicago.starts_with(
            "Lefebvre, Maxime, and Jana Novak. “Gipfel in Paris: Was von der Erklärung \
             bleibt.” Tagesblatt Beispiel, February 26, 2025. \
             https://tagesblatt.example/gipfel-paris?teil=1&seite=2.\n"
        ),
        "{chicago}"
    );
    assert!(
        chicago.contains(
            "European Parliament and Council of the European Union. Regulation (EU) 2030/1 on \
             testing systems, Article 2(1). March 1, 2030. https://law.example/eli/reg/2030/1/oj.\n"
        ),
        "{chicago}"
    );
}

#[test]
fn csl_json_parses_back_with_types_names_dates_and_notes() {
    let env = research::indexed();
    let (news, law) = passages(&env);
    let text = cite(&env, &[&news, &law, ANALYSIS_ID], "csl-json");
    let items: Vec<Value> = serde_json::from_str(&text).expect("a CSL-JSON array");
    assert_eq!(items.len(), 3);
    let ids: BTreeSet<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 3, "ids are unique: {ids:?}");
    for item in &items {
        for field in ["id", "type", "title", "accessed"] {
            assert!(item.get(field).is_some(), "{field} missing in {item}");
        }
        assert_eq!(item["accessed"], json!({"date-parts": [[2026, 1, 2]]}));
    }
    let (n, l, a) = (&items[0], &items[1], &items[2]);
    assert_eq!(n["type"], "article-newspaper");
    assert_eq!(
        n["author"],
        json!([{"family": "Lefebvre", "given": "Maxime"}, {"family": "Novak", "given": "Jana"}])
    );
    assert_eq!(n["issued"], json!({"date-parts": [[2025, 2, 26]]}));
    assert_eq!(n["container-title"], "Tagesblatt Beispiel");
    assert_eq!(
        n["URL"],
        "https://tagesblatt.example/gipfel-paris?teil=1&seite=2"
    );
    assert_eq!(n["note"], format!("“{NEWS_QUOTE}”"));
    assert_eq!(n["language"], "de");

    assert_eq!(l["type"], "legislation");
    assert_eq!(
        l["author"],
        json!([{"literal": "European Parliament and Council of the European Union"}])
    );
    assert_eq!(l["issued"], json!({"date-parts": [[2030, 3, 1]]}));
    assert_eq!(l["number"], "2030/1");
    assert_eq!(l["note"], format!("Article 2(1): “{LAW_QUOTE}”"));
    assert_eq!(l["id"], format!("eu2030regulation-p{}", ordinal_of(&law)));

    assert_eq!(a["type"], "article");
    assert_eq!(a["issued"], json!({"date-parts": [[2024, 11]]}));
    assert_eq!(
        a["title"],
        "Kosten & Nutzen: 50% mehr Rechenzeit für {Modelle} #2"
    );
    assert!(a.get("note").is_none(), "a document has no quote: {a}");
}

fn ordinal_of(passage_id: &str) -> &str {
    passage_id.rsplit_once("#p").unwrap().1
}

#[test]
fn ris_records_are_one_tag_a_line_from_ty_to_er() {
    let env = research::indexed();
    let (news, law) = passages(&env);
    let text = cite(&env, &[&news, &law, ANALYSIS_ID], "ris");
    let mut records: Vec<Vec<(String, String)>> = Vec::new();
    let mut open = false;
    for line in text.lines() {
        if line.is_empty() && !open {
            continue;
        }
        let (tag, value) = line
            .split_once("  - ")
            .unwrap_or_else(|| panic!("not a RIS line: {line:?}"));
        assert!(
            tag.len() == 2
                && tag.chars().next().unwrap().is_ascii_uppercase()
                && tag
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()),
            "bad tag in {line:?}"
        );
        match tag {
            "TY" => {
                assert!(!open, "TY inside a record");
                open = true;
                records.push(Vec::new());
            }
            "ER" => {
                assert!(open, "ER outside a record");
                assert_eq!(value, "");
                open = false;
            }
            _ => assert!(open, "{line:?} outside a record"),
        }
        records
            .last_mut()
            .expect("a record")
            .push((tag.to_string(), value.to_string()));
    }
    assert!(!open, "the last record is not closed");
    assert_eq!(records.len(), 3);
    let get = |record: &[(String, String)], tag: &str| -> Vec<String> {
        record
            .iter()
            .filter(|(t, _)| t == tag)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let (n, l, a) = (&records[0], &records[1], &records[2]);
    assert_eq!(get(n, "TY"), ["NEWS"]);
    assert_eq!(get(n, "AU"), ["Lefebvre, Maxime", "Novak, Jana"]);
    assert_eq!(get(n, "DA"), ["2025/02/26/"]);
    assert_eq!(get(n, "PY"), ["2025"]);
    assert_eq!(get(n, "T2"), ["Tagesblatt Beispiel"]);
    assert_eq!(get(n, "Y2"), ["2026/01/02/"]);
    assert_eq!(get(n, "N1"), [format!("“{NEWS_QUOTE}”")]);
    assert_eq!(get(l, "TY"), ["STAT"]);
    assert_eq!(
        get(l, "AU"),
        ["European Parliament and Council of the European Union"]
    );
    assert_eq!(get(l, "SE"), ["Article 2(1)"]);
    assert_eq!(get(l, "UR"), ["https://law.example/eli/reg/2030/1/oj"]);
    assert_eq!(get(a, "TY"), ["ELEC"]);
    assert_eq!(get(a, "DA"), ["2024/11//"]);
}

#[test]
fn bibtex_parses_back_with_a_bibtex_parser_and_escapes_what_tex_reads() {
    let env = research::indexed();
    let (news, law) = passages(&env);
    let text = cite(&env, &[&news, &law, ANALYSIS_ID, LAW_EN_ID], "bibtex");
    let bib = Bibliography::parse(&text).unwrap_or_else(|e| panic!("{e:?} in\n{text}"));
    assert_eq!(bib.len(), 4, "{text}");
    let entries: Vec<_> = bib.iter().collect();

    let n = entries[0];
    assert_eq!(n.entry_type, EntryType::Article);
    assert_eq!(n.key, format!("lefebvre2025gipfel-p{}", ordinal_of(&news)));
    let authors = n.author().expect("authors");
    assert_eq!(
        authors
            .iter()
            .map(|p| (p.name.as_str(), p.given_name.as_str()))
            .collect::<Vec<_>>(),
        [("Lefebvre", "Maxime"), ("Novak", "Jana")]
    );
    assert_eq!(
        n.title().unwrap().format_verbatim(),
        "Gipfel in Paris: Was von der Erklärung bleibt"
    );
    assert_eq!(
        n.journal().unwrap().format_verbatim(),
        "Tagesblatt Beispiel"
    );
    assert_eq!(
        n.url().unwrap(),
        "https://tagesblatt.example/gipfel-paris?teil=1&seite=2"
    );
    assert_eq!(
        n.get("urldate").unwrap().format_verbatim(),
        ACCESSED,
        "urldate"
    );
    assert_eq!(n.get("date").unwrap().format_verbatim(), "2025-02-26");
    assert_eq!(
        n.note().unwrap().format_verbatim(),
        format!("“{NEWS_QUOTE}”")
    );

    let l = entries[1];
    assert_eq!(l.entry_type, EntryType::Misc);
    let authors = l.author().expect("an institutional author");
    assert_eq!(authors.len(), 1, "one braced name, not split at `and`");
    assert!(
        l.note()
            .unwrap()
            .format_verbatim()
            .starts_with("Article 2(1): “(1) Placing on the market"),
    );

    // Every TeX special character in the metadata survives as text.
    let a = entries[2];
    assert_eq!(a.entry_type, EntryType::Article);
    assert_eq!(
        a.title().unwrap().format_verbatim(),
        "Kosten & Nutzen: 50% mehr Rechenzeit für {Modelle} #2"
    );
    assert_eq!(a.journal().unwrap().format_verbatim(), "Blog $Beispiel$");
    assert_eq!(
        a.url().unwrap(),
        "https://blog.example/kosten_nutzen?a=1&b=%20"
    );
    assert!(
        text.contains(
            "title = {{Kosten \\& Nutzen: 50\\% mehr Rechenzeit für \\{Modelle\\} \\#2}}"
        )
    );

    // The whole document of the law: no quote, the law's own key.
    let d = entries[3];
    assert_eq!(d.key, "eu2030regulation");
    assert!(d.note().is_err());
}

#[test]
fn keys_stay_unique_when_one_work_is_cited_twice() {
    let env = research::indexed();
    let text = cite(&env, &[NEWS_ID, NEWS_ID], "bibtex");
    let bib = Bibliography::parse(&text).unwrap_or_else(|e| panic!("{e:?} in\n{text}"));
    let keys: Vec<&str> = bib.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys, ["lefebvre2025gipfel", "lefebvre2025gipfelb"]);
}

#[test]
fn ids_that_are_unknown_or_malformed_and_the_access_date() {
    let env = research::indexed();
    let (news, _) = passages(&env);
    // A malformed id stops everything before any output.
    let run = env.run_ok(&["cite", &news, "kein id"], 2);
    assert!(run.stdout.is_empty());
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    // An id not in the index is reported; the others are still cited.
    let run = env.run_ok(&["cite", &news, "news/nirgends#p1", "--style", "ris"], 1);
    assert!(run.stderr.contains("no document news/nirgends"));
    assert_eq!(run.stdout.matches("TY  - ").count(), 1);
    // Without --accessed, today from the clock.
    let run = env.run_ok(&["cite", &news, "--style", "csl-json"], 0);
    let items: Vec<Value> = serde_json::from_str(&run.stdout).expect("JSON");
    let year = items[0]["accessed"]["date-parts"][0][0].as_i64().unwrap();
    assert!(year >= 2025, "{}", items[0]);
    env.run_ok(&["cite", &news, "--accessed", "2026-13-01"], 2);
    env.run_ok(&["cite", &news, "--accessed", "2026"], 2);
}
