//! Part II's programs: the demos print what the chapters say, and every
//! server answers bad input with real TCP clients (loopback, real time,
//! short timeouts). These tests assert answers and the order of events,
//! never durations.

mod common;
mod servers;

use common::{run_example, section};
use course::client;
use servers::{built, start, start_with};
use std::io::{Read, Write};
use std::process::Command;
use std::thread;
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(20);

/// The line index of the first line containing `needle`.
fn at(out: &str, needle: &str) -> usize {
    out.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} in:\n{out}"))
}

#[test]
fn sync_server_demo_serves_one_client_at_a_time() {
    let out = run_example("sync_server", &["--demo"], LIMIT).stdout_text();
    // Both clients sent before either got an answer, and the answers came
    // one after the other.
    assert!(at(&out, "B sends") < at(&out, "gets 200"), "{out}");
    let two = section(&out, "Two clients", Some("Bad requests"));
    assert_eq!(
        two.iter().filter(|l| l.contains(" gets 200")).count(),
        2,
        "{out}"
    );
    assert_eq!(out.matches("gets 200").count(), 3, "{out}");
    assert!(out.contains("not HTTP at all      -> 400"), "{out}");
    assert!(out.contains("a 9 KiB header       -> 431"), "{out}");
    // C waits until the idle client is cut off: one at a time.
    assert!(
        at(&out, "idle client cut off by the server (closed)") < at(&out, "C gets 200"),
        "{out}"
    );
    assert!(out.contains("machine: "), "{out}");
}

#[test]
fn threaded_server_demo_serves_while_an_idle_client_waits() {
    let out = run_example("threaded_server", &["--demo"], LIMIT).stdout_text();
    let last_send = ["A sends", "B sends", "C sends"]
        .map(|s| at(&out, s))
        .into_iter()
        .max()
        .unwrap();
    assert!(
        last_send < at(&out, "gets 200"),
        "all three are in flight together:\n{out}"
    );
    // The idle client is cut off after the others were served, not before.
    assert!(
        at(&out, "idle client cut off by the server (closed)") > at(&out, "gets 200"),
        "{out}"
    );
    let threads: Vec<u64> = out
        .lines()
        .filter(|l| {
            l.contains("threads in this process")
                || l.contains("more idle connections")
                || l.contains("after they close")
        })
        .map(|l| {
            l.rsplit(' ')
                .next()
                .unwrap()
                .parse()
                .expect("a thread count")
        })
        .collect();
    assert_eq!(threads.len(), 3, "{out}");
    assert!(
        threads[1] >= threads[0] + 50,
        "50 idle connections hold 50 threads:\n{out}"
    );
}

#[test]
fn pool_server_demo_answers_503_when_the_queue_is_full() {
    let out = run_example("pool_server", &["--demo"], LIMIT).stdout_text();
    assert_eq!(out.matches("gets 200").count(), 4, "{out}");
    assert_eq!(out.matches("gets 503").count(), 2, "{out}");
    // The rejected clients hear at once, before the first answer.
    assert!(at(&out, "gets 503") < at(&out, "gets 200"), "{out}");
}

#[test]
fn async_server_demo_limits_times_out_and_shuts_down_gracefully() {
    let out = run_example("async_server", &["--demo"], LIMIT).stdout_text();
    assert!(at(&out, "C sends") < at(&out, "gets 200"), "{out}");
    assert!(
        at(&out, "idle client cut off by the server (closed)") > at(&out, "gets 200"),
        "{out}"
    );
    assert_eq!(
        out.matches("200 (Connection: keep-alive)").count(),
        2,
        "{out}"
    );
    assert!(
        out.contains("not HTTP at all -> 400") && out.contains("a 9 KiB header  -> 431"),
        "{out}"
    );
    assert!(at(&out, "D sends") < at(&out, "D gets 200"), "{out}");
    assert!(
        at(&out, "shutdown begins") < at(&out, "the in-flight request still got 200"),
        "{out}"
    );
    assert!(out.contains("a new client is refused: true"), "{out}");
}

