//! A tour of tokio's tools for tasks: spawn and JoinHandle, JoinSet, abort,
//! join!, try_join!, select! with a timeout, tokio::time::timeout, and
//! cancellation safety.
//!
//! Run it with:
//!
//!     cargo run --release --example tasks_tour
//!
//! Two ways to run futures concurrently appear here, and the difference
//! matters. `tokio::spawn` makes a **task**: the runtime schedules it at
//! once, on its own, whether or not anyone awaits its `JoinHandle`.
//! `join!` and `select!` instead poll several futures **inside the calling
//! task**: they overlap, but they are one task, and the futures run only
//! while that task is polled. Cancelling, in Rust, means *dropping* a
//! future: it is never polled again, its destructors run, and nothing after
//! the `.await` it was suspended at ever happens.

use course::clock::Clock;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};
use tokio::task::JoinSet;
use tokio::time::{interval, sleep, timeout};

/// Prints when the future that owns it is dropped before it finished:
/// that is what cancellation looks like from the inside.
struct CancelProbe {
    name: &'static str,
    finished: bool,
}

impl Drop for CancelProbe {
    fn drop(&mut self) {
        if !self.finished {
            println!("    ({} was dropped mid-way: cancelled)", self.name);
        }
    }
}

/// Some work that waits `ms` and returns `ms`.
async fn work(name: &'static str, ms: u64) -> u64 {
    let mut probe = CancelProbe {
        name,
        finished: false,
    };
    sleep(Duration::from_millis(ms)).await;
    probe.finished = true;
    ms
}

async fn fails_after(ms: u64) -> anyhow::Result<u64> {
    sleep(Duration::from_millis(ms)).await;
    anyhow::bail!("failed after {ms} ms")
}

async fn ok_after(name: &'static str, ms: u64) -> anyhow::Result<u64> {
    Ok(work(name, ms).await)
}

// One thread, so the order of the lines below is the same on every run;
// everything shown behaves the same on the multi-thread runtime.
#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let clock = Clock::start();

    // ANCHOR: spawn
    println!("1. spawn and JoinHandle");
    let handle = tokio::spawn(work("spawned task", 20));
    // The task is scheduled already; awaiting the handle only collects
    // its result. (Dropping the handle would detach it, not stop it.)
    println!("  result via the JoinHandle: {}", handle.await?);
    // A panic stays inside its task: the handle reports it as an error.
    // (A one-line panic hook instead of the default message and backtrace.)
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|info| {
        println!(
            "  panic in a task: {}",
            info.payload().downcast_ref::<&str>().unwrap_or(&"?")
        )
    }));
    let crashed = tokio::spawn(async { panic!("on purpose") }).await;
    std::panic::set_hook(default_hook);
    let err = crashed.expect_err("the task panicked");
    println!(
        "  a panicking task -> JoinError, is_panic() = {}",
        err.is_panic()
    );
    // ANCHOR_END: spawn

    // ANCHOR: joinset
    println!("\n2. JoinSet: a group of tasks, results in the order they finish");
    let mut set = JoinSet::new();
    for (name, ms) in [
        ("300 ms job", 300),
        ("100 ms job", 100),
        ("200 ms job", 200),
    ] {
        set.spawn(async move { (name, work(name, ms).await) });
    }
    while let Some(done) = set.join_next().await {
        let (name, _) = done?;
        println!("  finished: {name}");
    }
    // Dropping a JoinSet aborts every task still in it.
    // ANCHOR_END: joinset

    // ANCHOR: abort
    println!("\n3. abort: stop a task from outside");
    let ticker = tokio::spawn(async {
        let _probe = CancelProbe {
            name: "ticking task",
            finished: false,
        };
        loop {
            sleep(Duration::from_millis(10)).await;
        }
    });
    sleep(Duration::from_millis(35)).await;
    ticker.abort(); // the task is waiting: tokio drops its future without polling it again
    let aborted = ticker
        .await
        .expect_err("an aborted task ends with an error");
    println!(
        "  after abort: JoinError, is_cancelled() = {}",
        aborted.is_cancelled()
    );
    // ANCHOR_END: abort

    // ANCHOR: join
    println!("\n4. join! and try_join!: several futures inside this one task");
    let start = clock.elapsed();
    let (a, b) = tokio::join!(work("join a", 30), work("join b", 20));
    println!(
        "  join! -> ({a}, {b}) after {} ms: the longer wait, not the sum",
        (clock.elapsed() - start).as_millis()
    );
    // try_join! stops at the first error and drops the other futures.
    let result = tokio::try_join!(ok_after("try_join's slow branch", 100), fails_after(10));
    println!("  try_join! -> {:?}", result.map_err(|e| e.to_string()));
    // ANCHOR_END: join

    // ANCHOR: select
    println!("\n5. select! with a timeout: the first branch to finish wins");
    tokio::select! {
        v = work("select's slow branch", 1_000) => println!("  work finished: {v}"),
        _ = sleep(Duration::from_millis(30)) => println!("  timed out after 30 ms"),
    }
    // The losing branch was dropped: its probe printed above.
    // ANCHOR_END: select

    // ANCHOR: timeout
    println!("\n6. tokio::time::timeout: the same, as a function");
    match timeout(Duration::from_millis(30), work("timeout's work", 1_000)).await {
        Ok(v) => println!("  finished in time: {v}"),
        Err(elapsed) => println!("  Err({elapsed}): the work was dropped"),
    }
    match timeout(Duration::from_millis(30), work("quick work", 5)).await {
        Ok(v) => println!("  quick work finished in time: Ok({v})"),
        Err(elapsed) => println!("  Err({elapsed})"),
    }
    // ANCHOR_END: timeout

    println!("\n7. cancellation safety: a read loop that also handles a timer");
    let sent = ["alpha", "bravo", "charlie", "delta"];
    let careless = read_all(sent, Reader::Careless).await?;
    println!("  careless: received {careless:?}");
    let safe = read_all(sent, Reader::Safe).await?;
    println!("  safe:     received {safe:?}");
    println!(
        "  sent {sent:?}; careless lost data: {}; safe lost data: {}",
        careless != sent,
        safe != sent
    );
    Ok(())
}

