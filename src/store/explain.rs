//! `--explain`: which query word matched which word of a passage, through which analysis, and
//! the parts of the score as tantivy's explanation tree gives them.
//!
//! The matched words are the highlighted ones (the same analyzers decide both); each is then
//! compared with the query words again, form by form, to name the step that made them meet.

use std::ops::Range;

use tantivy::query::Explanation;
use tantivy::schema::{Field, Schema};
use tantivy::tokenizer::TextAnalyzer;

use crate::analysis;
use crate::compound::Splitter;
use crate::hit::{MatchKind, ScorePart, WordMatch};

/// The analyzers a comparison needs, for the passage's language.
pub struct Analyzers<'a> {
    pub neutral: &'a mut TextAnalyzer,
    /// The language's index chain (with compound parts), `None` for unstemmed languages.
    pub index: Option<&'a mut TextAnalyzer>,
    /// The language's query chain (no compound parts).
    pub query: Option<&'a mut TextAnalyzer>,
    /// The German splitter, for a German passage.
    pub splitter: Option<&'a Splitter>,
    pub german: bool,
}

/// The words of a query a passage can match: operators, excluded words, field names and
/// structural targets left out.
pub fn query_words(query: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut excluded_next = false;
    for raw in query.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '"')) {
        if raw.is_empty() {
            continue;
        }
        if matches!(raw, "AND" | "OR") {
            continue;
        }
        if raw == "NOT" {
            excluded_next = true;
            continue;
        }
        if std::mem::take(&mut excluded_next) || raw.starts_with('-') {
            continue;
        }
        let word = raw.trim_start_matches('+');
        let lower = word.to_lowercase();
        if ["article:", "recital:", "annex:"]
            .iter()
            .any(|p| lower.starts_with(p))
        {
            continue;
        }
        let word = word.rsplit_once(':').map_or(word, |(_, w)| w);
        let word = word.trim_end_matches(['^', '~', '*']).trim_matches('-');
        if word.chars().any(char::is_alphanumeric) && !words.iter().any(|w| w == word) {
            words.push(word.to_string());
        }
    }
    words
}

/// The matched words of `text` (whose matched tokens are `ranges`, in bytes), each with the
/// query word it came from and how.
pub fn classify(
    text: &str,
    ranges: &[Range<usize>],
    query_words: &[String],
    analyzers: &mut Analyzers,
) -> Vec<WordMatch> {
    let mut spans: Vec<Range<usize>> = ranges.iter().map(|r| word_around(text, r)).collect();
    spans.sort_by_key(|r| (r.start, r.end));
    spans.dedup_by(|b, a| b.start < a.end);
    let mut out: Vec<WordMatch> = Vec::new();
    let mut cache: Vec<(String, String, MatchKind)> = Vec::new();
    for span in spans {
        let passage = &text[span];
        let (query, how) = match cache.iter().find(|(p, ..)| p == passage) {
            Some((_, q, how)) => (q.clone(), *how),
            None => {
                let best = query_words
                    .iter()
                    .map(|q| (q, kind(q, passage, analyzers)))
                    .min_by_key(|(_, how)| *how);
                let (query, how) = match best {
                    Some((q, how)) => (q.clone(), how),
                    None => (String::new(), MatchKind::Other),
                };
                cache.push((passage.to_string(), query.clone(), how));
                (query, how)
            }
        };
        match out
            .iter_mut()
            .find(|m| m.passage == passage && m.query == query)
        {
            Some(m) => m.count += 1,
            None => out.push(WordMatch {
                query,
                passage: passage.to_string(),
                how,
                count: 1,
            }),
        }
    }
    out
}

/// The whole word around a matched token: letters and digits, joined by inner hyphens, so
/// that `Regulierung` is seen inside `KI-Regulierung`.
fn word_around(text: &str, token: &Range<usize>) -> Range<usize> {
    let is_word = |c: char| c.is_alphanumeric() || c == '-';
    let start = text[..token.start]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(token.start, |(i, _)| i);
    let end = text[token.end..]
        .char_indices()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(token.end, |(i, c)| token.end + i + c.len_utf8());
    // Hyphens at the edges are dashes, not joins.
    let word = &text[start..end];
    let lead = word.len() - word.trim_start_matches('-').len();
    let trail = word.len() - word.trim_end_matches('-').len();
    (start + lead)..(end - trail).max(start + lead)
}

/// Tokens of `text` as `(position, term)`.
fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push((token.position, token.text.clone()));
    }
    out
}

