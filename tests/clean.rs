//! Cleaning across documents: boilerplate shared by a site's pages is not indexed, a document
//! saved twice is indexed once with its copy listed, and nightly runs keep both right as
//! copies come and go.

mod util;

use std::fs;

use util::TestEnv;

const NEWSLETTER: &str = "Abonnieren Sie jetzt unseren kostenlosen Newsletter zur Digitalpolitik und verpassen Sie keine Analyse mehr.";
const SHARE: &str =
    "Teilen Sie diesen Artikel mit Ihren Kolleginnen und Kollegen in den sozialen Netzwerken.";

/// Five pages of one news site: each its own article, all with the same newsletter teaser and
/// share line that escaped extraction.
fn site_pages(env: &TestEnv) {
    let topics = [
        (
            "Rechenzentren",
            "Der Stromverbrauch großer Rechenzentren wächst schneller als erwartet, und die Netzbetreiber verlangen verbindliche Prognosen.",
        ),
        (
            "Gesichtserkennung",
            "Die Landesregierung will den Einsatz von Gesichtserkennung an Bahnhöfen erproben, obwohl Datenschützer Bedenken anmelden.",
        ),
        (
            "Schulen",
            "Lehrkräfte fordern klare Regeln für Chatbots im Unterricht, damit Prüfungen fair bleiben und Schüler nicht benachteiligt werden.",
        ),
        (
            "Verwaltung",
            "Die Kommunalverwaltung testet ein Sprachmodell für Bürgeranfragen und veröffentlicht erstmals eine Folgenabschätzung dazu.",
        ),
        (
            "Forschung",
            "Forschungsinstitute schließen sich zusammen, um offene Sprachmodelle für europäische Sprachen gemeinsam zu trainieren.",
        ),
    ];
    for (n, (title, body)) in topics.iter().enumerate() {
        env.write(
            &format!("netz/seite{n}.md"),
            format!(
                "---\ntitle: {title}\nurl: https://netz.example/artikel/{n}\n---\n\n{body}\n\n{NEWSLETTER}\n\n{SHARE}\n"
            ),
        );
    }
}

const ARTICLE: [&str; 3] = [
    "Die Kommission hat einen Verhaltenskodex für Anbieter allgemeiner KI-Modelle vorgelegt, der Transparenzpflichten konkretisiert.",
    "Unternehmen sollen offenlegen, mit welchen Daten ihre Modelle trainiert wurden, und Urheberrechte nachweislich beachten.",
    "Kritiker bemängeln, dass die Selbstverpflichtung zu vage bleibt und die Aufsichtsbehörden kaum Durchgriffsrechte erhalten.",
];

fn article(extra: &str) -> String {
    format!("{}\n\n{extra}\n", ARTICLE.join("\n\n"))
}

#[test]
fn boilerplate_shared_by_a_sites_pages_is_not_indexed_and_is_counted() {
    let env = TestEnv::new();
    site_pages(&env);
    let run = env.run_ok(&["index"], 0);
    assert!(
        run.stdout.contains("10 boilerplate blocks"),
        "{}",
        run.stdout
    );
    env.run_ok(&["search", "\"kostenlosen Newsletter\""], 1);
    env.run_ok(&["search", "\"sozialen Netzwerken\""], 1);
    // The articles themselves are all there.
    let hits = env
        .run_ok(&["search", "Sprachmodell", "--json"], 0)
        .json_lines();
    assert_eq!(hits.len(), 2, "{hits:?}");
    let stats: serde_json::Value =
        serde_json::from_str(env.run_ok(&["stats", "--json"], 0).stdout.trim()).expect("JSON");
    assert_eq!(stats["boilerplate_blocks"], 10);
    assert_eq!(stats["documents"], 5);

    let dropped = env
        .run_ok(&["stats", "--dropped", "--json"], 0)
        .json_lines();
    assert_eq!(dropped.len(), 10);
    assert!(dropped.iter().all(|d| d["reason"] == "boilerplate"));
    assert!(
        dropped
            .iter()
            .any(|d| d["text"].as_str().unwrap().contains("Newsletter"))
    );
}

