//! German analysis end to end: compounds found by their parts, no junk splits, compound
//! queries finding their parts apart, spelling variants and proximity.

mod util;

use util::{TestEnv, highlighted};

fn json(env: &TestEnv, args: &[&str]) -> Vec<serde_json::Value> {
    let mut full = vec!["search"];
    full.extend_from_slice(args);
    full.extend_from_slice(&["--json", "--limit", "50"]);
    let run = env.run(&full);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    run.json_lines()
}

fn paths(hits: &[serde_json::Value]) -> Vec<&str> {
    hits.iter().map(|h| h["path"].as_str().unwrap()).collect()
}

#[test]
fn a_part_seen_only_inside_compounds_finds_them_with_the_compound_highlighted() {
    let env = TestEnv::new();
    env.write(
        "a.txt",
        "Aufsicht\n\nDie Datenschutzbehörde prüft den Fall, der Datenschutz verlangt es so.\n",
    );
    env.write(
        "b.txt",
        "Märkte\n\nEine Aufsichtsbehörde führt die Aufsicht über die Anbieter im Land.\n",
    );
    env.write(
        "c.txt",
        "Überwachung\n\nDie Marktüberwachungsbehörde sorgt für Überwachung auf dem Markt.\n",
    );
    env.write(
        "d.txt",
        "Andere\n\nHier geht es um Datenschutz und Markt, aber um keine Stelle des Staates.\n",
    );
    let hits = json(&env, &["Behörde"]);
    let mut found = paths(&hits);
    found.sort();
    assert_eq!(found, ["a.txt", "b.txt", "c.txt"]);
    for hit in &hits {
        let marked = highlighted(hit);
        assert_eq!(marked.len(), 1, "{marked:?}");
        assert!(marked[0].ends_with("behörde"), "{marked:?}");
    }
    // Lowercase and spelling variants find them too.
    assert_eq!(json(&env, &["behoerde"]).len(), 3);
}

#[test]
fn words_that_must_not_be_split_do_not_answer_their_false_parts() {
    let env = TestEnv::new();
    env.write("w.txt", "Wirtschaft\n\nDie Wirtschaft wächst, die Verordnung gilt, die Handlung zählt und der Beamter prüft das Unternehmen.\n");
    env.write("o.txt", "Ordnung\n\nOrdnung muss sein, sagt die Hand am Schaft, das Nehmen ist wichtig, unter uns.\n");
    env.write(
        "x.txt",
        "Ordnungen\n\nWirtschaftsordnung und Verordnungen, Handlungen, Ordnung und Hand in Hand.\n",
    );
    for part in ["Schaft", "Ordnung", "Hand", "Beam", "Nehmen"] {
        let hits = json(&env, &[part, "--lang", "de"]);
        assert!(
            !paths(&hits).contains(&"w.txt"),
            "{part} matched a word that must not be split: {hits:#?}"
        );
    }
}

#[test]
fn a_compound_query_finds_its_parts_apart_below_the_compound_itself() {
    let env = TestEnv::new();
    env.write("exact.txt", "Programm\n\nDie Investitionsoffensive der Regierung wurde angekündigt, mit Investition und Offensive.\n");
    env.write(
        "apart.txt",
        "Plan\n\nEine Offensive für Investitionen wurde ebenfalls gefordert, so die Kommission.\n",
    );
    env.write(
        "none.txt",
        "Sonst\n\nÜber Investitionen allein wurde auch gesprochen, ohne jeden Angriff.\n",
    );
    let hits = json(&env, &["Investitionsoffensive"]);
    assert_eq!(paths(&hits), ["exact.txt", "apart.txt"], "{hits:#?}");
    let marked = highlighted(&hits[1]);
    assert!(
        marked.contains(&"Offensive".to_string()) && marked.contains(&"Investitionen".to_string()),
        "{marked:?}"
    );
}

#[test]
fn spelling_variants_hyphens_and_case_meet() {
    let env = TestEnv::new();
    env.write(
        "s.txt",
        "Strategie\n\nDie KI-Strategie nennt Maßnahmen zur Überwachung der Größe von Modellen.\n",
    );
    env.write(
        "t.txt",
        "Anderes\n\nEine KI Strategie ohne Bindestrich nennt keine weiteren Schritte.\n",
    );
    for query in [
        "Massnahmen",
        "MASSNAHMEN",
        "maßnahme",
        "Ueberwachung",
        "groesse",
    ] {
        assert_eq!(paths(&json(&env, &[query])), ["s.txt"], "{query}");
    }
    for query in ["KI-Strategie", "KI Strategie", "ki-strategie"] {
        let mut found = paths(&json(&env, &[query]))
            .into_iter()
            .map(str::to_string)
            .collect::<Vec<_>>();
        found.sort();
        assert_eq!(found, ["s.txt", "t.txt"], "{query}");
    }
}

#[test]
fn words_standing_close_together_rank_above_scattered_ones() {
    let env = TestEnv::new();
    env.write(
        "scattered.txt",
        "Verstreut\n\nDie Kontrolle ist ein Thema für sich, über das lange und ausführlich \
         gestritten wurde, und erst viel später, am Ende einer langen Debatte über viele andere \
         Fragen der Politik und der Verwaltung, kam auch die Frage der biometrischen Daten auf.\n",
    );
    env.write(
        "close.txt",
        "Nah\n\nDie Kontrolle biometrischer Daten stand im Mittelpunkt der Debatte, über die \
         lange und ausführlich gestritten wurde, mit vielen anderen Fragen der Politik und der \
         Verwaltung, bis am Ende einer langen Debatte doch Einigkeit herrschte.\n",
    );
    let hits = json(&env, &["Kontrolle biometrische Daten"]);
    assert_eq!(paths(&hits), ["close.txt", "scattered.txt"], "{hits:#?}");
}
