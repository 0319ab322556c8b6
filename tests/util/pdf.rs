//! Small PDFs written for the tests, with text of our own: the PDF extractor's unit tests and
//! the integration tests share them (the unit tests include this file by path).

#![allow(dead_code)]

use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, Stream, dictionary};

/// One line of a page: its text, its font size and the gap above it in points.
pub struct Line {
    pub text: String,
    pub size: f32,
    pub gap: f32,
}

impl Line {
    /// Running text: 11 pt on a 14 pt line.
    pub fn body(text: &str) -> Line {
        Line {
            text: text.to_string(),
            size: 11.0,
            gap: 14.0,
        }
    }

    /// Running text after a blank line: a new paragraph.
    pub fn after_gap(text: &str) -> Line {
        Line {
            gap: 30.0,
            ..Line::body(text)
        }
    }
}

/// The info dictionary entries a fixture sets.
#[derive(Default)]
pub struct Info<'a> {
    pub title: Option<&'a str>,
    pub author: Option<&'a str>,
    pub created: Option<&'a str>,
}

/// A PDF of `pages` in Helvetica with WinAnsiEncoding (umlauts, ß and dashes survive through
/// the standard font encoding), each page topped by `header` and ended by "Seite N von M".
pub fn pdf(pages: &[Vec<Line>], header: Option<&str>, info: &Info) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
    });
    let total = pages.len();
    let mut kids = Vec::new();
    for (n, lines) in pages.iter().enumerate() {
        let mut ops = Vec::new();
        if let Some(header) = header {
            text_at(&mut ops, header, 9.0, 800.0);
        }
        let mut y = 770.0;
        for line in lines {
            y -= line.gap;
            text_at(&mut ops, &line.text, line.size, y);
        }
        text_at(&mut ops, &format!("Seite {} von {total}", n + 1), 9.0, 40.0);
        kids.push(page(&mut doc, pages_id, ops));
    }
    finish(doc, pages_id, resources_id, kids, info)
}

fn text_at(ops: &mut Vec<Operation>, text: &str, size: f32, y: f32) {
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    ops.extend([
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec!["F1".into(), size.into()]),
        Operation::new("Td", vec![60.into(), y.into()]),
        Operation::new("Tj", vec![Object::string_literal(bytes.into_owned())]),
        Operation::new("ET", vec![]),
    ]);
}

fn page(doc: &mut Document, pages_id: lopdf::ObjectId, ops: Vec<Operation>) -> Object {
    let content = Content { operations: ops };
    let stream = Stream::new(dictionary! {}, content.encode().expect("content encodes"));
    let content_id = doc.add_object(stream);
    doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content_id,
    })
    .into()
}

fn finish(
    mut doc: Document,
    pages_id: lopdf::ObjectId,
    resources_id: lopdf::ObjectId,
    kids: Vec<Object>,
    info: &Info,
) -> Vec<u8> {
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
    });
    doc.trailer.set("Root", catalog_id);
    let mut dict = lopdf::Dictionary::new();
    if let Some(title) = info.title {
        dict.set("Title", lopdf::text_string(title));
    }
    if let Some(author) = info.author {
        dict.set("Author", lopdf::text_string(author));
    }
    if let Some(created) = info.created {
        dict.set("CreationDate", Object::string_literal(created));
    }
    if !dict.is_empty() {
        let info_id = doc.add_object(dict);
        doc.trailer.set("Info", info_id);
    }
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("PDF writes");
    bytes
}

/// Three pages of a draft strategy: running header and footer, a hyphenated word across a
/// line break, a compound with a capital second part across one, an "Artikel 5" heading on
/// page 2, umlauts and ß.
pub fn strategy_pdf() -> Vec<u8> {
    let pages = vec![
        vec![
            Line {
                text: "Strategie Künstliche Intelligenz".into(),
                size: 16.0,
                gap: 20.0,
            },
            Line::after_gap("Die Landesregierung beschreibt in diesem Entwurf, wie sie die Regu-"),
            Line::body("lierung lernender Systeme gestalten will und welche Rolle die KI-"),
            Line::body("Verordnung der Europäischen Union dabei für Behörden spielt."),
            Line::after_gap("Ein eigener Abschnitt gilt der Größe der Rechenzentren und dem"),
            Line::body("Stromverbrauch, den das Training großer Modelle verursacht."),
        ],
        vec![
            Line {
                text: "Artikel 5".into(),
                size: 12.0,
                gap: 14.0,
            },
            Line::after_gap("Verboten sind Systeme, die Menschen unterschwellig beeinflussen und"),
            Line::body("ihnen dadurch schaden, sowie jede Bewertung sozialen Verhaltens."),
        ],
        vec![
            Line::body("Die Aufsicht übernimmt eine neue Stelle beim Ministerium für Digitales,"),
            Line::body("die Beschwerden von Bürgerinnen und Bürgern prüft und veröffentlicht."),
        ],
    ];
    pdf(
        &pages,
        Some("Strategie Künstliche Intelligenz — Entwurf"),
        &Info {
            title: Some("Strategie Künstliche Intelligenz"),
            author: Some("Referat Digitalpolitik"),
            created: Some("D:20240712103000+02'00'"),
        },
    )
}

/// A one-page PDF that holds only an image, as a scanner writes it.
pub fn scanned_pdf() -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let image_id = doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Image",
            "Width" => 2,
            "Height" => 2,
            "ColorSpace" => "DeviceGray",
            "BitsPerComponent" => 8,
        },
        vec![0, 255, 255, 0],
    ));
    let resources_id = doc.add_object(dictionary! {
        "XObject" => dictionary! { "Im1" => image_id },
    });
    let ops = vec![
        Operation::new("q", vec![]),
        Operation::new(
            "cm",
            vec![
                500.into(),
                0.into(),
                0.into(),
                700.into(),
                40.into(),
                60.into(),
            ],
        ),
        Operation::new("Do", vec!["Im1".into()]),
        Operation::new("Q", vec![]),
    ];
    let kid = page(&mut doc, pages_id, ops);
    finish(doc, pages_id, resources_id, vec![kid], &Info::default())
}
