//! Choosing a model: blocking work inside a task stops every other task on
//! that thread; `spawn_blocking` moves it to a thread of its own. Short
//! enough for the Rust Playground.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;
use tokio::time::sleep;

// ANCHOR: main
static TICKS: AtomicU32 = AtomicU32::new(0);

fn blocking_work() {
    std::thread::sleep(Duration::from_millis(200)); // e.g. a blocking file read
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    tokio::spawn(async {
        loop {
            TICKS.fetch_add(1, Ordering::Relaxed);
            sleep(Duration::from_millis(10)).await;
        }
    });
    sleep(Duration::from_millis(20)).await; // let the ticker start

    let before = TICKS.load(Ordering::Relaxed);
    blocking_work(); // blocks the runtime's only thread: no task runs
    let blocked = TICKS.load(Ordering::Relaxed) - before;
    println!("ticks while blocking in the task:   {blocked}");

    let before = TICKS.load(Ordering::Relaxed);
    // Runs on tokio's blocking pool; awaiting it frees this thread.
    tokio::task::spawn_blocking(blocking_work).await.unwrap();
    let freed = TICKS.load(Ordering::Relaxed) - before;
    println!(
        "ticks while in spawn_blocking:      more than 0: {}",
        freed > 0
    );
}
// ANCHOR_END: main
