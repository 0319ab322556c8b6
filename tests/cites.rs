//! `polsearch cites` and `cited-by`: references to acts by number and by name across
//! languages, to urls and so to other documents of the corpus; newest first; exit codes.

mod util;

use serde_json::Value;
use util::{TestEnv, shared};

const NEWS_DE: &str = "---
title: Brüssel zieht die Zügel an
date: 2025-03-10
url: https://zeitung.example/bruessel-zuegel
type: news
lang: de
---
# Brüssel zieht die Zügel an

Seit dem Sommer gilt die KI-Verordnung, und die Behörden der Mitgliedstaaten bereiten sich auf ihre neue Rolle als Aufsicht vor.

## Die Fristen

Im Amtsblatt steht sie als Verordnung (EU) 2024/1689; viele Pflichten greifen erst nach einer Übergangszeit von zwei Jahren.

## Zum Weiterlesen

Eine ausführliche Einordnung bietet der Blog unter https://blog.example/ai-act-notes/ mit Beispielen aus der Praxis.

Die Unternehmen der Branche fordern vor allem klare Leitlinien und genug Zeit für die Umsetzung der neuen Regeln.
";

const BLOG_EN: &str = "---
title: Notes on the AI Act
date: 2024-08-02
url: https://blog.example/ai-act-notes
type: article
lang: en
---
# Notes on the AI Act

The AI Act entered into force on the first of August, and providers of general-purpose models now have a timetable to follow.

Much of what it asks of them will look familiar to anyone who has implemented the GDPR over the last six years in a company.

Nothing in these notes is legal advice; they are a reading of the published text by someone who follows the field closely.
";

const NOTE_FR: &str = "---
title: Ce que change le règlement européen
date: 2024-12-05
type: article
lang: fr
---
# Ce que change le règlement européen

Le règlement (UE) 2024/1689 établit des règles harmonisées pour les systèmes d'intelligence artificielle mis sur le marché de l'Union.

Les fournisseurs devront documenter leurs systèmes et informer les utilisateurs des risques qu'ils présentent dans la pratique.
";

const UNDATED_EN: &str = "---
title: A reading list
type: web
lang: en
---
# A reading list

Start with Regulation (EU) 2016/679 and then read the texts that came after it, one by one and slowly.
";

fn indexed() -> TestEnv {
    let env = TestEnv::new();
    env.write("news/bruessel.md", NEWS_DE);
    env.write("blog/ai-act-notes.md", BLOG_EN);
    env.write("notes/reglement.md", NOTE_FR);
    env.write("web/reading.md", UNDATED_EN);
    env.run_ok(&["index", "--quiet"], 0);
    env
}

fn field<'a>(row: &'a Value, name: &str) -> &'a str {
    row[name].as_str().unwrap_or_default()
}

#[test]
fn cites_lists_each_target_with_its_passages_in_order_of_first_reference() {
    let env = indexed();
    let rows = env
        .run_ok(&["cites", "news/bruessel", "--json"], 0)
        .json_lines();
    // One hit object per referencing passage, as `search --json` prints them, with what it
    // references and the references highlighted.
    let cited: Vec<(&str, Vec<&str>)> = rows
        .iter()
        .map(|r| {
            let targets = r["references"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| field(t, "target"))
                .collect();
            (field(r, "passage_id"), targets)
        })
        .collect();
    assert_eq!(cited.len(), 3, "{cited:?}");
    assert_eq!(cited[0].1, ["eu:2024/1689"]);
    assert_eq!(cited[1].1, ["eu:2024/1689"]);
    assert_eq!(cited[2].1, ["url:blog.example/ai-act-notes"]);
    assert!(cited.windows(2).all(|w| w[0].0 < w[1].0), "document order");
    assert_eq!(rows[0]["rank"], 1);
    assert!(rows[0]["generation"].is_string());
    assert_eq!(
        field(&rows[0]["references"][0], "label"),
        "AI Act (Regulation (EU) 2024/1689)"
    );
    assert_eq!(util::highlighted(&rows[0]), ["KI-Verordnung"]);
    assert_eq!(util::highlighted(&rows[1]), ["(EU) 2024/1689"]);
    // The url is that of another document of the corpus.
    assert_eq!(
        field(&rows[2]["references"][0], "document"),
        "blog/ai-act-notes"
    );

    let text = env.run_ok(&["cites", "news/bruessel"], 0).stdout;
    for line in [
        "Brüssel zieht die Zügel an [de]\n",
        "AI Act (Regulation (EU) 2024/1689)  eu:2024/1689  2 passages\n",
        "blog.example/ai-act-notes  1 passage  → blog/ai-act-notes\n",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
}

#[test]
fn cited_by_finds_every_language_newest_first() {
    let env = indexed();
    for target in [
        "AI Act",
        "KI-Verordnung",
        "2024/1689",
        "Regulation (EU) 2024/1689",
    ] {
        let rows = env.run_ok(&["cited-by", target, "--json"], 0).json_lines();
        let docs: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| (field(r, "doc_id"), field(r, "lang")))
            .collect();
        assert_eq!(
            docs,
            [
                ("news/bruessel", "de"),
                ("news/bruessel", "de"),
                ("notes/reglement", "fr"),
                ("blog/ai-act-notes", "en"),
            ],
            "{target}"
        );
        // The same hit objects as search, the reference highlighted.
        assert_eq!(rows[0]["rank"], 1);
        assert!(rows[0]["generation"].is_string());
        assert_eq!(util::highlighted(&rows[0]), ["KI-Verordnung"]);
    }
    let limited = env.run_ok(&["cited-by", "AI Act", "--json", "-n", "1"], 0);
    assert_eq!(limited.json_lines().len(), 1);
}

