//! Robust servers bound what clients can claim: a `Semaphore` lets at most
//! N requests do their work at once, however many arrive. Short enough for
//! the Rust Playground.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::Semaphore;
use tokio::time::sleep;

// ANCHOR: main
const PERMITS: usize = 3;
static RUNNING: AtomicUsize = AtomicUsize::new(0);
static MOST: AtomicUsize = AtomicUsize::new(0);

#[tokio::main]
async fn main() {
    let limit = Arc::new(Semaphore::new(PERMITS));
    let requests: Vec<_> = (0..10)
        .map(|_| {
            let limit = Arc::clone(&limit);
            tokio::spawn(async move {
                // Waits here while three others hold a permit.
                let _permit = limit.acquire().await.unwrap();
                let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
                MOST.fetch_max(now, Ordering::SeqCst);
                sleep(Duration::from_millis(20)).await; // the work
                RUNNING.fetch_sub(1, Ordering::SeqCst);
            }) // the permit is released when `_permit` is dropped
        })
        .collect();
    for r in requests {
        r.await.unwrap();
    }
    println!(
        "10 requests, {PERMITS} permits: at most {} at once",
        MOST.load(Ordering::SeqCst)
    );
}
// ANCHOR_END: main
