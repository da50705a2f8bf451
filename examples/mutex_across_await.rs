//! Two cures for a lock held across `.await`, which chapter 18 shows the
//! compiler refusing: release a std `Mutex` before awaiting, or, when the
//! lock must be held across the `.await`, use tokio's `Mutex`. And, for a
//! future that cannot be `Send` at all, a `LocalSet` to run it on.
//!
//! Run it with:
//!
//!     cargo run --release --example mutex_across_await

use std::cell::Cell;
use std::rc::Rc;
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

// ANCHOR: local
/// Not `Send` at all: an `Rc` (its count is not atomic) lives across the
/// `.await`. `tokio::spawn` refuses this future on every runtime;
/// `spawn_local` takes it, because a `LocalSet` runs its tasks on the one
/// thread that drives it.
async fn bump_local(counter: Rc<Cell<u64>>) {
    counter.set(counter.get() + 1);
    save(counter.get()).await; // `counter` is still alive here
}

async fn on_a_local_set(tasks: u64) -> u64 {
    let counter = Rc::new(Cell::new(0));
    let local = tokio::task::LocalSet::new();
    local
        .run_until(async {
            let handles: Vec<_> = (0..tasks)
                .map(|_| tokio::task::spawn_local(bump_local(counter.clone())))
                .collect();
            for handle in handles {
                handle.await.unwrap();
            }
        })
        .await;
    counter.get()
}
// ANCHOR_END: local

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
    // On a multi-thread runtime, as here, the LocalSet's tasks all run on
    // the thread that awaits `run_until`: concurrent, never parallel.
    println!(
        "Rc across .await, spawn_local on a LocalSet: {} of {TASKS} increments",
        on_a_local_set(TASKS).await
    );
    println!("{}", course::machine::describe());
    Ok(())
}
