//! The strict book build.
//!
//! `mdbook build` exits 0 even when a cmdrun directive failed: cmdrun embeds
//! a `cmdrun error` text instead. So the build here is followed by a check
//! that turns every such text, every directive left unexpanded and every
//! failed run logged by the wrapper into a failed build that names the
//! chapter, the command and the command's stderr. Before the build, every
//! directive is linted: it must carry an exit-code flag (`cmdrun -0 ...`) and
//! go through the wrapper (`cargo xtask ...`).

use crate::html::{self, Page};
use crate::i18n::{self, Edition};
use crate::source::{self, Directive};
use crate::tools::Tools;
use crate::{cjk_search, paths, process, wrapper};
use anyhow::{Context, Result, bail};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Problems with directives themselves, found before anything runs.
pub fn lint(directives: &[Directive], wrapper_prefix: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for d in directives {
        let place = format!("{}:{}", d.file.display(), d.line);
        if d.expect.is_none() {
            problems.push(format!(
                "{place}: `cmdrun {}` has no exit-code flag; write `cmdrun -0 {}` (or the code it must exit with)",
                d.command, d.command
            ));
        } else if !d.command.starts_with(wrapper_prefix) {
            problems.push(format!(
                "{place}: `{}` does not go through the wrapper; write `{wrapper_prefix}run-example NAME` or `{wrapper_prefix}cmd -- PROGRAM ARGS`",
                d.command
            ));
        }
    }
    problems
}

/// What a book build needs to know.
pub struct Build<'a> {
    /// The folder with `book.toml`.
    pub root: &'a Path,
    pub tools: &'a Tools,
    /// Directives must start with this (the real book: `cargo xtask `).
    pub wrapper_prefix: &'a str,
    /// Whether every example is already built in release.
    pub examples_prebuilt: bool,
    /// A translated edition (built into its folder below the English
    /// book's), or `None` for the English book.
    pub edition: Option<Edition>,
}

impl Build<'_> {
    /// Where this edition of the book is built.
    pub fn out(&self) -> Result<PathBuf> {
        let out = source::build_dir(self.root)?;
        Ok(match self.edition {
            Some(e) => out.join(e.code),
            None => out,
        })
    }
}

/// A book that built with every directive run cleanly, for the site checks.
#[derive(Debug)]
pub struct Built {
    /// The chapters' folder, and the built book's.
    pub src: PathBuf,
    pub out: PathBuf,
    pub directives: Vec<Directive>,
    /// Every good run of a directive, as the wrapper recorded it.
    pub records: Vec<wrapper::Record>,
    /// Every page of the built book, parsed.
    pub pages: Vec<Page>,
    /// The translated edition this is, or `None` for English.
    pub edition: Option<Edition>,
}

/// Lints the directives, builds the book, and fails on any directive that
/// failed, printed nothing or was left unexpanded. `Ok` means every
/// directive ran cleanly.
pub fn build(b: &Build) -> Result<Built> {
    let src = source::book_src(b.root)?;
    let out = b.out()?;
    let found = source::directives(&src)?;
    let problems = lint(&found, b.wrapper_prefix);
    if !problems.is_empty() {
        bail!(
            "the book's directives need fixing:\n  {}",
            problems.join("\n  ")
        );
    }

    let log_dir = paths::target_dir().join("cmdrun-log").join(format!(
        "{}-{}",
        std::process::id(),
        b.root.file_name().unwrap_or_default().to_string_lossy()
    ));
    let _ = fs::remove_dir_all(&log_dir);
    fs::create_dir_all(&log_dir)?;
    let record_dir = log_dir.join("good-runs");

    let mut cmd = Command::new(b.tools.mdbook());
    cmd.arg("build")
        .current_dir(b.root)
        .env("PATH", b.tools.path_env()?)
        .env(wrapper::ENV_LOG_DIR, &log_dir)
        .env(wrapper::ENV_RECORD_DIR, &record_dir)
        .env(wrapper::ENV_RUSTC_VERSION, rustc_version()?);
    if b.examples_prebuilt {
        cmd.env(wrapper::ENV_PREBUILT, "1");
    }
    if let Some(e) = b.edition {
        // mdBook wipes its build folder first: the English build, whose
        // folder holds this one, runs before it. mdbook-gettext reads
        // po/LANG.po for book.language; the directives then run in the
        // translated chapters, their output replayed from the same cache.
        i18n::configure(&mut cmd, b.root, e, &out)?;
        // The 404 page's <base href>: the edition's folder on the site.
        cmd.env(
            "MDBOOK_OUTPUT__HTML__SITE_URL",
            edition_site_url(b.root, e)?,
        );
    }
    process::run_visible(&mut cmd).context("mdbook build failed")?;
    if b.edition.is_some() {
        cjk_search::rebuild(&out)?;
    }

    let pages = html::pages(&out)?;
    let report = check_output(&src, &found, &wrapper::read_failures(&log_dir), &pages)?;
    let records = wrapper::read_records(&record_dir);
    let _ = fs::remove_dir_all(&log_dir);
    if let Some(report) = report {
        bail!("the book built, but embedded failures:\n{report}");
    }
    Ok(Built {
        src,
        out,
        directives: found,
        records,
        pages,
        edition: b.edition,
    })
}

