//! Part III, cooperative scheduling: rescue a stalled runtime.
//!
//! `render_report_blocking` comes from a library you cannot change: it
//! blocks its thread for 100 ms, as a synchronous file, database or
//! compression call does. `render_report` calls it straight from async
//! code, so for those 100 ms no other task on the thread can run: on a
//! current-thread runtime, the whole program stalls.
//!
//! Make `render_report` run the blocking call on tokio's blocking thread
//! pool and await its result, so that other tasks keep running meanwhile.
//! It must still return the same report.
//!
//! Check it with `cargo test -p exercises --test coro_spawn_blocking`.

use std::thread;
use std::time::Duration;

/// A blocking call: holds the calling thread for 100 ms.
pub fn render_report_blocking(id: u32) -> String {
    thread::sleep(Duration::from_millis(100));
    format!("report #{id}")
}

pub async fn render_report(id: u32) -> anyhow::Result<String> {
    // TODO: this call blocks the runtime's thread for 100 ms, and every
    // other task with it. Run it on the blocking pool instead, and await
    // its result (a blocking task can panic: pass that on as an error).
    Ok(render_report_blocking(id))
}
