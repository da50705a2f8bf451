//! Wrong solution of trace_slow_request: it enters the span with
//! `span.enter()` and holds the guard across the `.await`. The span is
//! entered on the thread, not in the future: while this request waits, the
//! other requests, polled in turn by `join_all` in the same task, are
//! logged inside it, and its own reply inside another's. tracing's
//! documentation warns against exactly this.
//!
//! caught by: each_reply_is_logged_inside_its_own_request

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
    let span = tracing::info_span!("request", id = request.id);
    // The mistake: the guard stays entered across the `.await`. While this
    // request waits, `join_all` polls the others, and they enter their spans
    // on top of this one: a reply is logged in whichever span was entered last.
    let _entered = span.enter();
    tokio::time::sleep(request.work).await;
    tracing::info!(bytes = request.bytes, "replied");
}
