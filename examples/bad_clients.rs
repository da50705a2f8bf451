//! What a bad client gets from a robust server: the bad clients a public
//! server meets, played against a real `async_server` in a separate
//! process, while a good client keeps asking for pages. Then one client
//! opens many connections, to hold every place the server has; then Ctrl-C
//! (SIGINT) arrives with a request in flight.
//!
//! Run it with:
//!
//!     cargo build --release --example async_server
//!     cargo run --release --example bad_clients
//!
//! It starts the release build of `async_server` that sits next to its own
//! binary, on a free loopback port. Nothing here is special to the demo: the
//! server is the one from Part II, started as a reader would start it.

use anyhow::{Context, bail};
use course::client::{self, MALFORMED_REQUEST};
use course::clock::Clock;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// The server's idle timeout for this demo: short, so the run is short.
const IDLE_TIMEOUT_MS: u64 = 400;

/// A running `async_server` child, stopped (and reaped) when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    /// The rest of the server's stdout, read after it exits.
    out: BufReader<std::process::ChildStdout>,
}

impl Server {
    fn start(extra: &[&str]) -> anyhow::Result<Server> {
        let exe = std::env::current_exe()?;
        let path = exe.with_file_name(format!("async_server{}", std::env::consts::EXE_SUFFIX));
        if !path.is_file() {
            bail!(
                "{} is not built; run `cargo build --release --example async_server` first",
                path.display()
            );
        }
        let mut child = Command::new(&path)
            .args(["--addr", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stdin(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", path.display()))?;
        let mut out = BufReader::new(child.stdout.take().context("no stdout")?);
        // The server prints the address it actually bound on its first line.
        let mut line = String::new();
        out.read_line(&mut line)?;
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|a| a.parse().ok())
            .with_context(|| format!("no address in the server's first line: {line:?}"))?;
        Ok(Server { child, addr, out })
    }

    /// Sends SIGINT, as Ctrl-C in a terminal does.
    fn interrupt(&self) -> anyhow::Result<()> {
        let status = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .context("running kill")?;
        anyhow::ensure!(status.success(), "kill -INT failed");
        Ok(())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the server did to a client, in words.
fn outcome(reply: std::io::Result<Option<client::Reply>>) -> String {
    match reply {
        Ok(Some(r)) => format!("got {}", r.status),
        Ok(None) => "was disconnected without an answer".to_string(),
        Err(e) => format!("saw an error: {e}"),
    }
}

// ANCHOR: bad_clients
/// Each bad client, with what it does to the server.
fn bad_clients(addr: SocketAddr, clock: Clock, log: &Mutex<Vec<String>>) {
    let say = |who: &str, what: String| {
        log.lock()
            .unwrap()
            .push(format!("  {} {who:<11} {what}", clock.stamp()));
    };
    thread::scope(|s| {
        s.spawn(|| say("malformed", outcome(client::send(addr, MALFORMED_REQUEST))));
        s.spawn(|| {
            say(
                "oversized",
                outcome(client::send(addr, &client::oversized_request())),
            )
        });
        s.spawn(|| {
            // Sends its request head one byte every 50 ms, and never ends it.
            let trickle = || -> std::io::Result<Option<client::Reply>> {
                let mut c = client::connect(addr)?;
                for byte in b"GET / HTTP/1.1\r\nHost: trickle\r\nX-Slow: yes\r\n".iter() {
                    if c.write_all(&[*byte]).is_err() {
                        break; // the server has given up on us
                    }
                    thread::sleep(Duration::from_millis(50));
                }
                client::read_reply(&mut c)
            };
            say("trickling", outcome(trickle()))
        });
        s.spawn(|| {
            // Connects and says nothing at all.
            let silent = || client::read_reply(&mut client::connect(addr)?);
            say("silent", outcome(silent()))
        });
        s.spawn(|| {
            // Asks for 2,000 pages in one go, then vanishes without reading
            // them: the server's writes fail mid-response.
            let vanish = || -> std::io::Result<()> {
                let mut c = client::connect(addr)?;
                c.write_all(&b"GET / HTTP/1.1\r\nHost: v\r\n\r\n".repeat(2000))?;
                Ok(())
            };
            let what = match vanish() {
                Ok(()) => "sent 2000 requests and vanished mid-response".to_string(),
                Err(e) => format!("could not even send: {e}"),
            };
            say("vanishing", what)
        });
        s.spawn(|| {
            // Asks for 100,000 pages and reads none: the answers fill the
            // socket buffers, and the server's next write would wait
            // forever, unless the server puts a time limit on writing too.
            let slow = || -> std::io::Result<String> {
                const ASKED: usize = 100_000;
                let mut c = client::connect(addr)?;
                // Sending may block once the server stops reading: send from
                // another thread, which ends when the connection does.
                let mut writer = c.try_clone()?;
                thread::spawn(move || {
                    let _ = writer.write_all(&b"GET / HTTP/1.1\r\nHost: s\r\n\r\n".repeat(ASKED));
                });
                thread::sleep(Duration::from_millis(2 * IDLE_TIMEOUT_MS + 200));
                // Only now read: what the server wrote before it gave up
                // (every answer, if it never gives up), then the end.
                let mut sink = Vec::new();
                c.set_read_timeout(Some(Duration::from_secs(3)))?;
                let end = c.read_to_end(&mut sink);
                let answers = sink.windows(13).filter(|w| w == b"HTTP/1.1 200 ").count();
                Ok(format!(
                    "asked for {ASKED} pages, read nothing for {} ms, then got {answers} answers and {}",
                    2 * IDLE_TIMEOUT_MS + 200,
                    match end {
                        Ok(_) => "the end of the connection".to_string(),
                        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                            "the end of the connection (reset)".to_string()
                        }
                        Err(e) => format!("no end: {e}"),
                    }
                ))
            };
            say("not reading", slow().unwrap_or_else(|e| format!("saw an error: {e}")))
        });
    });
}
// ANCHOR_END: bad_clients

fn main() -> anyhow::Result<()> {
    let server = Server::start(&["--idle-timeout-ms", &IDLE_TIMEOUT_MS.to_string()])?;
    println!(
        "async_server (a separate process) on {}, idle timeout {IDLE_TIMEOUT_MS} ms\n",
        server.addr
    );

    // A good client asks for a page every 20 ms the whole time.
    let clock = Clock::start();
    let stop = AtomicBool::new(false);
    let log = Mutex::new(Vec::new());
    let (served, failed, slowest) = thread::scope(|s| {
        let good = s.spawn(|| {
            let (mut served, mut failed, mut slowest) = (0, 0, Duration::ZERO);
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                match client::get(server.addr) {
                    Ok(r) if r.status == 200 => served += 1,
                    _ => failed += 1,
                }
                slowest = slowest.max(t.elapsed());
                thread::sleep(Duration::from_millis(20));
            }
            (served, failed, slowest)
        });
        bad_clients(server.addr, clock, &log);
        stop.store(true, Ordering::Relaxed);
        good.join().expect("the good client does not panic")
    });
    let mut log = log.into_inner().unwrap();
    log.sort(); // by time stamp: the threads finished in this order
    println!("Bad clients, all at once (each line is when that client finished):");
    println!("{}", log.join("\n"));
    println!(
        "\nMeanwhile, a good client: {served} pages, {failed} failures, slowest answer {} ms",
        slowest.as_millis()
    );
    drop(server);

    one_client_many_connections()?;
    shutdown_with_a_request_in_flight()
}

/// The server for the many-connections attack: 8 places, so a quarter
/// (2) per peer address, and the default 10 s idle timeout.
const PLACES: usize = 8;

// ANCHOR: hostage
/// One client tries to hold every place the server has. On Linux every
/// address 127.x.y.z is loopback, so binding a client socket to 127.0.0.2,
/// 127.0.0.3, ... before connecting makes each a distinct peer to the
/// server, as distinct machines would be.
fn one_client_many_connections() -> anyhow::Result<()> {
    let server = Server::start(&["--max-connections", &PLACES.to_string()])?;
    let addr = server.addr;
    println!(
        "\nOne client, many connections (a fresh server: {PLACES} places, a quarter \
         per peer address, 10 s idle timeout):"
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        use tokio::io::AsyncReadExt;
        use tokio::net::{TcpSocket, TcpStream};
        use tokio::time::{sleep, timeout};

        // Opens `n` connections from 127.0.0.`last` that send nothing.
        let open = |last: u8, n: usize| async move {
            let mut held = Vec::new();
            for _ in 0..n {
                let socket = TcpSocket::new_v4()?;
                socket.bind(SocketAddr::from(([127, 0, 0, last], 0)))?;
                held.push(socket.connect(addr).await?);
            }
            anyhow::Ok(held)
        };
        // What the server did with a connection, looking for up to `wait`:
        // answered it (503), closed it, or neither (it still holds a place).
        async fn fate(conn: &mut TcpStream, wait: Duration) -> &'static str {
            let mut got = Vec::new();
            match timeout(wait, conn.read_to_end(&mut got)).await {
                Err(_) if got.is_empty() => "held",
                _ if got.starts_with(b"HTTP/1.1 503") => "503",
                _ => "closed",
            }
        }
        let count = |fates: &[&str], which: &str| fates.iter().filter(|f| **f == which).count();
        // A good client, from 127.0.0.1: how long until it is answered.
        let good = || async move {
            let started = Instant::now();
            let reply = tokio::task::spawn_blocking(move || client::get(addr)).await?;
            anyhow::Ok(format!(
                "got {} after {} ms",
                reply.map_or_else(|e| format!("an error ({e})"), |r| r.status.to_string()),
                started.elapsed().as_millis()
            ))
        };

        // 1. From one address, the attacker asks for every place.
        let mut first = open(2, PLACES).await?;
        let mut fates = Vec::new();
        for conn in &mut first {
            fates.push(fate(conn, Duration::from_millis(300)).await);
        }
        println!(
            "  127.0.0.2 opens {PLACES} idle connections: {} held, {} answered 503 at once",
            count(&fates, "held"),
            count(&fates, "503")
        );
        println!("  a good client, meanwhile: {}", good().await?);

        // 2. From three more addresses, it takes its share at each: now the
        //    server is full of idle connections.
        let held_first: Vec<_> = first
            .into_iter()
            .zip(&fates)
            .filter(|(_, f)| **f == "held")
            .map(|(c, _)| c)
            .collect();
        let mut attack = held_first;
        for last in 3..=5 {
            attack.extend(open(last, PLACES / 4).await?);
        }
        sleep(Duration::from_millis(100)).await; // the server has accepted them all
        println!(
            "  127.0.0.3 to 127.0.0.5 open {} more: {} idle connections in {PLACES} places",
            3 * (PLACES / 4),
            attack.len()
        );
        println!("  a good client, meanwhile: {}", good().await?);
        let mut fates = Vec::new();
        for conn in &mut attack {
            fates.push(fate(conn, Duration::from_millis(100)).await);
        }
        println!(
            "  of the {} idle connections, the server closed {} to make room; {} still held",
            attack.len(),
            count(&fates, "closed"),
            count(&fates, "held")
        );
        anyhow::Ok(())
    })
}
// ANCHOR_END: hostage

