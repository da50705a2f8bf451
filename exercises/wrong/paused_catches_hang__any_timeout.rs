//! Wrong solution of paused_catches_hang: it bounds `fetch` by an hour, as
//! a guard against hanging, and so accepts a fetch that gives up after a
//! minute instead of LIMIT.
//!
//! caught by: a_fetch_that_gives_up_after_a_minute_is_caught

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
        // The mistake: a generous bound, "just to catch a hang". A fetch
        // that gives up after a minute passes, though its contract says 5 s.
        let bound = Duration::from_secs(3600);
        matches!(
            tokio::time::timeout(bound, fetch(reply)).await,
            Ok(Err(FetchError::TimedOut))
        )
    })
}
