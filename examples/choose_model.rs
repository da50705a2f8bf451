//! Chapter 18's decision guide, applied: four workloads, each run with the
//! models that could serve it, and what each model achieved, measured.
//!
//! Run it with:
//!
//!     cargo run --release --example choose_model
//!
//! Each measurement is short (tenths of a second), so the whole program
//! ends within a few seconds; the chapters it links to measure each case
//! more carefully. Timings vary from run to run and machine to machine:
//! compare the rows of one table, not numbers across machines.

use course::chart::{self, Axis, Bars, Row, Scale};
use course::machine;
use course::procfs;
use course::stats;
use course::table::Table;
use rayon::prelude::*;
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::runtime::{Builder, Runtime};

fn current_thread() -> Runtime {
    Builder::new_current_thread().enable_all().build().unwrap()
}

/// A multi-thread runtime with one worker per logical CPU (tokio's default).
fn multi_thread() -> Runtime {
    Builder::new_multi_thread().enable_all().build().unwrap()
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", millis(d))
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn threads_now() -> String {
    procfs::self_status().map_or("n/a".into(), |s| s.threads.to_string())
}

fn rss_kib() -> u64 {
    procfs::self_status().map_or(0, |s| s.rss_kib)
}

// ANCHOR: cpu
/// CPU-bound: count the primes below `LIMIT`, split into `PIECES` pieces.
/// Nothing here ever waits; only more cores can make it faster.
const LIMIT: u64 = 1_000_000;
const PIECES: u64 = 8;

fn count_primes(from: u64, to: u64) -> u64 {
    (from.max(2)..to)
        .filter(|&n| (2..).take_while(|d| d * d <= n).all(|d| n % d != 0))
        .count() as u64
}

fn pieces() -> impl Iterator<Item = (u64, u64)> {
    (0..PIECES).map(|i| (LIMIT * i / PIECES, LIMIT * (i + 1) / PIECES))
}

/// Runs `work` `REPEATS` times; returns the median time, the result, and
/// the median of the probe's worst lateness (for rows that run a probe).
/// One run is noise on a busy machine; the median of a few is steadier.
const REPEATS: usize = 3;

struct Run {
    primes: u64,
    /// The I/O probe's worst lateness during the run, if it ran one.
    late: Option<Duration>,
}

fn median_run(mut work: impl FnMut() -> Run) -> (Duration, u64, Option<Duration>) {
    let (mut times, mut lates) = (Vec::new(), Vec::new());
    let mut primes = 0;
    for _ in 0..REPEATS {
        let start = Instant::now();
        let run = work();
        times.push(start.elapsed());
        primes = run.primes;
        lates.extend(run.late);
    }
    (
        stats::median(&times).unwrap(),
        primes,
        stats::median(&lates),
    )
}

/// The I/O probe: a task on the runtime that asks to wake every
/// millisecond, as a task waiting on a socket asks to be woken when it is
/// ready, and records how late it woke at worst. A late wake-up is a client
/// kept waiting. Start and finish it inside the runtime.
struct Probe {
    worst_us: Arc<AtomicU64>,
    ticks: tokio::sync::watch::Receiver<u64>,
    task: tokio::task::JoinHandle<()>,
}

impl Probe {
    async fn start() -> Probe {
        let worst_us = Arc::new(AtomicU64::new(0));
        let (tick, mut ticks) = tokio::sync::watch::channel(0);
        let worst = worst_us.clone();
        let task = tokio::spawn(async move {
            loop {
                let due = tokio::time::Instant::now() + Duration::from_millis(1);
                tokio::time::sleep_until(due).await;
                worst.fetch_max(due.elapsed().as_micros() as u64, Ordering::Relaxed);
                tick.send_modify(|n| *n += 1);
            }
        });
        // Only once it has ticked is it really waiting on the runtime: a
        // probe that never started would report no lateness at all.
        let _ = ticks.changed().await;
        Probe {
            worst_us,
            ticks,
            task,
        }
    }

    /// Waits for one more tick, so that a wake-up still overdue when the
    /// work ended is counted too, then stops the probe.
    async fn finish(mut self) -> Duration {
        self.ticks.borrow_and_update();
        let _ = self.ticks.changed().await;
        self.task.abort();
        Duration::from_micros(self.worst_us.load(Ordering::Relaxed))
    }
}

/// Runs `job` on `runtime` while the probe watches; the job's result and
/// the probe's worst lateness.
fn probed(runtime: &Runtime, job: impl Future<Output = u64>) -> Run {
    runtime.block_on(async {
        let probe = Probe::start().await;
        let primes = job.await;
        Run {
            primes,
            late: Some(probe.finish().await),
        }
    })
}

/// The pieces as tasks with `tokio::spawn`, on whatever runtime runs this.
async fn spawn_pieces() -> u64 {
    let handles: Vec<_> = pieces()
        .map(|(a, b)| tokio::spawn(async move { count_primes(a, b) }))
        .collect();
    let mut sum = 0;
    for handle in handles {
        sum += handle.await.unwrap();
    }
    sum
}

/// The table, the probe's lateness on the idle runtime, and each model's
/// time and probe lateness in milliseconds, for the chart.
fn cpu_bound() -> (Table, Duration, Vec<Row>) {
    // Threads: one per piece, scoped so they may borrow. The OS runs them
    // on every core at once: parallelism.
    let threads = || Run {
        primes: std::thread::scope(|s| {
            let handles: Vec<_> = pieces()
                .map(|(a, b)| s.spawn(move || count_primes(a, b)))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).sum()
        }),
        late: None,
    };
    // Async tasks on ONE thread: concurrency without parallelism. The
    // pieces never await, so they simply run one after another, and the
    // probe, on the same thread, waits for all of them.
    let one_thread = current_thread();
    let tasks = || probed(&one_thread, spawn_pieces());
    // tokio::spawn on a multi-thread runtime: the pieces DO run in
    // parallel, one per worker. But while a worker computes, it polls
    // nothing else: the probe (any I/O task) waits for a free worker.
    let runtime = multi_thread();
    let spawned = || probed(&runtime, spawn_pieces());
    // spawn_blocking: the pieces run on the blocking pool, so the workers
    // stay free for I/O. The pool grows to 512 threads by default; a
    // semaphore with a permit per logical CPU keeps CPU jobs to one per logical CPU,
    // however many requests ask for them.
    let cpu_jobs = Arc::new(tokio::sync::Semaphore::new(machine::logical_cpus()));
    let blocking_pool = || {
        let jobs = pieces().map(|(a, b)| {
            let cpu_jobs = cpu_jobs.clone();
            async move {
                let _permit = cpu_jobs.acquire_owned().await.unwrap();
                tokio::task::spawn_blocking(move || count_primes(a, b))
                    .await
                    .unwrap()
            }
        });
        // join_all polls every job at once: each waits for a permit, then
        // for its thread on the pool.
        probed(&runtime, async {
            futures::future::join_all(jobs).await.into_iter().sum()
        })
    };
    // rayon: a pool of one thread per logical CPU, with work stealing. Async code
    // hands it the whole job and awaits the answer on a oneshot channel;
    // no runtime thread computes, and rayon bounds the threads itself.
    let rayon_pool = rayon::ThreadPoolBuilder::new().build().unwrap();
    let rayon_job = || {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job = async {
            rayon_pool.spawn(move || {
                let primes = pieces()
                    .collect::<Vec<_>>()
                    .into_par_iter()
                    .map(|(a, b)| count_primes(a, b))
                    .sum();
                let _ = tx.send(primes);
            });
            rx.await.unwrap()
        };
        probed(&runtime, job)
    };

    let mut t = Table::new(["model", "time", "speed-up", "probe late by", "primes"]);
    let models: [(&str, &dyn Fn() -> Run); 6] = [
        ("sequential, one thread", &|| Run {
            primes: pieces().map(|(a, b)| count_primes(a, b)).sum(),
            late: None,
        }),
        ("a thread per piece", &threads),
        ("async tasks, current-thread runtime", &tasks),
        ("tokio::spawn, multi-thread runtime", &spawned),
        ("spawn_blocking (a permit per CPU)", &blocking_pool),
        ("rayon pool, fed through a oneshot", &rayon_job),
    ];
    let mut sequential = None;
    let mut figures = vec![];
    for (model, work) in models {
        let (took, primes, late) = median_run(work);
        figures.push(Row::new(model, vec![Some(millis(took)), late.map(millis)]));
        // Speed-up against the first row, the sequential one.
        let speed_up = sequential.get_or_insert(took).as_secs_f64() / took.as_secs_f64();
        t.row([
            model.to_string(),
            ms(took),
            format!("{speed_up:.1}x"),
            late.map_or("-".into(), late_ms),
            primes.to_string(),
        ]);
    }
    // The probe alone on the idle multi-thread runtime, for comparison.
    let idle = runtime.block_on(async {
        let probe = Probe::start().await;
        tokio::time::sleep(Duration::from_millis(100)).await;
        probe.finish().await
    });
    (t, idle, figures)
}

