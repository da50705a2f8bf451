//! Tests for the Tasks in tokio chapter's timeout exercise:
//! `cargo test -p exercises --test tasks_select_timeout`.
//!
//! tokio's paused clock makes the times exact: it stands still while any
//! task can run, and jumps to the next timer when all are waiting.

#[cfg_attr(
    not(any(feature = "solutions", any_wrong)),
    path = "../src/tasks_select_timeout.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/tasks_select_timeout.rs")]
#[cfg_attr(
    wrong = "tasks_select_timeout__check_after",
    path = "../wrong/tasks_select_timeout__check_after.rs"
)]
#[cfg_attr(
    wrong = "tasks_select_timeout__check_after",
    path = "../wrong/tasks_select_timeout__check_after.rs"
)]
#[cfg_attr(
    wrong = "tasks_select_timeout__check_after",
    path = "../wrong/tasks_select_timeout__check_after.rs"
)]
mod tasks_select_timeout;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tasks_select_timeout::{TimedOut, with_timeout};
use tokio::time::{Instant, sleep};

const LIMIT: Duration = Duration::from_millis(100);

#[tokio::test(start_paused = true)]
async fn quick_work_returns_its_output_without_waiting_for_the_limit() {
    let start = Instant::now();
    let out = with_timeout(LIMIT, async {
        sleep(Duration::from_millis(30)).await;
        "done"
    })
    .await;
    assert_eq!(out, Ok("done"));
    assert_eq!(
        start.elapsed(),
        Duration::from_millis(30),
        "with_timeout should return as soon as the work is done"
    );
}

#[tokio::test(start_paused = true)]
async fn slow_work_times_out_at_the_limit() {
    let start = Instant::now();
    let out = with_timeout(LIMIT, sleep(Duration::from_secs(10))).await;
    assert_eq!(out, Err(TimedOut));
    assert_eq!(
        start.elapsed(),
        LIMIT,
        "with_timeout should give up exactly at the limit, not wait for the work"
    );
}

/// Sets its flag when dropped.
struct DropFlag(Arc<AtomicBool>);
impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

#[tokio::test(start_paused = true)]
async fn timed_out_work_is_cancelled_and_never_finishes() {
    let dropped = Arc::new(AtomicBool::new(false));
    let finished = Arc::new(AtomicBool::new(false));
    let (d, f) = (Arc::clone(&dropped), Arc::clone(&finished));
    let out = with_timeout(LIMIT, async move {
        let _flag = DropFlag(d);
        sleep(Duration::from_millis(500)).await;
        f.store(true, Ordering::SeqCst);
    })
    .await;
    assert_eq!(out, Err(TimedOut));
    assert!(
        dropped.load(Ordering::SeqCst),
        "the timed-out work should have been dropped by the time with_timeout returns"
    );
    // Let a long time pass: a work that was spawned instead of cancelled
    // would finish now.
    sleep(Duration::from_secs(1)).await;
    assert!(
        !finished.load(Ordering::SeqCst),
        "the timed-out work ran on after the timeout"
    );
}
