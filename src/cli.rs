//! The command-line interface: clap derive types only, no logic. Their doc comments are the
//! help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Full-text search for policy texts on AI governance: ranked, highlighted passages from a
/// multilingual corpus of laws, strategies and articles.
#[derive(Debug, Parser)]
#[command(name = "polsearch", version, max_term_width = 100)]
#[command(
    after_help = "Exit codes: 0 results found (or command succeeded), 1 no results, 2 error."
)]
pub struct Cli {
    /// Index folder.
    #[arg(
        long,
        global = true,
        env = "POLSEARCH_INDEX",
        default_value = "index",
        value_name = "DIR"
    )]
    pub index: PathBuf,

    /// Corpus folder: the documents to index (.txt, .md, .html/.htm, .pdf, .docx, .json,
    /// .jsonl/.ndjson; in subfolders too).
    #[arg(
        long,
        global = true,
        env = "POLSEARCH_CORPUS",
        default_value = "corpus",
        value_name = "DIR"
    )]
    pub corpus: PathBuf,

    /// When to colour the output.
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,

    #[command(subcommand)]
    pub command: Command,
}

/// When to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// When stdout is a terminal and NO_COLOR is not set.
    Auto,
    /// Always, even into a pipe.
    Always,
    /// Never.
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Search the index; builds it first from the corpus if there is none.
    Search(SearchArgs),
    /// Bring the index up to date with the corpus (only changed files are read; `--full`
    /// rebuilds everything into a new generation, switched live when complete).
    Index(IndexArgs),
    /// Show what the indexer takes from one file: its metadata and passages.
    Extract(ExtractArgs),
    /// Show the facts of the current index.
    Stats(StatsArgs),
    /// Show a passage in full with its neighbours, heading, document metadata and citation
    /// (or a document's metadata and first passages).
    Show(ShowArgs),
    /// Cite passages or documents: APA, Chicago, or BibTeX, RIS and CSL-JSON for Zotero.
    Cite(CiteArgs),
    /// List what a document references: EU acts, named instruments, urls, other documents
    /// of the corpus; each with the passages that reference it.
    Cites(CitesArgs),
    /// List the passages that reference an act, a named instrument, a url or a document of
    /// the corpus, newest document first.
    CitedBy(CitedByArgs),
    /// Time searches in process: per query and overall p50/p95/p99 of the whole search path
    /// (parse, search, fetch, highlight, snippet), the index opened once.
    Bench(BenchArgs),
    /// Measure analysis: compound splitting on a test set, retrieval on judged queries.
    #[command(subcommand)]
    Eval(EvalCommand),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Print the manual page (roff).
    Man,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query: words (inflected forms match), "exact phrases", AND, OR, NOT or -word,
    /// +word, parentheses, field:word (fields: title, text, author, heading, lang, doc_id).
    /// Several arguments are joined with spaces.
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,

    /// Only passages in this language (ISO 639-1 code: de, en, fr, …).
    #[arg(long, value_name = "CODE")]
    pub lang: Option<String>,

    /// Number of results.
    #[arg(short = 'n', long, default_value_t = 10, value_name = "N")]
    pub limit: usize,

    /// Skip the first N results (for paging).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub offset: usize,

    /// Print one JSON object per result (JSON Lines); the same as `--format jsonl`.
    #[arg(long)]
    pub json: bool,

    /// Output format. csv and tsv: one row per hit with its citation fields, a header
    /// row first.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,

    /// At most N passages per document; the last one shown says how many more matched.
    /// `--offset` counts this shorter list.
    #[arg(long, value_name = "N")]
    pub per_doc: Option<usize>,

    /// Order of the results.
    #[arg(long, value_enum, default_value_t = SortOrder::Relevance, value_name = "ORDER")]
    pub sort: SortOrder,

    /// After the results, count all of them (not just the page) by language, source,
    /// document type and year, with a histogram of hits per year. With JSON: a final
    /// `{"facets": …, "total": N}` line.
    #[arg(long)]
    pub facets: bool,

    /// Per result: which query words matched which words of the passage, through which
    /// analysis (exact, spelling variant, stem, compound part), and the score's parts.
    #[arg(long)]
    pub explain: bool,

    /// Print whole passages rather than their best fragment.
    #[arg(long)]
    pub full: bool,

    /// Only documents published on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,

    /// Only documents published on or before DATE (`--until 2024` includes all of 2024).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,

    /// Only documents whose author has these words (`--author Lefebvre`).
    #[arg(long, value_name = "NAME")]
    pub author: Option<String>,

    /// Only documents whose site or publisher has these words (`--source netzpolitik`).
    #[arg(long, value_name = "NAME")]
    pub source: Option<String>,

    /// Only documents of this type: law, news, article, report, web, text.
    #[arg(long = "type", value_name = "TYPE")]
    pub doc_type: Option<String>,

    /// Only passages of this article, paragraph, recital or annex of a law: 5, "5(1)",
    /// "Art. 5 Abs. 1", "recital 27", "Erwägungsgrund 27", "Annex III". In the query,
    /// article:5, article:5(1), recital:27 and annex:III do the same.
    #[arg(long, value_name = "UNIT")]
    pub article: Option<String>,
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: title, ids, the best fragment with the matched words marked.
    Text,
    /// One JSON object per result (what `--json` prints).
    Jsonl,
    /// Comma-separated values (RFC 4180), for spreadsheets.
    Csv,
    /// Tab-separated values; tabs, newlines and backslashes in a field written `\t`, `\n`,
    /// `\\`.
    Tsv,
}

