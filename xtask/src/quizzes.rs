//! The chapters' quizzes (mdbook-quiz TOML under `book/quizzes/`), checked
//! against the compiler. The format is in `book/quizzes/README.md`.
//!
//! A Tracing question ("does it compile? what does it print?") names its
//! program by its `id`: `book/quizzes/programs/<id>.rs`. mdbook-quiz needs
//! the text inline, so the quiz repeats it and this check requires the two
//! to be equal, byte for byte. Each program is compiled by rustc twice:
//! edition 2024, the course's, and edition 2015, which is what mdbook-quiz
//! 0.4.0's own validator uses (bare `rustc main.rs`, no crates), so a
//! program that only one of them accepts is refused. A program that
//! compiles is run twice; both runs must print the quiz's `stdout` (compared
//! after trimming, as mdbook-quiz compares). One that does not compile must
//! fail first at the quiz's `lineNumber`.
//!
//! Translations live in `<lang>/` folders ([`TRANSLATIONS`]) and are
//! checked by [`check_translation`]: the same checks, and the same quiz as
//! the English one in everything but its words.
//!
//! Every question must carry its own `id`: mdbook-quiz writes a random one
//! into the source file otherwise, which would dirty git and make `serve`
//! rebuild.

use crate::{paths, process};
use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

#[derive(Debug, Deserialize)]
struct Quiz {
    questions: Vec<Question>,
}

#[derive(Debug, Deserialize)]
struct Question {
    #[serde(rename = "type")]
    kind: String,
    id: Option<String>,
    prompt: toml::Table,
    answer: toml::Table,
    context: Option<String>,
}

/// What the check found, for the report and the tests.
#[derive(Debug, Default)]
pub struct Summary {
    pub quizzes: usize,
    pub questions: usize,
    /// Tracing questions, each compiled (and run) by this check.
    pub proven: usize,
}

/// The folder of the book's quizzes.
pub fn quiz_dir() -> PathBuf {
    paths::root().join("book").join("quizzes")
}

/// The languages the quizzes are translated into, each in its own folder
/// `book/quizzes/<lang>/`, one file per English quiz, with the same name.
pub const TRANSLATIONS: [&str; 1] = ["zh-CN"];

/// Checks every `*.toml` in `dir` (the English quizzes, programs in
/// `dir/programs/`); returns all problems at once.
pub fn check(dir: &Path) -> Result<Summary> {
    let (summary, problems, _) = check_folder(dir, &dir.join("programs"))?;
    finish(summary, problems)
}

/// Checks the translation in `dir/<lang>/` as [`check`] checks the English
/// quizzes (its Tracing programs are the shared ones in `dir/programs/`;
/// ids unique within the language's folder), and checks that it is the
/// English quizzes' translation, question for question: every English quiz
/// has one and no other quiz is there; each has the same `id`s in the same
/// order and the same types; a Tracing question has the same program and
/// the same answer; every other field has the same shape (the same keys,
/// as many options, as many right answers, booleans and numbers equal).
/// Only the words may differ. And each names, by its hash, the English
/// text it translates, so that an edit to the English makes it stale.
pub fn check_translation(dir: &Path, lang: &str) -> Result<Summary> {
    let tr_dir = dir.join(lang);
    let (summary, mut problems, translated) = check_folder(&tr_dir, &dir.join("programs"))?;
    let english = parse_folder(dir, &mut problems)?;
    for (name, en) in &english {
        let Some(tr) = translated.get(name) else {
            problems.push(format!(
                "{}: no {lang} version of this quiz",
                dir.join(name).display()
            ));
            continue;
        };
        compare(en, tr, &tr_dir.join(name), &mut problems);
        if let Err(e) = check_source_hash(&dir.join(name), &tr_dir.join(name)) {
            problems.push(format!("{}: {e:#}", tr_dir.join(name).display()));
        }
    }
    for name in translated.keys().filter(|n| !english.contains_key(*n)) {
        problems.push(format!(
            "{}: no English quiz {name} to translate",
            tr_dir.join(name).display()
        ));
    }
    finish(summary, problems)
}

/// The line of a translated quiz that names the English text it was
/// translated from: an edit to the English quiz, even one that keeps its
/// shape, makes the translation stale until someone has brought it up to
/// date and written the new hash.
const SOURCE_HASH: &str = "# English sha256: ";

