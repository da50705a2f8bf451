//! Part IV's programs print what the chapters say they print. Timings vary
//! between runs, so these tests check the shape and the order of events,
//! never durations.

mod common;

use common::{run_example, section};
use harness::{paths, process};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(20);

/// Index of the first line containing `needle`, or a failure showing `out`.
fn find(lines: &[&str], needle: &str, out: &str) -> usize {
    lines
        .iter()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line contains {needle:?} in:\n{out}"))
}

#[test]
fn countdown_future_shows_poll_pending_wake_ready_in_order() {
    let out = run_example("countdown_future", &[], LIMIT).stdout_text();
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].contains("nothing has run"),
        "creating the future must print before any poll:\n{out}"
    );
    let events: Vec<&str> = lines
        .iter()
        .filter_map(|l| {
            if l.contains("-> Pending") {
                Some("pending")
            } else if l.contains("wake:") {
                Some("wake")
            } else if l.contains("-> Ready") {
                Some("ready")
            } else {
                None
            }
        })
        .collect();
    assert_eq!(
        events,
        [
            "pending", "wake", "pending", "wake", "pending", "wake", "ready"
        ],
        "{out}"
    );
    for n in 1..=4 {
        assert!(out.contains(&format!("poll #{n}:")), "{out}");
    }
    assert!(
        lines.last().unwrap().contains("the future is done"),
        "{out}"
    );
}

#[test]
fn timer_future_is_woken_by_its_thread_before_it_is_ready() {
    let out = run_example("timer_future", &[], LIMIT).stdout_text();
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].contains("not polled yet"), "{out}");
    // The program waited longer than both timers before polling them: a
    // timer that started on creation would be Ready at its first poll.
    for (line, name) in [(lines[1], "poll A"), (lines[2], "poll B")] {
        assert!(
            line.contains(name) && line.contains("first poll -> start the timer thread, Pending"),
            "each timer starts on its first poll, not on creation:\n{out}"
        );
    }
    let b_wake = find(&lines, "timer thread B", &out);
    let b_ready = find(&lines, "poll B (100 ms): done -> Ready", &out);
    let a_wake = find(&lines, "timer thread A", &out);
    let a_ready = find(&lines, "poll A (200 ms): done -> Ready", &out);
    assert!(
        b_wake < b_ready,
        "B must be woken before it is ready:\n{out}"
    );
    assert!(
        a_wake < a_ready,
        "A must be woken before it is ready:\n{out}"
    );
    assert!(b_ready < a_wake, "the shorter timer finishes first:\n{out}");
    // B's wake-up makes `join!` poll A too; the chapter says A then sees the
    // waker it stored (`will_wake`) and keeps it.
    let a_again = find(&lines, "poll A (200 ms): not yet", &out);
    assert!(
        b_wake < a_again && a_again < a_wake,
        "A is polled again after B's wake-up:\n{out}"
    );
    assert!(
        lines[a_again].contains("same waker as before (will_wake), keep it"),
        "A's second poll must keep the stored waker:\n{out}"
    );

    // The chapter says why the program spawns a task: joined in `main`'s
    // own future, the waker of tokio 1.54.1's current-thread `block_on` does
    // not pass `will_wake`, so A stores a fresh clone.
    let out = run_example("timer_future", &["--in-main"], LIMIT).stdout_text();
    let lines: Vec<&str> = out.lines().collect();
    let a_again = find(&lines, "poll A (200 ms): not yet", &out);
    assert!(
        lines[a_again].contains("store this poll's waker"),
        "in main, will_wake answered true after all; fix the chapter:\n{out}"
    );
    let mut cmd = Command::new(paths::release_example("timer_future"));
    cmd.arg("--bogus");
    let bad = process::run_captured(&mut cmd, LIMIT).unwrap();
    assert_eq!(bad.code, Some(2), "bad input exits 2");
    assert!(
        bad.stderr_text().contains("usage: timer_future"),
        "{}",
        bad.stderr_text()
    );
    assert!(lines.last().unwrap().contains("both timers done"), "{out}");
}

