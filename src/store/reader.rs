//! Searching a generation: query parsing across the language fields, ranking, and the
//! highlight ranges of each hit. Returns plain [`Hit`]s.

use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

use std::ops::Bound;
use tantivy::collector::{Collector, Count, TopDocs};

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EnableScoring, Occur, PhraseQuery, Query, QueryParser,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Field, FieldType, IndexRecordOption, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument, Term};

use std::sync::{Arc, Mutex};

use tantivy::tokenizer::TokenizerManager;

use super::facets::{self, Facets};
use super::highlight::{Highlighter, Wanted, WantedTerms};
use super::near::NearQuery;
use super::rank::{self, Keep, Order, RankCollector};
use super::schema::{Fields, LINK_SEPARATOR};
use super::{Live, StoreError, explain, mapped, parts, tantivy_err};
use crate::analysis;
use crate::compound::Splitter;
use crate::document::Link;
use crate::hit::Hit;
use crate::snippet;
use crate::structure;

/// How much the parts of a compound query word add, found apart ("Offensive für
/// Investitionen" for "Investitionsoffensive"), relative to the word itself.
const PARTS_BOOST: f32 = 0.4;
/// Words of a multi-word query standing near each other, at most this many positions in all
/// from where the query puts them, earn the proximity clause ([`NearQuery`]). Slop and boost
/// were chosen with `polsearch eval relevance` (slop 3/8/20 × boost 0.1/0.3/0.6/1.5, and
/// again with polsearch's own count: slop 5/10/20/30 × boost 0.2/0.3/0.45/0.6): a strong
/// boost drowns BM25 on long queries, a short slop misses phrasings that split the words.
const PROXIMITY_SLOP: u32 = 20;
/// How much the proximity clause adds.
const PROXIMITY_BOOST: f32 = 0.3;

/// How much a match in the document title or the passage's heading adds, relative to one in the passage text.
const TITLE_BOOST: f32 = 0.5;

/// A query whose terms hold this many postings in all has its matches collected on every
/// core ([`parts`]). Below it, the second core gained nothing on the bench queries of the 1×
/// corpus (46,600 postings: +2 %) and cost up to a third on light ones (waking a pool thread,
/// a second scorer); at 66,100 it saved 22 %, and at 10× p99 went from 14–21 to 12–14 ms.
const PARALLEL_POSTINGS: u64 = 60_000;

/// An index of this many passages or more hands back the pages a heavy query maps while it
/// collects the matches, once they are over [`RELEASE_ABOVE`] (looking every
/// [`RELEASE_PERIOD`]). At a hundred times the bench corpus (8.8 million passages) the
/// heaviest bench queries mapped 200 MB, 137 MB of it field norms: each language's passages
/// lie in many stretches, and the kernel maps 64 KB around every page read.
const RELEASE_DOCS: u64 = 1_000_000;

/// See [`RELEASE_DOCS`]: the program's own pages (about 15 MB) count too.
const RELEASE_ABOVE: usize = 48 << 20;

/// See [`RELEASE_DOCS`].
const RELEASE_PERIOD: std::time::Duration = std::time::Duration::from_millis(10);

/// A search request in the index's own terms.
#[derive(Debug, Clone, Default)]
pub struct SearchOptions {
    /// Restrict to passages of this language (ISO 639-1).
    pub lang: Option<String>,
    pub limit: usize,
    pub offset: usize,
    /// Do not expand German compounds of the query into their parts.
    pub no_compound_parts: bool,
    /// Do not reward query words standing close together.
    pub no_proximity: bool,
    /// Only documents published on or after this date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    pub since: Option<String>,
    /// Only documents published on or before this date (same forms; `2024` means all of it).
    pub until: Option<String>,
    /// Only documents whose author has these words.
    pub author: Option<String>,
    /// Only documents whose site or publisher has these words.
    pub source: Option<String>,
    /// Only documents of this type.
    pub doc_type: Option<String>,
    /// Only passages of this unit of a law, as a user writes it (`5`, `5(1)`, `recital 27`,
    /// `Annex III`).
    pub section: Option<String>,
    /// Order of the list.
    pub order: Order,
    /// At most this many passages per document.
    pub per_doc: Option<usize>,
    /// Count all hits by language, site, type and year.
    pub facets: bool,
    /// Say per hit why it matched and how its score adds up.
    pub explain: bool,
}

/// A page of results, and what was counted over all of them.
#[derive(Debug, Clone, Default)]
pub struct Results {
    pub hits: Vec<Hit>,
    /// With [`SearchOptions::facets`]: every hit counted.
    pub facets: Option<Facets>,
    /// With [`SearchOptions::facets`]: the number of passages that match.
    pub total: Option<u64>,
}

/// A parsed query, with a measure of the work of running it.
pub struct Parsed {
    pub query: Box<dyn Query>,
    /// How many postings its terms hold in all (with repeats: a term looked for by two
    /// clauses counts twice).
    pub postings: u64,
}

/// A query the user must fix; shown as one line, exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("invalid query: {0}")]
pub struct QueryError(pub String);

/// One clause of a boolean query.
type Clause = (Occur, Box<dyn Query>);

/// The terms, with their positions, that one field's query analysis makes of a text.
type FieldTerms<'a> = dyn Fn(Field, &str) -> Vec<(usize, Term)> + 'a;

/// Whether no passage of the index holds a term.
type Absent<'a> = dyn Fn(&Term) -> bool + 'a;

/// An open generation, ready to answer many queries.
pub struct Searcher {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// Languages with passages in this generation, from its manifest.
    languages: Vec<String>,
    /// Analyzers of the searchable text fields, built once.
    /// Behind a lock rather than cloned per hit: the German chain memoises compound splits,
    /// and a clone would start each hit with an empty memo.
    analyzers: HashMap<Field, Mutex<TextAnalyzer>>,
    highlighter: Highlighter,
    /// Query-side analysis: the same chains without compound splitting (compounds are
    /// expanded into explicit clauses instead, so phrases stay phrases).
    query_tokenizers: TokenizerManager,
    splitter: Option<Arc<Splitter>>,
    /// The index state hits come from: `generation:opstamp`.
    generation: String,
    /// Fast-field columns per segment; the reader never reloads, so they stay valid.
    columns: Vec<rank::Columns>,
}

