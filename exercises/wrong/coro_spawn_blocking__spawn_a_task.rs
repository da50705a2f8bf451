//! Wrong solution of coro_spawn_blocking: it moves the blocking call into a
//! task of its own with `tokio::spawn`. A task is not a thread: the call
//! still holds one of the runtime's threads for 100 ms, and on a
//! current-thread runtime every other task waits for it.
//!
//! caught by: other_tasks_keep_running_while_the_report_is_made

use std::thread;
use std::time::Duration;

/// A blocking call: holds the calling thread for 100 ms.
pub fn render_report_blocking(id: u32) -> String {
    thread::sleep(Duration::from_millis(100));
    format!("report #{id}")
}

pub async fn render_report(id: u32) -> anyhow::Result<String> {
    // The mistake: a new task, but the same runtime threads; the blocking
    // call still holds one of them for 100 ms.
    let report = tokio::spawn(async move { render_report_blocking(id) }).await?;
    Ok(report)
}
