//! What a task costs in memory: a future is a value whose size is what it
//! keeps across its `.await`s, not a whole stack as a thread has.
//! Short enough for the Rust Playground.

use std::time::Duration;
use tokio::time::sleep;

// ANCHOR: main
async fn small() {
    sleep(Duration::from_millis(1)).await;
}

async fn holds_a_buffer() -> u8 {
    let buffer = [1u8; 4096]; // lives across the await: stored in the future
    sleep(Duration::from_millis(1)).await;
    buffer[4095]
}

#[tokio::main]
async fn main() {
    // Creating a future runs none of its body, so its size can be measured.
    let a = small();
    let b = holds_a_buffer();
    println!("small():          {} bytes", std::mem::size_of_val(&a));
    println!("holds_a_buffer(): {} bytes", std::mem::size_of_val(&b));
    a.await;
    b.await;
}
// ANCHOR_END: main
