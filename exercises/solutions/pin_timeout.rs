//! Chapter 14, Pin: a timeout combinator that owns its timer (solution).
//!
//! `timeout(limit, work)` returns a `Timeout`: a future that gives
//! `Ok(output)` if `work` finishes within `limit`, and `Err(Elapsed)` once
//! `limit` has passed. It is a small `tokio::time::timeout`.
//!
//! `Timeout` holds two futures that are not `Unpin`: `work` (any future,
//! an `async` block for instance) and a `tokio::time::Sleep`, which is
//! `!Unpin` because tokio links it into its timer wheel by address. So
//! `poll` cannot get a plain `&mut` to them. `pin_project!` (from
//! `pin-project-lite`, the crate tokio uses) generates `self.project()`:
//! from `Pin<&mut Timeout<F>>` it gives a `Pin<&mut F>` and a
//! `Pin<&mut Sleep>`, one for each field marked `#[pin]`, soundly.

use pin_project_lite::pin_project;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::Sleep;

/// The error of a `Timeout` whose limit passed first.
#[derive(Debug, PartialEq, Eq)]
pub struct Elapsed;

pin_project! {
    /// `work`, and the timer that limits it.
    pub struct Timeout<F> {
        #[pin]
        work: F,
        #[pin]
        sleep: Sleep,
    }
}

/// Starts the clock now: the limit counts from this call, however often the
/// `Timeout` is polled later.
pub fn timeout<F: Future>(limit: Duration, work: F) -> Timeout<F> {
    Timeout {
        work,
        sleep: tokio::time::sleep(limit),
    }
}

impl<F: Future> Future for Timeout<F> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // The projection: a pinned `Timeout` gives pinned fields. No field
        // ever moves, so the `Sleep` stays where tokio's timer expects it.
        let this = self.project();
        // Work first: if it finished just as the time ran out, its output
        // wins, as it does in `tokio::time::timeout`.
        if let Poll::Ready(output) = this.work.poll(cx) {
            return Poll::Ready(Ok(output));
        }
        // Both polls registered `cx`'s waker, so whichever is ready first
        // wakes this task.
        match this.sleep.poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(Elapsed)),
            Poll::Pending => Poll::Pending,
        }
    }
}
