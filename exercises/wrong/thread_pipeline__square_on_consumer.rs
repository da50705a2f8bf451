//! Wrong solution of thread_pipeline: it has no squarer thread. The
//! consumer receives the numbers and squares them itself, so the squares
//! and their sum are right, but the middle stage of the pipeline is
//! missing: nothing overlaps the consumer's work.
//!
//! caught by: the_squares_are_computed_on_a_thread_of_their_own

use std::sync::mpsc;
use std::thread;

/// `square` computes one square (`|n| n * n`); it is a parameter so that
/// the tests can see which thread calls it.
pub fn sum_of_squares(numbers: Vec<u64>, square: fn(u64) -> u64) -> (Vec<u64>, u64) {
    let (numbers_tx, numbers_rx) = mpsc::channel::<u64>();
    let producer = thread::spawn(move || {
        for n in numbers {
            numbers_tx.send(n).unwrap();
        }
    });
    let mut squares = Vec::new();
    let mut sum = 0;
    for n in numbers_rx {
        let sq = square(n);
        squares.push(sq);
        sum += sq;
    }
    producer.join().unwrap();
    (squares, sum)
}
