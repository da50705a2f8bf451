//! Part VI's programs print what its chapters say they print. Timings vary
//! between runs, so these tests check verdicts, order and bounds, never an
//! exact real-time figure.

// Only `run_example` is used here; the rest of `common` serves other files.
#[allow(dead_code)]
mod common;

use common::run_example;
use harness::{paths, process};
use std::process::Command;
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(20);

/// A duration as `paused_clock` prints it (`course::load::short`).
fn parse_short(text: &str) -> Duration {
    let (num, unit) = text.trim().split_once(' ').expect("a number and a unit");
    let n: f64 = num.parse().expect("a number");
    Duration::from_secs_f64(match unit {
        "µs" => n / 1e6,
        "ms" => n / 1e3,
        "s" => n,
        other => panic!("unknown unit {other:?}"),
    })
}

#[test]
fn paused_clock_catches_the_missing_timeout_in_far_less_than_a_second() {
    let out = run_example("paused_clock", &[], LIMIT).stdout_text();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "three checks:\n{out}");
    let expect = [
        (
            "read_greeting ",
            "FAILED: still waiting after 3600s",
            "3600s",
        ),
        ("read_greeting_bounded", "ok: gave up on the client", "30s"),
        (
            "bounded, on a real socket",
            "timed out before the peer spoke",
            "30s",
        ),
    ];
    for (line, (name, verdict, paused)) in lines.iter().zip(expect) {
        assert!(
            line.starts_with(name),
            "expected {name:?} first in {line:?}"
        );
        assert!(line.contains(verdict), "expected {verdict:?} in {line:?}");
        assert!(
            line.contains(&format!("paused clock {paused:>6}")),
            "expected {paused} of paused-clock time in {line:?}"
        );
        // An hour of timers in far less than a second of real time: the
        // paused clock jumped instead of waiting. On the real socket it
        // jumped before the peer's 300 ms answer.
        let real = parse_short(line.rsplit("real ").next().expect("a real time"));
        assert!(
            real < Duration::from_millis(250),
            "the check took {real:?} of real time: {line:?}"
        );
    }
}

