//! Graceful shutdown with the tokio project's own building blocks, from
//! `tokio-util`: a `CancellationToken` tells every task to stop, and a
//! `TaskTracker` waits for them all. Chapter 19 sets them beside the
//! hand-made `watch` channel and `mpsc` trick of `async_server`.
//!
//! Run it with:
//!
//!     cargo run --release --example structured_shutdown
//!
//! A line server on a free loopback port answers each line after 300 ms of
//! (awaited) work. Two clients connect: one sends a line, one stays silent.
//! While the first one's line is being worked on, the server is told to
//! shut down. Every step is printed with its time.

use anyhow::Result;
use course::clock::Clock;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::{sleep, timeout};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

const WORK: Duration = Duration::from_millis(300);

// ANCHOR: serve
/// Accepts until `stop` is cancelled, then waits (at most 5 s) for every
/// connection task to end. Returns whether they all did.
async fn serve(listener: TcpListener, stop: CancellationToken, clock: Clock) -> bool {
    // Tracks every connection task. Unlike a JoinSet it keeps no results,
    // so a server that runs for weeks does not accumulate finished entries.
    let tracker = TaskTracker::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                // A child token: cancelled with its parent, and could be
                // cancelled alone (to close one connection) without the rest.
                tracker.spawn(connection(stream, stop.child_token(), clock));
            }
            () = stop.cancelled() => break,
        }
    }
    drop(listener); // stop accepting: new clients are refused from here on
    println!("  {} server: stopped accepting", clock.stamp());
    // `close` says no more tasks will be spawned; `wait` resolves once the
    // tracker is closed and every tracked task has ended.
    tracker.close();
    timeout(Duration::from_secs(5), tracker.wait())
        .await
        .is_ok()
}
// ANCHOR_END: serve

// ANCHOR: connection
/// Answers lines until the client leaves or `stop` is cancelled. A
/// connection waiting for a line closes at once; one working on a line
/// finishes it and answers first.
async fn connection(stream: TcpStream, stop: CancellationToken, clock: Clock) {
    let (reader, mut writer) = stream.into_split();
    let mut lines = BufReader::new(reader).lines();
    // The greeting tells the client it has really been accepted.
    if writer.write_all(b"ready\n").await.is_err() {
        return;
    }
    loop {
        let line = tokio::select! {
            line = lines.next_line() => match line {
                Ok(Some(line)) => line,
                _ => return,
            },
            () = stop.cancelled() => {
                let _ = writer.write_all(b"shutting down, bye\n").await;
                println!("  {} server: told an idle connection, closed it", clock.stamp());
                return;
            }
        };
        sleep(WORK).await; // the work: not interrupted by the shutdown
        let _ = writer.write_all(format!("done: {line}\n").as_bytes()).await;
        println!("  {} server: answered {line:?}", clock.stamp());
        if stop.is_cancelled() {
            return; // answered the line in flight; now leave
        }
    }
}
// ANCHOR_END: connection

#[tokio::main]
async fn main() -> Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let clock = Clock::start();
    let stop = CancellationToken::new();
    let server = tokio::spawn(serve(listener, stop.clone(), clock));
    println!(
        "line server on {addr}, {} ms of work per line:",
        WORK.as_millis()
    );

    let mut got = String::new();
    let mut busy = BufReader::new(TcpStream::connect(addr).await?);
    let mut idle = BufReader::new(TcpStream::connect(addr).await?);
    for client in [&mut busy, &mut idle] {
        client.read_line(&mut got).await?; // "ready": accepted
    }
    busy.get_mut().write_all(b"hello\n").await?;
    println!("  {} client 1: sent \"hello\"", clock.stamp());
    sleep(Duration::from_millis(100)).await; // the server is working on it

    println!("  {} stop.cancel()", clock.stamp());
    stop.cancel();
    let finished = server.await?;
    println!(
        "  {} server: {}",
        clock.stamp(),
        if finished {
            "every connection ended; serve returned"
        } else {
            "gave up on connections still open after 5 s"
        }
    );

    got.clear();
    busy.read_line(&mut got).await?;
    println!("  client 1 received: {}", got.trim_end());
    got.clear();
    idle.read_line(&mut got).await?;
    println!("  client 2 received: {}", got.trim_end());
    let refused = TcpStream::connect(addr).await.is_err();
    println!("  a new client is refused: {refused}");
    Ok(())
}
