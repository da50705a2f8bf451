//! Tests for Part I's parallel sum: `cargo test -p exercises --test scoped_sum`.
//!
//! Besides the sums, they watch the threads: the chunk function they pass
//! in notes which thread runs each chunk, and waits (for at most two
//! seconds) until every chunk has started. Chunks that run one after
//! another, or on the caller's thread, never all meet, and the test says so.

#[cfg_attr(
    not(any(feature = "solutions", any_wrong)),
    path = "../src/scoped_sum.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/scoped_sum.rs")]
#[cfg_attr(
    wrong = "scoped_sum__join_while_spawning",
    path = "../wrong/scoped_sum__join_while_spawning.rs"
)]
#[cfg_attr(
    wrong = "scoped_sum__join_while_spawning",
    path = "../wrong/scoped_sum__join_while_spawning.rs"
)]
#[cfg_attr(
    wrong = "scoped_sum__join_while_spawning",
    path = "../wrong/scoped_sum__join_while_spawning.rs"
)]
mod scoped_sum;

use scoped_sum::{parallel_sum, partial_sums};
use std::collections::HashSet;
use std::sync::{Condvar, Mutex};
use std::thread::{self, ThreadId};
use std::time::Duration;

/// A chunk function that records where it ran and whether all `expected`
/// chunks were running at the same time.
struct Meeting {
    expected: usize,
    /// Chunks started, the threads they ran on, and whether any chunk gave
    /// up waiting for the others.
    state: Mutex<(usize, HashSet<ThreadId>, bool)>,
    all_here: Condvar,
}

impl Meeting {
    fn new(expected: usize) -> Self {
        Self {
            expected,
            state: Mutex::new((0, HashSet::new(), false)),
            all_here: Condvar::new(),
        }
    }

    fn sum(&self, chunk: &[u64]) -> u64 {
        let mut state = self.state.lock().unwrap();
        state.0 += 1;
        state.1.insert(thread::current().id());
        self.all_here.notify_all();
        // Wait until every chunk has arrived, but never forever: a
        // sequential version must fail, not hang.
        let (mut state, wait) = self
            .all_here
            .wait_timeout_while(state, Duration::from_secs(2), |s| s.0 < self.expected)
            .unwrap();
        if wait.timed_out() {
            state.2 = true;
        }
        chunk.iter().sum()
    }

    /// Every chunk found all the others running.
    fn met(&self) -> bool {
        let state = self.state.lock().unwrap();
        state.0 == self.expected && !state.2
    }
}

#[test]
fn four_threads_give_four_chunk_sums_in_order() {
    let values: Vec<u64> = (1..=1000).collect();
    let sums = partial_sums(&values, 4, |c| c.iter().sum());
    let expected: Vec<u64> = values.chunks(250).map(|c| c.iter().sum()).collect();
    assert_eq!(
        sums, expected,
        "1..=1000 on 4 threads: chunks of 250 values, their sums in chunk order"
    );
}

#[test]
fn every_chunk_runs_on_its_own_thread_all_at_once() {
    let values: Vec<u64> = (1..=1000).collect();
    let meeting = Meeting::new(4);
    let sums = partial_sums(&values, 4, |c| meeting.sum(c));
    assert_eq!(sums.iter().sum::<u64>(), 500_500);
    let threads = meeting.state.lock().unwrap().1.clone();
    assert!(
        !threads.contains(&thread::current().id()),
        "a chunk ran on the calling thread: spawn a thread for every chunk"
    );
    assert_eq!(
        threads.len(),
        4,
        "4 chunks should run on 4 different threads"
    );
    assert!(
        meeting.met(),
        "the chunks never ran at the same time: spawn every thread before joining any"
    );
}

#[test]
fn the_sum_is_the_same_on_any_number_of_threads() {
    let values: Vec<u64> = (0..10_007).map(|i| i * 7 % 1000).collect();
    let expected: u64 = values.iter().sum();
    for threads in [1, 2, 3, 8, 64] {
        assert_eq!(
            parallel_sum(&values, threads),
            expected,
            "wrong sum on {threads} thread(s)"
        );
    }
}

#[test]
fn uneven_and_tiny_inputs() {
    let sum = |c: &[u64]| c.iter().sum();
    // 10 values on 4 threads: chunks of 3, 3, 3 and 1.
    let values: Vec<u64> = (1..=10).collect();
    assert_eq!(partial_sums(&values, 4, sum), [6, 15, 24, 10]);
    // More threads than values: one value per chunk.
    assert_eq!(partial_sums(&[5, 6], 8, sum), [5, 6]);
    // Nothing to sum: no chunks, and a sum of zero.
    assert!(partial_sums(&[], 4, sum).is_empty(), "no values, no chunks");
    assert_eq!(parallel_sum(&[], 4), 0);
}