/// [`SOURCE_HASH`]'s line for the English quiz text `english`.
pub fn source_hash_line(english: &str) -> String {
    format!("{SOURCE_HASH}{:x}", Sha256::digest(english.as_bytes()))
}

fn check_source_hash(english: &Path, translated: &Path) -> Result<()> {
    let want = source_hash_line(&std::fs::read_to_string(english)?);
    let text = std::fs::read_to_string(translated)?;
    match text.lines().find(|l| l.starts_with(SOURCE_HASH)) {
        Some(line) if line.trim_end() == want => Ok(()),
        Some(_) => bail!(
            "{} has changed since it was translated: bring the translation up to date (`git log -p` on the English file shows what changed), then write `{want}`",
            english.display()
        ),
        None => bail!("no `{SOURCE_HASH}...` line naming the English text it translates: `{want}`"),
    }
}

fn finish(summary: Summary, problems: Vec<String>) -> Result<Summary> {
    if !problems.is_empty() {
        bail!(
            "{} quiz problem(s):\n  {}",
            problems.len(),
            problems.join("\n  ")
        );
    }
    Ok(summary)
}

/// Every `*.toml` quiz in `dir`, parsed, by file name; a file that does
/// not parse is a problem.
fn parse_folder(dir: &Path, problems: &mut Vec<String>) -> Result<BTreeMap<String, Quiz>> {
    let mut quizzes = BTreeMap::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let file = entry?.path();
        if file.extension().is_none_or(|x| x != "toml") {
            continue;
        }
        let text = std::fs::read_to_string(&file)?;
        match toml::from_str::<Quiz>(&text) {
            Ok(q) => {
                let name = file.file_name().unwrap_or_default().to_string_lossy();
                quizzes.insert(name.into_owned(), q);
            }
            Err(e) => problems.push(format!("{}: {e}", file.display())),
        }
    }
    Ok(quizzes)
}

/// Checks one folder of quizzes whose Tracing programs are in `programs`;
/// returns what it found, its problems and the parsed quizzes.
fn check_folder(
    dir: &Path,
    programs: &Path,
) -> Result<(Summary, Vec<String>, BTreeMap<String, Quiz>)> {
    let mut summary = Summary::default();
    let mut problems = Vec::new();
    let mut ids = HashSet::new();
    let quizzes = parse_folder(dir, &mut problems)?;
    for (name, quiz) in &quizzes {
        let file = dir.join(name);
        summary.quizzes += 1;
        for (n, q) in quiz.questions.iter().enumerate() {
            summary.questions += 1;
            let place = format!("{} question {}", file.display(), n + 1);
            let Some(id) = &q.id else {
                problems.push(format!(
                    "{place}: no `id` (mdbook-quiz would write one into the file)"
                ));
                continue;
            };
            if !ids.insert(id.clone()) {
                problems.push(format!("{place}: duplicate id `{id}`"));
            }
            if q.context.as_deref().is_none_or(|c| c.trim().is_empty()) {
                problems.push(format!("{place}: no `context` explaining the answer"));
            }
            if q.kind == "Tracing" {
                summary.proven += 1;
                if let Err(e) = check_tracing(programs, id, q) {
                    problems.push(format!("{place} (`{id}`): {e:#}"));
                }
            }
        }
    }
    Ok((summary, problems, quizzes))
}

/// Adds a problem for every way the translation `tr` (in `file`) is not
/// the English quiz `en` with its words translated.
fn compare(en: &Quiz, tr: &Quiz, file: &Path, problems: &mut Vec<String>) {
    let file = file.display();
    if en.questions.len() != tr.questions.len() {
        problems.push(format!(
            "{file}: {} questions, the English quiz has {}",
            tr.questions.len(),
            en.questions.len()
        ));
    }
    for (n, (e, t)) in en.questions.iter().zip(&tr.questions).enumerate() {
        let place = format!("{file} question {}", n + 1);
        if e.id != t.id {
            problems.push(format!(
                "{place}: id {:?}, the English question here is {:?}",
                t.id, e.id
            ));
        }
        if e.kind != t.kind {
            problems.push(format!(
                "{place}: type {}, the English question is {}",
                t.kind, e.kind
            ));
        }
        if e.kind == "Tracing" {
            if e.answer != t.answer {
                problems.push(format!(
                    "{place}: its answer differs from the English one (a Tracing answer is not translated)"
                ));
            }
            if e.prompt.get("program") != t.prompt.get("program") {
                problems.push(format!("{place}: its program differs from the English one"));
            }
        }
        let mut parts = vec![("prompt", &e.prompt, &t.prompt)];
        // A Tracing answer was compared whole above.
        if e.kind != "Tracing" {
            parts.push(("answer", &e.answer, &t.answer));
        }
        for (part, e, t) in parts {
            let (e, t) = (shape_of_table(e), shape_of_table(t));
            if e != t {
                problems.push(format!(
                    "{place}: its {part} is shaped {t}, the English one {e}"
                ));
            }
        }
    }
}

