//! Chapter 8's tools: what `load` and `server_showdown` print. The tests
//! assert the shape of the output and orders of magnitude that follow from
//! the programs' own design (the demo responder's stalls), never measured
//! speeds.

// Not every helper in common is used here.
#[allow(dead_code)]
mod common;

use common::run_example;
use harness::paths;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(20);

/// The number after `"key":` in one line of `load --json`.
fn field(json: &str, key: &str) -> String {
    let from = json
        .find(&format!("\"{key}\":"))
        .unwrap_or_else(|| panic!("no {key} in {json}"))
        + key.len()
        + 3;
    json[from..]
        .split([',', '}'])
        .next()
        .expect("a value")
        .to_string()
}

fn number(json: &str, key: &str) -> f64 {
    field(json, key)
        .parse()
        .unwrap_or_else(|_| panic!("{key} is not a number in {json}"))
}

/// The cells of a table row: columns are at least two spaces apart, and a
/// cell holds at most single spaces (`95 µs`, `≥ 348 ms`).
fn cells(row: &str) -> Vec<&str> {
    row.split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect()
}

#[test]
fn load_demo_open_loop_sees_the_stall_that_the_closed_loop_hides() {
    let out = run_example("load", &["--demo", "--seconds", "1", "--json"], LIMIT).stdout_text();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    let (closed, open) = (lines[0], lines[1]);
    assert_eq!(field(closed, "rate"), "null", "{closed}");
    assert_eq!(number(open, "rate"), 4000.0, "{open}");
    for run in [closed, open] {
        assert_eq!(number(run, "errors"), 0.0, "{run}");
        assert_eq!(
            number(run, "samples"),
            number(run, "ok") + number(run, "timeouts"),
            "{run}"
        );
        // The responder stalls 100 ms in every 500 ms: both runs met a stall.
        assert!(number(run, "max_ms") >= 50.0, "{run}");
    }
    // Open loop: 4,000 requests due over one second, each answered or
    // counted, whatever the answers.
    assert_eq!(number(open, "samples"), 4000.0, "{open}");
    // A fifth of the open loop's requests fall due during a stall and wait
    // for it, measured from their due time. Timed from the send, as a
    // closed loop times them, only the one request per connection caught
    // in flight by each stall sees it: well under 1% of the samples.
    assert!(number(open, "p99_ms") >= 50.0, "{open}");
    assert!(number(open, "p99_from_send_ms") < 50.0, "{open}");
    assert!(number(closed, "p99_ms") < 50.0, "{closed}");
}

#[test]
fn load_demo_prints_both_modes_with_their_sample_counts() {
    // The book's run: the text, then both distributions on one chart.
    let book = run_example("load", &["--demo", "--seconds", "0.5", "--book"], LIMIT).stdout_text();
    let problems = course::chart::check_book(
        &book,
        &[
            "Latency distributions: the same server, the same stalls",
            "latency (ms)",
            "closed loop",
            "open, from send",
            "open, from due",
        ],
    );
    assert!(problems.is_empty(), "{problems:?}\n{book}");
    assert_eq!(book.matches("<svg").count(), 1, "{book}");
    let out = course::chart::book_text(&book).expect("the text, in a code block");
    let header = out
        .lines()
        .find(|l| l.starts_with("mode"))
        .unwrap_or_else(|| panic!("no table in:\n{out}"));
    assert_eq!(
        cells(header),
        [
            "mode", "rate", "answered", "req/s", "errors", "timeouts", "samples", "p50", "p90",
            "p99", "max"
        ],
        "{out}"
    );
    for mode in ["closed loop", "open, from send", "open, from due"] {
        let row = out
            .lines()
            .find(|l| l.starts_with(mode))
            .unwrap_or_else(|| panic!("no {mode} row in:\n{out}"));
        let c = cells(row);
        assert_eq!(c.len(), 11, "{row}");
        let samples: u64 = c[6].parse().expect("a sample count");
        assert!(samples >= 100, "{row}");
        assert!(c[4] == "0" && c[5] == "0", "no errors, no timeouts: {row}");
    }
    assert!(out.contains("machine: "), "{out}");
    // No timeouts, so no percentile is drawn as a lower bound.
    assert!(!book.contains("at-least"), "{book}");
}

