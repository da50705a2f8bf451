//! Part III, what a coroutine is: an async fn written out by hand (solution).
//!
//! `AddLater` is the state machine the compiler makes of `add_later`:
//! `add_later_by_hand(a, b)` behaves exactly like `add_later(a, b)`.

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
    /// Suspended at `yield_once().await`: `first` and `b` live across it, and
    /// so does the future being awaited. `a` is not needed any more.
    Yielding {
        first: u64,
        b: u64,
        yield_once: YieldOnce,
    },
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
                        yield_once: yield_once(),
                    };
                }
                AddLater::Yielding {
                    first,
                    b,
                    yield_once,
                } => {
                    // The line that matters: Pending from the awaited future is
                    // passed up, and the state is kept for the next poll.
                    if Pin::new(yield_once).poll(cx).is_pending() {
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
