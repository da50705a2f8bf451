//! Part VI, "Observing a running program": tokio's stable runtime metrics
//! show the blocking-in-async problem of "Cooperative scheduling" in
//! numbers, before and after the fix.
//!
//!     cargo run --release --example runtime_metrics
//!
//! A multi-thread runtime with 2 workers runs a ticker task that wants to
//! wake every 10 ms, next to two tasks that each wait 200 ms: first with
//! `std::thread::sleep` inside the task (the bug: both workers blocked),
//! then with `spawn_blocking` (the fix: the waits move to tokio's blocking
//! pool). The metrics are read before and after each run and the difference
//! printed, from a thread outside the runtime, as a monitoring agent would.

use course::chart::{self, Axis, Bars, Row, Scale};
use course::table::Table;
use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::runtime::{Builder, Runtime, RuntimeMetrics};

const TICK: Duration = Duration::from_millis(10);
const WAIT: Duration = Duration::from_millis(200);
const TASKS: usize = 2;

/// Wakes every TICK until stopped; returns its number of wake-ups.
async fn ticker(stop: Arc<AtomicBool>) -> u32 {
    let mut ticks = 0;
    while !stop.load(Ordering::Relaxed) {
        tokio::time::sleep(TICK).await;
        ticks += 1;
    }
    ticks
}

// ANCHOR: snapshot
/// The stable metrics of tokio 1.54.1 (the per-worker ones on 64-bit
/// targets only). Counters only grow, so a run is the difference of two
/// snapshots.
struct Snapshot {
    busy: Vec<Duration>,
    parks: Vec<u64>,
}

fn snapshot(m: &RuntimeMetrics) -> Snapshot {
    let workers = 0..m.num_workers();
    Snapshot {
        busy: workers
            .clone()
            .map(|w| m.worker_total_busy_duration(w))
            .collect(),
        parks: workers.map(|w| m.worker_park_count(w)).collect(),
    }
}
// ANCHOR_END: snapshot

/// What one run saw.
struct Run {
    /// How long the run took in real time, and the ticker's wake-ups in it.
    took: Duration,
    ticks: u32,
    /// The most alive tasks and the deepest global queue the sampler saw.
    alive: usize,
    queued: usize,
    before: Snapshot,
    after: Snapshot,
}

/// Runs the ticker next to TASKS waits, blocking or not.
fn run(rt: &Runtime, blocking_in_task: bool) -> Run {
    let metrics = rt.metrics();
    let before = snapshot(&metrics);
    let done = Arc::new(AtomicBool::new(false));
    // ANCHOR: sampler
    let sampler = {
        let (metrics, done) = (metrics.clone(), Arc::clone(&done));
        std::thread::spawn(move || {
            let (mut alive, mut queued) = (0, 0);
            while !done.load(Ordering::Relaxed) {
                alive = alive.max(metrics.num_alive_tasks());
                queued = queued.max(metrics.global_queue_depth());
                std::thread::sleep(Duration::from_millis(1));
            }
            (alive, queued)
        })
    };
    // ANCHOR_END: sampler
    let start = Instant::now();
    let ticks = rt.block_on(async {
        let stop = Arc::new(AtomicBool::new(false));
        let ticker = tokio::spawn(ticker(Arc::clone(&stop)));
        // ANCHOR: waits
        // The waits start together (a std Barrier), so that in the blocking
        // run each one holds a worker of its own, however busy the machine.
        let together = Arc::new(std::sync::Barrier::new(TASKS));
        let waits: Vec<_> = (0..TASKS)
            .map(|_| {
                let together = Arc::clone(&together);
                let wait = move || {
                    together.wait();
                    std::thread::sleep(WAIT);
                };
                tokio::spawn(async move {
                    if blocking_in_task {
                        wait(); // holds the worker thread
                    } else {
                        tokio::task::spawn_blocking(wait)
                            .await
                            .expect("sleeping cannot panic");
                    }
                })
            })
            .collect();
        // ANCHOR_END: waits
        for w in waits {
            w.await.expect("a wait cannot panic");
        }
        stop.store(true, Ordering::Relaxed);
        ticker.await.expect("the ticker cannot panic")
    });
    let took = start.elapsed();
    done.store(true, Ordering::Relaxed);
    let (alive, queued) = sampler.join().expect("the sampler cannot panic");
    Run {
        took,
        ticks,
        alive,
        queued,
        before,
        after: snapshot(&metrics),
    }
}

fn main() -> anyhow::Result<()> {
    let book = chart::book_flag(
        "usage: runtime_metrics [--book]\n  --book  the output for the book: the text as a code block, then a chart of each worker's busy time",
    );
    // Everything is written here first, so that --book can put it in a code block.
    let mut out = String::new();
    writeln!(out, "{}", course::machine::describe())?;
    let rt = Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    writeln!(
        out,
        "num_workers = {}; a ticker wants {} wake-ups in {} ms while {TASKS} tasks each wait {} ms:",
        rt.metrics().num_workers(),
        WAIT.as_millis() / TICK.as_millis(),
        WAIT.as_millis(),
        WAIT.as_millis()
    )?;
    let mut busy_rows = vec![];
    let mut table = Table::new([
        "the wait",
        "run took",
        "ticks",
        "busy, per worker",
        "parks, per worker",
        "max alive tasks",
        "max global queue",
    ]);
    for (name, blocking) in [
        ("std::thread::sleep in the task", true),
        ("spawn_blocking(thread::sleep)", false),
    ] {
        let r = run(&rt, blocking);
        let busy_ms: Vec<u128> = r
            .after
            .busy
            .iter()
            .zip(&r.before.busy)
            .map(|(a, b)| (*a - *b).as_millis())
            .collect();
        busy_rows.push(Row::new(
            name,
            busy_ms.iter().map(|&ms| Some(ms as f64)).collect(),
        ));
        let busy: Vec<String> = busy_ms.iter().map(|ms| format!("{ms} ms")).collect();
        let parks: Vec<String> = r
            .after
            .parks
            .iter()
            .zip(&r.before.parks)
            .map(|(a, b)| (a - b).to_string())
            .collect();
        table.row([
            name.to_string(),
            format!("{} ms", r.took.as_millis()),
            r.ticks.to_string(),
            busy.join(", "),
            parks.join(", "),
            r.alive.to_string(),
            r.queued.to_string(),
        ]);
    }
    out.push_str(&table.render());
    if !book {
        print!("{out}");
        return Ok(());
    }
    let workers = rt.metrics().num_workers();
    let chart = chart::bars(&Bars {
        title: format!(
            "Each worker's busy time while {TASKS} tasks each wait {} ms (worker_total_busy_duration)",
            WAIT.as_millis()
        ),
        axis: Axis::new("milliseconds busy", Scale::Linear),
        unit: "ms".into(),
        series: (0..workers).map(|w| format!("worker {w}")).collect(),
        rows: busy_rows,
        note: course::machine::describe(),
    });
    print!("{}", chart::book(&out, &[chart]));
    Ok(())
}
