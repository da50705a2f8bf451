//! Tests for the Deterministic async tests chapter's exercise:
//! `cargo test -p exercises --test paused_catches_hang`.
//!
//! They check your check: it is given a `fetch` that hangs, one that gives
//! up too late, and one that keeps its contract, and must tell them apart,
//! in well under a second of real time.

#[cfg_attr(
    not(any(feature = "solutions", any_wrong)),
    path = "../src/paused_catches_hang.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/paused_catches_hang.rs")]
#[cfg_attr(
    wrong = "paused_catches_hang__real_clock",
    path = "../wrong/paused_catches_hang__real_clock.rs"
)]
#[cfg_attr(
    wrong = "paused_catches_hang__drops_the_sender",
    path = "../wrong/paused_catches_hang__drops_the_sender.rs"
)]
#[cfg_attr(
    wrong = "paused_catches_hang__any_timeout",
    path = "../wrong/paused_catches_hang__any_timeout.rs"
)]
mod paused_catches_hang;

use paused_catches_hang::{FetchError, LIMIT, gives_up_in_time};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// The bug: no timeout, so it waits as long as the sender lives.
async fn fetch_without_timeout(reply: oneshot::Receiver<String>) -> Result<String, FetchError> {
    reply.await.map_err(|_| FetchError::Closed)
}

/// A fetch with a timeout of `limit`.
async fn fetch_giving_up_after(
    limit: Duration,
    reply: oneshot::Receiver<String>,
) -> Result<String, FetchError> {
    match tokio::time::timeout(limit, reply).await {
        Ok(Ok(text)) => Ok(text),
        Ok(Err(_)) => Err(FetchError::Closed),
        Err(_) => Err(FetchError::TimedOut),
    }
}

/// Keeps the contract: gives up after LIMIT.
async fn fetch_with_timeout(reply: oneshot::Receiver<String>) -> Result<String, FetchError> {
    fetch_giving_up_after(LIMIT, reply).await
}

/// Has a timeout, but twelve times too long.
async fn fetch_with_a_minute_timeout(
    reply: oneshot::Receiver<String>,
) -> Result<String, FetchError> {
    fetch_giving_up_after(Duration::from_secs(60), reply).await
}

#[test]
fn a_fetch_with_its_timeout_passes() {
    assert!(
        gives_up_in_time(fetch_with_timeout),
        "a fetch that gives up after LIMIT with TimedOut should pass your check"
    );
}

#[test]
fn a_fetch_without_a_timeout_is_caught() {
    assert!(
        !gives_up_in_time(fetch_without_timeout),
        "a fetch with no timeout passed your check: did the reply's sender get \
         dropped? Then the wait ends at once with Closed, and the missing timeout \
         is never needed. Keep the sender alive, and count only TimedOut"
    );
}

#[test]
fn a_fetch_that_gives_up_after_a_minute_is_caught() {
    assert!(
        !gives_up_in_time(fetch_with_a_minute_timeout),
        "a fetch that waits 60 s, not 5, passed your check: bound it by a little \
         more than LIMIT, not by some long time"
    );
}

#[test]
fn the_check_takes_no_real_time() {
    let start = Instant::now();
    let verdicts = (
        gives_up_in_time(fetch_with_timeout),
        gives_up_in_time(fetch_without_timeout),
    );
    let took = start.elapsed();
    // Real seconds only as a bound: a paused clock takes microseconds, a
    // real one at least LIMIT (5 s) for each fetch.
    assert!(
        took < Duration::from_secs(2),
        "your check took {took:?} of real time for two fetches (verdicts {verdicts:?}): \
         pause the runtime's clock (`start_paused(true)`), so it jumps to each timer"
    );
}
