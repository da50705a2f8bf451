//! An HTTP/1.1 server on tokio: the article's asyncio server, done right.
//! Keep-alive, a correct `Content-Length`, a connection limit, bounded
//! reads, an idle timeout, and a graceful shutdown on Ctrl-C.
//!
//! Serve on http://127.0.0.1:8080 until Ctrl-C:
//!
//!     cargo run --release --example async_server
//!     curl -i http://127.0.0.1:8080/ http://127.0.0.1:8080/   # two requests, one connection
//!
//! Or watch it with clients of its own (the book shows this run):
//!
//!     cargo run --release --example async_server -- --demo
//!
//! Flags: `--addr HOST:PORT`, `--max-connections N` (default 2048; one
//! peer address may hold a quarter of them, and a full server closes the
//! connection idle longest to make room: see `course::peers`),
//! `--idle-timeout-ms N` (default 10000), `--wait-ms N` (simulated backend
//! I/O per request, awaited, so it holds no thread).

use anyhow::Context;
use course::clock::Clock;
use course::http::{self, Head, Parsed};
use course::peers::{Peers, Slot};
use course::server::{self, Opt};
use course::{client, machine};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, mpsc, watch};
use tokio::time::{sleep, timeout};

#[derive(Clone, Copy, Debug)]
struct Config {
    max_connections: usize,
    /// Connections one peer address may hold at once.
    max_per_peer: usize,
    /// Whether a full server closes idle connections to make room.
    shed_idle: bool,
    idle_timeout: Duration,
    backend_wait: Duration,
}

// ANCHOR: serve
/// Accepts until `shutdown` completes, then waits for open connections to
/// finish the request they are answering. Returns whether they all ended
/// within the 5 s that shutdown allows them.
async fn serve(listener: TcpListener, cfg: Config, shutdown: impl Future<Output = ()>) -> bool {
    // The connection limit. Before accepting a connection, the loop takes a
    // permit; the connection's task drops it when it ends. With every permit
    // out, the loop waits and new clients wait in the kernel's listen queue,
    // rather than the server running out of memory or file descriptors.
    let limit = Arc::new(Semaphore::new(cfg.max_connections));
    // Fairness under that limit (course::peers): a share per peer address,
    // and idle connections give way to newcomers when the server is full.
    let peers = Peers::new(cfg.max_per_peer);
    let refusing = Arc::new(Semaphore::new(course::peers::MAX_REFUSING));
    // Shutdown, told to every connection at once.
    let (stop_tx, stop_rx) = watch::channel(false);
    // Each connection holds a clone of `done_tx`; when the last one is
    // dropped, `done_rx.recv()` returns None: every connection has ended.
    let (done_tx, mut done_rx) = mpsc::channel::<()>(1);

    tokio::pin!(shutdown);
    'serve: loop {
        let permit = loop {
            let full = limit.available_permits() == 0;
            tokio::select! {
                p = limit.clone().acquire_owned() => break p.expect("the semaphore is never closed"),
                // While full, close the connection idle longest (and any that
                // goes idle): its permit comes back as soon as it has closed.
                () = peers.shed_while_full(), if full && cfg.shed_idle => {}
                () = &mut shutdown => break 'serve,
            }
        };
        let (stream, peer) = tokio::select! {
            a = listener.accept() => match a {
                Ok(accepted) => accepted,
                // "Too many open files" passes when connections close.
                Err(e) if server::accept_error_is_transient(&e) => {
                    eprintln!("async_server: accept: {e} (retrying)");
                    sleep(server::ACCEPT_BACKOFF).await;
                    continue;
                }
                Err(e) => {
                    eprintln!("async_server: accept failed: {e}");
                    break;
                }
            },
            () = &mut shutdown => break,
        };
        let (stop, done) = (stop_rx.clone(), done_tx.clone());
        let Some(slot) = peers.admit(peer.ip()) else {
            // That peer holds its whole share already: 503 at once, under a
            // bound of its own (course::peers::MAX_REFUSING), so refusals
            // neither take places nor pile up.
            drop(permit);
            if let Ok(refusal) = refusing.clone().try_acquire_owned() {
                tokio::spawn(async move {
                    reject(stream, 503).await;
                    drop((refusal, done));
                });
            }
            continue;
        };
        // A task per connection: cheap enough that an idle connection costs
        // a few hundred bytes and a buffer, not a thread.
        tokio::spawn(async move {
            connection(stream, cfg, stop, slot).await;
            drop((permit, done));
        });
    }

    // Graceful shutdown: stop accepting (the listener is dropped here), tell
    // every connection, and wait for them to finish their current answer.
    drop(listener);
    let _ = stop_tx.send(true);
    drop(done_tx);
    timeout(Duration::from_secs(5), done_rx.recv())
        .await
        .is_ok()
}
// ANCHOR_END: serve

