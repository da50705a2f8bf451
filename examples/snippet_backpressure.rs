//! Channels: a bounded channel makes a fast producer wait for a slow
//! consumer (backpressure) instead of queueing without limit. Short enough
//! for the Rust Playground.

use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::sleep;

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() {
    // Room for two messages; `send` waits while the channel is full.
    let (tx, mut rx) = mpsc::channel(2);
    let producer = tokio::spawn(async move {
        for i in 1..=5 {
            tx.send(i).await.unwrap();
            println!("sent {i}");
        }
    });
    sleep(Duration::from_millis(50)).await; // the producer runs ahead
    println!("-- consumer starts; the producer is waiting for room");
    while let Some(i) = rx.recv().await {
        println!("    received {i}");
        sleep(Duration::from_millis(10)).await; // a slow consumer
    }
    producer.await.unwrap();
}
// ANCHOR_END: main
