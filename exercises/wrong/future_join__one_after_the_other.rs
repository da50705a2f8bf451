//! Wrong solution of future_join: it polls `b` only once `a` has finished,
//! so the two futures run one after the other, not at the same time. The
//! outputs are right; the waits do not overlap.
//!
//! caught by: the_two_waits_overlap

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Two futures and, once each is done, its output.
pub struct Join<A: Future, B: Future> {
    a: A,
    b: B,
    a_out: Option<A::Output>,
    b_out: Option<B::Output>,
}

/// Runs `a` and `b` concurrently, in the task that awaits the result.
///
/// Both must be `Unpin` (wrap an `async` block in `Box::pin` to get one), so
/// that `Join` can poll them through `Pin::new(&mut ...)` without any
/// pinning of its own.
pub fn join<A, B>(a: A, b: B) -> Join<A, B>
where
    A: Future + Unpin,
    B: Future + Unpin,
{
    Join {
        a,
        b,
        a_out: None,
        b_out: None,
    }
}

impl<A, B> Future for Join<A, B>
where
    A: Future + Unpin,
    B: Future + Unpin,
    A::Output: Unpin,
    B::Output: Unpin,
{
    type Output = (A::Output, B::Output);

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Every field is Unpin, so Join is too: a plain `&mut` is fine.
        let this = self.get_mut();
        // The mistake: `b` is polled only once `a` has finished.
        if this.a_out.is_none() {
            if let Poll::Ready(out) = Pin::new(&mut this.a).poll(cx) {
                this.a_out = Some(out);
            }
        }
        if this.a_out.is_some() && this.b_out.is_none() {
            if let Poll::Ready(out) = Pin::new(&mut this.b).poll(cx) {
                this.b_out = Some(out);
            }
        }
        if this.a_out.is_some() && this.b_out.is_some() {
            let a = this.a_out.take().expect("checked above");
            let b = this.b_out.take().expect("checked above");
            Poll::Ready((a, b))
        } else {
            // Returning Pending is allowed here without touching the waker
            // ourselves: each inner future that returned Pending has already
            // arranged for `cx.waker()` to be woken.
            Poll::Pending
        }
    }
}
