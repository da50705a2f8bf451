//! The load generator behind `load` and `server_showdown`: many concurrent
//! HTTP clients on one tokio runtime, each sending `GET /` over a
//! keep-alive connection of its own.
//!
//! Two ways to decide when a request is sent:
//!
//! - **Closed loop** (the default): each of `connections` clients sends its
//!   next request as soon as the last answer is in. A request's latency runs
//!   from the moment it is sent. This measures what the server can do, but it
//!   suffers *coordinated omission*: while the server stalls, the clients
//!   stop sending, so the stall delays only the few requests already in
//!   flight, and the percentiles understate what users arriving at a steady
//!   rate would see.
//! - **Open loop** (`rate: Some(r)`): requests are due at fixed intervals,
//!   `1 / r` apart, whatever the answers. A request's latency runs from its
//!   *intended* send time, so time spent waiting for a free connection
//!   behind a stalled server counts. The `connections` clients take the due
//!   requests in order, one in flight each, so a stalled server cannot make
//!   the generator open sockets or hold requests without bound: requests due
//!   while every connection is busy wait in the schedule, and their wait is
//!   measured.
//!
//! In both, every client opens its connection during an optional warm-up,
//! reconnects when the server closes it (the connect then counts in the
//! latency), and stops sending at the end of the run. A request still
//! unanswered `grace` after the end is a *timeout*: it stays in the
//! percentiles as a censored sample (its true latency is at least its wait so
//! far), so a percentile that such a sample could move is reported as a
//! lower bound. In open loop, requests that were due but never sent because
//! every connection was stuck count as timeouts the same way. Any answer
//! other than `200`, and any broken connection, counts as an error and is
//! not a latency sample.

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
    /// `None`: closed loop. `Some(r)`: open loop, `r` requests per second.
    pub rate: Option<f64>,
}

/// A latency read from samples some of which may be censored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Latency {
    /// The value, exactly.
    Exact(Duration),
    /// At least this: timed-out requests may lie at or below this rank.
    AtLeast(Duration),
}

impl Latency {
    /// The number, exact or a lower bound.
    pub fn value(self) -> Duration {
        match self {
            Latency::Exact(d) | Latency::AtLeast(d) => d,
        }
    }
    /// `850 µs`, or `≥ 1.20 s` for a lower bound.
    pub fn short(self) -> String {
        match self {
            Latency::Exact(d) => short(d),
            Latency::AtLeast(d) => format!("≥ {}", short(d)),
        }
    }
}

/// What happened.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub connections: usize,
    /// The open-loop rate, if the run had one.
    pub rate: Option<f64>,
    pub ok: u64,
    pub errors: u64,
    pub timeouts: u64,
    pub elapsed: Duration,
    /// Latencies of the answered requests, sorted.
    pub latencies: Vec<Duration>,
    /// How long each timed-out request had waited when it was given up:
    /// its true latency is at least that.
    pub censored: Vec<Duration>,
    /// The same requests timed from the moment each was sent, as a
    /// closed-loop generator times them (the same as `latencies` in closed
    /// loop). Sorted.
    pub from_send: Vec<Duration>,
    /// The timed-out requests that were sent, by the same clock. Requests
    /// never sent are missing here: that is coordinated omission.
    pub censored_from_send: Vec<Duration>,
}

