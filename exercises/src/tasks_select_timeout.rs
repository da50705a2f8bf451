//! Tasks in tokio: a timeout written with `select!`.
//!
//! `with_timeout(limit, work)` runs `work`, but gives up after `limit`:
//! `Ok(output)` if `work` finishes first, `Err(TimedOut)` if the time runs
//! out first. A timed-out `work` must be cancelled: dropped, never polled
//! again. Write it with `tokio::select!` and `tokio::time::sleep` (not with
//! `tokio::time::timeout`, which does the same for you).
//!
//! Check it with `cargo test -p exercises --test tasks_select_timeout`.

// Until you write the body, the stub leaves its parameters unused.
#![allow(unused_variables, dead_code)]

use std::future::Future;
use std::time::Duration;

/// The error `with_timeout` returns when the limit passes first.
#[derive(Debug, PartialEq, Eq)]
pub struct TimedOut;

/// Runs `work`, but gives up after `limit`.
pub async fn with_timeout<F: Future>(limit: Duration, work: F) -> Result<F::Output, TimedOut> {
    // TODO: race `work` against `tokio::time::sleep(limit)` with
    // `tokio::select!`, and return Ok(output) or Err(TimedOut).
    todo!()
}
