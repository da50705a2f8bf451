//! A blocking HTTP server with one OS thread per connection.
//!
//! Serve on http://127.0.0.1:8080 until Ctrl-C:
//!
//!     cargo run --release --example threaded_server
//!     curl -i http://127.0.0.1:8080/ http://127.0.0.1:8080/   # two requests, one connection
//!
//! Or watch it with clients of its own (the book shows this run):
//!
//!     cargo run --release --example threaded_server -- --demo
//!
//! Flags: `--addr HOST:PORT`, `--wait-ms N` (simulated backend work per
//! request), `--idle-timeout-ms N` (time allowed for each request head, and
//! for an idle keep-alive connection).

use course::clock::Clock;
use course::http::{self, Activity, ConnectionRules};
use course::server::{self, Opt, Stop};
use course::{client, machine, procfs};
use std::net::TcpListener;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

// ANCHOR: serve
/// Accept, hand the connection to a new thread, accept again. The accept
/// loop never waits for a client, so a slow or idle client blocks only its
/// own thread. The price: every connection, busy or idle, costs a thread
/// (its stack, its kernel bookkeeping, its share of the scheduler).
fn serve(listener: &TcpListener, rules: ConnectionRules, stop: &Stop, activity: &Arc<Activity>) {
    for conn in listener.incoming() {
        if stop.is_stopped() {
            break;
        }
        match conn {
            Ok(stream) => {
                let activity = activity.clone();
                // Keep-alive is fine here: an idle connection holds only
                // its own thread, and the head deadline closes it in time.
                let spawned = thread::Builder::new()
                    .stack_size(64 * 1024)
                    .spawn(move || http::serve_blocking(stream, rules, &activity));
                if let Err(e) = spawned {
                    // Out of threads (or memory for their stacks): this
                    // connection is dropped, the server goes on.
                    eprintln!("threaded_server: cannot start a thread: {e}");
                    thread::sleep(server::ACCEPT_BACKOFF);
                }
            }
            Err(e) if server::accept_error_is_transient(&e) => {
                eprintln!("threaded_server: accept: {e} (retrying)");
                thread::sleep(server::ACCEPT_BACKOFF);
            }
            Err(e) => {
                eprintln!("threaded_server: accept failed: {e}");
                break;
            }
        }
    }
}
// ANCHOR_END: serve

fn main() -> anyhow::Result<()> {
    let args = server::args("threaded_server", &[Opt::WaitMs, Opt::IdleTimeoutMs]);
    server::raise_open_file_limit();
    if args.demo {
        return demo();
    }
    let addr = args.addr.expect("an address unless --demo");
    let (listener, stop) =
        server::listen_blocking("threaded_server", addr, "with a thread per connection")?;
    let activity = Arc::new(Activity::default());
    let rules = ConnectionRules {
        keep_alive: true,
        head_timeout: args.idle_timeout,
        backend_wait: args.wait,
    };
    serve(&listener, rules, &stop, &activity);
    // Graceful: no new connections; answers being written are finished;
    // idle keep-alive connections end when the process does.
    let finished = activity.close_and_wait(Duration::from_secs(5));
    println!(
        "threaded_server: stopped ({})",
        if finished {
            "every answer finished"
        } else {
            "gave up waiting for answers"
        }
    );
    Ok(())
}

// ANCHOR: demo
/// 300 ms of simulated backend work per request, 500 ms for a request head.
fn demo() -> anyhow::Result<()> {
    let (listener, addr, stop) = server::bind_demo()?;
    let activity = Arc::new(Activity::default());
    let rules = ConnectionRules::demo(true);
    let server = {
        let (stop, activity) = (stop.clone(), activity.clone());
        thread::spawn(move || serve(&listener, rules, &stop, &activity))
    };
    println!(
        "threaded_server on {addr}: a thread per connection, 300 ms of backend work per request"
    );
    let clock = Clock::start();

    println!(
        "\nThree clients send GET / at the same moment, while an idle client holds a connection:"
    );
    let mut idle = client::connect(addr)?;
    let clients: Vec<_> = ["A", "B", "C"]
        .into_iter()
        .map(|name| thread::spawn(move || client::timed_get(clock, addr, name)))
        .collect();
    for c in clients {
        c.join().expect("client thread")?;
    }
    client::report_cut_off(clock, &mut idle);

    println!("\nEvery open connection is a thread, busy or not:");
    let threads = || procfs::self_status().map(|s| s.threads);
    let show = |n: Option<u64>| n.map_or("not measured".into(), |n| n.to_string());
    // Threads start and end a moment after their connections do: give the
    // count up to 300 ms to settle (the idle connections below are cut off
    // after 500 ms).
    let settle = |target: &dyn Fn(u64) -> bool| {
        for _ in 0..30 {
            if threads().is_none_or(target) {
                break;
            }
            thread::sleep(Duration::from_millis(10));
        }
        threads()
    };
    // This thread and the accept loop's.
    let before = settle(&|n| n <= 2);
    println!(
        "  threads in this process now:             {}",
        show(before)
    );
    let held: Vec<_> = (0..50)
        .map(|_| client::connect(addr))
        .collect::<Result<_, _>>()?;
    let base = before.unwrap_or(0);
    let with = settle(&|n| n >= base + 50);
    println!(
        "  with {} more idle connections open:      {}",
        held.len(),
        show(with)
    );
    drop(held);
    let after = settle(&|n| n <= base);
    println!("  after they close:                        {}", show(after));

    stop.stop();
    server.join().expect("server thread");
    activity.close_and_wait(Duration::from_secs(2));
    println!("\n{}", machine::describe());
    Ok(())
}
// ANCHOR_END: demo
