//! Wrong solution of paused_catches_hang: it drops the reply's sender and
//! counts any error as giving up. With the sender gone, every fetch returns
//! Closed at once, the one without a timeout included.
//!
//! caught by: a_fetch_without_a_timeout_is_caught

use std::future::Future;
use std::time::Duration;
use tokio::sync::oneshot;

/// How long a `fetch` may wait for its reply.
pub const LIMIT: Duration = Duration::from_secs(5);

/// Why a `fetch` returned no reply.
#[derive(Debug, PartialEq, Eq)]
pub enum FetchError {
    /// No reply within `LIMIT`.
    TimedOut,
    /// The sender was dropped without replying.
    Closed,
}

/// `true` if `fetch`, given a receiver whose reply never comes, returns
/// `Err(FetchError::TimedOut)` within `LIMIT`.
pub fn gives_up_in_time<F, Fut>(fetch: F) -> bool
where
    F: FnOnce(oneshot::Receiver<String>) -> Fut,
    Fut: Future<Output = Result<String, FetchError>>,
{
    // A paused clock stands still while a task can run and jumps to the
    // next timer when every task waits: the 5 virtual seconds take none.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a current-thread runtime");
    runtime.block_on(async {
        // The mistake: `_` drops the sender at once, so the wait ends with
        // Closed and no fetch ever needs its timeout.
        let (_, reply) = oneshot::channel::<String>();
        // A little more than LIMIT: the bound is on `fetch`, the future under
        // test, and only a `fetch` that gives up in time finishes within it.
        let bound = LIMIT + Duration::from_millis(1);
        matches!(tokio::time::timeout(bound, fetch(reply)).await, Ok(Err(_)))
    })
}
