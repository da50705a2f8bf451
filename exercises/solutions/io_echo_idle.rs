//! Part II, chapter 7.1: an async echo server with an idle timeout (solution).

use std::io;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

#[derive(Debug, PartialEq, Eq)]
pub enum Ended {
    /// The client closed its side.
    Closed,
    /// Nothing arrived for `idle`.
    Idle,
}

pub async fn echo<S>(mut stream: S, idle: Duration) -> io::Result<Ended>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut buf = [0u8; 1024];
    loop {
        let Some(n) = read_within(&mut stream, &mut buf, idle).await? else {
            return Ok(Ended::Idle);
        };
        if n == 0 {
            return Ok(Ended::Closed);
        }
        stream.write_all(&buf[..n]).await?;
    }
}

/// Reads into `buf` as `stream.read(buf)` does, but gives up after `idle`:
/// then it returns `Ok(None)`.
async fn read_within<S>(stream: &mut S, buf: &mut [u8], idle: Duration) -> io::Result<Option<usize>>
where
    S: AsyncRead + Unpin,
{
    // Each call is a fresh timeout, so bytes that arrive restart the wait.
    // On expiry the read future is dropped, which loses nothing: tokio's
    // `read` is cancellation safe.
    match tokio::time::timeout(idle, stream.read(buf)).await {
        Err(_elapsed) => Ok(None),
        Ok(read) => read.map(Some),
    }
}
