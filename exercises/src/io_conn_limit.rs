//! Part II, chapter 7.1: a connection limit with a `Semaphore`.
//!
//! `serve` accepts connections and runs `handle` on each in a task of its
//! own. As written it accepts without limit. Make it serve at most
//! `max_connections` at once: a client beyond the limit waits (in the
//! kernel's listen queue) until a connection ends, and is then served.
//!
//! The pattern: a `tokio::sync::Semaphore` with `max_connections` permits.
//! Take a permit *before* accepting, move it into the connection's task,
//! and let it drop when the task ends.
//!
//! Check it with `cargo test -p exercises --test io_conn_limit`.

// Until you use it, the stub leaves `max_connections` unused.
#![allow(unused_variables)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How many connections are being handled now, the most ever at once, and
/// how many have been accepted. `Relaxed` is enough: each counter is one
/// atomic whose read-modify-writes are indivisible in any ordering, and no
/// other data is published through them.
#[derive(Debug, Default)]
pub struct Stats {
    pub active: AtomicUsize,
    pub peak: AtomicUsize,
    pub accepted: AtomicUsize,
}

/// `listener.accept()`, counted in `stats.accepted`.
pub async fn accept(listener: &TcpListener, stats: &Stats) -> std::io::Result<TcpStream> {
    let (stream, _) = listener.accept().await?;
    stats.accepted.fetch_add(1, Ordering::Relaxed);
    Ok(stream)
}

/// Echoes until the client closes, keeping `stats` up to date.
pub async fn handle(mut stream: TcpStream, stats: Arc<Stats>) {
    let now = stats.active.fetch_add(1, Ordering::Relaxed) + 1;
    stats.peak.fetch_max(now, Ordering::Relaxed);
    let mut buf = [0u8; 1024];
    while let Ok(n) = stream.read(&mut buf).await {
        if n == 0 || stream.write_all(&buf[..n]).await.is_err() {
            break;
        }
    }
    stats.active.fetch_sub(1, Ordering::Relaxed);
}

pub async fn serve(
    listener: TcpListener,
    max_connections: usize,
    stats: Arc<Stats>,
) -> std::io::Result<()> {
    // TODO: create the semaphore, with `max_connections` permits, in an Arc.
    loop {
        // TODO: take an owned permit (`acquire_owned`) before accepting.
        let stream = accept(&listener, &stats).await?;
        let stats = stats.clone();
        tokio::spawn(async move {
            handle(stream, stats).await;
            // TODO: the permit must live until here; move it into the task.
        });
    }
}
