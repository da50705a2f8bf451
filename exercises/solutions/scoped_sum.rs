//! Part I, threads and parallel speed-up: a parallel sum with scoped threads
//! (solution).
//!
//! `partial_sums` splits `values` into at most `threads` chunks, sums each
//! on its own thread, and returns the chunk sums in order.

use std::thread;

/// The sum of each chunk, computed on one thread per chunk. `threads` is at
/// least 1; an empty `values` gives no chunks.
pub fn partial_sums(values: &[u64], threads: usize) -> Vec<u64> {
    assert!(threads >= 1, "at least one thread");
    let chunk = values.len().div_ceil(threads).max(1);
    thread::scope(|s| {
        // Spawn every thread first, and only then join: joining inside the
        // same `map` would wait for each thread before starting the next,
        // and the sum would run one chunk at a time.
        let handles: Vec<_> = values
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().sum::<u64>()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

/// The sum of every value, computed in parallel.
pub fn parallel_sum(values: &[u64], threads: usize) -> u64 {
    partial_sums(values, threads).iter().sum()
}
