//! Part III, cooperative scheduling: make a CPU-heavy task cooperative.
//!
//! `sum_of_squares(n)` adds up 0² + 1² + ... + (n-1)² in one go. It never
//! reaches an `.await` that returns Pending, so on a current-thread runtime
//! no other task runs until it is done, however long that takes.
//!
//! Make it cooperative: after every `CHUNK` numbers, give the runtime a turn
//! with `tokio::task::yield_now().await`, so that other tasks run between
//! the chunks. Not after every number: each yield is a trip through the
//! scheduler, and the work should still be mostly work. The result must not
//! change.
//!
//! Check it with `cargo test -p exercises --test coro_yield_now`.

/// How many numbers to add between two turns given to other tasks.
pub const CHUNK: u64 = 1_000;

pub async fn sum_of_squares(n: u64) -> u64 {
    let mut sum = 0u64;
    for i in 0..n {
        sum = sum.wrapping_add(i.wrapping_mul(i));
        // TODO: after every CHUNK numbers, let other tasks run.
    }
    sum
}
