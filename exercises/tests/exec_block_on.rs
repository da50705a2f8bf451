//! Tests for the executor chapter's exercise:
//! `cargo test -p exercises --test exec_block_on`.
//!
//! No tokio here: `block_on` is the runtime. Wakes come from other threads,
//! and the tests check results and poll counts, never durations.

#[cfg_attr(
    not(any(feature = "solutions", any_wrong)),
    path = "../src/exec_block_on.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/exec_block_on.rs")]
#[cfg_attr(
    wrong = "exec_block_on__park_timeout",
    path = "../wrong/exec_block_on__park_timeout.rs"
)]
#[cfg_attr(
    wrong = "exec_block_on__park_timeout",
    path = "../wrong/exec_block_on__park_timeout.rs"
)]
#[cfg_attr(
    wrong = "exec_block_on__park_timeout",
    path = "../wrong/exec_block_on__park_timeout.rs"
)]
mod exec_block_on;

use exec_block_on::block_on;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::{Duration, Instant};

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

/// What `WokenOnSchedule` saw: polls with no wake before them, and the
/// longest time from a wake to the poll that followed it.
#[derive(Default)]
struct Schedule {
    waker: Option<Waker>,
    woken_at: Option<Instant>,
    wakes: usize,
    polls: usize,
    unwoken_polls: usize,
    slowest_answer: Duration,
}

/// Pending until a helper thread has woken it twice: 100 ms after its first
/// poll, then 1 s after the poll that answered that wake. Those two gaps
/// catch a `block_on` that polls on a timer, whatever its period: shorter
/// than 1 s, it polls with no wake in between; longer, it answers the first
/// wake late.
struct WokenOnSchedule {
    shared: Arc<(Mutex<Schedule>, std::sync::Condvar)>,
}

impl Future for WokenOnSchedule {
    type Output = (usize, Duration);
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<(usize, Duration)> {
        let (lock, polled) = &*self.shared;
        let mut s = lock.lock().unwrap();
        s.polls += 1;
        match s.woken_at.take() {
            Some(at) => s.slowest_answer = s.slowest_answer.max(at.elapsed()),
            None if s.polls > 1 => s.unwoken_polls += 1,
            None => {
                let shared = Arc::clone(&self.shared);
                thread::spawn(move || wake_on_schedule(&shared));
            }
        }
        s.waker = Some(cx.waker().clone());
        polled.notify_all();
        if s.wakes == 2 {
            Poll::Ready((s.unwoken_polls, s.slowest_answer))
        } else {
            Poll::Pending
        }
    }
}

fn wake_on_schedule(shared: &(Mutex<Schedule>, std::sync::Condvar)) {
    let (lock, polled) = shared;
    for gap in [Duration::from_millis(100), Duration::from_secs(1)] {
        thread::sleep(gap);
        let mut s = lock.lock().unwrap();
        s.wakes += 1;
        s.woken_at = Some(Instant::now());
        let waker = s.waker.clone().expect("polled once");
        let polls = s.polls;
        drop(s);
        waker.wake();
        // Wait for the poll that answers this wake before the next gap.
        let s = lock.lock().unwrap();
        let _ = polled.wait_timeout_while(s, Duration::from_secs(2), |s| s.polls == polls);
    }
}

#[test]
fn polls_again_only_when_woken_and_at_once() {
    let fut = WokenOnSchedule {
        shared: Arc::new((Mutex::new(Schedule::default()), std::sync::Condvar::new())),
    };
    let (unwoken_polls, slowest_answer) = within_5s(
        "the future's waker was called, but the thread in block_on never polled \
         again (does your waker unpark it?)",
        move || block_on(fut),
    );
    // `park` may return spuriously now and then: one such poll is allowed.
    assert!(
        unwoken_polls <= 1,
        "the future was polled {unwoken_polls} times with no wake before the poll: \
         block_on must sleep until the waker is called (`thread::park`), not wake up \
         on a timer to poll again"
    );
    assert!(
        slowest_answer < Duration::from_millis(250),
        "the waker was called, but the next poll came only {slowest_answer:?} later: \
         `wake` must unpark the thread in block_on, so it polls at once"
    );
}
