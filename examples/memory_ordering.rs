//! Memory ordering, run: a flag that publishes data (Release and Acquire),
//! and the store-then-load pattern where only `SeqCst` is enough.
//!
//! Run it with:
//!
//!     cargo run --release --example memory_ordering
//!
//! Part 1 passes a value from one thread to another through a flag, many
//! times, and counts the rounds in which the reader saw the flag but not the
//! value behind it. With Release/Acquire the memory model forbids that on
//! every CPU. With Relaxed it allows it, but x86-64 hardware never reorders
//! two stores or two loads, so there the count is almost always 0 too: a run
//! cannot prove Relaxed wrong, only a model checker (loom) or a weakly
//! ordered CPU (ARM, POWER) can show it.
//!
//! Part 2 is the store buffer (Dekker's) pattern: each thread stores to its
//! own flag, then loads the other's. With Release/Acquire both loads may
//! miss both stores, and x86-64 does that for real: its store buffer lets a
//! load overtake an earlier store. With SeqCst it cannot happen.

use course::chart::{self, Axis, Bars, Row, Scale};
use std::fmt::Write as _;
use std::hint::spin_loop;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// Rounds of each experiment, at most.
const ROUNDS: u64 = 100_000;
/// Each experiment stops early after this long, so the program ends soon
/// even on a machine too busy to run the two threads side by side.
const TIME_LIMIT: Duration = Duration::from_millis(600);

/// Waits until `done()`, spinning briefly, then yielding the CPU: on a
/// machine with fewer free CPUs than spinning threads, pure spinning would
/// burn a whole time slice waiting for a thread that is not running.
fn wait_until(done: impl Fn() -> bool) {
    let mut spins = 0u32;
    while !done() {
        if spins < 2000 {
            spin_loop();
            spins += 1;
        } else {
            thread::yield_now();
        }
    }
}

// ANCHOR: message
/// One writer publishes `data` and then raises `ready`; one reader waits for
/// `ready` and then reads `data`. Round `i` publishes the value `i`. Returns
/// the rounds in which the reader saw round `i`'s flag but an older value.
fn message_passing(publish: Ordering, observe: Ordering, stop: &AtomicBool) -> (u64, u64) {
    let data = AtomicU64::new(0);
    let ready = AtomicU64::new(0); // the last round published
    let taken = AtomicU64::new(0); // the last round the reader finished
    thread::scope(|s| {
        s.spawn(|| {
            for i in 1..=ROUNDS {
                data.store(i, Ordering::Relaxed); // the payload
                ready.store(i, publish); // Release: everything above is published with it
                // Wait for the reader before the next round overwrites data.
                wait_until(|| taken.load(Ordering::Acquire) == i || stop.load(Ordering::Relaxed));
            }
        });
        let reader = s.spawn(|| {
            let (mut rounds, mut stale) = (0, 0);
            for i in 1..=ROUNDS {
                // Acquire: once we see round i's flag, we see what was
                // written before it, in the writer's thread.
                wait_until(|| ready.load(observe) == i || stop.load(Ordering::Relaxed));
                if ready.load(Ordering::Relaxed) != i {
                    break; // stopped by the time limit
                }
                if data.load(Ordering::Relaxed) != i {
                    stale += 1;
                }
                rounds += 1;
                taken.store(i, Ordering::Release);
            }
            (rounds, stale)
        });
        reader.join().unwrap()
    })
}
// ANCHOR_END: message

