//! Part I's programs print what the chapters say they print, and the
//! snippets shown failing fail with the error codes the text names.
//! Timings vary between runs and machines, so these tests check shapes and
//! the order of events, never durations or speed-ups.

mod common;

use common::{run_example, section};
use harness::{paths, process};
use std::collections::BTreeSet;
use std::process::Command;
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(20);

/// The `turns:` list of a lane line: `["A", "B", ...]`.
fn turns(line: &str) -> Vec<&str> {
    line.split("turns: ")
        .nth(1)
        .map(|t| t.split_whitespace().collect())
        .unwrap_or_default()
}

/// The lines of a panel: from its title line (starting with `title`) to the
/// blank line after it.
fn panel<'a>(out: &'a str, title: &str) -> Vec<&'a str> {
    out.lines()
        .skip_while(|l| !l.starts_with(title))
        .take_while(|l| !l.is_empty())
        .collect()
}

/// The columns where a text lane shows `c`.
fn columns(line: &str, c: char) -> BTreeSet<usize> {
    let row = line.split('|').nth(1).unwrap_or("");
    row.chars()
        .enumerate()
        .filter(|&(_, x)| x == c)
        .map(|(i, _)| i)
        .collect()
}

#[test]
fn timeline_text_shows_sequential_interleaved_and_parallel() {
    let out = run_example("timeline", &[], LIMIT).stdout_text();
    let cpu = section(&out, "Jobs that compute", Some("Jobs that wait")).join("\n");

    let seq = panel(&cpu, "Sequential:");
    assert!(seq[0].ends_with("on 1 OS thread"), "{out}");
    assert_eq!(seq.len(), 2, "one lane:\n{out}");
    assert_eq!(
        turns(seq[1]),
        ["A", "B", "C", "D"],
        "one job after another:\n{out}"
    );

    let inter = panel(&cpu, "Interleaved (4 tasks, current-thread runtime)");
    assert!(inter[0].ends_with("on 1 OS thread"), "{out}");
    assert_eq!(inter.len(), 2, "one lane:\n{out}");
    let t = turns(inter[1]);
    assert!(
        t.len() > 8,
        "the jobs must take turns many times: {t:?}\n{out}"
    );
    for job in ["A", "B", "C", "D"] {
        assert!(
            t.iter().filter(|&&j| j == job).count() >= 2,
            "job {job} must run in several turns: {t:?}"
        );
    }
    // Interleaved: a second turn of some job comes before the last job's first.
    let first_d = t.iter().position(|&j| j == "D").unwrap();
    let last_a = t.iter().rposition(|&j| j == "A").unwrap();
    assert!(last_a > first_d, "the jobs did not interleave: {t:?}");
    // The chapter says why the turns sweep back and forth (tokio 1.54.1
    // wakes yielded tasks last-yielded first): each turn is a neighbour of
    // the one before, A B C D C B A ..., never a jump such as D A.
    for pair in t.windows(2) {
        let (a, b) = (pair[0].as_bytes()[0], pair[1].as_bytes()[0]);
        assert_eq!(
            a.abs_diff(b),
            1,
            "the turns must sweep A B C D, then D C B A: {t:?}\n{out}"
        );
    }

    let par = panel(&cpu, "Parallel (one OS thread per job)");
    assert!(par[0].ends_with("on 4 OS threads"), "{out}");
    assert_eq!(par.len(), 5, "four lanes:\n{out}");
    for (lane, job) in par[1..].iter().zip(["A", "B", "C", "D"]) {
        assert_eq!(turns(lane), [job], "one job per thread:\n{out}");
    }

    let io = section(&out, "Jobs that wait", None).join("\n");
    let waits = |title: &str| -> Vec<BTreeSet<usize>> {
        panel(&io, title)
            .iter()
            .filter(|l| l.trim_start().contains(" waiting"))
            .map(|l| columns(l, '.'))
            .collect()
    };
    let seq = waits("Sequential, blocking waits");
    assert_eq!(seq.len(), 4, "{out}");
    for pair in seq.windows(2) {
        // Rounding to columns may make neighbours share one column.
        assert!(
            pair[0].intersection(&pair[1]).count() <= 1,
            "blocking waits on one thread must not overlap:\n{out}"
        );
    }
    let tasks_title = "4 tasks on one thread, async waits";
    assert!(
        panel(&io, tasks_title)[0].ends_with("on 1 OS thread"),
        "{out}"
    );
    let mut tasks = waits(tasks_title);
    assert_eq!(tasks.len(), 4, "{out}");
    // Each task starts waiting while the previous one still waits (its
    // timer is far longer than one slice of computing, even on a busy
    // machine), so waits that start one after another overlap.
    tasks.sort_by_key(|w| w.first().copied());
    for pair in tasks.windows(2) {
        assert!(
            pair[0].intersection(&pair[1]).count() >= 2,
            "the async waits must overlap on the one thread:\n{out}"
        );
    }
    assert!(
        panel(&io, "One OS thread per job, blocking waits")[0].ends_with("on 4 OS threads"),
        "{out}"
    );
    assert!(out.lines().any(|l| l.starts_with("machine: ")), "{out}");
}

