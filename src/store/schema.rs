//! The index schema: field names and the resolved fields of an open index.
//!
//! Every name that must match across index and search time is a constant here.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::analysis::{self, STEMMED_LANGUAGES};

pub const PASSAGE_ID: &str = "passage_id";
pub const DOC_ID: &str = "doc_id";
pub const PATH: &str = "path";
pub const ORDINAL: &str = "ordinal";
pub const LANG: &str = "lang";
pub const DATE: &str = "date";
pub const SITE: &str = "site";
/// Document type (`law`, `news`, `article`, `report`, `web`, `text`).
pub const DOC_TYPE: &str = "type";
pub const URL: &str = "url";
/// The structural label of a passage of a law ("Artikel 5 Absatz 1"), as shown.
pub const SECTION: &str = "section";
/// Normalised keys of that label (`article:5`, `article:5(1)`, `recital:27`, `annex:iii`).
pub const SECTION_KEY: &str = "section_key";
/// PDF page the passage starts on.
pub const PAGE: &str = "page";
/// Ids of the same passage in other documents (copies not indexed on their own).
pub const ALSO_IN: &str = "also_in";
/// Marks per-file records (`file`); passages have no value here.
pub const RECORD: &str = "record";
/// The corpus path a file record describes (indexed, to replace or remove the record).
pub const FILE_PATH: &str = "file_path";
/// The file record itself, as JSON.
pub const FILE_RECORD: &str = "file_record";
/// A file's cleaning sketches (postcard), in an entry of their own beside its record: they
/// are most of a record's bytes, and reading the records must not read them.
pub const FILE_SKETCHES: &str = "file_sketches";
/// Language-neutral fields, searchable by these names in queries (`title:gipfel`).
pub const TITLE: &str = "title";
pub const TEXT: &str = "text";
pub const AUTHOR: &str = "author";
pub const HEADING: &str = "heading";
/// The site as one untokenised value, for counting hits by source (`--facets`).
pub const SITE_FACET: &str = "site_facet";
/// The year of the document's date (`2024`), for counting hits by year (`--facets`).
pub const YEAR: &str = "year";
/// What a passage references ([`crate::reference`] targets: `eu:2024/1689`, `url:…`);
/// stored, so that `cites` lists them without finding them again.
pub const REFS: &str = "refs";
/// The document's url as references name it ([`crate::reference::normalise_url`]), so that a
/// url a passage cites leads to the document of the corpus it names.
pub const URL_KEY: &str = "url_key";
/// A passage's hyperlinks, each as `url` and anchor text joined by [`LINK_SEPARATOR`];
/// stored only (their targets are in `refs`).
pub const LINK: &str = "link";
pub const LINK_SEPARATOR: char = '\u{1f}';

/// Field of a passage's text analysed in language `code`.
pub fn text_field_name(code: &str) -> String {
    format!("text_{code}")
}

/// The fields of one stemmed language.
#[derive(Debug, Clone, Copy)]
pub struct LanguageFields {
    pub code: &'static str,
    pub text: Field,
}

/// Resolved fields of an index built with [`build`].
#[derive(Debug, Clone)]
pub struct Fields {
    pub passage_id: Field,
    pub doc_id: Field,
    pub path: Field,
    pub ordinal: Field,
    pub lang: Field,
    pub date: Field,
    pub site: Field,
    pub doc_type: Field,
    pub url: Field,
    pub section: Field,
    pub section_key: Field,
    pub page: Field,
    pub also_in: Field,
    pub title: Field,
    pub text: Field,
    pub author: Field,
    pub heading: Field,
    pub record: Field,
    pub file_path: Field,
    pub file_record: Field,
    pub file_sketches: Field,
    pub languages: Vec<LanguageFields>,
    pub site_facet: Field,
    pub year: Field,
    pub refs: Field,
    pub url_key: Field,
    pub link: Field,
}

