//! Tasks are scheduled cooperatively: a task that blocks its thread stalls
//! every other task on that thread. This program measures the stall, then
//! each cure.
//!
//! Run it with:
//!
//!     cargo run --release --example blocking_in_async
//!
//! In every scenario a *ticker* task wants to wake every 10 ms and records
//! how late each wake-up is, while a *worker* does 200 ms of work in one of
//! several ways. The ticker stands for everything else a server does: other
//! connections, heartbeats, timeouts. Its worst delay is how long the rest
//! of the program was frozen.

use course::chart::{Axis, Bars, Row, Scale};
use course::stats::median;
use course::table::Table;
use futures::future::{BoxFuture, FutureExt};
use std::fmt::Write as _;
use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};
use tokio::runtime::{Builder, Runtime};

const TICK: Duration = Duration::from_millis(10);
const WORK: Duration = Duration::from_millis(200);
const REPEATS: usize = 5;

// ANCHOR: ticker
/// Wakes every TICK until told to stop; returns how many times it woke and
/// the worst lateness of a wake-up. A wake-up is late when nothing gives the
/// runtime's thread back to run the timer and this task.
async fn ticker(stop: Arc<AtomicBool>) -> (u32, Duration) {
    let (mut ticks, mut worst) = (0, Duration::ZERO);
    while !stop.load(Ordering::Relaxed) {
        let due = Instant::now() + TICK;
        tokio::time::sleep_until(due.into()).await;
        worst = worst.max(Instant::now().saturating_duration_since(due));
        ticks += 1;
    }
    (ticks, worst)
}
// ANCHOR_END: ticker

// ANCHOR: work
/// CPU-bound work: computes for `d` without ever giving the thread back.
fn crunch_for(d: Duration) -> u64 {
    let start = Instant::now();
    let mut x = 0u64;
    while start.elapsed() < d {
        for i in 0..1_000 {
            x = black_box(x.wrapping_mul(31).wrapping_add(i));
        }
    }
    x
}

/// The same work, in 1 ms slices with a `yield_now` between slices: the
/// task goes back to the runtime's queue, and other tasks (and timers) get
/// a turn before it continues.
async fn crunch_for_cooperatively(d: Duration) -> u64 {
    let start = Instant::now();
    let mut x = 0;
    while start.elapsed() < d {
        x ^= crunch_for(Duration::from_millis(1));
        tokio::task::yield_now().await;
    }
    x
}

/// The same work in 10 µs slices, with `consume_budget` after each: it
/// takes one unit of the task's coop budget (128 per poll) and yields only
/// when the budget is spent, so about once every 128 slices (1.3 ms).
async fn crunch_with_budget(d: Duration) -> u64 {
    let start = Instant::now();
    let mut x = 0;
    while start.elapsed() < d {
        x ^= crunch_for(Duration::from_micros(10));
        tokio::task::coop::consume_budget().await;
    }
    x
}
// ANCHOR_END: work

// ANCHOR: yield_cost
/// The cost of one yield point in a loop that does nothing else, per call,
/// on a runtime with nothing else to run: `yield_now` goes through the
/// scheduler every time, `consume_budget` only once its budget is spent.
fn cost_per_call(rt: &Runtime, calls: u32, consume_budget: bool) -> Duration {
    rt.block_on(async {
        let start = Instant::now();
        for _ in 0..calls {
            if consume_budget {
                tokio::task::coop::consume_budget().await;
            } else {
                tokio::task::yield_now().await;
            }
        }
        start.elapsed() / calls
    })
}
// ANCHOR_END: yield_cost

// ANCHOR: scenario
/// Runs the ticker next to `workers` copies of `work`, and returns what the
/// ticker saw: its number of wake-ups and the worst delay.
fn scenario(rt: &Runtime, workers: usize, work: fn() -> BoxFuture<'static, ()>) -> (u32, Duration) {
    rt.block_on(async {
        let stop = Arc::new(AtomicBool::new(false));
        let ticker = tokio::spawn(ticker(stop.clone()));
        let handles: Vec<_> = (0..workers).map(|_| tokio::spawn(work())).collect();
        for h in handles {
            h.await.expect("the work cannot panic");
        }
        stop.store(true, Ordering::Relaxed);
        ticker.await.expect("the ticker cannot panic")
    })
}
// ANCHOR_END: scenario

