//! An `async fn` is a state machine. This program writes one out by hand,
//! runs it next to the compiler's version, and measures the futures.
//!
//! Run it with:
//!
//!     cargo run --release --example state_machine
//!
//! A Rust coroutine (a future) is *stackless*: it does not get a stack of
//! its own. The compiler turns the body of an `async fn` into an enum with
//! one variant per `.await` point, and each variant holds only what must
//! survive that `.await`. Polling the future runs the body from the current
//! state to the next `.await` (or to the end) on the caller's stack, then
//! returns.

use std::future::Future;
use std::mem::size_of_val;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::{Sleep, sleep};

// ANCHOR: async_fn
/// The async fn: compute something, wait, then finish the computation.
async fn label_after(id: u32, wait: Duration) -> String {
    let name = format!("job-{id}");
    sleep(wait).await; // the only suspension point
    format!("{name} done after {} ms", wait.as_millis())
}
// ANCHOR_END: async_fn

// ANCHOR: by_hand
/// The same logic, written as the state machine the compiler generates (in
/// spirit: the compiler's version needs no `Box`, see below).
enum LabelAfter {
    /// Created, never polled: only the arguments are stored.
    Start { id: u32, wait: Duration },
    /// Suspended at the `.await`: `name` lives across it, and so does the
    /// timer we are waiting on. `id` is not needed any more, so it is gone.
    Sleeping {
        name: String,
        wait: Duration,
        // `Sleep` must not move once polled (it is `!Unpin`). The compiler
        // keeps it inline and relies on the whole future being pinned; by
        // hand, boxing it is the simple, safe way to give it a fixed address.
        timer: Pin<Box<Sleep>>,
    },
    /// Finished: polling again is a bug, as it is for any future.
    Done,
}

impl Future for LabelAfter {
    type Output = String;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<String> {
        // Every field is Unpin (the timer is boxed), so we may take `&mut`.
        let this = &mut *self;
        loop {
            match this {
                LabelAfter::Start { id, wait } => {
                    println!("    poll: Start -> Sleeping (ran the code before the .await)");
                    // The code before the `.await`, then the move to the next state.
                    let name = format!("job-{id}");
                    *this = LabelAfter::Sleeping {
                        name,
                        wait: *wait,
                        timer: Box::pin(sleep(*wait)),
                    };
                    // Go round: a real `.await` polls the timer right away.
                }
                LabelAfter::Sleeping { name, wait, timer } => {
                    // Poll what we wait on. If it is not ready, it has stored
                    // `cx`'s waker and will wake this task when the time comes;
                    // we return Pending and keep our state for the next poll.
                    if timer.as_mut().poll(cx).is_pending() {
                        println!("          timer not due: stay Sleeping, return Pending");
                        return Poll::Pending;
                    }
                    println!("    poll: timer fired: Sleeping -> Done, return Ready");
                    let out = format!("{name} done after {} ms", wait.as_millis());
                    *this = LabelAfter::Done;
                    return Poll::Ready(out);
                }
                LabelAfter::Done => panic!("LabelAfter polled after it completed"),
            }
        }
    }
}

fn label_after_by_hand(id: u32, wait: Duration) -> LabelAfter {
    // Like calling an async fn: nothing runs yet, the arguments are stored.
    LabelAfter::Start { id, wait }
}
// ANCHOR_END: by_hand

// ANCHOR: sizes
/// A 4 KiB buffer used up before the `.await`: its scope ends there, so the
/// state machine does not keep it.
async fn buffer_dropped_before_await() -> u32 {
    let sum = {
        let buf = [1u8; 4096];
        buf.iter().map(|&b| u32::from(b)).sum::<u32>()
    };
    tokio::task::yield_now().await;
    sum
}

/// The same buffer, still used after the `.await`: it must be kept inside
/// the future while it is suspended.
async fn buffer_kept_across_await() -> u32 {
    let buf = [1u8; 4096];
    tokio::task::yield_now().await;
    buf.iter().map(|&b| u32::from(b)).sum::<u32>()
}

/// The buffer is not used after the `.await`, but its scope runs past it.
/// Today's compiler decides what to keep by scope, not by last use, so
/// this future is as big as the one above. Ending the scope early (the
/// block in the first function) is the fix.
async fn buffer_unused_but_in_scope() -> u32 {
    let buf = [1u8; 4096];
    let sum = buf.iter().map(|&b| u32::from(b)).sum::<u32>();
    tokio::task::yield_now().await;
    sum
}

/// Arguments are stored from the call until the first poll, even if the body
/// never awaits.
async fn takes_a_big_argument(buf: [u8; 1024]) -> u8 {
    buf[0]
}

/// A future holds its callee's future inline while it awaits it: sizes nest.
async fn awaits_the_big_one() -> u32 {
    buffer_kept_across_await().await + 1
}
// ANCHOR_END: sizes

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let wait = Duration::from_millis(20);

    println!("The async fn, driven by tokio:");
    let from_compiler = label_after(7, wait).await;
    println!("    result: {from_compiler}");

    println!("The hand-written state machine, driven by tokio:");
    let by_hand = label_after_by_hand(7, wait).await;
    println!("    result: {by_hand}");
    anyhow::ensure!(from_compiler == by_hand, "the two versions disagree");
    println!("Same result: {}\n", from_compiler == by_hand);

    // Creating a future runs none of its body; size_of_val measures the
    // state machine without polling it.
    println!("Sizes of futures (bytes), never polled:");
    let mut sizes = course::table::Table::new(["future", "bytes"]);
    let rows: [(&str, usize); 8] = [
        (
            "label_after(..) (compiler)",
            size_of_val(&label_after(7, wait)),
        ),
        (
            "LabelAfter (by hand, timer boxed)",
            size_of_val(&label_after_by_hand(7, wait)),
        ),
        ("tokio Sleep (the timer itself)", size_of_val(&sleep(wait))),
        (
            "buffer (4 KiB) dropped before .await",
            size_of_val(&buffer_dropped_before_await()),
        ),
        (
            "buffer (4 KiB) kept across .await",
            size_of_val(&buffer_kept_across_await()),
        ),
        (
            "buffer (4 KiB) unused after .await, in scope",
            size_of_val(&buffer_unused_but_in_scope()),
        ),
        (
            "argument of 1 KiB, no .await",
            size_of_val(&takes_a_big_argument([0; 1024])),
        ),
        ("awaits the 4 KiB one", size_of_val(&awaits_the_big_one())),
    ];
    for (name, bytes) in rows {
        sizes.row([name.to_string(), bytes.to_string()]);
    }
    print!("{}", sizes.render());
    Ok(())
}
// ANCHOR_END: main
