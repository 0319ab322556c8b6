//! Small Word documents written for the tests, with text of our own: the `.docx` extractor's
//! unit tests and the integration tests share them (the unit tests include this file by path).

#![allow(dead_code)]

use std::io::{Cursor, Write};

/// A ZIP archive of `(name, contents)` parts.
pub fn zip(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, contents) in parts {
        writer
            .start_file(*name, zip::write::SimpleFileOptions::default())
            .expect("zip entry");
        writer.write_all(contents.as_bytes()).expect("zip write");
    }
    writer.finish().expect("zip finishes").into_inner()
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn paragraph(style: Option<&str>, numbered: bool, runs: &[&str]) -> String {
    let mut props = String::new();
    if let Some(style) = style {
        props.push_str(&format!("<w:pStyle w:val=\"{style}\"/>"));
    }
    if numbered {
        props.push_str("<w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr>");
    }
    let runs: String = runs
        .iter()
        .map(|r| format!("<w:r><w:t xml:space=\"preserve\">{r}</w:t></w:r>"))
        .collect();
    format!("<w:p><w:pPr>{props}</w:pPr>{runs}</w:p>")
}

fn cell(text: &str) -> String {
    format!("<w:tc>{}</w:tc>", paragraph(None, false, &[text]))
}

/// A guideline with a title, a heading under a German-localised style id, a numbered list, a
/// table, an entity and a tracked deletion, with core properties.
pub fn guideline_docx() -> Vec<u8> {
    let body = [
        paragraph(Some("Titel"), false, &["Leitfaden für KI in Behörden"]),
        paragraph(
            None,
            false,
            &[
                "Behörden setzen KI-Systeme nur ein, ",
                "wenn Zweck &amp; Risiken dokumentiert sind.",
            ],
        ),
        "<w:p><w:r><w:delText>gestrichener Satz</w:delText></w:r></w:p>".to_string(),
        paragraph(Some("berschrift1"), false, &["Pflichten der Anbieter"]),
        paragraph(None, true, &["Dokumentation der Trainingsdaten"]),
        paragraph(None, true, &["Prüfung auf Verzerrungen"]),
        format!(
            "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
            cell("Stufe"),
            cell("Aufsicht"),
            cell("hoch"),
            cell("Landesbehörde")
        ),
        paragraph(None, false, &["Der Leitfaden gilt ab dem ersten Januar."]),
    ]
    .concat();
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"{W}\"><w:body>{body}</w:body></w:document>"
    );
    let styles = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:styles xmlns:w=\"{W}\">\
         <w:style w:type=\"paragraph\" w:styleId=\"Titel\"><w:name w:val=\"Title\"/></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"berschrift1\"><w:name w:val=\"heading 1\"/>\
         <w:pPr><w:outlineLvl w:val=\"1\"/></w:pPr></w:style>\
         </w:styles>"
    );
    let core = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\">\
         <dc:title>Leitfaden für KI in Behörden</dc:title><dc:creator>Erika Mustermann</dc:creator>\
         <dcterms:created>2024-03-05T09:30:00Z</dcterms:created></cp:coreProperties>";
    zip(&[
        ("[Content_Types].xml", "<Types/>"),
        ("word/document.xml", &document),
        ("word/styles.xml", &styles),
        ("docProps/core.xml", core),
    ])
}