fn late_ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}
// ANCHOR_END: cpu

// ANCHOR: blocking
/// A blocking library: each call parks its thread for 50 ms, as a
/// synchronous database driver does while it waits for the answer.
const CALLS: usize = 16;
const CALL: Duration = Duration::from_millis(50);

fn blocking_call() {
    std::thread::sleep(CALL);
}

/// The table, and each model's time in milliseconds for the chart.
fn blocking_library() -> (Table, Vec<Row>) {
    let mut t = Table::new(["model", "time", "note"]);
    let mut figures = vec![];

    // Called straight from async tasks: each call holds a runtime worker,
    // so only as many calls as there are workers make progress at once,
    // and every other task on the runtime waits too.
    let rt = multi_thread();
    let start = Instant::now();
    rt.block_on(async {
        let tasks: Vec<_> = (0..CALLS)
            .map(|_| tokio::spawn(async { blocking_call() }))
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
    });
    let took = start.elapsed();
    figures.push(Row::new(
        "called inside async tasks",
        vec![Some(millis(took))],
    ));
    t.row([
        "called inside async tasks".to_string(),
        ms(took),
        format!(
            "{} workers blocked, the runtime stalls",
            machine::logical_cpus()
        ),
    ]);

    // spawn_blocking: the calls go to the runtime's blocking pool, which
    // grows (up to 512 threads by default), and the workers stay free.
    let rt = multi_thread();
    let start = Instant::now();
    rt.block_on(async {
        let tasks: Vec<_> = (0..CALLS)
            .map(|_| tokio::task::spawn_blocking(blocking_call))
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
    });
    let took = start.elapsed();
    figures.push(Row::new("spawn_blocking", vec![Some(millis(took))]));
    t.row([
        "spawn_blocking".to_string(),
        ms(took),
        "the workers stay free for other tasks".to_string(),
    ]);

    // Plain threads, one per call.
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..CALLS {
            s.spawn(blocking_call);
        }
    });
    let took = start.elapsed();
    figures.push(Row::new("a thread per call", vec![Some(millis(took))]));
    t.row([
        "a thread per call".to_string(),
        ms(took),
        "simplest, if there is no runtime".to_string(),
    ]);
    (t, figures)
}
// ANCHOR_END: blocking