/// The first term at each position: the words, without the compound parts the index chain
/// adds after them.
fn words_only(tokens: &[(usize, String)]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut last = None;
    for (position, term) in tokens {
        if last != Some(*position) {
            out.push(term.clone());
            last = Some(*position);
        }
    }
    out
}

fn contains_run(haystack: &[String], needle: &[String]) -> bool {
    !needle.is_empty()
        && haystack.len() > needle.len()
        && haystack.windows(needle.len()).any(|w| w == needle)
}

/// How query word `q` met passage word `p`.
fn kind(q: &str, p: &str, a: &mut Analyzers) -> MatchKind {
    let (q_lower, p_lower) = (q.to_lowercase(), p.to_lowercase());
    if q_lower == p_lower {
        return MatchKind::Exact;
    }
    let q_neutral = analysis::terms(a.neutral, q);
    let p_neutral = analysis::terms(a.neutral, p);
    let folded = |word: &str| {
        let mut word = word.to_string();
        analysis::fold_german(&mut word);
        word
    };
    if q_neutral == p_neutral || (a.german && folded(&q_lower) == folded(&p_lower)) {
        return MatchKind::Variant;
    }
    let q_stems = a
        .query
        .as_deref_mut()
        .map(|analyzer| analysis::terms(analyzer, q))
        .unwrap_or_default();
    let p_tokens = a
        .index
        .as_deref_mut()
        .map(|analyzer| tokens(analyzer, p))
        .unwrap_or_default();
    let p_words = words_only(&p_tokens);
    if !q_stems.is_empty() && q_stems == p_words {
        return MatchKind::Stem;
    }
    // A hyphenated compound holds the query word as one of its words; a closed one as one
    // of the parts the index chain added.
    let part_of_p = contains_run(&p_words, &q_stems)
        || contains_run(&p_neutral, &q_neutral)
        || (q_stems.len() == 1
            && p_tokens.len() > p_words.len()
            && p_tokens.iter().any(|(_, t)| *t == q_stems[0]));
    if part_of_p {
        return MatchKind::Compound;
    }
    let q_parts: Vec<String> = match (a.splitter, a.query.as_deref_mut()) {
        (Some(splitter), Some(analyzer)) => splitter
            .split(&q_lower)
            .map(|parts| {
                parts
                    .iter()
                    .flat_map(|part| analysis::terms(analyzer, &part.form))
                    .collect()
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let split_q = q_parts.len() > 1 || q_neutral.len() > 1;
    // Either the passage word is one of the query compound's parts, or the two compounds
    // share a part.
    if split_q
        && ((p_words.len() == 1
            && (q_parts.contains(&p_words[0]) || q_stems.contains(&p_words[0])))
            || p_tokens.iter().skip(1).any(|(_, t)| q_parts.contains(t)))
    {
        return MatchKind::Part;
    }
    MatchKind::Other
}

/// The score's parts from tantivy's explanation tree: one per matched term (or phrase), with
/// the boosts above it multiplied in; largest first.
pub fn score_parts(explanation: &Explanation, schema: &Schema) -> Vec<ScorePart> {
    let tree = serde_json::to_value(explanation).unwrap_or_default();
    let mut parts = Vec::new();
    walk(&tree, 1.0, schema, &mut parts);
    parts.sort_by(|a, b| b.points.total_cmp(&a.points));
    parts
}

fn walk(node: &serde_json::Value, boost: f32, schema: &Schema, out: &mut Vec<ScorePart>) {
    let description = node["description"].as_str().unwrap_or_default();
    let value = node["value"].as_f64().unwrap_or(0.0) as f32;
    let children = node["details"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    let context = node["context"]
        .as_array()
        .and_then(|c| c.first())
        .and_then(|c| c.as_str())
        .unwrap_or_default();
    if let Some(factor) = description
        .strip_prefix("Boost x")
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse::<f32>().ok())
    {
        for child in children {
            walk(child, boost * factor, schema, out);
        }
    } else if description.starts_with("BooleanClause") {
        for child in children {
            walk(child, boost, schema, out);
        }
    } else if description.starts_with("TermQuery") {
        let (field, term) = parse_term(context, schema);
        out.push(part(field, term, value, boost));
    } else if description.starts_with("Near") {
        // `field=3, "person data process"~20`, from `near::NearWeight::explain`.
        let (field, _) = parse_term(context, schema);
        let clause = context.split_once(", ").map_or("", |(_, rest)| rest);
        out.push(part(field, clause.to_string(), value, boost));
    } else if description.starts_with("Phrase") {
        out.push(part(String::new(), "(phrase)".to_string(), value, boost));
    } else if value != 0.0 {
        out.push(part(String::new(), description.to_string(), value, boost));
    }
}

fn part(field: String, term: String, bm25: f32, boost: f32) -> ScorePart {
    ScorePart {
        field,
        term,
        bm25,
        boost,
        points: bm25 * boost,
    }
}

/// Field name and text of tantivy's `Term=Term(field=3, type=Str, "regulier")`.
fn parse_term(context: &str, schema: &Schema) -> (String, String) {
    let field = context
        .split_once("field=")
        .and_then(|(_, rest)| rest.split(',').next())
        .and_then(|id| id.trim().parse::<u32>().ok())
        .map(|id| schema.get_field_name(Field::from_field_id(id)).to_string())
        .unwrap_or_default();
    let term = context
        .split_once("type=Str, ")
        .map(|(_, rest)| rest.trim_end_matches(')').trim_matches('"').to_string())
        .unwrap_or_else(|| context.to_string());
    (field, term)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_proximity_clause_names_its_field_and_words() {
        let mut builder = Schema::builder();
        builder.add_text_field("text", tantivy::schema::TEXT);
        builder.add_text_field("text_en", tantivy::schema::TEXT);
        let schema = builder.build();
        let mut near = Explanation::new("Near, words within 20 positions", 18.0);
        near.add_context("field=1, \"person data process\"~20".to_string());
        let mut boosted = Explanation::new("Boost x0.3 of ...", 5.4);
        boosted.add_detail(near);
        let parts = score_parts(&boosted, &schema);
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].field, "text_en");
        assert_eq!(parts[0].term, "\"person data process\"~20");
        assert!((parts[0].points - 5.4).abs() < 1e-4, "{}", parts[0].points);
    }

    #[test]
    fn query_words_leave_out_operators_exclusions_and_fields() {
        assert_eq!(
            query_words(
                "(KI OR AI) AND +Regulierung -Paris NOT Trump title:Gipfel \"offene KI\" article:5"
            ),
            ["KI", "AI", "Regulierung", "Gipfel", "offene"]
        );
    }

    #[test]
    fn the_word_around_a_token_spans_hyphens_but_not_dashes() {
        let text = "Die KI-Regulierung - bald.";
        let start = text.find("Regulierung").unwrap();
        let range = word_around(text, &(start..start + "Regulierung".len()));
        assert_eq!(&text[range], "KI-Regulierung");
        let start = text.find("bald").unwrap();
        assert_eq!(&text[word_around(text, &(start..start + 4))], "bald");
    }

    fn analyzers_de() -> (TextAnalyzer, TextAnalyzer, TextAnalyzer, Splitter) {
        let mut lexicon = crate::compound::Lexicon::new();
        for _ in 0..5 {
            lexicon.add_text("Datenschutz Regulierung Investition Offensive");
        }
        let splitter = Splitter::new(lexicon, crate::compound::Params::default());
        let index = analysis::language_analyzer(
            rust_stemmers::Algorithm::German,
            Some(std::sync::Arc::new(splitter.clone())),
        );
        let query = analysis::language_analyzer(rust_stemmers::Algorithm::German, None);
        (analysis::neutral_analyzer(), index, query, splitter)
    }

    #[test]
    fn kinds_name_the_analysis_that_made_the_words_meet() {
        let (mut neutral, mut index, mut query, splitter) = analyzers_de();
        let mut a = Analyzers {
            neutral: &mut neutral,
            index: Some(&mut index),
            query: Some(&mut query),
            splitter: Some(&splitter),
            german: true,
        };
        let cases = [
            ("Regulierung", "regulierung", MatchKind::Exact),
            ("Maßnahmen", "Massnahmen", MatchKind::Variant),
            ("Überwachung", "Ueberwachung", MatchKind::Variant),
            ("Regulierung", "Regulierungen", MatchKind::Stem),
            ("Regulierung", "KI-Regulierung", MatchKind::Compound),
            ("Regulierung", "Datenschutzregulierung", MatchKind::Compound),
            ("Investitionsoffensive", "Offensive", MatchKind::Part),
        ];
        for (q, p, want) in cases {
            assert_eq!(kind(q, p, &mut a), want, "{q} → {p}");
        }
    }
}
