//! Parallel speed-up, measured: one job split over 1, 2, ... threads (up to
//! twice the number of logical CPUs), beside Amdahl's prediction.
//!
//! Run it with:
//!
//!     cargo run --release --example parallel_sum            # text
//!     cargo run --release --example parallel_sum -- --book  # text and a chart (Markdown)
//!
//! The job has two parts, as real jobs do. A serial part prepares the input
//! (each value depends on the one before, so it cannot be split), and a
//! parallel part scores every value and sums the scores (each value is
//! independent, so the values can be split between threads). The program
//! measures the serial fraction instead of assuming one, and predicts the
//! speed-up from it.
//!
//! The job grows with the machine: `VALUES_PER_CPU` values per logical CPU.
//! A fixed job would shrink per thread as the thread count grows, until on
//! a 64-CPU machine each thread's share took less time than spawning the
//! threads one after another; the speed-up would then measure `spawn`.

use course::chart::{self, Axis, Lines, Mark, Scale, Series};
use course::stats::median;
use course::table::Table;
use std::fmt::Write as _;
use std::hint::black_box;
use std::thread;
use std::time::{Duration, Instant};

/// How many values the job scores per logical CPU, so that each thread's
/// share stays the same size as the machine grows.
const VALUES_PER_CPU: usize = 1 << 17;
/// Each configuration is timed this many times; the table shows medians.
const REPEATS: usize = 5;

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

