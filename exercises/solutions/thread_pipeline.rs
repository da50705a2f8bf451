//! Part I, shared state: a producer/consumer pipeline over channels
//! (solution).
//!
//! ```text
//! producer --numbers--> squarer --squares--> consumer (the calling thread)
//! ```

use std::sync::mpsc;
use std::thread;

/// `square` computes one square (`|n| n * n`); it is a parameter so that
/// the tests can see which thread calls it.
pub fn sum_of_squares(numbers: Vec<u64>, square: fn(u64) -> u64) -> (Vec<u64>, u64) {
    let (numbers_tx, numbers_rx) = mpsc::channel::<u64>();
    let (squares_tx, squares_rx) = mpsc::channel::<u64>();

    // The producer: sends every number, then ends, dropping `numbers_tx`.
    let producer = thread::spawn(move || {
        for n in numbers {
            numbers_tx.send(n).unwrap();
        }
    });

    // `move` gives the squarer the only `squares_tx`. Had it been cloned, or
    // kept here, the consumer's loop below would wait forever for a sender
    // that never drops.
    let squarer = thread::spawn(move || {
        for n in numbers_rx {
            squares_tx.send(square(n)).unwrap();
        }
    });

    let mut squares = Vec::new();
    let mut sum = 0;
    for sq in squares_rx {
        squares.push(sq);
        sum += sq;
    }
    producer.join().unwrap();
    squarer.join().unwrap();
    (squares, sum)
}