#[test]
fn load_open_loop_against_a_server_prints_both_views() {
    // run_example builds every example first.
    run_example("load", &["--demo", "--requests", "10", "--json"], LIMIT);
    let mut server = Command::new(paths::release_example("async_server"))
        .args(["--addr", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start async_server");
    let mut line = String::new();
    BufReader::new(server.stdout.take().expect("piped"))
        .read_line(&mut line)
        .expect("its first line");
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    let out = Command::new(paths::release_example("load"))
        .args([
            &addr,
            "--rate",
            "200",
            "--seconds",
            "0.5",
            "--connections",
            "4",
        ])
        .output()
        .expect("run load");
    let _ = server.kill();
    let _ = server.wait();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    for mode in ["open, from send", "open, from due"] {
        let row = text
            .lines()
            .find(|l| l.starts_with(mode))
            .unwrap_or_else(|| panic!("no {mode} row in:\n{text}"));
        let c = cells(row);
        assert_eq!((c[1], c[6]), ("200/s", "100"), "100 requests due: {row}");
    }
}

#[test]
fn load_refuses_bad_rates_with_exit_2() {
    let load = paths::release_example("load");
    // run_example builds every example first.
    run_example("load", &["--demo", "--requests", "10", "--json"], LIMIT);
    for args in [
        &["--demo", "--rate", "0"][..],
        &["--demo", "--rate", "-5"],
        &["--demo", "--rate", "fast"],
        &["--demo", "--rate"],
        &["127.0.0.1:9", "--idle", "5", "--rate", "10"],
        &["--demo", "--seconds", "0"],
    ] {
        let out = Command::new(&load).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with("load: ") && err.contains("usage:"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn showdown_refuses_arguments_with_exit_2() {
    // run_example builds every example first.
    run_example("load", &["--demo", "--requests", "10", "--json"], LIMIT);
    let out = Command::new(paths::release_example("server_showdown"))
        .arg("--cells")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("usage: server_showdown"), "{err}");
}

#[test]
fn showdown_prints_one_row_per_server_load_and_wait_with_sample_counts() {
    // The book's run: the charts, then the table folded under them.
    let book = run_example("server_showdown", &["--book"], Duration::from_secs(60)).stdout_text();
    let problems = course::chart::check_book(
        &book,
        &[
            "Throughput against clients, 0 ms backend wait",
            "p99 latency against clients, 0 ms backend wait",
            "Throughput against clients, 20 ms backend wait",
            "p99 latency against clients, 20 ms backend wait",
            "sync",
            "threaded",
            "pool",
            "async",
        ],
    );
    assert!(problems.is_empty(), "{problems:?}\n{book}");
    assert_eq!(book.matches("<svg").count(), 4, "{book}");
    let out = course::chart::book_text(&book).expect("the table, folded");
    let header = out
        .lines()
        .find(|l| l.starts_with("server"))
        .unwrap_or_else(|| panic!("no table in:\n{out}"));
    let names = cells(header);
    assert_eq!(
        names,
        [
            "server", "wait", "clients", "req/s", "n", "p50", "p99", "errors", "timeouts",
            "threads", "peak RSS", "peak VM"
        ],
        "{out}"
    );
    // How many p99 cells are lower bounds: the charts must draw each of
    // them with an open marker, none as an exact value.
    let mut bounded = 0;
    for server in ["sync ", "threaded ", "pool ", "async "] {
        let rows: Vec<&str> = out.lines().filter(|l| l.starts_with(server)).collect();
        assert_eq!(rows.len(), 6, "{server}:\n{out}");
        for row in rows {
            let c = cells(row);
            assert_eq!(c.len(), names.len(), "{row}");
            let n: u64 = c[4].parse().expect("a sample count");
            let timeouts: u64 = c[8].parse().expect("a timeout count");
            // Below 100 samples, the nearest-rank p99 is the largest one.
            assert_eq!(c[6].ends_with("(max)"), n < 100 && n > 0, "{row}");
            // Only a timed-out request makes a percentile a lower bound.
            if c[5].starts_with('≥') || c[6].starts_with('≥') {
                assert!(timeouts > 0, "{row}");
            }
            bounded += usize::from(c[6].starts_with('≥'));
            let mib = |s: &str| -> f64 { s.trim_end_matches(" MiB").parse().expect("MiB") };
            assert!(mib(c[11]) >= mib(c[10]), "VM holds RSS: {row}");
        }
    }
    assert!(out.contains("machine: "), "{out}");
    let open = book.matches(r#"class="at-least""#).count();
    let legends = book
        .matches(&format!(">{}<", course::chart::LOWER_BOUND))
        .count();
    // Each p99 chart with a lower bound explains the open marker with one.
    assert_eq!(
        open,
        bounded + legends,
        "{bounded} p99 cells are lower bounds"
    );
    assert_eq!(legends > 0, bounded > 0);
}
