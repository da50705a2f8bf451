//! The browser test: the built book in Debian's headless Chromium.
//!
//! This side finds the browser and Node.js, installs the driver
//! (playwright-core, pinned by `xtask/browser/package-lock.json`, with
//! `npm ci`; it never downloads a browser), and writes the plan the script
//! `xtask/browser/check.mjs` follows: every page of the built book, what
//! every directive put into its page (from the strict book check), the
//! blocks that get a Run button, and the terms the search must find. The
//! plan is derived from the book itself, so new chapters are checked as
//! soon as they exist.
//!
//! Without Chromium the test skips loudly on a reader's machine, and fails
//! in CI (`CI=true`), where `.ci/run` installs it.

use crate::html::Page;
use crate::site::{Checked, content};
use crate::{paths, process};
use anyhow::{Context, Result, bail};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// Debian's Chromium; `COURSE_CHROMIUM` names another build of it.
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// playwright-core 1.65 needs Node.js 20 or newer.
const NODE_MAJOR: u32 = 20;

/// Terms a reader of this course searches for. Each is checked once the
/// book contains it; until then it is listed as not checked yet.
pub const KEY_TERMS: &[&str] = &[
    "concurrency",
    "parallelism",
    "Waker",
    "spawn_blocking",
    "JoinHandle",
    "JoinSet",
    "epoll",
    "Pin",
    "Amdahl",
    "Mutex",
    "backpressure",
    "asyncio",
    "oneshot",
    "reactor",
    "yield_now",
];

/// The Chinese edition's key terms (the glossary's words), checked like
/// [`KEY_TERMS`] and reported with what the search finds for each.
pub const KEY_TERMS_ZH: &[&str] = &["并发", "协程", "任务", "运行时", "唤醒器", "背压"];

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// How a browser test ended.
#[derive(Debug)]
pub enum Outcome {
    /// Chromium or Node.js is missing (and this is not CI): why.
    Skipped(String),
    Ran {
        passed: bool,
        /// What the test printed: its summary, notes and problems.
        report: String,
        elapsed: Duration,
    },
}

/// Runs the browser test on the course's freshly checked book, prints its
/// report, and fails if it failed. Skips loudly without Chromium, except in CI.
pub fn run(checked: &Checked) -> Result<()> {
    let work = paths::target_dir().join("browser");
    let work = match checked.built.edition {
        Some(e) => work.join(e.code),
        None => work,
    };
    match check(checked, &work)? {
        Outcome::Skipped(missing) => {
            eprintln!(
                "\n************************************************************************\n\
                 * SKIPPED: the browser test did not run: {missing}.\n\
                 * The link and output checks of the book did run. CI runs the browser.\n\
                 ************************************************************************\n"
            );
            Ok(())
        }
        Outcome::Ran {
            passed,
            report,
            elapsed,
        } => {
            print!("{report}");
            if !passed {
                bail!("the browser test failed (see above)");
            }
            println!("browser test: {elapsed:.1?} in all");
            Ok(())
        }
    }
}

/// Runs the browser test on a checked book, with its plan and screenshots in
/// `work`. Fails (rather than skipping) in CI when Chromium is missing.
pub fn check(checked: &Checked, work: &Path) -> Result<Outcome> {
    let chromium =
        PathBuf::from(std::env::var_os("COURSE_CHROMIUM").unwrap_or_else(|| CHROMIUM.into()));
    let missing = if !chromium.is_file() {
        Some(format!(
            "{} is not installed (Debian: `apt-get install chromium`)",
            chromium.display()
        ))
    } else {
        node_problem()
    };
    if let Some(missing) = missing {
        if in_ci() {
            bail!("the browser test cannot run in CI: {missing}");
        }
        return Ok(Outcome::Skipped(missing));
    }
    let driver = paths::root().join("xtask").join("browser");
    npm_ci(&driver)?;

    fs::create_dir_all(work)?;
    let plan = work.join("plan.json");
    fs::write(
        &plan,
        plan_json(checked, &chromium, &work.join("screenshots"))?,
    )?;

    let mut cmd = Command::new("node");
    cmd.arg(driver.join("check.mjs")).arg(&plan);
    eprintln!("$ {}", process::display(&cmd));
    let out = process::run_captured(&mut cmd, Duration::from_secs(600))?;
    let mut report = out.stdout_text();
    report.push_str(&out.stderr_text());
    if out.timed_out {
        report.push_str("\nthe browser test timed out after 600 s\n");
    }
    Ok(Outcome::Ran {
        passed: out.success(),
        report,
        elapsed: out.elapsed,
    })
}

/// Why Node.js cannot run the driver, if it cannot.
fn node_problem() -> Option<String> {
    let out = Command::new("node").arg("--version").output().ok();
    let Some(out) = out.filter(|o| o.status.success()) else {
        return Some("Node.js is not installed (Debian: `apt-get install nodejs npm`)".into());
    };
    let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let major: u32 = version
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    (major < NODE_MAJOR).then(|| {
        format!("Node.js {version} is too old for playwright-core (needs {NODE_MAJOR} or newer)")
    })
}