#[test]
fn runtime_metrics_show_blocked_workers_busy_and_the_fix_parked() {
    let out = run_example("runtime_metrics", &[], LIMIT).stdout_text();
    let row = |name: &str| -> Vec<String> {
        let line = out
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no row {name:?} in:\n{out}"));
        // Columns are separated by two spaces or more.
        line.split("  ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect()
    };
    let ms = |cell: &str| -> Vec<u64> {
        cell.split(", ")
            .map(|c| c.trim_end_matches(" ms").parse().expect("milliseconds"))
            .collect()
    };
    let counts = |cell: &str| -> Vec<u64> {
        cell.split(", ")
            .map(|c| c.parse().expect("a count"))
            .collect()
    };
    assert!(
        out.contains("num_workers = 2"),
        "two workers, as built:\n{out}"
    );

    let blocked = row("std::thread::sleep in the task");
    let fixed = row("spawn_blocking(thread::sleep)");
    let (blocked_ticks, fixed_ticks): (u32, u32) =
        (blocked[2].parse().unwrap(), fixed[2].parse().unwrap());
    // Both workers sleep inside tasks: the ticker (20 wake-ups wanted)
    // gets at most a couple; with the fix it gets most of them (more if
    // a loaded machine stretches the run).
    assert!(
        blocked_ticks <= 3,
        "blocked run ticked {blocked_ticks}:\n{out}"
    );
    assert!(fixed_ticks >= 10, "fixed run ticked {fixed_ticks}:\n{out}");
    // Busy time: the waits start together, so each holds a worker of its
    // own for the whole 200 ms; with the fix the workers are nearly idle.
    assert!(
        ms(&blocked[3]).iter().all(|&b| b >= 150),
        "each blocked worker should be busy ~200 ms:\n{out}"
    );
    assert!(
        ms(&fixed[3]).iter().sum::<u64>() < 100,
        "with spawn_blocking the workers should be nearly idle:\n{out}"
    );
    // Parks: a worker that blocks cannot park; with the fix they park
    // between ticks.
    let (blocked_parks, fixed_parks) = (
        counts(&blocked[4]).iter().sum::<u64>(),
        counts(&fixed[4]).iter().sum::<u64>(),
    );
    assert!(
        fixed_parks > blocked_parks + 5,
        "parks: blocked {blocked_parks}, fixed {fixed_parks}:\n{out}"
    );
    // At most the ticker and the two waits are alive: the closures on the
    // blocking pool are not counted. (A sampler starved by a loaded machine
    // may see fewer.)
    for (name, row) in [("blocked", &blocked), ("fixed", &fixed)] {
        let alive: usize = row[5].parse().expect("a count");
        assert!((1..=3).contains(&alive), "alive tasks, {name} run:\n{out}");
    }
}

/// `--book` draws each worker's busy time in both runs.
#[test]
fn runtime_metrics_draws_each_workers_busy_time() {
    common::book_charts(
        "runtime_metrics",
        &[],
        Duration::from_secs(30),
        &[
            "std::thread::sleep in the task",
            "spawn_blocking(thread::sleep)",
            "worker 0",
            "worker 1",
        ],
        1,
    );
}

#[test]
fn traced_server_logs_every_event_inside_its_connection_and_request_spans() {
    let out = run_example("traced_server", &[], LIMIT).stdout_text();
    // Connections run on their own tasks, so lines of two connections may
    // interleave; within one connection the order is fixed.
    let events = |id: u32| -> Vec<String> {
        let prefix = format!("conn{{id={id}}}");
        out.lines()
            .filter(|l| l.contains(&prefix))
            .map(|l| l.split_once(&prefix).unwrap().1.to_string())
            .collect()
    };
    assert_eq!(
        events(1),
        [
            ": open",
            ":request{n=1 status=200}: answered keep_alive=true",
            ":request{n=2 status=200}: answered keep_alive=false",
            ": closed requests=2",
        ],
        "connection 1 in:\n{out}"
    );
    assert_eq!(
        events(2),
        [
            ": open",
            ":request{n=1 status=404}: answered keep_alive=false",
            ": closed requests=1",
        ],
        "connection 2 in:\n{out}"
    );
    assert_eq!(
        events(3),
        [
            ": open",
            ": refused a malformed request status=400",
            ": closed requests=0",
        ],
        "connection 3 in:\n{out}"
    );
    assert!(
        out.lines().all(|l| l.contains("conn{id=")),
        "every line the server logs is inside a connection span:\n{out}"
    );
}

/// Runs one of Part VI's checkers through `testing/run.sh`, as the book
/// does, with `env` added to its environment.
fn run_checker(source: &str, variant: &str, env: &[(&str, &str)]) -> process::Captured {
    let mut cmd = Command::new("sh");
    cmd.current_dir(paths::root())
        .args(["testing/run.sh", source, variant])
        .envs(env.iter().copied());
    // The first run builds the checker (loom: a few minutes on 2 busy cores).
    let out = process::run_captured(&mut cmd, Duration::from_secs(900)).expect("run sh");
    assert!(!out.timed_out, "{source} {variant} did not end");
    out
}

const LOOM: &str = "testing/loom/src/main.rs";
const SHUTTLE: &str = "testing/shuttle/src/main.rs";

/// The number after `word` in `text`.
fn number_after(text: &str, word: &str) -> usize {
    text.split(word)
        .nth(1)
        .and_then(|t| t.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no number after {word:?} in:\n{text}"))
}

#[test]
fn loom_finds_the_relaxed_publication_and_passes_release_acquire() {
    let buggy = run_checker(LOOM, "relaxed", &[]);
    let text = buggy.stdout_text();
    assert_eq!(
        buggy.code,
        Some(1),
        "the Relaxed mailbox must fail:\n{text}\n{}",
        buggy.stderr_text()
    );
    assert!(
        text.contains("Causality violation: Concurrent read and write accesses."),
        "loom's report of the data race:\n{text}"
    );
    // The report names the two accesses: the read in `take` on the main
    // thread and the write in `publish` on the spawned one.
    assert!(
        text.contains("read: thread #0 @ testing/loom/src/main.rs:"),
        "{text}"
    );
    assert!(
        text.contains("write: thread #1 @ testing/loom/src/main.rs:"),
        "{text}"
    );

    let fixed = run_checker(LOOM, "release-acquire", &[]);
    let text = fixed.stdout_text();
    assert!(
        fixed.success(),
        "Release/Acquire must pass:\n{text}\n{}",
        fixed.stderr_text()
    );
    let explored = number_after(&text, "loom explored ");
    // Two threads with a store and a load each: more than one order.
    assert!(explored >= 2, "explored {explored}:\n{text}");

    // A preemption bound explores fewer executions, and still passes.
    let bounded = run_checker(LOOM, "release-acquire", &[("LOOM_MAX_PREEMPTIONS", "1")]);
    let text = bounded.stdout_text();
    assert!(bounded.success(), "{text}\n{}", bounded.stderr_text());
    let within_bound = number_after(&text, "loom explored ");
    assert!(
        within_bound < explored,
        "bounded {within_bound}, unbounded {explored}"
    );
}

#[test]
fn shuttle_finds_the_check_then_act_race_by_seed_and_passes_one_lock() {
    let buggy = run_checker(SHUTTLE, "check-then-act", &[]);
    let text = buggy.stdout_text();
    assert_eq!(buggy.code, Some(1), "{text}\n{}", buggy.stderr_text());
    assert!(
        text.contains("overdrawn: the balance went below zero"),
        "{text}"
    );
    // The seed fixes the schedules: the same failing schedule every run.
    let again = run_checker(SHUTTLE, "check-then-act", &[]);
    assert_eq!(again.stdout_text(), text, "same seed, same result");

    let fixed = run_checker(SHUTTLE, "one-lock", &[]);
    let text = fixed.stdout_text();
    assert!(fixed.success(), "{text}\n{}", fixed.stderr_text());
    assert_eq!(number_after(&text, "seed 2026, "), 1000, "{text}");
}

#[test]
fn checkers_refuse_an_unknown_variant_or_source_with_exit_2() {
    assert_eq!(run_checker(LOOM, "seqcst-please", &[]).code, Some(2));
    assert_eq!(run_checker(SHUTTLE, "no-lock-at-all", &[]).code, Some(2));
    assert_eq!(run_checker("README.md", "relaxed", &[]).code, Some(2));
}
