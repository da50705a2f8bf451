//! Observing a running program: a span that answers "which request was
//! slow?".
//!
//! `serve` handles a batch of requests concurrently, in one task, and each
//! logs one event, `replied`, when it is done. The log says how many bytes
//! were sent, but not for which request, nor how long each took.
//!
//! Run each request inside a span named `request` with a field `id`, the
//! request's id, that lasts from the request's start to its reply: then
//! every event names its request, and the span's length is the request's.
//! Change `handle` only.
//!
//! Check it with `cargo test -p exercises --test trace_slow_request`.

use std::time::Duration;

/// One request: its id, how long its work takes, and the size of its reply.
pub struct Request {
    pub id: u64,
    pub work: Duration,
    pub bytes: u64,
}

/// Handles every request concurrently, in this task.
pub async fn serve(requests: Vec<Request>) {
    futures::future::join_all(requests.into_iter().map(handle)).await;
}

async fn handle(request: Request) {
    // TODO: run this whole body inside a span `request` with a field `id`.
    tokio::time::sleep(request.work).await;
    tracing::info!(bytes = request.bytes, "replied");
}