/// Order of a result list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortOrder {
    /// Best match first (ties: document id, then position in the document).
    Relevance,
    /// Newest document first; undated documents last; ties by relevance.
    Date,
    /// Oldest document first; undated documents last; ties by relevance.
    DateAsc,
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Rebuild everything into a new generation instead of updating what changed.
    #[arg(long)]
    pub full: bool,

    /// If another index run holds the index, wait for it instead of failing.
    #[arg(long)]
    pub wait: bool,

    /// Do not split German compounds (takes effect at the next full rebuild).
    #[arg(long)]
    pub no_decompound: bool,

    /// Memory for the run's buffers, in MB: half for the index writer, a quarter for
    /// documents held between reading and writing (more are read twice instead). The
    /// cross-document sketches and the German lexicon come on top and grow with the corpus.
    #[arg(long, default_value_t = 256, value_name = "MB")]
    pub memory: usize,

    /// Print the summary as one JSON object.
    #[arg(long)]
    pub json: bool,

    /// Print errors only.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// The file to extract.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Print metadata and passages as one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Print the facts as one JSON object (with --dropped: one object per passage).
    #[arg(long)]
    pub json: bool,
    /// List the passages cleaning left out (boilerplate, copies held by another document)
    /// and the documents that are copies; reads the affected files of --corpus again.
    #[arg(long)]
    pub dropped: bool,
    /// With --dropped: show only N passages, picked at random (reproducibly, see --seed).
    #[arg(long, value_name = "N")]
    pub sample: Option<usize>,
    /// Seed of --sample.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// The queries, one per line (blank lines and `# comments` skipped).
    #[arg(long, value_name = "FILE")]
    pub queries: PathBuf,
    /// Timed runs of each query, after one warm-up run of all.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub repeat: usize,
    /// Hits per search (a result page).
    #[arg(short = 'n', long, default_value_t = 10, value_name = "N")]
    pub limit: usize,
    /// One JSON object per query, then one overall object (`"overall": true`).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// Split precision and recall on a compound test set, with a lexicon learnt from --corpus.
    Compounds(EvalCompoundsArgs),
    /// nDCG@10, MRR@10 and recall@10 on judged queries over --corpus, with decompounding and
    /// proximity on and off.
    Relevance(EvalRelevanceArgs),
}

#[derive(Debug, Args)]
pub struct EvalCompoundsArgs {
    /// Compounds with their gold segmentation (`compound<TAB>seg|men|ta|tion`).
    #[arg(long, default_value = "bench/compounds/de.tsv", value_name = "FILE")]
    pub set: PathBuf,

