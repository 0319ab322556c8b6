//! Bytes to text: picks the character encoding, rejects binary input and removes invisible
//! characters and line-ending differences that would otherwise split or join words.
//!
//! This module owns encoding detection only. It must not interpret markup beyond finding an
//! HTML charset declaration, and must not alter visible text.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

use super::{ExtractError, Format};

/// How far into the input binary sniffing looks: enough to see a header, cheap on huge files.
const SNIFF_LEN: usize = 8 * 1024;
/// How far into an HTML file a `<meta charset>` declaration is looked for.
const META_SCAN_LEN: usize = 2 * 1024;
/// Share of control characters above which decoded input is taken as binary, not text.
const MAX_CONTROL_SHARE: f64 = 0.05;
/// Share of U+FFFD replacement characters above which no encoding fitted the bytes.
const MAX_REPLACEMENT_SHARE: f64 = 0.2;

/// Decodes `bytes` to a `String` with LF line endings and without soft hyphens, zero-width
/// characters or stray byte-order marks.
///
/// The encoding is, in order: a byte-order mark (UTF-8, UTF-16LE/BE); UTF-8 when the bytes are
/// valid UTF-8; for HTML, the `<meta charset>` or `<meta http-equiv content="…charset=…">`
/// within the first 2 KB; otherwise chardetng's guess.
///
/// # Errors
///
/// [`ExtractError::Binary`] for NUL bytes in the first 8 KB (unless a UTF-16 byte-order mark
/// explains them) or a large share of control characters, [`ExtractError::Undecodable`] when
/// most characters fail to decode, [`ExtractError::Empty`] when no text remains.
pub fn decode(bytes: &[u8], format: Format) -> Result<String, ExtractError> {
    let bom = Encoding::for_bom(bytes);
    let is_utf16 = matches!(bom, Some((enc, _)) if enc == UTF_16LE || enc == UTF_16BE);
    let head = &bytes[..bytes.len().min(SNIFF_LEN)];
    if !is_utf16 && head.contains(&0) {
        return Err(ExtractError::Binary);
    }

    let raw: Cow<str> = match bom {
        Some((encoding, bom_len)) => decode_with(encoding, &bytes[bom_len..]).into(),
        None => match std::str::from_utf8(bytes) {
            Ok(s) => s.into(),
            Err(_) => {
                let declared = (format == Format::Html)
                    .then(|| declared_charset(&bytes[..bytes.len().min(META_SCAN_LEN)]))
                    .flatten();
                let encoding = declared.unwrap_or_else(|| guess_encoding(bytes));
                decode_with(encoding, bytes).into()
            }
        },
    };

    check_text_like(&raw)?;
    let text = normalize(&raw);
    if text.trim().is_empty() {
        return Err(ExtractError::Empty);
    }
    Ok(text)
}

