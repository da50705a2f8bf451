//! Wrong solution of tasks_select_timeout: it awaits the work to the end,
//! then checks whether it took too long. Slow work is reported as timed out,
//! but only after it has finished: nothing was cancelled at the limit.
//!
//! caught by: slow_work_times_out_at_the_limit

use std::future::Future;
use std::time::Duration;

/// The error `with_timeout` returns when the limit passes first.
#[derive(Debug, PartialEq, Eq)]
pub struct TimedOut;

/// The mistake: it waits for `work` to the end, then compares the time.
pub async fn with_timeout<F: Future>(limit: Duration, work: F) -> Result<F::Output, TimedOut> {
    let start = tokio::time::Instant::now();
    let output = work.await;
    if start.elapsed() > limit {
        Err(TimedOut)
    } else {
        Ok(output)
    }
}