#[test]
fn two_pages_are_not_yet_boilerplate() {
    // A paragraph two documents share is shared content, not the site's furniture: it
    // stays, once, in the first document.
    let env = TestEnv::new();
    env.write(
        "a.txt",
        "Erster Bericht über die Anhörung im Ausschuss.\n\nZitat der Ministerin: Die Aufsicht über Sprachmodelle in Behörden muss noch in diesem Jahr gesetzlich geregelt werden.\n",
    );
    env.write(
        "b.txt",
        "Zweiter Bericht über ein anderes Treffen mit Verbänden.\n\nZitat der Ministerin: Die Aufsicht über Sprachmodelle in Behörden muss noch in diesem Jahr gesetzlich geregelt werden.\n",
    );
    env.run_ok(&["index"], 0);
    let hits = env
        .run_ok(&["search", "\"Zitat der Ministerin\"", "--json"], 0)
        .json_lines();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0]["doc_id"], "a");
    assert_eq!(hits[0]["also_in"], serde_json::json!(["b"]));
}

#[test]
fn a_document_saved_twice_is_indexed_once_and_names_its_copy() {
    let env = TestEnv::new();
    env.write(
        "news/kodex.md",
        article("Quelle: eigene Recherche der Redaktion und Gespräche in Brüssel."),
    );
    env.write(
        "news/kodex-syndiziert.md",
        article("Dieser Beitrag erschien zuerst bei einem Partnermedium und wird hier mit Erlaubnis veröffentlicht."),
    );
    let run = env.run_ok(&["index"], 0);
    assert!(
        run.stdout.contains("3 blocks held by another document"),
        "{}",
        run.stdout
    );

    let hits = env
        .run_ok(&["search", "Verhaltenskodex", "--json"], 0)
        .json_lines();
    assert_eq!(
        hits.len(),
        1,
        "the same passage is never shown twice: {hits:?}"
    );
    assert_eq!(hits[0]["passage_id"], "news/kodex#p1");
    assert_eq!(
        hits[0]["also_in"],
        serde_json::json!(["news/kodex-syndiziert"])
    );
    let text = env.run_ok(&["search", "Verhaltenskodex"], 0).stdout;
    assert!(text.contains("also in: news/kodex-syndiziert"), "{text}");
    // What only the copy has is still found, in the copy.
    let own = env
        .run_ok(&["search", "Partnermedium", "--json"], 0)
        .json_lines();
    assert_eq!(own.len(), 1);
    assert_eq!(own[0]["doc_id"], "news/kodex-syndiziert");

    let dropped = env.run_ok(&["stats", "--dropped"], 0).stdout;
    assert!(
        dropped.contains("duplicate: news/kodex-syndiziert block 2 (held by news/kodex)"),
        "{dropped}"
    );
}

#[test]
fn nightly_runs_follow_copies_as_they_come_and_go() {
    let env = TestEnv::new();
    env.write(
        "news/kodex.md",
        article("Quelle: eigene Recherche der Redaktion und Gespräche in Brüssel."),
    );
    env.run_ok(&["index"], 0);
    let hit = |env: &TestEnv| {
        let hits = env
            .run_ok(&["search", "Verhaltenskodex", "--json"], 0)
            .json_lines();
        assert_eq!(hits.len(), 1, "{hits:?}");
        hits[0].clone()
    };
    assert_eq!(hit(&env)["also_in"], serde_json::json!([]));

    // A copy arrives: the unchanged original is written again to list it.
    env.write(
        "news/kopie.md",
        article("Nachdruck mit freundlicher Genehmigung der ursprünglichen Redaktion."),
    );
    let run = env.run_ok(&["index"], 0);
    assert!(run.stdout.contains("1 added"), "{}", run.stdout);
    assert!(run.stdout.contains("rewritten: 1"), "{}", run.stdout);
    let first = hit(&env);
    assert_eq!(first["passage_id"], "news/kodex#p1");
    assert_eq!(first["also_in"], serde_json::json!(["news/kopie"]));

    // Nothing changed: nothing is read or rewritten.
    let run = env.run_ok(&["index"], 0);
    assert!(!run.stdout.contains("rewritten"), "{}", run.stdout);

    // The original goes: the copy's passages are indexed in their own right again.
    fs::remove_file(env.corpus().join("news/kodex.md")).unwrap();
    let run = env.run_ok(&["index"], 0);
    assert!(run.stdout.contains("1 removed"), "{}", run.stdout);
    let alone = hit(&env);
    assert_eq!(alone["passage_id"], "news/kopie#p1");
    assert_eq!(alone["also_in"], serde_json::json!([]));
}

