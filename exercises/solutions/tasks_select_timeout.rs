//! Tasks in tokio: a timeout written with `select!` (solution).

use std::future::Future;
use std::time::Duration;

/// The error `with_timeout` returns when the limit passes first.
#[derive(Debug, PartialEq, Eq)]
pub struct TimedOut;

/// Runs `work`, but gives up after `limit`: `Ok(output)` if `work` finishes
/// first, `Err(TimedOut)` otherwise.
pub async fn with_timeout<F: Future>(limit: Duration, work: F) -> Result<F::Output, TimedOut> {
    tokio::select! {
        output = work => Ok(output),
        // When the sleep wins, `select!` drops `work`: that is how Rust
        // cancels, and why a timed-out future runs no further.
        _ = tokio::time::sleep(limit) => Err(TimedOut),
    }
}
