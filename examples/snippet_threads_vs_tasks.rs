//! Side by side: a thread per job uses one OS thread per job; tasks on a
//! tokio runtime share its few worker threads. Short enough for the Playground.

use std::collections::HashSet;
use std::thread;

// ANCHOR: main
fn main() {
    const JOBS: usize = 100;
    // A thread per job: one OS thread each.
    let threads: HashSet<_> = (0..JOBS)
        .map(|_| thread::spawn(|| thread::current().id()))
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| h.join().unwrap())
        .collect();

    // A task per job: they all run on the runtime's two worker threads.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let tasks: HashSet<_> = rt.block_on(async {
        let handles: Vec<_> = (0..JOBS)
            .map(|_| tokio::spawn(async { thread::current().id() }))
            .collect();
        let mut ids = HashSet::new();
        for h in handles {
            ids.insert(h.await.unwrap());
        }
        ids
    });
    println!("{JOBS} jobs as threads ran on {} OS threads", threads.len());
    println!(
        "{JOBS} jobs as tasks ran on at most 2 threads: {}",
        tasks.len() <= 2
    );
}
// ANCHOR_END: main
