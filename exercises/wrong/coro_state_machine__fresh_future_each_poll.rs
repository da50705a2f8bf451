//! Wrong solution of coro_state_machine: its suspended state keeps `first`
//! and `b` but not the future being awaited; each poll makes a new
//! `yield_once()` and polls that. A fresh `YieldOnce` is always Pending, so
//! the state machine never finishes: the awaited future is part of the
//! state, because its progress must survive between polls.
//!
//! caught by: first_poll_is_pending_and_asks_to_be_woken_second_is_ready

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
    /// Suspended at `yield_once().await`. The mistake: the future being
    /// awaited is not stored here.
    Yielding { first: u64, b: u64 },
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
        let this = self.get_mut();
        loop {
            match this {
                AddLater::Start { a, b } => {
                    // The code before the `.await`, then on to the next state,
                    // and round the loop: `.await` polls its future at once.
                    *this = AddLater::Yielding {
                        first: *a * 10,
                        b: *b,
                    };
                }
                AddLater::Yielding { first, b } => {
                    if Pin::new(&mut yield_once()).poll(cx).is_pending() {
                        return Poll::Pending;
                    }
                    let out = *first + *b;
                    *this = AddLater::Done;
                    return Poll::Ready(out);
                }
                AddLater::Done => panic!("AddLater polled after it completed"),
            }
        }
    }
}
