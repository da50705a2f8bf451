//! Why concurrency helps waiting and not computing, on one thread: three
//! tasks that wait 100 ms each overlap; three that compute for 100 ms each
//! can only take turns. Short enough for the Rust Playground.

use std::future::Future;
use std::time::{Duration, Instant};
use tokio::time::sleep;

// ANCHOR: main
async fn wait() {
    sleep(Duration::from_millis(100)).await; // hands the thread back
}

async fn compute() {
    let start = Instant::now();
    while start.elapsed() < Duration::from_millis(100) {} // keeps the thread
}

/// Spawns three tasks running `job` and waits for all three; returns
/// the time taken, rounded to the nearest 100 ms (timers are not exact).
async fn three_tasks<F: Future<Output = ()> + Send + 'static>(job: fn() -> F) -> u128 {
    let start = Instant::now();
    let tasks: Vec<_> = (0..3).map(|_| tokio::spawn(job())).collect();
    for t in tasks {
        t.await.unwrap();
    }
    (start.elapsed().as_millis() + 50) / 100 * 100
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    println!(
        "3 waiting tasks, 1 thread:   about {} ms",
        three_tasks(wait).await
    );
    println!(
        "3 computing tasks, 1 thread: about {} ms",
        three_tasks(compute).await
    );
}
// ANCHOR_END: main
