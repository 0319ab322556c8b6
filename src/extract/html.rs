//! HTML pages to blocks: main content via trafilatura, a whole-body walk for legal texts and
//! pages where trafilatura keeps too little, and metadata from the page's own markup.
//!
//! This module owns the choice between the two extraction paths and the mapping of HTML
//! structure to block kinds. It must never index script, style, navigation, header, footer,
//! aside, form, noscript, template or comment content, and must not decode bytes.

use std::collections::{HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};

use scraper::node::Element;
use scraper::{ElementRef, Html, Node, Selector};

use super::furniture;
use super::meta::{self, doc_type};
use super::{BlockBuilder, clean_meta, is_enum_label, normalize_date, resolve_links, word_count};
use crate::config::HtmlRules;
use crate::document::{Block, BlockKind, Document, Metadata};

/// The trafilatura result is replaced by the whole-body walk when it keeps less than this
/// share of the words in the stretch of the page its content comes from…
const MIN_KEPT_SHARE: f64 = 0.5;
/// …and at most this share of the visible words sits inside links: link-dense pages are
/// portals and listings where keeping little is right.
const MAX_LINK_SHARE: f64 = 0.25;
/// …and that stretch has at least this many words: on short pages a low share is noise.
const MIN_VISIBLE_WORDS: usize = 300;
/// A single trafilatura block with at least this share of the visible words is the page
/// flattened, not a selection from it.
const FLATTENED_SHARE: f64 = 0.8;
/// Element nesting beyond which trafilatura is not tried (its tree code recurses; a page this
/// deep is machine-made or hostile and the iterative body walk handles it).
const MAX_TRAFILATURA_DEPTH: usize = 256;

/// Extracts metadata and blocks from a decoded HTML page.
///
/// Furniture the page names as such (see [`furniture`]) is taken out before either
/// extraction path runs, and furniture blocks are dropped from the result; both are listed in
/// [`Document::furniture`]. The metadata is read from the page as it came: a date or byline
/// inside a removed share bar still counts.
pub(crate) fn extract_html(source: &str) -> Document {
    let page = Html::parse_document(source);
    let body_of = |page: &Html| {
        let root = page
            .select(&selector("body"))
            .next()
            .unwrap_or_else(|| page.root_element());
        walk(root)
    };
    let mut body = body_of(&page);
    let mut furniture = Vec::new();
    let cleaned = if body.max_depth > MAX_TRAFILATURA_DEPTH {
        // Hostile nesting: the candidate search below is linear, but nothing on such a page
        // is worth the risk of a second full pass.
        None
    } else {
        remove_furniture(&page, body.words, &mut furniture)
    };
    let (source, work) = match &cleaned {
        Some(page) => {
            body = body_of(page);
            (page.html(), page)
        }
        None => (source.to_string(), &page),
    };

    let traf = if is_legal_text(work) || body.max_depth > MAX_TRAFILATURA_DEPTH {
        None
    } else {
        run_trafilatura(&source)
    };

    let extracted = match &traf {
        Some((kept, _)) if !prefer_body(kept, &body) => with_links_of(kept.clone(), &body.blocks),
        _ => body.blocks,
    };
    let (mut blocks, dropped): (Vec<Block>, Vec<Block>) = extracted
        .into_iter()
        .partition(|b| !furniture::is_furniture_block(&b.text));
    furniture.extend(dropped.into_iter().map(|b| b.text));
    let meta = metadata(&page, traf.as_ref().map(|(_, m)| m), &blocks);
    let base = page
        .select(&selector("base[href]"))
        .next()
        .and_then(|b| b.attr("href"))
        .or(meta.url.as_deref());
    for block in &mut blocks {
        block.links = resolve_links(std::mem::take(&mut block.links), base);
    }
    Document {
        meta,
        blocks,
        furniture,
        ..Document::default()
    }
}

