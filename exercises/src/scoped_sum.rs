//! Part I, threads and parallel speed-up: a parallel sum with scoped threads.
//!
//! `partial_sums` splits `values` into at most `threads` chunks of
//! `values.len().div_ceil(threads)` values each (the last chunk may be
//! shorter), sums each chunk on its own thread, and returns the chunk sums
//! in the order of the chunks. `parallel_sum` adds them up.
//!
//! Use `std::thread::scope`, so the threads can borrow `values` without
//! copying it or wrapping it in an `Arc`.
//!
//! Check it with `cargo test -p exercises --test scoped_sum`.

// Until you write the body, the stub leaves its parameters and `thread` unused.
#![allow(unused_variables, unused_imports, dead_code)]

use std::thread;

/// The sum of each chunk, computed on one thread per chunk. `threads` is at
/// least 1; an empty `values` gives no chunks.
pub fn partial_sums(values: &[u64], threads: usize) -> Vec<u64> {
    assert!(threads >= 1, "at least one thread");
    let chunk = values.len().div_ceil(threads).max(1);
    // TODO: inside `thread::scope(|s| ...)`, spawn one thread per chunk of
    // `values.chunks(chunk)` that sums its chunk; then join the handles in
    // order and collect the sums.
    todo!()
}

/// The sum of every value, computed in parallel.
pub fn parallel_sum(values: &[u64], threads: usize) -> u64 {
    partial_sums(values, threads).iter().sum()
}
