//! Tests for the Future trait chapter's exercise:
//! `cargo test -p exercises --test future_join`.
//!
//! The futures here count their polls and panic if polled after they are
//! done, and timers run on tokio's paused clock, so the tests are exact
//! and instant on any machine.

#[cfg_attr(
    not(any(feature = "solutions", any_wrong)),
    path = "../src/future_join.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/future_join.rs")]
#[cfg_attr(
    wrong = "future_join__one_after_the_other",
    path = "../wrong/future_join__one_after_the_other.rs"
)]
#[cfg_attr(
    wrong = "future_join__one_after_the_other",
    path = "../wrong/future_join__one_after_the_other.rs"
)]
#[cfg_attr(
    wrong = "future_join__one_after_the_other",
    path = "../wrong/future_join__one_after_the_other.rs"
)]
mod future_join;

use future_join::join;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::{Instant, sleep};

/// Ready with `value` on its `ready_on`-th poll; wakes itself before each
/// `Pending`. Counts its polls, and panics if polled after it was ready.
struct Steps {
    value: &'static str,
    ready_on: usize,
    polls: Arc<AtomicUsize>,
}

impl Future for Steps {
    type Output = &'static str;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<&'static str> {
        let n = self.polls.fetch_add(1, Ordering::SeqCst) + 1;
        assert!(
            n <= self.ready_on,
            "future `{}` was polled again after it returned Ready",
            self.value
        );
        if n == self.ready_on {
            Poll::Ready(self.value)
        } else {
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

fn steps(value: &'static str, ready_on: usize) -> (Steps, Arc<AtomicUsize>) {
    let polls = Arc::new(AtomicUsize::new(0));
    let fut = Steps {
        value,
        ready_on,
        polls: Arc::clone(&polls),
    };
    (fut, polls)
}

#[tokio::test]
async fn gives_both_outputs_in_argument_order() {
    let (quick, _) = steps("quick", 1);
    let (slow, _) = steps("slow", 3);
    assert_eq!(join(slow, quick).await, ("slow", "quick"));
}

#[tokio::test]
async fn polls_both_and_never_a_finished_future_again() {
    let (a, a_polls) = steps("a", 1);
    let (b, b_polls) = steps("b", 4);
    let out = join(a, b).await;
    assert_eq!(out, ("a", "b"));
    assert_eq!(
        a_polls.load(Ordering::SeqCst),
        1,
        "`a` was ready on its first poll, so it must be polled exactly once"
    );
    assert_eq!(
        b_polls.load(Ordering::SeqCst),
        4,
        "`b` needs four polls: Join must keep polling it until it is ready"
    );
}

#[tokio::test(start_paused = true)]
async fn the_two_waits_overlap() {
    let start = Instant::now();
    let a = Box::pin(async {
        sleep(Duration::from_millis(300)).await;
        1
    });
    let b = Box::pin(async {
        sleep(Duration::from_millis(200)).await;
        2
    });
    assert_eq!(join(a, b).await, (1, 2));
    assert_eq!(
        start.elapsed(),
        Duration::from_millis(300),
        "both sleeps should run at once: the join takes as long as the longer one"
    );
}