/// `npm ci` when `node_modules` does not match the lock file (a stamp with
/// the lock file's hash records the last install).
fn npm_ci(driver: &Path) -> Result<()> {
    let lock = fs::read(driver.join("package-lock.json")).context("reading the lock file")?;
    let hash = format!("{:x}", Sha256::digest(&lock));
    let stamp = driver.join("node_modules").join(".course-lock-hash");
    let installed = driver.join("node_modules/playwright-core/package.json");
    if installed.is_file() && fs::read_to_string(&stamp).is_ok_and(|s| s == hash) {
        return Ok(());
    }
    let mut cmd = Command::new("npm");
    cmd.current_dir(driver)
        .args(["ci", "--no-audit", "--no-fund"])
        // playwright-core downloads nothing; this says so twice.
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    eprintln!("$ {} (in {})", process::display(&cmd), driver.display());
    process::run_visible(&mut cmd).context("installing the browser driver")?;
    fs::write(stamp, hash)?;
    Ok(())
}

/// The plan `check.mjs` follows (it reads it with `JSON.parse`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Plan<'a> {
    /// The built book's folder, which the script serves.
    book: String,
    chromium: &'a Path,
    screenshots: &'a Path,
    screenshot_page: &'a str,
    pages: Vec<&'a str>,
    chapters: Vec<Chapter<'a>>,
    expectations: &'a [content::Expectation],
    searches: Vec<Search>,
    skipped_terms: Vec<String>,
    /// How many Run buttons each page must have.
    runnable: BTreeMap<String, usize>,
    /// The chapters' quizzes, to answer in the page.
    quizzes: Vec<crate::quizzes::Probe>,
    /// `en` or the translation's code, and the folder its pages are in
    /// below `book` (the English book's).
    edition: &'a str,
    base: String,
    /// The language switch each page must have, when the other edition is
    /// built beside this one.
    switch: Option<Switch>,
    /// The chapter and section the switch is tried from.
    switch_page: &'a str,
    switch_fragment: Option<&'a str>,
    /// Two characters the page's font must draw as distinct glyphs.
    cjk_sample: Option<String>,
    /// Terms whose results the report lists.
    report_terms: Vec<&'a str>,
}

#[derive(Serialize)]
struct Switch {
    base: String,
    label: &'static str,
    lang: &'static str,
}

#[derive(Serialize)]
struct Chapter<'a> {
    page: &'a str,
    title: &'a str,
}

/// A term the search must find, on one of `pages`.
#[derive(Serialize)]
struct Search {
    term: String,
    pages: Vec<String>,
}

