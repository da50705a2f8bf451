//! Part III, cooperative scheduling: rescue a stalled runtime (solution).
//!
//! `render_report_blocking` blocks its thread for 100 ms. `render_report`
//! runs it on tokio's blocking thread pool, so the runtime's own threads
//! stay free for other tasks.

use std::thread;
use std::time::Duration;

/// A blocking call: holds the calling thread for 100 ms.
pub fn render_report_blocking(id: u32) -> String {
    thread::sleep(Duration::from_millis(100));
    format!("report #{id}")
}

pub async fn render_report(id: u32) -> anyhow::Result<String> {
    // The line that matters: the closure runs on a thread of the blocking
    // pool; this task awaits the JoinHandle, which is Pending until the
    // closure returns, so the runtime runs other tasks meanwhile. `?` turns
    // a panic in the closure (a JoinError) into an error.
    let report = tokio::task::spawn_blocking(move || render_report_blocking(id)).await?;
    Ok(report)
}