/// A copy of `page` without the elements whose names mark them as furniture, or `None` when
/// there are none; the text of each removed element is pushed onto `removed`.
///
/// An element is removed when it is a block-level element inside `<body>` whose class, id,
/// role or aria-label is furniture ([`furniture::is_furniture_name`]), and it is not
///
/// - `<body>`, `<main>` or `<article>`, which carry state classes ("has-comments");
/// - inside an element the walk skips anyway (navigation, footer, aside, form, …): what
///   never reached the index is not counted as furniture left out;
/// - holding more than half of the page's `visible` words, the page's `<h1>` or its
///   `articleBody`: a container so named is mislabelled, and the article lives in it;
/// - an inline element: a link labelled "Read more about …" is part of its sentence.
fn remove_furniture(page: &Html, visible: usize, removed: &mut Vec<String>) -> Option<Html> {
    let body = page.select(&selector("body")).next()?;
    let guarded = selector("h1, [itemprop=articleBody]");
    let mut ids = Vec::new();
    // Iterative like `walk`, so the subtree of a removed or skipped element is passed over.
    let mut node = *body;
    let mut descend = true;
    loop {
        let enter = descend
            && ElementRef::wrap(node).is_some_and(|el| {
                let value = el.value();
                if el.id() == body.id() {
                    return true;
                }
                if is_skipped_structure(value) {
                    return false;
                }
                if !is_block_element(value.name())
                    || matches!(value.name(), "main" | "article")
                    || !furniture::is_furniture_name(value)
                {
                    return true;
                }
                let inside = walk(el);
                if inside.words * 2 > visible || el.select(&guarded).next().is_some() {
                    return true;
                }
                ids.push(el.id());
                let text = inside
                    .blocks
                    .iter()
                    .map(|b| b.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                if !text.is_empty() {
                    removed.push(text);
                }
                false
            });
        if enter && let Some(child) = node.first_child() {
            node = child;
            continue;
        }
        if node.id() == body.id() {
            break;
        }
        if let Some(next) = node.next_sibling() {
            node = next;
            descend = true;
            continue;
        }
        let Some(parent) = node.parent() else { break };
        node = parent;
        descend = false;
    }
    if ids.is_empty() {
        return None;
    }
    let mut cleaned = page.clone();
    for id in ids {
        if let Some(mut node) = cleaned.tree.get_mut(id) {
            node.detach();
        }
    }
    Some(cleaned)
}

/// The page with the elements `rules.drop` names removed and, when `rules.keep` names any,
/// reduced to those elements (its head kept, for the metadata).
pub(crate) fn apply_rules(source: &str, rules: &HtmlRules) -> String {
    let mut page = Html::parse_document(source);
    let parse = |list: &[String]| -> Vec<Selector> {
        // The configuration was checked when it was read; a selector failing here is skipped.
        list.iter()
            .filter_map(|s| Selector::parse(s).ok())
            .collect()
    };
    let dropped: Vec<_> = parse(&rules.drop)
        .iter()
        .flat_map(|sel| page.select(sel).map(|el| el.id()).collect::<Vec<_>>())
        .collect();
    for id in dropped {
        if let Some(mut node) = page.tree.get_mut(id) {
            node.detach();
        }
    }
    let keep = parse(&rules.keep);
    if keep.is_empty() {
        return page.html();
    }
    let kept: HashSet<_> = keep
        .iter()
        .flat_map(|sel| page.select(sel).map(|el| el.id()).collect::<Vec<_>>())
        .collect();
    let mut body = String::new();
    for el in page
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
    {
        // An element inside another kept one comes with it.
        let nested = el.ancestors().any(|a| kept.contains(&a.id()));
        if kept.contains(&el.id()) && !nested {
            body.push_str(&el.html());
        }
    }
    let head = page
        .select(&selector("head"))
        .next()
        .map(|h| h.html())
        .unwrap_or_default();
    let lang = page
        .root_element()
        .value()
        .attr("lang")
        .map(|l| format!(" lang=\"{}\"", l.replace('"', "")))
        .unwrap_or_default();
    format!("<!DOCTYPE html><html{lang}>{head}<body>{body}</body></html>")
}

/// Whether the page is a legal text whose whole body is content: EUR-Lex Official Journal
/// markup (`oj-` classes, `eli-` containers), the older EUR-Lex `ti-art` markup, consolidated
/// texts (`title-article-norm`) or the `TexteOnly` wrapper.
///
/// trafilatura drops large parts of such pages (numbered points sit in layout tables) and
/// loses the article headings, so they always get the structural walk.
fn is_legal_text(page: &Html) -> bool {
    let markers = selector(
        "#TexteOnly, .eli-container, .eli-subdivision, .oj-ti-art, .ti-art, \
         .title-article-norm, .oj-normal",
    );
    page.select(&markers).next().is_some()
}

/// The decision rule for ordinary pages: use the whole-body walk instead of trafilatura's
/// `kept` blocks when
///
/// - trafilatura lost text: the stretch of the page from the first to the last block it kept
///   (found by exact text in the walk) has at least [`MIN_VISIBLE_WORDS`] words, trafilatura
///   kept under [`MIN_KEPT_SHARE`] of them, and the page is not link-dense
///   ([`MAX_LINK_SHARE`]). Measuring within that stretch rather than the whole page keeps
///   comments, teasers and related articles before or after the article from counting as
///   lost text: what triggers the rule is text dropped from the middle of the content, as
///   trafilatura does with the numbered points of legal texts; or
/// - trafilatura lost structure: it returned one block (its baseline dump of a short page)
///   holding at least [`FLATTENED_SHARE`] of the visible words, while the walk found several.
fn prefer_body(kept: &[Block], body: &BodyWalk) -> bool {
    let kept_words = count_words(kept);
    let span = span_words(kept, &body.blocks).unwrap_or(body.words);
    let lost_text = span >= MIN_VISIBLE_WORDS
        && (kept_words as f64) < MIN_KEPT_SHARE * span as f64
        && (body.link_words as f64) <= MAX_LINK_SHARE * body.words as f64;
    let lost_structure = kept.len() == 1
        && body.blocks.len() > 1
        && kept_words as f64 >= FLATTENED_SHARE * body.words as f64;
    lost_text || lost_structure
}

/// Words of the walked blocks from the first to the last one whose text trafilatura kept;
/// `None` when none of its blocks appears verbatim in the walk.
fn span_words(kept: &[Block], walked: &[Block]) -> Option<usize> {
    let kept: HashSet<&str> = kept.iter().map(|b| b.text.as_str()).collect();
    let first = walked.iter().position(|b| kept.contains(b.text.as_str()))?;
    let last = walked
        .iter()
        .rposition(|b| kept.contains(b.text.as_str()))?;
    Some(count_words(&walked[first..=last]))
}

fn count_words(blocks: &[Block]) -> usize {
    blocks.iter().map(|b| word_count(&b.text)).sum()
}

/// Trafilatura's blocks with the hyperlinks the walk found in the same text: its content
/// HTML drops links, the walk keeps them. A kept block takes the links of the walked block
/// with the same text, or of walked blocks it contains (trafilatura joins short paragraphs).
fn with_links_of(mut kept: Vec<Block>, walked: &[Block]) -> Vec<Block> {
    let linked: Vec<&Block> = walked.iter().filter(|b| !b.links.is_empty()).collect();
    if linked.is_empty() {
        return kept;
    }
    let by_text: HashMap<&str, &Block> = linked.iter().map(|b| (b.text.as_str(), *b)).collect();
    for block in &mut kept {
        if let Some(same) = by_text.get(block.text.as_str()) {
            block.links = same.links.clone();
        } else {
            block.links = linked
                .iter()
                .filter(|w| block.text.contains(w.text.as_str()))
                .flat_map(|w| w.links.iter().cloned())
                .collect();
        }
    }
    kept
}

/// Runs trafilatura and converts its content HTML to blocks; `None` when it fails, finds
/// nothing or panics (a heuristic library on arbitrary web input: a panic there must cost
/// this page its main-content filter, not the whole indexing run).
fn run_trafilatura(source: &str) -> Option<(Vec<Block>, trafilatura::Metadata)> {
    let opts = trafilatura::Options::default()
        .with_fallback(true)
        .with_focus(trafilatura::ExtractionFocus::Balanced);
    let result = catch_unwind(AssertUnwindSafe(|| trafilatura::extract(source, &opts)))
        .ok()?
        .ok()?;
    let fragment = Html::parse_fragment(&result.content_html);
    let blocks = walk(fragment.root_element()).blocks;
    (!blocks.is_empty()).then_some((blocks, result.metadata))
}

fn selector(css: &str) -> Selector {
    // Only called with the constant selectors in this file, which the tests exercise.
    Selector::parse(css).expect("selector constants in html.rs are valid CSS")
}

// ---------------------------------------------------------------------------------------
// The structural walk
// ---------------------------------------------------------------------------------------

/// Blocks of one walk plus what the fallback decision needs to know about the page.
struct BodyWalk {
    blocks: Vec<Block>,
    words: usize,
    link_words: usize,
    max_depth: usize,
}

/// Walks `root` in document order and emits blocks. The walk is iterative (explicit
/// first-child/next-sibling/parent moves) so hostile nesting cannot overflow the stack.
fn walk(root: ElementRef<'_>) -> BodyWalk {
    let mut b = BlockBuilder::default();
    let (mut depth, mut max_depth) = (0usize, 0usize);
    let (mut link_depth, mut link_words) = (0usize, 0usize);
    let mut node = *root;
    // False when we come back up to a node whose children are done.
    let mut descend = true;
    loop {
        if descend {
            match node.value() {
                Node::Text(text) => {
                    if link_depth > 0 {
                        link_words += word_count(text);
                    }
                    b.text(text);
                }
                // The root is walked whatever its name: `remove_furniture` measures elements
                // the walk would skip.
                Node::Element(el) if node.id() == root.id() || !is_skipped(el) => {
                    open(&mut b, el);
                    link_depth += usize::from(el.name() == "a");
                    if let Some(child) = node.first_child() {
                        node = child;
                        depth += 1;
                        max_depth = max_depth.max(depth);
                        continue;
                    }
                    link_depth -= usize::from(el.name() == "a");
                    close(&mut b, el);
                }
                _ => {}
            }
        }
        if node.id() == root.id() {
            break;
        }
        if let Some(next) = node.next_sibling() {
            node = next;
            descend = true;
            continue;
        }
        let Some(parent) = node.parent() else { break };
        node = parent;
        depth = depth.saturating_sub(1);
        if let Node::Element(el) = node.value() {
            link_depth = link_depth.saturating_sub(usize::from(el.name() == "a"));
            close(&mut b, el);
        }
        descend = false;
    }
    let blocks = merge_labels(b.finish());
    BodyWalk {
        words: count_words(&blocks),
        blocks,
        link_words,
        max_depth,
    }
}

/// Elements whose content is never text of the document.
fn is_skipped(el: &Element) -> bool {
    if is_skipped_structure(el) {
        return true;
    }
    // Consent banners and newsletter boxes are not semantic elements; their names give them away.
    let named_boilerplate = |v: &str| {
        let v = v.to_ascii_lowercase();
        v.contains("cookie") || v.contains("consent") || v.contains("newsletter")
    };
    // Page-level containers carry state classes such as "cookies-not-set"; never skip them.
    !matches!(el.name(), "html" | "body" | "main" | "article")
        && (el.id().is_some_and(named_boilerplate)
            || el.attr("class").is_some_and(named_boilerplate))
}

/// Elements skipped for what they are (their tag, `hidden`, their ARIA role), not for
/// what they are named.
fn is_skipped_structure(el: &Element) -> bool {
    if matches!(
        el.name(),
        "script"
            | "style"
            | "nav"
            | "header"
            | "footer"
            | "aside"
            | "form"
            | "noscript"
            | "template"
            | "head"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "video"
            | "audio"
            | "button"
            | "select"
            | "textarea"
            | "dialog"
    ) {
        return true;
    }
    if el.attr("hidden").is_some() || el.attr("aria-hidden") == Some("true") {
        return true;
    }
    if let Some(role) = el.attr("role")
        && matches!(
            role,
            "navigation" | "banner" | "contentinfo" | "complementary" | "search" | "dialog"
        )
    {
        return true;
    }
    false
}

/// Elements that end the running text before and after them.
fn is_block_element(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "blockquote"
            | "body"
            | "caption"
            | "center"
            | "dd"
            | "details"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "hgroup"
            | "hr"
            | "legend"
            | "li"
            | "main"
            | "menu"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "ul"
    )
}