// ANCHOR: shutdown
/// Ctrl-C while a request is being answered: the answer still arrives,
/// then the server exits by itself, and new clients are refused.
fn shutdown_with_a_request_in_flight() -> anyhow::Result<()> {
    // Each answer takes 300 ms of (simulated) backend work.
    let mut server = Server::start(&["--wait-ms", "300"])?;
    println!("\nCtrl-C with a request in flight (a fresh server, 300 ms per answer):");
    let clock = Clock::start();
    let addr = server.addr;
    let (sent_tx, sent_rx) = std::sync::mpsc::channel();
    let in_flight = thread::spawn(move || {
        const GET: &[u8] = b"GET / HTTP/1.1\r\nHost: demo\r\n\r\n";
        let mut c = client::connect(addr)?;
        // A first answer on this connection proves the server has accepted
        // it: a signal that came before the accept would close the port
        // under a connection still waiting in the kernel's queue.
        c.write_all(GET)?;
        client::read_reply(&mut c)?;
        c.write_all(GET)?;
        let _ = sent_tx.send(());
        client::read_reply(&mut c)
    });
    // The second request is on its way; give the server a moment to start
    // on it, then interrupt.
    let _ = sent_rx.recv_timeout(Duration::from_secs(5));
    thread::sleep(Duration::from_millis(100));
    println!("  {} SIGINT sent, as Ctrl-C does", clock.stamp());
    server.interrupt()?;

    let reply = in_flight.join().expect("the client does not panic");
    println!(
        "  {} the in-flight request {}",
        clock.stamp(),
        outcome(reply)
    );
    let status = server.child.wait()?;
    let mut last = String::new();
    server.out.read_to_string(&mut last)?;
    println!(
        "  {} the server exited ({status}), saying: {}",
        clock.stamp(),
        last.trim()
    );
    let refused = TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_err();
    println!("  a new client is refused: {refused}");
    Ok(())
}
// ANCHOR_END: shutdown
