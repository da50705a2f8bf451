//! `cargo xtask watch`: the learner's loop. It opens on the first exercise
//! that does not pass yet, re-runs that exercise's tests each time its file
//! is saved, and shows the result and what to do next. Keys: `h` the next
//! hint, `l` the list, `n` the next exercise, `r` re-run, `q` quit.
//!
//! File events come from `notify` (inotify, FSEvents, ...) and keys from
//! `crossterm`; some file systems never deliver events (WSL2 on a Windows
//! drive, some network mounts), so `--manual` turns the watcher off and `r`
//! checks after each save.

use crate::exercises::{self, Exercise, Manifest, Outcome};
use crate::progress::{self, Status};
use anyhow::{Context, Result, bail};
use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use crossterm::{cursor, execute, terminal};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub struct Options {
    /// No file watcher: the learner presses `r` after saving.
    pub manual: bool,
    /// Open on this exercise instead of the first unfinished one.
    pub start: Option<String>,
}

/// What the screen shows below the exercise.
enum Note {
    None,
    Hints,
    List(Vec<String>),
    Text(String),
}

struct Watch {
    manifest: Manifest,
    current: usize,
    /// The result of the last check of the current exercise.
    result: Option<(Outcome, Duration)>,
    hints_shown: usize,
    note: Note,
    manual: bool,
}

pub fn run(opts: Options) -> Result<()> {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        bail!(
            "cargo xtask watch needs a terminal; without one, check an exercise with \
             `cargo test -p exercises --test NAME`"
        );
    }
    let manifest = exercises::manifest()?;
    exercises::check_layout(&manifest)?;
    let current = match &opts.start {
        Some(name) => position(&manifest, name)?,
        None => {
            println!("Looking for the first exercise that does not pass yet...");
            match first_open(&manifest, 0)? {
                Some(i) => i,
                None => {
                    println!(
                        "Every exercise passes. Well done! (`cargo xtask watch NAME` opens one.)"
                    );
                    return Ok(());
                }
            }
        }
    };
    // The channel stays open (and silent) in manual mode, so the loop below
    // has one shape for both modes.
    let (tx, events) = mpsc::channel();
    let _watcher = if opts.manual {
        None
    } else {
        Some(watch_folder(tx)?)
    };
    let mut w = Watch {
        manifest,
        current,
        result: None,
        hints_shown: 0,
        note: Note::None,
        manual: opts.manual,
    };
    let _raw = RawMode::enter()?;
    w.check(None)?;
    loop {
        // A save shows up as one or more events on the file; wait a moment
        // for the rest of them, so one save runs the tests once.
        if let Ok(path) = events.try_recv() {
            if path == w.file() {
                let saved = Instant::now();
                std::thread::sleep(Duration::from_millis(50));
                while events.try_recv().is_ok() {}
                w.check(Some(saved))?;
            }
            continue;
        }
        if !event::poll(Duration::from_millis(100))? {
            continue;
        }
        let Event::Key(key) = event::read()? else {
            continue;
        };
        if key.kind != KeyEventKind::Press {
            continue;
        }
        if quits(&key) {
            break;
        }
        match key.code {
            KeyCode::Char('h') => {
                let n = w.exercise().hints.len();
                w.hints_shown = (w.hints_shown + 1).min(n);
                w.note = Note::Hints;
                w.draw()?;
            }
            KeyCode::Char('l') => {
                w.note = Note::Text(
                    "Checking the exercises not checked since their last change...".into(),
                );
                w.draw()?;
                w.note = Note::List(list(&w.manifest, w.current)?);
                w.draw()?;
            }
            KeyCode::Char('r') => w.check(None)?,
            KeyCode::Char('n') => w.next()?,
            _ => {}
        }
    }
    drop(_raw);
    println!("Bye. `cargo xtask watch` brings you back to the first unfinished exercise.");
    Ok(())
}

fn quits(key: &KeyEvent) -> bool {
    matches!(key.code, KeyCode::Char('q') | KeyCode::Esc)
        || (key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL))
}

/// The exercise's place in the manifest, or a clear error.
pub fn position(m: &Manifest, name: &str) -> Result<usize> {
    m.exercises
        .iter()
        .position(|e| e.name == name)
        .ok_or_else(|| unknown(m, name))
}

/// The error for a name that is not an exercise, listing the ones that are.
pub fn unknown(m: &Manifest, name: &str) -> anyhow::Error {
    let names: Vec<&str> = m.exercises.iter().map(|e| e.name.as_str()).collect();
    anyhow::anyhow!(
        "no exercise `{name}` in exercises/exercises.toml; the exercises are: {}",
        names.join(", ")
    )
}