/// The block kind an element gives the text inside it, if it sets one. EUR-Lex marks article
/// numbers and titles with classes on plain `<p>` elements, not with `<h*>`.
fn element_kind(el: &Element) -> Option<BlockKind> {
    let heading = |level| Some(BlockKind::Heading { level });
    match el.name() {
        "h1" => return heading(1),
        "h2" => return heading(2),
        "h3" => return heading(3),
        "h4" => return heading(4),
        "h5" => return heading(5),
        "h6" => return heading(6),
        "li" => return Some(BlockKind::ListItem),
        "blockquote" => return Some(BlockKind::Quote),
        _ => {}
    }
    for class in el.classes() {
        match class {
            "oj-doc-ti" | "doc-ti" | "title-doc-first" | "title-annex-1" => return heading(1),
            "oj-ti-art" | "ti-art" | "title-article-norm" | "oj-ti-section-1"
            | "oj-ti-section-2" | "ti-section-1" | "ti-section-2" | "title-division-1"
            | "title-division-2" => return heading(2),
            "oj-sti-art"
            | "sti-art"
            | "stitle-article-norm"
            | "oj-ti-grseq-1"
            | "title-gr-seq-level-1"
            | "title-annex-2" => return heading(3),
            _ => {}
        }
    }
    None
}

/// Maps one element's start onto the block builder.
fn open(b: &mut BlockBuilder, el: &Element) {
    let name = el.name();
    match name {
        "br" => b.space(),
        "ol" => {
            // Lettered and roman lists would get wrong numbers; leave those unnumbered.
            let numeric = el.attr("type").is_none_or(|t| t == "1");
            let start = el
                .attr("start")
                .and_then(|s| s.trim().parse().ok())
                .unwrap_or(1);
            b.start_list(numeric.then_some(start));
        }
        "ul" | "menu" => b.start_list(None),
        "table" => b.start_table(),
        "tr" => b.start_row(),
        "td" | "th" => b.end_cell(),
        _ if is_block_element(name) => b.boundary(),
        _ => {}
    }
    if name == "li" {
        b.start_item();
    } else if let Some(kind) = element_kind(el) {
        b.push_kind(kind);
    }
    if name == "a"
        && let Some(href) = el.attr("href")
    {
        b.start_link(href);
    }
}

