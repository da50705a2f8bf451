//! Part II, chapter 7.1: an async echo server with an idle timeout.
//!
//! `echo` sends back every byte a client sends. A client that goes quiet
//! must not hold its connection forever: if no bytes arrive for `idle`,
//! `echo` returns `Ended::Idle` (and the connection is dropped). Any bytes
//! that do arrive restart the wait. A client that closes ends it with
//! `Ended::Closed`.
//!
//! `echo` takes any async stream, so the tests can use an in-memory one
//! (`tokio::io::duplex`) and tokio's paused clock: exact and instant.
//!
//! Check it with `cargo test -p exercises --test io_echo_idle`.

// Until you write the body, the stub leaves `read_within`'s parameters unused.
#![allow(unused_variables)]

use std::io;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};

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
    // TODO: read with a time limit. `tokio::io::AsyncReadExt` gives streams
    // `.read(buf)`; `tokio::time::timeout(idle, future)` limits a future.
    todo!()
}
