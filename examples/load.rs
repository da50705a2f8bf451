//! A load generator: many concurrent HTTP clients on one tokio runtime.
//!
//!     cargo run --release --example async_server &            # something to load
//!     cargo run --release --example load -- 127.0.0.1:8080 --connections 100 --seconds 5
//!     cargo run --release --example load -- 127.0.0.1:8080 --requests 10000 --json
//!     cargo run --release --example load -- 127.0.0.1:8080 --idle 10000 --seconds 5
//!
//! `--idle N` opens N keep-alive connections, checks each with a request,
//! holds them idle for the duration, and checks each again.
//! `--demo` starts a small tokio responder of its own and loads it.
//! The method is described in `src/load.rs`.

use course::load::{self, Spec, short};
use course::machine;
use std::net::SocketAddr;
use std::time::Duration;

struct Cli {
    addr: Option<SocketAddr>,
    spec_connections: usize,
    seconds: f64,
    requests: Option<u64>,
    json: bool,
    idle: Option<usize>,
}

fn parse() -> Result<Cli, String> {
    let mut cli = Cli {
        addr: None,
        spec_connections: 10,
        seconds: 2.0,
        requests: None,
        json: false,
        idle: None,
    };
    let mut args = std::env::args().skip(1);
    let mut demo = false;
    while let Some(a) = args.next() {
        let mut value = |f: &str| args.next().ok_or(format!("{f} needs a value"));
        match a.as_str() {
            "--demo" => demo = true,
            "--json" => cli.json = true,
            "--connections" => {
                cli.spec_connections = value(&a)?
                    .parse()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or("--connections wants a number >= 1")?
            }
            "--seconds" => {
                cli.seconds = value(&a)?
                    .parse()
                    .ok()
                    .filter(|&s: &f64| s > 0.0)
                    .ok_or("--seconds wants a positive number")?
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
    Ok(cli)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = match parse() {
        Ok(c) => c,
        Err(e) => {
            eprintln!(
                "load: {e}\nusage: load HOST:PORT [--connections N] [--seconds S] [--requests N] [--json] [--idle N] | load --demo"
            );
            std::process::exit(2);
        }
    };
    course::server::raise_open_file_limit();
    let addr = match cli.addr {
        Some(a) => a,
        None => demo_target().await?,
    };
    let duration = Duration::from_secs_f64(cli.seconds);
    if let Some(n) = cli.idle {
        let (ok, failed) = load::idle(addr, n, duration).await;
        println!(
            "idle: {n} connections held {:.1} s: {ok} answered before and after, {failed} failed",
            cli.seconds
        );
        return Ok(());
    }
    let spec = Spec {
        addr,
        connections: cli.spec_connections,
        warmup: Duration::ZERO,
        duration,
        requests: cli.requests,
        grace: Duration::from_secs(2),
    };
    let r = load::run(&spec).await;
    if cli.json {
        println!("{}", r.json());
        return Ok(());
    }
    let cell = |d: Option<Duration>| d.map_or("-".to_string(), short);
    println!(
        "load: {} connections against {addr} for {:.1} s",
        spec.connections,
        r.elapsed.as_secs_f64()
    );
    println!("  answered:   {} ({:.0} req/s)", r.ok, r.throughput());
    println!(
        "  latency:    p50 {}, p99 {}, max {}",
        cell(r.percentile(50.0)),
        cell(r.percentile(99.0)),
        cell(r.latencies.last().copied())
    );
    println!("  errors:     {}, timeouts: {}", r.errors, r.timeouts);
    println!("{}", machine::describe());
    Ok(())
}

/// For `--demo`: a minimal keep-alive responder on a free port.
async fn demo_target() -> anyhow::Result<SocketAddr> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 1024];
                while let Ok(n) = s.read(&mut buf).await {
                    if n == 0
                        || s.write_all(&course::http::response(200, true))
                            .await
                            .is_err()
                    {
                        break;
                    }
                }
            });
        }
    });
    Ok(addr)
}
