//! Observing a running program: tokio's runtime reports what it is doing,
//! such as its number of workers and of tasks alive. Short enough for the
//! Rust Playground.

use tokio::runtime::Handle;
use tokio::sync::oneshot;

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let metrics = Handle::current().metrics();
    println!("worker threads: {}", metrics.num_workers());

    // Five tasks that each wait until their sender is dropped.
    let (senders, tasks): (Vec<_>, Vec<_>) = (0..5)
        .map(|_| {
            let (tx, rx) = oneshot::channel::<()>();
            (tx, tokio::spawn(async move { rx.await.ok() }))
        })
        .unzip();
    // A spawned task is alive from its spawn until it has finished and been
    // released (main's own future is not a spawned task).
    println!(
        "tasks alive after spawning five: {}",
        metrics.num_alive_tasks()
    );

    drop(senders); // each receiver now completes with an error
    for t in tasks {
        t.await.unwrap();
    }
    // On this one-thread runtime a task is released in the same scheduler step that
    // completes it, before `main` runs again.
    println!(
        "tasks alive after they finished: {}",
        metrics.num_alive_tasks()
    );
}
// ANCHOR_END: main