/// The plan `check.mjs` follows, as JSON.
fn plan_json(checked: &Checked, chromium: &Path, screenshots: &Path) -> Result<String> {
    let pages = &checked.built.pages;
    let src = &checked.built.src;
    // Chapters: pages with a Markdown source (not index.html, print.html,
    // 404.html or toc.html), with their titles.
    let chapter_pages: Vec<&Page> = pages
        .iter()
        .filter(|p| src.join(Path::new(&p.rel).with_extension("md")).is_file())
        .collect();
    let chapters: Vec<Chapter> = chapter_pages
        .iter()
        .filter_map(|p| {
            Some(Chapter {
                page: &p.rel,
                title: p.h1.as_deref()?,
            })
        })
        .collect();
    // The search must find each key term the book contains, on one of the
    // pages that contain it, and each chapter by its title.
    let mut searches = Vec::new();
    let mut skipped_terms = Vec::new();
    let edition = checked.built.edition;
    let tokens: Vec<(&str, HashSet<String>)> = chapter_pages
        .iter()
        .map(|p| {
            let t = if edition.is_some() {
                cjk_search_tokens(&p.main_text)
            } else {
                search_tokens(&p.main_text)
            };
            (p.rel.as_str(), t)
        })
        .collect();
    let terms: Vec<&str> = match edition {
        Some(_) => KEY_TERMS_ZH.iter().chain(KEY_TERMS).copied().collect(),
        None => KEY_TERMS.to_vec(),
    };
    for term in terms {
        let lower = term.to_lowercase();
        // A CJK term is its bigrams, each of which the page must hold.
        let wanted = match edition {
            Some(_) => cjk_search_tokens(&lower),
            None => HashSet::from([lower.clone()]),
        };
        let having: Vec<String> = tokens
            .iter()
            .filter(|(rel, t)| {
                !wanted.is_empty()
                    && wanted.iter().all(|w| t.contains(w))
                    && chapter_pages
                        .iter()
                        .any(|p| p.rel == *rel && p.main_text.to_lowercase().contains(&lower))
            })
            .map(|(rel, _)| rel.to_string())
            .collect();
        if !having.is_empty() {
            searches.push(Search {
                term: term.to_string(),
                pages: having,
            });
            continue;
        }
        // mdBook's search indexes whole words: `tokio::task::spawn_blocking(f)`
        // is one word to it, so a term found only inside such paths is not
        // searchable yet. Say so, rather than pass or fail silently.
        let needle = content::words(&lower);
        let inside: Vec<&str> = chapter_pages
            .iter()
            .filter(|p| {
                content::contains_run(&content::words(&p.main_text.to_lowercase()), &needle)
            })
            .map(|p| p.rel.as_str())
            .collect();
        skipped_terms.push(if inside.is_empty() {
            format!("\"{term}\" is not in the book yet: not checked")
        } else {
            format!(
                "\"{term}\" appears only inside longer words (such as a path) in {}, which mdBook's search cannot find: not checked until a chapter names it on its own",
                inside.join(", ")
            )
        });
    }
    for c in &chapters {
        searches.push(Search {
            term: c.title.to_string(),
            pages: vec![c.page.to_string()],
        });
    }

    // The first chapter with a picture, else with a table, else the first.
    let with = |has: &dyn Fn(&Page) -> bool| {
        chapter_pages
            .iter()
            .find(|p| p.h1.is_some() && has(p))
            .map(|p| p.rel.as_str())
    };
    let shot = with(&|p| p.svgs > 0)
        .or_else(|| with(&|p| p.tables > 0))
        .or(chapters.first().map(|c| c.page))
        .context("the book has no chapter to take a screenshot of")?;

    let mut runnable: BTreeMap<String, usize> = BTreeMap::new();
    for r in &checked.runnable {
        *runnable.entry(r.page.clone()).or_default() += 1;
    }
    // print.html holds every chapter; index.html is a copy of the first.
    runnable.insert("print.html".into(), checked.runnable.len());
    let index_h1 = pages
        .iter()
        .find(|p| p.rel == "index.html")
        .and_then(|p| p.h1.as_deref());
    if let Some(first) = chapters.iter().find(|c| Some(c.title) == index_h1) {
        let n = runnable.get(first.page).copied().unwrap_or(0);
        runnable.insert("index.html".into(), n);
    }

    // The English book holds the translations' folders.
    let out = checked.built.out.canonicalize()?;
    let (book, base) = match edition {
        Some(e) => (
            out.parent().context("a translation has a parent folder")?,
            format!("{}/", e.code),
        ),
        None => (out.as_path(), String::new()),
    };
    let switch = match edition {
        Some(_) => Some(Switch {
            base: String::new(),
            label: "English",
            lang: "en",
        }),
        None => crate::i18n::EDITIONS
            .first()
            .filter(|e| book.join(e.code).join("index.html").is_file())
            .map(|e| Switch {
                base: format!("{}/", e.code),
                label: "中文",
                lang: e.code,
            }),
    };
    let switch_fragment = pages
        .iter()
        .find(|p| p.rel == shot)
        .and_then(|p| p.heading_ids.get(1).or(p.heading_ids.first()))
        .map(String::as_str);
    let cjk_sample = edition.map(|_| "并发".to_string());
    let plan = Plan {
        book: book.display().to_string(),
        edition: edition.map_or("en", |e| e.code),
        base,
        switch,
        switch_page: shot,
        switch_fragment,
        cjk_sample,
        report_terms: match edition {
            Some(_) => KEY_TERMS_ZH.to_vec(),
            None => Vec::new(),
        },
        chromium,
        screenshots,
        screenshot_page: shot,
        pages: pages.iter().map(|p| p.rel.as_str()).collect(),
        chapters,
        expectations: &checked.expectations,
        searches,
        skipped_terms,
        runnable,
        quizzes: crate::quizzes::probes(src, &checked.built.out, edition.map(|e| e.code))?,
    };
    Ok(serde_json::to_string(&plan)? + "\n")
}

/// The words mdBook's search index holds for a text: elasticlunr splits on
/// whitespace and hyphens, trims non-word characters from both ends and
/// lowercases.
fn search_tokens(text: &str) -> HashSet<String> {
    text.split(|c: char| c.is_whitespace() || c == '-')
        .map(|w| w.trim_matches(|c: char| !(c.is_alphanumeric() || c == '_')))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The words of the Chinese edition's search index (`cjk_search`), after
/// its trimmer.
fn cjk_search_tokens(text: &str) -> HashSet<String> {
    crate::cjk_search::tokenize(text)
        .into_iter()
        .filter_map(crate::cjk_search::trim_unicode)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_tokens_are_whole_words() {
        let t =
            search_tokens("Use `spawn_blocking`, or tokio::task::spawn_blocking(f); non-blocking.");
        assert!(t.contains("spawn_blocking"));
        assert!(t.contains("blocking"));
        assert!(t.contains("tokio::task::spawn_blocking(f"));
        assert!(!t.contains("task"));
    }
}
