//! Exercises: the learner's progress, and the proof that every shipped stub
//! fails its tests while its solution passes exactly those tests.
//!
//! Each exercise is one test target (`exercises/tests/NAME.rs`) that pulls in
//! either the learner's file (`exercises/src/NAME.rs`) or, with the
//! `solutions` feature, the solution (`exercises/solutions/NAME.rs`). So
//! there is one copy of the tests, and one exercise that does not compile
//! cannot stop another from being checked. With `EXERCISE_WRONG=FILE`
//! (see `exercises/build.rs`), the same tests run against
//! `exercises/wrong/FILE.rs`, a realistic wrong solution, which the proof
//! shows failing, caught by the test its `//! caught by:` line names.

use crate::{paths, process};
use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

#[derive(Debug, Deserialize)]
pub struct Manifest {
    #[serde(rename = "exercise")]
    pub exercises: Vec<Exercise>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    pub name: String,
    /// The chapter that teaches it, as its title.
    pub chapter: String,
    /// One sentence: what the learner makes work.
    pub goal: String,
    /// From a nudge to nearly the answer.
    pub hints: Vec<String>,
    /// Only for a "make it compile" exercise: the shipped stub must fail to
    /// compile, with this text in the compiler's error.
    #[serde(default)]
    pub stub_error: Option<String>,
}

impl Exercise {
    pub fn stub(&self) -> PathBuf {
        dir().join("src").join(format!("{}.rs", self.name))
    }
    pub fn solution(&self) -> PathBuf {
        dir().join("solutions").join(format!("{}.rs", self.name))
    }
    pub fn tests(&self) -> PathBuf {
        dir().join("tests").join(format!("{}.rs", self.name))
    }
    /// Its wrong solutions, `exercises/wrong/NAME__MISTAKE.rs`, by name.
    pub fn wrong_solutions(&self) -> Result<Vec<Wrong>> {
        let prefix = format!("{}__", self.name);
        let mut found = Vec::new();
        for entry in fs::read_dir(dir().join("wrong"))? {
            let path = entry?.path();
            let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            if stem.starts_with(&prefix) && path.extension().is_some_and(|e| e == "rs") {
                let text = fs::read_to_string(&path)?;
                found.push(Wrong {
                    file: stem.to_string(),
                    caught_by: caught_by(&text).with_context(|| {
                        format!("{} has no `//! caught by: TEST` line", path.display())
                    })?,
                });
            }
        }
        found.sort_by(|a, b| a.file.cmp(&b.file));
        Ok(found)
    }
}

/// A wrong solution, and the test that must catch it.
#[derive(Debug)]
pub struct Wrong {
    /// `NAME__MISTAKE`, the file's stem and the value of `EXERCISE_WRONG`.
    pub file: String,
    pub caught_by: String,
}

