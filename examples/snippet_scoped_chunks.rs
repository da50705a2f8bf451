//! Threads and scoped threads: each thread changes its own part of one
//! array in place. `thread::scope` lets the threads borrow the data, and
//! `chunks_mut` gives each a part no other thread can touch. Short enough
//! for the Rust Playground.

use std::thread;

// ANCHOR: main
fn main() {
    let mut squares: Vec<u64> = (1..=12).collect();
    let threads = 3;
    let per_thread = squares.len().div_ceil(threads);

    // The scope returns only after every thread in it has been joined, so
    // the threads may borrow `squares` mutably, each its own chunk.
    thread::scope(|s| {
        for (i, part) in squares.chunks_mut(per_thread).enumerate() {
            s.spawn(move || {
                for x in part.iter_mut() {
                    *x *= *x;
                }
                println!("thread {i} squared its {} numbers", part.len());
            });
        }
    });
    // Back on one thread: the borrows have ended, `squares` is ours again.
    println!("{squares:?}");
}
// ANCHOR_END: main
