//! Cooperative scheduling: a task keeps the thread until it reaches an
//! `.await` that yields. A task that computes without awaiting starves the
//! others on its thread. Short enough for the Rust Playground.

use std::time::Duration;
use tokio::task::yield_now;

// ANCHOR: main
fn busy() {
    std::thread::sleep(Duration::from_millis(20)); // stands for computing
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let ticker = tokio::spawn(async {
        for _ in 0..3 {
            println!("    ticker runs");
            yield_now().await;
        }
    });
    println!("without yielding:");
    for i in 1..=3 {
        busy();
        println!("  main computed part {i}"); // the ticker cannot run yet
    }
    println!("with yield_now().await after each part:");
    for i in 1..=3 {
        busy();
        println!("  main computed part {i}");
        yield_now().await; // lets the ticker take a turn
    }
    ticker.await.unwrap();
}
// ANCHOR_END: main