/// What must not change in translation: keys, how many items an array
/// has, and every value that is not text.
fn shape_of_table(t: &toml::Table) -> String {
    let fields: Vec<String> = t
        .iter()
        .map(|(k, v)| format!("{k}: {}", shape(v)))
        .collect();
    format!("{{{}}}", fields.join(", "))
}

fn shape(v: &toml::Value) -> String {
    match v {
        toml::Value::String(_) => "text".into(),
        toml::Value::Array(items) => {
            let items: Vec<String> = items.iter().map(shape).collect();
            format!("[{}]", items.join(", "))
        }
        toml::Value::Table(t) => shape_of_table(t),
        other => other.to_string(),
    }
}

fn check_tracing(programs: &Path, id: &str, q: &Question) -> Result<()> {
    let file = programs.join(format!("{id}.rs"));
    let program = std::fs::read_to_string(&file)
        .with_context(|| format!("a Tracing question's program lives in {}", file.display()))?;
    let inline = q
        .prompt
        .get("program")
        .and_then(|v| v.as_str())
        .unwrap_or("");
    if inline != program {
        bail!(
            "`prompt.program` differs from {}; copy the file into the quiz",
            file.display()
        );
    }
    let does_compile = q
        .answer
        .get("doesCompile")
        .and_then(|v| v.as_bool())
        .context("no boolean `answer.doesCompile`")?;
    let built = compile(&file, "2024")?;
    let built_2015 = compile(&file, "2015")?;
    if built.exe.is_some() != built_2015.exe.is_some() {
        bail!(
            "editions 2024 and 2015 disagree on whether it compiles; mdbook-quiz's validator uses 2015"
        );
    }
    match (does_compile, &built.exe) {
        (true, Some(exe)) => {
            let want = q
                .answer
                .get("stdout")
                .and_then(|v| v.as_str())
                .context("compiles but no `answer.stdout`")?;
            for run in 1..=2 {
                let out = process::run_captured(&mut Command::new(exe), Duration::from_secs(10))?;
                if !out.success() {
                    bail!("run {run} failed: {}", out.stderr_text());
                }
                let got = out.stdout_text();
                if got.trim() != want.trim() {
                    bail!("run {run} printed\n{got}\nbut the quiz says\n{want}");
                }
            }
        }
        (true, None) => bail!("the quiz says it compiles; rustc says\n{}", built.stderr),
        (false, Some(_)) => bail!("the quiz says it does not compile, but it does"),
        (false, None) => {
            if q.answer.contains_key("stdout") {
                bail!("does not compile but has an `answer.stdout`");
            }
            let want = q
                .answer
                .get("lineNumber")
                .and_then(|v| v.as_integer())
                .context("does not compile but no `answer.lineNumber`")?;
            let got = first_error_line(&built.stderr)
                .with_context(|| format!("no error line in rustc's output:\n{}", built.stderr))?;
            if got != want {
                bail!(
                    "the first error is on line {got}, the quiz says {want}:\n{}",
                    built.stderr
                );
            }
        }
    }
    Ok(())
}

struct Built {
    exe: Option<PathBuf>,
    stderr: String,
    dir: PathBuf,
}