impl Report {
    /// Answered requests per second.
    pub fn throughput(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// Latency samples: the answered requests and the timed-out ones.
    pub fn samples(&self) -> usize {
        self.latencies.len() + self.censored.len()
    }

    /// The `p`-th percentile (nearest rank) of all samples, timeouts
    /// included at their censored value. Raising a censored value can only
    /// raise a percentile, so the result is exact when every censored sample
    /// lies above it, and a lower bound otherwise.
    pub fn percentile(&self, p: f64) -> Option<Latency> {
        let mut all = self.latencies.clone();
        all.extend_from_slice(&self.censored);
        all.sort_unstable();
        let v = percentile_sorted(&all, p)?;
        // A censored sample at or below `v` may really lie above it, so `v`
        // is then only a lower bound (still true if no sample moves).
        Some(match self.censored.iter().min() {
            Some(&c) if c <= v => Latency::AtLeast(v),
            _ => Latency::Exact(v),
        })
    }

    /// The largest sample: a lower bound if any request timed out.
    pub fn max(&self) -> Option<Latency> {
        self.percentile(100.0)
    }

    /// True when `p99` is only the largest sample: below 100 samples, the
    /// nearest rank of the 99th percentile is the last one.
    pub fn p99_is_max(&self) -> bool {
        self.samples() < 100
    }

    /// A latency as a table cell: `-` when there are no samples.
    pub fn cell(l: Option<Latency>) -> String {
        l.map_or("-".to_string(), Latency::short)
    }

    /// The p99 as a table cell, marked `(max)` when it is only the largest
    /// sample.
    pub fn p99_cell(&self) -> String {
        let p99 = Report::cell(self.percentile(99.0));
        if self.p99_is_max() && self.samples() > 0 {
            format!("{p99} (max)")
        } else {
            p99
        }
    }

    /// The report as a generator that times from the send would give it:
    /// for an open-loop run, what the stalls do to the latencies when the
    /// wait for a free connection is left out.
    pub fn measured_from_send(&self) -> Report {
        Report {
            timeouts: self.censored_from_send.len() as u64,
            latencies: self.from_send.clone(),
            censored: self.censored_from_send.clone(),
            ..self.clone()
        }
    }

    /// One line of JSON, for scripts. Latencies are in milliseconds; a
    /// `*_at_least` field says the number is a lower bound.
    pub fn json(&self) -> String {
        let field = |name: &str, l: Option<Latency>| match l {
            None => format!("\"{name}_ms\":null,\"{name}_at_least\":false"),
            Some(l) => format!(
                "\"{name}_ms\":{:.3},\"{name}_at_least\":{}",
                l.value().as_secs_f64() * 1e3,
                matches!(l, Latency::AtLeast(_))
            ),
        };
        format!(
            "{{\"connections\":{},\"rate\":{},\"ok\":{},\"errors\":{},\"timeouts\":{},\"samples\":{},\"seconds\":{:.3},\"rps\":{:.1},{},{},{},{}}}",
            self.connections,
            self.rate.map_or("null".to_string(), |r| format!("{r}")),
            self.ok,
            self.errors,
            self.timeouts,
            self.samples(),
            self.elapsed.as_secs_f64(),
            self.throughput(),
            field("p50", self.percentile(50.0)),
            field("p99", self.percentile(99.0)),
            field("max", self.max()),
            field("p99_from_send", self.measured_from_send().percentile(99.0)),
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
    censored: Vec<Duration>,
    from_send: Vec<Duration>,
    censored_from_send: Vec<Duration>,
}

/// When requests are due, and which one is next. Closed loop: a request
/// budget only. Open loop: request `i` is due at `start + i / rate`.
struct Schedule {
    start: Instant,
    stop: Instant,
    rate: Option<f64>,
    /// Requests allowed in all.
    budget: u64,
    /// Requests taken so far (open loop: the next one's index).
    taken: AtomicU64,
}

impl Schedule {
    fn due(&self, i: u64, rate: f64) -> Instant {
        self.start + Duration::from_secs_f64(i as f64 / rate)
    }

    /// Open loop: the number of requests due before `stop`, within budget.
    fn due_in_all(&self, rate: f64) -> u64 {
        let n = ((self.stop - self.start).as_secs_f64() * rate).ceil() as u64;
        n.min(self.budget)
    }

    /// Takes the next request. Closed loop: `Some(None)` while the budget
    /// lasts. Open loop: `Some(Some(due))` for a request due before `stop`.
    /// `None`: nothing left to send.
    fn take(&self) -> Option<Option<Instant>> {
        match self.rate {
            None => self
                .taken
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| {
                    (n < self.budget).then_some(n + 1)
                })
                .ok()
                .map(|_| None),
            Some(rate) => {
                let last = self.due_in_all(rate);
                self.taken
                    .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| {
                        (n < last).then_some(n + 1)
                    })
                    .ok()
                    .map(|i| Some(self.due(i, rate)))
            }
        }
    }
}

/// Runs the load and reports. Needs a tokio runtime with the time and net
/// drivers.
pub async fn run(spec: &Spec) -> Report {
    let start = Instant::now() + spec.warmup;
    let stop = start + spec.duration;
    let hard_stop = stop + spec.grace;
    let schedule = Arc::new(Schedule {
        start,
        stop,
        rate: spec.rate,
        budget: spec.requests.unwrap_or(u64::MAX),
        taken: AtomicU64::new(0),
    });
    let mut clients = Vec::with_capacity(spec.connections);
    for i in 0..spec.connections {
        clients.push(tokio::spawn(client(spec.addr, schedule.clone(), hard_stop)));
        // Clients start in small batches: a thousand SYNs in one burst
        // overflow the server's listen queue, and a dropped SYN is retried
        // only after a second, which would measure the kernel, not the server.
        if i % 50 == 49 {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }
    let mut report = Report {
        connections: spec.connections,
        rate: spec.rate,
        ..Report::default()
    };
    for c in clients {
        // A client task never panics; if one did, its requests are lost.
        if let Ok(t) = c.await {
            report.ok += t.ok;
            report.errors += t.errors;
            report.timeouts += t.timeouts;
            report.latencies.extend(t.latencies);
            report.censored.extend(t.censored);
            report.from_send.extend(t.from_send);
            report.censored_from_send.extend(t.censored_from_send);
        }
    }
    // Open loop: requests that fell due while every connection was stuck,
    // and were never sent, waited from their due time to the end.
    if let Some(rate) = spec.rate {
        let taken = schedule.taken.load(Ordering::Relaxed);
        for i in taken..schedule.due_in_all(rate) {
            report.timeouts += 1;
            report
                .censored
                .push(hard_stop.saturating_duration_since(schedule.due(i, rate)));
        }
    }
    report.elapsed = start.elapsed();
    report.latencies.sort_unstable();
    report.censored.sort_unstable();
    report.from_send.sort_unstable();
    report.censored_from_send.sort_unstable();
    report
}

async fn client(addr: SocketAddr, schedule: Arc<Schedule>, hard_stop: Instant) -> Tally {
    let mut t = Tally::default();
    let start = schedule.start;
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
    // Closed loop: send until the end. Open loop: send every request that
    // fell due before the end, even if it can only be sent after it.
    while schedule.rate.is_some() || Instant::now() < schedule.stop {
        let Some(due) = schedule.take() else {
            break;
        };
        // Open loop: wait for the request's due time (no wait if it is
        // already past), and measure from then, not from the send.
        let measured_from = match due {
            Some(due) => {
                tokio::time::sleep_until(due).await;
                due
            }
            None => Instant::now(),
        };
        let sent = Instant::now();
        match timeout_at(hard_stop, one_request(addr, &mut conn, &mut buf)).await {
            Ok(Ok(true)) => {
                t.ok += 1;
                t.latencies.push(measured_from.elapsed());
                t.from_send.push(sent.elapsed());
            }
            Ok(Ok(false)) | Ok(Err(_)) => {
                t.errors += 1;
                conn = None;
                // Do not spin on a server that refuses us (the open loop's
                // schedule paces it already).
                if due.is_none() {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            }
            Err(_) => {
                t.timeouts += 1;
                t.censored
                    .push(hard_stop.saturating_duration_since(measured_from));
                t.censored_from_send
                    .push(hard_stop.saturating_duration_since(sent));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(v: &[u64]) -> Vec<Duration> {
        v.iter().map(|&m| Duration::from_millis(m)).collect()
    }

    #[test]
    fn timeouts_make_the_percentiles_they_can_move_lower_bounds() {
        let r = Report {
            latencies: ms(&(1..=98).collect::<Vec<_>>()),
            censored: ms(&[500, 600]),
            ..Report::default()
        };
        assert_eq!(r.samples(), 100);
        assert!(!r.p99_is_max());
        let at = Duration::from_millis;
        assert_eq!(r.percentile(50.0), Some(Latency::Exact(at(50))));
        assert_eq!(r.percentile(98.0), Some(Latency::Exact(at(98))));
        assert_eq!(r.percentile(99.0), Some(Latency::AtLeast(at(500))));
        assert_eq!(r.max(), Some(Latency::AtLeast(at(600))));
        // A request censored early may be slower than every answered one.
        let early = Report {
            latencies: ms(&[10, 20, 30]),
            censored: ms(&[5]),
            ..Report::default()
        };
        assert_eq!(early.percentile(50.0), Some(Latency::AtLeast(at(10))));
        assert!(early.p99_is_max());
        assert_eq!(Report::default().percentile(50.0), None);
    }

    #[test]
    fn the_open_loop_schedule_is_fixed_whatever_the_answers() {
        let start = Instant::now();
        let s = Schedule {
            start,
            stop: start + Duration::from_millis(10),
            rate: Some(1000.0),
            budget: u64::MAX,
            taken: AtomicU64::new(0),
        };
        let due: Vec<_> = std::iter::from_fn(|| s.take()).collect();
        assert_eq!(due.len(), 10);
        assert_eq!(due[3], Some(start + Duration::from_millis(3)));
        let closed = Schedule {
            rate: None,
            budget: 3,
            taken: AtomicU64::new(0),
            ..s
        };
        assert_eq!(std::iter::from_fn(|| closed.take()).count(), 3);
    }
}
