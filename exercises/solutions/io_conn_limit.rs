//! Part II, chapter 7.1: a connection limit with a `Semaphore` (solution).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

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
    let limit = Arc::new(Semaphore::new(max_connections));
    loop {
        // Waiting here, not after accept: while every permit is out, new
        // clients stay in the listen queue instead of costing us memory.
        let permit = limit.clone().acquire_owned().await.expect("never closed");
        let stream = accept(&listener, &stats).await?;
        let stats = stats.clone();
        tokio::spawn(async move {
            handle(stream, stats).await;
            drop(permit); // the connection is over: let the next one in
        });
    }
}
