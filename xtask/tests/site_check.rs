//! The website checks of the strict book build, proven on throwaway books
//! built with the real pinned mdbook and mdbook-cmdrun: a broken link, a
//! broken anchor, a link out of the book, an embedded output missing from
//! its page (swallowed by Markdown, or removed from the built page), an SVG
//! that Markdown or a phone would break, and a code block that would get a
//! Run button it cannot honour each fail the build, naming the page or the
//! chapter.
//!
//! Needs the pinned tools (`cargo xtask install-tools`; `cargo xtask test`
//! installs them first).

mod common;

use common::{BOOK_TOML, error_text, wrapper};
use std::fs;
use std::path::PathBuf;
use xtask::{html, site};

/// A throwaway book of this file's own (see `common::build`).
fn build(
    name: &str,
    body: &str,
    examples: &[(&str, &str)],
) -> (PathBuf, anyhow::Result<site::Checked>) {
    common::build("xtask-test-sites", name, body, examples, &wrapper())
}

#[test]
fn good_links_and_anchors_pass() {
    let w = wrapper();
    let (_, result) = build(
        "links-good",
        &format!(
            "[other](other.md), [its heading](other.md#a-heading), [here](#chapter)\n\n\
             ```text\n<!-- cmdrun -0 {w}cmd -- echo output in the page -->\n```"
        ),
        &[],
    );
    let checked = result.expect("a clean book must pass");
    assert!(checked.links.anchors >= 2, "{:?}", checked.links);
    assert_eq!(checked.expectations.len(), 1);
    assert_eq!(checked.expectations[0].page, "part/chapter.html");
}

#[test]
fn a_relative_link_in_the_first_chapter_breaks_on_index_html_and_fails() {
    // The first chapter (here in a folder of its own) is also copied to
    // index.html at the book's root, where `other.md` means `other.html`.
    let root = common::write(
        "xtask-test-sites",
        "first-chapter",
        &[
            ("book.toml", BOOK_TOML),
            (
                "src/SUMMARY.md",
                "# Summary\n\n- [First](part/first.md)\n- [Other](part/other.md)\n",
            ),
            ("src/part/first.md", "# First\n\n[other](other.md)\n"),
            ("src/part/other.md", "# Other\n"),
        ],
    );
    let result = common::check(&root, &wrapper());
    let text = error_text(result);
    assert!(
        text.contains("index.html: href=\"other.html\" is broken"),
        "{text}"
    );
}

#[test]
fn an_output_missing_from_the_built_page_fails() {
    let w = wrapper();
    let (root, result) = build(
        "output-removed",
        &format!("```text\n<!-- cmdrun -0 {w}cmd -- echo seventeen tasks finished -->\n```"),
        &[],
    );
    let checked = result.expect("a clean book must pass");
    let pages = html::pages(&checked.built.out).unwrap();
    assert!(site::content::check(&pages, &checked.expectations).is_empty());

    // Break the built page the way a bad render or a stale file would.
    let page = root.join("out/part/chapter.html");
    let html = fs::read_to_string(&page).unwrap();
    fs::write(&page, html.replace("seventeen tasks", "")).unwrap();
    let pages = html::pages(&checked.built.out).unwrap();
    let problems = site::content::check(&pages, &checked.expectations);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0].contains("part/chapter.html"), "{}", problems[0]);
}

#[test]
fn an_inline_svg_passes_is_counted_and_fails_once_gone_from_the_page() {
    let w = wrapper();
    let (root, result) = build(
        "svg-good",
        &format!(
            "<!-- cmdrun -0 {w}cmd -- printf '<svg viewBox=\"0 0 10 10\">\\n<text fill=\"currentColor\">label</text>\\n</svg>\\n' -->"
        ),
        &[],
    );
    let checked = result.expect("a clean book must pass");
    assert_eq!(checked.expectations[0].svgs, 1);

    let page = root.join("out/part/chapter.html");
    let html = fs::read_to_string(&page).unwrap();
    let (start, end) = (html.find("<svg").unwrap(), html.find("</svg>").unwrap());
    fs::write(&page, format!("{}{}", &html[..start], &html[end + 6..])).unwrap();
    let pages = html::pages(&checked.built.out).unwrap();
    let problems = site::content::check(&pages, &checked.expectations);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("printed 1 SVG picture(s), the page holds 0")),
        "{problems:#?}"
    );
}

#[test]
fn noplayground_and_a_playground_safe_program_pass() {
    let (_, result) = build(
        "play-good",
        "```rust,noplayground\nuse course::x;\n```\n\n\
         ```rust\n{{#rustdoc_include ../../examples/tiny.rs:body}}\n```",
        &[(
            "tiny.rs",
            "#[tokio::main]\nasync fn main() {\n    // ANCHOR: body\n    tokio::spawn(async {}).await.unwrap();\n    // ANCHOR_END: body\n}\n",
        )],
    );
    let checked = result.expect("a clean book must pass");
    assert_eq!(checked.runnable.len(), 1);
    assert_eq!(checked.runnable[0].page, "part/chapter.html");
}

