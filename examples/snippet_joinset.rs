//! Tasks in tokio: a `JoinSet` owns a group of tasks and hands back their
//! results in the order they finish; dropping it aborts the rest. Short
//! enough for the Rust Playground.

use std::time::Duration;
use tokio::task::JoinSet;
use tokio::time::sleep;

// ANCHOR: main
#[tokio::main]
async fn main() {
    let mut set = JoinSet::new();
    // Spawned in order 1, 2, 3, 4; they take 400, 100, 300 and 200 ms.
    for (id, ms) in [(1, 400), (2, 100), (3, 300), (4, 200)] {
        set.spawn(async move {
            sleep(Duration::from_millis(ms)).await;
            id
        });
    }
    // `join_next` yields whichever task finishes next.
    for _ in 0..3 {
        let id = set.join_next().await.unwrap().unwrap();
        println!("task {id} finished");
    }
    // Task 1 is still sleeping; dropping the set aborts it.
    println!(
        "{} task still running: dropping the set aborts it",
        set.len()
    );
    drop(set);
}
// ANCHOR_END: main
