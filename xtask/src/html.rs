//! The built book's pages, parsed by html5ever (through scraper) exactly as
//! a browser parses them: entities, comments, raw `<script>` text, SVG
//! inside HTML and every way of quoting an attribute follow the WHATWG
//! rules, so the checks see what a reader's browser sees.

use crate::source;
use anyhow::{Context, Result};
use html5ever::tendril::TendrilSink;
use html5ever::tree_builder::TreeBuilderOpts;
use scraper::{ElementRef, Html, HtmlTreeSink, Selector};
use std::collections::HashSet;
use std::fs;
use std::path::Path;

/// One parsed HTML page of the built book.
#[derive(Debug)]
pub struct Page {
    /// Path below the output folder, with `/` separators.
    pub rel: String,
    /// What a `#fragment` can name: every `id`, and every `<a name>`.
    pub ids: HashSet<String>,
    /// `(attribute, value)` of every `href` and `src`, in document order.
    pub links: Vec<(String, String)>,
    /// `<base href>`, when the page sets one (mdBook's 404 page does).
    pub base: Option<String>,
    /// The text of the whole page, without scripts and styles.
    pub text: String,
    /// The text of every comment, such as a directive left unexpanded.
    pub comments: Vec<String>,
    /// The text of `<main>` (or of the body, if there is none).
    pub main_text: String,
    /// `<svg>` elements inside `<main>`.
    pub svgs: usize,
    /// `<table>` elements inside `<main>`.
    pub tables: usize,
    /// The first `<h1>` inside `<main>`, its whitespace collapsed.
    pub h1: Option<String>,
    /// The `id` of every `<h2>` to `<h6>` inside `<main>`, in order: the
    /// anchors the translated editions must keep.
    pub heading_ids: Vec<String>,
}

/// Every `.html` file below `out`, parsed, each on a thread of its own
/// (print.html alone is most of the work; the pages are independent).
pub fn pages(out: &Path) -> Result<Vec<Page>> {
    let files = source::files_with_extension(out, "html")?;
    std::thread::scope(|s| {
        let parsing: Vec<_> = files
            .iter()
            .map(|f| {
                s.spawn(move || {
                    let html = fs::read_to_string(f)
                        .with_context(|| format!("reading {}", f.display()))?;
                    let rel = f.strip_prefix(out).unwrap_or(f).to_string_lossy();
                    Ok(parse(&rel.replace('\\', "/"), &html))
                })
            })
            .collect();
        parsing
            .into_iter()
            .map(|p| p.join().expect("parsing a page panicked"))
            .collect()
    })
}

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("the selectors here are valid CSS")
}

/// Parses one page; `rel` is its path below the output folder.
pub fn parse(rel: &str, html: &str) -> Page {
    // As a browser with scripting off parses it: then `<noscript>` holds
    // markup (mdBook's sidebar for such readers), whose links count too.
    let opts = html5ever::ParseOpts {
        tree_builder: TreeBuilderOpts {
            scripting_enabled: false,
            ..TreeBuilderOpts::default()
        },
        ..html5ever::ParseOpts::default()
    };
    let doc = html5ever::parse_document(HtmlTreeSink::new(Html::new_document()), opts).one(html);
    let mut ids = HashSet::new();
    let mut links = Vec::new();
    let mut base = None;
    for el in doc
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
    {
        let e = el.value();
        ids.extend(e.id().map(str::to_string));
        if e.name() == "a" {
            ids.extend(e.attr("name").map(str::to_string));
        }
        for attr in ["href", "src"] {
            let Some(value) = e.attr(attr) else { continue };
            if e.name() == "base" {
                // The first `<base href>` is the one that counts.
                base.get_or_insert_with(|| value.to_string());
            } else {
                links.push((attr.to_string(), value.to_string()));
            }
        }
    }
    let main = doc
        .select(&selector("main"))
        .next()
        .or_else(|| doc.select(&selector("body")).next())
        .unwrap_or_else(|| doc.root_element());
    Page {
        rel: rel.to_string(),
        ids,
        links,
        base,
        text: text(doc.root_element()),
        comments: doc
            .tree
            .values()
            .filter_map(|n| n.as_comment())
            .map(|c| c.to_string())
            .collect(),
        main_text: text(main),
        svgs: main.select(&selector("svg")).count(),
        tables: main.select(&selector("table")).count(),
        h1: main
            .select(&selector("h1"))
            .next()
            .map(|h| text(h).split_whitespace().collect::<Vec<_>>().join(" ")),
        heading_ids: main
            .select(&selector("h2, h3, h4, h5, h6"))
            .filter_map(|h| h.value().id().map(str::to_string))
            .collect(),
    }
}

