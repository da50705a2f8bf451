//! Every server of Part II under the same loads, in one table.
//!
//!     cargo build --release --examples
//!     cargo run --release --example server_showdown
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
use course::load::{self, Report, Spec};
use course::table::Table;
use course::{machine, procfs};
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

#[tokio::main]
async fn main() -> Result<()> {
    if let Some(a) = std::env::args().nth(1) {
        eprintln!("server_showdown: takes no arguments, not {a:?}\nusage: server_showdown");
        std::process::exit(2);
    }
    course::server::raise_open_file_limit();
    println!(
        "Each cell: a fresh server process; clients connect ({} ms), send for {} ms; unanswered {} ms later = timeout.",
        WARMUP.as_millis(),
        CELL.as_millis(),
        GRACE.as_millis()
    );
    let mut t = Table::new([
        "server", "wait", "clients", "req/s", "n", "p50", "p99", "errors", "timeouts", "threads",
        "peak RSS", "peak VM",
    ]);
    for wait in WAITS_MS {
        for server in SERVERS {
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
                t.row([
                    server.trim_end_matches("_server").to_string(),
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
        }
    }
    print!("{}", t.render());
    println!(
        "n: latency samples (answered + timed out); \"≥\": a lower bound, set by timed-out requests"
    );
    println!(
        "errors: refused or broken connections and non-200 answers (pool: 503 when its queue is full)"
    );
    println!(
        "peak VM: address space reserved (VmPeak), touched or not; peak RSS: pages in RAM (VmHWM)"
    );
    println!("{}", machine::describe());
    Ok(())
}