fn main() -> anyhow::Result<()> {
    let book = course::chart::book_flag(
        "usage: blocking_in_async [--book]\n  --book  the output for the book: the text as a code block, then a chart of the ticker's worst delay",
    );
    // Everything is written here first, so that --book can put it in a code block.
    let mut out = String::new();
    writeln!(out, "{}", course::machine::describe())?;
    let current = Builder::new_current_thread().enable_all().build()?;
    // Two workers, whatever the machine: the point is what happens when
    // every worker is blocked, so the count is fixed and printed.
    let multi = Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;

    // ANCHOR: scenarios
    // (what the work does, which runtime, how many copies of the work)
    type Work = fn() -> BoxFuture<'static, ()>;
    let rows: [(&str, &str, &Runtime, usize, Work); 8] = [
        // The problem: the work holds the runtime's only thread for 200 ms.
        (
            "std::thread::sleep in a task",
            "current-thread",
            &current,
            1,
            || async { thread::sleep(WORK) }.boxed(),
        ),
        ("CPU loop in a task", "current-thread", &current, 1, || {
            async {
                crunch_for(WORK);
            }
            .boxed()
        }),
        // The cures. Waiting with the runtime's timer instead of the OS's:
        (
            "tokio::time::sleep(..).await",
            "current-thread",
            &current,
            1,
            || tokio::time::sleep(WORK).boxed(),
        ),
        // Blocking code that cannot be rewritten, moved to tokio's blocking
        // thread pool; the task awaits its JoinHandle.
        (
            "spawn_blocking(thread::sleep)",
            "current-thread",
            &current,
            1,
            || {
                async {
                    let blocking = tokio::task::spawn_blocking(|| thread::sleep(WORK));
                    blocking.await.expect("sleeping cannot panic");
                }
                .boxed()
            },
        ),
        // CPU work cut into slices, with a yield between slices.
        (
            "CPU loop + yield_now every 1 ms",
            "current-thread",
            &current,
            1,
            || {
                async {
                    crunch_for_cooperatively(WORK).await;
                }
                .boxed()
            },
        ),
        // The same, with a yield point that yields only when the budget is spent.
        (
            "CPU loop + consume_budget every 10 µs",
            "current-thread",
            &current,
            1,
            || {
                async {
                    crunch_with_budget(WORK).await;
                }
                .boxed()
            },
        ),
        // A second worker thread can run the ticker while one is blocked...
        (
            "std::thread::sleep in 1 task",
            "multi-thread, 2 workers",
            &multi,
            1,
            || async { thread::sleep(WORK) }.boxed(),
        ),
        // ...until as many tasks block as there are workers.
        (
            "std::thread::sleep in 2 tasks",
            "multi-thread, 2 workers",
            &multi,
            2,
            || async { thread::sleep(WORK) }.boxed(),
        ),
    ];
    // ANCHOR_END: scenarios

    writeln!(
        out,
        "A ticker task wants to wake every {} ms while the work runs for {} ms:",
        TICK.as_millis(),
        WORK.as_millis()
    )?;
    let mut table = Table::new(["the work", "runtime", "ticks", "worst tick delay"]);
    let mut delays = vec![];
    for (name, runtime, rt, workers, work) in rows {
        let (ticks, worst) = scenario(rt, workers, work);
        delays.push(Row::new(
            format!("{name}, {runtime}"),
            vec![Some(worst.as_secs_f64() * 1e3)],
        ));
        table.row([
            name.to_string(),
            runtime.to_string(),
            ticks.to_string(),
            format!("{:.1} ms", worst.as_secs_f64() * 1e3),
        ]);
    }
    out.push_str(&table.render());

    let calls = 100_000;
    writeln!(
        out,
        "\nCost of a yield point, per call ({calls} calls in a loop, median of {REPEATS} runs, current-thread):"
    )?;
    let mut table = Table::new(["yield point", "per call"]);
    for (name, consume_budget) in [
        ("yield_now().await", false),
        ("consume_budget().await", true),
    ] {
        let samples: Vec<Duration> = (0..REPEATS)
            .map(|_| cost_per_call(&current, calls, consume_budget))
            .collect();
        let per_call = median(&samples).expect("REPEATS > 0");
        table.row([
            name.to_string(),
            format!("{:.1} ns", per_call.as_secs_f64() * 1e9),
        ]);
    }
    out.push_str(&table.render());
    if !book {
        print!("{out}");
        return Ok(());
    }
    // A log scale: the cures leave the ticker late by about a millisecond,
    // the blocked runtime by most of the work's 200 ms.
    let chart = course::chart::bars(&Bars {
        title: format!(
            "The ticker's worst delay while the work runs (log scale); it wants a tick every {} ms",
            TICK.as_millis()
        ),
        axis: Axis::new("milliseconds late (log scale)", Scale::Log),
        unit: "ms".into(),
        series: vec!["worst tick delay".into()],
        rows: delays,
        note: course::machine::describe(),
    });
    print!("{}", course::chart::book(&out, &[chart]));
    Ok(())
}