// ANCHOR: idle
/// Many mostly idle connections: each waits 200 ms for its next message.
/// (A timer stands in for the network here, so that the program needs no
/// second process; Part II and chapter 10 measure real sockets and spawns.)
const CONNECTIONS: usize = 1_000;
const IDLE: Duration = Duration::from_millis(200);

/// The table, and each model's memory added in KiB for the chart.
fn many_idle() -> (Table, Vec<Row>) {
    let mut t = Table::new(["model", "time", "threads", "memory added"]);
    let mut figures = vec![];

    // A task per connection, all on one thread: a waiting task is a small
    // state machine in the runtime's memory, not a parked thread.
    let rt = current_thread();
    let before = rss_kib();
    let start = Instant::now();
    let (threads, memory) = rt.block_on(async {
        let tasks: Vec<_> = (0..CONNECTIONS)
            .map(|_| tokio::spawn(tokio::time::sleep(IDLE)))
            .collect();
        let during = (threads_now(), rss_kib().saturating_sub(before));
        for task in tasks {
            task.await.unwrap();
        }
        during
    });
    figures.push(Row::new(
        format!("a task per connection ({CONNECTIONS}), one thread"),
        vec![Some(memory as f64)],
    ));
    t.row([
        format!("a task per connection ({CONNECTIONS}), one thread"),
        ms(start.elapsed()),
        threads,
        format!("{memory} KiB"),
    ]);
    // A thread per connection: each parks in the kernel while it waits.
    let before = rss_kib();
    let start = Instant::now();
    let (threads, memory) = std::thread::scope(|s| {
        for _ in 0..CONNECTIONS {
            s.spawn(|| std::thread::sleep(IDLE));
        }
        // Measured while all of them wait.
        (threads_now(), rss_kib().saturating_sub(before))
    });
    figures.push(Row::new(
        format!("a thread per connection ({CONNECTIONS})"),
        vec![Some(memory as f64)],
    ));
    t.row([
        format!("a thread per connection ({CONNECTIONS})"),
        ms(start.elapsed()),
        threads,
        format!("{memory} KiB"),
    ]);
    (t, figures)
}
// ANCHOR_END: idle

