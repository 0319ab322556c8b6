//! Letter classes and lower case of characters, as the standard library defines them, by
//! table for the scripts of European text (Latin, Greek, Cyrillic, up to U+052F). Every
//! block and paragraph of the corpus is lower-cased and cut into words for cleaning; outside
//! ASCII, the standard library searches its Unicode tables for every character, which on
//! Greek or Bulgarian text cost more than the rest of the work on it.

use std::sync::LazyLock;

/// Characters below this are in the table.
const TABLE_END: usize = 0x530;

/// What the table holds of one character.
#[derive(Clone, Copy)]
struct Entry {
    /// Its lower case when that is one character, else NUL (the standard library's
    /// answer is then used).
    lower: char,
    alphanumeric: bool,
}

static TABLE: LazyLock<Box<[Entry]>> = LazyLock::new(|| {
    (0..TABLE_END as u32)
        .map(|u| {
            let Some(c) = char::from_u32(u) else {
                return Entry {
                    lower: '\0',
                    alphanumeric: false,
                };
            };
            let mut lower = c.to_lowercase();
            let lower = match (lower.next(), lower.next()) {
                (Some(one), None) => one,
                _ => '\0',
            };
            Entry {
                lower,
                alphanumeric: c.is_alphanumeric(),
            }
        })
        .collect()
});

/// The table, looked up once per text rather than once per character.
pub struct Letters {
    table: &'static [Entry],
}

impl Letters {
    pub fn get() -> Letters {
        Letters { table: &TABLE }
    }

    /// `c.is_alphanumeric()`.
    #[inline]
    pub fn is_alphanumeric(&self, c: char) -> bool {
        if c.is_ascii() {
            return c.is_ascii_alphanumeric();
        }
        match self.table.get(c as usize) {
            Some(entry) => entry.alphanumeric,
            None => c.is_alphanumeric(),
        }
    }

    /// Appends `c.to_lowercase()` to `out`.
    #[inline]
    pub fn push_lower(&self, c: char, out: &mut String) {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            return;
        }
        match self.table.get(c as usize) {
            Some(entry) if entry.lower != '\0' => out.push(entry.lower),
            _ => out.extend(c.to_lowercase()),
        }
    }

    /// `text.to_lowercase()` into `out` (emptied first).
    pub fn lowercase_into(&self, text: &str, out: &mut String) {
        out.clear();
        // A capital sigma's lower case depends on where in its word it stands: the
        // standard library knows the rule.
        if text.contains('Σ') {
            out.push_str(&text.to_lowercase());
            return;
        }
        out.reserve(text.len());
        for c in text.chars() {
            self.push_lower(c, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character of the table, beyond it, and the odd ones.
    fn characters() -> Vec<char> {
        let mut chars: Vec<char> = (0u32..0x700).filter_map(char::from_u32).collect();
        chars.extend([
            'ẞ', 'Ω', 'K', 'Ⅻ', '\u{3000}', '\u{1E9E}', '𝐀', '中', '\u{FB00}',
        ]);
        chars
    }

    #[test]
    fn letters_are_classified_and_lower_cased_as_the_standard_library_does() {
        let letters = Letters::get();
        let mut out = String::new();
        for c in characters() {
            assert_eq!(letters.is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
            out.clear();
            letters.push_lower(c, &mut out);
            assert_eq!(out, c.to_lowercase().collect::<String>(), "{c:?}");
        }
    }

    #[test]
    fn texts_are_lower_cased_as_the_standard_library_does() {
        let letters = Letters::get();
        let chars = characters();
        let mut out = String::from("left over");
        for (n, &c) in chars.iter().enumerate() {
            let other = chars[(n * 13 + 5) % chars.len()];
            for text in [
                format!("{c}"),
                format!("Größe {c}{other} İSTANBUL"),
                format!("ΟΔΥΣΣΕΥΣ {c}Σ Σ{other}"),
            ] {
                letters.lowercase_into(&text, &mut out);
                assert_eq!(out, text.to_lowercase(), "{text:?}");
            }
        }
    }
}
