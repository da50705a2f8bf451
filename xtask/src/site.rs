//! The built book checked as a website, in pure Rust (no browser): the
//! strict build ([`book::build`]), then the checks of its pages, each in a
//! module of its own:
//!
//! - [`playground`]: which code blocks get the Playground's Run button (run
//!   on the sources, before anything is built);
//! - [`content`]: every program's output is really in its page;
//! - [`links`]: every internal link and anchor resolves.
//!
//! The browser test (`browser.rs`) reuses the same expectations and checks
//! them again in the rendered page.

pub mod content;
pub mod links;
pub mod playground;

use crate::book::{self, Built};
use crate::html::Page;
use crate::source;
use anyhow::{Result, bail};
use std::fs;

/// What a clean build checked, for the browser test and for messages.
#[derive(Debug)]
pub struct Checked {
    pub built: Built,
    pub links: links::LinkReport,
    /// What every directive put into its page.
    pub expectations: Vec<content::Expectation>,
    /// The code blocks that get the Playground's Run button.
    pub runnable: Vec<playground::Runnable>,
}

/// Builds the book and checks the result: the Playground rule, the
/// directives, the build, every embedded output, every internal link and
/// anchor. `Ok` means a clean book.
pub fn build_and_check(b: &book::Build) -> Result<Checked> {
    let src = source::book_src(b.root)?;
    let (runnable, problems) = playground::lint(&src, b.root)?;
    if !problems.is_empty() {
        bail!(
            "the book's code blocks need fixing:\n  {}",
            problems.join("\n  ")
        );
    }
    let built = book::build(b)?;

    // The pages as a reader gets them: is every program's output really in
    // its page, and does every link lead somewhere?
    let (expectations, mut problems) =
        content::expectations(&built.src, &built.out, &built.directives, &built.records)?;
    problems.extend(content::check(&built.pages, &expectations));
    if !problems.is_empty() {
        bail!(
            "the book built, but some embedded output is missing from its page:\n  {}",
            problems.join("\n  ")
        );
    }
    // `- [Title]()` in SUMMARY.md: a chapter not written yet.
    let drafts = fs::read_to_string(built.src.join("SUMMARY.md"))
        .unwrap_or_default()
        .contains("]()");
    let links = links::check(&built.out, &built.src, drafts, &built.pages);
    if !links.problems.is_empty() {
        bail!(
            "the book built, but {} link(s) are broken:\n  {}",
            links.problems.len(),
            links.problems.join("\n  ")
        );
    }
    Ok(Checked {
        built,
        links,
        expectations,
        runnable,
    })
}

/// Where a translated edition's pages lose an anchor of the English pages:
/// every `<h2>`..`<h6>` id (the chapter's `<h1>` gets an id from its
/// translated title, see `i18n.rs`), so a link or a `#fragment` kept by the
/// language switch leads to the same section in both editions.
pub fn same_anchors(english: &[Page], translated: &[Page]) -> Vec<String> {
    let en: std::collections::HashMap<&str, &Vec<String>> = english
        .iter()
        .map(|p| (p.rel.as_str(), &p.heading_ids))
        .collect();
    let mut problems = Vec::new();
    // print.html numbers repeated generated ids across the whole book
    // (`the-idea-3`) but keeps explicit ones as written: its ids differ by
    // design, and its links are checked on their own.
    for page in translated.iter().filter(|p| p.rel != "print.html") {
        let Some(want) = en.get(page.rel.as_str()) else {
            problems.push(format!("{}: no such page in English", page.rel));
            continue;
        };
        let missing: Vec<&String> = want
            .iter()
            .filter(|id| !page.heading_ids.contains(id))
            .collect();
        if !missing.is_empty() {
            let extra: Vec<&String> = page
                .heading_ids
                .iter()
                .filter(|id| !want.contains(id))
                .collect();
            problems.push(format!(
                "{}: lacks the heading id(s) {missing:?} (has {extra:?} instead): end the translated heading with `{{#{}}}`",
                page.rel, missing[0]
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::parse;

    #[test]
    fn a_translation_must_keep_the_english_heading_ids() {
        let page = |h2: &str| {
            parse(
                "part/ch.html",
                &format!("<main><h1 id=\"t\">T</h1><h2 id=\"the-idea\">x</h2>{h2}</main>"),
            )
        };
        let en = [page("<h2 id=\"what-to-notice\">What to notice</h2>")];
        let kept = [page("<h2 id=\"what-to-notice\">注意</h2>")];
        assert!(same_anchors(&en, &kept).is_empty());
        let lost = [page("<h2 id=\"注意\">注意</h2>")];
        let problems = same_anchors(&en, &lost);
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(problems[0].contains("{#what-to-notice}"), "{}", problems[0]);
    }
}