/// The first exercise from `from` on (then from the start) that does not pass.
fn first_open(m: &Manifest, from: usize) -> Result<Option<usize>> {
    let n = m.exercises.len();
    for i in (from..n).chain(0..from) {
        if progress::status(&m.exercises[i], &m.exercises)?.0 != Status::Done {
            return Ok(Some(i));
        }
    }
    Ok(None)
}

/// One line per exercise, from the cache where the files are unchanged.
fn list(m: &Manifest, current: usize) -> Result<Vec<String>> {
    let mut lines = Vec::new();
    let mut done = 0;
    for (i, e) in m.exercises.iter().enumerate() {
        let (status, _) = progress::status(e, &m.exercises)?;
        if status == Status::Done {
            done += 1;
        }
        let mark = if i == current { ">" } else { " " };
        lines.push(format!(
            "{mark} {:>2}  {:<24} {:<28} {}",
            i + 1,
            e.name,
            status.label(),
            e.chapter
        ));
    }
    lines.push(format!("{done}/{} done", m.exercises.len()));
    Ok(lines)
}

fn watch_folder(tx: mpsc::Sender<PathBuf>) -> Result<notify::RecommendedWatcher> {
    use notify::Watcher;
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        let Ok(ev) = res else { return };
        // Editors save in place or write a new file and rename it over the
        // old one: both are a change of the path we watch.
        if matches!(
            ev.kind,
            notify::EventKind::Modify(_) | notify::EventKind::Create(_)
        ) {
            for p in ev.paths {
                let _ = tx.send(p);
            }
        }
    })
    .context("could not start the file watcher; `cargo xtask watch --manual` works without one")?;
    // The folder, not the file: a rename over the file would end a watch
    // on the file itself.
    let dir = crate::paths::root().join("exercises").join("src");
    watcher
        .watch(&dir, notify::RecursiveMode::NonRecursive)
        .with_context(|| {
            format!(
                "could not watch {}; `cargo xtask watch --manual` works without a watcher",
                dir.display()
            )
        })?;
    Ok(watcher)
}

impl Watch {
    fn exercise(&self) -> &Exercise {
        &self.manifest.exercises[self.current]
    }

    fn file(&self) -> PathBuf {
        self.exercise().stub()
    }

    /// Runs the current exercise's tests and shows the result. `saved` is
    /// when the save was seen, for the "checked in" time.
    fn check(&mut self, saved: Option<Instant>) -> Result<()> {
        self.note = Note::Text(format!("Checking {}...", self.exercise().name));
        self.result = None;
        self.draw()?;
        let started = saved.unwrap_or_else(Instant::now);
        let outcome = progress::check_now(self.exercise(), &self.manifest.exercises)?;
        self.result = Some((outcome, started.elapsed()));
        self.note = if self.hints_shown > 0 {
            Note::Hints
        } else {
            Note::None
        };
        self.draw()
    }

    fn passes(&self) -> bool {
        matches!(self.result, Some((Outcome::Passed { .. }, _)))
    }

    fn next(&mut self) -> Result<()> {
        if !self.passes() {
            self.note = Note::Text(
                "This exercise does not pass yet: finish it first, or open another with \
                 `cargo xtask watch NAME`."
                    .into(),
            );
            return self.draw();
        }
        let n = self.manifest.exercises.len();
        match first_open(&self.manifest, (self.current + 1) % n)? {
            None => {
                self.note = Note::Text("Every exercise passes. Well done! Press q to quit.".into());
                self.draw()
            }
            Some(i) => {
                self.current = i;
                self.hints_shown = 0;
                self.check(None)
            }
        }
    }

    fn lines(&self) -> Vec<String> {
        let e = self.exercise();
        let n = self.manifest.exercises.len();
        let mut out = vec![
            format!(
                "Exercise {} of {n}: {}   ({})",
                self.current + 1,
                e.name,
                e.chapter
            ),
            String::new(),
            format!("Goal: {}", e.goal),
            format!(
                "Edit: exercises/src/{}.rs{}",
                e.name,
                if self.manual {
                    "   (manual mode: save it, then press r)"
                } else {
                    "   (each save re-runs its tests)"
                }
            ),
            format!("Test: cargo test -p exercises --test {}", e.name),
            String::new(),
        ];
        match &self.result {
            None => {}
            Some((outcome, took)) => {
                out.extend(summary(outcome));
                out.push(format!("(checked in {:.1} s)", took.as_secs_f64()));
                out.push(String::new());
                out.push(match outcome {
                    Outcome::Passed { .. } => {
                        "Next: press n for the next exercise, or l for your progress.".into()
                    }
                    _ => format!(
                        "Next: fix exercises/src/{}.rs and save it. Stuck? Press h for a hint ({} of {}).",
                        e.name,
                        (self.hints_shown + 1).min(e.hints.len()),
                        e.hints.len()
                    ),
                });
            }
        }
        out.push(String::new());
        match &self.note {
            Note::None => {}
            Note::Text(t) => out.push(t.clone()),
            Note::List(lines) => out.extend(lines.iter().cloned()),
            Note::Hints => {
                for (i, h) in e.hints.iter().take(self.hints_shown).enumerate() {
                    out.push(format!("Hint {} of {}: {h}", i + 1, e.hints.len()));
                }
                if self.hints_shown == e.hints.len() {
                    out.push(
                        "That was the last hint; the solution is in the book, folded under the exercise."
                            .into(),
                    );
                }
            }
        }
        out.push(String::new());
        out.push("[h] hint  [l] list  [n] next  [r] re-run  [q] quit".into());
        out
    }

