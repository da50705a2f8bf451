//! The load generator behind `load` and `server_showdown`: many concurrent
//! HTTP clients on one tokio runtime, each sending `GET /` in a loop.
//!
//! Method: each of `connections` clients opens its connection during an
//! optional warm-up, then keeps it open
//! (keep-alive) and sends its next request as soon as the last answer is in,
//! reconnecting when the server closes the connection. A request's latency
//! runs from the moment it is sent (or from the connect, when it needs a new
//! connection) to the last byte of the answer. Clients stop sending at the
//! end of the run; a request still unanswered `grace` after that counts as a
//! timeout, and so does a client that never got a connection. Any answer
//! other than `200`, and any broken connection, counts as an error.

use crate::stats::percentile_sorted;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::{Instant, timeout_at};

/// What to run.
#[derive(Clone, Debug)]
pub struct Spec {
    pub addr: SocketAddr,
    pub connections: usize,
    /// Time for every client to open its connection before the clock starts
    /// (zero: clients connect as part of their first request).
    pub warmup: Duration,
    /// How long clients keep sending.
    pub duration: Duration,
    /// Stop after this many requests in all (whichever comes first).
    pub requests: Option<u64>,
    /// How long after the end an unanswered request still counts.
    pub grace: Duration,
}

/// What happened.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub connections: usize,
    pub ok: u64,
    pub errors: u64,
    pub timeouts: u64,
    pub elapsed: Duration,
    /// Latencies of the answered requests, sorted.
    pub latencies: Vec<Duration>,
}

