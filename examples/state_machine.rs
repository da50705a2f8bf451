//! An `async fn` is a state machine. This program writes one out by hand,
//! runs it next to the compiler's version, and measures the futures.
//!
//! Run it with:
//!
//!     cargo run --release --example state_machine
//!
//! A Rust coroutine (a future) is *stackless*: it does not get a stack of
//! its own. The compiler turns the body of an `async fn` into an enum with
//! one variant per `.await` point, and each variant holds the locals saved
//! there: those live at that `.await`, and those borrowed before it and
//! still in scope (rustc's layout is conservative; the sizes show where).
//! Polling the future runs the body from the current state to the next
//! `.await` (or to the end) on the caller's stack, then returns.

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
// Each function below holds a 4 KiB buffer and awaits once or twice; only
// where the buffer sits relative to the `.await` changes. `sum` borrows the
// buffer (`iter` takes `&self`); `first_and_last` only copies two bytes out
// of it, which is no borrow.
fn sum(buf: &[u8]) -> u32 {
    buf.iter().map(|&b| u32::from(b)).sum()
}

fn first_and_last(buf: [u8; 4096]) -> u32 {
    u32::from(buf[0]) + u32::from(buf[4095])
}

/// Not `Copy`, so that `drop(buf)` really ends the value (dropping a `Copy`
/// array would only drop a copy of it).
struct Buf([u8; 4096]);

/// Live at the `.await`: it is used afterwards, so the future must keep it.
async fn live_across_await() -> u32 {
    let buf = [1u8; 4096];
    tokio::task::yield_now().await;
    sum(&buf)
}

/// In scope at the `.await`, never borrowed, not used afterwards: the
/// compiler sees it is dead there and does not keep it.
async fn in_scope_not_borrowed() -> u32 {
    let buf = [1u8; 4096];
    let n = first_and_last(buf);
    tokio::task::yield_now().await;
    n
}

/// In scope at the `.await`, not used afterwards, but borrowed before it:
/// the compiler keeps a borrowed local until its scope ends.
async fn in_scope_borrowed() -> u32 {
    let buf = [1u8; 4096];
    let n = sum(&buf);
    tokio::task::yield_now().await;
    n
}

/// As above, with `drop(buf)` before the `.await`: still kept, because the
/// local was borrowed and its scope has not ended.
async fn borrowed_then_dropped() -> u32 {
    let buf = Buf([1u8; 4096]);
    let n = sum(&buf.0);
    // The drop is the point: it ends the value, yet the future keeps room for it.
    #[allow(clippy::drop_non_drop)]
    drop(buf);
    tokio::task::yield_now().await;
    n
}

/// Borrowed, but inside a block that ends before the `.await`: not kept.
/// Ending a big local's scope early is the reliable way to keep it out.
async fn borrowed_in_a_block() -> u32 {
    let n = {
        let buf = [1u8; 4096];
        sum(&buf)
    };
    tokio::task::yield_now().await;
    n
}

/// Two states, each holding its own 4 KiB buffer across its own `.await`.
/// The states never coexist, so they share memory: about 4 KiB, not 8.
async fn two_states_one_buffer_each() -> u32 {
    let a = {
        let buf = [1u8; 4096];
        tokio::task::yield_now().await;
        sum(&buf)
    };
    let b = {
        let buf = [2u8; 4096];
        tokio::task::yield_now().await;
        sum(&buf)
    };
    a + b
}

/// The same two buffers, but the first stays in scope while the second is
/// created. The first is dead at the second `.await` (used before it, never
/// borrowed), yet rustc lets two saved locals share memory only if they
/// never occupy their storage at once, and a local that is only read
/// occupies it until its scope ends: this future holds both, about 8 KiB.
async fn two_buffers_scopes_overlap() -> u32 {
    let a = [1u8; 4096];
    tokio::task::yield_now().await;
    let n = first_and_last(a);
    let b = [2u8; 4096];
    tokio::task::yield_now().await;
    n + first_and_last(b)
}

/// Arguments are stored from the call until the first poll, even if the body
/// never awaits.
async fn takes_a_big_argument(buf: [u8; 1024]) -> u8 {
    buf[0]
}

/// A future holds its callee's future inline while it awaits it: sizes nest.
async fn awaits_the_big_one() -> u32 {
    live_across_await().await + 1
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
    println!("Sizes of futures (bytes), never polled; each buffer is 4 KiB:");
    let mut sizes = course::table::Table::new(["future", "bytes"]);
    let rows: [(&str, usize); 12] = [
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
            "buffer live across .await",
            size_of_val(&live_across_await()),
        ),
        (
            "buffer in scope, dead, never borrowed",
            size_of_val(&in_scope_not_borrowed()),
        ),
        (
            "buffer in scope, dead, borrowed",
            size_of_val(&in_scope_borrowed()),
        ),
        (
            "buffer borrowed, then drop(buf)",
            size_of_val(&borrowed_then_dropped()),
        ),
        (
            "buffer borrowed in a block ending before",
            size_of_val(&borrowed_in_a_block()),
        ),
        (
            "two states, one buffer each",
            size_of_val(&two_states_one_buffer_each()),
        ),
        (
            "two buffers, scopes overlap",
            size_of_val(&two_buffers_scopes_overlap()),
        ),
        (
            "argument of 1 KiB, no .await",
            size_of_val(&takes_a_big_argument([0; 1024])),
        ),
        (
            "awaits the live-buffer one",
            size_of_val(&awaits_the_big_one()),
        ),
    ];
    for (name, bytes) in rows {
        sizes.row([name.to_string(), bytes.to_string()]);
    }
    print!("{}", sizes.render());
    Ok(())
}
// ANCHOR_END: main
