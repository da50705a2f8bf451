//! A blocking HTTP server that serves one client at a time: the article's
//! first server, written so that it runs and cannot be held forever.
//!
//! Serve on http://127.0.0.1:8080 until Ctrl-C, then try it from a second
//! terminal:
//!
//!     cargo run --release --example sync_server
//!     curl -i http://127.0.0.1:8080/
//!
//! Or watch it with clients of its own (the book shows this run):
//!
//!     cargo run --release --example sync_server -- --demo
//!
//! Flags: `--addr HOST:PORT`, `--wait-ms N` (simulated backend work per
//! request), `--idle-timeout-ms N` (time allowed for a whole request head).

use anyhow::Context;
use course::clock::Clock;
use course::http::{self, Activity, ConnectionRules};
use course::server::{self, Opt, Stop};
use course::{client, machine};
use std::net::TcpListener;
use std::thread;

// ANCHOR: serve
/// The whole concurrency model: accept a connection, serve it to the end,
/// and only then accept the next. While `serve_blocking` waits (for the
/// client's bytes, for the backend, for the client to take our answer),
/// this thread is blocked and every other client waits in the kernel's
/// listen queue.
fn serve(listener: &TcpListener, rules: ConnectionRules, stop: &Stop) -> anyhow::Result<()> {
    for conn in listener.incoming() {
        if stop.is_stopped() {
            break;
        }
        match conn {
            // One request per connection (`Connection: close`): with
            // keep-alive, one client could keep every other one out.
            Ok(stream) => {
                http::serve_blocking(stream, rules, &Activity::default());
            }
            // "Too many open files" and clients that gave up before we got
            // to them are passing troubles: pause, then keep accepting.
            Err(e) if server::accept_error_is_transient(&e) => {
                eprintln!("sync_server: accept: {e} (retrying)");
                thread::sleep(server::ACCEPT_BACKOFF);
            }
            Err(e) => return Err(e).context("accept failed"),
        }
    }
    Ok(())
}
// ANCHOR_END: serve

fn rules(args: &server::Args) -> ConnectionRules {
    ConnectionRules {
        keep_alive: false,
        head_timeout: args.idle_timeout,
        backend_wait: args.wait,
    }
}

fn main() -> anyhow::Result<()> {
    let args = server::args("sync_server", &[Opt::WaitMs, Opt::IdleTimeoutMs]);
    server::raise_open_file_limit();
    if args.demo {
        return demo();
    }
    let addr = args.addr.expect("an address unless --demo");
    let (listener, stop) = server::listen_blocking("sync_server", addr, "one client at a time")?;
    // The request being served when Ctrl-C arrives is finished first: the
    // loop looks at the flag only between connections.
    serve(&listener, rules(&args), &stop)?;
    println!("sync_server: stopped");
    Ok(())
}

// ANCHOR: demo
/// Starts the server on a free port with 300 ms of simulated backend work
/// per request and a 500 ms deadline for each request head, then plays
/// clients against it.
fn demo() -> anyhow::Result<()> {
    let (listener, addr, stop) = server::bind_demo()?;
    let rules = ConnectionRules::demo(false);
    let server = {
        let stop = stop.clone();
        thread::spawn(move || serve(&listener, rules, &stop))
    };
    println!("sync_server on {addr}: one client at a time, 300 ms of backend work per request");
    let clock = Clock::start();

    println!("\nTwo clients send GET / at the same moment:");
    let clients: Vec<_> = ["A", "B"]
        .into_iter()
        .map(|name| thread::spawn(move || client::timed_get(clock, addr, name)))
        .collect();
    for c in clients {
        c.join().expect("client thread")?;
    }

    println!("\nBad requests get an answer, not a crash:");
    let status = |r: Option<client::Reply>| r.map_or("closed".into(), |r| r.status.to_string());
    let reply = client::send(addr, client::MALFORMED_REQUEST)?;
    println!(
        "  {} not HTTP at all      -> {}",
        clock.stamp(),
        status(reply)
    );
    let reply = client::send(addr, &client::oversized_request())?;
    println!(
        "  {} a 9 KiB header       -> {}",
        clock.stamp(),
        status(reply)
    );

    println!("\nAn idle client connects and sends nothing; then C sends GET /:");
    let idle = client::connect(addr)?;
    println!("  {} idle client connected", clock.stamp());
    let c = thread::spawn(move || client::timed_get(clock, addr, "C"));
    let mut idle = idle;
    client::report_cut_off(clock, &mut idle);
    c.join().expect("client thread")?;

    stop.stop();
    server.join().expect("server thread")?;
    println!("\n{}", machine::describe());
    Ok(())
}
// ANCHOR_END: demo
