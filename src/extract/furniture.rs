//! Page furniture one page gives away on its own: elements whose class, id, role or
//! aria-label name a newsletter box, share bar, comment section and the like, and short
//! blocks that are nothing but a furniture phrase ("Lesen Sie auch", "Share this article",
//! "Tous droits réservés") or an unrendered template placeholder.
//!
//! Cross-document cleaning (`crate::clean`) finds furniture that repeats across a site's
//! pages; a site with a single page in the corpus needs these single-page rules instead.
//! This module owns the vocabulary and the matching; `html` decides where it applies and
//! guards the article against a mislabelled container.

use scraper::node::Element;

use super::word_count;

/// Blocks longer than this are never dropped by phrase: furniture lines are short, and a
/// long block that starts like one is running text.
pub(crate) const MAX_BLOCK_WORDS: usize = 25;

/// Class/id tokens that name furniture when they are a whole token. Short words such as
/// "share" or "ad" are only trusted whole: `shareholder` and `head` must not match.
const NAME_TOKENS: &[&str] = &[
    "abo",
    "ad",
    "ads",
    "adslot",
    "comment",
    "comments",
    // German CMS name for a promotion box interrupting the article ("Störer").
    "disturber",
    "commentlist",
    "commentform",
    "mostread",
    "popular",
    "promo",
    "promos",
    "publicite",
    "respond",
    "share",
    "shares",
    "sharing",
    "sharebar",
    "shariff",
    "social",
    "stoerer",
    "socials",
    "teilen",
    "werbung",
];

/// Stems long and specific enough to match at the start of a token: `newsletterbox`,
/// `subscription`, `cookiebanner`, `relatedposts`, `abonnement`.
const NAME_STEMS: &[&str] = &[
    "abonn",
    "advert",
    "breadcrumb",
    "consent",
    "cookie",
    "disqus",
    "gdpr",
    "lesetipp",
    "meistgelesen",
    "newsletter",
    "outbrain",
    "partage",
    "paywall",
    "recommend",
    "related",
    "sponsor",
    "subscri",
    "taboola",
    "trending",
];

/// Adjacent token pairs that name furniture where neither word does alone (`read-more`,
/// `author-bio`, `about-the-author`; "the" is skipped when pairing).
const NAME_PAIRS: &[(&str, &str)] = &[
    ("about", "author"),
    ("author", "bio"),
    ("author", "box"),
    ("author", "info"),
    ("author", "profile"),
    ("follow", "us"),
    ("more", "articles"),
    ("more", "stories"),
    ("most", "popular"),
    ("most", "read"),
    ("most", "viewed"),
    ("read", "more"),
    ("rec", "posts"),
];

/// Whether an element's class, id, role or aria-label names it as furniture.
pub(crate) fn is_furniture_name(el: &Element) -> bool {
    ["class", "id", "role", "aria-label"]
        .iter()
        .filter_map(|attr| el.attr(attr))
        .flat_map(|value| value.split_whitespace())
        .any(|name| name_is_furniture(&tokens(name)))
}

fn name_is_furniture(tokens: &[String]) -> bool {
    let single = tokens
        .iter()
        .any(|t| NAME_TOKENS.contains(&t.as_str()) || NAME_STEMS.iter().any(|s| t.starts_with(s)));
    let words: Vec<&str> = tokens
        .iter()
        .map(String::as_str)
        .filter(|t| *t != "the")
        .collect();
    single || words.windows(2).any(|w| NAME_PAIRS.contains(&(w[0], w[1])))
}

