//! Part VI, "Observing a running program": `tracing` spans per connection
//! task and per request, on a small tokio HTTP server.
//!
//!     cargo run --release --example traced_server
//!
//! The server binds a free loopback port, demo clients make three
//! connections one after another (so the log's order is the same on every
//! run), and the program ends. Every line the server logs carries the spans
//! it happened in: `conn{id=2}:request{n=1}: ...`.

use course::client;
use course::http::{self, Parsed};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::timeout;
use tracing::{Instrument, info, info_span, warn};

/// How long a connection may stay silent before the server closes it.
const IDLE: Duration = Duration::from_secs(2);

// ANCHOR: accept
/// Accepts `connections` connections and serves each on a task of its own,
/// inside a `conn` span that every event of that task inherits.
async fn serve(listener: TcpListener, connections: u64) {
    let mut tasks = tokio::task::JoinSet::new();
    for id in 1..=connections {
        let Ok((stream, _peer)) = listener.accept().await else {
            warn!("accept failed");
            continue;
        };
        // `instrument` enters the span each time the task is polled and
        // leaves it when the task yields, so the span follows the task
        // from worker thread to worker thread.
        tasks.spawn(connection(stream).instrument(info_span!("conn", id)));
    }
    tasks.join_all().await;
}
// ANCHOR_END: accept

// ANCHOR: connection
/// Serves requests until the client closes, goes silent for IDLE, or sends
/// one the server must refuse. Each request gets a `request` span.
async fn connection(mut stream: TcpStream) {
    info!("open");
    let mut buf = Vec::with_capacity(1024);
    let mut n = 0;
    loop {
        let parsed = http::parse(&buf);
        if let Parsed::Request(req) = &parsed {
            n += 1;
            // The answer is decided by the parse (200, 404, 405 or 501), so
            // the span carries it from its start: every event inside it
            // says which request it belongs to and how it was answered.
            let span = info_span!("request", n, status = req.status);
            let done = async {
                // `req.keep_alive` is already false where the server must
                // close (HTTP/1.0 without keep-alive, `Connection: close`,
                // 405 and 501).
                let mut out = Vec::with_capacity(256);
                http::answer(req, req.keep_alive, &mut out);
                let sent = stream.write_all(&out).await;
                info!(keep_alive = req.keep_alive, "answered");
                sent.is_ok() && req.keep_alive
            }
            .instrument(span)
            .await;
            buf.drain(..req.head_len);
            if !done {
                break;
            }
            continue;
        }
        if let Parsed::Reject(status) = parsed {
            let _ = stream.write_all(&http::response(status, false)).await;
            warn!(status, "refused a malformed request");
            break;
        }
        // Parsed::Partial: read more, bounded in size (parse refuses a head
        // over MAX_HEAD) and in time.
        let mut chunk = [0u8; 1024];
        match timeout(IDLE, stream.read(&mut chunk)).await {
            Ok(Ok(0)) => break,
            Ok(Ok(k)) => buf.extend_from_slice(&chunk[..k]),
            Ok(Err(e)) => {
                warn!(error = %e, "read failed");
                break;
            }
            Err(_) => {
                info!("idle for {IDLE:?}");
                break;
            }
        }
    }
    info!(requests = n, "closed");
}
// ANCHOR_END: connection

/// Three clients, one after another: two requests on one connection, a
/// request for a missing page, a malformed request.
fn demo_clients(addr: SocketAddr) -> std::io::Result<()> {
    use std::io::Write;
    let mut s = client::connect(addr)?;
    s.write_all(b"GET / HTTP/1.1\r\nHost: demo\r\n\r\n")?;
    client::read_reply(&mut s)?;
    s.write_all(b"GET / HTTP/1.1\r\nHost: demo\r\nConnection: close\r\n\r\n")?;
    client::read_reply(&mut s)?;
    client::send(
        addr,
        b"GET /missing HTTP/1.1\r\nHost: demo\r\nConnection: close\r\n\r\n",
    )?;
    client::send(addr, b"NOT HTTP AT ALL\r\n\r\n")?;
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    if std::env::args().len() > 1 {
        eprintln!("usage: traced_server (it takes no arguments: it runs its own demo clients)");
        std::process::exit(2);
    }
    // ANCHOR: subscriber
    // One line per event, with the spans it happened in; no timestamps and
    // no colours, so the book's copy of a run reads like a terminal's.
    tracing_subscriber::fmt()
        .without_time()
        .with_target(false)
        .with_ansi(false)
        .init();
    // ANCHOR_END: subscriber
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(serve(listener, 3));
    tokio::task::spawn_blocking(move || demo_clients(addr)).await??;
    server.await?;
    Ok(())
}