/// The site-url of an edition: the English book's (`MDBOOK_OUTPUT__HTML__SITE_URL`,
/// else book.toml's, else `/`) with the edition's folder.
fn edition_site_url(root: &Path, e: Edition) -> Result<String> {
    let english = match std::env::var("MDBOOK_OUTPUT__HTML__SITE_URL") {
        Ok(url) => url,
        Err(_) => source::site_url(root)?,
    };
    Ok(format!("{}/{}/", english.trim_end_matches('/'), e.code))
}

/// Scans the rendered pages and the wrapper's failure log. Returns a report
/// naming chapter, command and stderr for every failure, or `None`.
pub fn check_output(
    src: &Path,
    found: &[Directive],
    failures: &[wrapper::Failure],
    pages: &[Page],
) -> Result<Option<String>> {
    let mut report = String::new();
    let mut explained = Vec::new();

    for f in failures {
        let matching = directives_of(found, f);
        let (place, command) = match matching.as_slice() {
            [] => (
                format!("a chapter in {} (run from {})", src.display(), f.cwd),
                f.command.clone(),
            ),
            [d, ..] => {
                explained.push(d.file.clone());
                let places: Vec<_> = matching
                    .iter()
                    .map(|d| format!("{}:{}", d.file.display(), d.line))
                    .collect();
                (places.join(", "), d.command.clone())
            }
        };
        writeln!(
            report,
            "\n{place}\n  command: {command}\n  problem: {}\n  stderr:\n{}",
            f.problem,
            indent(&f.stderr)
        )?;
    }

    for page in pages {
        let chapter = src.join(Path::new(&page.rel).with_extension("md"));
        // Pages with no chapter of their own (index.html is mdBook's copy of
        // the first chapter, 404.html is generated) repeat what is checked
        // elsewhere; failures the wrapper logged are reported above.
        if !chapter.is_file() || explained.contains(&chapter) {
            continue;
        }
        // cmdrun's error text, and a directive left as it was: as text
        // inside a code block, or as a comment where Markdown passed it on.
        let left = page
            .comments
            .iter()
            .find(|c| c.trim_start().starts_with("cmdrun "));
        let found = [
            (
                page.text
                    .find("cmdrun error")
                    .map(|at| page.text[at..].to_string()),
                "cmdrun reported an error",
            ),
            (
                page.text
                    .find("<!-- cmdrun")
                    .map(|at| page.text[at..].to_string())
                    .or(left.map(|c| format!("<!--{c}-->"))),
                "a directive was left unexpanded",
            ),
        ];
        for (excerpt, what) in found {
            if let Some(excerpt) = excerpt {
                let excerpt: String = excerpt.chars().take(600).collect();
                writeln!(
                    report,
                    "\n{} (page {}): {what}:\n{}",
                    chapter.display(),
                    page.rel,
                    indent(excerpt.trim())
                )?;
            }
        }
    }
    Ok((!report.is_empty()).then_some(report))
}

/// The directives a logged failure may have come from: same folder, and a
/// command that ends with what the wrapper was asked to run.
fn directives_of<'a>(found: &'a [Directive], f: &wrapper::Failure) -> Vec<&'a Directive> {
    let cwd = Path::new(&f.cwd).canonicalize().ok();
    found
        .iter()
        .filter(|d| {
            d.file.parent().and_then(|p| p.canonicalize().ok()) == cwd
                && d.command.ends_with(&f.command)
        })
        .collect()
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn rustc_version() -> Result<String> {
    let out = Command::new("rustc")
        .arg("-V")
        .output()
        .context("running rustc -V")?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lint_wants_a_flag_and_the_wrapper() {
        let found = source::tests::scan(
            "<!-- cmdrun -0 cargo xtask run-example a -->\n<!-- cmdrun cargo xtask run-example b -->\n<!-- cmdrun -0 ./prog -->\n",
        );
        let problems = lint(&found, "cargo xtask ");
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert!(problems[0].contains("no exit-code flag"), "{}", problems[0]);
        assert!(
            problems[1].contains("does not go through the wrapper"),
            "{}",
            problems[1]
        );
    }
}