/// Either a query error or a store error.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Searcher {
    /// Prepares the live generation for searching.
    pub fn new(live: Live) -> Result<Searcher, StoreError> {
        let Live {
            index,
            manifest,
            splitter,
            ..
        } = live;
        // The opstamp tells apart two incremental commits into the same generation.
        let metas = index
            .load_metas()
            .map_err(tantivy_err("reading the index's commit"))?;
        let generation = format!("{}:{}", manifest.generation, metas.opstamp);
        let fields =
            Fields::resolve(&index.schema()).map_err(tantivy_err("reading the index schema"))?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(tantivy_err("opening an index reader"))?;
        let columns =
            rank::Columns::open(&reader.searcher()).map_err(tantivy_err("opening fast fields"))?;
        let languages: Vec<String> = manifest.passages_by_lang.keys().cloned().collect();
        let mut analyzers = HashMap::new();
        let mut highlighted = Vec::new();
        let mut text_fields = vec![fields.text];
        text_fields.extend(
            languages
                .iter()
                .filter_map(|code| fields.language(code).map(|l| l.text)),
        );
        for field in text_fields {
            let analyzer = index
                .tokenizer_for_field(field)
                .map_err(tantivy_err("loading analyzers"))?;
            highlighted.push((field, analyzer.clone()));
            analyzers.insert(field, Mutex::new(analyzer));
        }
        Ok(Searcher {
            index,
            reader,
            fields,
            languages,
            analyzers,
            highlighter: Highlighter::new(highlighted),
            query_tokenizers: analysis::query_manager(),
            splitter,
            generation,
            columns,
        })
    }

    /// Whether the index holds a passage with this id.
    pub fn has_passage(&self, passage_id: &str) -> bool {
        let term = Term::from_field_text(self.fields.passage_id, passage_id);
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        self.reader
            .searcher()
            .search(&query, &tantivy::collector::Count)
            .is_ok_and(|n| n > 0)
    }

    /// The languages present in the index.
    /// The index state hits come from: `generation:opstamp` (`g000003:17`).
    pub fn generation(&self) -> &str {
        &self.generation
    }

    pub fn languages(&self) -> &[String] {
        &self.languages
    }

    /// Parses `query` into the tantivy query that [`Searcher::search`] runs.
    pub fn parse(&self, query: &str, options: &SearchOptions) -> Result<Parsed, QueryError> {
        let (query, targets) = section_targets(query)?;
        let postings = Cell::new(0);
        let mut clauses = if query.trim().is_empty() && !targets.is_empty() {
            // `article:5` alone: every passage of that unit, in document order.
            postings.set(self.reader.searcher().num_docs());
            vec![(Occur::Must, Box::new(AllQuery) as Box<dyn Query>)]
        } else {
            self.text_clauses(&query, options, &postings)?
        };
        if let Some(code) = &options.lang {
            clauses.push((Occur::Must, term_query(self.fields.lang, code)));
        }
        clauses.extend(
            targets
                .iter()
                .map(|key| (Occur::Must, term_query(self.fields.section_key, key))),
        );
        clauses.extend(self.filters(options)?.into_iter().map(|q| (Occur::Must, q)));
        Ok(Parsed {
            query: Box::new(BooleanQuery::new(clauses)),
            postings: postings.get(),
        })
    }

    /// The clauses of the query text: the words across the language fields (required), and
    /// the proximity and title boosts. Adds to `postings` the postings of every term they
    /// look for.
    fn text_clauses(
        &self,
        query: &str,
        options: &SearchOptions,
        postings: &Cell<u64>,
    ) -> Result<Vec<Clause>, QueryError> {
        check_syntax(query)?;
        let languages: Vec<&str> = match &options.lang {
            Some(code) => vec![code.as_str()],
            None => self.languages.iter().map(String::as_str).collect(),
        };
        let language_fields: Vec<_> = languages
            .iter()
            .filter_map(|code| self.fields.language(code))
            .collect();
        let mut text_fields = vec![self.fields.text];
        text_fields.extend(language_fields.iter().map(|l| l.text));
        // Title and heading add to a passage's score; they never make it a hit alone.
        let title_fields = vec![self.fields.title, self.fields.heading];

        let parser = self.parser(text_fields);
        let splitter = self
            .splitter
            .as_deref()
            .filter(|_| !options.no_compound_parts && languages.contains(&"de"));
        let rewritten = rewrite_words(&without_function_words(query), splitter);
        let sloppy = sloppy_phrases(&rewritten);
        let terms_of = |field: Field, text: &str| self.field_terms(field, text);
        let text_query = parser
            .parse_query(&rewritten)
            .map_err(|err| QueryError(describe(&err)))?;
        let searcher = self.reader.searcher();
        let absent = |term: &Term| {
            let found = searcher.doc_freq(term).unwrap_or(0);
            postings.set(postings.get() + found);
            found == 0
        };
        let text_query = prepare(text_query, &sloppy, &terms_of, &absent);
        let mut clauses: Vec<Clause> = vec![(Occur::Must, text_query)];
        // Proximity is judged on the stemmed fields alone where there are any: the neutral
        // field would double the phrase work for the same positions.
        let near_fields: Vec<Field> = match language_fields.as_slice() {
            [] => vec![self.fields.text],
            fields => fields.iter().map(|l| l.text).collect(),
        };
        if !options.no_proximity
            && let Some(words) = plain_words(query)
            && let Some(near) = self.proximity_query(&words.join(" "), &near_fields, &absent)
        {
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(near, PROXIMITY_BOOST)),
            ));
        }
        // A title match alone would return every passage of the document.
        if let Ok(title_query) = self.parser(title_fields).parse_query(&rewritten) {
            let title_query = prepare(title_query, &sloppy, &terms_of, &absent);
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(title_query, TITLE_BOOST)),
            ));
        }
        Ok(clauses)
    }

    /// The proximity clause of `words` in each of `fields`: the words near each other where
    /// the field's analyzer leaves two terms or more, the one term where it leaves one (as
    /// tantivy's parser reads a phrase). `None` where no field leaves any.
    fn proximity_query(
        &self,
        words: &str,
        fields: &[Field],
        absent: &Absent,
    ) -> Option<Box<dyn Query>> {
        let mut clauses: Vec<Clause> = Vec::new();
        for &field in fields {
            let mut terms = self.field_terms(field, words);
            // A field without one of the words cannot hold them near each other.
            if terms.iter().any(|(_, term)| absent(term)) {
                continue;
            }
            let query: Box<dyn Query> = match terms.len() {
                0 => continue,
                1 => Box::new(TermQuery::new(
                    terms.swap_remove(0).1,
                    IndexRecordOption::WithFreqs,
                )),
                _ => Box::new(NearQuery::new(terms, PROXIMITY_SLOP)),
            };
            clauses.push((Occur::Should, query));
        }
        match clauses.len() {
            0 => None,
            1 => clauses.pop().map(|(_, query)| query),
            _ => Some(Box::new(BooleanQuery::new(clauses))),
        }
    }

    /// The terms the query side of `field` makes of `text`, each with its position, as
    /// tantivy's parser makes them of a phrase; none for a field that is not text.
    fn field_terms(&self, field: Field, text: &str) -> Vec<(usize, Term)> {
        let schema = self.index.schema();
        let FieldType::Str(options) = schema.get_field_entry(field).field_type() else {
            return Vec::new();
        };
        let Some(mut analyzer) = options
            .get_indexing_options()
            .and_then(|indexing| self.query_tokenizers.get(indexing.tokenizer()))
        else {
            return Vec::new();
        };
        let mut terms = Vec::new();
        analyzer.token_stream(text).process(&mut |token| {
            terms.push((token.position, Term::from_field_text(field, &token.text)));
        });
        terms
    }

    /// The metadata filters of `options`, each a clause every hit must satisfy.
    fn filters(&self, options: &SearchOptions) -> Result<Vec<Box<dyn Query>>, QueryError> {
        let f = &self.fields;
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        if options.since.is_some() || options.until.is_some() {
            // ISO dates order as strings; `2024~` sorts after every day of 2024.
            let lower = match &options.since {
                Some(d) => Bound::Included(Term::from_field_text(f.date, &check_date(d)?)),
                None => Bound::Unbounded,
            };
            let upper = match &options.until {
                Some(d) => Bound::Included(Term::from_field_text(
                    f.date,
                    &format!("{}~", check_date(d)?),
                )),
                None => Bound::Unbounded,
            };
            out.push(Box::new(RangeQuery::new(lower, upper)));
        }
        for (field, words, what) in [
            (f.author, &options.author, "--author"),
            (f.site, &options.source, "--source"),
        ] {
            if let Some(words) = words {
                out.push(self.all_words(field, words, what)?);
            }
        }
        if let Some(kind) = &options.doc_type {
            out.push(term_query(f.doc_type, &kind.to_lowercase()));
        }
        if let Some(unit) = &options.section {
            let key = structure::parse_target(unit).ok_or_else(|| {
                QueryError(format!(
                    "--article {unit:?} names no article, recital or annex (try 5, 5(1), \
                     \"Art. 5 Abs. 1\", \"recital 27\", \"Annex III\")"
                ))
            })?;
            out.push(term_query(f.section_key, &key));
        }
        Ok(out)
    }

    /// Every word of `text`, as the neutral analyzer cuts it, in `field`.
    fn all_words(
        &self,
        field: Field,
        text: &str,
        what: &str,
    ) -> Result<Box<dyn Query>, QueryError> {
        let mut analyzer = analysis::neutral_analyzer();
        let words = analysis::terms(&mut analyzer, text);
        if words.is_empty() {
            return Err(QueryError(format!("{what} needs at least one word")));
        }
        Ok(Box::new(BooleanQuery::new(
            words
                .iter()
                .map(|w| (Occur::Must, term_query(field, w)))
                .collect(),
        )))
    }

    fn parser(&self, fields: Vec<Field>) -> QueryParser {
        QueryParser::new(self.index.schema(), fields, self.query_tokenizers.clone())
    }

    /// Runs `query` and returns its hits, best first, with highlight ranges.
    pub fn search(&self, query: &str, options: &SearchOptions) -> Result<Vec<Hit>, SearchError> {
        self.search_page(query, options).map(|results| results.hits)
    }

    /// Runs `query` and returns the page `options` asks for, with facets when asked.
    pub fn search_page(
        &self,
        query: &str,
        options: &SearchOptions,
    ) -> Result<Results, SearchError> {
        let tantivy_error = |context: &str| {
            let context = context.to_string();
            move |source| StoreError::Tantivy { context, source }
        };
        let Parsed {
            query: parsed,
            postings,
        } = self.parse(query, options)?;
        let heavy = postings >= PARALLEL_POSTINGS;
        let threads = if heavy {
            rayon::current_num_threads()
        } else {
            1
        };
        let searcher = self.reader.searcher();
        let limit = options.limit.max(1);
        // Grouping and date order need every match; relevance alone only the top and its ties.
        let keep = if options.per_doc.is_some() || options.order != Order::Relevance {
            Keep::All
        } else {
            Keep::Top(options.offset.saturating_add(limit))
        };
        let ranker = RankCollector { keep };
        // Until the matches are collected: a heavy query on a large index reads hundreds of
        // megabytes of postings and field norms through maps (see [`mapped`]).
        let released = (heavy && searcher.num_docs() >= RELEASE_DOCS)
            .then(|| mapped::release_above(RELEASE_ABOVE, RELEASE_PERIOD));
        let (matches, facets, total) = if options.facets {
            let counter = facets::collector().map_err(tantivy_error("preparing facets"))?;
            let (matches, aggregations, total) =
                collect(&searcher, &*parsed, &(ranker, counter, Count), threads)
                    .map_err(tantivy_error("searching"))?;
            (
                matches,
                Some(facets::from_results(&aggregations)),
                Some(total as u64),
            )
        } else {
            let matches = collect(&searcher, &*parsed, &ranker, threads)
                .map_err(tantivy_error("searching"))?;
            (matches, None, None)
        };
        drop(released);
        // Relevance alone needs the document id only to order ties; grouping and date
        // order need it for every match.
        let all_ids = options.per_doc.is_some() || options.order != Order::Relevance;
        let mut ranked = rank::annotate(
            &self.columns,
            matches,
            all_ids,
            options.order != Order::Relevance,
        )
        .map_err(tantivy_error("reading fast fields"))?;
        if !all_ids {
            rank::fill_tied_doc_ids(&self.columns, &mut ranked)
                .map_err(tantivy_error("reading fast fields"))?;
        }
        rank::sort(&mut ranked, options.order);
        let listed: Vec<(rank::Ranked, Option<usize>)> = match options.per_doc {
            Some(n) => rank::per_doc(ranked, n.max(1)),
            None => ranked.into_iter().map(|r| (r, None)).collect(),
        };
        let terms = self.query_terms(&*parsed);
        let words = options.explain.then(|| explain::query_words(query));
        let schema = self.index.schema();
        let mut hits = Vec::with_capacity(limit);
        for (i, (ranked, more)) in listed
            .into_iter()
            .skip(options.offset)
            .take(limit)
            .enumerate()
        {
            let doc: TantivyDocument = searcher
                .doc(ranked.address)
                .map_err(tantivy_error("reading a stored passage"))?;
            let mut hit = self.hit(&doc, ranked.score, &terms, words.as_deref());
            hit.rank = options.offset + i + 1;
            hit.more_in_doc = more;
            if let Some(explained) = &mut hit.explain {
                let tree = parsed
                    .explain(&searcher, ranked.address)
                    .map_err(tantivy_error("explaining a score"))?;
                explained.score = explain::score_parts(&tree, &schema);
            }
            hits.push(hit);
        }
        Ok(Results {
            hits,
            facets,
            total,
        })
    }

    /// The indexed terms a query looks for, by field, each marked with whether it counts
    /// only inside a phrase.
    fn query_terms(&self, query: &dyn Query) -> WantedTerms {
        let mut terms = WantedTerms::default();
        query.query_terms(&mut |term, in_phrase| {
            if let Some(text) = term.value().as_str() {
                let wanted = if in_phrase {
                    Wanted::InPhrase
                } else {
                    Wanted::Alone
                };
                terms
                    .entry(term.field())
                    .or_default()
                    .entry(text.to_string())
                    .and_modify(|w| *w = (*w).min(wanted))
                    .or_insert(wanted);
            }
        });
        terms
    }

    fn hit(
        &self,
        doc: &TantivyDocument,
        score: f32,
        terms: &WantedTerms,
        query_words: Option<&[String]>,
    ) -> Hit {
        let f = &self.fields;
        let text_of = |field: Field| -> Option<String> {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let text = text_of(f.text).unwrap_or_default();
        let lang = text_of(f.lang).unwrap_or_default();
        let mut fields = vec![f.text];
        if let Some(language) = f.language(&lang) {
            fields.push(language.text);
        }
        let ranges = self.highlighter.ranges(&text, &fields, terms);
        let explain = query_words.map(|words| crate::hit::Explain {
            matches: self.classify(&text, &lang, &ranges, words),
            score: Vec::new(),
        });
        let highlights = snippet::char_ranges(&text, ranges);
        Hit {
            rank: 0,
            score,
            passage_id: text_of(f.passage_id).unwrap_or_default(),
            doc_id: text_of(f.doc_id).unwrap_or_default(),
            ordinal: doc
                .get_first(f.ordinal)
                .and_then(|v| v.as_u64())
                .unwrap_or(0),
            title: text_of(f.title).unwrap_or_default(),
            author: text_of(f.author),
            date: text_of(f.date),
            site: text_of(f.site),
            doc_type: text_of(f.doc_type),
            url: text_of(f.url),
            lang,
            path: text_of(f.path).unwrap_or_default(),
            heading: text_of(f.heading),
            section: text_of(f.section),
            page: doc.get_first(f.page).and_then(|v| v.as_u64()),
            also_in: doc
                .get_all(f.also_in)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            links: doc
                .get_all(f.link)
                .filter_map(|v| v.as_str())
                .map(|v| {
                    let (url, text) = v.split_once(LINK_SEPARATOR).unwrap_or((v, ""));
                    Link {
                        url: url.to_string(),
                        text: text.to_string(),
                    }
                })
                .collect(),
            text,
            highlights,
            generation: self.generation.clone(),
            more_in_doc: None,
            explain,
        }
    }

    /// The passages `query` matches, in document order (doc id, then ordinal), at most
    /// `limit`; no highlights.
    fn passages_matching(
        &self,
        query: &dyn Query,
        limit: usize,
        order: tantivy::Order,
    ) -> Result<Vec<Hit>, StoreError> {
        let searcher = self.reader.searcher();
        let top = searcher
            .search(
                query,
                &TopDocs::with_limit(limit.max(1))
                    .order_by_fast_field::<u64>(super::schema::ORDINAL, order),
            )
            .map_err(tantivy_err("looking up passages"))?;
        let no_terms = WantedTerms::default();
        let mut hits = Vec::with_capacity(top.len());
        for (_, address) in top {
            let doc: TantivyDocument = searcher
                .doc(address)
                .map_err(tantivy_err("reading a stored passage"))?;
            hits.push(self.hit(&doc, 0.0, &no_terms, None));
        }
        hits.sort_by(|a, b| {
            a.doc_id
                .cmp(&b.doc_id)
                .then_with(|| a.ordinal.cmp(&b.ordinal))
        });
        Ok(hits)
    }

    /// How many passages `query` matches.
    fn count(&self, query: &dyn Query) -> Result<usize, StoreError> {
        self.reader
            .searcher()
            .search(query, &Count)
            .map_err(tantivy_err("counting passages"))
    }

    /// Every passage that references `target` (a [`crate::reference`] target), in document
    /// order; no highlights.
    pub fn referencing(&self, target: &str) -> Result<Vec<Hit>, StoreError> {
        let query = term_query(self.fields.refs, target);
        let n = self.count(&*query)?;
        if n == 0 {
            return Ok(Vec::new());
        }
        self.passages_matching(&*query, n, tantivy::Order::Asc)
    }

    /// One passage of every document in the index (the first stored), in no particular
    /// order: what a document's title, url and date are, without reading all its passages.
    pub fn documents(&self) -> Result<Vec<Hit>, StoreError> {
        let searcher = self.reader.searcher();
        let mut addresses = Vec::new();
        for (segment, reader) in searcher.segment_readers().iter().enumerate() {
            let Some(ids) = reader
                .fast_fields()
                .str(super::schema::DOC_ID)
                .map_err(tantivy_err("reading document ids"))?
            else {
                continue;
            };
            let alive = reader.alive_bitset();
            let mut seen = HashSet::new();
            for doc in 0..reader.max_doc() {
                if alive.is_some_and(|a| !a.is_alive(doc)) {
                    continue;
                }
                if let Some(ord) = ids.term_ords(doc).next()
                    && seen.insert(ord)
                {
                    addresses.push(tantivy::DocAddress::new(segment as u32, doc));
                }
            }
        }
        let no_terms = WantedTerms::default();
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for address in addresses {
            let doc: TantivyDocument = searcher
                .doc(address)
                .map_err(tantivy_err("reading a stored passage"))?;
            let hit = self.hit(&doc, 0.0, &no_terms, None);
            if seen.insert(hit.doc_id.clone()) {
                out.push(hit);
            }
        }
        Ok(out)
    }

    /// Every passage whose text has the words of `phrase` in a row (as the language-neutral
    /// analysis sees them), in document order; no highlights. Callers check the exact
    /// wording.
    pub fn passages_with_phrase(&self, phrase: &str) -> Result<Vec<Hit>, StoreError> {
        let terms: Vec<(usize, Term)> = match self.analyzers.get(&self.fields.text) {
            Some(analyzer) => {
                let mut analyzer = analyzer
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                let mut stream = analyzer.token_stream(phrase);
                let mut terms = Vec::new();
                while let Some(token) = stream.next() {
                    terms.push((
                        token.position,
                        Term::from_field_text(self.fields.text, &token.text),
                    ));
                }
                terms
            }
            None => Vec::new(),
        };
        let query: Box<dyn Query> = match terms.len() {
            0 => return Ok(Vec::new()),
            1 => Box::new(TermQuery::new(terms[0].1.clone(), IndexRecordOption::Basic)),
            _ => Box::new(PhraseQuery::new_with_offset(terms)),
        };
        let n = self.count(&*query)?;
        if n == 0 {
            return Ok(Vec::new());
        }
        self.passages_matching(&*query, n, tantivy::Order::Asc)
    }

    /// Every passage of `doc_id`, in order, with the targets it references (none for most).
    pub fn references_of(&self, doc_id: &str) -> Result<Vec<(Hit, Vec<String>)>, StoreError> {
        let query = term_query(self.fields.doc_id, doc_id);
        let n = self.count(&*query)?;
        if n == 0 {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        let top = searcher
            .search(
                &*query,
                &TopDocs::with_limit(n)
                    .order_by_fast_field::<u64>(super::schema::ORDINAL, tantivy::Order::Asc),
            )
            .map_err(tantivy_err("looking up passages"))?;
        let no_terms = WantedTerms::default();
        let mut out = Vec::new();
        for (_, address) in top {
            let doc: TantivyDocument = searcher
                .doc(address)
                .map_err(tantivy_err("reading a stored passage"))?;
            let refs: Vec<String> = doc
                .get_all(self.fields.refs)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            out.push((self.hit(&doc, 0.0, &no_terms, None), refs));
        }
        out.sort_by_key(|(hit, _)| hit.ordinal);
        Ok(out)
    }

    /// A document whose url, normalised, is `url`.
    pub fn document_at(&self, url: &str) -> Result<Option<String>, StoreError> {
        let query = term_query(self.fields.url_key, url);
        Ok(self
            .passages_matching(&*query, 1, tantivy::Order::Asc)?
            .into_iter()
            .next()
            .map(|hit| hit.doc_id))
    }

    /// The passage with this id (`doc#pN`), without highlights.
    pub fn passage(&self, passage_id: &str) -> Result<Option<Hit>, StoreError> {
        let query = term_query(self.fields.passage_id, passage_id);
        Ok(self
            .passages_matching(&*query, 1, tantivy::Order::Asc)?
            .into_iter()
            .next())
    }

    /// The first `n` passages of a document, in order.
    pub fn first_passages(&self, doc_id: &str, n: usize) -> Result<Vec<Hit>, StoreError> {
        let query = term_query(self.fields.doc_id, doc_id);
        self.passages_matching(&*query, n, tantivy::Order::Asc)
    }

    /// Up to `n` passages of `doc_id` before `ordinal` and up to `n` after it, each list in
    /// document order. Ordinals have gaps where cleaning left passages out; these are the
    /// nearest passages that exist.
    pub fn neighbours(
        &self,
        doc_id: &str,
        ordinal: u64,
        n: usize,
    ) -> Result<(Vec<Hit>, Vec<Hit>), StoreError> {
        if n == 0 {
            return Ok((Vec::new(), Vec::new()));
        }
        let within = |lower: Bound<u64>, upper: Bound<u64>| -> Box<dyn Query> {
            let to_term = |bound: Bound<u64>| match bound {
                Bound::Included(v) => Bound::Included(Term::from_field_u64(self.fields.ordinal, v)),
                Bound::Excluded(v) => Bound::Excluded(Term::from_field_u64(self.fields.ordinal, v)),
                Bound::Unbounded => Bound::Unbounded,
            };
            Box::new(BooleanQuery::new(vec![
                (Occur::Must, term_query(self.fields.doc_id, doc_id)),
                (
                    Occur::Must,
                    Box::new(RangeQuery::new(to_term(lower), to_term(upper))),
                ),
            ]))
        };
        let before = self.passages_matching(
            &*within(Bound::Unbounded, Bound::Excluded(ordinal)),
            n,
            tantivy::Order::Desc,
        )?;
        let after = self.passages_matching(
            &*within(Bound::Excluded(ordinal), Bound::Unbounded),
            n,
            tantivy::Order::Asc,
        )?;
        Ok((before, after))
    }

    /// The passages of one unit of a law (a [`structure::Section`] key such as
    /// `article:5(1)`) in every document whose title has all the words of `title_words`
    /// (as the neutral analyzer cuts them: "2024/1689" → `2024`, `1689`), in document order.
    pub fn unit_passages(
        &self,
        section_key: &str,
        title_words: &str,
        limit: usize,
    ) -> Result<Vec<Hit>, StoreError> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Must,
            term_query(self.fields.section_key, section_key),
        )];
        let mut analyzer = analysis::neutral_analyzer();
        for word in analysis::terms(&mut analyzer, title_words) {
            clauses.push((Occur::Must, term_query(self.fields.title, &word)));
        }
        self.passages_matching(&BooleanQuery::new(clauses), limit, tantivy::Order::Asc)
    }

    /// The document whose passages list `doc_id` in `also_in`: the original that holds the
    /// text of a copy.
    pub fn holder_of(&self, doc_id: &str) -> Result<Option<String>, StoreError> {
        let query = term_query(self.fields.also_in, doc_id);
        Ok(self
            .passages_matching(&*query, 1, tantivy::Order::Asc)?
            .into_iter()
            .next()
            .map(|hit| hit.doc_id))
    }

    /// The matched words of a passage in language `lang`, classified by how they met the
    /// query's words.
    fn classify(
        &self,
        text: &str,
        lang: &str,
        ranges: &[Range<usize>],
        words: &[String],
    ) -> Vec<crate::hit::WordMatch> {
        let mut neutral = analysis::neutral_analyzer();
        let language = self.fields.language(lang);
        let mut index = language.and_then(|l| {
            self.analyzers
                .get(&l.text)
                .map(|a| a.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
        });
        let mut query =
            language.and_then(|_| self.query_tokenizers.get(&analysis::analyzer_name(lang)));
        let german = lang == "de";
        let mut analyzers = explain::Analyzers {
            neutral: &mut neutral,
            index: index.as_deref_mut(),
            query: query.as_mut(),
            splitter: self.splitter.as_deref().filter(|_| german),
            german,
        };
        explain::classify(text, ranges, words, &mut analyzers)
    }
}

