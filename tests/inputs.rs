//! The input formats beyond HTML, text and Markdown (PDF, Word, JSON and JSON Lines), files
//! whose bytes contradict their names, and legacy encodings, through the built binary.

mod util;

use serde_json::Value;
use util::TestEnv;

/// The documents `polsearch extract FILE --json` prints, one JSON object each.
fn extract(env: &TestEnv, rel: &str) -> Vec<Value> {
    let path = env.corpus().join(rel);
    env.run_ok(&["extract", path.to_str().unwrap(), "--json"], 0)
        .json_lines()
}

fn passages(doc: &Value) -> &Vec<Value> {
    doc["passages"].as_array().expect("passages")
}

/// The `polsearch: skipped` line naming `name`, if any.
fn skipped_line<'a>(stderr: &'a str, name: &str) -> Option<&'a str> {
    stderr
        .lines()
        .find(|l| l.starts_with("polsearch: skipped") && l.contains(name))
}

#[test]
fn pdf_is_indexed_with_pages_and_without_its_print_layout() {
    let env = TestEnv::new();
    env.write("berichte/strategie.pdf", util::pdf::strategy_pdf());
    let run = env.run_ok(&["index"], 0);
    assert!(run.stdout.contains("documents: 1"), "{}", run.stdout);

    // "Regu-" + "lierung" across a line break is found as one word.
    let hits = env
        .run_ok(&["search", "Regulierung", "--json"], 0)
        .json_lines();
    assert_eq!(hits[0]["path"], "berichte/strategie.pdf");
    assert_eq!(hits[0]["title"], "Strategie Künstliche Intelligenz");

    let docs = extract(&env, "berichte/strategie.pdf");
    assert_eq!(docs.len(), 1);
    let doc = &docs[0];
    assert_eq!(doc["meta"]["date"], "2024-07-12");
    assert_eq!(doc["meta"]["author"], "Referat Digitalpolitik");
    assert_eq!(doc["meta"]["type"], "report");
    let passages = passages(doc);
    let all: String = passages
        .iter()
        .map(|p| format!("{}\n", p["text"].as_str().unwrap()))
        .collect();
    assert!(all.contains("KI-Verordnung"), "{all}");
    assert!(all.contains("Größe der Rechenzentren"), "{all}");
    assert!(!all.contains("— Entwurf"), "running header indexed:\n{all}");
    assert!(!all.contains("Seite 1 von 3"), "footer indexed:\n{all}");
    // Passages know their page; the article on page 2 sits under its heading.
    let article = passages
        .iter()
        .find(|p| p["text"].as_str().unwrap().contains("unterschwellig"))
        .expect("the article's passage");
    assert_eq!(article["page"], 2, "{article}");
    assert!(passages.iter().all(|p| p["page"].is_u64()), "{all}");
    // Hits carry the page too, for citing, and the terminal shows it.
    let hits = env
        .run_ok(&["search", "unterschwellig", "--json"], 0)
        .json_lines();
    assert_eq!(hits[0]["page"], 2, "{:?}", hits[0]);
    let text = env.run_ok(&["search", "unterschwellig"], 0).stdout;
    assert!(text.contains("berichte/strategie.pdf, p. 2"), "{text}");
    assert!(
        article.to_string().contains("Artikel 5"),
        "the heading is not seen: {article}"
    );
}

#[test]
fn a_scanned_pdf_is_reported_and_skipped() {
    let env = TestEnv::new();
    env.write("scan.pdf", util::pdf::scanned_pdf());
    env.write("notiz.txt", "Notiz\n\nEin Absatz über Aufsicht.\n");
    let run = env.run_ok(&["index"], 0);
    let line = skipped_line(&run.stderr, "scan.pdf").unwrap_or_else(|| panic!("{}", run.stderr));
    assert!(
        line.contains("no text layer") && line.contains("OCR"),
        "{line}"
    );
    assert!(run.stdout.contains("documents: 1"), "{}", run.stdout);

    let path = env.corpus().join("scan.pdf");
    let run = env.run_ok(&["extract", path.to_str().unwrap()], 2);
    assert!(run.stderr.contains("no text layer"), "{}", run.stderr);
}

