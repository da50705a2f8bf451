//! Wrong solution of paused_catches_hang: it runs `fetch` on a runtime
//! whose clock is real. It tells the fetches apart, but each verdict takes
//! LIMIT, 5 real seconds: a test suite of such checks crawls.
//!
//! caught by: the_check_takes_no_real_time

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
    // The mistake: a runtime on the real clock. Its verdicts are right,
    // but each one waits LIMIT, 5 real seconds, for the timer.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
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