#[test]
fn cited_by_a_number_of_another_act_puts_undated_documents_last() {
    let env = indexed();
    let rows = env
        .run_ok(&["cited-by", "2016/679", "--json"], 0)
        .json_lines();
    let docs: Vec<&str> = rows.iter().map(|r| field(r, "doc_id")).collect();
    assert_eq!(docs, ["blog/ai-act-notes", "web/reading"]);
    assert_eq!(util::highlighted(&rows[0]), ["GDPR"]);
}

#[test]
fn cited_by_a_document_follows_its_url() {
    let env = indexed();
    let rows = env
        .run_ok(&["cited-by", "blog/ai-act-notes", "--json"], 0)
        .json_lines();
    let ids: Vec<&str> = rows.iter().map(|r| field(r, "passage_id")).collect();
    assert_eq!(ids.len(), 1, "{ids:?}");
    assert!(ids[0].starts_with("news/bruessel#p"), "{ids:?}");
    let by_url = env.run_ok(&["cited-by", "https://Blog.example/ai-act-notes/"], 0);
    assert!(
        by_url.stdout.contains("news/bruessel#p"),
        "{}",
        by_url.stdout
    );
}

#[test]
fn unknown_targets_and_documents_exit_with_one_line() {
    let env = indexed();
    let unreadable = env.run_ok(&["cited-by", "Paris"], 2);
    assert_eq!(
        unreadable.stderr.lines().count(),
        1,
        "{}",
        unreadable.stderr
    );
    assert!(unreadable.stdout.is_empty());
    let uncited = env.run_ok(&["cited-by", "Draghi report"], 1);
    assert_eq!(uncited.stderr.lines().count(), 1, "{}", uncited.stderr);
    // A document nobody links to.
    env.run_ok(&["cited-by", "news/bruessel"], 1);
    env.run_ok(&["cites", "no/such-doc"], 1);
    env.run_ok(&["cites", "notes/reglement#p1"], 2);
    env.run_ok(&["cites", "a b"], 2);
}

/// On the shared corpus: the AI Act is cited, though never by one of its own texts for the
/// number in its title; and its texts in every language cite the GDPR. (The corpus's news
/// articles name the AI Act in no language: across languages is checked on the GDPR.)
#[test]
fn shared_corpus_cites_across_languages_but_no_act_cites_itself() {
    let Some(corpus) = shared("corpus") else {
        return;
    };
    let env = TestEnv::on_corpus(&corpus);
    env.run_ok(&["index", "--quiet"], 0);
    let rows = env
        .run_ok(&["cited-by", "AI Act", "--json", "-n", "100000"], 0)
        .json_lines();
    for row in &rows {
        let title = field(row, "title");
        let own = title.contains("2024/1689") || title.contains("32024R1689");
        assert!(!own, "{} cites its own act", field(row, "passage_id"));
    }
    let rows = env
        .run_ok(&["cited-by", "GDPR", "--json", "-n", "100000"], 0)
        .json_lines();
    let langs: std::collections::BTreeSet<&str> = rows.iter().map(|r| field(r, "lang")).collect();
    assert!(langs.len() >= 2, "{langs:?}");
    assert!(
        rows.iter().all(|r| !field(r, "title").contains("2016/679")),
        "the GDPR cites itself"
    );
}

