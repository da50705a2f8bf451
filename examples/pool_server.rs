//! A blocking HTTP server with a fixed pool of worker threads and a bounded
//! queue of waiting connections. When the queue is full, it answers `503`
//! at once instead of letting work pile up without limit.
//!
//! Serve on http://127.0.0.1:8080 until Ctrl-C:
//!
//!     cargo run --release --example pool_server -- --workers 4 --queue 64
//!
//! Or watch it with clients of its own (the book shows this run):
//!
//!     cargo run --release --example pool_server -- --demo
//!
//! Flags: `--addr HOST:PORT`, `--workers N`, `--queue N`, `--wait-ms N`
//! (simulated backend work per request), `--idle-timeout-ms N`.

use course::clock::Clock;
use course::http::{self, Activity, ConnectionRules};
use course::server::{self, Opt, Stop};
use course::{client, machine};
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::mpsc::{self, Receiver, TrySendError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

// ANCHOR: pool
/// `workers` threads take connections from one queue that holds at most
/// `queue` of them. Each worker serves one request per connection and closes
/// it: with keep-alive, a few idle clients could hold every worker.
fn serve(
    listener: &TcpListener,
    workers: usize,
    queue: usize,
    rules: ConnectionRules,
    stop: &Stop,
) {
    let (tx, rx) = mpsc::sync_channel::<TcpStream>(queue);
    let rx = Arc::new(Mutex::new(rx));
    let pool: Vec<_> = (0..workers)
        .map(|_| {
            let rx = rx.clone();
            thread::spawn(move || worker(&rx, rules))
        })
        .collect();

    let rejected = Rejected::start();
    for conn in listener.incoming() {
        if stop.is_stopped() {
            break;
        }
        match conn {
            // `try_send` never blocks: a full queue is answered right away.
            Ok(stream) => match tx.try_send(stream) {
                Ok(()) => {}
                Err(TrySendError::Full(stream)) => rejected.answer_503(stream),
                Err(TrySendError::Disconnected(_)) => break,
            },
            Err(e) if server::accept_error_is_transient(&e) => {
                eprintln!("pool_server: accept: {e} (retrying)");
                thread::sleep(server::ACCEPT_BACKOFF);
            }
            Err(e) => {
                eprintln!("pool_server: accept failed: {e}");
                break;
            }
        }
    }
    // Graceful: closing the queue lets each worker finish what was queued,
    // then its `recv` fails and it returns.
    drop(tx);
    for w in pool {
        let _ = w.join();
    }
}

fn worker(rx: &Mutex<Receiver<TcpStream>>, rules: ConnectionRules) {
    let activity = Activity::default();
    loop {
        // The lock is held only while taking one connection off the queue.
        let next = rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
        match next {
            Ok(stream) => {
                http::serve_blocking(stream, rules, &activity);
            }
            Err(_) => return,
        }
    }
}
// ANCHOR_END: pool

/// Answers `503` for a full queue. Closing a socket whose request we never
/// read makes the kernel send a reset, which can wipe out the `503` before
/// the client reads it; so we send, shut our side, and let a thread of its
/// own close the socket a moment later. The accept loop never waits.
struct Rejected(mpsc::SyncSender<(Instant, TcpStream)>);

impl Rejected {
    fn start() -> Self {
        // Bounded: in a flood, sockets beyond it are closed at once.
        let (tx, rx) = mpsc::sync_channel::<(Instant, TcpStream)>(1024);
        thread::spawn(move || {
            for (answered_at, stream) in rx {
                thread::sleep(http::LINGER.saturating_sub(answered_at.elapsed()));
                drop(stream);
            }
        });
        Self(tx)
    }

    fn answer_503(&self, mut stream: TcpStream) {
        let _ = stream.set_nonblocking(true);
        let mut sink = [0u8; 4096];
        while matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
        let _ = stream.write_all(&http::response(503, false));
        let _ = stream.shutdown(Shutdown::Write);
        let _ = self.0.try_send((Instant::now(), stream));
    }
}

fn main() -> anyhow::Result<()> {
    let args = server::args(
        "pool_server",
        &[Opt::Workers, Opt::Queue, Opt::WaitMs, Opt::IdleTimeoutMs],
    );
    server::raise_open_file_limit();
    if args.demo {
        return demo();
    }
    let addr = args.addr.expect("an address unless --demo");
    let how = format!(
        "with {} workers and a queue of {}",
        args.workers, args.queue
    );
    let (listener, stop) = server::listen_blocking("pool_server", addr, &how)?;
    let rules = ConnectionRules {
        keep_alive: false,
        head_timeout: args.idle_timeout,
        backend_wait: args.wait,
    };
    serve(&listener, args.workers, args.queue, rules, &stop);
    println!("pool_server: stopped (the queue was served first)");
    Ok(())
}

// ANCHOR: demo
/// Two workers, a queue of two, 300 ms of backend work per request; six
/// clients arrive 20 ms apart.
fn demo() -> anyhow::Result<()> {
    let (listener, addr, stop) = server::bind_demo()?;
    let rules = ConnectionRules::demo(false);
    let server = {
        let stop = stop.clone();
        thread::spawn(move || serve(&listener, 2, 2, rules, &stop))
    };
    println!("pool_server on {addr}: 2 workers, a queue of 2, 300 ms of backend work per request");
    let clock = Clock::start();

    println!("\nSix clients send GET /, 20 ms apart:");
    let mut clients = Vec::new();
    for name in ["A", "B", "C", "D", "E", "F"] {
        clients.push(thread::spawn(move || client::timed_get(clock, addr, name)));
        thread::sleep(Duration::from_millis(20));
    }
    for c in clients {
        c.join().expect("client thread")?;
    }

    stop.stop();
    server.join().expect("server thread");
    println!("\n{}", machine::describe());
    Ok(())
}
// ANCHOR_END: demo