    /// Words that must not be split, one per line.
    #[arg(
        long,
        default_value = "bench/compounds/de-nosplit.txt",
        value_name = "FILE"
    )]
    pub no_split: PathBuf,

    /// Also score a grid of splitter parameters (part length, part frequency, penalty).
    #[arg(long)]
    pub grid: bool,
}

#[derive(Debug, Args)]
pub struct EvalRelevanceArgs {
    /// Queries (`id<TAB>lang<TAB>query<TAB>need`).
    #[arg(
        long,
        default_value = "bench/relevance/queries.tsv",
        value_name = "FILE"
    )]
    pub queries: PathBuf,

    /// Judgments (`query_id<TAB>passage_id<TAB>grade`).
    #[arg(long, default_value = "bench/relevance/qrels.tsv", value_name = "FILE")]
    pub qrels: PathBuf,

    /// Only the configuration with decompounding off.
    #[arg(long)]
    pub no_decompound: bool,

    /// Only the configuration with proximity off.
    #[arg(long)]
    pub no_proximity: bool,

    /// Print the scores of every query.
    #[arg(long)]
    pub per_query: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A passage id (`eu-ai-act/en#p406`) or a document id (`eu-ai-act/en`), as `search`
    /// prints them.
    #[arg(value_name = "ID")]
    pub id: String,

    /// Passages shown before and after the passage (for a document: it shows its first
    /// 2N+1 passages).
    #[arg(short = 'C', long, default_value_t = 2, value_name = "N")]
    pub context: usize,

    /// Print one JSON object per passage (the hit objects of `search --json`, with
    /// `context`: the offset from the passage asked for).
    #[arg(long)]
    pub json: bool,

    /// Also show the same article, paragraph, recital or annex in the other languages of
    /// the act present in the index.
    #[arg(long)]
    pub parallel: bool,

    /// Style of the citation line.
    #[arg(long, value_enum, default_value_t = CiteStyle::Apa, value_name = "STYLE")]
    pub style: CiteStyle,

    /// Access date the citation gives (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub accessed: Option<String>,
}

#[derive(Debug, Args)]
pub struct CiteArgs {
    /// Passage ids (`eu-ai-act/en#p406`: cited with the quoted passage and its article or
    /// page) or document ids (`eu-ai-act/en`).
    #[arg(required = true, value_name = "ID")]
    pub ids: Vec<String>,

    /// Citation style or format.
    #[arg(long, value_enum, default_value_t = CiteStyle::Apa, value_name = "STYLE")]
    pub style: CiteStyle,

    /// Access date the citations give (default: today), for reproducible output.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub accessed: Option<String>,
}

/// A citation style or a reference manager's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CiteStyle {
    /// APA 7th edition reference.
    Apa,
    /// Chicago 17th edition bibliography entry.
    Chicago,
    /// BibTeX/biblatex records (Zotero: File → Import).
    Bibtex,
    /// RIS records.
    Ris,
    /// A CSL-JSON array.
    CslJson,
}

#[derive(Debug, Args)]
pub struct CitesArgs {
    /// A document id (`articles/de/bsi-de-ki`), as `search` prints it.
    #[arg(value_name = "DOC")]
    pub doc: String,

    /// Print one JSON object per target (`target`, `label`, `count`, `document`,
    /// `passages`).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CitedByArgs {
    /// What is referenced: an act number ("2024/1689", "Regulation (EU) 2024/1689"), a name
    /// ("AI Act", "KI-Verordnung", "GDPR", "Draghi report"), a url, or a document id of the
    /// corpus (its url and act number).
    #[arg(value_name = "TARGET")]
    pub target: String,

    /// Print one JSON object per passage (the hit objects of `search --json`).
    #[arg(long)]
    pub json: bool,

    /// Number of passages.
    #[arg(short = 'n', long, default_value_t = 20, value_name = "N")]
    pub limit: usize,

    /// Print whole passages rather than a fragment around the reference.
    #[arg(long)]
    pub full: bool,
}