// ANCHOR: busy
/// A few busy connections: 4 clients, each doing request/response round
/// trips over loopback TCP as fast as it can. Every message is ready almost
/// at once, so there is little waiting for async to overlap.
const BUSY: usize = 4;
const ROUND_TRIPS: usize = 2_000;

/// The clients are the same for every server: one blocking thread each,
/// standing in for programs on other machines. Only the server's model
/// changes between rows. (Were the clients tasks in the server's own
/// runtime, a round trip could finish without any thread switch at all,
/// which no real client on another machine allows: the comparison would
/// favour async for a reason that has nothing to do with the server.)
fn run_clients(addr: std::net::SocketAddr) {
    std::thread::scope(|s| {
        for _ in 0..BUSY {
            s.spawn(move || {
                let mut conn = std::net::TcpStream::connect(addr).unwrap();
                conn.set_nodelay(true).unwrap();
                let mut buf = [0u8; 8];
                for i in 0..ROUND_TRIPS as u64 {
                    conn.write_all(&i.to_le_bytes()).unwrap();
                    conn.read_exact(&mut buf).unwrap();
                }
            });
        }
    });
}

/// The table, and each server's round trips per second for the chart.
fn few_busy() -> (Table, Vec<Row>) {
    let mut t = Table::new(["server model", "time", "round trips/s"]);
    let mut figures = vec![];
    let total = (BUSY * ROUND_TRIPS) as f64;
    let mut row = |model: &str, took: Duration| {
        figures.push(Row::new(model, vec![Some(total / took.as_secs_f64())]));
        t.row([
            model.to_string(),
            ms(took),
            format!("{:.0}", total / took.as_secs_f64()),
        ]);
    };

    // Blocking sockets, a thread per connection.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let start = Instant::now();
    std::thread::scope(|s| {
        s.spawn(|| {
            for _ in 0..BUSY {
                let (mut conn, _) = listener.accept().unwrap();
                conn.set_nodelay(true).unwrap();
                s.spawn(move || {
                    let mut buf = [0u8; 8];
                    while conn.read_exact(&mut buf).is_ok() {
                        conn.write_all(&buf).unwrap();
                    }
                });
            }
        });
        run_clients(addr);
    });
    row("blocking, a thread per connection", start.elapsed());

    // The same server as tokio tasks, on each kind of runtime.
    for (model, rt) in [
        ("tokio tasks, multi-thread runtime", multi_thread()),
        ("tokio tasks, current-thread runtime", current_thread()),
    ] {
        let addr = rt.block_on(echo_server());
        // A current-thread runtime only runs while a thread is inside its
        // `block_on`: keep one there until the clients are done.
        let (done, finished) = tokio::sync::oneshot::channel::<()>();
        let start = Instant::now();
        std::thread::scope(|s| {
            s.spawn(|| rt.block_on(finished));
            run_clients(addr);
            let _ = done.send(());
        });
        row(model, start.elapsed());
    }
    (t, figures)
}
// ANCHOR_END: busy

