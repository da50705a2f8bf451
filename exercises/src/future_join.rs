//! The Future trait: a `Join` of two futures, written by hand.
//!
//! `join(a, b)` returns a future that polls both `a` and `b`, and is ready
//! with both outputs, `(a_output, b_output)`, once both are done: what
//! `tokio::join!` does for two futures. Write `Join`'s `poll`.
//!
//! Rules a correct `poll` follows:
//! - poll each inner future that has not finished yet, on every poll;
//! - never poll a future again after it returned `Ready`;
//! - return `Pending` while either is unfinished (the inner futures that
//!   returned `Pending` have already arranged for `cx`'s waker to be woken).
//!
//! Check it with `cargo test -p exercises --test future_join`.

// Until you write `poll`, the stub leaves the fields unused.
#![allow(unused_variables, dead_code)]

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
/// that `Join` can poll them through `Pin::new(&mut ...)`.
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
        // Every field is Unpin, so Join is too, and this gives a plain `&mut`.
        let this = self.get_mut();
        // TODO: if `a` has not finished, poll it with `Pin::new(&mut this.a).poll(cx)`
        // and keep its output in `this.a_out` when it is Ready. The same for `b`.
        // TODO: when both outputs are there, return them (`Option::take`);
        // otherwise return `Poll::Pending`.
        todo!()
    }
}
