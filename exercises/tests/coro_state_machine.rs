//! Tests for Part III's first exercise:
//! `cargo test -p exercises --test coro_state_machine`.
//!
//! They poll both futures by hand, one poll at a time, with a waker that
//! counts its wake-ups: no runtime, no clock, the same result on any machine.

#[cfg_attr(
    not(any(feature = "solutions", any_wrong)),
    path = "../src/coro_state_machine.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/coro_state_machine.rs")]
#[cfg_attr(
    wrong = "coro_state_machine__fresh_future_each_poll",
    path = "../wrong/coro_state_machine__fresh_future_each_poll.rs"
)]
#[cfg_attr(
    wrong = "coro_state_machine__fresh_future_each_poll",
    path = "../wrong/coro_state_machine__fresh_future_each_poll.rs"
)]
#[cfg_attr(
    wrong = "coro_state_machine__fresh_future_each_poll",
    path = "../wrong/coro_state_machine__fresh_future_each_poll.rs"
)]
mod coro_state_machine;

use coro_state_machine::{add_later, add_later_by_hand};
use futures::task::{ArcWake, waker};
use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

struct CountWakes(AtomicUsize);

impl ArcWake for CountWakes {
    fn wake_by_ref(arc_self: &Arc<Self>) {
        arc_self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// Polls `fut` until it is ready (at most 10 times); returns, for each poll,
/// whether it was ready and how many wake-ups had been asked for by then,
/// and the output.
fn trace<F: Future<Output = u64>>(fut: F) -> (Vec<(bool, usize)>, u64) {
    let wakes = Arc::new(CountWakes(AtomicUsize::new(0)));
    let waker = waker(wakes.clone());
    let mut cx = Context::from_waker(&waker);
    let mut fut = pin!(fut);
    let mut polls = Vec::new();
    for _ in 0..10 {
        let poll = fut.as_mut().poll(&mut cx);
        polls.push((poll.is_ready(), wakes.0.load(Ordering::SeqCst)));
        if let Poll::Ready(out) = poll {
            return (polls, out);
        }
    }
    panic!("not ready after 10 polls: {polls:?}");
}

#[test]
fn first_poll_is_pending_and_asks_to_be_woken_second_is_ready() {
    let (polls, out) = trace(add_later_by_hand(4, 2));
    assert_eq!(
        polls,
        [(false, 1), (true, 1)],
        "expected: poll 1 -> Pending (with one wake-up asked for by yield_once), \
         poll 2 -> Ready"
    );
    assert_eq!(out, 42);
}

#[test]
fn behaves_exactly_like_the_async_fn() {
    for (a, b) in [(0, 0), (1, 2), (4, 2), (7, 0), (123_456, 789)] {
        assert_eq!(
            trace(add_later_by_hand(a, b)),
            trace(add_later(a, b)),
            "add_later_by_hand({a}, {b}) and add_later({a}, {b}) differ, poll by poll"
        );
    }
}

#[tokio::test]
async fn runs_on_tokio_like_any_future() {
    // A state machine that never finishes would keep waking itself: the
    // time limit turns that into a failure instead of a hang.
    let limit = std::time::Duration::from_secs(5);
    let by_hand = tokio::time::timeout(limit, add_later_by_hand(3, 5))
        .await
        .expect("add_later_by_hand(3, 5) was not ready within 5 s");
    assert_eq!(by_hand, add_later(3, 5).await);
    let task = tokio::spawn(add_later_by_hand(10, 1));
    let out = tokio::time::timeout(limit, task)
        .await
        .expect("a spawned add_later_by_hand(10, 1) was not ready within 5 s");
    assert_eq!(out.unwrap(), 101);
}
