//! Two cures for a lock held across `.await`, which chapter 17 shows the
//! compiler refusing: release a std `Mutex` before awaiting, or, when the
//! lock must be held across the `.await`, use tokio's `Mutex`.
//!
//! Run it with:
//!
//!     cargo run --release --example mutex_across_await

use std::sync::Arc;
use std::time::Duration;

async fn save(_value: u64) {
    tokio::time::sleep(Duration::from_millis(1)).await;
}

// ANCHOR: std_scoped
/// Cure 1: a std `Mutex`, locked only for the update. The guard is dropped
/// at the end of the block, before the `.await`, so the future is `Send`.
async fn bump_std(counter: Arc<std::sync::Mutex<u64>>) {
    let value = {
        let mut n = counter.lock().unwrap();
        *n += 1;
        *n
    }; // guard dropped here
    save(value).await;
}
// ANCHOR_END: std_scoped

// ANCHOR: tokio_held
/// Cure 2: tokio's `Mutex`, whose guard may live across `.await` (it is
/// `Send`, and waiting for the lock is itself an `.await`, so a task that
/// waits does not block its thread). Use it when the lock must cover the
/// await, here so that saves happen one at a time and in order.
async fn bump_tokio(counter: Arc<tokio::sync::Mutex<u64>>) {
    let mut n = counter.lock().await;
    *n += 1;
    save(*n).await; // still holding the lock: every other bump waits
}
// ANCHOR_END: tokio_held

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    const TASKS: u64 = 100;

    let counter = Arc::new(std::sync::Mutex::new(0));
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| tokio::spawn(bump_std(counter.clone())))
        .collect();
    for task in tasks {
        task.await?;
    }
    println!(
        "std Mutex, released before .await: {} of {TASKS} increments",
        counter.lock().unwrap()
    );

    let counter = Arc::new(tokio::sync::Mutex::new(0));
    let start = std::time::Instant::now();
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| tokio::spawn(bump_tokio(counter.clone())))
        .collect();
    for task in tasks {
        task.await?;
    }
    println!(
        "tokio Mutex, held across .await:   {} of {TASKS} increments, \
         the saves one at a time ({} ms for {TASKS} saves of 1 ms or more)",
        counter.lock().await,
        start.elapsed().as_millis()
    );
    println!("{}", course::machine::describe());
    Ok(())
}