#[test]
fn mini_executor_uses_no_tokio() {
    let src = std::fs::read_to_string(paths::root().join("examples/mini_executor.rs")).unwrap();
    for (n, line) in src.lines().enumerate() {
        let code = line.split("//").next().unwrap();
        assert!(
            !code.contains("tokio"),
            "examples/mini_executor.rs:{} uses tokio, but the executor must be std + futures only: {line}",
            n + 1
        );
    }
}

/// (thread, message) of every trace line `[  t ms] thread | message`.
fn trace(out: &str) -> Vec<(&str, &str)> {
    out.lines()
        .filter_map(|l| l.split_once("] "))
        .filter_map(|(_, rest)| rest.split_once(" | "))
        .map(|(thread, msg)| (thread.trim(), msg))
        .collect()
}

#[test]
fn mini_executor_traces_each_wake_from_reactor_to_queue_to_poll() {
    // The book's run: the trace, then task B's wake path drawn from it.
    let book = run_example("mini_executor", &["--book"], LIMIT).stdout_text();
    let path = [
        ">popped<",
        ">poll<",
        ">waker stored<",
        ">Pending<",
        ">timer fires: wake()<",
        ">queued<",
        ">popped again<",
        ">poll<",
        ">Ready<",
    ];
    let problems = course::chart::check_book(
        &book,
        &[
            "Task B's wake path in Part 2, from this run's trace",
            "executor",
            "task B",
            "reactor",
            "queue",
        ],
    );
    assert!(problems.is_empty(), "{problems:?}\n{book}");
    // The diagram's steps are the wake path, in order, each once (poll twice).
    let mut from = 0;
    for label in path {
        let at = book[from..]
            .find(label)
            .unwrap_or_else(|| panic!("{label} missing, or out of order:\n{book}"));
        from += at + label.len();
    }
    assert_eq!(book.matches(">poll<").count(), 2, "{book}");
    // The wake happens on the reactor thread, the polls on main.
    assert!(book.contains(", reactor</text>\n<circle"), "{book}");
    let out = course::chart::book_text(&book).expect("the trace, in a code block");

    let part1 = section(&out, "Part 1", Some("Part 2")).join("\n");
    let t1 = trace(&part1);
    let steps: Vec<&str> = t1.iter().map(|(_, m)| *m).collect();
    let pending = find(&steps, "poll #1 -> Pending, parking", &part1);
    let woken = find(&steps, "reactor: deadline of block_on's sleep", &part1);
    let unparked = find(&steps, "unparked by the waker", &part1);
    let ready = find(&steps, "-> Ready", &part1);
    assert!(
        pending < woken && woken < unparked && unparked < ready,
        "{part1}"
    );
    assert_eq!(t1[woken].0, "reactor", "the reactor thread wakes:\n{part1}");
    assert!(part1.contains("block_on returned 42"), "{part1}");

    let part2 = section(&out, "Part 2", Some("Part 3")).join("\n");
    let t2 = trace(&part2);
    let msgs: Vec<&str> = t2.iter().map(|(_, m)| *m).collect();
    let mut finished = Vec::new();
    for task in ["A", "B", "C"] {
        let deadline = find(
            &msgs,
            &format!("deadline of {task}'s sleep reached"),
            &part2,
        );
        let pushed = find(&msgs, &format!("waker: task {task} pushed"), &part2);
        // The second time the executor pops this task: after the wake.
        let popped = msgs
            .iter()
            .enumerate()
            .skip(pushed)
            .find(|(_, m)| m.contains(&format!("popped task {task} ")))
            .map(|(i, _)| i)
            .unwrap_or_else(|| panic!("task {task} was not polled after its wake:\n{part2}"));
        let ready = find(&msgs, &format!("task {task} -> Ready"), &part2);
        assert!(
            deadline < pushed && pushed < popped && popped < ready,
            "task {task}: expected reactor wake -> queue -> poll -> Ready:\n{part2}"
        );
        assert_eq!(t2[deadline].0, "reactor", "{part2}");
        assert_eq!(
            t2[pushed].0, "reactor",
            "the waker runs on the waking thread:\n{part2}"
        );
        assert_eq!(t2[popped].0, "main", "{part2}");
        finished.push((ready, task));
    }
    finished.sort();
    let order: Vec<&str> = finished.iter().map(|(_, t)| *t).collect();
    assert_eq!(
        order,
        ["B", "C", "A"],
        "tasks finish in order of their sleeps:\n{part2}"
    );
    for (thread, msg) in &t2 {
        if msg.starts_with("task ") || msg.starts_with("executor:") {
            assert_eq!(
                *thread, "main",
                "every poll happens on the executor's thread:\n{part2}"
            );
        }
    }
}

