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

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // Rounded to the nearest 100 ms: timers and loops are not exact.
    let round = |d: Duration| (d.as_millis() + 50) / 100 * 100;

    let start = Instant::now();
    let tasks = [tokio::spawn(wait()), tokio::spawn(wait()), tokio::spawn(wait())];
    for t in tasks {
        t.await.unwrap();
    }
    println!("3 waiting tasks, 1 thread:   about {} ms", round(start.elapsed()));

    let start = Instant::now();
    let tasks = [tokio::spawn(compute()), tokio::spawn(compute()), tokio::spawn(compute())];
    for t in tasks {
        t.await.unwrap();
    }
    println!("3 computing tasks, 1 thread: about {} ms", round(start.elapsed()));
}
// ANCHOR_END: main
