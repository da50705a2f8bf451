//! A future written by hand, with no `async` anywhere inside it, that logs
//! every time it is polled.
//!
//! Run it with:
//!
//!     cargo run --release --example countdown_future
//!
//! A `Future` is a value with one method, `poll`. The runtime calls `poll`;
//! the future either finishes (`Poll::Ready(value)`) or says "not yet"
//! (`Poll::Pending`). A future that says "not yet" must also arrange to be
//! woken when it can make progress, or the runtime never polls it again.
//! This one counts down from 3: each poll takes one step and, because
//! nothing outside it will ever call it back, it wakes itself at once.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

// ANCHOR: future
/// Counts down to zero, one step per poll, then is ready with a message.
struct Countdown {
    remaining: u32,
    polls: u32,
}

impl Future for Countdown {
    type Output = &'static str;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // `Countdown` holds no references into itself, so it is `Unpin` and
        // `Pin<&mut Self>` lets us use it like a plain `&mut Self`.
        self.polls += 1;
        if self.remaining == 0 {
            println!("  poll #{}: remaining 0 -> Ready", self.polls);
            return Poll::Ready("lift-off");
        }
        println!(
            "  poll #{}: remaining {} -> Pending",
            self.polls, self.remaining
        );
        self.remaining -= 1;
        // The contract of `Poll::Pending`: before returning it, make sure
        // someone will call `wake` on this context's waker when polling
        // again can make progress. Here progress is possible at once, so
        // the future wakes itself; a real future hands the waker to
        // whatever it waits on (a timer, a socket's readiness).
        println!("           wake: please poll me again");
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
// ANCHOR_END: future

// ANCHOR: main
// One thread, so the log shows exactly the order in which things happen.
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let countdown = Countdown {
        remaining: 3,
        polls: 0,
    };
    // Creating the future ran none of its code: nothing is printed yet.
    println!("created the future; nothing has run");

    // `.await` is where polling happens: the runtime polls `countdown`,
    // and every time it returns `Pending` this whole task is suspended
    // until the waker fires, then polled again.
    println!("awaiting it:");
    let message = countdown.await;
    println!("the future is done: {message}");
}
// ANCHOR_END: main