#[test]
fn mini_executor_wakes_with_no_lock_held_so_a_waker_may_poll() {
    let out = run_example("mini_executor", &[], LIMIT).stdout_text();
    let part3 = section(&out, "Part 3", None).join("\n");
    let t3 = trace(&part3);
    let msgs: Vec<&str> = t3.iter().map(|(_, m)| *m).collect();
    // The second sleep registers from inside the reactor's `wake()`: were
    // the reactor's lock held there, it would deadlock and the program
    // would fail after its 2 s wait.
    let inline = find(
        &msgs,
        "task inline: polled inside the reactor's wake()",
        &part3,
    );
    let second = find(&msgs, "inline's second sleep: not yet", &part3);
    let done = find(&msgs, "task inline: finishes", &part3);
    assert!(inline < second && second < done, "{part3}");
    for i in [inline, second, done] {
        assert_eq!(t3[i].0, "reactor", "polled on the waking thread:\n{part3}");
    }
    assert!(
        msgs.last().unwrap().contains("the inline task finished"),
        "{part3}"
    );
}

#[test]
fn pin_demo_shows_the_local_inside_the_pinned_future() {
    let out = run_example("pin_demo", &[], LIMIT).stdout_text();
    for part in ["Box::pin", "pin!"] {
        let lines = section(&out, part, None);
        let polls: Vec<&str> = lines
            .iter()
            .copied()
            .filter(|l| l.contains("after poll"))
            .take(2)
            .collect();
        assert_eq!(polls.len(), 2, "{out}");
        for l in &polls {
            assert!(l.contains("(inside the future)"), "{part}: {l}\n{out}");
            // Within each poll, the saved reference points at the local.
            let buf = l.split("`buf` at ").nth(1).unwrap().split(' ').next();
            let view = l.split("`view` -> ").nth(1);
            assert_eq!(
                buf, view,
                "{part}: `view` does not point at `buf`: {l}\n{out}"
            );
        }
        // Pinned: poll 2 (after the `.await`) saw the same addresses as
        // poll 1. The program records them afresh in each poll.
        let where_ = |l: &str| l.split_once(": ").unwrap().1.to_string();
        assert_eq!(where_(polls[0]), where_(polls[1]), "{part} moved:\n{out}");
    }
    assert!(!out.contains("outside"), "{out}");
    assert!(
        out.contains("moved between polls, then: Ready(())"),
        "{out}"
    );

    // `Pin::set` puts a new future in the same pinned place.
    let set: Vec<&str> = section(&out, "Pin::set", Some("Which"))
        .into_iter()
        .filter(|l| l.contains("poll 1"))
        .collect();
    assert_eq!(set.len(), 2, "{out}");
    let future_at = |l: &str| {
        let rest = l.split("future at ").nth(1).unwrap();
        rest.split(' ').next().unwrap().to_string()
    };
    assert_eq!(future_at(set[0]), future_at(set[1]), "set moved it:\n{out}");

    // What the compiler says about each type: the chapter's claims.
    let which = section(&out, "Which futures are Unpin", None);
    let unpin = |name: &str| {
        let line = which
            .iter()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap_or_else(|| panic!("no row {name:?}:\n{out}"));
        line.trim_end().ends_with("Unpin: true")
    };
    assert!(unpin("YieldOnce"), "{out}");
    assert!(!unpin("async { 1 }"), "every async block is !Unpin:\n{out}");
    assert!(!unpin("tokio::time::Sleep"), "{out}");
    assert!(!unpin("Notify::notified()"), "{out}");
    assert!(!unpin("Semaphore::acquire()"), "{out}");
    assert!(unpin("Pin<Box<Sleep>>"), "{out}");
}