/// Maps one element's end onto the block builder.
fn close(b: &mut BlockBuilder, el: &Element) {
    let name = el.name();
    if name == "a" {
        b.end_link();
    }
    if element_kind(el).is_some() {
        b.pop_kind();
    }
    match name {
        "ol" | "ul" | "menu" => b.end_list(),
        "table" => b.end_table(),
        "tr" => b.end_row(),
        "td" | "th" => b.end_cell(),
        _ if is_block_element(name) => b.boundary(),
        _ => {}
    }
}

/// Prefixes a paragraph or list item that is only an enumeration label to the block after it,
/// so "(a)" and its point text form one block when the markup kept them apart.
fn merge_labels(blocks: Vec<Block>) -> Vec<Block> {
    let body_kind = |k: BlockKind| matches!(k, BlockKind::Paragraph | BlockKind::ListItem);
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    let mut pending: Option<Block> = None;
    for block in blocks {
        match pending.take() {
            Some(label) if body_kind(block.kind) && !is_enum_label(&block.text) => {
                out.push(Block {
                    text: format!("{} {}", label.text, block.text),
                    links: [label.links, block.links].concat(),
                    ..block
                });
            }
            Some(label) => {
                out.push(label);
                if body_kind(block.kind) && is_enum_label(&block.text) {
                    pending = Some(block);
                } else {
                    out.push(block);
                }
            }
            None if body_kind(block.kind) && is_enum_label(&block.text) => pending = Some(block),
            None => out.push(block),
        }
    }
    out.extend(pending);
    out
}

// ---------------------------------------------------------------------------------------
// Metadata
// ---------------------------------------------------------------------------------------

/// Metadata from the page's markup, best source first; what is still open afterwards is
/// filled from the running text by `meta::complete`.
///
/// - title: `og:title`, `DC.title`/`dcterms.title`, `twitter:title`, JSON-LD `headline`,
///   `<title>` without the site name, trafilatura's, the first `<h1>`, the first top-level
///   heading block (a legal text's title);
/// - author: JSON-LD `author`, then `<meta name=author>`, `article:author`, `DC.creator`
///   and similar, then trafilatura's; each checked by `meta::plausible_author`;
/// - date: JSON-LD `datePublished`, then `article:published_time`, `<meta name=date>`,
///   `DC.date`/`dcterms.*` and similar, then `<time datetime>`, trafilatura's, the Official
///   Journal date line, and `article:modified_time` last;
/// - site: `og:site_name`, JSON-LD `publisher.name`, `DC.publisher`, `application-name`,
///   trafilatura's; url: `<link rel=canonical>`, `og:url`, JSON-LD `url`, trafilatura's;
///   lang: `<html lang>`, JSON-LD `inLanguage`, `Content-Language`, `DC.language`,
///   `og:locale`;
/// - type: `law` for legal-text markup, JSON-LD `Legislation` or an EUR-Lex/ELI url; else
///   the JSON-LD main object's type (`news`, `report`, `article`); else `article` for
///   `og:type` article; else left to `meta::complete`.
fn metadata(page: &Html, traf: Option<&trafilatura::Metadata>, blocks: &[Block]) -> Metadata {
    let metas = meta_tags(page);
    let meta = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| metas.get(*k).and_then(|v| clean_meta(v)))
    };
    let traf_field = |f: fn(&trafilatura::Metadata) -> &str| traf.and_then(|t| clean_meta(f(t)));
    let first_text = |css: &str| {
        page.select(&selector(css))
            .find_map(|el| clean_meta(&el.text().collect::<String>()))
    };
    let scripts: Vec<String> = page
        .select(&selector("script[type]"))
        .filter(|el| {
            el.attr("type")
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"))
        })
        .map(|el| el.text().collect())
        .collect();
    let ld = meta::json_ld(scripts.iter().map(String::as_str));

    // A site name needs a letter: some pages put their date in `og:site_name`.
    let site = meta(&["og:site_name"])
        .into_iter()
        .chain(ld.meta.site.clone())
        .chain(meta(&[
            "dc.publisher",
            "dcterms.publisher",
            "application-name",
        ]))
        .chain(traf_field(|t| &t.sitename))
        .find(|s| s.chars().any(char::is_alphabetic));

    // The page's <title> beats trafilatura's pick once the site name is cut off: trafilatura
    // 0.6.0 keeps the wrong half of "BMJV | Transparenz bei Preisanpassungen".
    let title = meta(&["og:title", "dc.title", "dcterms.title", "twitter:title"])
        .into_iter()
        .chain(
            ld.meta
                .title
                .as_deref()
                .map(|t| strip_site_name(t, site.as_deref())),
        )
        .chain(first_text("head > title").map(|t| strip_site_name(&t, site.as_deref())))
        .chain(traf_field(|t| &t.title))
        .chain(first_text("h1"))
        .chain(
            blocks
                .iter()
                .find(|b| b.kind == BlockKind::Heading { level: 1 })
                .map(|b| b.text.clone()),
        )
        .chain(ld.identifier.clone())
        .find(|t| !looks_like_file_name(t));

    let author = ld
        .meta
        .author
        .clone()
        .into_iter()
        .chain(
            [
                "author",
                "article:author",
                "og:article:author",
                "dc.creator",
                "dcterms.creator",
                "citation_author",
                "bepress_citation_author",
                "sailthru.author",
                "parsely-author",
            ]
            .iter()
            .filter_map(|k| metas.get(*k).cloned()),
        )
        .chain(traf_field(|t| &t.author))
        .find_map(|a| meta::plausible_author(&a, site.as_deref()));

    let date = ld
        .meta
        .date
        .clone()
        .or_else(|| {
            [
                "article:published_time",
                "og:published_time",
                "og:article:published_time",
                "datepublished",
                "date",
                "dc.date",
                "dcterms.date",
                "dc.date.issued",
                "dcterms.issued",
                "dc.date.created",
                "dcterms.created",
                "citation_publication_date",
                "citation_date",
                "bepress_citation_date",
                "sailthru.date",
                "pubdate",
            ]
            .iter()
            .find_map(|k| metas.get(*k).and_then(|v| meta::parse_any_date(v)))
        })
        .or_else(|| {
            page.select(&selector("time[datetime]"))
                .find_map(|el| el.attr("datetime").and_then(normalize_date))
        })
        .or_else(|| {
            traf.and_then(|t| t.date)
                .map(|d| d.format("%Y-%m-%d").to_string())
        })
        .or_else(|| {
            page.select(&selector(".oj-hd-date, .hd-date"))
                .find_map(|el| normalize_date(&el.text().collect::<String>()))
        })
        .or_else(|| {
            ["article:modified_time", "og:updated_time", "datemodified"]
                .iter()
                .find_map(|k| metas.get(*k).and_then(|v| normalize_date(v)))
        });

    let url = page
        .select(&selector("link[rel=canonical]"))
        .filter_map(|el| el.attr("href").and_then(clean_meta))
        .chain(meta(&["og:url"]))
        .chain(ld.meta.url.clone())
        .chain(traf_field(|t| &t.url))
        .find(|u| meta::is_absolute_url(u));

    let root = page.root_element();
    let lang = [root.attr("lang"), root.attr("xml:lang")]
        .into_iter()
        .flatten()
        .find_map(meta::language_code)
        .or(ld.meta.lang.clone())
        .or_else(|| {
            [
                "content-language",
                "dc.language",
                "dcterms.language",
                "og:locale",
            ]
            .iter()
            .find_map(|k| metas.get(*k).and_then(|v| meta::language_code(v)))
        });

    let eur_lex = url.as_deref().is_some_and(|u| {
        u.contains("eur-lex.europa.eu/eli/") || u.contains("eur-lex.europa.eu/legal-content/")
    });
    let doc_type = if is_legal_text(page) || ld.legislation || eur_lex {
        Some(doc_type::LAW)
    } else if let Some(kind) = ld.doc_type {
        Some(kind)
    } else if metas
        .get("og:type")
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("article"))
    {
        Some(doc_type::ARTICLE)
    } else {
        None
    };

    Metadata {
        title,
        author,
        date,
        site,
        url,
        lang,
        doc_type: doc_type.map(str::to_string),
    }
}

