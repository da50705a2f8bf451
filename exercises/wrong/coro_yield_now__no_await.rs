//! Wrong solution of coro_yield_now: it calls `tokio::task::yield_now()`
//! but never awaits the future it returns. A future does nothing until it
//! is polled (the compiler warns: "unused implementer of `Future`"), so the
//! loop never gives the thread back.
//!
//! caught by: other_tasks_run_between_chunks

/// How many numbers to add between two turns given to other tasks.
pub const CHUNK: u64 = 1_000;

pub async fn sum_of_squares(n: u64) -> u64 {
    let mut sum = 0u64;
    for i in 0..n {
        sum = sum.wrapping_add(i.wrapping_mul(i));
        if (i + 1) % CHUNK == 0 {
            // The mistake: the future is built and dropped, never polled.
            #[allow(unused_must_use)]
            tokio::task::yield_now();
        }
    }
    sum
}
