//! What the bytes of a file say it is, checked against what its name says, before any
//! decoding: a PDF saved as `.html`, an image saved as `.txt` or a web page saved as `.pdf` is
//! reported as such instead of being indexed as garbage or failing with a vague message.
//!
//! This module owns the magic numbers only. It must not decode text or parse any format; the
//! format extractors report what is wrong *inside* a file of the right kind.
//!
//! The dozen signatures are written out here rather than taken from a crate such as `infer`:
//! polsearch needs few of them, needs text kinds (HTML, JSON) that such crates do not tell
//! apart, and needs the one tolerance PDF readers have (a header after leading junk).

use super::{ExtractError, Format};

/// PDF readers accept the `%PDF-` header anywhere in the first kilobyte (some generators put
/// junk or a BOM before it).
const PDF_HEADER_WINDOW: usize = 1024;
/// How much of the start is looked at to tell text kinds apart.
const TEXT_SNIFF_LEN: usize = 4096;

/// What the first bytes of a file show it to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Pdf,
    Zip,
    Png,
    Jpeg,
    Gif,
    Gzip,
    WebP,
    Tiff,
    /// The compound-file container of legacy `.doc`, `.xls` and `.ppt` files.
    OleCompound,
    Html,
    Json,
    Text,
    Binary,
}

impl Kind {
    /// How an error message names the kind: "the bytes are …".
    fn described(self) -> &'static str {
        match self {
            Kind::Pdf => "a PDF document",
            Kind::Zip => "a ZIP archive (such as .docx)",
            Kind::Png => "a PNG image",
            Kind::Jpeg => "a JPEG image",
            Kind::Gif => "a GIF image",
            Kind::Gzip => "gzip-compressed data",
            Kind::WebP => "a WebP image",
            Kind::Tiff => "a TIFF image",
            Kind::OleCompound => "a legacy Office document (.doc, .xls, .ppt)",
            Kind::Html => "an HTML page",
            Kind::Json => "JSON",
            Kind::Text => "plain text",
            Kind::Binary => "unknown binary data",
        }
    }
}

/// A container or media format named by the leading magic number, `None` for anything else
/// (text, or binary data of no kind polsearch knows).
fn magic(bytes: &[u8]) -> Option<Kind> {
    const SIGNATURES: &[(&[u8], Kind)] = &[
        (b"%PDF-", Kind::Pdf),
        (b"PK\x03\x04", Kind::Zip),
        (b"PK\x05\x06", Kind::Zip),
        (b"\x89PNG\r\n\x1a\n", Kind::Png),
        (b"\xFF\xD8\xFF", Kind::Jpeg),
        (b"GIF87a", Kind::Gif),
        (b"GIF89a", Kind::Gif),
        (b"\x1F\x8B", Kind::Gzip),
        (b"II*\0", Kind::Tiff),
        (b"MM\0*", Kind::Tiff),
        (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", Kind::OleCompound),
    ];
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Some(Kind::WebP);
    }
    SIGNATURES
        .iter()
        .find(|(signature, _)| bytes.starts_with(signature))
        .map(|&(_, kind)| kind)
}

/// Whether a PDF header sits in the first kilobyte.
fn has_pdf_header(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(PDF_HEADER_WINDOW)]
        .windows(5)
        .any(|w| w == b"%PDF-")
}

/// The kind of bytes that carry no magic number: HTML, JSON, text or unknown binary.
fn text_kind(bytes: &[u8]) -> Kind {
    let head = &bytes[..bytes.len().min(TEXT_SNIFF_LEN)];
    if is_utf16(head) {
        return Kind::Text;
    }
    if head.contains(&0) {
        return Kind::Binary;
    }
    match first_char(head) {
        Some(b'<') => Kind::Html,
        Some(b'{' | b'[') => Kind::Json,
        _ => Kind::Text,
    }
}

fn is_utf16(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF")
}

/// The first byte after a UTF-8 byte-order mark and whitespace.
fn first_char(bytes: &[u8]) -> Option<u8> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    bytes.iter().copied().find(|b| !b.is_ascii_whitespace())
}

