//! A timer future backed by a thread: the future stores the `Waker` it is
//! given, and the thread calls it when the time is up.
//!
//! Run it with:
//!
//!     cargo run --release --example timer_future
//!     cargo run --release --example timer_future -- --in-main
//!
//! `--in-main` joins the timers in `main`'s own future instead of a spawned
//! task, to show that `will_wake` is best-effort (see the comment in `main`).
//!
//! This is the shape of every real leaf future. A socket read, a timer, a
//! channel receive: each returns `Pending` while it cannot finish, leaves
//! the waker with whoever will know when it can (here a thread, in tokio
//! the I/O driver or the timer wheel), and is polled again only after that
//! someone calls `wake`. Between those two moments the task costs nothing:
//! no thread spins or sleeps on its behalf in the executor.

use course::clock::Clock;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::{Duration, Instant};

// ANCHOR: timer
/// What the future and its timer thread share.
struct Shared {
    done: bool,
    /// The waker of the most recent poll. Only the latest one counts: a
    /// task may be moved and polled with a different waker.
    waker: Option<Waker>,
}

pub struct TimerFuture {
    name: &'static str,
    wait: Duration,
    clock: Clock,
    /// `None` until the first poll: creating the future starts nothing.
    shared: Option<Arc<Mutex<Shared>>>,
}

impl TimerFuture {
    /// A timer of `wait`, measured from its first poll. Like every future,
    /// it does nothing until it is polled.
    pub fn new(name: &'static str, wait: Duration, clock: Clock) -> Self {
        TimerFuture {
            name,
            wait,
            clock,
            shared: None,
        }
    }

    /// Starts a thread that sleeps for `wait`, then marks the timer done
    /// and wakes whoever polled it last.
    fn start(&self, waker: Waker) -> Arc<Mutex<Shared>> {
        let shared = Arc::new(Mutex::new(Shared {
            done: false,
            waker: Some(waker),
        }));
        let for_thread = Arc::clone(&shared);
        let (name, wait, clock) = (self.name, self.wait, self.clock);
        thread::spawn(move || {
            thread::sleep(wait);
            // Mark it done and take the waker under the lock, then release
            // the lock *before* calling `wake`. A waker may poll the task
            // on the spot, or take a lock of its own; called with this lock
            // held, it would deadlock on the poll's `lock()` below.
            let waker = {
                let mut state = for_thread.lock().unwrap();
                state.done = true;
                state.waker.take()
            };
            if let Some(waker) = waker {
                println!(
                    "{} timer thread {name}: time is up, calling wake()",
                    clock.stamp()
                );
                waker.wake();
            }
        });
        shared
    }
}

impl Future for TimerFuture {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let Some(shared) = &self.shared else {
            // First poll: only now does the timer start.
            println!(
                "{} poll {}: first poll -> start the timer thread, Pending",
                self.clock.stamp(),
                self.name
            );
            self.shared = Some(self.start(cx.waker().clone()));
            return Poll::Pending;
        };
        // One lock covers both the check and the store, so the thread
        // cannot finish between them and wake nobody (a lost wake-up).
        let mut state = shared.lock().unwrap();
        if state.done {
            println!("{} poll {}: done -> Ready", self.clock.stamp(), self.name);
            return Poll::Ready(());
        }
        let what = match &mut state.waker {
            // Polled again with the same waker: keep it, no clone needed.
            Some(old) if old.will_wake(cx.waker()) => "same waker as before (will_wake), keep it",
            slot => {
                *slot = Some(cx.waker().clone());
                "store this poll's waker"
            }
        };
        println!(
            "{} poll {}: not yet -> {what}, Pending",
            self.clock.stamp(),
            self.name
        );
        Poll::Pending
    }
}
// ANCHOR_END: timer

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let in_main = match std::env::args().nth(1).as_deref() {
        None => false,
        Some("--in-main") if std::env::args().len() == 2 => true,
        Some(_) => {
            let args: Vec<String> = std::env::args().skip(1).collect();
            eprintln!("timer_future: unexpected arguments: {}", args.join(" "));
            eprintln!("usage: timer_future [--in-main]");
            std::process::exit(2);
        }
    };
    let clock = Clock::start();
    // Two timers awaited together in one task: `join!` polls both, and
    // each poll of the task polls whichever of them is not done yet.
    let slow = TimerFuture::new("A (200 ms)", Duration::from_millis(200), clock);
    let fast = TimerFuture::new("B (100 ms)", Duration::from_millis(100), clock);
    // Longer than both timers. Had creating them started their threads,
    // both would be done by now, and their first polls would be `Ready`.
    tokio::time::sleep(Duration::from_millis(250)).await;
    println!(
        "{} created A and B 250 ms ago, not polled yet: no timer has started",
        clock.stamp()
    );
    let polled = Instant::now();
    // In a spawned task, so that every poll gets the task's waker: tokio
    // gives task wakers one function table, so `will_wake` recognises them.
    // (The current-thread `block_on` waker and its clones point at different
    // copies of their table in tokio 1.54.1: `will_wake` would answer false.)
    if in_main {
        tokio::join!(slow, fast);
    } else {
        tokio::spawn(async move { tokio::join!(slow, fast) })
            .await
            .expect("the timers do not panic");
    }
    println!(
        "{} both timers done, {} ms after their first polls: about the longer wait, not the sum",
        clock.stamp(),
        polled.elapsed().as_millis()
    );
}
// ANCHOR_END: main
