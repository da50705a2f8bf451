//! The strict book build.
//!
//! `mdbook build` exits 0 even when a cmdrun directive failed: cmdrun embeds
//! a `cmdrun error` text instead. So the build here is followed by a check
//! that turns every such text, every directive left unexpanded and every
//! failed run logged by the wrapper into a failed build that names the
//! chapter, the command and the command's stderr. Before the build, every
//! directive is linted: it must carry an exit-code flag (`cmdrun -0 ...`) and
//! go through the wrapper (`cargo xtask ...`).

use crate::tools::Tools;
use crate::{paths, process, site, wrapper};
use anyhow::{Context, Result, bail};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One `<!-- cmdrun ... -->` in a chapter's source.
#[derive(Debug, Clone, PartialEq)]
pub struct Directive {
    pub file: PathBuf,
    pub line: usize,
    /// The `-N` flag, when present.
    pub expect: Option<i32>,
    pub command: String,
}

/// Finds every directive in the Markdown files below `src`, the way cmdrun's
/// own pattern (`<!--[ ]*cmdrun (.*?)-->`) finds them.
pub fn directives(src: &Path) -> Result<Vec<Directive>> {
    let mut found = Vec::new();
    for file in files_with_extension(src, "md")? {
        let text = fs::read_to_string(&file)?;
        for (i, line) in text.lines().enumerate() {
            let mut rest = line;
            while let Some(start) = rest.find("<!--") {
                let after = rest[start + 4..].trim_start_matches(' ');
                let Some(body) = after.strip_prefix("cmdrun ") else {
                    rest = &rest[start + 4..];
                    continue;
                };
                let Some(end) = body.find("-->") else { break };
                let words: Vec<&str> = body[..end].split_whitespace().collect();
                let (expect, command) = match words.first() {
                    Some(flag) if flag.starts_with('-') && !flag.starts_with("--") => {
                        (flag[1..].parse().ok(), words[1..].join(" "))
                    }
                    _ => (None, words.join(" ")),
                };
                found.push(Directive {
                    file: file.clone(),
                    line: i + 1,
                    expect,
                    command,
                });
                rest = &body[end + 3..];
            }
        }
    }
    Ok(found)
}

/// Every file below `dir` whose name ends in `.ext`, sorted: the chapters'
/// sources (`md`) or the rendered pages (`html`).
pub fn files_with_extension(dir: &Path, ext: &str) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == ext) {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

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
}

/// What a clean build checked, for the browser test and for messages.
#[derive(Debug)]
pub struct Checked {
    /// The chapters' folder, and the built book's.
    pub src: PathBuf,
    pub out: PathBuf,
    pub links: site::LinkReport,
    /// What every directive put into its page.
    pub expectations: Vec<site::Expectation>,
    /// The code blocks that get the Playground's Run button.
    pub runnable: Vec<site::Runnable>,
}

