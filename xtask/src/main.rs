//! `cargo xtask`: everything the course needs beyond cargo itself.
//!
//! ```text
//! cargo xtask serve          read the course at http://localhost:3000
//! cargo xtask test           every check CI runs
//! cargo xtask exercises      your progress through the exercises
//! cargo xtask watch          the exercise loop: its tests re-run on every save
//! cargo xtask hint NAME [N]  an exercise's hints, one layer at a time
//! cargo xtask reset NAME     put an exercise's shipped stub back
//! cargo xtask prove-exercises  stubs and wrong solutions fail, solutions pass
//! cargo xtask book           build the book strictly (fails on any failed program), English and Chinese
//! cargo xtask book --lang zh-CN  only the Chinese edition (target/book/zh-CN/)
//! cargo xtask i18n update    regenerate po/messages.pot and merge it into po/zh-CN.po
//! cargo xtask i18n check     the translation complete, current and keeping its markup
//! cargo xtask browser        the built book in headless Chromium
//! cargo xtask install-tools  install the pinned mdbook, cmdrun, quiz and i18n-helpers
//! ```

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};
use xtask::{book, browser, exercises, i18n, paths, process, site, tools, watch, wrapper};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "The course's own automation",
    version
)]
struct Cli {
    #[command(subcommand)]
    command: Task,
}

#[derive(Subcommand)]
enum I18nAction {
    /// Regenerate po/messages.pot from the English chapters and merge it into every po/LANG.po
    Update,
    /// Fail unless every translation is complete, current (no fuzzy, no missing message) and keeps its markup
    Check,
}

