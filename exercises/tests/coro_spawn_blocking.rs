//! Tests for Part III's exercise on blocking code:
//! `cargo test -p exercises --test coro_spawn_blocking`.
//!
//! `#[tokio::test]` runs each test on a current-thread runtime: one thread
//! for every task. The blocking call really sleeps (100 ms), so the clock is
//! not paused; the tests never measure time, they count whether another task
//! got to run while the report was being made.

#[cfg_attr(
    not(any(feature = "solutions", any_wrong)),
    path = "../src/coro_spawn_blocking.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/coro_spawn_blocking.rs")]
#[cfg_attr(
    wrong = "coro_spawn_blocking__spawn_a_task",
    path = "../wrong/coro_spawn_blocking__spawn_a_task.rs"
)]
#[cfg_attr(
    wrong = "coro_spawn_blocking__spawn_a_task",
    path = "../wrong/coro_spawn_blocking__spawn_a_task.rs"
)]
#[cfg_attr(
    wrong = "coro_spawn_blocking__spawn_a_task",
    path = "../wrong/coro_spawn_blocking__spawn_a_task.rs"
)]
mod coro_spawn_blocking;

use coro_spawn_blocking::render_report;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

#[tokio::test]
async fn returns_the_report() {
    assert_eq!(render_report(7).await.unwrap(), "report #7");
}

#[tokio::test]
async fn other_tasks_keep_running_while_the_report_is_made() {
    // A task that counts its turns: it runs whenever the runtime's thread
    // is free, and yields straight back.
    let turns = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let counter = tokio::spawn({
        let (turns, stop) = (turns.clone(), stop.clone());
        async move {
            while !stop.load(Ordering::Relaxed) {
                turns.fetch_add(1, Ordering::Relaxed);
                tokio::task::yield_now().await;
            }
        }
    });
    tokio::task::yield_now().await; // let the counter start

    let before = turns.load(Ordering::Relaxed);
    let report = render_report(1).await.unwrap();
    let during = turns.load(Ordering::Relaxed) - before;

    stop.store(true, Ordering::Relaxed);
    counter.await.unwrap();
    assert_eq!(report, "report #1");
    assert!(
        during > 0,
        "no other task ran while the report was made: the blocking call held the \
         runtime's only thread. Move it to tokio::task::spawn_blocking."
    );
    // While the blocking pool sleeps, the counter has the runtime's thread to
    // itself for 100 ms and takes thousands of turns. A turn or two means it
    // ran only before or after the blocking call, not during it: the call
    // still ran on the runtime's thread (as it does inside `tokio::spawn`,
    // which runs a task on the runtime's own threads).
    assert!(
        during >= MANY_TURNS,
        "another task got only {during} turn(s) while the report was made: the \
         blocking call still held the runtime's thread. tokio::spawn runs a task on \
         the runtime's own thread; tokio::task::spawn_blocking runs a closure on the \
         blocking pool."
    );
}

/// Far fewer turns than a free thread takes in 100 ms, even on a busy machine
/// (one turn is a yield, microseconds), and far more than the one or two a
/// task gets just before and after a blocking call.
const MANY_TURNS: u64 = 20;

#[tokio::test]
async fn reports_made_side_by_side_all_come_back() {
    let (a, b, c) = tokio::join!(render_report(1), render_report(2), render_report(3));
    assert_eq!(
        [a.unwrap(), b.unwrap(), c.unwrap()],
        ["report #1", "report #2", "report #3"]
    );
}
