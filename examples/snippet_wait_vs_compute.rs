//! Why concurrency helps waiting and not computing, on one thread: three
//! tasks that wait 100 ms each overlap; three that compute for 100 ms each
//! can only take turns. Short enough for the Rust Playground.

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

/// Rounded to the nearest 100 ms: timers and loops are not exact.
fn about(d: Duration) -> u128 {
    (d.as_millis() + 50) / 100 * 100
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = Instant::now();
    let tasks: Vec<_> = (0..3).map(|_| tokio::spawn(wait())).collect();
    for t in tasks {
        t.await.unwrap();
    }
    println!(
        "3 waiting tasks, 1 thread:   about {} ms",
        about(start.elapsed())
    );

    let start = Instant::now();
    let tasks: Vec<_> = (0..3).map(|_| tokio::spawn(compute())).collect();
    for t in tasks {
        t.await.unwrap();
    }
    println!(
        "3 computing tasks, 1 thread: about {} ms",
        about(start.elapsed())
    );
}
// ANCHOR_END: main