// ANCHOR: dekker
/// The store buffer pattern. In round `i`, thread A stores `i` to `a` and
/// then loads `b`; thread B stores `i` to `b` and then loads `a`. Returns
/// the rounds in which *both* loads saw the previous round's value: each
/// thread missed the other's store, as if both loads ran first.
fn store_buffer(store: Ordering, load: Ordering, stop: &AtomicBool) -> (u64, u64) {
    let (a, b) = (AtomicU64::new(0), AtomicU64::new(0));
    // A spin barrier, so that both threads start each round together.
    let arrived = AtomicU64::new(0);
    let side = |mine: &AtomicU64, theirs: &AtomicU64, mut seed: u64| {
        let mut missed = Vec::new();
        for i in 1..=ROUNDS {
            arrived.fetch_add(1, Ordering::SeqCst);
            wait_until(|| arrived.load(Ordering::SeqCst) >= 2 * i || stop.load(Ordering::Relaxed));
            if arrived.load(Ordering::SeqCst) < 2 * i {
                break; // stopped by the time limit
            }
            // The last thread to arrive leaves the barrier first. A random
            // pause of 0 to 63 spins lets the two stores line up in time
            // in some rounds, as litmus-test tools do.
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            for _ in 0..seed % 64 {
                spin_loop();
            }
            mine.store(i, store); // with Release, this store may still sit in
            missed.push(theirs.load(load) < i); // the store buffer while this load runs
        }
        missed
    };
    let (in_a, in_b) = thread::scope(|s| {
        let ta = s.spawn(|| side(&a, &b, 1));
        let tb = s.spawn(|| side(&b, &a, 7));
        (ta.join().unwrap(), tb.join().unwrap())
    });
    let rounds = in_a.len().min(in_b.len());
    let both = in_a.iter().zip(&in_b).filter(|&(&x, &y)| x && y).count();
    (rounds as u64, both as u64)
}
// ANCHOR_END: dekker

/// Runs `experiment` with a stop flag raised after `TIME_LIMIT`.
fn timed(experiment: impl FnOnce(&AtomicBool) -> (u64, u64) + Send) -> (u64, u64) {
    let stop = AtomicBool::new(false);
    thread::scope(|s| {
        let result = s.spawn(|| experiment(&stop));
        let start = Instant::now();
        while !result.is_finished() && start.elapsed() < TIME_LIMIT {
            thread::sleep(Duration::from_millis(1));
        }
        stop.store(true, Ordering::Relaxed);
        result.join().unwrap()
    })
}

fn main() -> anyhow::Result<()> {
    use Ordering::{Acquire, Relaxed, Release, SeqCst};
    let book = chart::book_flag(
        "usage: memory_ordering [--book]\n  --book  the output for the book: the text as a code block, then a chart of how often each outcome was seen",
    );
    // Everything is written here first, so that --book can put it in a code block.
    let mut out = String::new();
    writeln!(out, "{}", course::machine::describe())?;
    writeln!(
        out,
        "Up to {ROUNDS} rounds per line, each stopped after {} ms.\n",
        TIME_LIMIT.as_millis()
    )?;
    // The share of rounds, in per cent, that showed the outcome each
    // experiment looks for, by line: what the chart draws.
    let mut seen = vec![];
    let share = |count: u64, rounds: u64| Some(100.0 * count as f64 / rounds.max(1) as f64);

    writeln!(
        out,
        "1. A flag publishes data (the reader saw the flag, but an older value: stale):"
    )?;
    for (name, publish, observe) in [
        ("Release store, Acquire load", Release, Acquire),
        ("Relaxed store, Relaxed load", Relaxed, Relaxed),
    ] {
        let (rounds, stale) = timed(|stop| message_passing(publish, observe, stop));
        writeln!(out, "  {name}: {stale} stale of {rounds} rounds")?;
        seen.push(Row::new(
            format!("1. stale: {name}"),
            vec![share(stale, rounds)],
        ));
    }

    writeln!(
        out,
        "\n2. Store, then load the other flag (both loads missed both stores):"
    )?;
    for (name, store, load) in [
        ("Release stores, Acquire loads", Release, Acquire),
        ("SeqCst stores, SeqCst loads", SeqCst, SeqCst),
    ] {
        let (rounds, both) = timed(|stop| store_buffer(store, load, stop));
        writeln!(out, "  {name}: both missed in {both} of {rounds} rounds")?;
        seen.push(Row::new(
            format!("2. both missed: {name}"),
            vec![share(both, rounds)],
        ));
    }
    if !book {
        print!("{out}");
        return Ok(());
    }
    // A linear scale: the point is which bars are zero, and a log scale
    // cannot draw a zero.
    let chart = chart::bars(&Bars {
        title: "How often each experiment saw its outcome".into(),
        axis: Axis::new("rounds with the outcome (%)", Scale::Linear),
        unit: "%".into(),
        series: vec!["share of rounds".into()],
        rows: seen,
        note: course::machine::describe(),
    });
    print!("{}", chart::book(&out, &[chart]));
    Ok(())
}