impl Report {
    /// Answered requests per second.
    pub fn throughput(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
    pub fn percentile(&self, p: f64) -> Option<Duration> {
        percentile_sorted(&self.latencies, p)
    }

    /// One line of JSON, for scripts.
    pub fn json(&self) -> String {
        let ms = |d: Option<Duration>| {
            d.map_or("null".to_string(), |d| {
                format!("{:.3}", d.as_secs_f64() * 1e3)
            })
        };
        format!(
            "{{\"connections\":{},\"ok\":{},\"errors\":{},\"timeouts\":{},\"seconds\":{:.3},\"rps\":{:.1},\"p50_ms\":{},\"p99_ms\":{},\"max_ms\":{}}}",
            self.connections,
            self.ok,
            self.errors,
            self.timeouts,
            self.elapsed.as_secs_f64(),
            self.throughput(),
            ms(self.percentile(50.0)),
            ms(self.percentile(99.0)),
            ms(self.latencies.last().copied())
        )
    }
}

/// A duration as a short cell: `850 µs`, `12.3 ms`, `1.20 s`.
pub fn short(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us < 1000.0 {
        format!("{us:.0} µs")
    } else if us < 100_000.0 {
        format!("{:.1} ms", us / 1e3)
    } else if us < 1e6 {
        format!("{:.0} ms", us / 1e3)
    } else {
        format!("{:.2} s", us / 1e6)
    }
}

const REQUEST: &[u8] = b"GET / HTTP/1.1\r\nHost: load\r\n\r\n";

#[derive(Default)]
struct Tally {
    ok: u64,
    errors: u64,
    timeouts: u64,
    latencies: Vec<Duration>,
}

/// Runs the load and reports. Needs a tokio runtime with the time and net
/// drivers.
pub async fn run(spec: &Spec) -> Report {
    let start = Instant::now() + spec.warmup;
    let stop = start + spec.duration;
    let hard_stop = stop + spec.grace;
    // Requests left to send, when the run is a request count.
    let budget = Arc::new(AtomicU64::new(spec.requests.unwrap_or(u64::MAX)));
    let mut clients = Vec::with_capacity(spec.connections);
    for i in 0..spec.connections {
        clients.push(tokio::spawn(client(
            spec.addr,
            start,
            stop,
            hard_stop,
            budget.clone(),
        )));
        // Clients start in small batches: a thousand SYNs in one burst
        // overflow the server's listen queue, and a dropped SYN is retried
        // only after a second, which would measure the kernel, not the server.
        if i % 50 == 49 {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }
    let mut report = Report {
        connections: spec.connections,
        ..Report::default()
    };
    for c in clients {
        // A client task never panics; if one did, its requests are lost.
        if let Ok(t) = c.await {
            report.ok += t.ok;
            report.errors += t.errors;
            report.timeouts += t.timeouts;
            report.latencies.extend(t.latencies);
        }
    }
    report.elapsed = start.elapsed();
    report.latencies.sort_unstable();
    report
}

async fn client(
    addr: SocketAddr,
    start: Instant,
    stop: Instant,
    hard_stop: Instant,
    budget: Arc<AtomicU64>,
) -> Tally {
    let mut t = Tally::default();
    let mut conn: Option<TcpStream> = None;
    // Warm-up: connect now, then wait for the common start. A SYN dropped by
    // a full listen queue is retried by the kernel only after a second, so
    // try again with a fresh connect every 50 ms. A client that could not
    // connect in time tries again with its first request.
    while Instant::now() < start {
        let limit = start.min(Instant::now() + Duration::from_millis(50));
        if let Ok(Ok(s)) = timeout_at(limit, TcpStream::connect(addr)).await {
            let _ = s.set_nodelay(true);
            conn = Some(s);
            break;
        }
    }
    tokio::time::sleep_until(start).await;
    let mut buf = Vec::with_capacity(1024);
    while Instant::now() < stop {
        if budget
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
            .is_err()
        {
            break;
        }
        let sent = Instant::now();
        match timeout_at(hard_stop, one_request(addr, &mut conn, &mut buf)).await {
            Ok(Ok(true)) => {
                t.ok += 1;
                t.latencies.push(sent.elapsed());
            }
            Ok(Ok(false)) | Ok(Err(_)) => {
                t.errors += 1;
                conn = None;
                // Do not spin on a server that refuses us.
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            Err(_) => {
                t.timeouts += 1;
                break;
            }
        }
    }
    t
}

/// Sends one request, connecting first if needed. `Ok(true)` for a `200`.
async fn one_request(
    addr: SocketAddr,
    conn: &mut Option<TcpStream>,
    buf: &mut Vec<u8>,
) -> std::io::Result<bool> {
    if conn.is_none() {
        let s = TcpStream::connect(addr).await?;
        s.set_nodelay(true)?;
        *conn = Some(s);
    }
    let s = conn.as_mut().expect("connected above");
    s.write_all(REQUEST).await?;
    buf.clear();
    let mut chunk = [0u8; 2048];
    loop {
        let n = s.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; 16];
        let mut resp = httparse::Response::new(&mut headers);
        let parsed = resp
            .parse(buf)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        let httparse::Status::Complete(head_len) = parsed else {
            continue;
        };
        let header = |name: &str| {
            resp.headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case(name))
                .map(|h| h.value)
        };
        let length: usize = header("content-length")
            .and_then(|v| std::str::from_utf8(v).ok()?.parse().ok())
            .unwrap_or(0);
        let close = header("connection").is_some_and(|v| v.eq_ignore_ascii_case(b"close"));
        let status = resp.code.unwrap_or(0);
        while buf.len() < head_len + length {
            let n = s.read(&mut chunk).await?;
            if n == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        if close {
            *conn = None;
        }
        return Ok(status == 200);
    }
}

/// Opens `connections` keep-alive connections, checks each with one request,
/// holds them all open for `hold`, then checks each again. Returns how many
/// answered both times and how many failed, so a separate process can
/// measure a server holding many idle connections.
pub async fn idle(addr: SocketAddr, connections: usize, hold: Duration) -> (u64, u64) {
    let mut tasks = Vec::with_capacity(connections);
    for _ in 0..connections {
        tasks.push(tokio::spawn(async move {
            let mut conn = None;
            let mut buf = Vec::new();
            let limit = Duration::from_secs(10);
            let first = tokio::time::timeout(limit, one_request(addr, &mut conn, &mut buf)).await;
            if !matches!(first, Ok(Ok(true))) || conn.is_none() {
                return false;
            }
            tokio::time::sleep(hold).await;
            let second = tokio::time::timeout(limit, one_request(addr, &mut conn, &mut buf)).await;
            matches!(second, Ok(Ok(true)))
        }));
        // Open them at a steady pace rather than all in one burst, which
        // would only overflow the server's listen backlog.
        if tasks.len() % 100 == 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
    let (mut ok, mut failed) = (0, 0);
    for t in tasks {
        if matches!(t.await, Ok(true)) {
            ok += 1;
        } else {
            failed += 1;
        }
    }
    (ok, failed)
}