/// Builds the book and checks the result: the directives, the Playground
/// rule, the build, every embedded output, every internal link and anchor.
/// `Ok` means a clean book.
pub fn build_and_check(b: &Build) -> Result<Checked> {
    let src = b.root.join(book_src(b.root)?);
    let out = b.root.join(build_dir(b.root)?);
    let found = directives(&src)?;
    let mut problems = lint(&found, b.wrapper_prefix);
    let (runnable, playground_problems) = site::playground_lint(&src, b.root)?;
    problems.extend(playground_problems);
    if !problems.is_empty() {
        bail!(
            "the book's directives and code blocks need fixing:\n  {}",
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
    process::run_visible(&mut cmd).context("mdbook build failed")?;

    let report = check_output(&src, &out, &found, &wrapper::read_failures(&log_dir))?;
    let records = wrapper::read_records(&record_dir);
    let _ = fs::remove_dir_all(&log_dir);
    if let Some(report) = report {
        bail!("the book built, but embedded failures:\n{report}");
    }

    // The pages as a reader gets them: is every program's output really in
    // its page, and does every link lead somewhere?
    let pages = site::pages(&out)?;
    let (expectations, mut problems) = site::expectations(&src, &out, &found, &records)?;
    problems.extend(site::check_content(&pages, &expectations));
    if !problems.is_empty() {
        bail!(
            "the book built, but some embedded output is missing from its page:\n  {}",
            problems.join("\n  ")
        );
    }
    // `- [Title]()` in SUMMARY.md: a chapter not written yet.
    let drafts = fs::read_to_string(src.join("SUMMARY.md"))
        .unwrap_or_default()
        .contains("]()");
    let links = site::check_links(&out, &src, drafts, &pages);
    if !links.problems.is_empty() {
        bail!(
            "the book built, but {} link(s) are broken:\n  {}",
            links.problems.len(),
            links.problems.join("\n  ")
        );
    }
    Ok(Checked {
        src,
        out,
        links,
        expectations,
        runnable,
    })
}

/// Scans the rendered HTML and the wrapper's failure log. Returns a report
/// naming chapter, command and stderr for every failure, or `None`.
pub fn check_output(
    src: &Path,
    out: &Path,
    found: &[Directive],
    failures: &[wrapper::Failure],
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

    for page in files_with_extension(out, "html")? {
        let rel = page.strip_prefix(out).unwrap_or(&page);
        let chapter = src.join(rel.with_extension("md"));
        // Pages with no chapter of their own (index.html is mdBook's copy of
        // the first chapter, 404.html is generated) repeat what is checked
        // elsewhere; failures the wrapper logged are reported above.
        if !chapter.is_file() || explained.contains(&chapter) {
            continue;
        }
        let html = fs::read_to_string(&page)?;
        for (needle, what) in [
            ("cmdrun error", "cmdrun reported an error"),
            ("&lt;!-- cmdrun", "a directive was left unexpanded"),
            ("<!-- cmdrun", "a directive was left unexpanded"),
        ] {
            if let Some(at) = html.find(needle) {
                let excerpt: String = unescape(&html[at..]).chars().take(600).collect();
                writeln!(
                    report,
                    "\n{} (page {}): {what}:\n{}",
                    chapter.display(),
                    rel.display(),
                    indent(&excerpt)
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

fn unescape(html: &str) -> String {
    html.replace("<strong>", "**")
        .replace("</strong>", "**")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn book_toml(root: &Path) -> Result<toml::Table> {
    let path = root.join("book.toml");
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    Ok(text.parse()?)
}

fn book_src(root: &Path) -> Result<String> {
    let t = book_toml(root)?;
    Ok(t.get("book")
        .and_then(|b| b.get("src"))
        .and_then(|s| s.as_str())
        .unwrap_or("src")
        .to_string())
}

fn build_dir(root: &Path) -> Result<String> {
    let t = book_toml(root)?;
    Ok(t.get("build")
        .and_then(|b| b.get("build-dir"))
        .and_then(|s| s.as_str())
        .unwrap_or("book")
        .to_string())
}

/// The built book's folder for the course itself.
pub fn course_output() -> Result<PathBuf> {
    Ok(paths::root().join(build_dir(&paths::root())?))
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

    fn scan(text: &str) -> Vec<Directive> {
        let dir =
            std::env::temp_dir().join(format!("xtask-scan-{}-{}", std::process::id(), text.len()));
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("ch.md"), text).unwrap();
        let found = directives(&dir).unwrap();
        fs::remove_dir_all(&dir).unwrap();
        found
    }

    #[test]
    fn finds_flags_and_commands() {
        let found = scan(
            "text\n```text\n<!-- cmdrun -0 cargo xtask run-example a -->\n```\n<!--cmdrun  -1 cargo xtask cmd -- x   y-->\n<!-- cmdrun echo hi -->\n<!-- not cmdrun -->\n",
        );
        let got: Vec<_> = found
            .iter()
            .map(|d| (d.line, d.expect, d.command.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (3, Some(0), "cargo xtask run-example a"),
                (5, Some(1), "cargo xtask cmd -- x y"),
                (6, None, "echo hi"),
            ]
        );
    }

    #[test]
    fn lint_wants_a_flag_and_the_wrapper() {
        let found = scan(
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
