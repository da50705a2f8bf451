//! Tests for chapter 18's make-it-compile exercise:
//! `cargo test -p exercises --test nonsend_guard`.
//!
//! They run `record_view` in tasks spawned with `tokio::spawn`, which
//! requires a `Send` future (on a multi-threaded runtime a task may move to
//! another thread at any `.await`): the shipped file does not compile
//! here, which is the exercise.

#[cfg_attr(
    not(any(feature = "solutions", any_wrong)),
    path = "../src/nonsend_guard.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/nonsend_guard.rs")]
#[cfg_attr(
    wrong = "nonsend_guard__block_on_under_lock",
    path = "../wrong/nonsend_guard__block_on_under_lock.rs"
)]
#[cfg_attr(
    wrong = "nonsend_guard__block_on_under_lock",
    path = "../wrong/nonsend_guard__block_on_under_lock.rs"
)]
mod nonsend_guard;

use nonsend_guard::{Site, record_view};
use std::sync::Arc;
use std::sync::atomic::Ordering;

/// 100 views of 4 pages, in 100 tasks spawned at once.
async fn many_views(site: &Arc<Site>) -> Vec<u64> {
    let tasks: Vec<_> = (0..100)
        .map(|i| tokio::spawn(record_view(site.clone(), format!("page{}", i % 4))))
        .collect();
    let mut counts = Vec::new();
    for task in tasks {
        counts.push(task.await.expect("record_view panicked"));
    }
    counts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counts_every_view_from_tasks_on_many_threads() {
    let site = Arc::new(Site::default());
    let mut counts = many_views(&site).await;
    counts.sort_unstable();
    // Each page's 25 views got the numbers 1 to 25, once each.
    let expected: Vec<u64> = (1..=25).flat_map(|n| [n; 4]).collect();
    assert_eq!(counts, expected, "every view must be counted once");
    {
        let views = site.views.lock().unwrap();
        assert!(views.values().all(|&v| v == 25), "{views:?}");
    }
    assert_eq!(
        site.log.lock().await.len(),
        100,
        "every view must be logged"
    );
}

// One thread: then a lock seen held while a log line is written can only
// be held by the task writing it, or by one suspended with its guard.
#[tokio::test]
async fn the_lock_is_not_held_while_the_log_is_written() {
    let site = Arc::new(Site::default());
    many_views(&site).await;
    let under_lock = site.written_under_lock.load(Ordering::SeqCst);
    assert_eq!(
        under_lock, 0,
        "{under_lock} of 100 log lines were written while `views` was locked: end the \
         guard's scope before the log is written, so no request waits on another's log \
         (and no runtime thread blocks inside a task)"
    );
}
