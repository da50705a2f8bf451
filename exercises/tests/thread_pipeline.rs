//! Tests for Part I's pipeline: `cargo test -p exercises --test thread_pipeline`.
//!
//! A pipeline whose last `Sender` is never dropped waits forever, so every
//! test runs it on a thread of its own and waits with a time limit.

#[cfg_attr(
    not(any(feature = "solutions", any_wrong)),
    path = "../src/thread_pipeline.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/thread_pipeline.rs")]
#[cfg_attr(
    wrong = "thread_pipeline__square_on_consumer",
    path = "../wrong/thread_pipeline__square_on_consumer.rs"
)]
#[cfg_attr(
    wrong = "thread_pipeline__square_on_consumer",
    path = "../wrong/thread_pipeline__square_on_consumer.rs"
)]
#[cfg_attr(
    wrong = "thread_pipeline__square_on_consumer",
    path = "../wrong/thread_pipeline__square_on_consumer.rs"
)]
mod thread_pipeline;

use std::sync::{Mutex, mpsc};
use std::thread::{self, ThreadId};
use std::time::Duration;
use thread_pipeline::sum_of_squares;

fn run(numbers: Vec<u64>) -> (Vec<u64>, u64) {
    run_with(numbers, |n| n * n).0
}

/// Runs the pipeline with `square` on a thread of its own; returns its
/// output and that thread's id, the consumer's.
fn run_with(numbers: Vec<u64>, square: fn(u64) -> u64) -> ((Vec<u64>, u64), ThreadId) {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send((sum_of_squares(numbers, square), thread::current().id()));
    });
    match rx.recv_timeout(Duration::from_secs(10)) {
        Ok(out) => out,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "the pipeline did not finish within 10 s: is a Sender still alive, so that a receiving loop never ends?"
        ),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("sum_of_squares panicked"),
    }
}

#[test]
fn squares_arrive_in_order_with_their_sum() {
    let (squares, sum) = run(vec![1, 2, 3, 4]);
    assert_eq!(
        squares,
        [1, 4, 9, 16],
        "the squares, in the order of the numbers"
    );
    assert_eq!(sum, 30);
}

#[test]
fn many_numbers_flow_through() {
    let numbers: Vec<u64> = (1..=10_000).collect();
    let (squares, sum) = run(numbers.clone());
    assert_eq!(squares.len(), numbers.len(), "every number must come out");
    assert!(squares.iter().zip(&numbers).all(|(sq, n)| *sq == n * n));
    assert_eq!(sum, numbers.iter().map(|n| n * n).sum::<u64>());
}

#[test]
fn no_numbers_end_the_pipeline_at_once() {
    assert_eq!(run(vec![]), (vec![], 0));
}

/// The threads `recording_square` ran on (only one test uses it).
static SQUARED_ON: Mutex<Vec<ThreadId>> = Mutex::new(Vec::new());

fn recording_square(n: u64) -> u64 {
    SQUARED_ON.lock().unwrap().push(thread::current().id());
    n * n
}

#[test]
fn the_squares_are_computed_on_a_thread_of_their_own() {
    let ((squares, _), consumer) = run_with(vec![1, 2, 3], recording_square);
    assert_eq!(squares, [1, 4, 9]);
    let threads = SQUARED_ON.lock().unwrap();
    assert_eq!(threads.len(), 3, "`square` must be called once per number");
    assert!(
        threads.iter().all(|&t| t != consumer),
        "the squares were computed on the consumer's thread (the one that called \
         sum_of_squares): the squarer is a stage of its own, a thread between the two channels"
    );
}
