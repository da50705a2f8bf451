//! A load generator: many concurrent HTTP clients on one tokio runtime.
//!
//!     cargo run --release --example async_server &            # something to load
//!     cargo run --release --example load -- 127.0.0.1:8080 --connections 100 --seconds 5
//!     cargo run --release --example load -- 127.0.0.1:8080 --rate 2000 --seconds 5
//!     cargo run --release --example load -- 127.0.0.1:8080 --requests 10000 --json
//!     cargo run --release --example load -- 127.0.0.1:8080 --idle 10000 --seconds 5
//!     cargo run --release --example load -- --demo --book  # the demo's text and chart (Markdown)
//!
//! Without `--rate`, each connection sends its next request when the last
//! answer is in (closed loop). `--rate R` sends R requests per second in all,
//! on a fixed schedule whatever the answers, and measures each latency from
//! the request's due time (open loop).
//! `--idle N` opens N keep-alive connections, checks each with a request,
//! holds them idle for the duration, and checks each again.
//! `--demo` starts a small tokio responder of its own that stalls now and
//! then, and loads it both ways, side by side.
//! The method is described in `src/load.rs`.

use course::chart::{self, Axis, Lines, Scale, Series};
use course::load::{self, Latency, Report, Spec};
use course::machine;
use course::table::Table;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::time::Instant;

/// The demo responder's stalls: every `STALL_EVERY`, it answers nothing
/// for `STALL`, as a server does during a pause (a garbage collection, a
/// compaction, a slow disk).
const STALL_EVERY: Duration = Duration::from_millis(500);
const STALL: Duration = Duration::from_millis(100);
/// The demo's open-loop rate: well within what the responder serves
/// outside its stalls on two shared cores, and high enough that the few
/// requests caught in flight by a stall (one per connection) are under 1%.
const DEMO_RATE: f64 = 4000.0;

struct Cli {
    addr: Option<SocketAddr>,
    connections: usize,
    seconds: f64,
    requests: Option<u64>,
    rate: Option<f64>,
    json: bool,
    /// `--demo` only: the text and the chart of both distributions, as Markdown.
    book: bool,
    idle: Option<usize>,
}

fn parse() -> Result<Cli, String> {
    let mut cli = Cli {
        addr: None,
        connections: 10,
        seconds: 2.0,
        requests: None,
        rate: None,
        json: false,
        book: false,
        idle: None,
    };
    let mut args = std::env::args().skip(1);
    let mut demo = false;
    while let Some(a) = args.next() {
        let mut value = |f: &str| args.next().ok_or(format!("{f} needs a value"));
        match a.as_str() {
            "--demo" => demo = true,
            "--json" => cli.json = true,
            "--book" => cli.book = true,
            "--connections" => {
                cli.connections = value(&a)?
                    .parse()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or("--connections wants a number >= 1")?
            }
            "--seconds" => {
                cli.seconds = value(&a)?
                    .parse()
                    .ok()
                    .filter(|&s: &f64| s > 0.0 && s <= 3600.0)
                    .ok_or("--seconds wants a number of seconds in (0, 3600]")?
            }
            "--rate" => {
                cli.rate = Some(
                    value(&a)?
                        .parse()
                        .ok()
                        .filter(|&r: &f64| r > 0.0 && r <= 1e7)
                        .ok_or("--rate wants requests per second in (0, 10000000]")?,
                )
            }
            "--requests" => {
                cli.requests = Some(
                    value(&a)?
                        .parse()
                        .map_err(|_| "--requests wants a number")?,
                )
            }
            "--idle" => cli.idle = Some(value(&a)?.parse().map_err(|_| "--idle wants a number")?),
            s if !s.starts_with('-') && cli.addr.is_none() => {
                cli.addr = Some(
                    s.parse()
                        .map_err(|_| format!("want HOST:PORT, not {s:?}"))?,
                )
            }
            s => return Err(format!("unknown argument {s:?}")),
        }
    }
    if demo == cli.addr.is_some() {
        return Err("give a target HOST:PORT or --demo".into());
    }
    if cli.book && (!demo || cli.json) {
        return Err("--book is for --demo, without --json".into());
    }
    if cli.idle.is_some() && cli.rate.is_some() {
        return Err("--idle holds connections idle; it takes no --rate".into());
    }
    Ok(cli)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = match parse() {
        Ok(c) => c,
        Err(e) => {
            eprintln!(
                "load: {e}\nusage: load HOST:PORT [--connections N] [--seconds S] [--rate R] [--requests N] [--json] [--idle N] | load --demo [--seconds S] [--rate R] [--book]"
            );
            std::process::exit(2);
        }
    };
    course::server::raise_open_file_limit();
    let duration = Duration::from_secs_f64(cli.seconds);
    let spec = |addr, rate| Spec {
        addr,
        connections: cli.connections,
        warmup: Duration::from_millis(100),
        duration,
        requests: cli.requests,
        grace: Duration::from_secs(2),
        rate,
    };
    let Some(addr) = cli.addr else {
        // The demo: the same responder, connections and duration, loaded
        // first in closed loop, then in open loop.
        let addr = stalling_responder().await?;
        let closed = load::run(&spec(addr, None)).await;
        let open = load::run(&spec(addr, Some(cli.rate.unwrap_or(DEMO_RATE)))).await;
        if cli.json {
            println!("{}\n{}", closed.json(), open.json());
            return Ok(());
        }
        let runs = [
            ("closed loop", &closed),
            ("open, from send", &open.measured_from_send()),
            ("open, from due", &open),
        ];
        let out = format!(
            "load --demo: a responder that stalls {} ms in every {} ms; {} connections, {:.1} s per run\n{}{}\n",
            STALL.as_millis(),
            STALL_EVERY.as_millis(),
            cli.connections,
            cli.seconds,
            table(&runs),
            machine::describe()
        );
        if cli.book {
            print!("{}", chart::book(&out, &[distributions(&runs)]));
        } else {
            print!("{out}");
        }
        return Ok(());
    };
    if let Some(n) = cli.idle {
        let (ok, failed) = load::idle(addr, n, duration).await;
        println!(
            "idle: {n} connections held {:.1} s: {ok} answered before and after, {failed} failed",
            cli.seconds
        );
        return Ok(());
    }
    let r = load::run(&spec(addr, cli.rate)).await;
    if cli.json {
        println!("{}", r.json());
        return Ok(());
    }
    println!(
        "load: {} connections against {addr} for {:.1} s",
        r.connections,
        r.elapsed.as_secs_f64()
    );
    if r.rate.is_some() {
        let from_send = r.measured_from_send();
        print!(
            "{}",
            table(&[("open, from send", &from_send), ("open, from due", &r)])
        );
    } else {
        print!("{}", table(&[("closed loop", &r)]));
    }
    println!("{}", machine::describe());
    Ok(())
}