#[test]
fn json_lines_records_are_documents_and_bad_lines_are_skipped() {
    let env = TestEnv::new();
    env.write(
        "exporte/meldungen.jsonl",
        concat!(
            r#"{"id": "m-101", "title": "Land startet KI-Beirat", "body": "Das Land beruft einen Beirat für künstliche Intelligenz.\n\nEr berät die Regierung bei der Aufsicht über Algorithmen.", "date": "2024-05-02T09:00:00+02:00", "author": "Jana Beispiel", "lang": "de-DE"}"#,
            "\n",
            "{\"id\": \"kaputt\", \"title\": \n",
            r#"{"id": "m-102", "headline": "Council adopts position", "content": ["The Council agreed on its negotiating mandate for the transparency rules.", "Talks with Parliament start next month."], "published_at": "2024-06-14", "authors": [{"name": "Ann Example"}, {"name": "Ben Sample"}]}"#,
            "\n",
            r#"{"_id": 3, "name": "Ohne Datum", "text": "<p>Eine Meldung als <b>HTML</b> über Sandkästen für Regulierung.</p>"}"#,
            "\n",
        ),
    );
    let docs = extract(&env, "exporte/meldungen.jsonl");
    assert_eq!(docs.len(), 3, "{docs:?}");
    let ids: Vec<&str> = docs.iter().map(|d| d["doc_id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "exporte/meldungen/m-101",
            "exporte/meldungen/m-102",
            "exporte/meldungen/3"
        ]
    );
    assert_eq!(docs[0]["title"], "Land startet KI-Beirat");
    assert_eq!(docs[0]["meta"]["date"], "2024-05-02");
    assert_eq!(docs[0]["meta"]["author"], "Jana Beispiel");
    assert_eq!(docs[0]["lang"], "de");
    let text: String = passages(&docs[0])
        .iter()
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    assert!(
        text.contains("Beirat") && text.contains("Algorithmen"),
        "{text}"
    );
    assert_eq!(docs[1]["title"], "Council adopts position");
    assert_eq!(docs[1]["meta"]["date"], "2024-06-14");
    assert_eq!(docs[1]["meta"]["author"], "Ann Example; Ben Sample");
    assert_eq!(docs[2]["title"], "Ohne Datum");
    assert!(
        !passages(&docs[2])[0]["text"]
            .as_str()
            .unwrap()
            .contains('<')
    );

    env.run_ok(&["index"], 0);
    let hits = env.run_ok(&["search", "Beirat", "--json"], 0).json_lines();
    assert_eq!(hits[0]["path"], "exporte/meldungen.jsonl");
    assert_eq!(hits[0]["title"], "Land startet KI-Beirat");
}

#[test]
fn files_whose_bytes_contradict_their_names_are_reported_and_skipped() {
    let env = TestEnv::new();
    env.write("bericht.html", util::pdf::strategy_pdf());
    env.write("foto.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10");
    env.write("archiv.md", b"\x1F\x8B\x08\0\0\0\0\0\0\x03Regulierung");
    env.write(
        "fehlerseite.pdf",
        "<!DOCTYPE html><html><body><p>Regulierung nicht gefunden</p></body></html>",
    );
    env.write("liste.json", "Regulierung, Aufsicht, Transparenz\n");
    env.write("gut.txt", "Gut\n\nEin Absatz über Transparenz.\n");
    let run = env.run_ok(&["index"], 0);
    for (name, message) in [
        (
            "bericht.html",
            "named .html but the bytes are a PDF document",
        ),
        ("foto.txt", "named .txt but the bytes are a PNG image"),
        (
            "archiv.md",
            "named .md but the bytes are gzip-compressed data",
        ),
        (
            "fehlerseite.pdf",
            "named .pdf but the bytes are an HTML page",
        ),
        ("liste.json", "named .json but the bytes are plain text"),
    ] {
        let line = skipped_line(&run.stderr, name).unwrap_or_else(|| panic!("{}", run.stderr));
        assert!(line.contains(message), "{line}");
    }
    assert!(run.stdout.contains("documents: 1"), "{}", run.stdout);
    env.run_ok(&["search", "Regulierung"], 1);
}

#[test]
fn docx_is_indexed_and_found() {
    let env = TestEnv::new();
    env.write("leitfaden.docx", util::docx::guideline_docx());
    env.run_ok(&["index"], 0);
    let hits = env
        .run_ok(&["search", "Verzerrungen", "--json"], 0)
        .json_lines();
    assert_eq!(hits[0]["path"], "leitfaden.docx");
    assert_eq!(hits[0]["title"], "Leitfaden für KI in Behörden");
    let docs = extract(&env, "leitfaden.docx");
    assert_eq!(docs[0]["meta"]["author"], "Erika Mustermann");
    assert_eq!(docs[0]["meta"]["date"], "2024-03-05");
}

#[test]
fn legacy_encodings_are_decoded() {
    let env = TestEnv::new();
    let mut latin1 =
        b"<html><head><meta charset=\"iso-8859-1\"><title>Stra\xdfenverkehr</title>".to_vec();
    latin1.extend_from_slice(
        b"</head><body><p>Die Beh\xf6rde pr\xfcft die Gr\xf6\xdfe der Datens\xe4tze \
          f\xfcr den Stra\xdfenverkehr.</p></body></html>",
    );
    env.write("latin1.html", latin1);
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in
        "Überwachung\r\n\r\nDie Äußerung zur Überwachung öffentlicher Räume.\r\n".encode_utf16()
    {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    env.write("utf16.txt", utf16);
    env.run_ok(&["index"], 0);

    let hits = env.run_ok(&["search", "Größe", "--json"], 0).json_lines();
    assert_eq!(hits[0]["path"], "latin1.html");
    assert!(
        hits[0]["text"].as_str().unwrap().contains("Datensätze"),
        "{}",
        hits[0]
    );
    assert_eq!(hits[0]["title"], "Straßenverkehr");
    let hits = env
        .run_ok(&["search", "Äußerung", "--json"], 0)
        .json_lines();
    assert_eq!(hits[0]["path"], "utf16.txt");
    assert!(
        hits[0]["text"]
            .as_str()
            .unwrap()
            .contains("öffentlicher Räume")
    );
}
