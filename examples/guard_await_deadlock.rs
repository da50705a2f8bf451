//! A std `MutexGuard` held across `.await`, where the compiler lets it
//! through: a current-thread runtime with a `LocalSet`, whose tasks need not
//! be `Send`. It compiles, and it deadlocks.
//!
//! Run it with:
//!
//!     cargo run --release --example guard_await_deadlock
//!
//! `tokio::spawn` would refuse this code (its future must be `Send`, and a
//! std `MutexGuard` is not: chapter 18 shows the error). `spawn_local`,
//! `Runtime::block_on` and `futures::executor::block_on` ask for no `Send`,
//! so the mistake compiles there. The runtime runs on a thread of its own,
//! so that the main thread can notice the deadlock with a time limit and
//! end the program.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Mutex, TryLockError};
use std::thread;
use std::time::{Duration, Instant};

/// How long the main thread waits, once task B is about to lock, before it
/// calls it a deadlock. The lock needs microseconds; this is generous.
const PATIENCE: Duration = Duration::from_millis(500);
/// How long the main thread waits for task B to get that far at all: on a
/// busy machine, starting a thread and a runtime can take a while.
const STARTUP: Duration = Duration::from_secs(5);

static COUNTER: Mutex<u64> = Mutex::new(0);
/// Raised by task B just before its `lock`, so that the time limit measures
/// the lock and not the start-up.
static B_LOCKING: AtomicBool = AtomicBool::new(false);

// ANCHOR: tasks
/// Task A locks, then awaits with the guard alive: the task is suspended,
/// and the lock stays locked, until the runtime polls A again. Clippy knows
/// this mistake (`await_holding_lock`); here it is made on purpose.
#[expect(clippy::await_holding_lock, reason = "the mistake this program shows")]
async fn task_a() {
    let mut n = COUNTER.lock().unwrap();
    *n += 1;
    tokio::task::yield_now().await; // suspended here, still holding the lock
    *n += 1;
}

/// Task B runs on the same thread while A is suspended. Its `lock` blocks
/// the thread, so the runtime can never poll A again to release the lock.
async fn task_b() {
    if let Err(TryLockError::WouldBlock) = COUNTER.try_lock() {
        println!("  task B: the lock is held by task A, suspended at its .await");
        println!("  task B: calling lock(), which blocks this thread, the runtime's only one");
    }
    B_LOCKING.store(true, Ordering::Release);
    *COUNTER.lock().unwrap() += 10;
    println!("  task B: got the lock (no deadlock this time)");
}
// ANCHOR_END: tasks

fn main() {
    println!("Two tasks on a current-thread runtime share a std Mutex; A holds it across .await:");
    let (done_tx, done_rx) = mpsc::channel();
    // ANCHOR: run
    thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a current-thread runtime");
        let local = tokio::task::LocalSet::new();
        local.block_on(&runtime, async {
            // spawn_local asks for no Send: the mistake compiles.
            let a = tokio::task::spawn_local(task_a());
            let b = tokio::task::spawn_local(task_b());
            let _ = (a.await, b.await);
        });
        let _ = done_tx.send(());
    });
    // ANCHOR_END: run
    let start = Instant::now();
    while !B_LOCKING.load(Ordering::Acquire) && start.elapsed() < STARTUP {
        thread::sleep(Duration::from_millis(1));
    }
    match done_rx.recv_timeout(PATIENCE) {
        Ok(()) => println!("  both tasks finished: no deadlock"),
        Err(RecvTimeoutError::Timeout) => println!(
            "  DEADLOCK: the runtime did not finish within {} ms of B's lock(). Its thread is blocked there,\n  so A, which holds the lock, is never polled again.",
            PATIENCE.as_millis()
        ),
        // The runtime thread panicked: std documents that locking a mutex
        // its thread already holds may panic instead of deadlocking.
        Err(RecvTimeoutError::Disconnected) => {
            println!("  the runtime thread panicked in B's lock() (std allows panic or deadlock)")
        }
    }
    // Returning from main ends the process, and with it the blocked thread.
}
