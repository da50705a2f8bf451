//! Every server of Part II under the same loads, in one table.
//!
//!     cargo build --release --examples
//!     cargo run --release --example server_showdown
//!     cargo run --release --example server_showdown -- --book  # charts, then the table (Markdown)
//!
//! Each cell starts the server afresh as a child process on a free port
//! (so its threads and peak memory are its own), lets the clients connect,
//! loads it with `course::load` for a short while, then stops it. Loads: 1, 100 and 1,000 concurrent
//! clients, each with no backend wait and with a simulated 20 ms I/O wait per
//! request. Requests still unanswered shortly after the end count as
//! timeouts, and stay in the percentiles as lower bounds (see `src/load.rs`).
//! Cells are short (a few tenths of a second), so the numbers are rough and
//! some cells have few samples (the `n` column; below 100, p99 is the
//! largest one): run `load` by hand for longer runs.

use anyhow::{Context, Result, bail};
use course::chart::{self, Axis, Lines, Scale, Series};
use course::load::{self, Latency, Report, Spec};
use course::table::Table;
use course::{machine, procfs};
use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const SERVERS: [&str; 4] = [
    "sync_server",
    "threaded_server",
    "pool_server",
    "async_server",
];
const CLIENTS: [usize; 3] = [1, 100, 1000];
const WAITS_MS: [u64; 2] = [0, 20];
const WARMUP: Duration = Duration::from_millis(150);
const CELL: Duration = Duration::from_millis(250);
const GRACE: Duration = Duration::from_millis(100);

/// Starts `name` on a free loopback port and reads the address it printed.
fn start(name: &str, wait_ms: u64) -> Result<(Child, SocketAddr)> {
    let exe = std::env::current_exe()?.with_file_name(name);
    let mut child = Command::new(&exe)
        .args(["--addr", "127.0.0.1:0", "--wait-ms", &wait_ms.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| {
            format!(
                "cannot start {} (build it: cargo build --release --examples)",
                exe.display()
            )
        })?;
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("piped")).read_line(&mut line)?;
    let Some(addr) = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
    else {
        let _ = child.kill();
        bail!("{name} printed no address: {line:?}");
    };
    Ok((child, addr.parse()?))
}

/// What one server measured under one backend wait: for each number of
/// clients, its throughput and its p99 (which timeouts may make a lower bound).
struct Curve {
    server: &'static str,
    wait: u64,
    throughput: Vec<(f64, f64)>,
    p99: Vec<(f64, Latency)>,
}

/// The two charts for one backend wait: throughput, and p99, against
/// clients, one line per server. Both axes are logarithmic: clients go
/// from 1 to 1,000, and the figures span orders of magnitude between
/// servers.
fn charts(curves: &[Curve], wait: u64) -> [String; 2] {
    let mine = || curves.iter().filter(move |c| c.wait == wait);
    let clients = Axis::new("concurrent clients", Scale::Log);
    let throughput = chart::lines(&Lines {
        title: format!("Throughput against clients, {wait} ms backend wait"),
        x: clients.clone(),
        y: Axis::new("requests answered per second", Scale::Log),
        series: mine()
            .map(|c| Series::new(c.server, c.throughput.clone()))
            .collect(),
        marks: vec![],
        note: machine::describe(),
    });
    let p99 = chart::lines(&Lines {
        title: format!("p99 latency against clients, {wait} ms backend wait"),
        x: clients,
        y: Axis::new("p99 latency (ms)", Scale::Log),
        series: mine()
            .map(|c| {
                let (points, at_least) = c
                    .p99
                    .iter()
                    .map(|&(n, l)| {
                        let ms = l.value().as_secs_f64() * 1e3;
                        ((n, ms), matches!(l, Latency::AtLeast(_)))
                    })
                    .unzip();
                Series::new(c.server, points).with_lower_bounds(at_least)
            })
            .collect(),
        marks: vec![],
        note: machine::describe(),
    });
    [throughput, p99]
}

#[tokio::main]
async fn main() -> Result<()> {
    let book = chart::book_flag(
        "usage: server_showdown [--book]\n  --book  the output for the book: charts of throughput and p99, then the table",
    );
    course::server::raise_open_file_limit();
    // Everything is written here first, so that --book can fold it.
    let mut out = String::new();
    writeln!(
        out,
        "Each cell: a fresh server process; clients connect ({} ms), send for {} ms; unanswered {} ms later = timeout.",
        WARMUP.as_millis(),
        CELL.as_millis(),
        GRACE.as_millis()
    )?;
    let mut t = Table::new([
        "server", "wait", "clients", "req/s", "n", "p50", "p99", "errors", "timeouts", "threads",
        "peak RSS", "peak VM",
    ]);
    let mut curves = vec![];
    for wait in WAITS_MS {
        for server in SERVERS {
            let name = server.trim_end_matches("_server");
            let mut curve = Curve {
                server: name,
                wait,
                throughput: vec![],
                p99: vec![],
            };
            for clients in CLIENTS {
                let (mut child, addr) = start(server, wait)?;
                let pid = child.id();
                // Sample the child's thread count while the load runs.
                let sampler = tokio::spawn(async move {
                    let mut most = 0;
                    loop {
                        match procfs::status_of(pid) {
                            Some(s) => most = most.max(s.threads),
                            None => return most,
                        }
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                });
                let spec = Spec {
                    addr,
                    connections: clients,
                    warmup: WARMUP,
                    duration: CELL,
                    requests: None,
                    grace: GRACE,
                    rate: None,
                };
                let r = load::run(&spec).await;
                let peak = procfs::status_of(pid);
                let _ = child.kill();
                let _ = child.wait();
                let threads = sampler.await.unwrap_or(0);
                let mib = |kib: Option<u64>| {
                    kib.map_or("-".into(), |k| format!("{:.1} MiB", k as f64 / 1024.0))
                };
                curve.throughput.push((clients as f64, r.throughput()));
                if let Some(p99) = r.percentile(99.0) {
                    curve.p99.push((clients as f64, p99));
                }
                t.row([
                    name.to_string(),
                    format!("{wait} ms"),
                    clients.to_string(),
                    format!("{:.0}", r.throughput()),
                    r.samples().to_string(),
                    Report::cell(r.percentile(50.0)),
                    r.p99_cell(),
                    r.errors.to_string(),
                    r.timeouts.to_string(),
                    threads.to_string(),
                    mib(peak.map(|s| s.peak_rss_kib)),
                    mib(peak.map(|s| s.peak_vm_kib)),
                ]);
            }
            curves.push(curve);
        }
    }
    out.push_str(&t.render());
    writeln!(
        out,
        "n: latency samples (answered + timed out); \"≥\": a lower bound, set by timed-out requests"
    )?;
    writeln!(
        out,
        "errors: refused or broken connections and non-200 answers (pool: 503 when its queue is full)"
    )?;
    writeln!(
        out,
        "peak VM: address space reserved (VmPeak), touched or not; peak RSS: pages in RAM (VmHWM)"
    )?;
    writeln!(out, "{}", machine::describe())?;
    if !book {
        print!("{out}");
        return Ok(());
    }
    let drawn: Vec<String> = WAITS_MS.iter().flat_map(|&w| charts(&curves, w)).collect();
    print!(
        "{}",
        chart::book_folded(
            "The table: every cell, with sample counts, errors, threads and memory",
            &out,
            &drawn
        )
    );
    Ok(())
}