/// `<meta>` values keyed by lowercased `name`, `property`, `itemprop` or `http-equiv`; the
/// first occurrence wins.
fn meta_tags(page: &Html) -> HashMap<String, String> {
    let mut map = HashMap::new();
    for el in page.select(&selector("meta[content]")) {
        let Some(content) = el.attr("content") else {
            continue;
        };
        for key in ["name", "property", "itemprop", "http-equiv"] {
            if let Some(k) = el.attr(key) {
                map.entry(k.trim().to_ascii_lowercase())
                    .or_insert_with(|| content.to_string());
            }
        }
    }
    map
}

/// A `<title>` without the site name tacked on: "Headline | Site" becomes "Headline". With
/// no known site name, the longest part of a " | "-separated title is taken (the headline
/// is the long part); other separators also occur inside headlines and are left alone then.
fn strip_site_name(title: &str, site: Option<&str>) -> String {
    for sep in [" | ", " – ", " — ", " - ", " :: ", " · "] {
        let parts: Vec<&str> = title.split(sep).map(str::trim).collect();
        if parts.len() < 2 {
            continue;
        }
        let is_site = |p: &str| {
            site.is_some_and(|s| p.eq_ignore_ascii_case(s)) || (!p.contains(' ') && p.contains('.'))
        };
        if let (Some(first), Some(last)) = (parts.first(), parts.last()) {
            if is_site(last) {
                return parts[..parts.len() - 1].join(sep);
            }
            if is_site(first) {
                return parts[1..].join(sep);
            }
        }
        if sep == " | "
            && let Some(longest) = parts.iter().max_by_key(|p| p.chars().count())
        {
            return (*longest).to_string();
        }
    }
    title.to_string()
}