#[derive(Subcommand)]
enum Task {
    /// Install the pinned book tools (mdbook, cmdrun, quiz, i18n-helpers) into .tools/ (unless you already have exactly those)
    InstallTools,
    /// Build the examples in release, then the book; fail on any failed or silent program
    Book {
        /// Rerun every program instead of reusing cached output
        #[arg(long)]
        fresh: bool,
        /// Only this edition: `en`, or a translation (`zh-CN`); both without it
        #[arg(long)]
        lang: Option<String>,
    },
    /// Build the examples, then serve the book on http://localhost:3000
    Serve {
        /// Open the book in your browser
        #[arg(long)]
        open: bool,
        #[arg(long, default_value_t = 3000)]
        port: u16,
        /// Serve this edition (`zh-CN`) instead of the English one
        #[arg(long)]
        lang: Option<String>,
    },
    /// The translations' gettext catalogues (po/)
    I18n {
        #[command(subcommand)]
        action: I18nAction,
    },
    /// Run every check CI runs: fmt, clippy, tests, the exercise proof, the strict book build, the browser test
    Test,
    /// Build the book strictly, then load every page in headless Chromium and check what a reader sees
    Browser,
    /// Show which exercises you have done, and a hint for the next one
    Exercises,
    /// Work through the exercises: re-run the current one's tests on every save (keys: h hint, l list, n next, r re-run, q quit)
    Watch {
        /// No file watcher: press r after saving (for file systems that miss events, such as WSL2 on a Windows drive)
        #[arg(long)]
        manual: bool,
        /// Open on this exercise instead of the first one that does not pass yet
        name: Option<String>,
    },
    /// Print an exercise's hint N (1 is a nudge; the last is nearly the answer)
    Hint {
        /// The exercise's name
        name: String,
        /// Which hint, from 1
        n: Option<usize>,
    },
    /// Restore an exercise's file to the shipped stub (asks first if you changed it)
    Reset {
        /// The exercise's name
        name: String,
        /// Replace a changed file without asking
        #[arg(long)]
        yes: bool,
    },
    /// Prove the exercises only: every stub and wrong solution fails its tests, every solution passes
    ProveExercises {
        /// Only this exercise
        name: Option<String>,
    },
    /// (For book directives) print an exercise's hints from exercises/exercises.toml, as folded blocks
    Hints {
        /// The exercise's name
        name: String,
    },
    /// (For book directives) run an example's release build with a time limit and cache
    RunExample {
        /// The example's name, as in `cargo run --example NAME`
        name: String,
        /// Seconds before the program is stopped and the directive fails
        #[arg(long, default_value_t = 60)]
        timeout: u64,
        /// Arguments for the program
        #[arg(last = true)]
        args: Vec<String>,
    },
    /// (For book directives) compile a snippet (edition 2024, a library) and print the compiler's diagnostics
    Rustc {
        /// The exit code a good run ends with: 1, for a snippet shown failing
        #[arg(long, default_value_t = 1)]
        expect_exit: i32,
        /// The snippet, relative to the chapter's folder
        file: String,
    },
    /// (mdBook preprocessor) remove mdbook-quiz's per-chapter asset tags; book.toml loads them on every page
    #[command(hide = true)]
    QuizAssets {
        /// mdBook asks `supports RENDERER` first
        args: Vec<String>,
    },
    /// (For book directives) run any command with a time limit and cache
    Cmd {
        #[arg(long, default_value_t = 60)]
        timeout: u64,
        /// The exit code a good run ends with (for programs shown failing on purpose)
        #[arg(long, default_value_t = 0)]
        expect_exit: i32,
        /// The program and its arguments
        #[arg(last = true, required = true)]
        command: Vec<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(task: Task) -> Result<ExitCode> {
    match task {
        Task::InstallTools => {
            let t = tools::ensure()?;
            let names: Vec<String> = tools::PINNED
                .iter()
                .map(|(name, version)| format!("{name} {version}"))
                .collect();
            println!(
                "{} are ready in {} ({})",
                names.join(", "),
                t.bin_dir.display(),
                t.origin
            );
        }
        Task::Book { fresh, lang } => {
            let Ok(which) = editions(lang.as_deref()) else {
                return Ok(ExitCode::from(2));
            };
            build_book(fresh, &which)?;
        }
        Task::Serve { open, port, lang } => {
            let edition = match lang.as_deref().map(i18n::edition) {
                None => None,
                Some(Ok(e)) => Some(e),
                Some(Err(why)) => {
                    eprintln!("error: {why}");
                    return Ok(ExitCode::from(2));
                }
            };
            serve(open, port, edition)?
        }
        Task::I18n { action } => {
            let tools = tools::ensure()?;
            match action {
                I18nAction::Update => i18n::update(&paths::root(), &tools)?,
                I18nAction::Check => check_translations(&tools)?,
            }
        }
        Task::Test => test_all()?,
        Task::Browser => {
            for checked in build_book(false, &editions(None).expect("all editions"))? {
                browser::run(&checked)?;
            }
        }
        Task::Exercises => exercises::progress()?,
        Task::Watch { manual, name } => {
            if let Some(name) = &name {
                let m = exercises::manifest()?;
                if let Err(e) = watch::position(&m, name) {
                    eprintln!("error: {e}");
                    return Ok(ExitCode::from(2));
                }
            }
            watch::run(watch::Options {
                manual,
                start: name,
            })?;
        }
        Task::Hint { name, n } => return hint(&name, n),
        Task::Reset { name, yes } => return reset(&name, yes),
        Task::ProveExercises { name } => {
            let m = exercises::manifest()?;
            if let Some(name) = name
                .as_deref()
                .filter(|n| !m.exercises.iter().any(|e| e.name == *n))
            {
                eprintln!("error: no exercise `{name}` in exercises/exercises.toml");
                return Ok(ExitCode::from(2));
            }
            exercises::prove(name.as_deref())?
        }
        Task::Hints { name } => {
            let m = exercises::manifest()?;
            let Some(e) = m.exercises.iter().find(|e| e.name == name) else {
                eprintln!("error: no exercise `{name}` in exercises/exercises.toml");
                return Ok(ExitCode::from(2));
            };
            let text = exercises::hints_markdown(e);
            print!("{text}");
            wrapper::record(text.as_bytes())?;
        }
        Task::RunExample {
            name,
            timeout,
            args,
        } => {
            if !paths::root()
                .join("examples")
                .join(format!("{name}.rs"))
                .is_file()
            {
                eprintln!("error: there is no example `{name}` (no examples/{name}.rs)");
                return Ok(ExitCode::from(2));
            }
            let req = wrapper::Request {
                program: wrapper::build_example(&name)?,
                label: label(&format!("run-example {name}"), &args),
                args,
                expect_exit: 0,
                timeout: Duration::from_secs(timeout),
                compile_snippet: false,
            };
            return exit_with(wrapper::run(&req)?);
        }
        Task::QuizAssets { args } => {
            // mdBook first asks whether a renderer is supported: every one is.
            if args.first().map(String::as_str) == Some("supports") {
                return Ok(ExitCode::SUCCESS);
            }
            let mut input = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut input)?;
            print!("{}", xtask::quizzes::preprocess(&input)?);
        }
        Task::Cmd {
            timeout,
            expect_exit,
            command,
        } => {
            let req = wrapper::Request {
                program: PathBuf::from(&command[0]),
                args: command[1..].to_vec(),
                label: label("cmd --", &command),
                expect_exit,
                timeout: Duration::from_secs(timeout),
                compile_snippet: false,
            };
            return exit_with(wrapper::run(&req)?);
        }
        Task::Rustc { expect_exit, file } => {
            if !std::path::Path::new(&file).is_file() {
                eprintln!("error: no file {file}");
                return Ok(ExitCode::from(2));
            }
            let req = wrapper::Request {
                program: PathBuf::from("rustc"),
                label: label("rustc", std::slice::from_ref(&file)),
                args: vec![file],
                expect_exit,
                timeout: Duration::from_secs(120),
                compile_snippet: true,
            };
            return exit_with(wrapper::run(&req)?);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `cargo xtask hint NAME [N]`: one layer of an exercise's hints.
fn hint(name: &str, n: Option<usize>) -> Result<ExitCode> {
    let m = exercises::manifest()?;
    let Ok(i) = watch::position(&m, name) else {
        eprintln!("error: {}", watch::unknown(&m, name));
        return Ok(ExitCode::from(2));
    };
    let e = &m.exercises[i];
    let count = e.hints.len();
    let n = n.unwrap_or(1);
    if n == 0 || n > count {
        eprintln!("error: {name} has hints 1 to {count}, not {n}");
        return Ok(ExitCode::from(2));
    }
    println!("Hint {n} of {count} for {name}: {}", e.hints[n - 1]);
    if n < count {
        println!("\nMore: cargo xtask hint {name} {}", n + 1);
    } else {
        println!(
            "\nThat was the last hint; the solution is in the book, folded under the exercise."
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `cargo xtask reset NAME`: the stub as the course ships it, which is the
/// file as committed in this checkout (`git show HEAD:...`).
fn reset(name: &str, yes: bool) -> Result<ExitCode> {
    use std::io::{BufRead, IsTerminal, Write};
    let m = exercises::manifest()?;
    let Ok(i) = watch::position(&m, name) else {
        eprintln!("error: {}", watch::unknown(&m, name));
        return Ok(ExitCode::from(2));
    };
    let file = m.exercises[i].stub();
    let rel = format!("exercises/src/{name}.rs");
    let shown = Command::new("git")
        .current_dir(paths::root())
        .args(["show", &format!("HEAD:{rel}")])
        .output()
        .context("running git: reset takes the shipped stub from the course's git checkout")?;
    if !shown.status.success() {
        anyhow::bail!(
            "git has no committed {rel}: {}",
            String::from_utf8_lossy(&shown.stderr).trim()
        );
    }
    let current = std::fs::read(&file).unwrap_or_default();
    if current == shown.stdout {
        println!("{rel} is already the shipped stub.");
        return Ok(ExitCode::SUCCESS);
    }
    if !yes {
        if !std::io::stdin().is_terminal() {
            eprintln!("error: {rel} has changes of yours; add --yes to replace them with the stub");
            return Ok(ExitCode::from(2));
        }
        print!(
            "{rel} has changes of yours. Replace it with the shipped stub and lose them? [y/N] "
        );
        std::io::stdout().flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            println!("Left as it is.");
            return Ok(ExitCode::SUCCESS);
        }
    }
    std::fs::write(&file, &shown.stdout).with_context(|| format!("writing {rel}"))?;
    println!("{rel} is the shipped stub again.");
    Ok(ExitCode::SUCCESS)
}

/// How a directive spells the wrapped command, so a failure can be traced
/// back to its directive.
fn label(head: &str, args: &[String]) -> String {
    let mut words = vec![head.to_string()];
    words.extend(args.iter().map(|a| process::shell_quote(a)));
    words.join(" ")
}

fn exit_with(code: i32) -> Result<ExitCode> {
    Ok(ExitCode::from(u8::try_from(code).unwrap_or(1)))
}

fn cargo(args: &[&str]) -> Command {
    let mut cmd = Command::new(paths::cargo());
    cmd.current_dir(paths::root()).args(args);
    cmd
}

fn step(name: &str, mut cmd: Command) -> Result<()> {
    eprintln!("$ {}", process::display(&cmd));
    process::run_visible(&mut cmd).with_context(|| format!("{name} failed"))
}

fn build_examples() -> Result<()> {
    // Cargo's own progress stays visible: a first build takes minutes.
    step(
        "building the examples",
        cargo(&["build", "--release", "--examples"]),
    )
}

/// The editions a `--lang` names (`None`: English, then every translation),
/// or `Err` after saying why there is none.
fn editions(lang: Option<&str>) -> Result<Vec<Option<i18n::Edition>>, ()> {
    match lang {
        None => Ok(std::iter::once(None)
            .chain(i18n::EDITIONS.iter().copied().map(Some))
            .collect()),
        Some("en") => Ok(vec![None]),
        Some(code) => match i18n::edition(code) {
            Ok(e) => Ok(vec![Some(e)]),
            Err(why) => {
                eprintln!("error: {why} (or `en`)");
                Err(())
            }
        },
    }
}

/// `cargo xtask i18n check`: every translation complete, current and with
/// its markup intact; fails naming each chapter and message that is not.
fn check_translations(tools: &tools::Tools) -> Result<()> {
    let root = paths::root();
    let mut failed = Vec::new();
    for &e in i18n::EDITIONS {
        let work = paths::target_dir().join("i18n").join(e.code);
        let status = i18n::check(&root, tools, e, &work)?;
        println!(
            "{}: msgfmt --statistics: {}
{}: {} of the {} messages of the English text are translated and current",
            e.code, status.statistics, e.code, status.translated, status.messages
        );
        if !status.problems.is_empty() {
            const SHOWN: usize = 40;
            let mut lines: Vec<String> = status.problems.iter().take(SHOWN).cloned().collect();
            if status.problems.len() > SHOWN {
                lines.push(format!("... and {} more", status.problems.len() - SHOWN));
            }
            failed.push(format!(
                "{} problem(s) in the {} edition's translation:\n  {}",
                status.problems.len(),
                e.code,
                lines.join("\n  ")
            ));
        }
    }
    if !failed.is_empty() {
        anyhow::bail!(
            "{}\nUpdate with `cargo xtask i18n update`, translate in po/, then check again.",
            failed.join("\n")
        );
    }
    Ok(())
}

fn build_book(fresh: bool, which: &[Option<i18n::Edition>]) -> Result<Vec<site::Checked>> {
    let tools = tools::ensure()?;
    if fresh {
        let _ = std::fs::remove_dir_all(paths::cmdrun_cache());
    }
    build_examples()?;
    let root = paths::root();
    let mut all: Vec<site::Checked> = Vec::new();
    for &edition in which {
        let started = Instant::now();
        let checked = build_edition(&root, &tools, edition)?;
        println!(
            "({} built and checked in {:.1?})",
            edition.map_or("en", |e| e.code),
            started.elapsed()
        );
        if let (Some(e), Some(english)) = (edition, all.first()) {
            let problems = site::same_anchors(&english.built.pages, &checked.built.pages);
            if !problems.is_empty() {
                anyhow::bail!(
                    "the {} edition's headings do not keep the English anchors:\n  {}",
                    e.code,
                    problems.join("\n  ")
                );
            }
        }
        all.push(checked);
    }
    Ok(all)
}

fn build_edition(
    root: &std::path::Path,
    tools: &tools::Tools,
    edition: Option<i18n::Edition>,
) -> Result<site::Checked> {
    let checked = site::build_and_check(&book::Build {
        root,
        tools,
        wrapper_prefix: "cargo xtask ",
        examples_prebuilt: true,
        edition,
    })?;
    if let Some(e) = edition {
        println!(
            "{}: {}",
            i18n::po_file(root, e).display(),
            i18n::statistics(&i18n::po_file(root, e))?
        );
    }
    println!(
        "The book is in {}; every embedded program ran cleanly and its output is in its page \
         ({} outputs); {} pages, {} internal links and {} anchors resolve; {} code block(s) \
         get the Playground's Run button.",
        checked.built.out.display(),
        checked.expectations.len(),
        checked.links.pages,
        checked.links.links - checked.links.pending.len(),
        checked.links.anchors,
        checked.runnable.len(),
    );
    if !checked.links.pending.is_empty() {
        println!(
            "note: {} link(s) lead to chapters not written yet; they are allowed while SUMMARY.md \
             has drafts, and must resolve once it has none:\n  {}",
            checked.links.pending.len(),
            checked.links.pending.join("\n  ")
        );
    }
    Ok(checked)
}

/// `mdbook serve` of one edition. A translated one is built into its own
/// folder (mdBook wipes the folder it serves on every rebuild) with mdBook's
/// own search index, which finds Chinese terms only at the start of a
/// sentence: the CJK index is made by `cargo xtask book` (see cjk_search.rs).
fn serve(open: bool, port: u16, edition: Option<i18n::Edition>) -> Result<()> {
    let tools = tools::ensure()?;
    build_examples()?;
    let root = paths::root();
    let mut cmd = Command::new(tools.mdbook());
    if let Some(e) = edition {
        let out = paths::target_dir().join("serve").join(e.code);
        i18n::configure(&mut cmd, &root, e, &out)?;
    }
    cmd.current_dir(&root).env("PATH", tools.path_env()?).args([
        "serve",
        "--hostname",
        "127.0.0.1",
        "--port",
        &port.to_string(),
    ]);
    if open {
        cmd.arg("--open");
    }
    eprintln!("Serving the course on http://localhost:{port} (Ctrl-C to stop)");
    step("mdbook serve", cmd)
}

fn test_all() -> Result<()> {
    let started = Instant::now();
    let mut times = Vec::new();
    let mut timed = |name: &str, f: &mut dyn FnMut() -> Result<()>| -> Result<()> {
        eprintln!("\n=== {name} ===");
        let t = Instant::now();
        f()?;
        times.push((name.to_string(), t.elapsed()));
        Ok(())
    };
    timed("formatting", &mut || {
        step("cargo fmt", cargo(&["fmt", "--all", "--", "--check"]))
    })?;
    timed("book tools", &mut || tools::ensure().map(|_| ()))?;
    timed("clippy", &mut || {
        step(
            "clippy",
            cargo(&[
                "clippy",
                "--workspace",
                "--exclude",
                "exercises",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]),
        )?;
        // The stubs, except the make-it-compile ones, which must not compile.
        let mut stubs = cargo(&["clippy", "-p", "exercises", "--lib"]);
        stubs.args(exercises::compiling_stub_targets()?);
        stubs.args(["--", "-D", "warnings"]);
        step("clippy on the stubs", stubs)?;
        step(
            "clippy on the solutions",
            cargo(&[
                "clippy",
                "-p",
                "exercises",
                "--all-targets",
                "--features",
                "solutions",
                "--",
                "-D",
                "warnings",
            ]),
        )
    })?;
    timed("tests", &mut || {
        step(
            "the workspace tests",
            cargo(&["test", "--workspace", "--exclude", "exercises"]),
        )
    })?;
    timed("exercise proof", &mut || exercises::prove(None))?;
    let tools = tools::ensure()?;
    timed("translation", &mut || check_translations(&tools))?;
    let mut checked = Vec::new();
    timed("strict book build", &mut || {
        checked = build_book(false, &editions(None).expect("all editions"))?;
        Ok(())
    })?;
    timed("browser", &mut || checked.iter().try_for_each(browser::run))?;
    eprintln!("\nAll checks passed in {:.0?}:", started.elapsed());
    for (name, t) in &times {
        eprintln!("  {name:<20} {t:>8.1?}");
    }
    // One closing line in the form CI systems read, counting the checks
    // above (each has its own tests and counts in its output). Any failure
    // returned early with an error and a non-zero exit.
    println!("checks: {} passed, 0 failed", times.len());
    Ok(())
}