/// The matches of `query`, collected by `collector` on `threads` threads.
fn collect<C: Collector>(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    collector: &C,
    threads: usize,
) -> tantivy::Result<C::Fruit> {
    if threads <= 1 {
        return searcher.search(query, collector);
    }
    let scoring = if collector.requires_scoring() {
        EnableScoring::enabled_from_searcher(searcher)
    } else {
        EnableScoring::disabled_from_searcher(searcher)
    };
    let weight = query.weight(scoring)?;
    parts::collect(searcher, &*weight, collector, threads)
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::Basic,
    ))
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, else a query error.
fn check_date(date: &str) -> Result<String, QueryError> {
    let date = date.trim();
    let parts: Vec<&str> = date.split('-').collect();
    let ok = matches!(parts.len(), 1..=3)
        && parts[0].len() == 4
        && parts[1..].iter().all(|p| p.len() == 2)
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
    if ok {
        Ok(date.to_string())
    } else {
        Err(QueryError(format!(
            "{date:?} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)"
        )))
    }
}

/// A plain query of several words without its function words ("à", "de", "the", "und"):
/// they match a large share of all passages in several languages, so the union over them
/// was most of the time of such a query, for a sliver of the score. Their place is kept in
/// the proximity phrase (made from the query as typed). A query with operators, phrases,
/// fields or only function words is left as it is.
fn without_function_words(query: &str) -> std::borrow::Cow<'_, str> {
    let Some(words) = plain_words(query) else {
        return query.into();
    };
    let kept: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| !crate::lang::is_function_word(w))
        .collect();
    if kept.is_empty() || kept.len() == words.len() {
        return query.into();
    }
    kept.join(" ").into()
}