impl Fields {
    /// Resolves the fields of `schema`; fails when it is not a polsearch schema.
    pub fn resolve(schema: &Schema) -> tantivy::Result<Fields> {
        let get = |name: &str| schema.get_field(name);
        Ok(Fields {
            passage_id: get(PASSAGE_ID)?,
            doc_id: get(DOC_ID)?,
            path: get(PATH)?,
            ordinal: get(ORDINAL)?,
            lang: get(LANG)?,
            date: get(DATE)?,
            site: get(SITE)?,
            doc_type: get(DOC_TYPE)?,
            url: get(URL)?,
            section: get(SECTION)?,
            section_key: get(SECTION_KEY)?,
            page: get(PAGE)?,
            also_in: get(ALSO_IN)?,
            title: get(TITLE)?,
            text: get(TEXT)?,
            author: get(AUTHOR)?,
            heading: get(HEADING)?,
            record: get(RECORD)?,
            file_path: get(FILE_PATH)?,
            file_record: get(FILE_RECORD)?,
            file_sketches: get(FILE_SKETCHES)?,
            languages: STEMMED_LANGUAGES
                .iter()
                .map(|(code, _)| {
                    Ok(LanguageFields {
                        code,
                        text: get(&text_field_name(code))?,
                    })
                })
                .collect::<tantivy::Result<_>>()?,
            site_facet: get(SITE_FACET)?,
            year: get(YEAR)?,
            refs: get(REFS)?,
            url_key: get(URL_KEY)?,
            link: get(LINK)?,
        })
    }

    /// The fields of language `code`, if it is stemmed.
    pub fn language(&self, code: &str) -> Option<&LanguageFields> {
        self.languages.iter().find(|fields| fields.code == code)
    }
}

fn analysed(analyzer: &str, stored: bool) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(analyzer)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let options = TextOptions::default().set_indexing_options(indexing);
    if stored {
        options.set_stored()
    } else {
        options
    }
}

/// The schema of every polsearch index.
pub fn build() -> Schema {
    let mut schema = Schema::builder();
    schema.add_text_field(PASSAGE_ID, STRING | STORED);
    // Fast, so that score ties are broken by document id without reading stored passages.
    schema.add_text_field(DOC_ID, STRING | STORED | FAST);
    schema.add_text_field(PATH, STRING | STORED);
    schema.add_u64_field(ORDINAL, INDEXED | STORED | FAST);
    schema.add_text_field(LANG, STRING | STORED | FAST);
    schema.add_text_field(DATE, STRING | STORED | FAST);
    // Words, not one string: `--source netzpolitik` finds `netzpolitik.org`.
    schema.add_text_field(SITE, analysed(analysis::NEUTRAL, true));
    schema.add_text_field(DOC_TYPE, STRING | STORED | FAST);
    schema.add_text_field(URL, STRING | STORED);
    schema.add_text_field(SECTION, STORED);
    schema.add_text_field(SECTION_KEY, STRING);
    schema.add_u64_field(PAGE, STORED);
    // Indexed, so that the id of a copy leads to the passage that holds its text.
    schema.add_text_field(ALSO_IN, STRING | STORED);
    schema.add_text_field(TITLE, analysed(analysis::NEUTRAL, true));
    schema.add_text_field(TEXT, analysed(analysis::NEUTRAL, true));
    schema.add_text_field(AUTHOR, analysed(analysis::NEUTRAL, true));
    schema.add_text_field(HEADING, analysed(analysis::NEUTRAL, true));
    schema.add_text_field(RECORD, STRING);
    schema.add_text_field(FILE_PATH, STRING);
    schema.add_text_field(FILE_RECORD, STORED);
    schema.add_bytes_field(FILE_SKETCHES, STORED);
    for (code, _) in STEMMED_LANGUAGES {
        let analyzer = analysis::analyzer_name(code);
        schema.add_text_field(&text_field_name(code), analysed(&analyzer, false));
    }
    schema.add_text_field(SITE_FACET, STRING | FAST);
    schema.add_text_field(YEAR, STRING | FAST);
    schema.add_text_field(REFS, STRING | STORED);
    schema.add_text_field(URL_KEY, STRING);
    schema.add_text_field(LINK, STORED);
    schema.build()
}
