//! Concurrency without parallelism: two tasks on a one-thread runtime take
//! turns at every `.await` that yields. Short enough for the Rust Playground.

use tokio::task::yield_now;

// ANCHOR: main
async fn worker(name: &'static str) {
    for step in 1..=3 {
        println!("{name} step {step}");
        // Give the thread back to the scheduler, which runs the other task.
        yield_now().await;
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // One thread only: the two tasks never run at the same instant, yet
    // both make progress (concurrency without parallelism).
    let a = tokio::spawn(worker("A"));
    let b = tokio::spawn(worker("B"));
    a.await.unwrap();
    b.await.unwrap();
}
// ANCHOR_END: main