/// The phrases of `query` written with a slop (`"a b c"~5`) and that slop. A phrase written
/// twice, or also without a slop, is left out: the parsed query does not say which is which.
fn sloppy_phrases(query: &str) -> Vec<(&str, u32)> {
    let mut phrases: Vec<(&str, Option<u32>)> = Vec::new();
    let mut rest = query;
    while let Some(start) = rest.find('"') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('"') else { break };
        let text = &after[..end];
        rest = &after[end + 1..];
        let digits = rest
            .strip_prefix('~')
            .map(|r| &r[..r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len())]);
        let slop = digits.and_then(|d| d.parse::<u32>().ok());
        phrases.push((text, slop.filter(|&n| n > 0)));
    }
    phrases
        .iter()
        .filter(|(text, _)| phrases.iter().filter(|(t, _)| t == text).count() == 1)
        .filter_map(|&(text, slop)| Some((text, slop?)))
        .collect()
}

/// `query` made ready to weigh, in one walk of the parsed tree:
/// - each phrase of `sloppy` that tantivy's parser made a sloppy phrase becomes a
///   [`NearQuery`]: tantivy's count, and with it whether a passage matches at all, depends on
///   which of the words are rarer in the segment. `terms_of` gives the terms (with positions)
///   a field makes of a phrase. A phrase inside a boost (`"a b"~3^2`) stays tantivy's: a boost
///   does not show what it holds.
/// - the optional clauses that cannot match are left out: a term no passage holds, a phrase
///   with such a term, a boolean clause requiring one. Tantivy weighs every clause before it
///   looks for passages, and a query word is looked up in every language's field, where most
///   of its stems are absent: their BM25 weights were a large part of a short query's time. A
///   clause that matches nothing adds nothing, so hits and scores stay the same.
fn prepare(
    query: Box<dyn Query>,
    sloppy: &[(&str, u32)],
    terms_of: &FieldTerms,
    absent: &Absent,
) -> Box<dyn Query> {
    prepared(&*query, sloppy, terms_of, absent)
        .0
        .unwrap_or(query)
}

