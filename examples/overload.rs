//! Over capacity: queue every request, or shed what the server cannot serve
//! in time? Chapter 19 measures both under the same burst.
//!
//! Run it with:
//!
//!     cargo run --release --example overload
//!
//! A small HTTP server on a free loopback port has 4 workers, and each
//! request takes 20 ms of (awaited) work: it can answer 200 requests a
//! second. A burst of 200 requests arrives at once, from 200 real TCP
//! clients already connected, first against a server that queues every request, then against
//! one that queues at most 8 and answers the rest `503 Service Unavailable`
//! with `Retry-After` at once.

use anyhow::{Context, Result};
use course::chart::{self, Axis, Lines, Scale};
use course::stats;
use course::table::Table;
use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio::time::timeout;

const WORKERS: usize = 4;
const WORK: Duration = Duration::from_millis(20);
const BURST: usize = 200;
/// The shedding server's queue: requests that may wait for a worker.
const QUEUE: usize = 8;

#[derive(Clone, Copy)]
enum Policy {
    /// Every request waits for a worker, however long the line.
    Queue,
    /// At most `QUEUE` requests wait; the rest are told to come back.
    Shed,
}

// ANCHOR: admit
/// The admission decision, the whole difference between the two servers.
/// `Some(permit)`: serve the request with this worker. `None`: answer 503.
async fn admit(
    policy: Policy,
    workers: &Arc<Semaphore>,
    waiting: &AtomicUsize,
) -> Option<tokio::sync::OwnedSemaphorePermit> {
    if let Ok(worker) = workers.clone().try_acquire_owned() {
        return Some(worker); // a worker is free: no wait at all
    }
    if let Policy::Shed = policy {
        // Join the queue only if it has room; otherwise shed at once, while
        // an answer is still cheap and useful to the client.
        let queued = waiting.fetch_add(1, Ordering::Relaxed);
        if queued >= QUEUE {
            waiting.fetch_sub(1, Ordering::Relaxed);
            return None;
        }
    } else {
        waiting.fetch_add(1, Ordering::Relaxed);
    }
    let worker = workers.clone().acquire_owned().await.ok();
    waiting.fetch_sub(1, Ordering::Relaxed);
    worker
}
// ANCHOR_END: admit

/// One request per connection: read the head (bounded), admit, work, answer.
async fn handle(
    stream: TcpStream,
    policy: Policy,
    workers: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
) -> Result<()> {
    let (reader, mut writer) = stream.into_split();
    let mut lines = BufReader::new(reader.take(8 * 1024)).lines();
    while let Some(line) = lines.next_line().await? {
        if line.is_empty() {
            break; // the end of the head
        }
    }
    let answer: &[u8] = match admit(policy, &workers, &waiting).await {
        Some(_worker) => {
            tokio::time::sleep(WORK).await; // the work, holding the worker
            b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n"
        }
        // Retry-After (RFC 9110, section 10.2.3): when to try again, in seconds.
        None => b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    };
    writer.write_all(answer).await?;
    writer.shutdown().await?;
    Ok(())
}

async fn serve(listener: TcpListener, policy: Policy) {
    let workers = Arc::new(Semaphore::new(WORKERS));
    let waiting = Arc::new(AtomicUsize::new(0));
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        tokio::spawn(handle(stream, policy, workers.clone(), waiting.clone()));
    }
}

/// One client: a request on a connection it has already opened (so the
/// times measure the server's answer, not the kernel's handshakes); its
/// status, whether it was told when to retry, and how long the answer took.
async fn request(
    mut stream: TcpStream,
    go: Arc<tokio::sync::Barrier>,
) -> Result<(u16, bool, Duration)> {
    go.wait().await;
    let started = Instant::now();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: burst\r\n\r\n")
        .await?;
    let mut reply = String::new();
    stream.read_to_string(&mut reply).await?;
    let status = reply
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .with_context(|| format!("no status in {reply:?}"))?;
    Ok((status, reply.contains("Retry-After: "), started.elapsed()))
}

fn ms(d: Option<Duration>) -> String {
    d.map_or("-".into(), |d| format!("{} ms", d.as_millis()))
}

#[tokio::main]
async fn main() -> Result<()> {
    let book = chart::book_flag(
        "usage: overload [--book]\n  --book  the output for the book: the text as a code block, then a chart of the answers' times",
    );
    // Everything is written here first, so that --book can put it in a code block.
    let mut out = String::new();
    writeln!(
        out,
        "A burst of {BURST} requests at once; {WORKERS} workers, {} ms of work each \
         (capacity {} requests per second)\n",
        WORK.as_millis(),
        WORKERS as u128 * 1000 / WORK.as_millis()
    )?;
    let mut series = vec![];
    let mut t = Table::new([
        "server",
        "answered 200",
        "p50",
        "p99",
        "slowest",
        "shed: 503",
        "with Retry-After",
        "slowest 503",
    ]);
    for (name, policy) in [
        ("queues every request", Policy::Queue),
        ("queues 8, sheds the rest", Policy::Shed),
    ] {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let server = tokio::spawn(serve(listener, policy));
        // Every client connects first; then all send at once.
        let go = Arc::new(tokio::sync::Barrier::new(BURST));
        let mut clients = Vec::new();
        for _ in 0..BURST {
            let stream = TcpStream::connect(addr).await?;
            let request = request(stream, go.clone());
            clients.push(tokio::spawn(timeout(Duration::from_secs(20), request)));
        }
        let (mut ok, mut shed, mut retry_after) = (Vec::new(), Vec::new(), 0);
        for client in clients {
            let (status, retry, took) = client.await?.context("a client waited 20 s")??;
            match status {
                200 => ok.push(took),
                503 => {
                    shed.push(took);
                    retry_after += usize::from(retry);
                }
                other => anyhow::bail!("unexpected status {other}"),
            }
        }
        server.abort();
        ok.sort();
        shed.sort();
        let millis =
            |d: &[Duration]| -> Vec<f64> { d.iter().map(|d| d.as_secs_f64() * 1e3).collect() };
        // Every client's wait for its answer, whatever the status: what a
        // client of each server lives with.
        let mut answered = millis(&ok);
        answered.extend(millis(&shed));
        series.push(chart::cdf(name, &answered));
        t.row([
            name.to_string(),
            ok.len().to_string(),
            ms(stats::percentile_sorted(&ok, 50.0)),
            ms(stats::percentile_sorted(&ok, 99.0)),
            ms(ok.last().copied()),
            shed.len().to_string(),
            retry_after.to_string(),
            ms(shed.last().copied()),
        ]);
    }
    out.push_str(&t.render());
    writeln!(out, "\n{}", course::machine::describe())?;
    if !book {
        print!("{out}");
        return Ok(());
    }
    // Each curve: for every client, the share of the burst's clients that
    // had their answer (200 or 503) by then. A log time axis, since the
    // shed answers come in milliseconds and the queued ones in a second.
    let chart = chart::lines(&Lines {
        title: format!("How long each of the {BURST} clients waited for its answer"),
        x: Axis::new("time to the answer (ms, log scale)", Scale::Log),
        y: Axis::new("clients answered by then, 200 or 503 (%)", Scale::Linear),
        series,
        marks: vec![],
        note: course::machine::describe(),
    });
    print!("{}", chart::book(&out, &[chart]));
    Ok(())
}