/// One class or id split into lowercase tokens at `-`, `_`, other non-alphanumerics and
/// camelCase humps: `relatedArticles_box` gives `related`, `articles`, `box`.
fn tokens(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Phrases that make up furniture blocks on their own, lowercase, in German, English and
/// French. A block is dropped when it consists of these (and network names or counts).
const PHRASES: &[&str] = &[
    // German
    "lesen sie auch",
    "lesen sie mehr",
    "mehr zum thema",
    "das könnte sie auch interessieren",
    "auch interessant",
    "empfohlene beiträge",
    "ähnliche beiträge",
    "ähnliche artikel",
    "weitere artikel",
    "meistgelesen",
    "meistgelesene artikel",
    "teilen",
    "artikel teilen",
    "beitrag teilen",
    "teilen sie diesen artikel",
    "diesen artikel teilen",
    "jetzt teilen",
    "jetzt abonnieren",
    "newsletter abonnieren",
    "zum newsletter anmelden",
    "jetzt unterstützen",
    "folgen sie uns",
    "anzeige",
    "alle rechte vorbehalten",
    "impressum",
    "kommentare",
    "keine kommentare",
    "kommentar schreiben",
    "schreibe einen kommentar",
    "aktualisiert am",
    "zum seitenanfang",
    "nach oben",
    // English
    "read more",
    "read next",
    "related",
    "related articles",
    "related posts",
    "related stories",
    "related content",
    "you may also like",
    "you might also like",
    "recommended",
    "recommended for you",
    "more from",
    "trending",
    "trending now",
    "most read",
    "most popular",
    "share",
    "share this",
    "share this article",
    "share this story",
    "share this post",
    "share on",
    "subscribe",
    "subscribe now",
    "subscribe to our newsletter",
    "sign up for our newsletter",
    "sign up to our newsletter",
    "follow us",
    "follow us on",
    "advertisement",
    "sponsored",
    "sponsored content",
    "all rights reserved",
    "comments",
    "no comments",
    "leave a comment",
    "leave a reply",
    "back to top",
    // French
    "à lire aussi",
    "a lire aussi",
    "lire aussi",
    "à lire également",
    "a lire également",
    "sur le même sujet",
    "partager",
    "partager cet article",
    "partagez cet article",
    "abonnez-vous",
    "s'abonner",
    "inscrivez-vous à notre newsletter",
    "suivez-nous",
    "suivez-nous sur",
    "publicité",
    "tous droits réservés",
    "les plus lus",
    "commentaires",
    "aucun commentaire",
    "laisser un commentaire",
    "réagir",
    "retour en haut",
];

/// Phrases that introduce a link to another page ("Lesen Sie auch: …", "LIRE AUSSI SUR
/// REGARDS.FR >> …"): furniture when a separator follows within a few words.
const LEAD_PHRASES: &[&str] = &[
    "lesen sie auch",
    "lesen sie mehr",
    "mehr zum thema",
    "auch interessant",
    "lesetipp",
    "weiterlesen",
    "read more",
    "read next",
    "related",
    "more from",
    "à lire aussi",
    "a lire aussi",
    "lire aussi",
    "à lire également",
    "a lire également",
    "sur le même sujet",
];

/// Names that a share or follow line lists after its phrase.
const NETWORKS: &[&str] = &[
    "facebook",
    "twitter",
    "x",
    "linkedin",
    "xing",
    "whatsapp",
    "telegram",
    "pinterest",
    "reddit",
    "flipboard",
    "pocket",
    "instagram",
    "youtube",
    "mastodon",
    "e-mail",
    "email",
    "mail",
    "messenger",
    "drucken",
    "print",
    "imprimer",
];

/// Marks that end a lead phrase's label and start the linked title.
const SEPARATORS: &[&str] = &[":", ">>", "»", "›", "→", "|", "–", "—"];

/// Lines that say who holds the rights to the page.
const RIGHTS: &[&str] = &[
    "alle rechte vorbehalten",
    "all rights reserved",
    "tous droits réservés",
];

/// Whether a block's text is furniture by itself: a short block made of furniture phrases,
/// a lead phrase with its link, a rights line, a bare social handle line, or an unrendered
/// template placeholder. Running text that merely mentions such a word is never matched.
pub(crate) fn is_furniture_block(text: &str) -> bool {
    // A placeholder's expression can be long ("{{a === 'x' ? 'Contenu publié' : …}}").
    if is_placeholder(text) {
        return true;
    }
    if word_count(text) > MAX_BLOCK_WORDS {
        return false;
    }
    let norm = normalize(text);
    consists_of_phrases(&norm)
        || is_lead_in(&norm)
        || is_rights_line(&norm)
        || is_handle_line(&norm)
}

/// Lowercase, typographic apostrophes made plain, edges stripped of punctuation and
/// arrows (but not of `©` and `@`, which the rules read).
fn normalize(text: &str) -> String {
    let lower = text.to_lowercase().replace(['’', 'ʼ'], "'");
    lower
        .trim_matches(|c: char| !(c.is_alphanumeric() || c == '©' || c == '@' || c == '#'))
        .to_string()
}

/// A phrase from `list` that `s` starts with as whole words; the longest wins.
fn leading<'a>(s: &str, list: &[&'a str]) -> Option<&'a str> {
    list.iter()
        .filter(|p| {
            s.strip_prefix(**p)
                .is_some_and(|rest| rest.chars().next().is_none_or(|c| !c.is_alphanumeric()))
        })
        .max_by_key(|p| p.len())
        .copied()
}