/// [`prepare`] of one clause: what replaces it (`None`: itself, so that a clause left out is
/// never copied), and whether it surely matches nothing. Each term is looked up once.
fn prepared(
    query: &dyn Query,
    sloppy: &[(&str, u32)],
    terms_of: &FieldTerms,
    absent: &Absent,
) -> (Option<Box<dyn Query>>, bool) {
    if let Some(term_query) = query.downcast_ref::<TermQuery>() {
        return (None, absent(term_query.term()));
    }
    if let Some(phrase) = query.downcast_ref::<PhraseQuery>() {
        let wanted = phrase.phrase_terms();
        for &(text, slop) in sloppy {
            let terms = terms_of(phrase.field(), text);
            if terms.len() >= 2 && terms.iter().map(|(_, t)| t).eq(wanted.iter()) {
                return (Some(Box::new(NearQuery::new(terms, slop))), false);
            }
        }
        return (None, wanted.iter().any(absent));
    }
    let Some(boolean) = query.downcast_ref::<BooleanQuery>() else {
        return (None, false);
    };
    let mut required = false;
    let mut only_optional = true;
    let mut no_option = true;
    let mut clauses: Vec<Clause> = Vec::with_capacity(boolean.clauses().len());
    for (occur, clause) in boolean.clauses() {
        let (changed, nothing) = prepared(&**clause, sloppy, terms_of, absent);
        required |= *occur == Occur::Must && nothing;
        only_optional &= *occur == Occur::Should;
        no_option &= nothing;
        if *occur != Occur::Should || !nothing {
            clauses.push((*occur, changed.unwrap_or_else(|| clause.box_clone())));
        }
    }
    let rebuilt = BooleanQuery::with_minimum_required_clauses(
        clauses,
        boolean.get_minimum_number_should_match(),
    );
    (
        Some(Box::new(rebuilt)),
        required || (only_optional && no_option),
    )
}

