//! Wrong solution of coro_many_tasks: it runs every request at once, but
//! all inside the one task that calls `handle_all`, with `join_all`. The
//! waits overlap and the ids are right, but no request is a task of its
//! own: none can run on another worker thread, and one that blocks or
//! panics takes all the others with it.
//!
//! caught by: every_request_is_a_task_of_its_own

use std::time::Duration;

/// One request: waits `wait`, then answers its id.
pub async fn handle(id: usize, wait: Duration) -> usize {
    tokio::time::sleep(wait).await;
    id
}

pub async fn handle_all(n: usize, wait: Duration) -> Vec<usize> {
    // The mistake: futures polled by this task, not tasks.
    futures::future::join_all((0..n).map(|id| handle(id, wait))).await
}
