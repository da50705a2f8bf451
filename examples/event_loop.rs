//! A readiness loop with `mio`, the library under tokio: one thread, many
//! connections, no `async` at all. This is what tokio's reactor does for
//! you, written out so you can see it.
//!
//!     cargo run --release --example event_loop -- --demo
//!     cargo run --release --example event_loop      # serves on 127.0.0.1:8080
//!
//! The loop asks the OS (epoll on Linux) "which of my sockets can make
//! progress?", then does exactly that much work on each, never blocking.

use anyhow::Context;
use course::clock::Clock;
use course::http::{self, Parsed};
use course::server::{self, Opt};
use course::{client, machine};
use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token};
use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::time::{Duration, Instant};

const LISTENER: Token = Token(0);

/// What the loop knows about one connection.
struct Conn {
    stream: TcpStream,
    /// When it was accepted: the head must arrive by `since + head_timeout`.
    since: Instant,
    buf: Vec<u8>,
    /// The answer still to send (set once the whole head has arrived).
    out: Vec<u8>,
    /// Once the answer is sent: the client may still be sending, so read
    /// and discard until it closes or this moment passes, then close (a
    /// close with unread bytes would reset the connection; see
    /// `course::http::linger_close`).
    linger: bool,
    /// When lingering began.
    lingering_since: Option<Instant>,
}

// ANCHOR: event_loop
/// Runs the loop until `stop_after` answers have been sent (`None`: forever),
/// or until `stop` is set and the requests in flight are answered. A
/// connection gets `head_timeout` for its whole request head. `log` prints
/// each readiness event, for the demo.
fn run(
    mut listener: TcpListener,
    head_timeout: Duration,
    stop_after: Option<usize>,
    log: Option<Clock>,
    stop: Option<&server::Stop>,
) -> io::Result<()> {
    let mut poll = Poll::new()?; // epoll_create: the OS's readiness queue
    poll.registry()
        .register(&mut listener, LISTENER, Interest::READABLE)?;
    let mut conns: HashMap<Token, Conn> = HashMap::new();
    let mut next = 1;
    let mut answered = 0;
    let mut events = Events::with_capacity(256);
    let say = |msg: String| {
        if let Some(clock) = log {
            println!("  {} {msg}", clock.stamp());
        }
    };

    let mut stopping = false;
    while stop_after.is_none_or(|n| answered < n) {
        if !stopping && stop.is_some_and(server::Stop::is_stopped) {
            // Graceful shutdown: accept no more, close the connections that
            // have not started a request, and let the others finish (each
            // is bounded by its head deadline).
            stopping = true;
            poll.registry().deregister(&mut listener)?;
            conns.retain(|_, c| !c.buf.is_empty() || !c.out.is_empty());
        }
        if stopping && conns.is_empty() {
            break;
        }
        // The only place this thread waits: until a socket is ready, or a
        // tenth of a second has passed, so that the loop can check its
        // deadlines. (tokio keeps its timers in a wheel and sleeps only
        // until the next one is due; the idea is the same.)
        match poll.poll(&mut events, Some(Duration::from_millis(100))) {
            // A signal (Ctrl-C) interrupts the wait: epoll_wait is never
            // restarted after a signal handler. That is no error; go round.
            Err(e) if e.kind() == io::ErrorKind::Interrupted => events.clear(),
            other => other?,
        }
        let late: Vec<Token> = conns
            .iter()
            .filter(|(_, c)| match c.lingering_since {
                Some(t) => t.elapsed() >= http::LINGER,
                None => c.out.is_empty() && c.since.elapsed() > head_timeout,
            })
            .map(|(t, _)| *t)
            .collect();
        for token in late {
            let Some(c) = conns.get_mut(&token) else {
                continue;
            };
            if c.lingering_since.is_none() {
                say(format!(
                    "connection {}: no whole request in time, closing",
                    token.0
                ));
                if !c.buf.is_empty() {
                    // A request had started: say why (best effort: a small
                    // answer fits in the socket's send buffer), then
                    // linger, for its sender may still be sending.
                    let _ = c.stream.write(&http::response(408, false));
                    if start_lingering(c) {
                        continue;
                    }
                }
            }
            if let Some(mut c) = conns.remove(&token) {
                poll.registry().deregister(&mut c.stream)?;
            }
        }
        for event in &events {
            if event.token() == LISTENER {
                // Readable listener: connections are waiting to be accepted.
                // Accept until the OS says "would block": readiness tells us
                // that something is there, not how much.
                loop {
                    match listener.accept() {
                        Ok((mut stream, _)) => {
                            let token = Token(next);
                            next += 1;
                            poll.registry()
                                .register(&mut stream, token, Interest::READABLE)?;
                            say(format!("accepted connection {}", token.0));
                            let conn = Conn {
                                stream,
                                since: Instant::now(),
                                buf: Vec::new(),
                                out: Vec::new(),
                                linger: false,
                                lingering_since: None,
                            };
                            conns.insert(token, conn);
                        }
                        Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                        // One client gave up before we took it: take the next.
                        Err(e)
                            if matches!(
                                e.kind(),
                                io::ErrorKind::ConnectionAborted | io::ErrorKind::Interrupted
                            ) => {}
                        // Out of file descriptors: stop for now. mio's events
                        // are edge-triggered (reported when something new
                        // arrives), so the clients still queued are taken
                        // when the next one connects; a production loop
                        // would also retry on a timer.
                        Err(e) if server::accept_error_is_transient(&e) => break,
                        Err(e) => return Err(e),
                    }
                }
                continue;
            }
            let token = event.token();
            let Some(conn) = conns.get_mut(&token) else {
                continue;
            };
            if conn.lingering_since.is_some() {
                if event.is_readable() && drain(conn) {
                    if let Some(mut c) = conns.remove(&token) {
                        poll.registry().deregister(&mut c.stream)?;
                    }
                }
                continue;
            }
            let done = if event.is_readable() && conn.out.is_empty() {
                on_readable(conn, token, &say)
            } else {
                false
            };
            // Write whatever the socket takes now; if it takes less than
            // all, ask to be told when it is writable again.
            let mut finished = done;
            if !conn.out.is_empty() {
                match conn.stream.write(&conn.out) {
                    Ok(n) => {
                        conn.out.drain(..n);
                    }
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                    Err(_) => finished = true,
                }
                if conn.out.is_empty() {
                    say(format!("connection {}: answer sent, closing", token.0));
                    answered += 1;
                    finished = !(conn.linger && start_lingering(conn));
                    if !finished {
                        poll.registry()
                            .reregister(&mut conn.stream, token, Interest::READABLE)?;
                    }
                } else {
                    poll.registry()
                        .reregister(&mut conn.stream, token, Interest::WRITABLE)?;
                }
            }
            if finished {
                if let Some(mut c) = conns.remove(&token) {
                    poll.registry().deregister(&mut c.stream)?;
                }
            }
        }
    }
    Ok(())
}

