//! Tests for Part II's pool exercise: `cargo test -p exercises --test io_pool`.
//!
//! Jobs that must wait block on a gate the test opens; a `submit` that
//! waits, or a pool that never finishes, fails after a time limit instead
//! of hanging the run. The tests check who ran what, never how fast.

#[cfg_attr(not(any(feature = "solutions", any_wrong)), path = "../src/io_pool.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/io_pool.rs")]
#[cfg_attr(
    wrong = "io_pool__blocking_send",
    path = "../wrong/io_pool__blocking_send.rs"
)]
mod io_pool;

use io_pool::{Pool, Rejected};
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, mpsc};
use std::thread;
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(5);

/// Closed until `open`: jobs that call `wait` block until then.
#[derive(Default)]
struct Gate {
    open: Mutex<bool>,
    opened: Condvar,
}

impl Gate {
    fn wait(&self) {
        let open = self.open.lock().unwrap();
        drop(self.opened.wait_while(open, |open| !*open).unwrap());
    }
    fn open(&self) {
        *self.open.lock().unwrap() = true;
        self.opened.notify_all();
    }
}

#[test]
fn runs_every_job_on_the_pools_workers() {
    let pool = Pool::new(2, 10);
    let ran_on = Arc::new(Mutex::new(Vec::new()));
    for _ in 0..10 {
        let ran_on = Arc::clone(&ran_on);
        pool.submit(move || ran_on.lock().unwrap().push(thread::current().id()))
            .expect("a queue of 10 takes 10 jobs");
    }
    pool.shut_down();
    let ran_on = ran_on.lock().unwrap();
    assert_eq!(ran_on.len(), 10, "shut_down must wait for every queued job");
    let threads: HashSet<_> = ran_on.iter().collect();
    assert!(
        threads.len() <= 2,
        "10 jobs ran on {} threads with 2 workers: a pool's jobs run on its workers, \
         not on a thread each",
        threads.len()
    );
    assert!(!threads.contains(&thread::current().id()));
}

#[test]
fn a_full_queue_rejects_at_once() {
    let pool = Arc::new(Pool::new(2, 3));
    let gate = Arc::new(Gate::default());
    let (started_tx, started) = mpsc::channel();
    let ran = Arc::new(AtomicUsize::new(0));
    let blocked_job = || {
        let (gate, started_tx, ran) = (Arc::clone(&gate), started_tx.clone(), Arc::clone(&ran));
        move || {
            let _ = started_tx.send(());
            gate.wait();
            ran.fetch_add(1, Ordering::SeqCst);
        }
    };
    // Both workers take a job and block on the gate...
    for _ in 0..2 {
        pool.submit(blocked_job()).unwrap();
    }
    for _ in 0..2 {
        started
            .recv_timeout(LIMIT)
            .expect("two workers should each have started a job");
    }
    // ... so the queue fills with three more.
    for i in 0..3 {
        assert_eq!(pool.submit(blocked_job()), Ok(()), "queued job {i} fits");
    }
    // The sixth finds the queue full. Submit it from another thread, so a
    // `submit` that waits fails the test instead of hanging it.
    let (answer_tx, answer) = mpsc::channel();
    let submitter = {
        let (pool, job) = (Arc::clone(&pool), blocked_job());
        thread::spawn(move || {
            let _ = answer_tx.send(pool.submit(job));
        })
    };
    let sixth = answer.recv_timeout(Duration::from_secs(2));
    gate.open();
    assert_eq!(
        sixth,
        Ok(Err(Rejected)),
        "with 2 workers busy and 3 jobs queued, the sixth submit must return \
         Err(Rejected) at once (`try_send`); waiting for room stops the accept loop"
    );
    submitter.join().unwrap();
    let pool = Arc::into_inner(pool).expect("the submitter is done");
    pool.shut_down();
    assert_eq!(
        ran.load(Ordering::SeqCst),
        5,
        "the five accepted jobs all run"
    );
}

#[test]
fn shut_down_finishes_the_queued_jobs() {
    let pool = Pool::new(1, 5);
    let done = Arc::new(AtomicUsize::new(0));
    for _ in 0..5 {
        let done = Arc::clone(&done);
        pool.submit(move || {
            thread::sleep(Duration::from_millis(10));
            done.fetch_add(1, Ordering::SeqCst);
        })
        .unwrap();
    }
    pool.shut_down();
    assert_eq!(
        done.load(Ordering::SeqCst),
        5,
        "shut_down returned before the queued jobs had run"
    );
}
