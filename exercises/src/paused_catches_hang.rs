//! Deterministic async tests: write the check that catches a missing
//! timeout.
//!
//! A `fetch` takes the receiving end of a channel and waits for a reply. Its
//! contract: if no reply comes, it gives up after `LIMIT` with
//! `Err(FetchError::TimedOut)`. A `fetch` that forgets its timeout waits for
//! ever, and a fast local test, where the reply always comes, never shows it.
//!
//! Write `gives_up_in_time(fetch)`: `true` if `fetch` keeps its contract
//! when the reply never comes, `false` if it hangs or gives up later than
//! `LIMIT`. It must return in microseconds, whatever `fetch` does, so it runs
//! `fetch` on a runtime of its own with tokio's clock paused.
//!
//! Check it with `cargo test -p exercises --test paused_catches_hang`.

// Until you write the body, the stub leaves its parameters unused.
#![allow(unused_variables, dead_code)]

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
    // TODO: build a current-thread runtime with `enable_time()` and
    // `start_paused(true)`; in it, make a channel whose sender stays alive
    // and silent, and bound `fetch(receiver)` with `tokio::time::timeout`.
    todo!()
}
