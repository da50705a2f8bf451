//! Runs the course's examples for the tests: release builds, one at a time.
//!
//! The book embeds release builds, so the tests run the same binaries. They
//! run one at a time, because several programs measure time or bind ports,
//! and two at once would disturb each other.

use harness::{paths, process};
use std::process::Command;
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::Duration;

pub use harness::process::Captured;

fn build_all_examples() {
    static BUILT: OnceLock<()> = OnceLock::new();
    BUILT.get_or_init(|| {
        let mut cmd = Command::new(paths::cargo());
        cmd.current_dir(paths::root())
            .args(["build", "--quiet", "--release", "--examples"]);
        let out = process::run_captured(&mut cmd, Duration::from_secs(900))
            .expect("could not run cargo build");
        assert!(
            out.success(),
            "`cargo build --release --examples` failed:\n{}",
            out.stderr_text()
        );
    });
}

fn one_at_a_time() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    // A test that panicked while holding the lock poisons it; the others can
    // still run.
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs `examples/NAME.rs` (release) with `args`, and fails the test if it
/// does not exit 0 within `limit`.
pub fn run_example(name: &str, args: &[&str], limit: Duration) -> Captured {
    build_all_examples();
    let _turn = one_at_a_time();
    let mut cmd = Command::new(paths::release_example(name));
    cmd.args(args);
    let out = process::run_captured(&mut cmd, limit).expect("could not start the example");
    assert!(
        !out.timed_out,
        "{name} did not end within {limit:?}; stdout so far:\n{}",
        out.stdout_text()
    );
    assert!(
        out.success(),
        "{name} failed ({:?}):\n--- stdout\n{}\n--- stderr\n{}",
        out.code,
        out.stdout_text(),
        out.stderr_text()
    );
    out
}

/// The lines of `text` from the one starting with `from` up to (not
/// including) the next one starting with `to`, or to the end.
pub fn section<'a>(text: &'a str, from: &str, to: Option<&str>) -> Vec<&'a str> {
    text.lines()
        .skip_while(|l| !l.starts_with(from))
        .skip(1)
        .take_while(|l| to.is_none_or(|to| !l.starts_with(to)))
        .collect()
}

/// Runs a charting program with `--book` (and `args`), and checks what the
/// book needs of its output ([`course::chart::check_book`]: the text in a
/// code block, charts with a viewBox and the machine line, and every one of
/// `labels` in some chart) and that it drew `charts` charts. Returns the
/// output for further checks.
#[allow(dead_code)] // not every test file draws charts
pub fn book_charts(
    name: &str,
    args: &[&str],
    limit: Duration,
    labels: &[&str],
    charts: usize,
) -> String {
    let mut all = args.to_vec();
    all.push("--book");
    let book = run_example(name, &all, limit).stdout_text();
    let problems = course::chart::check_book(&book, labels);
    assert!(problems.is_empty(), "{name}: {problems:?}\n{book}");
    assert_eq!(book.matches("<svg").count(), charts, "{name}:\n{book}");
    book
}