/// One row per run: how it was driven, what came back, and its latencies.
/// The percentiles a distribution is drawn at: coarse up to the median,
/// finer in the tail, where the runs part (a fifth of the open loop's
/// requests fall due during a stall).
const PERCENTILES: [f64; 14] = [
    1.0, 10.0, 25.0, 50.0, 75.0, 80.0, 85.0, 90.0, 95.0, 98.0, 99.0, 99.5, 99.9, 100.0,
];

/// The runs' latency distributions on one chart: for each run, the latency
/// at each of [`PERCENTILES`] (a percentile curve, latency on a log axis).
/// A percentile that timed-out requests make a lower bound gets an open
/// marker.
fn distributions(runs: &[(&str, &Report)]) -> String {
    let series = runs
        .iter()
        .map(|&(mode, r)| {
            let (points, at_least): (Vec<_>, Vec<_>) = PERCENTILES
                .iter()
                .filter_map(|&p| {
                    let l = r.percentile(p)?;
                    let ms = l.value().as_secs_f64() * 1e3;
                    Some(((ms, p), matches!(l, Latency::AtLeast(_))))
                })
                .unzip();
            Series::new(mode, points).with_lower_bounds(at_least)
        })
        .collect();
    chart::lines(&Lines {
        title: "Latency distributions: the same server, the same stalls".into(),
        x: Axis::new("latency (ms)", Scale::Log),
        y: Axis::new("requests at or below it (%)", Scale::Linear),
        series,
        marks: vec![],
        note: machine::describe(),
    })
}

fn table(runs: &[(&str, &Report)]) -> String {
    let mut t = Table::new([
        "mode", "rate", "answered", "req/s", "errors", "timeouts", "samples", "p50", "p90", "p99",
        "max",
    ]);
    let cell = Report::cell;
    for &(mode, r) in runs {
        t.row([
            mode.to_string(),
            r.rate.map_or("-".to_string(), |r| format!("{r:.0}/s")),
            r.ok.to_string(),
            format!("{:.0}", r.throughput()),
            r.errors.to_string(),
            r.timeouts.to_string(),
            r.samples().to_string(),
            cell(r.percentile(50.0)),
            cell(r.percentile(90.0)),
            r.p99_cell(),
            cell(r.max()),
        ]);
    }
    let mut out = t.render();
    out.push_str(
        "timeouts stay in the percentiles at the wait they had; \"≥\" marks a lower bound\n",
    );
    out
}

/// For `--demo`: a minimal keep-alive responder on a free port, which
/// holds every answer due during one of its stalls until the stall ends.
async fn stalling_responder() -> anyhow::Result<SocketAddr> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let epoch = Instant::now();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 1024];
                while let Ok(n) = s.read(&mut buf).await {
                    if n == 0 {
                        break;
                    }
                    // The last STALL of every STALL_EVERY is a stall.
                    let phase = epoch.elapsed().as_nanos() % STALL_EVERY.as_nanos();
                    let quiet = (STALL_EVERY - STALL).as_nanos();
                    if phase >= quiet {
                        let left = STALL_EVERY.as_nanos() - phase;
                        tokio::time::sleep(Duration::from_nanos(left as u64)).await;
                    }
                    let answer = course::http::response(200, true);
                    if s.write_all(&answer).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    Ok(addr)
}
