//! Tests for Part I's pipeline: `cargo test -p exercises --test thread_pipeline`.
//!
//! A pipeline whose last `Sender` is never dropped waits forever, so every
//! test runs it on a thread of its own and waits with a time limit.

#[cfg_attr(not(feature = "solutions"), path = "../src/thread_pipeline.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/thread_pipeline.rs")]
mod thread_pipeline;

use std::sync::mpsc;
use std::thread;
use std::time::Duration;
use thread_pipeline::sum_of_squares;

fn run(numbers: Vec<u64>) -> (Vec<u64>, u64) {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(sum_of_squares(numbers));
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
