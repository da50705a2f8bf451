//! Part III, what each costs: ten thousand waiting requests, a task each
//! (solution).
//!
//! `handle` is one request: it waits `wait` (for a database, say), then
//! answers with its id. `handle_all(n, wait)` must handle requests `0..n`,
//! each in a task of its own, all waiting at the same time, and return the
//! ids in order. A task that waits costs a few hundred bytes, not a
//! thread's stack, so ten thousand of them at once are nothing special.
//!
use std::time::Duration;

/// One request: waits `wait`, then answers its id.
pub async fn handle(id: usize, wait: Duration) -> usize {
    tokio::time::sleep(wait).await;
    id
}

pub async fn handle_all(n: usize, wait: Duration) -> Vec<usize> {
    // Spawn all first: each task is queued at once, and every one of them
    // is soon waiting on its timer, at the same time.
    let tasks: Vec<_> = (0..n).map(|id| tokio::spawn(handle(id, wait))).collect();
    // Then await them in order. The first await takes `wait`; by then the
    // others are done too, so the rest return at once.
    let mut ids = Vec::with_capacity(n);
    for task in tasks {
        ids.push(task.await.expect("a request panicked"));
    }
    ids
}
