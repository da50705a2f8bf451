//! Part I, threads and parallel speed-up: a parallel sum with scoped threads
//! (solution).
//!
//! `partial_sums` splits `values` into at most `threads` chunks, runs
//! `sum_chunk` on each on its own thread, all at once, and returns the
//! results in chunk order.

use std::thread;

/// `sum_chunk` of each chunk, each on its own thread, all running at once.
/// `threads` is at least 1; an empty `values` gives no chunks.
pub fn partial_sums<F>(values: &[u64], threads: usize, sum_chunk: F) -> Vec<u64>
where
    F: Fn(&[u64]) -> u64 + Sync,
{
    assert!(threads >= 1, "at least one thread");
    let chunk = values.len().div_ceil(threads).max(1);
    let sum_chunk = &sum_chunk; // each thread borrows the one closure
    thread::scope(|s| {
        // Spawn every thread first, and only then join: joining inside the
        // same `map` would wait for each thread before starting the next,
        // and the chunks would run one at a time.
        let handles: Vec<_> = values
            .chunks(chunk)
            .map(|part| s.spawn(move || sum_chunk(part)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

/// The sum of every value, computed in parallel.
pub fn parallel_sum(values: &[u64], threads: usize) -> u64 {
    partial_sums(values, threads, |chunk| chunk.iter().sum())
        .iter()
        .sum()
}