#[test]
fn directives_with_redirections_and_shared_prefixes_find_their_own_output() {
    let w = wrapper();
    let (_, result) = build(
        "output-matching",
        &format!(
            "```text\n<!-- cmdrun -0 {w}cmd -- echo alpha 2>&1 -->\n```\n\n\
             ```text\n<!-- cmdrun -0 {w}cmd -- echo alpha beta gamma -->\n```"
        ),
        &[],
    );
    let checked = result.expect("a clean book must pass");
    let words: Vec<_> = checked
        .expectations
        .iter()
        .map(|e| e.words.join(" "))
        .collect();
    assert_eq!(words, ["alpha", "alpha beta gamma"]);
}

#[test]
fn a_link_to_an_unwritten_chapter_is_pending_while_the_book_has_drafts() {
    let root = common::write(
        "xtask-test-sites",
        "drafts",
        &[
            ("book.toml", BOOK_TOML),
            ("src/part/other.md", "# Other\n"),
            (
                "src/part/chapter.md",
                "# Chapter\n\n[later](../later/topic.md#a-section)\n",
            ),
        ],
    );
    let summary = "# Summary\n\n- [Other](part/other.md)\n- [Chapter](part/chapter.md)\n";
    let build = |summary: &str| {
        fs::write(root.join("src/SUMMARY.md"), summary).unwrap();
        common::check(&root, &wrapper())
    };
    // A draft remains: the link waits for its chapter, and is listed.
    let checked = build(&format!("{summary}- [Later topic]()\n")).expect("pending links pass");
    assert_eq!(checked.links.pending.len(), 2, "{:?}", checked.links); // page and print.html
    assert!(checked.links.pending[0].contains("later/topic.html#a-section"));
    // No drafts left: the same link is broken.
    let text = error_text(build(summary));
    assert!(
        text.contains("part/chapter.html: href=\"../later/topic.html#a-section\" is broken"),
        "{text}"
    );
}

#[test]
fn links_are_read_as_a_browser_reads_them() {
    // Entities, unquoted attributes and percent escapes: the parser decodes
    // what a browser decodes, so a good link passes however it is written,
    // and a broken one is reported by the id it really asks for.
    let (_, result) = build(
        "links-decoded",
        "## A section\n\n<a href=#a&#45;section>entity</a> <a href='#a%2Dsection'>escape</a>",
        &[],
    );
    let checked = result.expect("links a browser follows must pass");
    assert!(checked.links.anchors >= 2, "{:?}", checked.links);
}

/// A book broken one way: its name, its chapter's body, its examples, and
/// what the error must say.
type Case<'a> = (&'a str, String, &'a [(&'a str, &'a str)], &'a [&'a str]);

#[test]
fn every_broken_book_fails_and_names_the_place_and_the_problem() {
    let w = wrapper();
    let socket: &[(&str, &str)] = &[(
        "server.rs",
        "use tokio::net::TcpListener;\n#[tokio::main]\nasync fn main() {\n    let _ = TcpListener::bind(\"127.0.0.1:0\").await;\n}\n",
    )];
    let svg = |attrs: &str, inner: &str| {
        format!("{w}cmd -- printf '<svg {attrs}>\\n<text>a</text>\\n{inner}</svg>\\n'")
    };
    let cases: Vec<Case> = vec![
        (
            "link-broken",
            "[gone](gone.md)".into(),
            &[],
            &["part/chapter.html", "there is no part/gone.html"],
        ),
        (
            "link-outside",
            "[up](../../../outside.md)".into(),
            &[],
            &["part/chapter.html: href=\"../../../outside.html\" points outside the book"],
        ),
        (
            "anchor-broken",
            "[x](other.md#no-such-heading)".into(),
            &[],
            &["part/chapter.html", "has no id \"no-such-heading\""],
        ),
        // The parser decodes the entity, as a browser does, before looking.
        (
            "anchor-entity",
            "<a href=#no&#45;such>entity</a>".into(),
            &[],
            &["has no id \"no-such\""],
        ),
        // cmdrun expands the inner directive, but the outer comment hides its
        // output: the page shows nothing, and no `cmdrun error` text either.
        (
            "output-swallowed",
            format!("<!--\n<!-- cmdrun -0 {w}cmd -- echo hidden words -->\n-->\n\nText."),
            &[],
            &[
                "part/chapter.md:4",
                "is not in the page part/chapter.html",
                "hidden words",
            ],
        ),
        (
            "svg-blank-line",
            format!("<!-- cmdrun -0 {} -->", svg("viewBox=\"0 0 10 10\"", "\\n")),
            &[],
            &["blank line inside"],
        ),
        (
            "svg-no-viewbox",
            format!("<!-- cmdrun -0 {} -->", svg("width=\"10\"", "")),
            &[],
            &["without a viewBox"],
        ),
        (
            "svg-fenced",
            format!(
                "```text\n<!-- cmdrun -0 {} -->\n```",
                svg("viewBox=\"0 0 1 1\"", "")
            ),
            &[],
            &["prints SVG inside a code fence"],
        ),
        (
            "play-plain",
            "```rust\nfn main() {}\n```".into(),
            &[],
            &["part/chapter.md:3", "gets a Run button"],
        ),
        (
            "play-socket",
            "```rust\n{{#rustdoc_include ../../examples/server.rs}}\n```".into(),
            socket,
            &["cannot run on the Playground", "socket"],
        ),
        (
            "play-outside",
            "```rust\n{{#rustdoc_include snippet.rs}}\n```".into(),
            &[],
            &["must include a program from examples/"],
        ),
    ];
    common::assert_each_fails(&cases, |(name, body, examples, wanted)| {
        (error_text(build(name, body, examples).1), wanted)
    });
}
