//! The Introduction's program prints what the chapter says it prints.
//! Timings vary between runs, so these tests check the shape and the order
//! of events, never durations.

mod common;

use common::{run_example, section};
use std::time::Duration;

/// The job names of the `start` or `done` events, in printed order.
fn events<'a>(lines: &[&'a str], kind: &str) -> Vec<&'a str> {
    lines
        .iter()
        .filter_map(|l| l.split("] ").nth(1))
        .filter_map(|rest| rest.strip_prefix(kind))
        .filter_map(|rest| rest.split_whitespace().next())
        .collect()
}

#[test]
fn hello_tasks_overlaps_the_waits_on_one_thread() {
    let out = run_example("hello_tasks", &[], Duration::from_secs(10)).stdout_text();

    let sequential = section(&out, "One after another", Some("As three tasks"));
    let seq_lines: Vec<&str> = sequential
        .iter()
        .copied()
        .filter(|l| l.contains("] "))
        .collect();
    // Sequential: each job starts only after the previous one is done.
    let kinds: Vec<&str> = seq_lines
        .iter()
        .map(|l| {
            if l.contains("] start") {
                "start"
            } else {
                "done"
            }
        })
        .collect();
    assert_eq!(
        kinds,
        ["start", "done", "start", "done", "start", "done"],
        "{out}"
    );
    assert_eq!(events(&seq_lines, "start "), ["A", "B", "C"], "{out}");

    let concurrent = section(&out, "As three tasks", None);
    // Concurrent: all three start before any is done, and they finish in
    // the order of their waits, shortest first.
    let first_done = concurrent
        .iter()
        .position(|l| l.contains("] done"))
        .expect("no job finished");
    assert_eq!(
        events(&concurrent[..first_done], "start "),
        ["A", "B", "C"],
        "{out}"
    );
    assert_eq!(events(&concurrent, "done  "), ["C", "B", "A"], "{out}");

    // The chapter points at this line by its opening words, not by its
    // position in the output.
    assert_eq!(
        out.lines()
            .filter(|l| l.starts_with("The tasks ran on 1 OS thread(s)"))
            .count(),
        1,
        "a current-thread runtime uses one thread:\n{out}"
    );
    assert!(out.lines().any(|l| l.starts_with("machine: ")), "{out}");
    assert_eq!(out.matches("total: ").count(), 2, "{out}");
}
