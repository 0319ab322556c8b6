//! Highlight ranges and the best fragment of a passage to show.
//!
//! Pure functions over text and ranges: the store finds which words match, this module turns
//! byte ranges into character offsets and picks the part of a long passage worth printing.

use std::ops::Range;

/// Sorts and merges byte ranges of `text` (overlapping or touching ones become one; ranges
/// not on character boundaries are dropped) and returns them as character offsets.
pub fn char_ranges(text: &str, mut ranges: Vec<Range<usize>>) -> Vec<[usize; 2]> {
    ranges.retain(|r| {
        r.start < r.end
            && r.end <= text.len()
            && text.is_char_boundary(r.start)
            && text.is_char_boundary(r.end)
    });
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    // One pass over the text converts every boundary, instead of counting from the start
    // for each range.
    let mut out = Vec::with_capacity(merged.len());
    let mut chars = 0;
    let mut byte = 0;
    for range in merged {
        chars += text[byte..range.start].chars().count();
        let start = chars;
        chars += text[range.start..range.end].chars().count();
        out.push([start, chars]);
        byte = range.end;
    }
    out
}

/// A part of a passage chosen for display, with highlights relative to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragment {
    pub text: String,
    pub highlights: Vec<[usize; 2]>,
    /// Whether text was cut before / after the fragment.
    pub cut_start: bool,
    pub cut_end: bool,
}

/// The window of at most `max_chars` characters of `text` that holds the most highlights,
/// cut at word boundaries. The whole text when it fits.
pub fn best_fragment(text: &str, highlights: &[[usize; 2]], max_chars: usize) -> Fragment {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= max_chars {
        return Fragment {
            text: text.to_string(),
            highlights: highlights.to_vec(),
            cut_start: false,
            cut_end: false,
        };
    }
    // Start a little before a highlight, so the match has context on its left.
    let lead = max_chars / 5;
    let mut best = (0, 0usize);
    for [start, _] in highlights {
        let window_start = start.saturating_sub(lead);
        let count = highlights
            .iter()
            .filter(|[s, e]| *s >= window_start && *e <= window_start + max_chars)
            .count();
        if count > best.1 {
            best = (window_start, count);
        }
    }
    let mut start = best.0.min(chars.len().saturating_sub(max_chars));
    // Move the start forward to the beginning of a word, unless that loses the first match.
    if start > 0 && !chars[start - 1].is_whitespace() {
        let first_hit = highlights
            .iter()
            .map(|[s, _]| *s)
            .find(|s| *s >= start)
            .unwrap_or(chars.len());
        if let Some(offset) = chars[start..first_hit]
            .iter()
            .position(|c| c.is_whitespace())
        {
            start += offset + 1;
        }
    }
    let mut end = (start + max_chars).min(chars.len());
    if end < chars.len() {
        let last_hit_end = highlights
            .iter()
            .map(|[_, e]| *e)
            .filter(|e| *e <= end)
            .max()
            .unwrap_or(start);
        if let Some(offset) = chars[last_hit_end.max(start)..end]
            .iter()
            .rposition(|c| c.is_whitespace())
        {
            end = last_hit_end.max(start) + offset;
        }
    }
    let fragment: String = chars[start..end].iter().collect();
    let highlights = highlights
        .iter()
        .filter(|[s, e]| *s >= start && *e <= end)
        .map(|[s, e]| [s - start, e - start])
        .collect();
    Fragment {
        text: fragment.trim_end().to_string(),
        highlights,
        cut_start: start > 0,
        cut_end: end < chars.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Empty, reversed and lone ranges are exactly what these tests feed in.
    #[allow(clippy::reversed_empty_ranges)]
    #[test]
    fn byte_ranges_become_merged_char_offsets() {
        let text = "Die KI-Regulierung ändert Maßnahmen";
        let start = text.find("Maßnahmen").expect("present");
        let ranges = vec![
            start..start + "Maßnahmen".len(),
            7..18,
            4..6,
            6..7,
            3..2,
            100..120,
        ];
        assert_eq!(char_ranges(text, ranges), [[4, 18], [26, 35]]);
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(chars[26..35].iter().collect::<String>(), "Maßnahmen");
    }

    #[allow(clippy::single_range_in_vec_init)]
    #[test]
    fn ranges_off_char_boundaries_are_dropped() {
        assert!(char_ranges("ß", vec![0..1]).is_empty());
    }

    #[test]
    fn short_text_is_shown_whole() {
        let fragment = best_fragment("kurz und gut", &[[0, 4]], 300);
        assert_eq!(fragment.text, "kurz und gut");
        assert!(!fragment.cut_start && !fragment.cut_end);
    }

    #[test]
    fn long_text_is_cut_around_the_densest_matches_at_word_boundaries() {
        let words: Vec<String> = (0..200).map(|i| format!("w{i:03}")).collect();
        let text = words.join(" ");
        let at = |w: &str| text.find(w).expect("word present");
        let hit = |w: &str| [at(w), at(w) + w.len()];
        let highlights = [hit("w010"), hit("w150"), hit("w152"), hit("w155")];
        let fragment = best_fragment(&text, &highlights, 100);
        assert!(fragment.text.chars().count() <= 100);
        assert!(fragment.cut_start && fragment.cut_end);
        assert!(
            fragment.text.starts_with('w') && fragment.text.ends_with(|c: char| c.is_ascii_digit())
        );
        assert_eq!(fragment.highlights.len(), 3);
        let chars: Vec<char> = fragment.text.chars().collect();
        for [s, e] in &fragment.highlights {
            let word: String = chars[*s..*e].iter().collect();
            assert!(["w150", "w152", "w155"].contains(&word.as_str()), "{word}");
        }
    }
}