/// Starts a `BUSY`-connection echo server as tasks on the current runtime,
/// and returns its address.
async fn echo_server() -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        for _ in 0..BUSY {
            let (mut conn, _) = listener.accept().await.unwrap();
            conn.set_nodelay(true).unwrap();
            tokio::spawn(async move {
                let mut buf = [0u8; 8];
                while conn.read_exact(&mut buf).await.is_ok() {
                    conn.write_all(&buf).await.unwrap();
                }
            });
        }
    });
    addr
}

/// The 1-minute load average: how many threads wanted a core, on average.
/// Parallel speed-up needs idle cores; on a busy machine it shrinks.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "not measured".into())
}

fn main() -> anyhow::Result<()> {
    let book = chart::book_flag(
        "usage: choose_model [--book]\n  --book  the output for the book: the text as a code block, then a chart of each workload",
    );
    // Everything is written here first, so that --book can put it in a code block.
    let mut out = String::new();
    writeln!(out, "{}", machine::describe())?;
    writeln!(
        out,
        "load average over the last minute: {} (on {} cores; above that, cores were busy)\n",
        load_average(),
        machine::logical_cpus()
    )?;

    writeln!(
        out,
        "1. CPU-bound: count primes below {LIMIT} in {PIECES} pieces (median of {REPEATS} runs)"
    )?;
    let (table, idle, cpu) = cpu_bound();
    out.push_str(&table.render());
    writeln!(
        out,
        "   probe: a task waking every 1 ms; its worst lateness alone on the idle \
         multi-thread runtime: {}",
        late_ms(idle)
    )?;
    writeln!(
        out,
        "   guide: threads or rayon (from async code through a oneshot), or bounded \
         spawn_blocking; never computing on a runtime worker\n"
    )?;

    writeln!(
        out,
        "2. A blocking library: {CALLS} calls that each block for {} ms",
        CALL.as_millis()
    )?;
    let (table, blocking) = blocking_library();
    out.push_str(&table.render());
    writeln!(
        out,
        "   guide: from async code, spawn_blocking; never call it on a runtime worker\n"
    )?;

    writeln!(
        out,
        "3. Many mostly idle connections: {CONNECTIONS}, each waiting {} ms",
        IDLE.as_millis()
    )?;
    let (table, idle_memory) = many_idle();
    out.push_str(&table.render());
    writeln!(
        out,
        "   guide: async tasks; a waiting task costs bytes, a waiting thread a thread\n"
    )?;

    writeln!(
        out,
        "4. A few busy connections: {BUSY} clients x {ROUND_TRIPS} round trips on loopback"
    )?;
    let (table, busy) = few_busy();
    out.push_str(&table.render());
    writeln!(
        out,
        "   guide: either, so the simpler; with no waits to overlap, neither model wins by design"
    )?;
    if !book {
        print!("{out}");
        return Ok(());
    }
    // One chart per workload, each of its main result. The CPU chart is on
    // a log scale: a probe late by 3 ms and one late by 140 ms must both
    // be readable beside computations of about 100 ms.
    let chart = |title: String, axis: Axis, unit: &str, series: &[&str], rows: Vec<Row>| {
        chart::bars(&Bars {
            title,
            axis,
            unit: unit.into(),
            series: series.iter().map(|s| s.to_string()).collect(),
            rows,
            note: machine::describe(),
        })
    };
    let charts = [
        chart(
            "1. CPU-bound: time, and how late a 1 ms probe task was (log scale)".into(),
            Axis::new("milliseconds (log scale)", Scale::Log),
            "ms",
            &["time", "probe late by"],
            cpu,
        ),
        chart(
            format!("2. {CALLS} blocking calls of {} ms: time", CALL.as_millis()),
            Axis::new("milliseconds", Scale::Linear),
            "ms",
            &[&format!("{CALLS} calls")],
            blocking,
        ),
        chart(
            format!("3. {CONNECTIONS} idle connections: memory added"),
            Axis::new("KiB resident", Scale::Linear),
            "KiB",
            &["while all wait"],
            idle_memory,
        ),
        chart(
            format!("4. {BUSY} busy connections: round trips per second"),
            Axis::new("round trips per second", Scale::Linear),
            "round trips/s",
            &[&format!("{BUSY} clients")],
            busy,
        ),
    ];
    print!("{}", chart::book(&out, &charts));
    Ok(())
}
