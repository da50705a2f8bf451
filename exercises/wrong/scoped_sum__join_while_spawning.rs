//! Wrong solution of scoped_sum: it joins each thread in the same iterator
//! that spawns it, so each chunk's thread ends before the next one starts.
//! The sums are right; the chunks never run at the same time.
//!
//! caught by: every_chunk_runs_on_its_own_thread_all_at_once

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
        // The mistake: `join` right after `spawn`, in the same `map`.
        values
            .chunks(chunk)
            .map(|part| s.spawn(move || sum_chunk(part)).join().unwrap())
            .collect()
    })
}

/// The sum of every value, computed in parallel.
pub fn parallel_sum(values: &[u64], threads: usize) -> u64 {
    partial_sums(values, threads, |chunk| chunk.iter().sum())
        .iter()
        .sum()
}