/// The whole block is furniture phrases, network names and counts, with one phrase at least:
/// "Teilen Facebook Twitter E-Mail", "Kommentare (3)", "Anzeige".
fn consists_of_phrases(norm: &str) -> bool {
    let mut rest = norm;
    let mut phrases = 0;
    loop {
        rest = rest.trim_start_matches(|c: char| !c.is_alphanumeric());
        if rest.is_empty() {
            return phrases > 0;
        }
        if let Some(p) = leading(rest, PHRASES) {
            phrases += 1;
            rest = &rest[p.len()..];
        } else if let Some(n) = leading(rest, NETWORKS) {
            rest = &rest[n.len()..];
        } else if rest.starts_with(|c: char| c.is_ascii_digit()) {
            rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
        } else {
            return false;
        }
    }
}

/// A lead phrase followed, within three words, by a separator or the end of the block:
/// "Lesen Sie auch: …", "lire aussi sur regards.fr >> …".
fn is_lead_in(norm: &str) -> bool {
    let Some(p) = leading(norm, LEAD_PHRASES) else {
        return false;
    };
    let rest = norm[p.len()..].trim_start();
    if rest.is_empty() {
        return true;
    }
    let Some(at) = SEPARATORS.iter().filter_map(|s| rest.find(s)).min() else {
        return false;
    };
    word_count(&rest[..at]) <= 3
}

/// "© 2020 Verlag GmbH", "Copyright 2019 …", or any short line that reserves all rights.
fn is_rights_line(norm: &str) -> bool {
    if RIGHTS.iter().any(|r| norm.contains(r)) {
        return true;
    }
    let copyright = ["©", "(c)", "copyright"]
        .iter()
        .any(|m| norm.starts_with(m));
    let has_year = norm
        .split(|c: char| !c.is_ascii_digit())
        .any(|d| d.len() == 4 && (d.starts_with("19") || d.starts_with("20")));
    copyright && has_year && word_count(norm) <= 12
}

/// "Twitter: @BSI_Bund #Hashtag": only network names, handles and hashtags, with a name and
/// a handle or hashtag. An embedded tweet's signature ("— Name (@handle) date") has words.
fn is_handle_line(norm: &str) -> bool {
    let (mut names, mut handles) = (0, 0);
    for word in norm.split_whitespace() {
        let bare = word.trim_matches(|c: char| matches!(c, ':' | ',' | '|' | '·'));
        if bare.starts_with('@') || bare.starts_with('#') {
            handles += 1;
        } else if NETWORKS.contains(&bare) {
            names += 1;
        } else if !bare.is_empty() {
            return false;
        }
    }
    names > 0 && handles > 0
}