/// The words of a query of at least two plain words: no operators, required or excluded
/// words, phrases or fields. `None` for any other query.
fn plain_words(query: &str) -> Option<Vec<&str>> {
    let words: Vec<&str> = query.split_whitespace().collect();
    let plain = words.iter().all(|w| {
        !is_operator(w)
            && !w.starts_with(['-', '+'])
            && w.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '\'' | '’'))
    });
    (plain && words.len() >= 2).then_some(words)
}

/// Rewrites words tantivy's parser would take too literally, and expands German compounds.
///
/// A German compound also matches its parts apart: with a lexicon that splits it,
/// `Investitionsoffensive` becomes `(Investitionsoffensive OR (+investition +offensive)^0.4)`.
///
/// A hyphenated word also matches its parts apart: `KI-Regulierung` becomes
/// `(KI-Regulierung OR (+KI +Regulierung))`, so "Regulierung von KI" is found too, below the
/// exact compound (which matches both clauses). Quoted phrases, field-qualified, required,
/// excluded and wildcard words are left as typed.
fn rewrite_words(query: &str, splitter: Option<&Splitter>) -> String {
    let mut out = String::with_capacity(query.len() * 2);
    let mut word = String::new();
    let mut in_phrase = false;
    let flush = |word: &mut String, out: &mut String| {
        if word.contains(['\'', '’']) && !word.contains('"') {
            let start = body_start(word);
            let body = without_elided(&word[start..]);
            if body.len() < word.len() - start {
                *word = format!("{}{body}", &word[..start]);
            }
        }
        let parts: Vec<&str> = word.split('-').filter(|p| !p.is_empty()).collect();
        let plain = word.chars().all(|c| c.is_alphanumeric() || c == '-');
        if plain && parts.len() > 1 && !word.starts_with('-') {
            let all = parts
                .iter()
                .map(|p| format!("+{p}"))
                .collect::<Vec<_>>()
                .join(" ");
            out.push_str(&format!("({word} OR ({all}))"));
        } else if let Some(parts) = splitter
            .filter(|_| plain && !word.contains('-'))
            .and_then(|s| s.split(&word.to_lowercase()))
        {
            let all = parts
                .iter()
                .map(|p| format!("+{}", p.form))
                .collect::<Vec<_>>()
                .join(" ");
            out.push_str(&format!("({word} OR ({all})^{PARTS_BOOST})"));
        } else if word.contains(['\'', '’']) && !word.contains('"') {
            // The parser reads `'` as a quote; a word with an apostrophe left after its
            // elided articles (`aujourd'hui`, `child's`) is meant as one word, which the
            // analyzer splits into adjacent terms.
            let (prefix, body) = word.split_at(body_start(word));
            out.push_str(&format!("{prefix}\"{body}\""));
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in query.chars() {
        if in_phrase {
            out.push(c);
            in_phrase = c != '"';
        } else if c == '"' {
            flush(&mut word, &mut out);
            out.push(c);
            in_phrase = true;
        } else if c.is_whitespace() || c == '(' || c == ')' {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Where the word itself starts in a query word, after `+`, `-` and `field:`.
fn body_start(word: &str) -> usize {
    word.rfind(':')
        .map_or(0, |i| i + 1)
        .max(word.find(|c: char| c != '+' && c != '-').unwrap_or(0))
}

/// `word` without the elided articles in front of it: `d'IA` is `IA`, `qu'aujourd'hui` is
/// `aujourd'hui`. The article carries nothing a passage should match on: `d'IA` should find
/// "l'IA" too, and a phrase with "d", in most French passages, was most of such a query's time.
fn without_elided(word: &str) -> &str {
    let mut rest = word;
    while let Some((head, tail)) = rest.split_once(['\'', '’'])
        && !tail.is_empty()
        && crate::lang::is_elided(head)
    {
        rest = tail;
    }
    rest
}

/// Catches what tantivy's parser would accept silently or explain poorly.
/// Takes the structural targets out of a query: words `article:5`, `article:5(1)`,
/// `recital:27`, `annex:III` (outside phrases) become keys of the unit every hit must be in;
/// the rest is the text query.
fn section_targets(query: &str) -> Result<(String, Vec<String>), QueryError> {
    let mut rest = String::with_capacity(query.len());
    let mut targets = Vec::new();
    let mut in_phrase = false;
    for piece in query.split_inclusive(char::is_whitespace) {
        let word = piece.trim_end();
        let lower = word.to_lowercase();
        let is_target = !in_phrase
            && ["article:", "recital:", "annex:"]
                .iter()
                .any(|p| lower.starts_with(p) && lower.len() > p.len());
        if is_target {
            let key = structure::parse_target(word).ok_or_else(|| {
                QueryError(format!(
                    "{word:?} names no article, recital or annex (try article:5, \
                     article:5(1), recital:27, annex:III)"
                ))
            })?;
            targets.push(key);
            continue;
        }
        in_phrase ^= piece.chars().filter(|&c| c == '"').count() % 2 == 1;
        rest.push_str(piece);
    }
    Ok((rest, targets))
}

fn check_syntax(query: &str) -> Result<(), QueryError> {
    if query.trim().is_empty() {
        return Err(QueryError("the query is empty".to_string()));
    }
    if query.chars().filter(|&c| c == '"').count() % 2 == 1 {
        return Err(QueryError("a quotation mark is not closed".to_string()));
    }
    let mut depth = 0i32;
    let mut in_phrase = false;
    for c in query.chars() {
        match c {
            '"' => in_phrase = !in_phrase,
            '(' if !in_phrase => depth += 1,
            ')' if !in_phrase => {
                depth -= 1;
                if depth < 0 {
                    return Err(QueryError("a `)` has no matching `(`".to_string()));
                }
            }
            _ => {}
        }
    }
    if depth != 0 {
        return Err(QueryError("a `(` is not closed".to_string()));
    }
    let words: Vec<&str> = query.split_whitespace().collect();
    for (i, word) in words.iter().enumerate() {
        if let Some(field) = word.strip_suffix(':')
            && !field.contains(['"', ':'])
            && (i + 1 == words.len() || is_operator(words[i + 1]))
        {
            return Err(QueryError(format!(
                "`{word}` names a field but no word to find in it"
            )));
        }
    }
    if words.iter().all(|w| is_operator(w)) {
        return Err(QueryError(format!(
            "`{}` has operators but no words to search for",
            query.trim()
        )));
    }
    for pair in words.windows(2) {
        if matches!(pair[0], "AND" | "OR") && matches!(pair[1], "AND" | "OR") {
            return Err(QueryError(format!(
                "`{} {}` joins nothing",
                pair[0], pair[1]
            )));
        }
    }
    if let (Some(first), Some(last)) = (words.first(), words.last())
        && (matches!(*first, "AND" | "OR") || matches!(*last, "AND" | "OR" | "NOT"))
    {
        return Err(QueryError(format!(
            "`{}` stands at the edge of the query with nothing to join",
            if matches!(*first, "AND" | "OR") {
                first
            } else {
                last
            }
        )));
    }
    Ok(())
}

fn is_operator(word: &str) -> bool {
    matches!(word, "AND" | "OR" | "NOT" | "+" | "-")
}

fn describe(err: &tantivy::query::QueryParserError) -> String {
    use tantivy::query::QueryParserError as E;
    match err {
        E::FieldDoesNotExist(field) => format!(
            "there is no field `{field}` (fields: title, text, author, heading, lang, doc_id, \
             path, date, site, url)"
        ),
        E::AllButQueryForbidden => {
            "a query needs at least one word that is not excluded".to_string()
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::{
        FieldTerms, NearQuery, check_syntax, plain_words, prepare, rewrite_words, sloppy_phrases,
        without_function_words,
    };

    /// [`prepare`] with no term absent.
    fn with_near_phrases(
        query: Box<dyn tantivy::query::Query>,
        sloppy: &[(&str, u32)],
        terms_of: &FieldTerms,
    ) -> Box<dyn tantivy::query::Query> {
        prepare(query, sloppy, terms_of, &|_| false)
    }

    /// [`prepare`] with no phrase written with a slop.
    fn without_absent_terms(
        query: Box<dyn tantivy::query::Query>,
        absent: &dyn Fn(&tantivy::Term) -> bool,
    ) -> Box<dyn tantivy::query::Query> {
        prepare(query, &[], &|_, _| Vec::new(), absent)
    }

    fn rewrite_words_plain(query: &str) -> String {
        rewrite_words(query, None)
    }

    #[test]
    fn compounds_expand_into_their_parts_and_plain_queries_get_a_proximity_phrase() {
        let mut lexicon = crate::compound::Lexicon::new();
        lexicon.add_text("Investition Investition Offensive Offensive");
        let splitter = crate::compound::Splitter::new(lexicon, Default::default());
        assert_eq!(
            rewrite_words("Investitionsoffensive Europa", Some(&splitter)),
            "(Investitionsoffensive OR (+investition +offensive)^0.4) Europa"
        );
        assert_eq!(
            rewrite_words("\"Investitionsoffensive\"", Some(&splitter)),
            "\"Investitionsoffensive\""
        );
        assert_eq!(
            plain_words("Investitionen Europa"),
            Some(vec!["Investitionen", "Europa"])
        );
        assert_eq!(plain_words("Europa"), None);
        assert_eq!(plain_words("Gipfel -Paris"), None);
        assert_eq!(plain_words("Europa AND Gipfel"), None);
        assert_eq!(plain_words("\"Europa Gipfel\""), None);
    }

    #[test]
    fn sloppy_phrases_are_found_with_their_slop() {
        assert_eq!(
            sloppy_phrases(r#"Gipfel "offene ethische KI"~4 AND "Paris Indien""#),
            vec![("offene ethische KI", 4)]
        );
        assert_eq!(sloppy_phrases(r#"title:"a b"~12"#), vec![("a b", 12)]);
        // Written twice, or once exact: the parsed query cannot tell them apart.
        assert!(sloppy_phrases(r#""a b"~3 OR "a b""#).is_empty());
        assert!(sloppy_phrases(r#""a b"~0 "c d"~ "e f"#).is_empty());
    }

    #[test]
    fn sloppy_phrases_of_the_parsed_query_become_near_queries() {
        use tantivy::Term;
        use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
        use tantivy::schema::{Field, IndexRecordOption};

        let field = Field::from_field_id(0);
        let terms_of = |f: Field, text: &str| -> Vec<(usize, Term)> {
            text.split_whitespace()
                .enumerate()
                .map(|(at, w)| (at, Term::from_field_text(f, &w.to_lowercase())))
                .collect()
        };
        let phrase = |words: &[&str], slop: u32| -> Box<dyn Query> {
            let terms = words
                .iter()
                .enumerate()
                .map(|(at, w)| (at, Term::from_field_text(field, w)))
                .collect();
            Box::new(PhraseQuery::new_with_offset_and_slop(terms, slop))
        };
        let parsed: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
            (Occur::Should, phrase(&["offene", "ethische", "ki"], 4)),
            (Occur::Should, phrase(&["paris", "indien"], 0)),
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(field, "gipfel"),
                    IndexRecordOption::WithFreqs,
                )),
            ),
        ]));
        let sloppy = [("offene ethische KI", 4)];
        let converted = with_near_phrases(parsed, &sloppy, &terms_of);
        let clauses = converted
            .downcast_ref::<BooleanQuery>()
            .expect("still a boolean query")
            .clauses();
        assert_eq!(clauses.len(), 3);
        assert!(clauses[0].1.downcast_ref::<NearQuery>().is_some());
        assert!(clauses[1].1.downcast_ref::<PhraseQuery>().is_some());
        assert!(clauses[2].1.downcast_ref::<TermQuery>().is_some());
        assert_eq!(clauses[2].0, Occur::Must);
    }

    #[test]
    fn optional_clauses_of_absent_terms_are_left_out() {
        use tantivy::Term;
        use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
        use tantivy::schema::{Field, IndexRecordOption};

        let field = Field::from_field_id(0);
        let term = |word: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, word),
                IndexRecordOption::WithFreqs,
            ))
        };
        let words = |query: &dyn Query| -> Vec<String> {
            let mut out = Vec::new();
            query.query_terms(&mut |t, _| out.push(t.value().as_str().unwrap().to_string()));
            out
        };
        // `(regulier OR regulierung) +ki`, where no passage holds "regulierung" or "ki".
        let word: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
            (Occur::Should, term("regulier")),
            (Occur::Should, term("regulierung")),
        ]));
        let query = BooleanQuery::new(vec![(Occur::Should, word), (Occur::Must, term("ki"))]);
        let absent = |t: &Term| matches!(t.value().as_str(), Some("regulierung" | "ki"));
        let pruned = without_absent_terms(Box::new(query.clone()), &absent);
        // A required absent term still makes the query match nothing.
        assert_eq!(words(&*pruned), ["regulier", "ki"]);
        let top = pruned.downcast_ref::<BooleanQuery>().unwrap();
        assert_eq!(
            top.get_minimum_number_should_match(),
            query.get_minimum_number_should_match()
        );
        let inner = top.clauses()[0].1.downcast_ref::<BooleanQuery>().unwrap();
        assert_eq!(inner.clauses().len(), 1);
        assert_eq!(inner.get_minimum_number_should_match(), 1);

        // `high-risk` as the parser reads it: `("high risk" OR (+high +risk))`, in a field
        // without "high": neither the phrase nor the conjunction can match.
        let phrase: Box<dyn Query> = Box::new(PhraseQuery::new(vec![
            Term::from_field_text(field, "high"),
            Term::from_field_text(field, "risk"),
        ]));
        let both: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
            (Occur::Must, term("high")),
            (Occur::Must, term("risk")),
        ]));
        let hyphenated = BooleanQuery::new(vec![(Occur::Should, phrase), (Occur::Should, both)]);
        let query = BooleanQuery::new(vec![
            (Occur::Should, Box::new(hyphenated) as Box<dyn Query>),
            (Occur::Should, term("system")),
        ]);
        let absent = |t: &Term| t.value().as_str() == Some("high");
        let pruned = without_absent_terms(Box::new(query), &absent);
        assert_eq!(words(&*pruned), ["system"]);
    }

    #[test]
    fn function_words_leave_plain_queries_only() {
        assert_eq!(
            without_function_words("données à caractère personnel"),
            "données caractère personnel"
        );
        assert_eq!(
            without_function_words("autorité de contrôle"),
            "autorité contrôle"
        );
        assert_eq!(without_function_words("The AI Act"), "AI Act");
        // Alone, as typed with operators or phrases, or all of them: left as it is.
        for query in [
            "der",
            "die der das",
            "\"à la carte\" menu",
            "de AND la",
            "+de Gipfel",
            "title:der Gipfel",
            "die -Gipfel",
        ] {
            assert_eq!(without_function_words(query), query, "{query}");
        }
        assert_eq!(without_function_words("KI-Regulierung"), "KI-Regulierung");
    }

    #[test]
    fn hyphenated_words_also_match_their_parts() {
        assert_eq!(
            rewrite_words_plain("KI-Regulierung Europa"),
            "(KI-Regulierung OR (+KI +Regulierung)) Europa"
        );
        assert_eq!(
            rewrite_words_plain("(G7-Gipfel)"),
            "((G7-Gipfel OR (+G7 +Gipfel)))"
        );
        for unchanged in [
            "\"KI-Regulierung\"",
            "title:KI-Gipfel",
            "-KI-Gipfel",
            "+KI-Gipfel",
            "KI",
            "a - b",
        ] {
            assert_eq!(rewrite_words_plain(unchanged), unchanged);
        }
    }

    #[test]
    fn elided_articles_are_left_out_and_other_apostrophes_make_a_phrase() {
        assert_eq!(
            rewrite_words_plain("systèmes d'IA à haut risque"),
            "systèmes IA à haut risque"
        );
        assert_eq!(rewrite_words_plain("-title:l’IA"), "-title:IA");
        assert_eq!(rewrite_words_plain("+dell'Unione"), "+Unione");
        assert_eq!(
            rewrite_words_plain("qu'aujourd'hui"),
            "\"aujourd'hui\"",
            "only the elided article goes"
        );
        assert_eq!(
            rewrite_words_plain("child's consent"),
            "\"child's\" consent"
        );
        assert_eq!(
            rewrite_words_plain("l'auto-régulation"),
            "(auto-régulation OR (+auto +régulation))",
            "what is left is read as any word"
        );
        assert_eq!(
            rewrite_words_plain("l'"),
            "\"l'\"",
            "nothing left to search"
        );
        assert_eq!(
            rewrite_words_plain("\"droit à l'effacement\""),
            "\"droit à l'effacement\"",
            "phrases stay as typed"
        );
    }

    #[test]
    fn malformed_queries_are_rejected_with_a_reason() {
        for query in [
            "\"unclosed",
            "title:",
            "AND",
            "(KI",
            "KI)",
            "",
            "  ",
            "KI AND",
            "OR KI",
            "KI AND OR Gipfel",
            "title: AND KI",
        ] {
            assert!(check_syntax(query).is_err(), "{query:?} should be rejected");
        }
    }

    #[test]
    fn well_formed_queries_pass() {
        for query in [
            "KI-Regulierung",
            "\"offene, inklusive und ethische KI\"",
            "title:Gipfel",
            "(KI OR AI) AND Regulierung",
            "Gipfel -Paris",
            "NOT Paris Gipfel",
            "\"a (b\"",
        ] {
            assert!(check_syntax(query).is_ok(), "{query:?} should pass");
        }
    }
}
