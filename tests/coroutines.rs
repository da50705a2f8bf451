//! Part III's programs print what the chapters say they print. Timings vary
//! between runs and machines, so these tests check the shape of the output
//! and facts that do not depend on speed: results, sizes, thread counts, and
//! events that cannot happen while a thread is blocked.

mod common;

use common::{run_example, section};
use std::time::Duration;

/// The cells of the table row whose first cell is `name` (cells are
/// separated by two or more spaces, as `course::table` prints them).
fn row<'a>(out: &'a str, name: &str) -> Vec<&'a str> {
    let line = out
        .lines()
        .find(|l| l.trim_start().starts_with(name))
        .unwrap_or_else(|| panic!("no row {name:?} in:\n{out}"));
    line.split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect()
}

/// The number at the start of a cell such as `0.52 µs` or `193.9 ms`.
fn number(cell: &str) -> f64 {
    cell.split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("not a number: {cell:?}"))
}

fn assert_machine_line(out: &str) {
    assert!(
        out.lines().any(|l| l.starts_with("machine: ")),
        "measuring programs print the machine they ran on:\n{out}"
    );
}

#[test]
fn state_machine_by_hand_matches_the_async_fn_and_sizes_show_what_is_kept() {
    let out = run_example("state_machine", &[], Duration::from_secs(10)).stdout_text();

    let by_hand = section(&out, "The hand-written state machine", Some("Same result"));
    let steps: Vec<&str> = by_hand
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.starts_with("result: "))
        .collect();
    // Two polls: the first runs up to the .await and finds the timer not
    // due; the second, after the timer's wake-up, finishes.
    assert_eq!(
        steps,
        [
            "poll: Start -> Sleeping (ran the code before the .await)",
            "timer not due: stay Sleeping, return Pending",
            "poll: timer fired: Sleeping -> Done, return Ready",
        ],
        "{out}"
    );
    assert!(out.contains("Same result: true"), "{out}");
    let results: Vec<&str> = out
        .lines()
        .filter_map(|l| l.trim().strip_prefix("result: "))
        .collect();
    assert_eq!(results, ["job-7 done after 20 ms"; 2], "{out}");

    // Relations, not exact sizes: those depend on the compiler and target.
    // If a new compiler keeps less (or more), one of these fails: update
    // what-is-a-coroutine.md, which states each relation.
    const BUF: f64 = 4096.0;
    let size = |name: &str| number(row(&out, name)[1]);
    let kept = |name: &str| {
        let s = size(name);
        assert!(s >= BUF, "{name}: the chapter says it is kept:\n{out}");
        s
    };
    let not_kept = |name: &str| {
        assert!(
            size(name) < BUF,
            "{name}: the chapter says it is not kept:\n{out}"
        );
    };
    // A local is saved if it is live at the .await...
    let live = kept("buffer live across .await");
    // ...or if it was borrowed and is still in scope there, even after drop().
    kept("buffer in scope, dead, borrowed");
    kept("buffer borrowed, then drop(buf)");
    // Dead and never borrowed, or borrowed in a scope that has ended: not saved.
    not_kept("buffer in scope, dead, never borrowed");
    not_kept("buffer borrowed in a block ending before");
    // Discriminant plus the largest state, not the sum of the states...
    let two_states = kept("two states, one buffer each");
    assert!(two_states < 2.0 * BUF, "states share memory:\n{out}");
    // ...except that rustc does not overlap locals whose scopes overlap.
    assert!(
        size("two buffers, scopes overlap") >= 2.0 * BUF,
        "the chapter says overlapping scopes keep both buffers:\n{out}"
    );
    assert!(size("argument of 1 KiB, no .await") >= 1024.0, "{out}");
    assert!(size("awaits the live-buffer one") >= live, "{out}");
}

#[test]
fn spawn_cost_reports_time_and_memory_per_unit() {
    // The book's run: the text, then charts of the same measurements.
    let book = run_example("spawn_cost", &["--book"], Duration::from_secs(60)).stdout_text();
    let problems = course::chart::check_book(
        &book,
        &[
            "OS thread",
            "tokio task, current-thread runtime",
            "tokio task, multi-thread runtime",
            "parked OS thread",
            "pending tokio task",
            "resident",
            "virtual",
            "(log scale)",
        ],
    );
    assert!(problems.is_empty(), "{problems:?}\n{book}");
    let out = course::chart::book_text(&book).expect("the text, in a code block");
    assert_machine_line(&out);
    assert_eq!(
        book.matches("<svg").count(),
        2,
        "a chart of time, one of memory"
    );

    for name in [
        "OS thread",
        "tokio task, current-thread runtime",
        "tokio task, multi-thread runtime",
    ] {
        let cells = row(&out, name);
        assert_eq!(cells.len(), 4, "{cells:?}");
        assert!(cells[2].ends_with(" µs") && number(cells[2]) > 0.0, "{out}");
    }

    let threads = row(&out, "parked OS thread");
    let tasks = row(&out, "pending tokio task");
    if cfg!(target_os = "linux") {
        for cell in [threads[2], threads[3], tasks[2], tasks[3]] {
            assert!(cell.ends_with(" KiB"), "{out}");
        }
        // A thread reserves its whole 2 MiB stack (std's default; the test
        // does not set RUST_MIN_STACK) but only the pages it touched are
        // resident: "2 MiB reserved, a few KiB resident", as costs.md says.
        let (resident, reserved) = (number(threads[2]), number(threads[3]));
        assert!(reserved >= 2048.0, "{out}");
        assert!(resident * 8.0 < reserved, "{out}");
        // A task reserves no stack: its virtual growth is its heap share.
        assert!(number(tasks[3]) * 100.0 < reserved, "{out}");
        // /proc saw every parked thread alive at once (plus main)...
        assert!(number(threads[4]) > 10_000.0, "{out}");
        // ...and 100,000 tasks on one thread.
        assert_eq!(tasks[1], "100000", "{out}");
        assert_eq!(tasks[4], "1", "{out}");
    } else {
        assert!(out.contains("not measured"), "{out}");
    }
}

