//! Part I, threads and parallel speed-up: a parallel sum with scoped threads.
//!
//! `partial_sums` splits `values` into at most `threads` chunks of
//! `values.len().div_ceil(threads)` values each (the last chunk may be
//! shorter), runs `sum_chunk` on each chunk on a thread of its own, all
//! chunks at the same time, and returns the results in the order of the
//! chunks. `parallel_sum` uses it with a plain sum.
//!
//! Use `std::thread::scope`, so the threads can borrow `values` and
//! `sum_chunk` without copying them or wrapping them in an `Arc`.
//!
//! Check it with `cargo test -p exercises --test scoped_sum`.

// Until you write the body, the stub leaves its parameters and `thread` unused.
#![allow(unused_variables, unused_imports, dead_code)]

use std::thread;

/// `sum_chunk` of each chunk, each on its own thread, all running at once.
/// `threads` is at least 1; an empty `values` gives no chunks.
pub fn partial_sums<F>(values: &[u64], threads: usize, sum_chunk: F) -> Vec<u64>
where
    F: Fn(&[u64]) -> u64 + Sync,
{
    assert!(threads >= 1, "at least one thread");
    let chunk = values.len().div_ceil(threads).max(1);
    // TODO: inside `thread::scope(|s| ...)`, spawn one thread per chunk of
    // `values.chunks(chunk)` that calls `sum_chunk` on its chunk; then join
    // the handles in order and collect the results.
    todo!()
}

/// The sum of every value, computed in parallel.
pub fn parallel_sum(values: &[u64], threads: usize) -> u64 {
    partial_sums(values, threads, |chunk| chunk.iter().sum())
        .iter()
        .sum()
}