#[test]
fn event_loop_demo_serves_quick_clients_while_a_slow_one_trickles() {
    let out = run_example("event_loop", &["--demo"], LIMIT).stdout_text();
    assert!(
        at(&out, "connection 1: head not complete yet") < at(&out, "connection 2: answer sent"),
        "{out}"
    );
    assert!(
        at(&out, "connection 3: answer sent") < at(&out, "connection 1: answer sent"),
        "{out}"
    );
    assert!(out.contains("the slow client got 200"), "{out}");
}

// ---- Bad input, against each server as a child process ------------------

fn status(r: std::io::Result<Option<client::Reply>>) -> Option<u16> {
    r.expect("the server answered or closed cleanly")
        .map(|r| r.status)
}

/// Everything every server must survive, in order, then a normal request.
fn bad_input(name: &str, one_at_a_time: bool) {
    let server = start(name, &[]);
    let addr = server.addr;
    assert_eq!(
        status(client::send(addr, client::MALFORMED_REQUEST)),
        Some(400),
        "{name}: malformed"
    );
    assert_eq!(
        status(client::send(addr, &client::oversized_request())),
        Some(431),
        "{name}: oversized head"
    );
    // A head that starts but never ends: 408 once its deadline passes.
    assert_eq!(
        status(client::send(addr, b"GET / HTTP/1.1\r\nHost: x\r\n")),
        Some(408),
        "{name}: unfinished head"
    );

    // A trickling client (one byte at a time, for longer than the deadline)
    // is cut off, and a client arriving meanwhile is served.
    let trickler = thread::spawn(move || {
        let mut s = client::connect(addr).unwrap();
        for b in b"GET / HTTP/1.1\r\nHost: slow-client\r\n" {
            if s.write_all(&[*b]).is_err() {
                break;
            }
            thread::sleep(Duration::from_millis(30));
        }
        let mut rest = Vec::new();
        let _ = s.read_to_end(&mut rest);
        String::from_utf8_lossy(&rest).into_owned()
    });
    thread::sleep(Duration::from_millis(50));
    let other = client::get(addr).expect("another client is served").status;
    assert_eq!(other, 200, "{name}");
    let trickled = trickler.join().unwrap();
    assert!(
        trickled.is_empty() || trickled.starts_with("HTTP/1.1 408"),
        "{name}: trickler got {trickled:?}"
    );
    if !one_at_a_time {
        // Served while the trickler still held its connection.
        assert!(trickled.starts_with("HTTP/1.1 408"), "{name}");
    }

    // Clients that vanish mid-request or mid-response harm nothing.
    for _ in 0..20 {
        let mut s = client::connect(addr).unwrap();
        let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: gone\r\n\r\n");
        drop(s);
    }
    let mut s = client::connect(addr).unwrap();
    let _ = s.write_all(b"GET / HT");
    drop(s);
    assert_eq!(
        client::get(addr).expect("still serving").status,
        200,
        "{name}"
    );

    // Content-Length matches the body (read_reply checks it exactly).
    let reply = client::get(addr).unwrap();
    assert!(
        String::from_utf8_lossy(&reply.body).contains("Hello, world!"),
        "{name}"
    );

    let mut server = server;
    let _ = server.child.kill();
    let mut err = String::new();
    server
        .child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(!err.contains("panicked"), "{name} panicked:\n{err}");
}

#[test]
fn sync_server_survives_bad_input() {
    // One at a time: the client arriving behind a trickler is served only
    // after the trickler's deadline has passed.
    bad_input("sync_server", true);
}

#[test]
fn threaded_server_survives_bad_input() {
    bad_input("threaded_server", false);
}

#[test]
fn pool_server_survives_bad_input() {
    bad_input("pool_server", false);
}

#[test]
fn event_loop_survives_bad_input() {
    bad_input("event_loop", false);
}

#[test]
fn async_server_survives_bad_input() {
    bad_input("async_server", false);
}

#[test]
fn servers_refuse_bad_flags_with_exit_2() {
    for name in [
        "sync_server",
        "threaded_server",
        "pool_server",
        "async_server",
        "event_loop",
        "load",
    ] {
        let out = Command::new(built(name))
            .arg("--no-such-flag")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert!(!out.stderr.is_empty(), "{name} says why");
    }
}