// ANCHOR: connection
/// Serves one connection: requests one after another (keep-alive) until the
/// client closes, asks to close, goes idle too long, or the server shuts down.
async fn connection(
    mut stream: TcpStream,
    cfg: Config,
    mut stop: watch::Receiver<bool>,
    slot: Slot,
) {
    let _ = stream.set_nodelay(true);
    let mut buf = Vec::with_capacity(1024);
    let mut out = Vec::new();
    loop {
        // One deadline for the whole head: a client that trickles one byte
        // a second is cut off as surely as one that sends nothing.
        let head = tokio::select! {
            head = timeout(cfg.idle_timeout, read_head(&mut stream, &mut buf)) => head,
            // Shutting down while the client is between requests: close now.
            _ = stop.wait_for(|stopping| *stopping) => return,
            // Idle (no request head complete yet): a full server may shed
            // this connection to make room for a newcomer (course::peers).
            () = slot.idle(), if buf.is_empty() => return,
        };
        let req = match head {
            Ok(Head::Request(req)) => req,
            Ok(Head::Reject(status)) => return reject(stream, status).await,
            Ok(Head::Done) => return,
            // Timed out: a request that had started gets 408, silence gets closed.
            Err(_elapsed) if buf.is_empty() => return,
            Err(_elapsed) => return reject(stream, 408).await,
        };
        if !cfg.backend_wait.is_zero() {
            // The simulated database call. Awaiting it frees this thread
            // for other connections, which is what async is for.
            sleep(cfg.backend_wait).await;
        }
        let keep_alive = req.keep_alive && !*stop.borrow();
        out.clear();
        http::answer(&req, keep_alive, &mut out);
        // A client that stops reading cannot hold us either.
        match timeout(cfg.idle_timeout, stream.write_all(&out)).await {
            Ok(Ok(())) => {}
            // The client went away mid-answer: only this task ends.
            _ => return,
        }
        if !keep_alive {
            // A body we did not read, or requests behind this one: close
            // without a reset that could destroy the answer just sent.
            if req.leaves_unread(buf.len()) {
                linger(stream).await;
            }
            return;
        }
        buf.drain(..req.head_len);
    }
}

