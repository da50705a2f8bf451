//! The short programs that the book's Run buttons send to the Rust
//! Playground (`examples/snippet_*.rs`, one or more in every chapter) run
//! here too, end by themselves, and print what their chapters say. Where a
//! chapter claims an order, the test checks that order; timings are only
//! ever checked as rounded or as bounds.

// Not every helper of the shared test module is used here.
#[allow(dead_code)]
mod common;

use std::time::Duration;

/// Runs a snippet and returns its output's lines.
fn lines(name: &str) -> Vec<String> {
    // The Playground stops a program after a few seconds; these end in well
    // under that, and the wide limit here only allows for a loaded machine.
    let out = common::run_example(name, &[], Duration::from_secs(20)).stdout_text();
    out.lines().map(str::to_owned).collect()
}

/// The position of the first line equal to `line`, failing the test if none.
fn at(lines: &[String], line: &str) -> usize {
    lines
        .iter()
        .position(|l| l == line)
        .unwrap_or_else(|| panic!("no line {line:?} in:\n{}", lines.join("\n")))
}

/// The number in the line that starts with `prefix` and ends with `suffix`,
/// failing the test if there is no such line or no number there.
fn number(lines: &[String], prefix: &str, suffix: &str) -> u64 {
    lines
        .iter()
        .find_map(|l| l.strip_prefix(prefix)?.strip_suffix(suffix))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no `{prefix} N{suffix}` in:\n{}", lines.join("\n")))
}

/// The part of a snippet the book shows is short (the Playground gets the
/// whole file, which the site check keeps short too).
#[test]
fn every_snippet_shows_under_40_lines() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !(name.starts_with("snippet_") && name.ends_with(".rs")) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let shown = text
            .lines()
            .skip_while(|l| l.trim() != "// ANCHOR: main")
            .skip(1)
            .take_while(|l| l.trim() != "// ANCHOR_END: main")
            .count();
        assert!(shown > 0, "{name} has no `main` anchor");
        assert!(shown < 40, "{name} shows {shown} lines; at most 39");
        seen += 1;
    }
    assert!(seen >= 27, "expected the 27 snippets, found {seen}");
}

#[test]
fn waiting_tasks_overlap_and_computing_tasks_take_turns() {
    let out = lines("snippet_wait_vs_compute");
    let waiting = number(&out, "3 waiting tasks, 1 thread:   about ", " ms");
    let computing = number(&out, "3 computing tasks, 1 thread: about ", " ms");
    // Rounded to 100 ms. Waits overlap: about one wait (a loaded machine
    // may add a little). Computing on one thread: never less than the sum.
    assert!((100..=200).contains(&waiting), "{out:?}");
    assert!(computing >= 300, "{out:?}");
}

#[test]
fn a_future_runs_only_when_awaited_and_a_task_without_await() {
    let out = lines("snippet_lazy_future");
    assert_eq!(
        out,
        [
            "1. future created; nothing has run yet",
            "  the awaited future runs",
            "2. task spawned; it runs when main next waits",
            "  the spawned task runs",
            "3. done",
        ],
    );
}

#[test]
fn two_tasks_interleave_on_one_thread() {
    let out = lines("snippet_interleave");
    assert_eq!(out.len(), 6, "{out:?}");
    for task in ["A", "B"] {
        let steps: Vec<usize> = (1..=3)
            .map(|s| at(&out, &format!("{task} step {s}")))
            .collect();
        assert!(steps.is_sorted(), "{task}'s steps out of order: {out:?}");
    }
    // Interleaved: each task takes a step before the other has finished.
    assert!(at(&out, "B step 1") < at(&out, "A step 3"), "{out:?}");
    assert!(at(&out, "A step 1") < at(&out, "B step 3"), "{out:?}");
    // The order the chapter shows and explains: tokio 1.54 wakes the tasks
    // that yielded in reverse (runtime/scheduler/defer.rs pops a Vec).
    assert_eq!(
        out,
        [
            "A step 1", "B step 1", "B step 2", "A step 2", "A step 3", "B step 3"
        ],
    );
}