/// Ctrl-C (SIGINT) while a request is in flight: the request is answered,
/// then the server exits 0 and says it stopped.
fn graceful(name: &str) {
    let mut server = start(name, &["--wait-ms", "300"]);
    let addr = server.addr;
    let in_flight = thread::spawn(move || client::get(addr).map(|r| r.status));
    thread::sleep(Duration::from_millis(100));
    let pid = server.child.id().to_string();
    let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(sent.success());
    assert_eq!(
        in_flight.join().unwrap().expect("answered"),
        200,
        "{name}: the in-flight request is finished"
    );
    // Wait (bounded) for the exit.
    let mut status = None;
    for _ in 0..100 {
        if let Some(s) = server.child.try_wait().unwrap() {
            status = Some(s);
            break;
        }
        thread::sleep(Duration::from_millis(50));
    }
    let status = status.unwrap_or_else(|| panic!("{name} did not exit after Ctrl-C"));
    assert!(status.success(), "{name}: {status:?}");
    let mut out = String::new();
    server.out.read_to_string(&mut out).unwrap();
    assert!(out.contains("stopped"), "{name} printed: {out:?}");
    assert!(
        client::get(addr).is_err(),
        "{name} still accepts after stopping"
    );
}

/// The mio loop has no backend wait to hold a request in flight, so the
/// client holds it: half a request head before Ctrl-C, the rest after.
#[test]
fn event_loop_finishes_a_started_request_after_ctrl_c_then_exits() {
    let mut server = start("event_loop", &[]);
    let mut c = client::connect(server.addr).unwrap();
    c.write_all(b"GET / HTTP/1.1\r\n").unwrap();
    thread::sleep(Duration::from_millis(100));
    let pid = server.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    thread::sleep(Duration::from_millis(100));
    c.write_all(b"Host: x\r\n\r\n").unwrap();
    let reply = client::read_reply(&mut c).unwrap().expect("an answer");
    assert_eq!(reply.status, 200, "the started request is finished");
    let status = (0..100)
        .find_map(|_| {
            let s = server.child.try_wait().unwrap();
            if s.is_none() {
                thread::sleep(Duration::from_millis(50));
            }
            s
        })
        .expect("event_loop did not exit after Ctrl-C");
    assert!(status.success(), "{status:?}");
    let mut out = String::new();
    server.out.read_to_string(&mut out).unwrap();
    assert!(out.contains("stopped"), "event_loop printed: {out:?}");
    assert!(
        client::get(server.addr).is_err(),
        "still accepts after stopping"
    );
}

#[test]
fn servers_shut_down_gracefully_on_ctrl_c() {
    for name in [
        "sync_server",
        "threaded_server",
        "pool_server",
        "async_server",
    ] {
        graceful(name);
    }
}

/// With a hard limit of 24 open files, 40 connections run the server out of
/// file descriptors ("too many open files"). Once they close, the server
/// must still accept and answer.
fn survives_running_out_of_files(name: &str) {
    let mut prlimit = Command::new("prlimit");
    prlimit.args(["--nofile=24:24"]).arg(built(name));
    if Command::new("prlimit").arg("--version").output().is_err() {
        panic!("this test needs `prlimit` (util-linux) to lower the open-file limit");
    }
    let server = start_with(prlimit, &[]);
    let addr = server.addr;
    let crowd: Vec<_> = (0..40).filter_map(|_| client::connect(addr).ok()).collect();
    thread::sleep(Duration::from_millis(300));
    drop(crowd);
    thread::sleep(Duration::from_millis(600));
    let reply = client::get(addr).expect("served after running out of files");
    assert_eq!(reply.status, 200, "{name}");
    let mut server = server;
    let _ = server.child.kill();
    let mut err = String::new();
    server
        .child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(
        err.contains("Too many open files"),
        "{name} never ran out of files, so this test proved nothing:\n{err}"
    );
    assert!(!err.contains("panicked"), "{name} panicked:\n{err}");
}

#[test]
fn accept_loops_survive_too_many_open_files() {
    for name in ["threaded_server", "pool_server", "async_server"] {
        survives_running_out_of_files(name);
    }
}