const PAGE: &str = r#"<!DOCTYPE html><html lang="de"><head><title>Rechenzentren im Stromnetz</title></head>
<body><main><article>
<h1>Rechenzentren im Stromnetz</h1>
<p>Der Stromverbrauch großer Rechenzentren wächst schneller als erwartet, und die Netzbetreiber verlangen verbindliche Prognosen von den Betreibern.</p>
<p>Die Bundesnetzagentur prüft, ob neue Anschlüsse künftig an Auflagen zur Abwärmenutzung gebunden werden sollen.</p>
<div class="kasten-unterstuetzen"><p>Unterstützen Sie unabhängigen Journalismus mit einem Abonnement ab fünf Euro im Monat.</p></div>
<p>Kommunen hoffen auf Einnahmen, fürchten aber Engpässe bei der Versorgung ihrer Haushalte im Winter.</p>
</article></main></body></html>"#;

#[test]
fn polsearch_toml_drops_what_a_site_rule_names_and_a_changed_rule_reindexes() {
    let env = TestEnv::new();
    env.write("netz/rechenzentren.html", PAGE);
    env.run_ok(&["index"], 0);
    env.run_ok(&["search", "Abonnement"], 0);

    env.write(
        "polsearch.toml",
        "[[site]]\nfiles = \"netz/**\"\ndrop = [\".kasten-unterstuetzen\"]\n",
    );
    let run = env.run_ok(&["index"], 0);
    assert!(run.stdout.contains("1 updated"), "{}", run.stdout);
    env.run_ok(&["search", "Abonnement"], 1);
    env.run_ok(&["search", "Abwärmenutzung"], 0);

    // A rule for other files changes nothing here.
    env.write(
        "polsearch.toml",
        "[[site]]\nfiles = \"andere/**\"\ndrop = [\"p\"]\n",
    );
    let run = env.run_ok(&["index"], 0);
    assert!(
        run.stdout.contains("1 updated"),
        "rule removed: {}",
        run.stdout
    );
    env.run_ok(&["search", "Abonnement"], 0);

    // A mistake is named, and the index stays as it was.
    env.write(
        "polsearch.toml",
        "[[site]]\nfiles = \"netz/**\"\ndrop = [\"div[\"]\n",
    );
    let run = env.run_ok(&["index"], 2);
    assert!(
        run.stderr.contains("polsearch.toml") && run.stderr.contains("div["),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    env.run_ok(&["search", "Abonnement"], 0);
}

#[test]
fn a_file_touched_but_unchanged_keeps_its_sketches_for_later_runs() {
    // The record of a file whose time changed is rewritten from the stored one, and its
    // sketches (stored apart from it) must come along: the next run decides cleaning from
    // them without reading the file.
    let env = TestEnv::new();
    let quote = "Zitat der Ministerin: Die Aufsicht über Sprachmodelle in Behörden muss noch in diesem Jahr gesetzlich geregelt werden.";
    let a = env.write(
        "a.txt",
        format!("Erster Bericht über die Anhörung im Ausschuss.\n\n{quote}\n"),
    );
    env.write(
        "b.txt",
        format!("Zweiter Bericht über ein anderes Treffen mit Verbänden.\n\n{quote}\n"),
    );
    env.run_ok(&["index"], 0);
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(60);
    fs::File::options()
        .write(true)
        .open(&a)
        .unwrap()
        .set_modified(later)
        .unwrap();
    let run = env.run_ok(&["index"], 0);
    assert!(run.stdout.contains("2 unchanged"), "{}", run.stdout);
    env.write(
        "b.txt",
        format!(
            "Zweiter Bericht über ein anderes Treffen mit Verbänden.\n\n{quote}\n\nNachtrag: Die Verbände kündigen eine Stellungnahme an.\n"
        ),
    );
    let run = env.run_ok(&["index"], 0);
    assert!(run.stdout.contains("1 updated"), "{}", run.stdout);
    let hits = env
        .run_ok(&["search", "\"Zitat der Ministerin\"", "--json"], 0)
        .json_lines();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0]["doc_id"], "a");
    assert_eq!(hits[0]["also_in"], serde_json::json!(["b"]));
}
