//! Tests for Part III's many-tasks exercise:
//! `cargo test -p exercises --test coro_many_tasks`.
//!
//! On tokio's paused clock, time stands still while any task can run and
//! jumps to the next timer when all are waiting: ten thousand waits of one
//! second that overlap take exactly one second, on any machine.

#[cfg_attr(
    not(any(feature = "solutions", any_wrong)),
    path = "../src/coro_many_tasks.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/coro_many_tasks.rs")]
#[cfg_attr(
    wrong = "coro_many_tasks__join_all_in_one_task",
    path = "../wrong/coro_many_tasks__join_all_in_one_task.rs"
)]
#[cfg_attr(
    wrong = "coro_many_tasks__join_all_in_one_task",
    path = "../wrong/coro_many_tasks__join_all_in_one_task.rs"
)]
mod coro_many_tasks;

use coro_many_tasks::handle_all;
use std::time::Duration;
use tokio::time::Instant;

const N: usize = 10_000;
const WAIT: Duration = Duration::from_secs(1);

#[tokio::test(start_paused = true)]
async fn ten_thousand_waits_take_one_wait() {
    let start = Instant::now();
    let ids = handle_all(N, WAIT).await;
    assert_eq!(ids, (0..N).collect::<Vec<_>>(), "the ids, in order");
    let took = start.elapsed();
    assert_eq!(
        took, WAIT,
        "{N} requests of {WAIT:?} each took {took:?}: they waited one after another. \
         Spawn every task before awaiting any"
    );
}

#[tokio::test(start_paused = true)]
async fn every_request_is_a_task_of_its_own() {
    let runtime = tokio::runtime::Handle::current();
    let all = tokio::spawn(handle_all(N, WAIT));
    // Half-way through the wait, every request should be a live task.
    tokio::time::sleep(WAIT / 2).await;
    let alive = runtime.metrics().num_alive_tasks();
    assert!(
        alive > N,
        "half-way through, {alive} tasks were alive: each of the {N} requests must \
         be a task of its own (`tokio::spawn`), not a future polled by another task"
    );
    assert_eq!(all.await.unwrap().len(), N);
}

#[tokio::test(start_paused = true)]
async fn no_requests_take_no_time() {
    let start = Instant::now();
    assert!(handle_all(0, WAIT).await.is_empty());
    assert_eq!(start.elapsed(), Duration::ZERO);
}
