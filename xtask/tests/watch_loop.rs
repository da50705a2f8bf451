//! `cargo xtask watch` driven in a real terminal (tmux), as a learner uses
//! it: it opens on an exercise that fails, a saved solution makes it pass
//! without a key being pressed, `h` shows a hint, `n` moves on, `q` quits.
//!
//! The test writes into the learner's own `exercises/src/intro_join.rs`, so
//! it keeps a copy of the file and puts it back however the test ends.
//! Needs tmux; without it the test says loudly that it skipped, except in CI
//! (`CI=true`), where `.ci/run` installs tmux and a missing one fails.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use xtask::paths;

const EXERCISE: &str = "intro_join";

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// A tmux server of the test's own (`-L`), so a reader's sessions are never
/// touched, killed when the test ends.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn cmd(&self) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.socket]);
        c
    }

    fn run(&self, args: &[&str]) -> std::process::Output {
        self.cmd().args(args).output().expect("running tmux")
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "w"]).stdout).into_owned()
    }

    fn keys(&self, keys: &str) {
        assert!(self.run(&["send-keys", "-t", "w", keys]).status.success());
    }

    /// Waits until the screen shows `what`, failing with the screen if not.
    fn wait_for(&self, what: &str, limit: Duration) -> String {
        self.wait_until(&format!("{what:?}"), limit, |s| s.contains(what))
    }

    /// Waits until `done` holds for the screen, failing with the screen if not.
    fn wait_until(&self, what: &str, limit: Duration, done: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if done(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < limit,
                "after {limit:?} the watch screen still does not show {what}:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn alive(&self) -> bool {
        self.run(&["has-session", "-t", "w"]).status.success()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

/// Puts the learner's file back as it was, however the test ends.
struct Restore {
    path: PathBuf,
    saved: Vec<u8>,
}

impl Drop for Restore {
    fn drop(&mut self) {
        fs::write(&self.path, &self.saved).expect("restoring the learner's exercise file");
    }
}

fn shipped_stub(rel: &str) -> Vec<u8> {
    let out = Command::new("git")
        .current_dir(paths::root())
        .args(["show", &format!("HEAD:{rel}")])
        .output()
        .expect("running git");
    assert!(out.status.success(), "git show HEAD:{rel} failed");
    out.stdout
}

/// Writes the file the way an editor that writes in place does.
fn save(path: &Path, bytes: &[u8]) {
    fs::write(path, bytes).unwrap();
}

#[test]
fn watch_reruns_on_save_shows_hints_and_moves_on() {
    if Command::new("tmux").arg("-V").output().is_err() {
        assert!(!in_ci(), "tmux is missing in CI: .ci/run should install it");
        eprintln!(
            "\n*** SKIPPED the watch test: tmux is not installed (apt-get install tmux). ***\n"
        );
        return;
    }
    let rel = format!("exercises/src/{EXERCISE}.rs");
    let path = paths::root().join(&rel);
    let _restore = Restore {
        saved: fs::read(&path).unwrap(),
        path: path.clone(),
    };
    let solution =
        fs::read(paths::root().join(format!("exercises/solutions/{EXERCISE}.rs"))).unwrap();
    // Start from the shipped stub, which fails.
    save(&path, &shipped_stub(&rel));

    let tmux = Tmux {
        socket: format!("xtask-watch-test-{}", std::process::id()),
    };
    let watch = format!("{} watch {EXERCISE}", env!("CARGO_BIN_EXE_xtask"));
    let started = tmux
        .cmd()
        .args(["new-session", "-d", "-s", "w", "-x", "140", "-y", "50"])
        .arg("-c")
        .arg(paths::root())
        .arg(&watch)
        .status()
        .unwrap();
    assert!(started.success(), "tmux could not start {watch}");

    // The first check compiles the exercise's tests: allow for a cold build.
    let screen = tmux.wait_for("(checked in", Duration::from_secs(300));
    assert!(screen.contains("Exercise 1 of"), "{screen}");
    assert!(
        screen.contains("FAILED"),
        "the shipped stub must fail:\n{screen}"
    );
    assert!(
        screen.contains(&format!("Test: cargo test -p exercises --test {EXERCISE}")),
        "{screen}"
    );

    tmux.keys("h");
    let screen = tmux.wait_for("Hint 1 of", Duration::from_secs(10));
    assert!(
        !screen.contains("Hint 2 of"),
        "one key, one hint layer:\n{screen}"
    );

    tmux.keys("n");
    tmux.wait_for(
        "does not pass yet: finish it first",
        Duration::from_secs(10),
    );

    // Saving a solution re-runs the tests with no key pressed.
    save(&path, &solution);
    let screen = tmux.wait_for("PASSED", Duration::from_secs(120));
    let took = screen
        .lines()
        .find_map(|l| l.strip_prefix("(checked in "))
        .and_then(|l| l.strip_suffix(")"))
        .unwrap_or("?");
    eprintln!("save to result: {took}");

    // The old result stays on screen until the next exercise is checked,
    // so wait for the header to change, then for that exercise's result.
    tmux.keys("n");
    let other = |s: &str| {
        let header = s.lines().next().unwrap_or_default();
        header.starts_with("Exercise ") && !header.contains(EXERCISE)
    };
    tmux.wait_until(
        "the next exercise that does not pass yet (n)",
        Duration::from_secs(300),
        |s| other(s) && s.contains("(checked in"),
    );

    tmux.keys("q");
    let start = Instant::now();
    while tmux.alive() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "q did not end the watch:\n{}",
            tmux.screen()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
