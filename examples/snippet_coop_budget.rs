//! Cooperative scheduling's safety net: a task that awaits only resources
//! that are always ready never meets `Pending` by itself; tokio's coop
//! budget makes it yield after a fixed number of operations. Short enough
//! for the Rust Playground.

use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::mpsc;

// ANCHOR: main
static OTHER_RAN: AtomicBool = AtomicBool::new(false);

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (tx, mut rx) = mpsc::unbounded_channel();
    for i in 0..1000 {
        tx.send(i).unwrap(); // every recv below finds a message waiting
    }
    drop(tx);
    // Waits for the one thread, which `main` holds while it loops.
    tokio::spawn(async { OTHER_RAN.store(true, Ordering::Relaxed) });

    let mut received = 0;
    while let Some(_msg) = rx.recv().await {
        if OTHER_RAN.load(Ordering::Relaxed) {
            break;
        }
        received += 1;
    }
    // Each recv spends one unit of the budget tokio gives a task per poll;
    // when it is spent, recv returns Pending and the other task gets a turn.
    println!("main received {received} ready messages before the other task ran");
}
// ANCHOR_END: main
