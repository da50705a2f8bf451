//! Small blocking HTTP clients for the servers' `--demo` modes and tests:
//! each call opens a connection, does one thing, and gives up after
//! [`CLIENT_TIMEOUT`], so a demo can never hang.

use crate::clock::Clock;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// The longest any demo client waits for anything.
pub const CLIENT_TIMEOUT: Duration = Duration::from_secs(4);

/// What came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    /// The `Connection` header, lower-cased (`close`, `keep-alive`), if any.
    pub connection: Option<String>,
    pub body: Vec<u8>,
}

/// Connects with a time limit on the connect, the reads and the writes.
pub fn connect(addr: SocketAddr) -> io::Result<TcpStream> {
    let stream = TcpStream::connect_timeout(&addr, CLIENT_TIMEOUT)?;
    stream.set_read_timeout(Some(CLIENT_TIMEOUT))?;
    stream.set_write_timeout(Some(CLIENT_TIMEOUT))?;
    Ok(stream)
}

/// `GET /` on a new connection.
pub fn get(addr: SocketAddr) -> io::Result<Reply> {
    let mut s = connect(addr)?;
    s.write_all(b"GET / HTTP/1.1\r\nHost: demo\r\n\r\n")?;
    read_reply(&mut s)?.ok_or_else(|| io::ErrorKind::UnexpectedEof.into())
}

/// Sends `bytes` on a new connection and reads the reply: `None` if the
/// server closed the connection without answering.
pub fn send(addr: SocketAddr, bytes: &[u8]) -> io::Result<Option<Reply>> {
    let mut s = connect(addr)?;
    s.write_all(bytes)?;
    read_reply(&mut s)
}

/// Reads one response (head, then `Content-Length` bytes of body) from a
/// connection: `None` if it closed before a byte arrived.
pub fn read_reply(s: &mut TcpStream) -> io::Result<Option<Reply>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let mut headers = [httparse::EMPTY_HEADER; 32];
        let mut resp = httparse::Response::new(&mut headers);
        if let httparse::Status::Complete(head_len) = resp
            .parse(&buf)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?
        {
            let header = |name: &str| {
                resp.headers
                    .iter()
                    .find(|h| h.name.eq_ignore_ascii_case(name))
                    .map(|h| String::from_utf8_lossy(h.value).to_ascii_lowercase())
            };
            let length: usize = header("content-length")
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "no Content-Length"))?;
            let status = resp.code.unwrap_or(0);
            let connection = header("connection");
            let mut body = buf[head_len..].to_vec();
            while body.len() < length {
                let n = read_some(s, &mut chunk)?;
                if n == 0 {
                    return Err(io::ErrorKind::UnexpectedEof.into());
                }
                body.extend_from_slice(&chunk[..n]);
            }
            if body.len() != length {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "more bytes than Content-Length",
                ));
            }
            return Ok(Some(Reply {
                status,
                connection,
                body,
            }));
        }
        let n = read_some(s, &mut chunk)?;
        if n == 0 {
            return if buf.is_empty() {
                Ok(None)
            } else {
                Err(io::ErrorKind::UnexpectedEof.into())
            };
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// One `read`, retried when a signal interrupts it. On a socket with a read
/// timeout (as [`connect`] sets), Linux never restarts a read that a signal
/// handler interrupted (see signal(7)), so a plain `read` can fail with
/// EINTR; seen here while `bad_clients` sent SIGINT to its server.
/// `read_exact` and `read_to_end` retry in the same way.
fn read_some(s: &mut TcpStream, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match s.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// `GET /` on a new connection, printing when it went out and when the
/// answer came back: the demos' way of showing who waited for whom.
pub fn timed_get(clock: Clock, addr: SocketAddr, name: &str) -> io::Result<()> {
    println!("  {} {name} sends GET /", clock.stamp());
    let reply = get(addr)?;
    println!("  {} {name} gets {}", clock.stamp(), reply.status);
    Ok(())
}

/// Waits for the server to close an idle connection (the demos hold one
/// open and send nothing), and prints when it did.
pub fn report_cut_off(clock: Clock, idle: &mut TcpStream) {
    let how = match read_reply(idle) {
        Ok(None) => "closed",
        _ => "unexpected",
    };
    println!(
        "  {} idle client cut off by the server ({how})",
        clock.stamp()
    );
}

/// A request head that is too big: one header of 9 KiB.
pub fn oversized_request() -> Vec<u8> {
    let mut r = b"GET / HTTP/1.1\r\nHost: demo\r\nX-Padding: ".to_vec();
    r.extend(std::iter::repeat_n(b'a', 9 * 1024));
    r.extend_from_slice(b"\r\n\r\n");
    r
}

/// A request that is not HTTP.
pub const MALFORMED_REQUEST: &[u8] = b"HELLO THERE\r\n\r\n";