#[test]
fn timeline_svg_is_inline_ready_and_bad_flags_exit_2() {
    for flag in ["--cpu", "--io"] {
        let svg = run_example("timeline", &[flag], LIMIT).stdout_text();
        assert!(svg.starts_with("<svg "), "{flag}: {svg}");
        assert!(svg.trim_end().ends_with("</svg>"), "{flag}");
        assert!(svg.contains("viewBox="), "{flag}: needs a viewBox to scale");
        assert!(
            svg.contains("currentColor"),
            "{flag}: must follow the theme"
        );
        assert!(
            !svg.lines().any(|l| l.trim().is_empty()),
            "{flag}: a blank line would end the inline HTML block"
        );
        assert_eq!(
            svg.matches("font-weight=\"bold\"").count(),
            3,
            "{flag}: three panels"
        );
    }
    let mut cmd = Command::new(paths::release_example("timeline"));
    cmd.arg("--bogus");
    let out = process::run_captured(&mut cmd, LIMIT).unwrap();
    assert_eq!(out.code, Some(2), "bad input exits 2");
    assert!(
        out.stderr_text().contains("usage: timeline"),
        "{}",
        out.stderr_text()
    );
}

/// Parses `1.95x` to 1.95.
fn factor(cell: &str) -> f64 {
    cell.trim_end_matches('x').parse().unwrap()
}

