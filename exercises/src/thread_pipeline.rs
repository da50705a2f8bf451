//! Part I, shared state: a producer/consumer pipeline over channels.
//!
//! Three stages, each on its own thread, joined by `std::sync::mpsc`
//! channels, so that no data is shared: each value is *sent* to the next
//! stage, which then owns it.
//!
//! ```text
//! producer --numbers--> squarer --squares--> consumer (the calling thread)
//! ```
//!
//! `sum_of_squares(numbers)` returns the squares in the order of `numbers`,
//! and their sum. The consumer's loop must end by itself: a receiver's
//! iterator ends when every `Sender` of its channel has been dropped.
//!
//! Check it with `cargo test -p exercises --test thread_pipeline`.

// Until you write the body, the stub leaves some names unused.
#![allow(unused_variables, unused_imports, dead_code)]

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

    // TODO: the squarer: a thread of its own that receives every number
    // from `numbers_rx`, and sends `square(n)` on `squares_tx`.

    // TODO: the consumer, here on the calling thread: receive every square
    // from `squares_rx` in order, keeping them and adding them up.

    // TODO: join the threads, and return the squares and their sum.
    todo!()
}
