//! Wrong solution of pin_timeout: it could not see how to poll a stored
//! `Sleep` (it is `!Unpin`), so it stores the limit and makes a fresh,
//! boxed `sleep(limit)` on every poll. Each poll restarts the clock: work
//! that wakes more often than `limit` is never timed out. The `Sleep` has
//! to be made once and polled where it lies, through the projection.
//!
//! caught by: busy_work_still_times_out_on_time
//!
use pin_project_lite::pin_project;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// The error of a `Timeout` whose limit passed first.
#[derive(Debug, PartialEq, Eq)]
pub struct Elapsed;

pin_project! {
    /// `work`, and the timer that limits it.
    pub struct Timeout<F> {
        #[pin]
        work: F,
        limit: Duration,
    }
}

pub fn timeout<F: Future>(limit: Duration, work: F) -> Timeout<F> {
    Timeout { work, limit }
}

impl<F: Future> Future for Timeout<F> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        // Work first: if it finished just as the time ran out, its output
        // wins, as it does in `tokio::time::timeout`.
        if let Poll::Ready(output) = this.work.poll(cx) {
            return Poll::Ready(Ok(output));
        }
        // The mistake: a new timer, counting from now, on every poll.
        match Box::pin(tokio::time::sleep(*this.limit)).as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(Elapsed)),
            Poll::Pending => Poll::Pending,
        }
    }
}
