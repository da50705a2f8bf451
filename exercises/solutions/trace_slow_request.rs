//! Observing a running program: a span that answers "which request was
//! slow?" (solution).
//!
//! `serve` handles a batch of requests concurrently, in one task, and each
//! logs one event, `replied`, when it is done. The log says how many bytes
//! were sent, but not for which request, nor how long each took.
//!
//! Run each request inside a span named `request` with a field `id`, the
//! request's id, that lasts from the request's start to its reply: then
//! every event names its request, and the span's length is the request's.
//! Change `handle` only.

use std::time::Duration;
use tracing::Instrument;

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
    let span = tracing::info_span!("request", id = request.id);
    // `instrument` enters the span each time the future is polled and
    // leaves it each time the future returns Pending, so the requests that
    // `join_all` polls in turn never log inside each other's spans. The
    // span closes when the future, done, is dropped.
    async move {
        tokio::time::sleep(request.work).await;
        tracing::info!(bytes = request.bytes, "replied");
    }
    .instrument(span)
    .await
}
