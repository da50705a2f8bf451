//! From asyncio to tokio: `asyncio.wait_for` is `tokio::time::timeout`,
//! and `asyncio.wait(..., return_when=FIRST_COMPLETED)` is close to
//! `tokio::select!`. Short enough for the Rust Playground.

use std::time::Duration;
use tokio::time::{sleep, timeout};

// ANCHOR: main
async fn answer_after(ms: u64) -> &'static str {
    sleep(Duration::from_millis(ms)).await;
    "the answer"
}

#[tokio::main]
async fn main() {
    // Like `await asyncio.wait_for(answer_after(50), 0.2)`.
    match timeout(Duration::from_millis(200), answer_after(50)).await {
        Ok(v) => println!("in time: {v}"),
        Err(_) => println!("timed out"),
    }
    // Too slow: the future is dropped (cancelled) when the time is up.
    match timeout(Duration::from_millis(200), answer_after(1000)).await {
        Ok(v) => println!("in time: {v}"),
        Err(_) => println!("timed out after 200 ms; the slow future was dropped"),
    }
    // select! runs the branch of whichever future is ready first and
    // drops the other.
    tokio::select! {
        v = answer_after(300) => println!("select: {v}"),
        _ = sleep(Duration::from_millis(100)) => println!("select: the 100 ms sleep won"),
    }
}
// ANCHOR_END: main
