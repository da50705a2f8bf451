//! Two tasks that wait at the same time: the smallest tokio program in the
//! course, and short enough for the Rust Playground (its block in the book
//! has a Run button that sends this whole file there).
//!
//! Run it with:
//!
//!     cargo run --release --example spawn_and_join

use std::time::{Duration, Instant};
use tokio::time::sleep;

// ANCHOR: main
#[tokio::main]
async fn main() {
    let start = Instant::now();
    // `tokio::spawn` starts each task right away; the handles it returns
    // are how we wait for the tasks and get their results.
    let a = tokio::spawn(async {
        sleep(Duration::from_millis(200)).await;
        "A waited 200 ms"
    });
    let b = tokio::spawn(async {
        sleep(Duration::from_millis(100)).await;
        "B waited 100 ms"
    });
    // Awaiting a JoinHandle gives the task's value (or, if it panicked, an Err).
    println!("{}", a.await.unwrap());
    println!("{}", b.await.unwrap());
    // The two waits overlapped, so together they took about as long as the
    // longer one, not the sum (printed to the nearest 100 ms below).
    let ms = start.elapsed().as_millis();
    println!("both done after about {} ms", (ms + 50) / 100 * 100);
}
// ANCHOR_END: main