/// Shuts our side and starts lingering. Returns false when there is
/// nothing to wait for (the client has closed already): close now.
fn start_lingering(conn: &mut Conn) -> bool {
    let _ = conn.stream.shutdown(std::net::Shutdown::Write);
    conn.lingering_since = Some(Instant::now());
    // Edge-triggered: bytes already waiting raise no new event, so read
    // them now.
    !drain(conn)
}

/// Reads and discards what is there. Returns true once the client has
/// closed (or the connection failed).
fn drain(conn: &mut Conn) -> bool {
    let mut sink = [0u8; 4096];
    loop {
        match conn.stream.read(&mut sink) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return false,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return true,
        }
    }
}

/// Reads what is there without waiting; answers once the head is whole.
/// Returns true when the connection should close now. A client that sends
/// its request and then shuts its side (half-close) still gets its answer:
/// what has arrived is parsed before the end of input is acted on.
fn on_readable(conn: &mut Conn, token: Token, say: &impl Fn(String)) -> bool {
    let mut chunk = [0u8; 4096];
    let mut closed = false;
    loop {
        match conn.stream.read(&mut chunk) {
            Ok(0) => {
                closed = true; // the client will send no more
                break;
            }
            Ok(n) => {
                conn.buf.extend_from_slice(&chunk[..n]);
                say(format!("connection {}: readable, read {n} bytes", token.0));
                if conn.buf.len() > http::MAX_HEAD {
                    break; // enough to know it is too big: parse says 431
                }
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return true,
        }
    }
    match http::parse(&conn.buf) {
        // A head that can never be finished: close without a word.
        Parsed::Partial if closed => return true,
        Parsed::Partial => say(format!(
            "connection {}: head not complete yet, back to the loop",
            token.0
        )),
        Parsed::Request(req) => {
            http::answer(&req, false, &mut conn.out);
            conn.linger = !closed && req.leaves_unread(conn.buf.len());
        }
        Parsed::Reject(status) => {
            http::write_response(status, false, false, &mut conn.out);
            conn.linger = !closed;
        }
    }
    false
}
// ANCHOR_END: event_loop

fn main() -> anyhow::Result<()> {
    let args = server::args("event_loop", &[Opt::IdleTimeoutMs]);
    if args.demo {
        return demo();
    }
    let addr = args.addr.expect("an address unless --demo");
    let listener = TcpListener::bind(addr).with_context(|| format!("cannot listen on {addr}"))?;
    println!(
        "event_loop: serving http://{}/ on one thread (a teaching loop: one request per connection); Ctrl-C stops",
        listener.local_addr()?
    );
    let stop = server::Stop::new(listener.local_addr()?);
    stop.on_ctrl_c()?;
    run(listener, args.idle_timeout, None, None, Some(&stop))?;
    println!("event_loop: stopped (in-flight answers finished)");
    Ok(())
}

// ANCHOR: demo
/// One slow client trickles its request in three pieces; two quick ones
/// arrive meanwhile. One thread serves all three.
fn demo() -> anyhow::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0".parse()?)?;
    let addr = listener.local_addr()?;
    println!("event_loop on {addr}: one thread, readiness events as they come");
    let clock = Clock::start();
    let server = std::thread::spawn(move || {
        run(listener, Duration::from_secs(5), Some(3), Some(clock), None)
    });

    let slow = std::thread::spawn(move || -> anyhow::Result<u16> {
        let mut s = client::connect(addr)?;
        for (i, piece) in ["GET / HT", "TP/1.1\r\nHost: d", "emo\r\n\r\n"]
            .iter()
            .enumerate()
        {
            if i > 0 {
                std::thread::sleep(Duration::from_millis(150));
            }
            s.write_all(piece.as_bytes())?;
        }
        Ok(client::read_reply(&mut s)?.context("no answer")?.status)
    });
    std::thread::sleep(Duration::from_millis(50));
    for _ in 0..2 {
        let status = client::get(addr)?.status;
        println!("  {} a quick client got {status}", clock.stamp());
    }
    let status = slow.join().expect("client thread")?;
    println!("  {} the slow client got {status}", clock.stamp());
    server.join().expect("server thread")?;
    println!("\n{}", machine::describe());
    Ok(())
}
// ANCHOR_END: demo