    fn draw(&self) -> Result<()> {
        let mut out = std::io::stdout();
        execute!(
            out,
            terminal::Clear(terminal::ClearType::All),
            cursor::MoveTo(0, 0)
        )?;
        // Raw mode turns off the terminal's newline translation: every line
        // ends with "\r\n" so it starts at the left edge.
        for line in self.lines() {
            write!(out, "{line}\r\n")?;
        }
        out.flush()?;
        Ok(())
    }
}

/// The result in a few lines: which tests failed and why, or the first
/// compiler error.
pub fn summary(outcome: &Outcome) -> Vec<String> {
    match outcome {
        Outcome::Passed { tests } => vec![format!("PASSED: all {tests} tests pass.")],
        Outcome::Failed { output } => {
            let failures = failures(output);
            let mut out = vec![format!(
                "FAILED: {} test{} fail{}:",
                failures.len(),
                if failures.len() == 1 { "" } else { "s" },
                if failures.len() == 1 { "s" } else { "" }
            )];
            for (name, message) in failures.iter().take(4) {
                out.push(format!("  {name}"));
                out.extend(message.iter().take(6).map(|l| format!("    {l}")));
            }
            if failures.is_empty() {
                // No libtest failure block (a time-out, or a crash): show the tail.
                let lines: Vec<&str> = output.lines().collect();
                let from = lines.len().saturating_sub(12);
                out.extend(lines[from..].iter().map(|l| format!("  {l}")));
            }
            out
        }
        Outcome::DoesNotCompile { output } => {
            let mut out = vec!["DOES NOT COMPILE:".to_string()];
            let errors = output.lines().filter(|l| l.starts_with("error")).count();
            out.extend(
                output
                    .lines()
                    .skip_while(|l| !l.starts_with("error"))
                    .take(14)
                    .map(|l| format!("  {l}")),
            );
            out.push(format!(
                "  ({errors} error line{} in all; `cargo test -p exercises --test NAME` shows them)",
                if errors == 1 { "" } else { "s" }
            ));
            out
        }
    }
}

/// libtest's failure blocks: `---- NAME stdout ----`, then what the test
/// printed and its panic message.
pub fn failures(output: &str) -> Vec<(String, Vec<String>)> {
    let mut found = Vec::new();
    let mut lines = output.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(name) = line
            .strip_prefix("---- ")
            .and_then(|l| l.strip_suffix(" stdout ----"))
        else {
            continue;
        };
        let mut message = Vec::new();
        while let Some(next) = lines.peek() {
            if next.starts_with("---- ") || next.starts_with("failures:") {
                break;
            }
            let l = lines.next().unwrap_or_default();
            if l.starts_with("stack backtrace:") {
                // RUST_BACKTRACE is set: the message is above, the frames are noise here.
                while lines
                    .peek()
                    .is_some_and(|n| !n.starts_with("---- ") && !n.starts_with("failures:"))
                {
                    lines.next();
                }
                break;
            }
            let noise = l.trim().is_empty()
                || l.starts_with("thread '")
                || l.starts_with("note: run with `RUST_BACKTRACE");
            if !noise {
                message.push(l.to_string());
            }
        }
        found.push((name.to_string(), message));
    }
    found
}

/// Raw mode while the loop runs (keys arrive one at a time, unechoed), and
/// the terminal restored however the loop ends.
struct RawMode;

impl RawMode {
    fn enter() -> Result<RawMode> {
        terminal::enable_raw_mode().context("switching the terminal to raw mode")?;
        Ok(RawMode)
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        let _ = terminal::disable_raw_mode();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_libtest_failures() {
        let out = "running 2 tests\ntest a ... ok\ntest b ... FAILED\n\nfailures:\n\n\
                   ---- b stdout ----\n\nthread 'b' panicked at tests/x.rs:3:5:\n\
                   took 600ms: the pages were fetched one after another\n\
                   note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\n\n\
                   failures:\n    b\n\ntest result: FAILED. 1 passed; 1 failed;";
        let f = failures(out);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].0, "b");
        assert_eq!(
            f[0].1,
            ["took 600ms: the pages were fetched one after another"]
        );
    }
}
