//! Parallel speed-up, measured: one job split over 1, 2, ... threads (up to
//! twice the number of cores), beside Amdahl's prediction.
//!
//! Run it with:
//!
//!     cargo run --release --example parallel_sum
//!
//! The job has two parts, as real jobs do. A serial part prepares the input
//! (each value depends on the one before, so it cannot be split), and a
//! parallel part scores every value and sums the scores (each value is
//! independent, so the values can be split between threads). The program
//! measures the serial fraction instead of assuming one, and predicts the
//! speed-up from it.

use course::stats::median;
use course::table::Table;
use std::hint::black_box;
use std::thread;
use std::time::{Duration, Instant};

/// How many values the job scores.
const VALUES: usize = 1 << 18;
/// Each configuration is timed this many times; the table shows medians.
const REPEATS: usize = 7;

/// The serial part: a stream of pseudo-random values, each computed from
/// the one before (a chain of four xorshift steps), so no thread can start in
/// the middle: value 1000 needs value 999 first.
fn prepare(n: usize) -> Vec<u64> {
    let mut x = 0x2545_f491_4f6c_dd1d_u64;
    (0..n)
        .map(|_| {
            for _ in 0..4 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
            }
            x
        })
        .collect()
}

/// The work done for each value: 128 multiply-and-mix rounds,
/// standing for real per-item work such as parsing or hashing. It keeps
/// the cores busy computing rather than waiting on memory.
fn score(mut x: u64) -> u64 {
    for _ in 0..128 {
        x = (x ^ (x >> 31)).wrapping_mul(0x7fb5_d329_728e_a185);
    }
    x >> 40
}

// ANCHOR: sum
/// Scores every value and sums the scores, on `threads` threads.
fn parallel_sum(values: &[u64], threads: usize) -> u64 {
    // One contiguous chunk per thread; the last may be shorter.
    let chunk = values.len().div_ceil(threads).max(1);
    // `thread::scope` lets the threads borrow `values`: the scope does not
    // end until every thread spawned in it has finished, so the borrow
    // cannot outlive the data. No Arc, no copying.
    thread::scope(|s| {
        let handles: Vec<_> = values
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(|&v| score(v)).sum::<u64>()))
            .collect();
        // Each thread returns its own partial sum: the threads share the
        // input (read-only) and nothing else, so they never wait for
        // each other until this join.
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    })
}
// ANCHOR_END: sum

/// Median times of the two parts and of the whole job.
#[derive(Clone, Copy)]
struct Timings {
    serial: Duration,
    parallel: Duration,
    whole: Duration,
}

/// Runs the whole job `REPEATS` times on `threads` threads.
fn measure(threads: usize) -> (Timings, u64) {
    let (mut serial, mut parallel, mut whole) = (vec![], vec![], vec![]);
    let mut sum = 0;
    for _ in 0..REPEATS {
        let t0 = Instant::now();
        let values = prepare(VALUES);
        let t1 = Instant::now();
        sum = black_box(parallel_sum(&values, threads));
        let t2 = Instant::now();
        serial.push(t1 - t0);
        parallel.push(t2 - t1);
        whole.push(t2 - t0);
    }
    let m = |v: &[Duration]| median(v).unwrap();
    let t = Timings {
        serial: m(&serial),
        parallel: m(&parallel),
        whole: m(&whole),
    };
    (t, sum)
}

// ANCHOR: amdahl
/// Amdahl's law: with a serial fraction `s` of the work, `n` workers can at
/// best make it `1 / (s + (1 - s) / n)` times faster. Threads beyond the
/// number of cores add no workers, so `n` is capped at `cores`.
fn amdahl(s: f64, threads: usize, cores: usize) -> f64 {
    let n = threads.min(cores) as f64;
    1.0 / (s + (1.0 - s) / n)
}
// ANCHOR_END: amdahl

fn main() {
    let cores = course::machine::cores();
    println!("{}", course::machine::describe());
    println!(
        "Job: prepare {VALUES} values (serial), then score and sum them (parallel). Median of {REPEATS} runs each.\n"
    );

    // ANCHOR: measure
    // The whole job (both parts) on 1, 2, ... 2 x cores threads, timing
    // each part of every run.
    let mut table = Table::new([
        "threads",
        "time (ms)",
        "speed-up",
        "Amdahl predicts",
        "parallel part alone",
    ]);
    let mut one_thread: Option<Timings> = None;
    let mut expected = None;
    for threads in 1..=2 * cores {
        let (t, sum) = measure(threads);
        assert_eq!(
            *expected.get_or_insert(sum),
            sum,
            "every split must give the same sum"
        );
        // The serial fraction s comes from the one-thread run: the share of
        // its time spent in the part that cannot be split.
        let base = *one_thread.get_or_insert(t);
        let s = base.serial.as_secs_f64() / base.whole.as_secs_f64();
        table.row([
            threads.to_string(),
            format!("{:.1}", ms(t.whole)),
            format!("{:.2}x", base.whole.as_secs_f64() / t.whole.as_secs_f64()),
            format!("{:.2}x", amdahl(s, threads, cores)),
            format!(
                "{:.2}x",
                base.parallel.as_secs_f64() / t.parallel.as_secs_f64()
            ),
        ]);
    }
    let base = one_thread.unwrap();
    println!(
        "On 1 thread: serial part {:.1} ms of {:.1} ms, so the serial fraction s = {:.3}\n",
        ms(base.serial),
        ms(base.whole),
        base.serial.as_secs_f64() / base.whole.as_secs_f64()
    );
    // ANCHOR_END: measure
    print!("{}", table.render());
    println!(
        "\nspeed-up = time on 1 thread / time on n threads. Amdahl's prediction uses the measured s\nand min(threads, {cores} cores); the last column times the parallel part without the serial one."
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