#[test]
fn parallel_sum_tables_speed_up_beside_amdahl() {
    // The book's run: the text, then the chart of the same measurements.
    let book = run_example("parallel_sum", &["--book"], LIMIT).stdout_text();
    let problems = course::chart::check_book(
        &book,
        &[
            "measured: the whole job",
            "Amdahl's prediction, s = ",
            "measured: the parallel part alone",
            &format!("{} logical CPUs", course::machine::logical_cpus()),
        ],
    );
    assert!(problems.is_empty(), "{problems:?}\n{book}");
    let out = course::chart::book_text(&book).expect("the text, in a code block");
    assert!(out.lines().any(|l| l.starts_with("machine: ")), "{out}");
    let cpu_line = out
        .lines()
        .find_map(|l| l.strip_prefix("CPUs: "))
        .expect("a line with the logical CPU count");
    let cpus: usize = cpu_line
        .split(" logical CPUs")
        .next()
        .and_then(|n| n.parse().ok())
        .expect("`CPUs: N logical CPUs`");
    assert_eq!(
        cpus,
        std::thread::available_parallelism().unwrap().get(),
        "the count is std's, which honours affinity and cgroup quotas"
    );
    if cfg!(target_os = "linux") {
        let cores: usize = cpu_line
            .split(", on ")
            .nth(1)
            .and_then(|l| l.split(" physical cores").next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("Linux's sysfs gives the physical cores: {cpu_line}"));
        assert!(cores >= 1, "{cpu_line}");
    }
    let values: usize = out
        .lines()
        .find_map(|l| l.strip_prefix("Job: prepare "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("the job size");
    assert_eq!(values % cpus, 0, "the job is sized per logical CPU");
    let s: f64 = out
        .lines()
        .find_map(|l| l.split("serial fraction s = ").nth(1))
        .and_then(|v| v.trim().parse().ok())
        .expect("the measured serial fraction");
    assert!(s > 0.0 && s < 1.0, "s = {s}");

    let rows: Vec<Vec<&str>> = section(&out, "-------", None)
        .into_iter()
        .take_while(|l| !l.is_empty())
        .map(|l| l.split_whitespace().collect())
        .collect();
    let threads: Vec<usize> = rows.iter().map(|r| r[0].parse().unwrap()).collect();
    assert!(
        threads.windows(2).all(|w| w[0] < w[1]),
        "thread counts ascend:\n{out}"
    );
    for n in (1..=4.min(2 * cpus)).chain([cpus, 2 * cpus]) {
        assert!(threads.contains(&n), "{n} threads measured:\n{out}");
    }
    assert_eq!(
        threads.last(),
        Some(&(2 * cpus)),
        "up to twice the CPUs:\n{out}"
    );
    assert_eq!(rows[0][2], "1.00x", "{out}");
    assert_eq!(rows[0][3], "1.00x", "{out}");
    // Amdahl's prediction: from the measured s, and flat past the CPU count.
    for r in &rows {
        let n = r[0].parse::<usize>().unwrap().min(cpus) as f64;
        let predicted = 1.0 / (s + (1.0 - s) / n);
        assert!(
            (factor(r[3]) - predicted).abs() < 0.02,
            "row {r:?}: Amdahl with s = {s} predicts {predicted:.2}\n{out}"
        );
        assert!(r[5].parse::<f64>().is_ok(), "a spawn+join time: {r:?}");
    }
}

#[test]
fn shared_counter_every_safe_version_counts_right() {
    let out = run_example("shared_counter", &[], LIMIT).stdout_text();
    let header = out
        .lines()
        .find(|l| l.starts_with("version"))
        .expect("a table");
    assert_eq!(
        header.split_whitespace().collect::<Vec<_>>(),
        ["version", "total", "correct", "ns", "per", "increment"],
        "{out}"
    );
    let rows = section(&out, "-------", None);
    assert_eq!(rows.len(), 5, "{out}");
    let names = [
        "Mutex<u64>  ",
        "Mutex<u64>, one thread alone",
        "AtomicU64",
        "mpsc",
        "local",
    ];
    for (row, name) in rows.iter().zip(names) {
        assert!(row.starts_with(name), "{row}");
        assert!(row.contains(" 1000000  yes "), "{row}");
        let ns = row.split_whitespace().last().unwrap();
        assert!(ns.parse::<f64>().is_ok(), "a time per increment: {row}");
    }
}

/// `--book` draws the time per increment of every version in the table.
#[test]
fn shared_counter_draws_the_time_per_increment() {
    common::book_charts(
        "shared_counter",
        &[],
        LIMIT,
        &[
            "Mutex<u64>",
            "Mutex<u64>, one thread alone",
            "AtomicU64::fetch_add",
            "mpsc channel, one owner",
            "local counts, combined at the end",
        ],
        1,
    );
}

#[test]
fn deadlock_is_forced_detected_and_cured() {
    let out = run_example("deadlock", &[], Duration::from_secs(5)).stdout_text();
    let first = section(&out, "1. Locks taken in opposite orders", Some("2."));
    // The barrier: both threads hold their first lock before either waits.
    let locked = first.iter().filter(|l| l.contains(": locked ")).count();
    let first_wait = first
        .iter()
        .position(|l| l.contains("waiting for"))
        .unwrap();
    assert_eq!(locked, 2, "{out}");
    assert!(
        first[..first_wait]
            .iter()
            .filter(|l| l.contains(": locked "))
            .count()
            == 2,
        "both locks are taken before anyone waits:\n{out}"
    );
    assert!(first.iter().any(|l| l.contains("DEADLOCK")), "{out}");

    let cure = section(&out, "2. The cure", Some("3."));
    assert!(
        cure.iter()
            .any(|l| l.contains("both transfers finished: A = 110, B = 90 (total 200)")),
        "{out}"
    );
    let race = section(&out, "3. A race", None);
    assert!(
        race[0].contains("2 withdrawals granted, balance now -100"),
        "{out}"
    );
    assert!(
        race[1].contains("1 withdrawal granted, balance now 0"),
        "{out}"
    );
}

/// Compiles a snippet from book/concurrency/snippets/ as the book does, and
/// returns rustc's error output.
fn compile_error(snippet: &str) -> String {
    let path = paths::root()
        .join("book/concurrency/snippets")
        .join(snippet);
    let out = harness::snippet::compile(&path).unwrap();
    assert_eq!(out.code, Some(1), "{snippet} must fail to compile");
    out.stderr_text()
}

#[test]
fn the_unsynchronised_counter_is_a_borrow_error() {
    let err = compile_error("counter_unsynchronised.rs");
    assert!(err.contains("error[E0499]"), "{err}");
    assert!(
        err.contains("cannot borrow `counter` as mutable more than once"),
        "{err}"
    );
}

#[test]
fn a_cell_shared_across_threads_is_not_sync() {
    let err = compile_error("counter_cell.rs");
    assert!(err.contains("error[E0277]"), "{err}");
    assert!(
        err.contains("cannot be shared between threads safely"),
        "{err}"
    );
    assert!(
        err.contains("`Sync` is not implemented for `Cell<u64>`"),
        "{err}"
    );
}

/// The number just before `word` in `line`: `7` in `... 7 rounds`.
fn number_before(line: &str, word: &str) -> u64 {
    line.split(word)
        .next()
        .and_then(|l| l.split_whitespace().last())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no number before {word:?} in {line:?}"))
}

#[test]
fn false_sharing_puts_the_counters_in_one_line_then_apart() {
    // The book's run: the text, then a chart of the same measurements.
    let book = run_example("false_sharing", &["--book"], LIMIT).stdout_text();
    let problems = course::chart::check_book(
        &book,
        &[
            "same line",
            "padded to 128 bytes",
            "nanoseconds per increment",
        ],
    );
    assert!(problems.is_empty(), "{problems:?}\n{book}");
    let out = course::chart::book_text(&book).expect("the text, in a code block");
    assert!(out.lines().any(|l| l.starts_with("machine: ")), "{out}");
    assert!(out.lines().any(|l| l.starts_with("cache line: ")), "{out}");
    let rows: Vec<Vec<&str>> = section(&out, "--------", None)
        .into_iter()
        .take_while(|l| !l.is_empty())
        .map(|l| {
            l.split("  ")
                .filter(|c| !c.is_empty())
                .map(str::trim)
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 2, "{out}");
    assert_eq!(rows[0][..3], ["same line", "8", "yes"], "{out}");
    assert_eq!(rows[1][..3], ["padded to 128 bytes", "128", "no"], "{out}");
    for r in &rows {
        assert!(r[3].parse::<f64>().is_ok(), "a time per increment: {r:?}");
    }
    let ratio = out
        .lines()
        .find_map(|l| l.strip_prefix("same line / padded: "))
        .and_then(|l| l.split('x').next())
        .and_then(|r| r.parse::<f64>().ok())
        .expect("the ratio of the two times");
    assert!(ratio > 0.0, "{out}");
}

#[test]
fn memory_ordering_release_acquire_publishes_and_seqcst_orders_store_load() {
    let out = run_example("memory_ordering", &[], LIMIT).stdout_text();
    let line = |prefix: &str| {
        out.lines()
            .find(|l| l.trim_start().starts_with(prefix))
            .unwrap_or_else(|| panic!("no line {prefix:?}:\n{out}"))
    };
    // Guaranteed by the memory model on every CPU: never a stale value.
    let ra = line("Release store, Acquire load:");
    assert!(number_before(ra, " rounds") > 0, "{out}");
    assert_eq!(number_before(ra, " stale"), 0, "{out}");
    // Allowed to be stale by the model; the run only reports it.
    let relaxed = line("Relaxed store, Relaxed load:");
    assert!(number_before(relaxed, " rounds") > 0, "{out}");
    // SeqCst: one total order of all four operations, so at least one load
    // sees the other thread's store, in every round.
    let seq = line("SeqCst stores, SeqCst loads:");
    assert!(number_before(seq, " rounds") > 0, "{out}");
    assert_eq!(number_before(seq, " of "), 0, "{out}");
    let acq_rel = line("Release stores, Acquire loads:");
    assert!(number_before(acq_rel, " rounds") > 0, "{out}");
}

/// `--book` draws the share of rounds with each outcome, one bar per line.
#[test]
fn memory_ordering_draws_how_often_each_outcome_was_seen() {
    common::book_charts(
        "memory_ordering",
        &[],
        LIMIT,
        &[
            "1. stale: Release store, Acquire load",
            "1. stale: Relaxed store, Relaxed load",
            "2. both missed: Release stores, Acquire loads",
            "2. both missed: SeqCst stores, SeqCst loads",
        ],
        1,
    );
}

#[test]
fn locks_tour_shows_arc_mutex_poisoning_condvar_and_rwlock() {
    let out = run_example("locks_tour", &[], LIMIT).stdout_text();
    let arc = section(&out, "1. Arc<Mutex<T>>", Some("2."));
    assert!(
        arc.iter().any(|l| l.trim() == "owners after join: 1"),
        "{out}"
    );
    assert!(
        arc.iter().any(|l| l.trim()
            == r#"the log holds 3 entries: ["thread 1", "thread 2", "thread 3"]"#),
        "{out}"
    );
    let poison: Vec<&str> = section(&out, "2. Poisoning", Some("3."))
        .into_iter()
        .map(str::trim)
        .collect();
    assert_eq!(
        poison,
        [
            "the transfer thread panicked: true",
            "is_poisoned: true",
            "lock: Err(PoisonError); into_inner shows A = 50, B = 100, total 150",
            "after the repair and clear_poison: A = 50, B = 150, lock is Ok",
            "",
        ],
        "{out}"
    );
    let condvar = section(&out, "3. Condvar", Some("4."));
    assert_eq!(
        condvar[0].trim(),
        "the consumer received [1, 2, 3]",
        "{out}"
    );
    let rw: Vec<&str> = section(&out, "4. RwLock", None)
        .into_iter()
        .map(str::trim)
        .collect();
    assert_eq!(rw.len(), 4, "{out}");
    let mut readers = rw[..2].to_vec();
    readers.sort();
    assert_eq!(
        readers,
        [
            r#"reader 1 holds a read guard on "v1", and so does the other"#,
            r#"reader 2 holds a read guard on "v1", and so does the other"#,
        ],
        "{out}"
    );
    assert_eq!(
        rw[2..],
        [
            "try_write while readers hold the lock: WouldBlock = true",
            r#"after the readers left, write: "v2""#,
        ],
        "{out}"
    );
}

#[test]
fn a_std_guard_across_await_compiles_on_a_local_set_and_deadlocks() {
    let out = run_example("guard_await_deadlock", &[], Duration::from_secs(5)).stdout_text();
    let lines: Vec<&str> = out.lines().map(str::trim).collect();
    assert!(
        lines[0].starts_with("Two tasks on a current-thread runtime"),
        "the heading comes first:\n{out}"
    );
    let held = lines
        .iter()
        .position(|l| l.starts_with("task B: the lock is held by task A"))
        .unwrap_or_else(|| panic!("B must find the lock held:\n{out}"));
    assert!(
        lines[held + 1].starts_with("task B: calling lock()"),
        "{out}"
    );
    assert!(lines.iter().any(|l| l.starts_with("DEADLOCK: ")), "{out}");
    assert!(!out.contains("got the lock"), "{out}");
}

/// The programs that draw charts take `--book` or nothing; anything else is
/// refused with their usage and exit status 2, before they measure.
#[test]
fn charted_programs_refuse_unknown_arguments() {
    let names = [
        "parallel_sum",
        "false_sharing",
        "spawn_cost",
        "context_switch",
        "choose_model",
        "blocking_in_async",
        "shared_counter",
        "overload",
        "memory_ordering",
        "runtime_metrics",
    ];
    let mut build = Command::new(paths::cargo());
    build
        .current_dir(paths::root())
        .args(["build", "--quiet", "--release"]);
    for name in names {
        build.args(["--example", name]);
    }
    assert!(build.status().unwrap().success(), "cannot build {names:?}");
    for name in names {
        for args in [&["--bogus"][..], &["--book", "--book"]] {
            let mut cmd = Command::new(paths::release_example(name));
            cmd.args(args);
            let out = process::run_captured(&mut cmd, LIMIT).unwrap();
            assert_eq!(out.code, Some(2), "{name} {args:?}");
            assert!(
                out.stderr_text()
                    .contains(&format!("usage: {name} [--book]")),
                "{name}: {}",
                out.stderr_text()
            );
            assert!(out.stdout_text().is_empty(), "{name} measured nothing");
        }
    }
}
