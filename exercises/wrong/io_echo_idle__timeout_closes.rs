//! Wrong solution of io_echo_idle: when the time limit passes it reports
//! `Ok(Some(0))`, the value a read returns at the end of the stream, so a
//! quiet client is reported as one that closed (`Ended::Closed`), not as idle.
//!
//! caught by: echoes_then_times_out_a_quiet_client

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
    // The mistake: on expiry it reports what a read at the end of the
    // stream returns, so `echo` cannot tell a quiet client from a closed one.
    match tokio::time::timeout(idle, stream.read(buf)).await {
        Err(_elapsed) => Ok(Some(0)),
        Ok(read) => read.map(Some),
    }
}