/// Checks that `bytes` can be what `format` (from the file's name) says they are.
///
/// # Errors
///
/// [`ExtractError::Mismatch`] naming both sides, for example "named .html but the bytes are a
/// PDF document". Text formats reject any known binary signature; `.pdf` needs a PDF header;
/// `.docx` needs a ZIP archive; `.json` and `.jsonl` need an opening `{` or `[`.
pub(crate) fn check(bytes: &[u8], format: Format) -> Result<(), ExtractError> {
    let magic = magic(bytes);
    let found = match format {
        Format::Html | Format::Text | Format::Markdown => magic,
        Format::Pdf => (!has_pdf_header(bytes)).then(|| magic.unwrap_or_else(|| text_kind(bytes))),
        Format::Docx => {
            (magic != Some(Kind::Zip)).then(|| magic.unwrap_or_else(|| text_kind(bytes)))
        }
        Format::Json | Format::JsonLines => match magic {
            Some(kind) => Some(kind),
            // Empty or whitespace-only input is left to the decoder, which calls it empty.
            None if is_utf16(bytes) || first_char(bytes).is_none() => None,
            None => Some(text_kind(bytes)).filter(|&kind| kind != Kind::Json),
        },
    };
    match found {
        Some(kind) => Err(ExtractError::Mismatch {
            named: format.name(),
            found: kind.described(),
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mismatch(bytes: &[u8], format: Format) -> Option<String> {
        check(bytes, format).err().map(|e| e.to_string())
    }

    #[test]
    fn binary_signatures_in_text_files_are_reported() {
        assert_eq!(
            mismatch(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj", Format::Html).as_deref(),
            Some("named .html but the bytes are a PDF document")
        );
        assert_eq!(
            mismatch(b"PK\x03\x04\x14\0\x06\0", Format::Text).as_deref(),
            Some("named .txt but the bytes are a ZIP archive (such as .docx)")
        );
        for (bytes, found) in [
            (&b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"[..], "a PNG image"),
            (b"\xFF\xD8\xFF\xE0\0\x10JFIF", "a JPEG image"),
            (b"GIF89a\x01\0\x01\0", "a GIF image"),
            (b"\x1F\x8B\x08\0\0\0\0\0", "gzip-compressed data"),
            (b"RIFF\x24\0\0\0WEBPVP8 ", "a WebP image"),
        ] {
            let message = mismatch(bytes, Format::Markdown).expect("a mismatch");
            assert!(message.ends_with(found), "{message}");
        }
    }

    #[test]
    fn pdf_names_need_a_pdf_header() {
        assert_eq!(check(b"%PDF-1.4\n...", Format::Pdf).ok(), Some(()));
        assert_eq!(check(b"\n\n  junk %PDF-1.4\n", Format::Pdf).ok(), Some(()));
        assert_eq!(
            mismatch(
                b"<!DOCTYPE html><html><body>Fehler 404</body></html>",
                Format::Pdf
            )
            .as_deref(),
            Some("named .pdf but the bytes are an HTML page")
        );
        assert_eq!(
            mismatch(b"Dies ist kein PDF.", Format::Pdf).as_deref(),
            Some("named .pdf but the bytes are plain text")
        );
        assert_eq!(
            mismatch(b"\x89PNG\r\n\x1a\n", Format::Pdf).as_deref(),
            Some("named .pdf but the bytes are a PNG image")
        );
    }

    #[test]
    fn docx_and_json_names_are_checked() {
        assert_eq!(check(b"PK\x03\x04rest", Format::Docx).ok(), Some(()));
        assert_eq!(
            mismatch(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0", Format::Docx).as_deref(),
            Some("named .docx but the bytes are a legacy Office document (.doc, .xls, .ppt)")
        );
        assert_eq!(
            check(b"\xEF\xBB\xBF  [{\"a\":1}]", Format::Json).ok(),
            Some(())
        );
        assert_eq!(
            check(b"{\"a\":1}\n{\"a\":2}", Format::JsonLines).ok(),
            Some(())
        );
        assert_eq!(
            mismatch(b"<html><p>Text</p></html>", Format::Json).as_deref(),
            Some("named .json but the bytes are an HTML page")
        );
        assert_eq!(
            mismatch(b"title,text\nA,B\n", Format::JsonLines).as_deref(),
            Some("named .jsonl but the bytes are plain text")
        );
        // Left to the decoder, which has better words for these.
        assert_eq!(check(b"  \n", Format::Json).ok(), Some(()));
        assert_eq!(check(b"\xFF\xFE{\0}\0", Format::Json).ok(), Some(()));
    }

    #[test]
    fn ordinary_text_passes() {
        for format in [Format::Html, Format::Text, Format::Markdown] {
            assert_eq!(check(b"Gr\xC3\xBC\xC3\x9Fe", format).ok(), Some(()));
            assert_eq!(check(b"", format).ok(), Some(()));
            // Mentioning a signature later in the text is not a signature.
            assert_eq!(check(b"see %PDF-1.7 header", format).ok(), Some(()));
        }
    }
}
