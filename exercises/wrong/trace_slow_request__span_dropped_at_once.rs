//! Wrong solution of trace_slow_request: `let _ = span.entered();` binds
//! the guard to `_`, which drops it on the spot. The span exists and has
//! its `id`, but it lasts no time and holds no event: it says nothing about
//! which request was slow.
//!
//! caught by: the_slow_requests_span_lasts_as_long_as_its_work

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
    // The mistake: `let _ =` drops the guard at once, and the span with it:
    // it opens and closes before the request has done anything.
    let _ = tracing::info_span!("request", id = request.id).entered();
    tokio::time::sleep(request.work).await;
    tracing::info!(bytes = request.bytes, "replied");
}