const LINKING_HTML: &str = r#"<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8">
<title>Was die Aufsicht jetzt plant</title>
<link rel="canonical" href="https://zeitung.example/aufsicht-plant">
<meta property="article:published_time" content="2025-06-01">
</head><body>
<nav><a href="https://blog.example/ai-act-notes">Blog</a></nav>
<article><h1>Was die Aufsicht jetzt plant</h1>
<p>Die Behörden stützen sich auf die <a href="https://eur-lex.europa.eu/legal-content/DE/TXT/?uri=CELEX:32024R1689">neuen Regeln</a>
aus Brüssel und auf eine <a href="http://www.blog.example/ai-act-notes/?utm_source=zeitung">englische Einordnung</a>,
die viele Fragen der Praxis aufgreift und die jeder lesen sollte, der Systeme anbietet.</p>
<p>Wer mehr wissen will, liest den Beitrag „Ce que change le règlement européen“ und
vergleicht ihn mit den Leitlinien der nationalen Aufsicht, die im Herbst erscheinen sollen.</p>
<p>Die Redaktion hat dazu <a href="/archiv/ki">frühere Berichte</a> gesammelt, die den Weg dorthin nachzeichnen.</p>
</article></body></html>
"#;

/// Hyperlinks are references: one written `http://www.…/?utm_source=…` leads to the document
/// at `https://…`, one to EUR-Lex names its act; and a document named by its full title is
/// cited too, both ways round.
#[test]
fn hyperlinks_and_titles_are_references() {
    let env = indexed();
    env.write("zeitung/aufsicht.html", LINKING_HTML);
    env.run_ok(&["index", "--quiet"], 0);

    let rows = env
        .run_ok(&["cites", "zeitung/aufsicht", "--json"], 0)
        .json_lines();
    let targets: Vec<(&str, &str)> = rows
        .iter()
        .flat_map(|r| r["references"].as_array().unwrap())
        .map(|t| (field(t, "target"), field(t, "document")))
        .collect();
    assert_eq!(
        targets,
        [
            ("eu:2024/1689", ""),
            (
                "url:eur-lex.europa.eu/legal-content/DE/TXT?uri=CELEX%3A32024R1689",
                ""
            ),
            ("url:blog.example/ai-act-notes", "blog/ai-act-notes"),
            ("doc:notes/reglement", "notes/reglement"),
            ("url:zeitung.example/archiv/ki", ""),
        ]
    );
    // The linked words are highlighted; a title reference is labelled with the title.
    assert_eq!(
        util::highlighted(&rows[0]),
        [
            "neuen Regeln",
            "englische Einordnung",
            "Ce que change le règlement européen",
            "frühere Berichte"
        ]
    );
    let text = env.run_ok(&["cites", "zeitung/aufsicht"], 0).stdout;
    assert!(
        text.contains("Ce que change le règlement européen  doc:notes/reglement  1 passage  → notes/reglement\n"),
        "{text}"
    );

    // cited-by a document: by its url however the link was written, and by its title.
    let by_url = env
        .run_ok(&["cited-by", "blog/ai-act-notes", "--json"], 0)
        .json_lines();
    let docs: Vec<&str> = by_url.iter().map(|r| field(r, "doc_id")).collect();
    assert_eq!(docs, ["zeitung/aufsicht", "news/bruessel"]);
    assert_eq!(util::highlighted(&by_url[0]), ["englische Einordnung"]);
    assert_eq!(by_url[0]["links"][1]["text"], "englische Einordnung");
    let by_title = env
        .run_ok(&["cited-by", "notes/reglement", "--json"], 0)
        .json_lines();
    assert_eq!(by_title.len(), 1);
    assert_eq!(
        util::highlighted(&by_title[0]),
        ["Ce que change le règlement européen"]
    );
    // The title itself names the document, too.
    let named = env
        .run_ok(
            &["cited-by", "ce que change le règlement européen", "--json"],
            0,
        )
        .json_lines();
    assert_eq!(
        field(&named[0], "passage_id"),
        field(&by_title[0], "passage_id")
    );
    // And the act the EUR-Lex link names is cited by the page, newest first.
    let act = env
        .run_ok(&["cited-by", "AI Act", "--json"], 0)
        .json_lines();
    assert_eq!(field(&act[0], "doc_id"), "zeitung/aufsicht");
    assert_eq!(util::highlighted(&act[0]), ["neuen Regeln"]);
}