#[test]
fn context_switch_measures_four_pairs_and_the_worker_parks() {
    // The book's run: the text, then a chart of the same measurements.
    let book = run_example("context_switch", &["--book"], Duration::from_secs(60)).stdout_text();
    let problems = course::chart::check_book(
        &book,
        &[
            "two OS threads, std mpsc",
            "two tasks, current-thread runtime",
            "two tasks, multi-thread, 1 worker",
            "two tasks, multi-thread, 2 workers",
            "(log scale)",
        ],
    );
    assert!(problems.is_empty(), "{problems:?}\n{book}");
    let out = course::chart::book_text(&book).expect("the text, in a code block");
    assert_machine_line(&out);
    for name in [
        "two OS threads, std mpsc",
        "two tasks, current-thread runtime",
        "two tasks, multi-thread, 1 worker",
        "two tasks, multi-thread, 2 workers",
    ] {
        let cells = row(&out, name);
        assert_eq!(cells.len(), 5, "{cells:?}");
        assert!(cells[2].ends_with(" µs") && number(cells[2]) > 0.0, "{out}");
    }
    // "In the run above the task pairs still won": every task pair hands
    // over faster than the two threads, whose hand-overs go through futexes.
    let per_trip = |name: &str| number(row(&out, name)[2]);
    for pair in [
        "two tasks, current-thread runtime",
        "two tasks, multi-thread, 1 worker",
        "two tasks, multi-thread, 2 workers",
    ] {
        assert!(
            per_trip(pair) < per_trip("two OS threads, std mpsc"),
            "{pair}:\n{out}"
        );
    }
    // Worker parks per round trip. Starting and ending the 5 runs accounts
    // for a few parks in 250,000 round trips (under 0.0001 per trip). With
    // one thread, or one worker and its LIFO slot, the pair never lets the
    // thread sleep; with two workers, the LIFO cap of 3 sends a task through
    // the queue and wakes the idle worker, which parks again, many times.
    let parks = |name: &str| number(row(&out, name)[4]);
    assert!(parks("two tasks, current-thread runtime") < 0.001, "{out}");
    assert!(parks("two tasks, multi-thread, 1 worker") < 0.001, "{out}");
    assert!(
        parks("two tasks, multi-thread, 2 workers") > 0.001,
        "costs.md says the second worker is woken and parks again:\n{out}"
    );
}

#[test]
fn blocking_in_async_starves_the_ticker_and_the_cures_do_not() {
    let out = run_example("blocking_in_async", &[], Duration::from_secs(30)).stdout_text();
    assert_machine_line(&out);
    let ticks = |name: &str| number(row(&out, name)[2]);

    // On a current-thread runtime the ticker cannot run at all while the
    // work holds the thread: it wakes once when the work is over (and maybe
    // once more before it sees the stop flag). No timing is involved.
    for starved in ["std::thread::sleep in a task", "CPU loop in a task"] {
        assert!(
            ticks(starved) <= 2.0,
            "{starved} should starve the ticker:\n{out}"
        );
    }
    // With a cure, the ticker keeps ticking through the 200 ms of work (20
    // ticks on an idle machine; 5 leaves room for a very busy one).
    for cured in [
        "tokio::time::sleep(..).await",
        "spawn_blocking(thread::sleep)",
        "CPU loop + yield_now every 1 ms",
        "CPU loop + consume_budget every 10 µs",
        "std::thread::sleep in 1 task",
    ] {
        assert!(
            ticks(cured) >= 5.0,
            "{cured} should let the ticker run:\n{out}"
        );
    }
    // As many blocking tasks as workers: no worker is left for the ticker.
    // It may tick once as the work ends, and once more before it sees the
    // stop flag (set from the thread that called block_on).
    assert!(
        ticks("std::thread::sleep in 2 tasks") <= 3.0,
        "two blocking tasks on two workers should starve the ticker:\n{out}"
    );
    assert!(row(&out, "CPU loop in a task")[3].ends_with(" ms"), "{out}");

    // consume_budget only counts down until the budget is spent; yield_now
    // goes through the scheduler (and, here, the driver) on every call.
    let per_call = |name: &str| {
        let cell = row(&out, name)[1];
        assert!(cell.ends_with(" ns"), "{out}");
        number(cell)
    };
    assert!(
        per_call("consume_budget().await") < per_call("yield_now().await"),
        "the chapter says consume_budget is the cheaper yield point:\n{out}"
    );
}

/// `--book` draws the ticker's worst delay in every scenario of the table.
#[test]
fn blocking_in_async_draws_the_worst_delay_of_each_scenario() {
    let book = common::book_charts(
        "blocking_in_async",
        &[],
        Duration::from_secs(30),
        &[
            "worst tick delay",
            "std::thread::sleep in a task, current-thread",
            "tokio::time::sleep(..).await, current-thread",
            "CPU loop + consume_budget every 10 µs, current-thread",
            "std::thread::sleep in 2 tasks, multi-thread, 2 workers",
        ],
        1,
    );
    let text = course::chart::book_text(&book).unwrap();
    assert!(text.contains("Cost of a yield point"), "{text}");
}
