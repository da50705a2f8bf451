//! Chapter 17's decision guide, applied: four workloads, each run with the
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

use course::machine;
use course::procfs;
use course::stats;
use course::table::Table;
use std::io::{Read, Write};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::runtime::{Builder, Runtime};

fn current_thread() -> Runtime {
    Builder::new_current_thread().enable_all().build().unwrap()
}

/// A multi-thread runtime with one worker per core (tokio's default).
fn multi_thread() -> Runtime {
    Builder::new_multi_thread().enable_all().build().unwrap()
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1e3)
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

/// Runs `work` `REPEATS` times; returns the median time and its result.
/// One run is noise on a busy machine; the median of a few is steadier.
const REPEATS: usize = 3;

fn median_run(mut work: impl FnMut() -> u64) -> (Duration, u64) {
    let mut times = Vec::new();
    let mut result = 0;
    for _ in 0..REPEATS {
        let start = Instant::now();
        result = work();
        times.push(start.elapsed());
    }
    (stats::median(&times).unwrap(), result)
}

fn cpu_bound() -> Table {
    // Threads: one per piece, scoped so they may borrow. The OS runs them
    // on every core at once: parallelism.
    let threads = || {
        std::thread::scope(|s| {
            let handles: Vec<_> = pieces()
                .map(|(a, b)| s.spawn(move || count_primes(a, b)))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).sum()
        })
    };
    // Async tasks on ONE thread: concurrency without parallelism. The
    // pieces never await, so they simply run one after another.
    let one_thread = current_thread();
    let tasks = || {
        one_thread.block_on(async {
            let tasks: Vec<_> = pieces()
                .map(|(a, b)| tokio::spawn(async move { count_primes(a, b) }))
                .collect();
            let mut sum = 0;
            for task in tasks {
                sum += task.await.unwrap();
            }
            sum
        })
    };
    // spawn_blocking on a multi-thread runtime: the runtime's way to run
    // CPU work in parallel without occupying the workers that drive I/O.
    let pool = multi_thread();
    let blocking_pool = || {
        pool.block_on(async {
            let tasks: Vec<_> = pieces()
                .map(|(a, b)| tokio::task::spawn_blocking(move || count_primes(a, b)))
                .collect();
            let mut sum = 0;
            for task in tasks {
                sum += task.await.unwrap();
            }
            sum
        })
    };

    let mut t = Table::new(["model", "time", "speed-up", "primes"]);
    let models: [(&str, &dyn Fn() -> u64); 4] = [
        ("sequential, one thread", &|| {
            pieces().map(|(a, b)| count_primes(a, b)).sum()
        }),
        ("a thread per piece", &threads),
        ("async tasks, current-thread runtime", &tasks),
        ("spawn_blocking, multi-thread runtime", &blocking_pool),
    ];
    let mut sequential = None;
    for (model, work) in models {
        let (took, primes) = median_run(work);
        // Speed-up against the first row, the sequential one.
        let speed_up = sequential.get_or_insert(took).as_secs_f64() / took.as_secs_f64();
        t.row([
            model.to_string(),
            ms(took),
            format!("{speed_up:.1}x"),
            primes.to_string(),
        ]);
    }
    t
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

fn blocking_library() -> Table {
    let mut t = Table::new(["model", "time", "note"]);

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
    t.row([
        "called inside async tasks".to_string(),
        ms(start.elapsed()),
        format!("{} workers blocked, the runtime stalls", machine::cores()),
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
    t.row([
        "spawn_blocking".to_string(),
        ms(start.elapsed()),
        "the workers stay free for other tasks".to_string(),
    ]);

    // Plain threads, one per call.
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..CALLS {
            s.spawn(blocking_call);
        }
    });
    t.row([
        "a thread per call".to_string(),
        ms(start.elapsed()),
        "simplest, if there is no runtime".to_string(),
    ]);
    t
}
// ANCHOR_END: blocking

// ANCHOR: idle
/// Many mostly idle connections: each waits 200 ms for its next message.
/// (A timer stands in for the network here, so that the program needs no
/// second process; Part II and chapter 9 measure real sockets and spawns.)
const CONNECTIONS: usize = 1_000;
const IDLE: Duration = Duration::from_millis(200);

fn many_idle() -> Table {
    let mut t = Table::new(["model", "time", "threads", "memory added"]);

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
    t.row([
        format!("a thread per connection ({CONNECTIONS})"),
        ms(start.elapsed()),
        threads,
        format!("{memory} KiB"),
    ]);

    t
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

fn few_busy() -> Table {
    let mut t = Table::new(["server model", "time", "round trips/s"]);
    let total = (BUSY * ROUND_TRIPS) as f64;
    let mut row = |model: &str, took: Duration| {
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
    t
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

fn main() {
    println!("{}", machine::describe());
    println!(
        "load average over the last minute: {} (on {} cores; above that, cores were busy)\n",
        load_average(),
        machine::cores()
    );

    println!(
        "1. CPU-bound: count primes below {LIMIT} in {PIECES} pieces (median of {REPEATS} runs)"
    );
    print!("{}", cpu_bound().render());
    println!("   guide: threads (or rayon, or spawn_blocking); async adds nothing to computing\n");

    println!(
        "2. A blocking library: {CALLS} calls that each block for {} ms",
        CALL.as_millis()
    );
    print!("{}", blocking_library().render());
    println!("   guide: from async code, spawn_blocking; never call it on a runtime worker\n");

    println!(
        "3. Many mostly idle connections: {CONNECTIONS}, each waiting {} ms",
        IDLE.as_millis()
    );
    print!("{}", many_idle().render());
    println!("   guide: async tasks; a waiting task costs bytes, a waiting thread a thread\n");

    println!("4. A few busy connections: {BUSY} clients x {ROUND_TRIPS} round trips on loopback");
    print!("{}", few_busy().render());
    println!(
        "   guide: either, so the simpler; with no waits to overlap, neither model wins by design"
    );
}