impl Drop for Built {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Builds `file` into a fresh folder under `target/quizzes/` (never
/// `-o /dev/null`: see `harness::snippet`).
fn compile(file: &Path, edition: &str) -> Result<Built> {
    static RUN: AtomicUsize = AtomicUsize::new(0);
    let out_dir = paths::target_dir().join("quizzes").join(format!(
        "{}-{}",
        std::process::id(),
        RUN.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&out_dir)?;
    let exe = out_dir.join(format!("program{}", std::env::consts::EXE_SUFFIX));
    let mut cmd = Command::new("rustc");
    cmd.args([
        "--edition",
        edition,
        "--error-format",
        "short",
        "-A",
        "warnings",
        "-o",
    ])
    .arg(&exe)
    .arg(file);
    let out = process::run_captured(&mut cmd, Duration::from_secs(120))?;
    Ok(Built {
        exe: out.success().then_some(exe),
        stderr: out.stderr_text(),
        dir: out_dir,
    })
}

/// The line of rustc's first error in `--error-format short`:
/// `path/to/file.rs:LINE:COL: error[E0382]: ...`.
fn first_error_line(stderr: &str) -> Option<i64> {
    stderr
        .lines()
        .find(|l| l.contains(": error"))
        .and_then(|l| {
            let head = l.split(": error").next()?;
            let mut parts = head.rsplitn(3, ':');
            let _col = parts.next()?;
            parts.next()?.parse().ok()
        })
}

/// One quiz as the browser test answers it (see `check.mjs`, `quizzes`).
#[derive(Debug, Serialize)]
pub struct Probe {
    /// The built page, relative to the book's output folder.
    pub page: String,
    pub questions: Vec<ProbeQuestion>,
}

/// A question with its right answer (and, for a multiple-choice one, a
/// wrong one), in the form mdbook-quiz's page uses.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProbeQuestion {
    kind: String,
    answer: Option<String>,
    distractor: Option<String>,
    does_compile: Option<bool>,
    stdout: Option<String>,
    line_number: Option<i64>,
    context: String,
}

/// Every chapter under `src` built into `out` with a `{{#quiz PATH}}`,
/// and its quiz. A Markdown file that is not a chapter (this folder's
/// README shows the directive) has no page and is skipped.
/// `lang` names a translated edition: its quizzes are the translations in
/// `book/quizzes/<lang>/`, which its translated directives name.
pub fn probes(src: &Path, out: &Path, lang: Option<&str>) -> Result<Vec<Probe>> {
    let mut probes = Vec::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|x| x != "md") {
                continue;
            }
            let page = path
                .strip_prefix(src)?
                .with_extension("html")
                .to_string_lossy()
                .replace('\\', "/");
            if !out.join(&page).is_file() {
                continue;
            }
            let text = std::fs::read_to_string(&path)?;
            let Some(start) = text.find("{{#quiz ") else {
                continue;
            };
            let rest = &text[start + "{{#quiz ".len()..];
            let quiz_rel = rest.split("}}").next().unwrap_or("").trim();
            let mut quiz_path = path.parent().unwrap_or(src).join(quiz_rel);
            if let (Some(code), Some(dir), Some(name)) =
                (lang, quiz_path.parent(), quiz_path.file_name())
            {
                quiz_path = dir.join(code).join(name);
            }
            let quiz: Quiz = toml::from_str(&std::fs::read_to_string(&quiz_path)?)
                .with_context(|| format!("parsing {}", quiz_path.display()))?;
            let str_of =
                |t: &toml::Table, k: &str| t.get(k).and_then(|v| v.as_str()).map(String::from);
            let questions = quiz
                .questions
                .iter()
                .map(|q| ProbeQuestion {
                    kind: q.kind.clone(),
                    answer: str_of(&q.answer, "answer"),
                    distractor: q
                        .prompt
                        .get("distractors")
                        .and_then(|v| v.as_array())
                        .and_then(|a| a.first())
                        .and_then(|v| v.as_str())
                        .map(String::from),
                    does_compile: q.answer.get("doesCompile").and_then(|v| v.as_bool()),
                    stdout: str_of(&q.answer, "stdout"),
                    line_number: q.answer.get("lineNumber").and_then(|v| v.as_integer()),
                    context: q.context.clone().unwrap_or_default(),
                })
                .collect();
            probes.push(Probe { page, questions });
        }
    }
    probes.sort_by(|a, b| a.page.cmp(&b.page));
    Ok(probes)
}

#[cfg(test)]
mod tests {
    use super::first_error_line;