#[test]
fn scoped_threads_each_change_their_own_chunk() {
    let mut out = lines("snippet_scoped_chunks");
    let last = out.pop().unwrap();
    // The threads run at once, so their lines come in any order.
    out.sort();
    assert_eq!(
        out,
        (0..3)
            .map(|i| format!("thread {i} squared its 4 numbers"))
            .collect::<Vec<_>>(),
    );
    assert_eq!(last, "[1, 4, 9, 16, 25, 36, 49, 64, 81, 100, 121, 144]");
}

#[test]
fn opposite_lock_orders_would_deadlock_and_try_lock_detects_it() {
    let out = lines("snippet_lock_order_deadlock");
    assert_eq!(
        out,
        [
            "holds a, wants the other lock: would block",
            "holds b, wants the other lock: would block",
        ],
    );
}

#[test]
fn release_acquire_hands_over_the_data() {
    assert_eq!(lines("snippet_release_acquire"), ["the reader saw 42"]);
}

#[test]
fn a_blocking_call_parks_the_thread_until_data_arrives() {
    let out = lines("snippet_blocking_call");
    assert_eq!(out[0], "calling recv(): this thread now blocks");
    let ms = number(&out, "got \"hello\" after about ", " ms blocked");
    assert!(
        ms >= 200,
        "blocked for less than the peer's 200 ms: {out:?}"
    );
}

#[test]
fn a_pool_runs_at_most_its_worker_count_at_once() {
    let out = lines("snippet_worker_pool");
    // Both workers are busy at once on any machine with two cores; on one
    // core the sleeps still overlap. Never more than the two workers.
    assert_eq!(out, ["8 jobs, 2 workers: at most 2 ran at once"]);
}

#[test]
fn the_poll_loop_handles_sources_in_the_order_they_become_ready() {
    assert_eq!(
        lines("snippet_poll_loop"),
        [
            "source b is ready: handled",
            "source c is ready: handled",
            "source a is ready: handled",
        ],
    );
}

#[test]
fn many_timer_waits_overlap_on_one_thread() {
    assert_eq!(
        lines("snippet_many_waits_one_thread"),
        [
            "10000 tasks finished, 10000 of them on the one thread",
            "all waits overlapped: done in under 2 s: true",
        ],
    );
}

#[test]
fn threads_take_one_os_thread_each_and_tasks_share_the_workers() {
    assert_eq!(
        lines("snippet_threads_vs_tasks"),
        [
            "100 jobs as threads ran on 100 OS threads",
            "100 jobs as tasks ran on at most 2 threads: true",
        ],
    );
}

#[test]
fn a_coroutine_suspends_and_resumes_keeping_its_locals() {
    assert_eq!(
        lines("snippet_suspend_resume"),
        [
            "  body: step 1, total 1, suspending",
            "poll 1: Pending (suspended)",
            "  body: step 2, total 3, suspending",
            "poll 2: Pending (suspended)",
            "poll 3: Ready(3)",
        ],
    );
}

#[test]
fn a_future_keeps_what_lives_across_its_awaits() {
    let out = lines("snippet_future_size");
    let small = number(&out, "small():", " bytes");
    let big = number(&out, "holds_a_buffer():", " bytes");
    assert!(small < 4096, "{out:?}");
    assert!(
        big >= 4096 + small / 2,
        "the buffer must be in the future: {out:?}"
    );
    assert_eq!(out.len(), 2, "{out:?}");
}

#[test]
fn the_coop_budget_makes_an_always_ready_loop_yield() {
    // tokio 1.54 gives a task a budget of 128 operations per poll
    // (task/coop/mod.rs, `Budget::initial`).
    assert_eq!(
        lines("snippet_coop_budget"),
        ["main received 128 ready messages before the other task ran"],
    );
}

#[test]
fn a_hand_written_timer_future_is_pending_until_woken() {
    assert_eq!(
        lines("snippet_timer_future"),
        [
            "poll: Pending (waker stored)",
            "  timer thread: wake()",
            "poll: Ready",
            "the timer future completed",
        ],
    );
}