/// Reads until `buf` holds a whole request head, or it is too big, or the
/// client closes. No read goes past `MAX_HEAD` bytes, and `parse` rejects a
/// head that has not ended by then, so the buffer never holds more than
/// `MAX_HEAD` bytes: the read is bounded, unlike the article's.
async fn read_head(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Head {
    loop {
        if !buf.is_empty() {
            match http::parse(buf) {
                Parsed::Partial => {}
                Parsed::Request(req) => return Head::Request(req),
                Parsed::Reject(status) => return Head::Reject(status),
            }
        }
        // `read_buf` reads straight into the buffer's spare room, so a
        // waiting connection holds no read buffer of its own besides `buf`:
        // that is most of what an idle connection costs. `take` stops the
        // read at the head's limit (`parse` answered above if we were there).
        let room = http::MAX_HEAD.saturating_sub(buf.len());
        buf.reserve(room.min(1024));
        match (&mut *stream).take(room as u64).read_buf(buf).await {
            Ok(0) | Err(_) => return Head::Done,
            Ok(_) => {}
        }
    }
}

/// Answers a bad request and closes, lingering.
async fn reject(mut stream: TcpStream, status: u16) {
    if stream
        .write_all(&http::response(status, false))
        .await
        .is_ok()
    {
        linger(stream).await;
    }
}

/// `course::http::linger_close`, awaited: shut our side, read and discard
/// what the client still sends for a moment, then close.
async fn linger(mut stream: TcpStream) {
    let _ = stream.shutdown().await;
    // On the heap: an array here would make every connection's future
    // (its whole state machine) 4 KiB bigger, used or not.
    let mut sink = vec![0u8; 4096];
    let _ = timeout(http::LINGER, async {
        while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
    })
    .await;
}
// ANCHOR_END: connection

fn main() -> anyhow::Result<()> {
    let args = server::args(
        "async_server",
        &[Opt::MaxConnections, Opt::IdleTimeoutMs, Opt::WaitMs],
    );
    let open_files = server::raise_open_file_limit();
    let cfg = Config {
        max_connections: args.max_connections,
        max_per_peer: args.max_connections.div_ceil(4),
        shed_idle: true,
        idle_timeout: args.idle_timeout,
        backend_wait: args.wait,
    };
    let runtime = tokio::runtime::Runtime::new()?;
    if args.demo {
        return runtime.block_on(demo());
    }
    runtime.block_on(async {
        let addr = args.addr.expect("an address unless --demo");
        let listener = TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        println!(
            "async_server: serving http://{}/ (up to {} connections, {} per peer address, open-file limit {open_files}); Ctrl-C stops",
            listener.local_addr()?,
            cfg.max_connections,
            cfg.max_per_peer
        );
        let ctrl_c = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        let finished = serve(listener, cfg, ctrl_c).await;
        println!(
            "async_server: stopped ({})",
            if finished {
                "in-flight answers finished"
            } else {
                "gave up on connections still open after 5 s"
            }
        );
        Ok(())
    })
}

// ANCHOR: demo
/// Runs the server on a free port (at most 4 connections, 500 ms idle
/// timeout, 300 ms of backend wait) and plays blocking clients against it
/// from ordinary threads.
async fn demo() -> anyhow::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let cfg = Config {
        max_connections: 4,
        // Every demo client is 127.0.0.1, and this demo shows the plain
        // limit: D waits for a permit. Chapter 19 shows the fair share.
        max_per_peer: 4,
        shed_idle: false,
        idle_timeout: Duration::from_millis(500),
        backend_wait: Duration::from_millis(300),
    };
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, cfg, async {
        let _ = stop_rx.await;
    }));
    println!(
        "async_server on {addr}: at most 4 connections, 500 ms idle timeout, 300 ms backend wait"
    );

    let clients = tokio::task::spawn_blocking(move || play(addr));
    let played = clients.await?;

    println!("\nShutdown while a request is in flight (times from the start of this step):");
    let clock = Clock::start();
    let in_flight = std::thread::spawn(move || {
        let r = client::get(addr);
        (clock.stamp(), r)
    });
    sleep(Duration::from_millis(100)).await;
    println!("  {} shutdown begins (the listener closes)", clock.stamp());
    let _ = stop_tx.send(());
    server.await?;
    println!("  {} server stopped", clock.stamp());
    let (at, reply) = in_flight.join().expect("client thread");
    println!("  {at} the in-flight request still got {}", reply?.status);
    let refused = client::get(addr).is_err();
    println!("  a new client is refused: {refused}");
    played?;
    println!("\n{}", machine::describe());
    Ok(())
}

/// The blocking clients of the demo.
fn play(addr: std::net::SocketAddr) -> anyhow::Result<()> {
    let clock = Clock::start();
    let get =
        move |name: &'static str| std::thread::spawn(move || client::timed_get(clock, addr, name));

    println!("\nThree clients at once, while an idle client holds a connection:");
    let mut idle = client::connect(addr)?;
    for c in [get("A"), get("B"), get("C")] {
        c.join().expect("client thread")?;
    }
    client::report_cut_off(clock, &mut idle);

    println!("\nKeep-alive: two requests on one connection:");
    let mut conn = client::connect(addr)?;
    for _ in 0..2 {
        use std::io::Write;
        conn.write_all(b"GET / HTTP/1.1\r\nHost: demo\r\n\r\n")?;
        let r = client::read_reply(&mut conn)?.context("no answer")?;
        println!(
            "  {} {} (Connection: {})",
            clock.stamp(),
            r.status,
            r.connection.unwrap_or_default()
        );
    }
    drop(conn);

    println!("\nBad requests:");
    let status = |r: Option<client::Reply>| r.map_or("closed".into(), |r| r.status.to_string());
    println!(
        "  {} not HTTP at all -> {}",
        clock.stamp(),
        status(client::send(addr, client::MALFORMED_REQUEST)?)
    );
    println!(
        "  {} a 9 KiB header  -> {}",
        clock.stamp(),
        status(client::send(addr, &client::oversized_request())?)
    );

    println!("\nThe connection limit: 4 idle connections take every permit, then D sends GET /:");
    std::thread::sleep(Duration::from_millis(50));
    let held: Vec<_> = (0..4)
        .map(|_| client::connect(addr))
        .collect::<Result<_, _>>()?;
    std::thread::sleep(Duration::from_millis(50));
    println!("  {} 4 idle connections open", clock.stamp());
    get("D").join().expect("client thread")?;
    drop(held);
    Ok(())
}
// ANCHOR_END: demo
