//! Every cmdrun directive of every rendered chapter produced non-empty
//! content that is really in its page: the words of the program's output,
//! in order, and its SVG pictures. What to expect comes from the chapter
//! sources and from what each directive really printed (the wrapper records
//! every good run, see [`wrapper::ENV_RECORD_DIR`]), so no list of chapters
//! is kept anywhere.

use crate::html::{self, Page};
use crate::source::{self, Directive};
use crate::wrapper;
use anyhow::Result;
use serde::Serialize;
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Text as a list of words (letters and digits), the unit the content
/// checks compare: it ignores markup, whitespace and punctuation, which
/// Markdown rendering changes, and keeps everything a reader reads.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether `needle` appears as a contiguous run in `hay`.
pub fn contains_run(hay: &[String], needle: &[String]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

/// What one directive must have put into its page (the browser test's plan
/// holds these too).
#[derive(Debug, Clone, Serialize)]
pub struct Expectation {
    /// The page, below the output folder (`part/chapter.html`).
    pub page: String,
    /// `chapter.md:LINE`, for messages.
    pub place: String,
    pub command: String,
    /// The words of the output, in order, as a reader sees them.
    pub words: Vec<String>,
    /// How many `<svg>` pictures the output holds.
    pub svgs: usize,
}

/// The words a directive's output shows in the page. Outside a code fence
/// the output is Markdown (or inline HTML such as SVG), rendered as mdBook
/// renders it: its tags and link targets are not text. Inside a fence it is
/// shown as is.
fn output_words(output: &str, fenced: bool) -> Vec<String> {
    if fenced {
        words(output)
    } else {
        words(&html::fragment_text(&source::render(output)))
    }
}

/// Derives, from the chapter sources and the wrapper's records, what every
/// directive of every rendered chapter must have put into its page. Returns
/// the expectations and the problems found on the way (a directive with no
/// good run recorded, an SVG that Markdown will break).
pub fn expectations(
    src: &Path,
    out: &Path,
    found: &[Directive],
    records: &[wrapper::Record],
) -> Result<(Vec<Expectation>, Vec<String>)> {
    let mut expected = Vec::new();
    let mut problems = Vec::new();
    let mut fences: HashMap<PathBuf, Vec<source::Fence>> = HashMap::new();
    for d in found {
        let rel = d.file.strip_prefix(src).unwrap_or(&d.file);
        let page = rel
            .with_extension("html")
            .to_string_lossy()
            .replace('\\', "/");
        // A Markdown file that is not in SUMMARY.md (a snippet's notes, a
        // draft) is not rendered, and cmdrun never runs its directives.
        if !out.join(&page).is_file() {
            continue;
        }
        let place = format!("{}:{}", d.file.display(), d.line);
        if !fences.contains_key(&d.file) {
            let text = fs::read_to_string(&d.file)?;
            fences.insert(d.file.clone(), source::fences(&text));
        }
        let fenced = fences[&d.file].iter().any(|f| f.holds(d.line));
        let Some(wanted) = d.words() else {
            problems.push(format!(
                "{place}: `{}` has an unclosed quote; the shell cannot run it",
                d.command
            ));
            continue;
        };
        let cwd = d.file.parent().and_then(|p| p.canonicalize().ok());
        // The record of this directive: same folder, and xtask's arguments
        // found, in one run, among the directive's words (a redirection
        // such as `2>&1` may follow them). The longest such match wins, so
        // `run-example a -- --demo` is not taken for `run-example a`.
        let record = records
            .iter()
            .filter(|r| {
                !r.argv.is_empty()
                    && wanted.windows(r.argv.len()).any(|w| w == r.argv.as_slice())
                    && Path::new(&r.cwd).canonicalize().ok() == cwd
            })
            .max_by_key(|r| r.argv.len());
        let Some(record) = record else {
            problems.push(format!(
                "{place}: `{}` left no record of a good run: did cmdrun run it?",
                d.command
            ));
            continue;
        };
        let svgs = record.stdout.matches("<svg").count();
        if svgs > 0 {
            if fenced {
                problems.push(format!(
                    "{place}: `{}` prints SVG inside a code fence, where it shows as text: put the directive outside the fence",
                    d.command
                ));
            }
            for svg in svg_sources(&record.stdout) {
                if svg.lines().any(|l| l.trim().is_empty()) {
                    problems.push(format!(
                        "{place}: `{}` prints an SVG with a blank line inside; Markdown ends the picture there. Print no blank lines inside <svg>",
                        d.command
                    ));
                }
                if !svg.contains("viewBox") {
                    problems.push(format!(
                        "{place}: `{}` prints an SVG without a viewBox; it cannot scale to a phone's width",
                        d.command
                    ));
                }
            }
        }
        expected.push(Expectation {
            page,
            place,
            command: d.command.clone(),
            words: output_words(&record.stdout, fenced),
            svgs,
        });
    }
    Ok((expected, problems))
}

fn svg_sources(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(s) = rest.find("<svg") {
        let e = rest[s..].find("</svg>").map_or(rest.len(), |e| s + e + 6);
        found.push(&rest[s..e]);
        rest = &rest[e..];
    }
    found
}

/// Checks that every expectation is met by the rendered pages. Returns one
/// line per unmet expectation, naming chapter, command and page.
pub fn check(pages: &[Page], expected: &[Expectation]) -> Vec<String> {
    let by_rel: HashMap<&str, &Page> = pages.iter().map(|p| (p.rel.as_str(), p)).collect();
    let mut page_words: HashMap<&str, Vec<String>> = HashMap::new();
    let mut svgs_wanted: HashMap<&str, usize> = HashMap::new();
    let mut problems = Vec::new();
    for e in expected {
        let Some(page) = by_rel.get(e.page.as_str()) else {
            problems.push(format!("{}: page {} is missing", e.place, e.page));
            continue;
        };
        *svgs_wanted.entry(&e.page).or_default() += e.svgs;
        let hay = page_words
            .entry(&e.page)
            .or_insert_with(|| words(&page.main_text));
        if e.words.is_empty() && e.svgs == 0 {
            problems.push(format!(
                "{}: `{}` embedded no text and no picture in {}",
                e.place, e.command, e.page
            ));
        } else if !contains_run(hay, &e.words) {
            let more = if e.words.len() > 12 { " ..." } else { "" };
            let excerpt = e.words[..e.words.len().min(12)].join(" ") + more;
            problems.push(format!(
                "{}: the output of `{}` is not in the page {} (looked for: {excerpt})",
                e.place, e.command, e.page
            ));
        }
    }
    for (page, wanted) in svgs_wanted {
        let have = by_rel[page].svgs;
        if have < wanted {
            problems.push(format!(
                "{page}: its directives printed {wanted} SVG picture(s), the page holds {have}"
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        words(s)
    }

    #[test]
    fn output_words_drop_markup_outside_fences_only() {
        assert_eq!(output_words("if a < b and 1<2", false), w("if a b and 1 2"));
        assert_eq!(
            output_words("`sum::<u64>()` gives `Result<T, E>`, <b>bold</b>", false),
            w("sum u64 gives Result T E bold")
        );
        let md = "<details>\n<summary>Hint 1</summary>\n\nUse [join](https://x.y/z) &amp; `wait`.\n</details>";
        assert_eq!(output_words(md, false), w("Hint 1 Use join & wait"));
        assert_eq!(output_words("a <b> c", true), w("a b c"));
    }

    #[test]
    fn runs_are_contiguous() {
        assert!(contains_run(&w("a b c d"), &w("b c")));
        assert!(!contains_run(&w("a b c d"), &w("b d")));
    }
}