// ANCHOR: careless
/// Reads one line, a byte at a time, into a buffer **local to this
/// future**. Awaited on its own it is correct. Inside `select!` it is not
/// cancellation safe: when another branch wins while half a line has been
/// read, this future is dropped, and the bytes in `line` are dropped with it.
async fn careless_read_line(r: &mut DuplexStream) -> std::io::Result<Option<String>> {
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    loop {
        if r.read(&mut byte).await? == 0 {
            return Ok(None); // end of stream
        }
        if byte[0] == b'\n' {
            return Ok(Some(String::from_utf8_lossy(&line).into_owned()));
        }
        line.push(byte[0]);
    }
}
// ANCHOR_END: careless

// ANCHOR: safe
/// The fix: the partial line lives in the reader, which outlives every
/// call. `next_line` is cancellation safe because its only `.await` is
/// `read`, which is itself cancellation safe (if it is dropped, it has
/// taken no bytes), and every byte it returns is stored in `self.buf`
/// before the next `.await`. Dropping `next_line` loses nothing.
struct LineReader {
    inner: DuplexStream,
    buf: Vec<u8>,
}

impl LineReader {
    async fn next_line(&mut self) -> std::io::Result<Option<String>> {
        loop {
            if let Some(end) = self.buf.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = self.buf.drain(..=end).collect();
                return Ok(Some(String::from_utf8_lossy(&line[..end]).into_owned()));
            }
            let mut chunk = [0u8; 64];
            let n = self.inner.read(&mut chunk).await?;
            if n == 0 {
                return Ok(None);
            }
            self.buf.extend_from_slice(&chunk[..n]);
        }
    }
}
// ANCHOR_END: safe

enum Reader {
    Careless,
    Safe,
}

// ANCHOR: read_all
/// A writer sends each line in two halves, 30 ms apart; the reader loop
/// also wakes every 10 ms for a timer (in a real server: a heartbeat, a
/// shutdown signal). Whenever the timer wins, the read branch is dropped.
async fn read_all(lines: [&str; 4], how: Reader) -> anyhow::Result<Vec<String>> {
    let (client, mut server) = tokio::io::duplex(1024);
    let text: Vec<String> = lines.iter().map(|l| format!("{l}\n")).collect();
    let writer = tokio::spawn(async move {
        for line in text {
            let (first, second) = line.split_at(line.len() / 2);
            server.write_all(first.as_bytes()).await?;
            sleep(Duration::from_millis(30)).await;
            server.write_all(second.as_bytes()).await?;
        }
        anyhow::Ok(()) // dropping `server` ends the stream
    });

    let mut received = Vec::new();
    let mut ticks = interval(Duration::from_millis(10));
    match how {
        Reader::Careless => {
            let mut client = client;
            loop {
                tokio::select! {
                    line = careless_read_line(&mut client) => match line? {
                        Some(line) => received.push(line),
                        None => break,
                    },
                    _ = ticks.tick() => {} // the read above is dropped here
                }
            }
        }
        Reader::Safe => {
            let mut reader = LineReader {
                inner: client,
                buf: Vec::new(),
            };
            loop {
                tokio::select! {
                    line = reader.next_line() => match line? {
                        Some(line) => received.push(line),
                        None => break,
                    },
                    _ = ticks.tick() => {} // dropped too, but nothing is lost
                }
            }
        }
    }
    writer.await??;
    Ok(received)
}
// ANCHOR_END: read_all
