//! The program that the book's Run button sends to the Rust Playground
//! (`spawn_and_join`, shown in "How to use this course") runs here too, and
//! prints its lines in the order the chapter describes.

// Not every helper of the shared test module is used here.
#[allow(dead_code)]
mod common;

use std::time::Duration;

#[test]
fn spawn_and_join_awaits_both_tasks_in_order() {
    let out = common::run_example("spawn_and_join", &[], Duration::from_secs(30)).stdout_text();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines.len(),
        3,
        "expected three lines (A, B, both done):\n{out}"
    );
    assert_eq!(lines[0], "A waited 200 ms", "{out}");
    assert_eq!(lines[1], "B waited 100 ms", "{out}");
    assert!(
        lines[2].starts_with("both done after about ") && lines[2].ends_with(" ms"),
        "{out}"
    );
}
