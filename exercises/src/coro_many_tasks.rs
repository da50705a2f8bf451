//! Part III, what each costs: ten thousand waiting requests, a task each.
//!
//! `handle` is one request: it waits `wait` (for a database, say), then
//! answers with its id. `handle_all(n, wait)` must handle requests `0..n`,
//! each in a task of its own, all waiting at the same time, and return the
//! ids in order. A task that waits costs a few hundred bytes, not a
//! thread's stack, so ten thousand of them at once are nothing special.
//!
//! As shipped, it spawns a task per request but awaits each one before
//! spawning the next: one request at a time, `n * wait` in all.
//!
//! Check it with `cargo test -p exercises --test coro_many_tasks`.

use std::time::Duration;

/// One request: waits `wait`, then answers its id.
pub async fn handle(id: usize, wait: Duration) -> usize {
    tokio::time::sleep(wait).await;
    id
}

pub async fn handle_all(n: usize, wait: Duration) -> Vec<usize> {
    let mut ids = Vec::with_capacity(n);
    for id in 0..n {
        // TODO: awaiting the handle here waits for this request before the
        // next one even starts. Spawn every task first, keep the
        // `JoinHandle`s, and only then await them, in order.
        let task = tokio::spawn(handle(id, wait));
        ids.push(task.await.expect("a request panicked"));
    }
    ids
}