#[test]
fn pin_snippet_fails_with_e0277() {
    let snippet = paths::root().join("book/futures/snippets/pin_unpin.rs");
    let out = harness::snippet::compile(&snippet).unwrap();
    assert!(!out.success(), "the snippet must not compile");
    assert!(
        out.stderr_text().contains("error[E0277]"),
        "expected E0277 (cannot be unpinned):\n{}",
        out.stderr_text()
    );
}

#[test]
fn tasks_tour_cancels_by_dropping_and_shows_the_lost_data() {
    let out = run_example("tasks_tour", &[], LIMIT).stdout_text();
    assert!(out.contains("result via the JoinHandle: 20"), "{out}");
    assert!(out.contains("is_panic() = true"), "{out}");

    let set = section(&out, "2. JoinSet", Some("3."));
    let finished: Vec<&str> = set
        .iter()
        .filter_map(|l| l.trim().strip_prefix("finished: "))
        .collect();
    assert_eq!(
        finished,
        ["100 ms job", "200 ms job", "300 ms job"],
        "{out}"
    );

    let abort = section(&out, "3. abort", Some("4."));
    assert!(abort[0].contains("ticking task was dropped"), "{out}");
    assert!(abort[1].contains("is_cancelled() = true"), "{out}");

    let join = section(&out, "4. join!", Some("5.")).join("\n");
    assert!(join.contains("join! -> (30, 20)"), "{out}");
    let dropped = join
        .find("try_join's slow branch was dropped")
        .expect("dropped");
    let err = join.find("try_join! -> Err").expect("try_join error");
    assert!(dropped < err, "{out}");

    let select = section(&out, "5. select!", Some("6.")).join("\n");
    assert!(select.contains("select's slow branch was dropped"), "{out}");
    assert!(select.contains("timed out after 30 ms"), "{out}");
    assert!(!select.contains("work finished"), "{out}");

    let timeout = section(&out, "6. tokio::time::timeout", Some("7.")).join("\n");
    assert!(timeout.contains("timeout's work was dropped"), "{out}");
    assert!(timeout.contains("Err(deadline has elapsed)"), "{out}");
    assert!(timeout.contains("Ok(5)"), "{out}");

    let cancel = section(&out, "7. cancellation safety", None).join("\n");
    assert!(
        cancel.contains(r#"safe:     received ["alpha", "bravo", "charlie", "delta"]"#),
        "{out}"
    );
    assert!(
        cancel.contains("careless lost data: true; safe lost data: false"),
        "{out}"
    );
}

#[test]
fn local_tasks_outlive_their_spawner_and_share_an_rc_on_one_thread() {
    let out = run_example("local_tasks", &[], LIMIT).stdout_text();
    // The spawner returned, and dropped the handle, before the task ended.
    let detached = section(&out, "1. ", Some("2. "));
    assert_eq!(
        detached,
        [
            "    spawn_and_return returned; the JoinHandle was dropped",
            "    the detached task finished: report.txt",
        ],
        "{out}"
    );
    for (from, to, label) in [
        ("2. spawn_local on a LocalSet", Some("3. "), "LocalSet"),
        ("3. spawn_local on a LocalRuntime", None, "LocalRuntime"),
    ] {
        let lines = section(&out, from, to);
        // The tasks waited 30, 20 and 10 ms at once: they ran concurrently,
        // so they finished in reverse order, all on the driving thread.
        assert_eq!(
            lines,
            [
                format!("    {label}: tasks finished in the order [3, 2, 1]"),
                format!("    {label}: all ran on the thread that drives them: true"),
            ],
            "{out}"
        );
    }
}

#[test]
fn pipeline_bounds_the_queue_and_runs_every_channel() {
    let out = run_example("pipeline", &[], LIMIT).stdout_text();
    assert!(out.lines().any(|l| l.starts_with("machine: ")), "{out}");
    let table = section(&out, "1. mpsc", Some("  deepest"));
    let depths: Vec<usize> = table
        .iter()
        .skip(2) // header and rule
        .map(|l| l.split_whitespace().last().unwrap().parse().unwrap())
        .collect();
    assert_eq!(depths.len(), 12, "{out}");
    assert!(
        depths.iter().all(|&d| d <= 4),
        "depth above capacity:\n{out}"
    );
    assert_eq!(depths.iter().max(), Some(&4), "{out}");
    assert!(out.contains("deepest queue, bounded channel:   4"), "{out}");
    assert!(
        out.contains("deepest queue, unbounded channel: 12"),
        "{out}"
    );

    assert!(out.contains("asked for 3², got 9"), "{out}");
    assert!(out.contains("asked for 4², got 16"), "{out}");

    let bc = section(&out, "3. broadcast", Some("4.")).join("\n");
    for e in 1..=5 {
        assert!(bc.contains(&format!("fast receiver got {e}")), "{out}");
    }
    let lag = bc.find("slow receiver lagged: missed 3").expect("lagged");
    let got4 = bc.find("slow receiver got 4").expect("slow got 4");
    assert!(lag < got4 && bc.contains("slow receiver got 5"), "{out}");
    assert!(!bc.contains("slow receiver got 1"), "{out}");

    assert!(out.contains("the receiver sees: v4"), "{out}");

    assert!(
        out.contains("buffered(3):         [1, 2, 3, 4, 5, 6]"),
        "{out}"
    );
    // The durations make the finishing order certain (60 ms between any
    // two endings), so the test can assert it exactly.
    assert!(
        out.contains("buffer_unordered(3): [3, 2, 1, 6, 5, 4]"),
        "{out}"
    );
    assert!(out.contains("map(square): [4, 16, 36, 64, 100]"), "{out}");
}

#[test]
fn asyncio_map_shows_where_the_models_agree_and_differ() {
    let out = run_example("asyncio_map", &[], LIMIT).stdout_text();
    assert!(out.lines().any(|l| l.starts_with("machine: ")), "{out}");
    let s1 = section(&out, "1.", Some("2.")).join("\n");
    assert!(
        s1.contains("after it was created, it has run: false"),
        "{out}"
    );
    assert!(s1.contains("after .await, it has run: true"), "{out}");
    assert!(out.contains("never awaited, it has run: true"), "{out}");
    assert!(
        out.contains(r#"awaited the receiver: "set by another task""#),
        "{out}"
    );
    let s5 = section(&out, "5.", Some("6.")).join("\n");
    let dropped = s5.find("the slow future is dropped").expect("drop");
    let returned = s5.find("timeout returned: Err").expect("Err");
    assert!(dropped < returned, "{out}");
    assert!(!s5.contains("never printed"), "{out}");
    assert!(out.contains(r#""done on the blocking pool""#), "{out}");
}

#[test]
fn asyncio_traps_shows_each_trap_and_its_tokio_answer() {
    let out = run_example("asyncio_traps", &[], LIMIT).stdout_text();
    // 1. Workers sharing one Receiver: each job once, spread over workers.
    let queue = section(&out, "1.", Some("2."));
    let busy = queue
        .iter()
        .filter(|l| l.contains(" handled [") && !l.ends_with("[]"))
        .count();
    assert!(busy >= 2, "the jobs went to one worker only:\n{out}");
    assert!(out.contains("every job exactly once: true"), "{out}");

    // 2. One result, every awaiter gets it.
    for who in ["a", "b", "c"] {
        assert!(
            out.contains(&format!(r#"Shared: awaiter {who} got Ok("the result")"#)),
            "{out}"
        );
    }
    for who in ["a", "b"] {
        assert!(
            out.contains(&format!(
                r#"watch: awaiter {who} got Some(Err("no such user"))"#
            )),
            "{out}"
        );
    }
    assert!(out.contains("sender was dropped: Err(RecvError"), "{out}");

    // 3. Error semantics, in the order the run shows them.
    let errors = section(&out, "3.", Some("4.")).join("\n");
    let at = |needle: &str| {
        errors
            .find(needle)
            .unwrap_or_else(|| panic!("no {needle:?} in:\n{out}"))
    };
    assert!(
        at("slow: finished after 80 ms") < at(r#"join! -> (Err("fast failed"), Ok("slow"))"#),
        "join! waits for both:\n{out}"
    );
    assert!(
        at("slow: dropped unfinished") < at(r#"try_join! -> Err("fast failed")"#),
        "try_join! drops the slow future before it returns:\n{out}"
    );
    assert!(
        errors.contains("the slow task is still running: true"),
        "{out}"
    );
    assert!(
        at(r#"first handle -> Err("fast task failed")"#) < at("slow task: finished after 80 ms"),
        "{out}"
    );
    assert!(
        errors.contains(r#"slow handle -> Ok("slow task")"#),
        "{out}"
    );
    assert!(
        at(r#"join_next -> Err("fast in set failed")"#) < at("slow in set: dropped unfinished"),
        "{out}"
    );
    assert!(
        !errors.contains("slow in set: finished"),
        "the dropped JoinSet aborts:\n{out}"
    );

    // 4. A signal allows an async cleanup; abort only runs destructors.
    let cleanup = section(&out, "4.", Some("5.")).join("\n");
    let flushing = cleanup
        .find("worker: cancelled, flushing")
        .expect("flushing");
    let flushed = cleanup.find("worker: flushed, returning").expect("flushed");
    assert!(flushing < flushed, "{out}");
    assert!(cleanup.contains("dropped unfinished"), "{out}");
    assert!(cleanup.contains("aborted task -> cancelled: true"), "{out}");
    assert!(!out.contains("never printed"), "{out}");

    // 5. abort() on a running spawn_blocking has no effect.
    assert!(
        out.contains(r#"spawn_blocking -> Ok("the closure ran to its end"); finished: true"#),
        "{out}"
    );
}

/// `python3`, if this machine has it. Python is not a requirement for
/// readers, so these tests skip (loudly) without it; CI has it, so there a
/// missing python3 fails instead of hiding untested Python.
fn python3() -> Option<&'static str> {
    let ok = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "python3 is missing in CI: the Python files of chapter 17 must be run there"
        );
        eprintln!("SKIPPED: python3 is not installed; the Python files of chapter 17 were not run");
    }
    ok.then_some("python3")
}

/// Runs `book/futures/python/NAME` with `python3` and returns its output,
/// or `None` when this machine has no python3 (see `python3`).
fn run_python(name: &str) -> Option<String> {
    let py = python3()?;
    let script = paths::root().join("book/futures/python").join(name);
    let mut cmd = Command::new(py);
    cmd.arg(&script);
    let out = process::run_captured(&mut cmd, LIMIT).unwrap();
    assert!(out.success(), "{name}: {}", out.stderr_text());
    Some(out.stdout_text())
}

#[test]
fn asyncio_map_py_agrees_on_the_first_sections() {
    let Some(out) = run_python("asyncio_map.py") else {
        return;
    };
    assert!(
        out.contains("after it was created, it has run: False"),
        "{out}"
    );
    assert!(out.contains("after await, it has run: True"), "{out}");
    assert!(out.contains("never awaited, it has run: True"), "{out}");
    assert!(
        out.contains("awaited the future: 'set by another task'"),
        "{out}"
    );
    let s5 = section(&out, "5.", Some("6.")).join("\n");
    let cancelled = s5.find("got CancelledError").expect("CancelledError");
    let raised = s5
        .find("wait_for raised TimeoutError")
        .expect("TimeoutError");
    assert!(cancelled < raised, "{out}");
}

#[test]
fn asyncio_traps_py_shows_the_python_side() {
    let Some(out) = run_python("asyncio_traps.py") else {
        return;
    };
    assert!(out.contains("every job exactly once: True"), "{out}");
    for who in ["a", "b", "c"] {
        assert!(
            out.contains(&format!("Future: awaiter {who} got 'the result'")),
            "{out}"
        );
    }
    assert!(
        out.contains("Future: awaiter b raised LookupError('no such user')"),
        "{out}"
    );
    assert!(
        out.contains("gather raised RuntimeError('fast failed'); slow still running: True"),
        "gather leaves the other running:\n{out}"
    );
    assert!(out.contains("slow task -> 'slow'"), "{out}");
    let cancelled = out
        .find("slow in group: cancelled unfinished")
        .expect("TaskGroup cancels the sibling");
    let raised = out.find("TaskGroup raised").expect("TaskGroup raised");
    assert!(cancelled < raised, "{out}");
    assert!(!out.contains("slow in group: finished"), "{out}");
    let flushing = out.find("flushing (an await in finally)").expect("finally");
    let flushed = out.find("worker: flushed").expect("flushed");
    assert!(flushing < flushed, "{out}");
    assert!(
        out.contains("the awaiting task was cancelled; thread finished yet: False"),
        "{out}"
    );
    assert!(
        out.contains("the thread ran on to its end anyway: True"),
        "{out}"
    );
}

/// Sends `request` on a new connection and reads the whole answer.
fn exchange(port: u16, request: &[u8]) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.write_all(request).unwrap();
    let mut answer = Vec::new();
    // A server that refuses a request may close before reading all of it,
    // and the kernel then resets the connection: keep what arrived before.
    if let Err(e) = s.read_to_end(&mut answer) {
        assert!(!answer.is_empty(), "no answer before the error: {e}");
    }
    String::from_utf8_lossy(&answer).into_owned()
}

#[test]
fn corrected_asyncio_server_answers_real_clients() {
    let Some(py) = python3() else { return };
    let script = paths::root().join("book/futures/python/asyncio_server.py");
    let mut child = Command::new(py)
        .arg(&script)
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill the server whatever happens below.
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let stdout = child.stdout.take().unwrap();
    let _server = Kill(child);
    let mut first = String::new();
    BufReader::new(stdout).read_line(&mut first).unwrap();
    let port: u16 = first
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no address in {first:?}"));

    let ok = exchange(port, b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assert!(ok.starts_with("HTTP/1.1 200 OK\r\n"), "{ok}");
    let (head, body) = ok.split_once("\r\n\r\n").unwrap();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        length,
        body.len(),
        "Content-Length must match the body:\n{ok}"
    );
    assert!(body.contains("Hello, world!"), "{ok}");

    let bad = exchange(port, b"nonsense\r\n\r\n");
    assert!(bad.starts_with("HTTP/1.1 400 "), "{bad}");

    let mut huge = b"GET / HTTP/1.1\r\nX-Big: ".to_vec();
    // Over the 8 KiB head limit, and small enough to be read whole by the
    // server's stream before it answers.
    huge.extend(std::iter::repeat_n(b'a', 12 * 1024));
    let too_big = exchange(port, &huge);
    assert!(too_big.starts_with("HTTP/1.1 431 "), "{too_big}");

    // After all that, the server still serves.
    let again = exchange(port, b"GET / HTTP/1.1\r\n\r\n");
    assert!(again.starts_with("HTTP/1.1 200 OK\r\n"), "{again}");
}
