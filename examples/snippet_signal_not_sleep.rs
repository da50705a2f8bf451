//! Deterministic tests: wait for the event itself (here a oneshot signal),
//! never for a sleep that you hope is long enough. On a one-thread runtime
//! the result is then the same on every run. Short enough for the Playground.

use tokio::sync::oneshot;

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (ready_tx, ready_rx) = oneshot::channel();
    let (result_tx, result_rx) = oneshot::channel();

    let worker = tokio::spawn(async move {
        let cache = ["warm"]; // the set-up the test must wait for
        ready_tx.send(()).unwrap(); // "I am ready": the event itself
        result_tx.send(cache.len()).unwrap();
    });

    // Not `sleep(10 ms)` and hope: wait until the worker says it is ready.
    ready_rx.await.unwrap();
    println!("worker is ready (no sleep was needed)");
    let n = result_rx.await.unwrap();
    assert_eq!(n, 1, "the check a test would make");
    println!("the check holds: the cache has {n} entry");
    worker.await.unwrap();
}
// ANCHOR_END: main