    #[test]
    fn reads_the_first_error_line() {
        let s = "p.rs:7:20: error[E0382]: borrow of moved value: `v`\np.rs:9:1: error: x\n";
        assert_eq!(first_error_line(s), Some(7));
        assert_eq!(first_error_line("warning only\n"), None);
    }
}

/// The files mdbook-quiz links from every chapter with a quiz.
const ASSETS: [&str; 2] = ["quiz-embed.iife.js", "style.css"];

/// The tag mdbook-quiz 0.4.0 (through mdbook-preprocessor-utils 0.2.0)
/// appends to a chapter for `asset`, reached through `prefix`.
fn asset_tag(prefix: &str, asset: &str) -> String {
    if asset.ends_with(".js") {
        format!(r#"<script type="text/javascript" src="{prefix}quiz/{asset}"></script>"#)
    } else {
        format!(r#"<link rel="stylesheet" type="text/css" href="{prefix}quiz/{asset}">"#)
    }
}

/// Removes mdbook-quiz's own asset tags from a chapter's Markdown.
///
/// mdbook-quiz links its script and style with a path that climbs the
/// chapter's folder depth (`../quiz/…` from `io/event-loop.md`). That path
/// is wrong wherever mdBook shows the chapter from another folder: in
/// `index.html` (a copy of the first chapter, at the root) and in
/// `print.html` (every chapter, at the root). So book.toml loads both files
/// on every page instead, through `additional-js` and `additional-css`,
/// which mdBook writes relative to each page, and this removes the
/// chapter's own tags.
pub fn strip_asset_tags(content: &str) -> String {
    let mut out = content.to_string();
    for depth in 0..8 {
        let prefix = "../".repeat(depth);
        for asset in ASSETS {
            out = out.replace(&asset_tag(&prefix, asset), "");
        }
    }
    out
}

/// The `quiz-assets` preprocessor: reads mdBook's `[context, book]` JSON
/// and returns the book with [`strip_asset_tags`] applied to every chapter.
pub fn preprocess(input: &str) -> Result<String> {
    let (_ctx, mut book): (serde_json::Value, serde_json::Value) = serde_json::from_str(input)
        .context("mdBook's preprocessor input is not [context, book]")?;
    fn walk(items: &mut serde_json::Value) {
        let Some(items) = items.as_array_mut() else {
            return;
        };
        for item in items {
            if let Some(ch) = item.get_mut("Chapter") {
                if let Some(content) = ch.get("content").and_then(|c| c.as_str()) {
                    ch["content"] = strip_asset_tags(content).into();
                }
                if let Some(sub) = ch.get_mut("sub_items") {
                    walk(sub);
                }
            }
        }
    }
    walk(&mut book["sections"]);
    Ok(serde_json::to_string(&book)?)
}

#[cfg(test)]
mod asset_tests {
    use super::*;

    #[test]
    fn strips_the_tags_at_every_depth_and_nothing_else() {
        let chapter = format!(
            "# Title\n\nText with quiz/style.css named.\n\n{}{}",
            asset_tag("../", ASSETS[0]),
            asset_tag("../", ASSETS[1])
        );
        assert_eq!(
            strip_asset_tags(&chapter),
            "# Title\n\nText with quiz/style.css named.\n\n"
        );
        let root = asset_tag("", ASSETS[0]);
        assert_eq!(strip_asset_tags(&root), "");
        let deep = asset_tag("../../../", ASSETS[1]);
        assert_eq!(strip_asset_tags(&deep), "");
    }

    #[test]
    fn preprocess_walks_nested_chapters() {
        let tag = asset_tag("../", ASSETS[0]);
        let input = serde_json::json!([
            {"root": "."},
            {"sections": [
                {"Chapter": {"content": format!("a{tag}"), "sub_items": [
                    {"Chapter": {"content": format!("b{tag}"), "sub_items": []}}
                ]}},
                "Separator",
                {"PartTitle": "Part"}
            ], "__non_exhaustive": null}
        ]);
        let out: serde_json::Value =
            serde_json::from_str(&preprocess(&input.to_string()).unwrap()).unwrap();
        assert_eq!(out["sections"][0]["Chapter"]["content"], "a");
        assert_eq!(
            out["sections"][0]["Chapter"]["sub_items"][0]["Chapter"]["content"],
            "b"
        );
        assert_eq!(out["sections"][1], "Separator");
    }
}
