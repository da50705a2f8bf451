//! Part V: shut a server down gracefully.
//!
//! `serve` runs a tiny server: each client is greeted with `ready`, sends one
//! line, the server works on it for `WORK`, answers `done: LINE` and closes.
//! `handle` (one connection) is written. Today `serve` would run until the
//! process dies. Make it shut down gracefully when `shutdown` completes:
//!
//! 1. stop accepting new connections;
//! 2. tell the connections that are still waiting for their line (`handle`
//!    says `shutting down` to its client when its `watch` receiver turns
//!    true);
//! 3. let the connections that are already working finish and answer, but
//!    wait at most `grace` for them: then abort the rest;
//! 4. return only once every connection has ended (or been aborted).
//!
//! While it runs, `serve` counts in `answered` each connection that
//! answered, as it collects the connection's result from the `JoinSet`:
//! a server that collects only at shutdown keeps every finished task's
//! result in memory for as long as it runs.
//!
//! Check it with `cargo test -p exercises --test server_shutdown`.

// Until you write `serve`, the stub leaves its parameters and imports unused.
#![allow(unused_variables, unused_imports, dead_code)]

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;

/// How long the server "works" on one request. A shutdown cuts work short
/// only once its grace period is over.
pub const WORK: Duration = Duration::from_millis(200);

/// One connection: `ready`, one line in, `working`, then `done: LINE`.
/// Returns `true` if it answered. While it waits for the line, a shutdown
/// makes it say `shutting down` and end.
pub async fn handle(
    mut stream: TcpStream,
    mut shutdown: watch::Receiver<bool>,
) -> io::Result<bool> {
    let (reader, mut writer) = stream.split();
    let mut lines = BufReader::new(reader).lines();
    writer.write_all(b"ready\n").await?;
    let line = tokio::select! {
        line = lines.next_line() => line?,
        () = stopping(&mut shutdown) => {
            writer.write_all(b"shutting down\n").await?;
            return Ok(false);
        }
    };
    let Some(line) = line else {
        return Ok(false); // the client left without a request
    };
    writer.write_all(b"working\n").await?;
    tokio::time::sleep(WORK).await;
    writer
        .write_all(format!("done: {line}\n").as_bytes())
        .await?;
    Ok(true)
}

/// Resolves once `shutdown` turns true (or its sender is gone).
async fn stopping(shutdown: &mut watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|&stop| stop).await;
}

/// Accepts connections until `shutdown` completes, then shuts down
/// gracefully (see the steps at the top), counting answered connections in
/// `answered` as they end.
pub async fn serve(
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
    grace: Duration,
    answered: Arc<AtomicUsize>,
) -> io::Result<()> {
    // TODO: make a `watch` channel (false = keep going) and a `JoinSet` for
    // the connections.
    // TODO: loop with `tokio::select!` over `listener.accept()` (spawn
    // `handle(stream, receiver.clone())` into the set), the set's
    // `join_next()` (count a finished connection's `Ok(Ok(true))`) and
    // `shutdown` (break). `shutdown` must be pinned to be polled by
    // reference.
    // TODO: after the loop: drop the listener, send `true`, then collect
    // the remaining connections, for at most `grace`; abort what is left.
    todo!("accept until `shutdown`, then shut down gracefully")
}
