//! Part III, what a coroutine is: write an async fn out by hand.
//!
//! `add_later` is a small async fn. Write `AddLater`, the state machine the
//! compiler makes of it, so that `add_later_by_hand(a, b)` behaves exactly
//! like `add_later(a, b)`:
//! - the first poll computes `a * 10`, reaches the `.await` on `yield_once()`,
//!   and returns `Poll::Pending` (the `YieldOnce` it polls has asked to be
//!   woken);
//! - the next poll finishes: `Poll::Ready(a * 10 + b)`.
//!
//! Keep in each state only what the rest of the function still needs.
//!
//! Check it with `cargo test -p exercises --test coro_state_machine`.

// Until you write the states, the stub leaves some of them unused.
#![allow(unused_variables, dead_code)]

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A future that is Pending the first time it is polled (after asking to
/// be polled again) and Ready the second time: a tiny `yield_now` whose type
/// has a name, so a hand-written state machine can hold it.
pub struct YieldOnce {
    yielded: bool,
}

pub fn yield_once() -> YieldOnce {
    YieldOnce { yielded: false }
}

impl Future for YieldOnce {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        cx.waker().wake_by_ref(); // "poll me again soon"
        Poll::Pending
    }
}

/// The async fn to write out by hand.
pub async fn add_later(a: u64, b: u64) -> u64 {
    let first = a * 10;
    yield_once().await;
    first + b
}

/// The state machine for `add_later`.
pub enum AddLater {
    /// Created, not yet polled: only the arguments.
    Start { a: u64, b: u64 },
    // TODO: the state while suspended at `yield_once().await`. Which values
    // must it hold so that the next poll can finish the function?
    /// Finished.
    Done,
}

/// Like calling `add_later`: stores the arguments and runs nothing.
pub fn add_later_by_hand(a: u64, b: u64) -> AddLater {
    AddLater::Start { a, b }
}

impl Future for AddLater {
    type Output = u64;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u64> {
        // Every field is Unpin, so `self.get_mut()` gives a plain `&mut AddLater`.
        // TODO: match on the state; run the code up to the next `.await`,
        // move to the next state, and poll what that state waits on.
        todo!()
    }
}