fn decode_with(encoding: &'static Encoding, bytes: &[u8]) -> String {
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

fn guess_encoding(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    detector.guess(None, true)
}

/// The encoding an HTML head declares, from `charset=` inside a `<meta` tag.
///
/// A declared UTF-8 or UTF-16 is ignored: the bytes already failed UTF-8 validation, and a
/// UTF-16 declaration in ASCII-compatible bytes is wrong by definition (as the HTML standard
/// also rules), so the content-based guess is better.
fn declared_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"<meta") {
        let start = from + pos;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |p| start + p);
        let tag = &lower[start..end];
        if let Some(cs) = find(tag, b"charset=") {
            let value = &tag[cs + b"charset=".len()..];
            let value = value
                .iter()
                .position(|&b| !matches!(b, b'"' | b'\'' | b' '))
                .map_or(&value[value.len()..], |p| &value[p..]);
            let label_len = value
                .iter()
                .position(|&b| matches!(b, b'"' | b'\'' | b' ' | b';' | b'/' | b'>'))
                .unwrap_or(value.len());
            if let Some(enc) = Encoding::for_label(&value[..label_len])
                && enc != UTF_8
                && enc != UTF_16LE
                && enc != UTF_16BE
            {
                return Some(enc);
            }
        }
        from = end;
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Rejects decoded text that is mostly control characters (binary data that slipped past
/// the NUL check, e.g. UTF-16 with a byte-order mark wrapping a binary payload) or mostly
/// undecodable bytes.
fn check_text_like(text: &str) -> Result<(), ExtractError> {
    let mut total = 0usize;
    let mut control = 0usize;
    let mut replacement = 0usize;
    for c in text.chars().take(SNIFF_LEN) {
        total += 1;
        if c == '\0' || (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{0C}')) {
            control += 1;
        } else if c == '\u{FFFD}' {
            replacement += 1;
        }
    }
    if total == 0 {
        return Ok(());
    }
    if control as f64 > MAX_CONTROL_SHARE * total as f64 {
        return Err(ExtractError::Binary);
    }
    if replacement as f64 > MAX_REPLACEMENT_SHARE * total as f64 {
        return Err(ExtractError::Undecodable);
    }
    Ok(())
}

/// Drops invisible format characters and turns CRLF and lone CR into LF. The text between
/// them is copied whole: every byte of the corpus comes through here.
fn normalize(text: &str) -> String {
    let special = |c: char| {
        matches!(
            c,
            '\r' | '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
        )
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(special) {
        out.push_str(&rest[..at]);
        let c = rest[at..]
            .chars()
            .next()
            .expect("a character was found here");
        rest = &rest[at + c.len_utf8()..];
        if c == '\r' {
            rest = rest.strip_prefix('\n').unwrap_or(rest);
            out.push('\n');
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_equals_its_definition_character_by_character() {
        let by_definition = |text: &str| -> String {
            let mut out = String::new();
            let mut chars = text.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '\r' => {
                        if chars.peek() == Some(&'\n') {
                            chars.next();
                        }
                        out.push('\n');
                    }
                    '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => {
                    }
                    _ => out.push(c),
                }
            }
            out
        };
        let pieces = [
            "", "a", "\r", "\n", "\r\n", "\u{AD}", "\u{200B}", "\u{200D}", "\u{2060}", "\u{FEFF}",
            "Grüße", "–", "\u{2061}", "ΣΑΣ",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let text = format!("{a}{b}{c}");
                    assert_eq!(normalize(&text), by_definition(&text), "{text:?}");
                }
            }
        }
    }

    fn windows_1252(s: &str) -> Vec<u8> {
        encoding_rs::WINDOWS_1252.encode(s).0.into_owned()
    }

    #[test]
    fn utf8_bom_is_stripped() {
        let bytes = b"\xEF\xBB\xBFGr\xC3\xBC\xC3\x9Fe";
        assert_eq!(decode(bytes, Format::Text).unwrap(), "Grüße");
    }

    #[test]
    fn utf16le_bom_decodes() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "Überwachung\r\nKI".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode(&bytes, Format::Text).unwrap(), "Überwachung\nKI");
    }

    #[test]
    fn utf16be_bom_decodes() {
        let mut bytes = vec![0xFE, 0xFF];
        for unit in "Daten".encode_utf16() {
            bytes.extend_from_slice(&unit.to_be_bytes());
        }
        assert_eq!(decode(&bytes, Format::Markdown).unwrap(), "Daten");
    }

    #[test]
    fn undeclared_windows_1252_is_guessed() {
        let text = "Maßnahmen für Überwachung und Regulierung der künstlichen Intelligenz";
        let bytes = windows_1252(text);
        assert!(std::str::from_utf8(&bytes).is_err());
        assert_eq!(decode(&bytes, Format::Text).unwrap(), text);
    }

    #[test]
    fn meta_charset_is_honoured_for_html() {
        // 0xA4 is '¤' in ISO-8859-1 but '€' in ISO-8859-15: only the declaration can tell.
        let mut bytes =
            b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-15\">"
                .to_vec();
        bytes.extend_from_slice(b"</head><body><p>Preis: 5 \xA4, Gr\xF6\xDFe</p></body></html>");
        let text = decode(&bytes, Format::Html).unwrap();
        assert!(text.contains("Preis: 5 €, Größe"), "{text}");

        let mut latin1 = b"<meta charset='iso-8859-1'><p>Stra\xDFe \xE0 Paris</p>".to_vec();
        latin1.extend_from_slice(b"<p>caf\xE9</p>");
        let text = decode(&latin1, Format::Html).unwrap();
        assert!(
            text.contains("Straße à Paris") && text.contains("café"),
            "{text}"
        );
    }

    #[test]
    fn binary_input_is_rejected() {
        assert!(matches!(
            decode(b"PK\x03\x04\0\0\0\x08", Format::Text),
            Err(ExtractError::Binary)
        ));
        let controls: Vec<u8> = (1u8..32).cycle().take(4000).collect();
        assert!(matches!(
            decode(&controls, Format::Html),
            Err(ExtractError::Binary)
        ));
    }

    #[test]
    fn empty_input_is_rejected() {
        assert!(matches!(
            decode(b"", Format::Text),
            Err(ExtractError::Empty)
        ));
        assert!(matches!(
            decode(b" \r\n\t\xEF\xBB\xBF", Format::Text),
            Err(ExtractError::Empty)
        ));
    }

    #[test]
    fn invisible_characters_and_line_endings_are_normalised() {
        let text = decode(
            "Regu\u{00AD}lierung\r\nKI\u{200B}-Gesetz\rEnde\u{FEFF}".as_bytes(),
            Format::Text,
        )
        .unwrap();
        assert_eq!(text, "Regulierung\nKI-Gesetz\nEnde");
    }
}
