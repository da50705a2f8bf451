//! Deterministic async tests: write the check that catches a missing
//! timeout (solution).
//!
//! A `fetch` takes the receiving end of a channel and waits for a reply. Its
//! contract: if no reply comes, it gives up after `LIMIT` with
//! `Err(FetchError::TimedOut)`. `gives_up_in_time(fetch)` is `true` if
//! `fetch` keeps its contract when the reply never comes, `false` if it
//! hangs or gives up more than a millisecond after `LIMIT`, and it returns
//! in microseconds of real time.

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
        // The sender stays alive and silent: a dropped sender would end the
        // wait at once, and the missing timeout would never be needed.
        let (_silent, reply) = oneshot::channel();
        // A little more than LIMIT: the bound is on `fetch`, the future under
        // test, and only a `fetch` that gives up in time finishes within it.
        let bound = LIMIT + Duration::from_millis(1);
        matches!(
            tokio::time::timeout(bound, fetch(reply)).await,
            Ok(Err(FetchError::TimedOut))
        )
    })
}
