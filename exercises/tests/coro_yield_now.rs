//! Tests for Part III's exercise on `yield_now`:
//! `cargo test -p exercises --test coro_yield_now`.
//!
//! They count turns, never time: a second task counts how often it got to
//! run while `sum_of_squares` computed. The clock is paused
//! (`start_paused`), so nothing depends on the machine's speed, and no timer
//! is involved: time only moves forward on a paused clock when every task is
//! idle, and a task that keeps yielding is never idle, so a timer could not
//! fire here anyway.

#[cfg_attr(
    not(any(feature = "solutions", any_wrong)),
    path = "../src/coro_yield_now.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/coro_yield_now.rs")]
#[cfg_attr(
    wrong = "coro_yield_now__no_await",
    path = "../wrong/coro_yield_now__no_await.rs"
)]
#[cfg_attr(
    wrong = "coro_yield_now__no_await",
    path = "../wrong/coro_yield_now__no_await.rs"
)]
#[cfg_attr(
    wrong = "coro_yield_now__no_await",
    path = "../wrong/coro_yield_now__no_await.rs"
)]
mod coro_yield_now;

use coro_yield_now::{CHUNK, sum_of_squares};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// 0² + 1² + ... + (n-1)², by formula.
fn expected(n: u64) -> u64 {
    if n == 0 {
        0
    } else {
        (n - 1) * n * (2 * n - 1) / 6
    }
}

#[tokio::test(start_paused = true)]
async fn the_result_does_not_change() {
    for n in [0, 1, 10, CHUNK, CHUNK + 1, 25 * CHUNK + 7] {
        assert_eq!(sum_of_squares(n).await, expected(n), "n = {n}");
    }
}

/// How many turns another task got while `sum_of_squares(n)` ran, on this
/// (current-thread) runtime.
async fn turns_of_another_task_during(n: u64) -> u64 {
    let turns = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let other = tokio::spawn({
        let (turns, stop) = (turns.clone(), stop.clone());
        async move {
            while !stop.load(Ordering::Relaxed) {
                turns.fetch_add(1, Ordering::Relaxed);
                tokio::task::yield_now().await;
            }
        }
    });
    tokio::task::yield_now().await; // let the other task start

    let before = turns.load(Ordering::Relaxed);
    assert_eq!(sum_of_squares(n).await, expected(n));
    let during = turns.load(Ordering::Relaxed) - before;

    stop.store(true, Ordering::Relaxed);
    other.await.unwrap();
    during
}

#[tokio::test(start_paused = true)]
async fn other_tasks_run_between_chunks() {
    let chunks = 100;
    let turns = turns_of_another_task_during(chunks * CHUNK).await;
    assert!(
        turns > 0,
        "the other task never ran while sum_of_squares computed: it never yielded"
    );
    assert!(
        turns >= chunks / 2,
        "the other task ran only {turns} times during {chunks} chunks: \
         yield after every CHUNK numbers, not only now and then"
    );
}

#[tokio::test(start_paused = true)]
async fn does_not_yield_after_every_number() {
    let chunks = 10;
    let turns = turns_of_another_task_during(chunks * CHUNK).await;
    assert!(
        turns <= 2 * chunks + 2,
        "the other task ran {turns} times during {chunks} chunks: each yield is a \
         trip through the scheduler, so yield once per CHUNK numbers"
    );
}