/// Runs the whole job (`values` values) `REPEATS` times on `threads` threads.
fn measure(values: usize, threads: usize) -> (Timings, u64) {
    let (mut serial, mut parallel, mut whole) = (vec![], vec![], vec![]);
    let mut sum = 0;
    for _ in 0..REPEATS {
        let t0 = Instant::now();
        let values = prepare(values);
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

/// The median time to spawn `threads` threads that do nothing, one after
/// another as `parallel_sum` does, and join them: a serial cost that every
/// run on that many threads pays on top of its work.
fn spawn_and_join(threads: usize) -> Duration {
    let samples: Vec<Duration> = (0..REPEATS)
        .map(|_| {
            let t = Instant::now();
            thread::scope(|s| {
                for _ in 0..threads {
                    s.spawn(|| {});
                }
            });
            t.elapsed()
        })
        .collect();
    median(&samples).unwrap()
}

// ANCHOR: amdahl
/// Amdahl's law: with a serial fraction `s` of the work, `n` workers can at
/// best make it `1 / (s + (1 - s) / n)` times faster. Threads beyond the
/// number of logical CPUs add no workers, so `n` is capped at `cpus`.
fn amdahl(s: f64, threads: usize, cpus: usize) -> f64 {
    let n = threads.min(cpus) as f64;
    1.0 / (s + (1.0 - s) / n)
}
// ANCHOR_END: amdahl

/// The number of physical cores, on Linux: CPUs that are SMT siblings
/// (hyper-threads) of one core list the same `core_cpus_list` in sysfs
/// (`thread_siblings_list` on kernels before 5.7), so the distinct lists
/// are the cores. This counts the whole machine, not only the CPUs this
/// process may use. `None` where sysfs does not say.
fn physical_cores() -> Option<usize> {
    let cpus = std::fs::read_dir("/sys/devices/system/cpu").ok()?;
    let mut cores = std::collections::BTreeSet::new();
    for cpu in cpus.flatten() {
        let name = cpu.file_name();
        let name = name.to_string_lossy();
        // Only cpu0, cpu1, ...: the folder also holds cpufreq, cpuidle, ...
        if name
            .strip_prefix("cpu")
            .is_none_or(|n| n.parse::<u32>().is_err())
        {
            continue;
        }
        let topology = cpu.path().join("topology");
        let siblings = std::fs::read_to_string(topology.join("core_cpus_list"))
            .or_else(|_| std::fs::read_to_string(topology.join("thread_siblings_list")));
        // An offline CPU has no topology: it is no core we can run on.
        if let Ok(list) = siblings {
            cores.insert(list.trim().to_string());
        }
    }
    (!cores.is_empty()).then_some(cores.len())
}

/// The thread counts to measure: every count up to 4, then about two per
/// doubling (6, 8, 12, 16, ...), plus the physical core count and the
/// logical CPU count, up to twice the logical CPUs. On a 64-CPU machine that
/// is 15 rows, not 128.
fn thread_counts(cpus: usize, cores: Option<usize>) -> Vec<usize> {
    let mut counts = std::collections::BTreeSet::from([cpus, 2 * cpus]);
    counts.extend(1..=4);
    counts.extend(cores);
    let mut n = 4;
    while n <= 2 * cpus {
        counts.extend([n, n + n / 2]);
        n *= 2;
    }
    counts.into_iter().filter(|&n| n <= 2 * cpus).collect()
}

fn main() {
    let book = course::chart::book_flag(
        "usage: parallel_sum [--book]\n  --book  the output for the book: the text as a code block, then a chart of the speed-ups",
    );
    // Everything is written here first, so that --book can put it in a code block.
    let mut out = String::new();
    let cpus = course::machine::logical_cpus();
    let cores = physical_cores();
    let values = VALUES_PER_CPU * cpus;
    writeln!(out, "{}", course::machine::describe()).unwrap();
    writeln!(
        out,
        "CPUs: {cpus} logical CPUs for this process (std::thread::available_parallelism), on {} physical cores (sysfs topology)",
        cores.map_or("an unknown number of".to_string(), |c| c.to_string())
    )
    .unwrap();
    writeln!(
        out,
        "Job: prepare {values} values (serial), then score and sum them (parallel). Median of {REPEATS} runs each.\n"
    )
    .unwrap();

    // ANCHOR: measure
    // The whole job (both parts) on 1, 2, ... 2 x logical CPUs threads,
    // timing each part of every run.
    let mut table = Table::new([
        "threads",
        "time (ms)",
        "speed-up",
        "Amdahl predicts",
        "parallel part alone",
        "spawn+join (ms)",
    ]);
    let mut one_thread: Option<Timings> = None;
    let mut expected = None;
    // The chart's points: (threads, speed-up) measured, predicted, and for
    // the parallel part alone.
    let (mut measured, mut predicted, mut alone) = (vec![], vec![], vec![]);
    for threads in thread_counts(cpus, cores) {
        let (t, sum) = measure(values, threads);
        assert_eq!(
            *expected.get_or_insert(sum),
            sum,
            "every split must give the same sum"
        );
        // The serial fraction s comes from the one-thread run: the share of
        // its time spent in the part that cannot be split.
        let base = *one_thread.get_or_insert(t);
        let s = base.serial.as_secs_f64() / base.whole.as_secs_f64();
        let n = threads as f64;
        let speed_up = base.whole.as_secs_f64() / t.whole.as_secs_f64();
        let parallel = base.parallel.as_secs_f64() / t.parallel.as_secs_f64();
        measured.push((n, speed_up));
        predicted.push((n, amdahl(s, threads, cpus)));
        alone.push((n, parallel));
        table.row([
            threads.to_string(),
            format!("{:.1}", ms(t.whole)),
            format!("{speed_up:.2}x"),
            format!("{:.2}x", amdahl(s, threads, cpus)),
            format!("{parallel:.2}x"),
            format!("{:.2}", ms(spawn_and_join(threads))),
        ]);
    }
    let base = one_thread.unwrap();
    writeln!(
        out,
        "On 1 thread: serial part {:.1} ms of {:.1} ms, so the serial fraction s = {:.3}\n",
        ms(base.serial),
        ms(base.whole),
        base.serial.as_secs_f64() / base.whole.as_secs_f64()
    )
    .unwrap();
    // ANCHOR_END: measure
    out.push_str(&table.render());
    writeln!(
        out,
        "\nspeed-up = time on 1 thread / time on n threads. Amdahl's prediction uses the measured s\nand min(threads, {cpus} logical CPUs); \"parallel part alone\" times the parallel part without\nthe serial one; spawn+join is the time to start and join that many idle threads, one after another."
    )
    .unwrap();
    if !book {
        print!("{out}");
        return;
    }
    let s = base.serial.as_secs_f64() / base.whole.as_secs_f64();
    let mut marks = vec![Mark {
        x: cpus as f64,
        label: format!("{cpus} logical CPUs"),
    }];
    // Physical cores get a mark of their own only where SMT makes them fewer.
    marks.extend(cores.filter(|&c| c < cpus).map(|c| Mark {
        x: c as f64,
        label: format!("{c} physical cores"),
    }));
    let chart = chart::lines(&Lines {
        title: "Speed-up against threads, beside Amdahl's prediction".into(),
        x: Axis::new("threads", Scale::Linear),
        y: Axis::new("speed-up (x)", Scale::Linear),
        series: vec![
            Series::new("measured: the whole job", measured),
            Series::new(format!("Amdahl's prediction, s = {s:.3}"), predicted),
            Series::new("measured: the parallel part alone", alone),
        ],
        marks,
        note: course::machine::describe(),
    });
    print!("{}", chart::book(&out, &[chart]));
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