/// Titles such as "L_202401689EN.000101.fmx.xml" name a file, not the document.
fn looks_like_file_name(title: &str) -> bool {
    !title.contains(' ')
        && [".xml", ".htm", ".html", ".pdf", ".doc", ".docx"]
            .iter()
            .any(|ext| title.to_ascii_lowercase().ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walked(html: &str) -> Vec<(BlockKind, String)> {
        let page = Html::parse_document(html);
        walk(page.root_element())
            .blocks
            .into_iter()
            .map(|b| (b.kind, b.text))
            .collect()
    }

    const P: BlockKind = BlockKind::Paragraph;
    const H2: BlockKind = BlockKind::Heading { level: 2 };
    const H3: BlockKind = BlockKind::Heading { level: 3 };

    fn fixture(name: &str) -> String {
        let path = format!(
            "{}/tests/fixtures/extract/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn selectors_are_valid() {
        assert!(!is_legal_text(&Html::parse_document("<p>x</p>")));
    }

    #[test]
    fn boilerplate_around_an_article_is_dropped() {
        let doc = extract_html(&fixture("news-article.html"));
        let texts: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
        let all = texts.join("\n");
        for unwanted in [
            "Startseite",
            "Cookies",
            "Newsletter",
            "trackVisit",
            "Impressum",
            "Mehr zum Thema",
            "color:",
            "versteckter Kommentar",
        ] {
            assert!(!all.contains(unwanted), "{unwanted:?} leaked into {all}");
        }
        for wanted in [
            "Die Aufsichtsbehörden der Länder",
            "Kritiker bemängeln",
            "Ein Sprecher des Ministeriums",
        ] {
            assert!(all.contains(wanted), "{wanted:?} missing from {all}");
        }
        assert!(
            doc.blocks
                .iter()
                .any(|b| b.kind == H2 && b.text == "Was die Behörden prüfen"),
            "{:?}",
            doc.blocks
        );
    }

    #[test]
    fn metadata_comes_from_the_page_markup() {
        let meta = extract_html(&fixture("news-article.html")).meta;
        assert_eq!(
            meta.title.as_deref(),
            Some("Länder verschärfen die Aufsicht über KI-Systeme")
        );
        assert_eq!(meta.author.as_deref(), Some("Erika Musterfrau"));
        assert_eq!(meta.date.as_deref(), Some("2025-02-26"));
        assert_eq!(meta.site.as_deref(), Some("Beispiel-Zeitung"));
        assert_eq!(
            meta.url.as_deref(),
            Some("https://zeitung.example/ki-aufsicht")
        );
        assert_eq!(meta.lang.as_deref(), Some("de"));
    }

    #[test]
    fn metadata_fallbacks() {
        let page = Html::parse_document(
            "<html lang='english'><head><title>Fallback title</title></head><body>\
             <time datetime='2023-05-04T08:00'>4 May</time><h1>Heading</h1><p>Text.</p>\
             </body></html>",
        );
        let meta = metadata(&page, None, &[]);
        assert_eq!(meta.title.as_deref(), Some("Fallback title"));
        assert_eq!(meta.date.as_deref(), Some("2023-05-04"));
        assert_eq!(meta.lang, None);
        let page = Html::parse_document("<title>a.xml</title><h1>Überschrift</h1>");
        let meta = metadata(&page, None, &[]);
        assert_eq!(meta.title.as_deref(), Some("Überschrift"));
        assert_eq!(meta::language_code("fr_FR").as_deref(), Some("fr"));
    }

    #[test]
    fn legal_text_keeps_articles_as_headings_and_every_point() {
        let doc = extract_html(&fixture("legal-text.html"));
        let got: Vec<(BlockKind, &str)> = doc
            .blocks
            .iter()
            .map(|b| (b.kind, b.text.as_str()))
            .collect();
        assert_eq!(
            doc.meta.title.as_deref(),
            Some("VERORDNUNG (EU) 2099/1 ÜBER BEISPIELHAFTE ALGORITHMEN")
        );
        assert_eq!(doc.meta.date.as_deref(), Some("2099-03-01"));
        let expected = [
            (H2, "Artikel 1"),
            (H3, "Gegenstand"),
            (
                P,
                "1. Diese Verordnung legt Regeln für beispielhafte Algorithmen fest.",
            ),
            (P, "2. Sie gilt für:"),
            (P, "(a) Anbieter, die Systeme in Verkehr bringen;"),
            (P, "(b) Betreiber, die Systeme verwenden, und zwar"),
            (P, "(i) im eigenen Namen;"),
            (P, "(ii) im Auftrag Dritter;"),
            (P, "(c) Einführer."),
            (H2, "Artikel 2"),
            (H3, "Begriffsbestimmungen"),
            (
                P,
                "Für die Zwecke dieser Verordnung bezeichnet der Ausdruck „System“ ein Programm.",
            ),
            (H2, "Artikel 3"),
            (H3, "Inkrafttreten"),
            (
                P,
                "1. Diese Verordnung tritt am Tag nach ihrer Veröffentlichung in Kraft.",
            ),
        ];
        for (kind, text) in expected {
            assert!(
                got.contains(&(kind, text)),
                "missing {kind:?} {text:?} in {got:#?}"
            );
        }
        let pos = |t: &str| got.iter().position(|(_, x)| *x == t);
        assert!(pos("Artikel 1") < pos("Gegenstand") && pos("Gegenstand") < pos("Artikel 2"));
        assert!(
            !got.iter()
                .any(|(_, t)| t.contains("Menü") || t.contains("Suche"))
        );
    }

    #[test]
    fn fallback_rule_is_explicit() {
        let para =
            |tag: &str, words: usize| Block::new(P, format!("{tag}{}", " w".repeat(words - 1)));
        let page = |blocks: Vec<Block>, link_share: f64| {
            let words = count_words(&blocks);
            BodyWalk {
                blocks,
                words,
                link_words: (words as f64 * link_share) as usize,
                max_depth: 3,
            }
        };
        let (a1, a2, a3) = (para("a1", 200), para("a2", 200), para("a3", 200));
        let kept = vec![a1.clone(), a2.clone(), a3.clone()];

        // Comments and teasers around the article do not count as lost text.
        let news = vec![
            para("intro", 100),
            a1.clone(),
            a2.clone(),
            a3.clone(),
            para("comments", 2000),
        ];
        assert!(!prefer_body(&kept, &page(news, 0.05)));

        // Text dropped between kept blocks (a legal text's numbered points) does.
        let legal = vec![
            a1.clone(),
            para("t1", 400),
            a2.clone(),
            para("t2", 400),
            a3.clone(),
        ];
        assert!(prefer_body(&kept, &page(legal.clone(), 0.05)));
        // …unless the page is link-dense: then keeping little is right.
        assert!(!prefer_body(&kept, &page(legal, 0.6)));

        // Short stretches are left to trafilatura.
        let short = vec![para("s1", 40), para("gap", 100), para("s2", 40)];
        assert!(!prefer_body(
            &[para("s1", 40), para("s2", 40)],
            &page(short, 0.0)
        ));

        // One block holding nearly the whole page is the page flattened: keep the structure.
        let flat = vec![para("x", 50), para("y", 50), para("z", 100)];
        assert!(prefer_body(&[para("xyz", 190)], &page(flat.clone(), 0.0)));
        assert!(!prefer_body(&[para("xyz", 100)], &page(flat, 0.0)));
    }

    #[test]
    fn structure_maps_to_block_kinds_without_duplication() {
        let got = walked(
            "<body><h3>Titel</h3><ul><li><p>Eins</p></li><li>Zwei<ol start='3'><li>Zwei a</li></ol></li></ul>\
             <blockquote><p>Zitat <b>fett</b></p></blockquote>\
             <table><tr><th>Land</th><th>Behörde</th></tr><tr><td>DE</td><td><p>BfDI</p></td></tr></table>\
             <div>Lose <a href='#'>Text</a>zeile<br>weiter</div><!-- Kommentar --></body>",
        );
        assert_eq!(
            got,
            vec![
                (H3, "Titel".to_string()),
                (BlockKind::ListItem, "Eins".to_string()),
                (BlockKind::ListItem, "Zwei".to_string()),
                (BlockKind::ListItem, "3. Zwei a".to_string()),
                (BlockKind::Quote, "Zitat fett".to_string()),
                (P, "Land | Behörde".to_string()),
                (P, "DE | BfDI".to_string()),
                (P, "Lose Textzeile weiter".to_string()),
            ]
        );
    }

    #[test]
    fn enumeration_labels() {
        for label in ["1.", "(a)", "iv)", "(12)", "—", "a)"] {
            assert!(is_enum_label(label), "{label}");
        }
        for text in [
            "Insight",
            "a",
            "12",
            "2024",
            "2024 war ein Jahr",
            "(abcde)",
            "",
        ] {
            assert!(!is_enum_label(text), "{text}");
        }
    }

    #[test]
    fn site_names_are_cut_from_titles() {
        let site = Some("Beispiel-Zeitung");
        assert_eq!(
            strip_site_name("KI-Gesetz - was sich ändert | Beispiel-Zeitung", site),
            "KI-Gesetz - was sich ändert"
        );
        assert_eq!(
            strip_site_name("BMJV | Transparenz bei Preisanpassungen", Some("BMJV")),
            "Transparenz bei Preisanpassungen"
        );
        assert_eq!(
            strip_site_name("heise.de - Lithium aus dem Schredder", None),
            "Lithium aus dem Schredder"
        );
        assert_eq!(
            strip_site_name("Kurz | Eine längere Überschrift", None),
            "Eine längere Überschrift"
        );
        assert_eq!(
            strip_site_name("KI-Gesetz - was sich ändert", None),
            "KI-Gesetz - was sich ändert"
        );
    }

    #[test]
    fn file_name_titles_are_skipped() {
        assert!(looks_like_file_name("L_202401689EN.000101.fmx.xml"));
        assert!(!looks_like_file_name("Regulation (EU) 2024/1689"));
    }

    /// Measures real EUR-Lex pages when the shared corpus is present.
    #[test]
    fn eur_lex_pages_keep_their_articles() {
        let dir = "/work/shared/corpus/eu-ai-act";
        if !std::path::Path::new(dir).exists() {
            eprintln!("skipping: {dir} not present");
            return;
        }
        for name in ["en.html", "fr.html"] {
            let Ok(bytes) = std::fs::read(format!("{dir}/{name}")) else {
                eprintln!("skipping: {name} unreadable");
                continue;
            };
            let doc = super::super::extract(&bytes, super::super::Format::Html)
                .unwrap()
                .remove(0);
            let articles = doc
                .blocks
                .iter()
                .filter(|b| b.kind == H2 && (b.text.starts_with("Article ")))
                .count();
            assert!(articles >= 113, "{name}: {articles} article headings");
        }
    }

    #[test]
    fn hyperlinks_of_the_text_are_kept_with_their_block() {
        let page = format!(
            r##"<html><head><link rel="canonical" href="https://news.example/2025/gipfel/">
            <title>Gipfel</title></head><body>
            <nav><a href="/home">Start</a></nav>
            <article><h1>Der Gipfel</h1>
            <p>Die <a href="https://eur-lex.europa.eu/eli/reg/2024/1689/oj">KI-Verordnung</a>
            gilt, wie <a href="../bericht/">unser Bericht</a> zeigt, und
            <a href="mailto:redaktion@news.example">Post</a> oder
            <a href="#kommentare">Kommentare</a> sind keine Quellen.</p>
            {}</article></body></html>"##,
            article_text(200)
        );
        let doc = extract_html(&page);
        let linked: Vec<(&str, Vec<(&str, &str)>)> = doc
            .blocks
            .iter()
            .filter(|b| !b.links.is_empty())
            .map(|b| {
                let links = b
                    .links
                    .iter()
                    .map(|l| (l.url.as_str(), l.text.as_str()))
                    .collect();
                (b.text.as_str(), links)
            })
            .collect();
        assert_eq!(linked.len(), 1, "{linked:?}");
        assert!(linked[0].0.starts_with("Die KI-Verordnung gilt"));
        assert_eq!(
            linked[0].1,
            [
                (
                    "https://eur-lex.europa.eu/eli/reg/2024/1689/oj",
                    "KI-Verordnung"
                ),
                ("https://news.example/2025/bericht/", "unser Bericht"),
            ]
        );
    }

    #[test]
    fn links_in_list_items_and_table_rows_stay_with_them() {
        let page = r#"<html><body><main>
            <ul><li>Erstens <a href="https://a.example/1">eins</a></li>
            <li>Zweitens <a href="https://a.example/2">zwei</a></li></ul>
            <table><tr><td><a href="https://a.example/3">drei</a></td><td>Zelle</td></tr></table>
            </main></body></html>"#;
        let doc = extract_html(page);
        let links: Vec<(&str, Vec<&str>)> = doc
            .blocks
            .iter()
            .map(|b| {
                (
                    b.text.as_str(),
                    b.links.iter().map(|l| l.text.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            links,
            [
                ("Erstens eins", vec!["eins"]),
                ("Zweitens zwei", vec!["zwei"]),
                ("drei | Zelle", vec!["drei"]),
            ]
        );
    }

    /// An article of `words` words of running text, which no furniture rule touches.
    fn article_text(words: usize) -> String {
        let sentence = "Die Aufsicht prüft jedes System vor der Zulassung genau.";
        let n = words.div_ceil(sentence.split_whitespace().count());
        (0..n)
            .map(|i| format!("<p>{sentence} Absatz {i} bleibt Teil des Artikels.</p>"))
            .collect()
    }

    fn texts(doc: &Document) -> String {
        doc.blocks
            .iter()
            .map(|b| b.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn named_furniture_elements_are_removed_and_listed() {
        let furniture = [
            (
                "div",
                "class='newsletter-signup'",
                "Bleiben Sie informiert mit unserem Brief",
            ),
            (
                "ul",
                "class='c-shareBar'",
                "Facebook Twitter Mastodon weiterleiten",
            ),
            (
                "section",
                "class='related-articles'",
                "Weitere Texte über Algorithmen im Alltag",
            ),
            (
                "div",
                "id='cookieNotice'",
                "Wir verwenden kleine Dateien zur Analyse",
            ),
            (
                "div",
                "id='comments'",
                "Leserin schreibt dass sie anderer Meinung ist",
            ),
            (
                "div",
                "class='about-the-author'",
                "Erika Musterfrau schreibt seit Jahren hierüber",
            ),
            (
                "div",
                "class='ad-slot'",
                "Kaufen Sie jetzt günstige Versicherungen",
            ),
            ("ol", "class='breadcrumbs'", "Start Politik Digitales"),
            (
                "div",
                "class='paywall-teaser'",
                "Weiterlesen nur mit einem Zugang",
            ),
            (
                "div",
                "class='most-read'",
                "Die beliebtesten Geschichten dieser Woche",
            ),
            (
                "div",
                "aria-label='Share this article'",
                "Per Post verschicken",
            ),
        ];
        let boxes: String = furniture
            .iter()
            .map(|(tag, attr, text)| format!("<{tag} {attr}><p>{text}</p></{tag}>"))
            .collect();
        let page = format!(
            "<html lang='de'><body><article><h1>KI-Aufsicht</h1>{}{boxes}{}</article></body></html>",
            article_text(150),
            article_text(150)
        );
        let doc = extract_html(&page);
        let all = texts(&doc);
        assert!(all.contains("Absatz 0 bleibt"), "{all}");
        for (_, attr, text) in furniture {
            assert!(!all.contains(text), "{attr}: {text:?} kept in\n{all}");
            assert!(
                doc.furniture.iter().any(|f| f.contains(text)),
                "{attr}: {text:?} not listed in {:?}",
                doc.furniture
            );
        }
    }

    #[test]
    fn content_named_like_furniture_is_kept() {
        let page = format!(
            "<body><h1>Titel</h1>\
             <div class='article-content'><p>Der Inhalt des Artikels steht in diesem Abschnitt.</p></div>\
             <div class='shareholder-value'><p>Aktionäre erwarten eine höhere Dividende im Jahr.</p></div>\
             <p>Wer den Newsletter der Behörde liest, erfährt von neuen Urteilen zuerst.</p>\
             {}</body>",
            article_text(100)
        );
        let parsed = Html::parse_document(&page);
        let mut removed = Vec::new();
        assert!(remove_furniture(&parsed, 1000, &mut removed).is_none());
        assert!(removed.is_empty(), "{removed:?}");
        // trafilatura has its own opinion of `shareholder-value`; the rest reaches the blocks.
        let doc = extract_html(&page);
        let all = texts(&doc);
        for kept in [
            "Der Inhalt des Artikels",
            "Wer den Newsletter der Behörde liest",
        ] {
            assert!(all.contains(kept), "{kept:?} missing from\n{all}");
        }
        assert!(doc.furniture.is_empty(), "{:?}", doc.furniture);
    }

    #[test]
    fn a_mislabelled_container_holding_the_article_stays() {
        // Most of the page's words sit in a container named like a share bar: the name is
        // wrong, not the article.
        let page = format!(
            "<body><div class='post-sharing-wrapper'><h2>Titel</h2>{}</div>\
             <div class='share-box'><p>Teilen per Post</p></div></body>",
            article_text(200)
        );
        let parsed = Html::parse_document(&page);
        let visible = walk(parsed.root_element()).words;
        let mut removed = Vec::new();
        let cleaned = remove_furniture(&parsed, visible, &mut removed).map(|p| p.html());
        assert_eq!(removed, ["Teilen per Post"]);
        assert!(cleaned.is_some_and(|html| html.contains("Absatz 0 bleibt")));

        // Nor is a container removed that holds the page's headline.
        let page = format!(
            "<body><div class='related'><h1>Titel</h1><p>Kurz.</p></div>{}</body>",
            article_text(100)
        );
        let parsed = Html::parse_document(&page);
        let mut removed = Vec::new();
        assert!(remove_furniture(&parsed, 1000, &mut removed).is_none());
        assert!(removed.is_empty());
    }

    #[test]
    fn furniture_blocks_are_dropped_and_listed() {
        let page = format!(
            "<html lang='de'><body><article><h1>KI-Aufsicht</h1>{}\
             <p>Lesen Sie auch: Was die Verordnung für Behörden bedeutet</p>\
             <p>Anzeige</p>\
             <p>{{{{page.author.name}}}}</p>{}\
             <p>© 2025 Beispiel-Zeitung. Alle Rechte vorbehalten.</p></article></body></html>",
            article_text(120),
            article_text(120)
        );
        let doc = extract_html(&page);
        let all = texts(&doc);
        for gone in ["Lesen Sie auch", "Anzeige", "{{", "Alle Rechte"] {
            assert!(!all.contains(gone), "{gone:?} kept in\n{all}");
        }
        assert!(all.contains("Absatz 0 bleibt"));
        assert_eq!(
            doc.furniture,
            [
                "Lesen Sie auch: Was die Verordnung für Behörden bedeutet",
                "Anzeige",
                "{{page.author.name}}",
                "© 2025 Beispiel-Zeitung. Alle Rechte vorbehalten.",
            ]
        );
    }

    #[test]
    fn site_rules_drop_and_keep_elements() {
        let page = r#"<html lang="de"><head><title>Seite</title></head><body>
            <div class="teaser"><p>Jetzt abonnieren und nichts verpassen, jede Woche neu.</p></div>
            <article><p>Der eigentliche Text über Regulierung steht hier im Artikel.</p>
            <div class="teaser"><p>Noch ein Kasten mitten im Artikel zum Abonnieren.</p></div></article>
            <section class="extra"><p>Ein Abschnitt außerhalb des Artikels mit eigenem Inhalt.</p></section>
            </body></html>"#;
        let dropped = apply_rules(
            page,
            &HtmlRules {
                drop: vec![".teaser".into()],
                keep: vec![],
            },
        );
        assert!(!dropped.contains("abonnieren") && !dropped.contains("Abonnieren"));
        assert!(dropped.contains("eigentliche Text") && dropped.contains("außerhalb"));
        let kept = apply_rules(
            page,
            &HtmlRules {
                drop: vec![".teaser".into()],
                keep: vec!["article".into(), "article p".into()],
            },
        );
        assert!(kept.contains("eigentliche Text"));
        assert!(!kept.contains("außerhalb") && !kept.contains("Abonnieren"));
        assert_eq!(
            kept.matches("eigentliche Text").count(),
            1,
            "nested kept once"
        );
        assert!(kept.contains("<title>Seite</title>") && kept.contains(r#"lang="de""#));
    }
}