#[test]
fn block_on_parks_until_woken() {
    let out = lines("snippet_block_on");
    assert_eq!(out.len(), 2, "{out:?}");
    // At least one Pending poll then the Ready one; a spurious unpark may
    // add a poll, never remove one.
    let polls = number(&out, "block_on: Ready after ", " polls");
    assert!(polls >= 2, "{out:?}");
    assert_eq!(out[1], "got: sent from another thread");
}

#[test]
fn pin_set_replaces_the_deadline_in_place() {
    assert_eq!(
        lines("snippet_pin_set"),
        [
            "message 1: deadline pushed back",
            "message 2: deadline pushed back",
            "message 3: deadline pushed back",
            "200 ms of silence: deadline reached",
        ],
    );
}

#[test]
fn a_joinset_yields_results_in_finishing_order() {
    assert_eq!(
        lines("snippet_joinset"),
        [
            "task 2 finished",
            "task 4 finished",
            "task 3 finished",
            "1 task still running: dropping the set aborts it",
        ],
    );
}

#[test]
fn a_bounded_channel_makes_the_producer_wait() {
    let out = lines("snippet_backpressure");
    let consumer = at(&out, "-- consumer starts; the producer is waiting for room");
    // Only the channel's two places were filled before the consumer began.
    assert_eq!(out[..consumer], ["sent 1", "sent 2"], "{out:?}");
    for i in 1..=5 {
        assert!(at(&out, &format!("    received {i}")) > consumer);
    }
    // Each later send happens only after a receive made room.
    for i in 3..=5 {
        let sent = at(&out, &format!("sent {i}"));
        assert!(
            at(&out, &format!("    received {}", i - 2)) < sent,
            "{out:?}"
        );
    }
}

#[test]
fn timeout_and_select_drop_the_slower_future() {
    assert_eq!(
        lines("snippet_timeout"),
        [
            "in time: the answer",
            "timed out after 200 ms; the slow future was dropped",
            "select: the 100 ms sleep won",
        ],
    );
}

#[test]
fn blocking_in_a_task_stops_the_others_and_spawn_blocking_does_not() {
    assert_eq!(
        lines("snippet_spawn_blocking"),
        [
            "ticks while blocking in the task:   0",
            "ticks while in spawn_blocking:      more than 0: true",
        ],
    );
}

#[test]
fn a_semaphore_bounds_the_work_at_once() {
    assert_eq!(
        lines("snippet_semaphore_limit"),
        ["10 requests, 3 permits: at most 3 at once"],
    );
}

#[test]
fn broadcast_gives_everyone_every_message_and_reports_lag() {
    assert_eq!(
        lines("snippet_broadcast"),
        [
            "alice got \"hello\"",
            "bob got   \"hello\"",
            "bob lagged: missed 1 message(s)",
            "bob got   \"two\"",
            "bob got   \"three\"",
        ],
    );
}

#[test]
fn waiting_for_a_signal_needs_no_sleep() {
    assert_eq!(
        lines("snippet_signal_not_sleep"),
        [
            "worker is ready (no sleep was needed)",
            "the check holds: the cache has 1 entry",
        ],
    );
}

#[test]
fn every_interleaving_is_tried_and_four_lose_an_update() {
    let out = lines("snippet_all_interleavings");
    assert_eq!(out.len(), 7, "{out:?}");
    assert_eq!(out[6], "4 of 6 schedules lose an update");
    assert!(out.contains(&"schedule [0, 0, 1, 1]: counter = 2 ok".to_string()));
    assert!(out.contains(&"schedule [0, 1, 0, 1]: counter = 1 LOST UPDATE".to_string()));
}

#[test]
fn random_schedules_find_the_race_and_its_seed_replays() {
    let out = lines("snippet_random_schedules");
    let found = number(&out, "100 random schedules: ", " let both threads win");
    assert!(found > 0 && found < 100, "{out:?}");
    assert!(
        out[1].starts_with("replay: seed ") && out[1].ends_with(" fails again: true"),
        "{out:?}"
    );
}

#[test]
fn runtime_metrics_count_the_alive_tasks() {
    assert_eq!(
        lines("snippet_runtime_metrics"),
        [
            "worker threads: 1",
            "tasks alive after spawning five: 5",
            "tasks alive after they finished: 0",
        ],
    );
}