/// The test named on a wrong solution's `//! caught by: TEST` line.
fn caught_by(text: &str) -> Option<String> {
    text.lines()
        .find_map(|l| l.strip_prefix("//! caught by:"))
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

fn dir() -> PathBuf {
    paths::root().join("exercises")
}

pub fn manifest() -> Result<Manifest> {
    let path = dir().join("exercises.toml");
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

/// `--test NAME` for every exercise whose shipped stub compiles: clippy
/// checks those, and leaves out the make-it-compile ones.
pub fn compiling_stub_targets() -> Result<Vec<String>> {
    Ok(manifest()?
        .exercises
        .iter()
        .filter(|e| e.stub_error.is_none())
        .flat_map(|e| ["--test".to_string(), e.name.clone()])
        .collect())
}

/// How one exercise's tests went.
#[derive(Debug)]
pub enum Outcome {
    Passed { tests: usize },
    Failed { output: String },
    DoesNotCompile { output: String },
}

/// Which code the tests run against.
#[derive(Clone, Copy, PartialEq)]
pub enum Side<'a> {
    Learner,
    Solution,
    /// `exercises/wrong/FILE.rs`, named by its stem.
    Wrong(&'a str),
}

fn cargo_test(name: &str, side: Side, extra: &[&str]) -> Command {
    let mut cmd = Command::new(paths::cargo());
    cmd.current_dir(paths::root())
        .args(["test", "--quiet", "-p", "exercises", "--test", name]);
    // Always set, so a value left in the caller's environment never swaps
    // in a wrong solution by accident.
    cmd.env("EXERCISE_WRONG", "");
    match side {
        Side::Learner => {}
        Side::Solution => {
            cmd.args(["--features", "solutions"]);
        }
        Side::Wrong(file) => {
            cmd.env("EXERCISE_WRONG", file);
        }
    }
    cmd.args(extra);
    cmd
}

/// Compiles, then runs, one exercise's tests.
pub fn check(name: &str, side: Side) -> Result<Outcome> {
    let limit = Duration::from_secs(300);
    let build = process::run_captured(&mut cargo_test(name, side, &["--no-run"]), limit)?;
    if !build.success() {
        return Ok(Outcome::DoesNotCompile {
            output: build.stderr_text(),
        });
    }
    let run = process::run_captured(&mut cargo_test(name, side, &[]), limit)?;
    let output = format!("{}{}", run.stdout_text(), run.stderr_text());
    let passed = count_after(&output, " passed;");
    let failed = count_after(&output, " failed;");
    Ok(if run.success() && passed > 0 && failed == 0 {
        Outcome::Passed { tests: passed }
    } else {
        Outcome::Failed { output }
    })
}

/// The tests libtest lists as failed: the names under the last
/// `failures:` line, each indented by four spaces.
fn failed_tests(output: &str) -> Vec<String> {
    let Some((_, tail)) = output.rsplit_once("\nfailures:\n") else {
        return Vec::new();
    };
    tail.lines()
        .take_while(|l| l.starts_with("    "))
        .map(|l| l.trim().to_string())
        .collect()
}

/// Sums N over libtest's `test result: ... N passed; M failed; ...` lines.
fn count_after(output: &str, label: &str) -> usize {
    output
        .lines()
        .filter(|l| l.starts_with("test result:"))
        .filter_map(|l| {
            let end = l.find(label)?;
            l[..end].rsplit(' ').next()?.parse::<usize>().ok()
        })
        .sum()
}

/// Every exercise in the manifest has its three files, and every test target
/// is in the manifest, with hints in layers.
pub fn check_layout(m: &Manifest) -> Result<()> {
    let mut problems = Vec::new();
    let mut names = BTreeSet::new();
    for e in &m.exercises {
        if !names.insert(e.name.as_str()) {
            problems.push(format!("{} is listed twice", e.name));
        }
        for file in [e.stub(), e.solution(), e.tests()] {
            if !file.is_file() {
                problems.push(format!("{}: missing {}", e.name, file.display()));
            }
        }
        // A wrong solution reaches its tests only through its own line in
        // the tests' file (see exercises/build.rs). Compared without
        // whitespace, since rustfmt breaks long attributes over lines.
        let squeeze = |t: &str| t.split_whitespace().collect::<String>();
        let tests = squeeze(&fs::read_to_string(e.tests()).unwrap_or_default());
        for w in e.wrong_solutions()? {
            let line = format!(
                "#[cfg_attr(wrong = \"{0}\", path = \"../wrong/{0}.rs\")]",
                w.file
            );
            if !tests.contains(&squeeze(&line)) {
                problems.push(format!(
                    "{}: {} needs the line `{line}` above its `mod`",
                    e.name,
                    e.tests().display()
                ));
            }
        }
        if e.hints.len() < 2 {
            problems.push(format!(
                "{}: give at least two hints, a nudge then more",
                e.name
            ));
        }
    }
    for entry in fs::read_dir(dir().join("tests"))? {
        let path = entry?.path();
        if let Some(stem) = path.file_stem().and_then(|s| s.to_str()) {
            if path.extension().is_some_and(|e| e == "rs") && !names.contains(stem) {
                problems.push(format!(
                    "{} is a test target with no entry in exercises/exercises.toml",
                    path.display()
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        bail!(
            "the exercises are not laid out right:\n  {}",
            problems.join("\n  ")
        )
    }
}

/// The hints as folded blocks for the book, so the book and
/// `cargo xtask exercises` show the same text from the one manifest.
pub fn hints_markdown(e: &Exercise) -> String {
    e.hints
        .iter()
        .enumerate()
        .map(|(i, hint)| {
            format!(
                "<details>\n<summary>Hint {}</summary>\n\n{hint}\n\n</details>\n\n",
                i + 1
            )
        })
        .collect()
}

/// `cargo xtask exercises`: the learner's progress.
pub fn progress() -> Result<()> {
    let m = manifest()?;
    let mut first_open = None;
    let mut done = 0;
    // Columns as wide as their longest entry, so long chapter titles never
    // run into the status.
    let name_w = m.exercises.iter().map(|e| e.name.len()).max().unwrap_or(0) + 2;
    let chapter_w = m
        .exercises
        .iter()
        .map(|e| e.chapter.len())
        .max()
        .unwrap_or(0)
        + 2;
    println!(
        "{:<4}{:<name_w$}{:<chapter_w$}status",
        "#", "exercise", "chapter"
    );
    for (i, e) in m.exercises.iter().enumerate() {
        // Remembered per file hash, so only exercises changed since their
        // last check are compiled again.
        let (status, _) = crate::progress::status(e, &m.exercises)?;
        if status == crate::progress::Status::Done {
            done += 1;
        }
        let status = status.label();
        if status != "done" && first_open.is_none() {
            first_open = Some(e);
        }
        println!(
            "{:<4}{:<name_w$}{:<chapter_w$}{status}",
            i + 1,
            e.name,
            e.chapter
        );
    }
    println!("\n{done}/{} done", m.exercises.len());
    match first_open {
        None => println!("Every exercise passes. Well done!"),
        Some(e) => {
            println!("\nNext: {} ({})", e.name, e.chapter);
            println!("  goal: {}", e.goal);
            println!("  edit: exercises/src/{}.rs", e.name);
            println!("  check: cargo test -p exercises --test {}", e.name);
            println!("  hint: {}", e.hints[0]);
            println!("  more: cargo xtask hint {} 2", e.name);
            println!("  loop: cargo xtask watch (re-runs the tests on every save)");
        }
    }
    Ok(())
}

/// `cargo xtask test`'s exercise proof, of every exercise or only of `only`.
pub fn prove(only: Option<&str>) -> Result<()> {
    let mut m = manifest()?;
    check_layout(&m)?;
    if let Some(name) = only {
        m.exercises.retain(|e| e.name == name);
        if m.exercises.is_empty() {
            bail!("no exercise `{name}` in exercises/exercises.toml");
        }
    }
    let mut problems = Vec::new();
    // All stubs first, then all solutions: switching the feature rebuilds
    // the crate, so group the runs by side.
    for e in &m.exercises {
        let outcome = check(&e.name, Side::Learner)?;
        if let Some(error) = &e.stub_error {
            match outcome {
                Outcome::DoesNotCompile { output } if output.contains(error.as_str()) => {
                    println!(
                        "  stub of {:<24} does not compile, as shipped: {error}",
                        e.name
                    )
                }
                other => problems.push(format!(
                    "the stub of {} must fail to compile with \"{error}\"; instead: {other:?}",
                    e.name
                )),
            }
            continue;
        }
        match outcome {
            Outcome::Failed { .. } => {
                println!("  stub of {:<24} fails its tests, as shipped", e.name)
            }
            Outcome::Passed { tests } => problems.push(format!(
                "the stub of {} passes its {tests} tests; a shipped stub must fail at least one",
                e.name
            )),
            Outcome::DoesNotCompile { output } => problems.push(format!(
                "the stub of {} does not compile; it must compile and fail its tests:\n{output}",
                e.name
            )),
        }
    }
    // Then every wrong solution: it must fail, and the test its file names
    // must be among the failures, so a wrong solution that only fails by
    // accident (a different test, a panic elsewhere) is reported.
    let mut wrong = 0;
    for e in &m.exercises {
        let wrongs = e.wrong_solutions()?;
        if wrongs.is_empty() {
            problems.push(format!(
                "{} has no wrong solution in exercises/wrong/{}__MISTAKE.rs",
                e.name, e.name
            ));
        }
        for w in wrongs {
            match check(&e.name, Side::Wrong(&w.file))? {
                Outcome::Failed { output } => {
                    let failed = failed_tests(&output);
                    if failed.contains(&w.caught_by) {
                        wrong += 1;
                        println!(
                            "  wrong {:<44} fails; caught by {} (failed: {})",
                            w.file,
                            w.caught_by,
                            failed.join(", ")
                        );
                    } else {
                        problems.push(format!(
                            "the wrong solution {} fails, but not by {}; failed: [{}]\n{output}",
                            w.file,
                            w.caught_by,
                            failed.join(", ")
                        ));
                    }
                }
                Outcome::Passed { tests } => problems.push(format!(
                    "the wrong solution {} passes all {tests} tests of {}: the tests miss its mistake",
                    w.file, e.name
                )),
                Outcome::DoesNotCompile { output } => problems.push(format!(
                    "the wrong solution {} does not compile; it must compile and fail:\n{output}",
                    w.file
                )),
            }
        }
    }
    for e in &m.exercises {
        match check(&e.name, Side::Solution)? {
            Outcome::Passed { tests } => {
                println!("  solution of {:<20} passes all {tests} tests", e.name)
            }
            Outcome::Failed { output } | Outcome::DoesNotCompile { output } => {
                problems.push(format!(
                    "the solution of {} does not pass its tests:\n{output}",
                    e.name
                ))
            }
        }
    }
    if problems.is_empty() {
        println!(
            "  {} exercises proven in both directions, and {wrong} wrong solutions rejected",
            m.exercises.len()
        );
        Ok(())
    } else {
        bail!("exercise proof failed:\n{}", problems.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_libtest_results() {
        let out = "running 2 tests\ntest result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n";
        assert_eq!(count_after(out, " passed;"), 1);
        assert_eq!(count_after(out, " failed;"), 1);
        assert_eq!(count_after("error[E0308]: mismatched types", " passed;"), 0);
    }

    #[test]
    fn lists_the_failed_tests() {
        let out = "running 3 tests\n.FF\nfailures:\n\n---- b stdout ----\npanicked\n\nfailures:\n    b\n    c\n\ntest result: FAILED. 1 passed; 2 failed; 0 ignored\n";
        assert_eq!(failed_tests(out), ["b", "c"]);
        assert!(failed_tests("test result: ok. 3 passed; 0 failed").is_empty());
    }

    #[test]
    fn reads_the_caught_by_line() {
        let text = "//! Wrong: checks, then acts.\n//! caught by: no_overdraft\nfn f() {}\n";
        assert_eq!(caught_by(text).as_deref(), Some("no_overdraft"));
        assert_eq!(caught_by("//! caught by:   \n"), None);
    }
}
