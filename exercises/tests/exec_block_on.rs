//! Tests for the executor chapter's exercise:
//! `cargo test -p exercises --test exec_block_on`.
//!
//! No tokio here: `block_on` is the runtime. Wakes come from other threads,
//! and the tests check results and poll counts, never durations.

#[cfg_attr(not(feature = "solutions"), path = "../src/exec_block_on.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/exec_block_on.rs")]
mod exec_block_on;

use exec_block_on::block_on;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::Duration;

/// Runs `f` on a thread of its own and waits at most 5 s for it, so that a
/// `block_on` that sleeps through its wake-up fails with `hang` instead of
/// hanging the test run.
fn within_5s<T: Send + 'static>(hang: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(Duration::from_secs(5)) {
        Ok(out) => out,
        Err(RecvTimeoutError::Timeout) => panic!("block_on did not return within 5 s: {hang}"),
        Err(RecvTimeoutError::Disconnected) => panic!("block_on panicked (see above)"),
    }
}

#[test]
fn returns_the_output_of_a_ready_future() {
    assert_eq!(block_on(async { 6 * 7 }), 42);
}

/// Pending until a thread, started on the first poll, sets `done` and wakes
/// the stored waker 50 ms later. Counts its polls.
struct WokenByThread {
    done: Arc<Mutex<(bool, Option<Waker>)>>,
    started: bool,
    polls: Arc<AtomicUsize>,
}

impl Future for WokenByThread {
    type Output = &'static str;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<&'static str> {
        self.polls.fetch_add(1, Ordering::SeqCst);
        let mut state = self.done.lock().unwrap();
        if state.0 {
            return Poll::Ready("woken by another thread");
        }
        state.1 = Some(cx.waker().clone());
        drop(state);
        if !self.started {
            self.started = true;
            let shared = Arc::clone(&self.done);
            thread::spawn(move || {
                thread::sleep(Duration::from_millis(50));
                let mut state = shared.lock().unwrap();
                state.0 = true;
                if let Some(w) = state.1.take() {
                    w.wake();
                }
            });
        }
        Poll::Pending
    }
}

#[test]
fn sleeps_until_woken_from_another_thread() {
    let polls = Arc::new(AtomicUsize::new(0));
    let fut = WokenByThread {
        done: Arc::new(Mutex::new((false, None))),
        started: false,
        polls: Arc::clone(&polls),
    };
    let out = within_5s(
        "the future's waker was called from another thread, but the thread in \
         block_on never woke up (does your waker unpark it?)",
        move || block_on(fut),
    );
    assert_eq!(out, "woken by another thread");
    let polls = polls.load(Ordering::SeqCst);
    // Two polls are expected: Pending, then Ready after the wake. `park`
    // may rarely return early, which costs an extra poll or two; a loop
    // that never sleeps polls thousands of times in 50 ms.
    assert!(
        polls <= 10,
        "the future was polled {polls} times during one wait: block_on must park \
         the thread while the future is Pending, not poll in a busy loop"
    );
}

/// Wakes itself, from inside `poll`, before returning Pending: the wake
/// happens *before* `block_on` parks. A correct `block_on` must not sleep
/// through it.
struct WakesItselfFirst(usize);

impl Future for WakesItselfFirst {
    type Output = usize;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<usize> {
        if self.0 == 3 {
            return Poll::Ready(self.0);
        }
        self.0 += 1;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

#[test]
fn a_wake_before_parking_is_not_lost() {
    let out = within_5s(
        "the future called wake() before block_on parked, and that wake-up was \
         lost (thread::park/unpark keep a token for exactly this case)",
        || block_on(WakesItselfFirst(0)),
    );
    assert_eq!(out, 3);
}

#[test]
fn works_on_any_thread() {
    let out = thread::spawn(|| block_on(async { "from a spawned thread" }))
        .join()
        .unwrap();
    assert_eq!(out, "from a spawned thread");
}