/// The text of an HTML fragment (a program's output, say), as [`text`] reads it.
pub fn fragment_text(html: &str) -> String {
    text(Html::parse_fragment(html).root_element())
}

/// The text a reader sees in `el`: scripts and styles left out, and a space
/// at the edges of every element but an inline one, so that
/// `<td>a</td><td>b</td>` reads as two words, as it does on screen, while
/// ``<code>Vec</code>s`` stays one, as the browser's `textContent` reads it.
pub fn text(el: ElementRef) -> String {
    let mut out = String::new();
    push_text(el, &mut out);
    out
}

/// Elements that flow within a line of text: no word ends at their edges.
const INLINE: [&str; 19] = [
    "a", "abbr", "b", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q", "s", "samp",
    "small", "span", "strong", "sub", "sup",
];

fn push_text(el: ElementRef, out: &mut String) {
    for child in el.children() {
        if let Some(t) = child.value().as_text() {
            out.push_str(t);
        } else if let Some(e) = ElementRef::wrap(child) {
            let name = e.value().name();
            if matches!(name, "script" | "style") {
                continue;
            }
            let inline = INLINE.contains(&name);
            if !inline {
                out.push(' ');
            }
            push_text(e, out);
            if !inline {
                out.push(' ');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect()
    }

    #[test]
    fn parses_ids_links_and_text() {
        let p = parse(
            "a/b.html",
            "<html><head><base href=\"/\"><script>if (a<b) x('</main>')</script></head><body>\
             <main><h1 id=\"t\">Title &amp; <code>more</code>&#x21;</h1><!-- <a href=\"gone.html\"> -->\
             <noscript><iframe src=toc.html></iframe></noscript>\
             <a href='../c.html#x' class=x>link</a><a name=old href=d%20e.html>d</a>\
             <pre><code>1 &lt; 2 &rarr; 3</code></pre>\
             <svg viewBox=\"0 0 1 1\"><text>label</text></svg></main></body></html>",
        );
        assert!(p.ids.contains("t") && p.ids.contains("old"), "{:?}", p.ids);
        assert_eq!(p.base.as_deref(), Some("/"));
        assert_eq!(
            p.links,
            [
                ("src".to_string(), "toc.html".to_string()),
                ("href".to_string(), "../c.html#x".to_string()),
                ("href".to_string(), "d%20e.html".to_string())
            ]
        );
        assert_eq!(p.h1.as_deref(), Some("Title & more!"));
        assert_eq!(words(&p.main_text), words("Title more linkd 1 2 3 label"));
        assert!(p.main_text.contains('→'), "{}", p.main_text);
        assert_eq!(p.svgs, 1);
        assert_eq!(p.comments, [" <a href=\"gone.html\"> "]);
        assert!(!p.text.contains("x("), "script text leaked: {}", p.text);
    }

    #[test]
    fn a_lone_angle_bracket_is_text() {
        assert_eq!(
            words(&fragment_text("if a < b and 1<2, <b>bold</b>")),
            ["if", "a", "b", "and", "1", "2", "bold"]
        );
        assert!(fragment_text("a <b> c").contains('c'));
    }

    #[test]
    fn inline_elements_do_not_split_words_and_blocks_do() {
        // As the browser's `textContent` reads them, which the browser test
        // compares with these words.
        assert_eq!(
            words(&fragment_text("two <code>Vec</code>s, <em>a</em>b")),
            ["two", "Vecs", "ab"]
        );
        assert_eq!(
            words(&fragment_text(
                "<table><tr><td>a</td><td>b</td></tr></table>"
            )),
            ["a", "b"]
        );
    }
}