/// A block that is only template code nobody rendered: `{{ … }}`, `{% … %}`, `<%= … %>`,
/// `${…}`, with at most punctuation between the placeholders.
fn is_placeholder(text: &str) -> bool {
    let pairs = [("{{", "}}"), ("{%", "%}"), ("<%", "%>"), ("${", "}")];
    let mut rest = text.trim();
    let mut found = false;
    loop {
        rest = rest.trim_start_matches(|c: char| !c.is_alphanumeric() && !"{<$".contains(c));
        if rest.is_empty() {
            return found;
        }
        let Some((open, close)) = pairs.iter().find(|(o, _)| rest.starts_with(o)) else {
            return false;
        };
        let Some(end) = rest[open.len()..].find(close) else {
            return false;
        };
        rest = &rest[open.len() + end + close.len()..];
        found = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(attrs: &str) -> bool {
        let html = format!("<div {attrs}>x</div>");
        let page = scraper::Html::parse_fragment(&html);
        let sel = scraper::Selector::parse("div").expect("valid");
        page.select(&sel)
            .next()
            .is_some_and(|el| is_furniture_name(el.value()))
    }

    #[test]
    fn names_match_whole_tokens() {
        for attrs in [
            "class='newsletter-box'",
            "class='c-shareBar'",
            "id='comments'",
            "id='respond'",
            "class='related_articles'",
            "class='relatedPosts'",
            "class='author-bio'",
            "class='about-the-author'",
            "class='cbx-Author_InfoContainer'",
            "class='cookieBanner'",
            "class='ad-slot'",
            "class='most-read'",
            "class='paywall'",
            "class='breadcrumbs'",
            "aria-label='Share this article'",
            "class='wrapper promo'",
        ] {
            assert!(named(attrs), "{attrs}");
        }
        for attrs in [
            "class='article-content'",
            "class='shareholder-value'",
            "class='entry-content'",
            "class='header'",
            "class='commentary'",
            "class='readable more'",
            "class='address'",
            "id='main'",
        ] {
            assert!(!named(attrs), "{attrs}");
        }
    }

    #[test]
    fn tokens_split_at_separators_and_humps() {
        assert_eq!(
            tokens("relatedArticles_box-XL"),
            ["related", "articles", "box", "xl"]
        );
        assert_eq!(
            tokens("cbx-Author_InfoContainer"),
            ["cbx", "author", "info", "container"]
        );
    }

    #[test]
    fn furniture_phrases_are_whole_short_blocks() {
        for text in [
            "Lesen Sie auch",
            "Lesen Sie auch: Wie die KI-Verordnung wirkt",
            "Mehr zum Thema",
            "Teilen Sie diesen Artikel",
            "Teilen Facebook Twitter E-Mail",
            "Jetzt abonnieren!",
            "Anzeige",
            "Keine Kommentare",
            "Kommentare (3)",
            "Share this article",
            "Sign up for our newsletter",
            "Advertisement",
            "Read more: The AI Act explained",
            "© 2020 Beispiel Verlag GmbH",
            "Alle Rechte vorbehalten.",
            "À lire aussi :",
            "LIRE AUSSI SUR REGARDS.FR >> Affaire Benalla : le scandale",
            "Abonnez-vous",
            "Partager",
            "Tous droits réservés",
            "Twitter: @BSI_Bund #DeutschlandDigitalSicherBSI",
            "{{nrco.content.lastUpdateUser.fullName}} - {{nrco.content.time}}",
            "<%= user.name %>",
            "${title}",
        ] {
            assert!(is_furniture_block(text), "{text:?}");
        }
    }

    #[test]
    fn running_text_that_mentions_furniture_is_kept() {
        for text in [
            "Lesen Sie auch die Stellungnahme des Ministeriums, bevor Sie urteilen.",
            "Der Newsletter der Behörde erscheint monatlich und fasst die Urteile zusammen.",
            "Partager les données de santé reste un sujet sensible.",
            "Share buybacks rose sharply in 2019.",
            "Related rulings followed in France and Italy within a year.",
            "© Oli Scarff/Getty Images",
            "Anzeigepflichten nach § 5 bleiben unberührt.",
            "Facebook",
            "— Elon Musk (@elonmusk) November 4, 2023",
            "Die Werbung für Parteien ist erlaubt, wenn sie gekennzeichnet ist.",
            "The price is {{ not a template",
        ] {
            assert!(!is_furniture_block(text), "{text:?}");
        }
        let long = format!("Lesen Sie auch: {}", "Wort ".repeat(30));
        assert!(!is_furniture_block(&long));
    }
}
