//! Part III, cooperative scheduling: make a CPU-heavy task cooperative
//! (solution).
//!
//! `sum_of_squares(n)` adds up 0² + 1² + ... + (n-1)², and gives the runtime
//! a turn after every `CHUNK` numbers, so other tasks run between chunks.

/// How many numbers to add between two turns given to other tasks.
pub const CHUNK: u64 = 1_000;

pub async fn sum_of_squares(n: u64) -> u64 {
    let mut sum = 0u64;
    for i in 0..n {
        sum = sum.wrapping_add(i.wrapping_mul(i));
        if (i + 1) % CHUNK == 0 {
            // The line that matters: yield_now returns Pending once, so this
            // task goes to the back of the run queue and the runtime polls
            // the others before it continues.
            tokio::task::yield_now().await;
        }
    }
    sum
}
