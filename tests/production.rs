//! Part V's programs: `chat_server` against real TCP clients, `bad_clients`
//! against the real `async_server`, `choose_model`'s report, `overload`,
//! `structured_shutdown`, `mutex_across_await` and chapter 18's snippets. Every assertion is about what happened and in
//! which order, never about how long it took.

mod common;

use common::{run_example, section};
use harness::paths;
use std::io::{BufRead, BufReader as StdBufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpSocket, TcpStream};
use tokio::time::timeout;

/// Every wait on the server is bounded, so a broken server fails a test
/// instead of hanging it.
const WAIT: Duration = Duration::from_secs(5);

// ---------------------------------------------------------------- demo

#[test]
fn chat_demo_shows_the_slow_reader_kicked_and_everyone_else_served() {
    let out = run_example("chat_server", &["--demo"], Duration::from_secs(10)).stdout_text();
    // Each client's transcript runs from "NAME saw:" to the next blank line.
    let seen = |who: &str| {
        out.lines()
            .skip_while(|l| *l != format!("{who} saw:"))
            .skip(1)
            .take_while(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    };

    // Fast readers got every line of the flood; the slow one got some, then
    // the notice, instead of holding them up.
    assert!(out.contains("alice received 400 of 400"), "{out}");
    assert!(out.contains("bob   received 400 of 400"), "{out}");
    let dave_line = out
        .lines()
        .find(|l| l.trim_start().starts_with("dave  received"))
        .expect("no line for dave");
    let dave_got: usize = dave_line
        .split_whitespace()
        .nth(2)
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        dave_got < 400,
        "the slow reader cannot have had all 400:\n{out}"
    );
    let dave = seen("dave");
    assert!(
        dave.trim_end().ends_with("disconnected as too slow"),
        "dave's last line is the notice:\n{dave}"
    );
    let alice = seen("alice");
    assert!(alice.contains("*** dave left (too slow"), "{alice}");

    // Bad input was answered, and ended only mallory's session.
    let mallory = seen("mallory");
    assert!(mallory.contains("not valid UTF-8; not sent"), "{mallory}");
    assert!(
        mallory.trim_end().ends_with("disconnecting"),
        "an over-long line ends the session with a notice:\n{mallory}"
    );
    assert!(
        alice.contains("*** mallory left (line too long)"),
        "{alice}"
    );

    // The conversation, in order, as bob saw it.
    let bob = seen("bob");
    let order = [
        "alice: hi bob!",
        "*** here: alice, bob",
        "*** carol joined",
        "*** carol left (quit)",
        "*** server shutting down, bye",
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|l| {
            bob.find(l)
                .unwrap_or_else(|| panic!("bob never saw `{l}`:\n{bob}"))
        })
        .collect();
    assert!(positions.is_sorted(), "out of order:\n{bob}");
    assert!(out.lines().any(|l| l.starts_with("machine: ")), "{out}");
}

// ---------------------------------------------------------------- serve mode

/// `chat_server --addr 127.0.0.1:0` as a child process, killed on drop.
struct Server {
    child: Child,
    addr: SocketAddr,
    /// The second line: the connection limit and the send buffer kept.
    limits: String,
    stdout: StdBufReader<std::process::ChildStdout>,
}

fn chat_server_binary() -> std::path::PathBuf {
    static BUILT: OnceLock<()> = OnceLock::new();
    BUILT.get_or_init(|| {
        let status = Command::new(paths::cargo())
            .current_dir(paths::root())
            .args(["build", "--quiet", "--release", "--example", "chat_server"])
            .status()
            .expect("could not run cargo");
        assert!(status.success(), "building chat_server failed");
    });
    paths::release_example("chat_server")
}

impl Server {
    fn start() -> Server {
        Server::with(&[])
    }

    fn with(args: &[&str]) -> Server {
        let mut child = Command::new(chat_server_binary())
            .args(["--addr", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("could not start chat_server");
        let mut stdout = StdBufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        stdout.read_line(&mut first).unwrap();
        // "chat on 127.0.0.1:PORT: connect with ..."
        let addr = first
            .strip_prefix("chat on ")
            .and_then(|rest| rest.split(": ").next())
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("no address in the first line: {first:?}"));
        let mut limits = String::new();
        stdout.read_line(&mut limits).unwrap();
        Server {
            child,
            addr,
            limits,
            stdout,
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Client {
    lines: tokio::io::Lines<BufReader<OwnedReadHalf>>,
    writer: OwnedWriteHalf,
}

impl Client {
    async fn connect(addr: SocketAddr) -> Client {
        Client::over(TcpStream::connect(addr).await.unwrap()).await
    }

    async fn over(stream: TcpStream) -> Client {
        let (r, writer) = stream.into_split();
        let mut c = Client {
            lines: BufReader::new(r).lines(),
            writer,
        };
        c.expect("what is your name?").await;
        c
    }

    async fn join(addr: SocketAddr, name: &str) -> Client {
        let mut c = Client::connect(addr).await;
        c.send(name.as_bytes()).await;
        c.expect(&format!("*** hello {name}!")).await;
        c
    }

    async fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).await.unwrap();
        self.writer.write_all(b"\n").await.unwrap();
    }

    async fn line(&mut self) -> Option<String> {
        timeout(WAIT, self.lines.next_line())
            .await
            .expect("the server said nothing for 5 s")
            .ok()
            .flatten()
    }

    /// Reads until a line containing `text`; returns the lines before it.
    async fn expect(&mut self, text: &str) -> Vec<String> {
        let mut before = Vec::new();
        loop {
            match self.line().await {
                Some(line) if line.contains(text) => return before,
                Some(line) => before.push(line),
                None => panic!("connection closed before `{text}`; got {before:?}"),
            }
        }
    }

    /// Reads everything up to the end of the connection.
    async fn rest(&mut self) -> Vec<String> {
        let mut all = Vec::new();
        while let Some(line) = self.line().await {
            all.push(line);
        }
        all
    }
}

#[tokio::test]
async fn messages_reach_everyone_but_the_sender() {
    let server = Server::start();
    let mut alice = Client::join(server.addr, "alice").await;
    let mut bob = Client::join(server.addr, "bob").await;
    alice.expect("*** bob joined").await;
    bob.send(b"hello alice").await;
    bob.send(b"/who").await;
    alice.expect("bob: hello alice").await;
    let before = bob.expect("*** here: alice, bob").await;
    assert!(
        before.iter().all(|l| !l.contains("bob: hello alice")),
        "the sender does not get its own message back: {before:?}"
    );
    bob.send(b"/quit").await;
    assert_eq!(bob.rest().await, ["*** bye"]);
    alice.expect("*** bob left (quit)").await;
}

#[tokio::test]
async fn names_must_be_valid_and_free() {
    let server = Server::start();
    let _alice = Client::join(server.addr, "alice").await;
    let mut other = Client::connect(server.addr).await;
    other.send(b"alice").await;
    other.expect("that name is taken").await;
    other.send(b"no spaces please").await;
    other.expect("a name is 1 to 20").await;
    other.send(b"alice2").await;
    other.expect("*** hello alice2!").await;
}

#[tokio::test]
async fn a_slow_reader_is_disconnected_and_never_stalls_the_others() {
    let server = Server::start();
    // The slow reader: a small receive buffer, and it reads nothing.
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut slow = Client::over(socket.connect(server.addr).await.unwrap()).await;
    slow.send(b"slow").await;

    let mut talker = Client::join(server.addr, "talker").await;
    let mut reader = Client::join(server.addr, "reader").await;
    let pad = "x".repeat(900);
    let mut kicked_after = None;
    for burst in 0..20 {
        for i in 0..25 {
            talker
                .send(format!("line {} {pad}", burst * 25 + i).as_bytes())
                .await;
        }
        // The reader gets the whole burst: nothing waits for the slow one.
        let before = reader.expect(&format!("line {} ", burst * 25 + 24)).await;
        if before.iter().any(|l| l.contains("*** slow left (too slow")) {
            kicked_after.get_or_insert(burst);
        }
    }
    assert!(
        kicked_after.is_some(),
        "500 lines of 900 bytes never filled the slow reader's queue"
    );
    // When the slow one finally reads, it finds part of the talk, then the
    // notice, then the end of the connection.
    let got = slow.rest().await;
    assert!(
        got.last()
            .is_some_and(|l| l.contains("disconnected as too slow")),
        "last lines: {:?}",
        &got[got.len().saturating_sub(2)..]
    );
    assert!(got.iter().filter(|l| l.starts_with("talker: line")).count() < 500);
}

#[tokio::test]
async fn bad_input_is_answered_and_the_server_keeps_serving() {
    let server = Server::start();
    let mut alice = Client::join(server.addr, "alice").await;
    let mut mallory = Client::join(server.addr, "mallory").await;
    mallory.send(b"\xFF\xFE not utf-8").await;
    mallory.expect("not valid UTF-8; not sent").await;
    mallory.send(&[b'a'; 100_000]).await;
    let last = mallory.rest().await;
    assert!(
        last.last()
            .is_some_and(|l| l.contains("line longer than 1024 bytes")),
        "{last:?}"
    );
    let before = alice.expect("*** mallory left (line too long)").await;
    assert!(
        before.iter().all(|l| !l.starts_with("mallory:")),
        "neither bad line was broadcast: {before:?}"
    );
    // A client that vanishes mid-line is a plain disconnect.
    let mut gone = Client::join(server.addr, "gone").await;
    gone.writer.write_all(b"half a li").await.unwrap();
    drop(gone);
    alice.expect("*** gone left (connection closed)").await;
    // And the server still works for everyone else.
    let mut bob = Client::join(server.addr, "bob").await;
    bob.send(b"still here?").await;
    alice.expect("bob: still here?").await;
}

/// More real clients than `--max-clients`: the ones over the limit read a
/// clear line and a normal end of connection, the room goes on working, and
/// a slot freed by a client that leaves is taken by the next newcomer.
/// Unnamed connections hold slots too.
#[tokio::test]
async fn a_full_server_turns_newcomers_away_and_the_room_stays_usable() {
    let server = Server::with(&["--max-clients", "3", "--max-per-peer", "3"]);
    assert!(
        server.limits.contains("limits: 3 clients at once"),
        "{}",
        server.limits
    );
    let mut alice = Client::join(server.addr, "alice").await;
    let mut bob = Client::join(server.addr, "bob").await;
    let _unnamed = Client::connect(server.addr).await; // holds the third slot
    alice.expect("*** bob joined").await;
    for _ in 0..3 {
        let mut late = TcpStream::connect(server.addr).await.unwrap();
        // It even says something first: the unread line must not turn the
        // server's close into a reset that destroys the answer.
        late.write_all(b"carol\n").await.unwrap();
        let mut answer = String::new();
        timeout(
            WAIT,
            tokio::io::AsyncReadExt::read_to_string(&mut late, &mut answer),
        )
        .await
        .expect("the rejected client waited 5 s")
        .expect("the rejected client's connection was reset");
        assert_eq!(answer, "*** server full (3 clients); try again later\n");
    }
    bob.send(b"still here").await;
    let before = alice.expect("bob: still here").await;
    assert!(before.iter().all(|l| !l.contains("carol")), "{before:?}");
    bob.send(b"/quit").await;
    assert_eq!(bob.rest().await, ["*** bye"]);
    drop(bob);
    alice.expect("*** bob left (quit)").await;
    // bob's slot is free once his session task has ended (after its
    // lingering close sees his end of the connection): then the next
    // newcomer joins.
    let mut tries = 0;
    let mut dave = loop {
        let stream = TcpStream::connect(server.addr).await.unwrap();
        let (r, writer) = stream.into_split();
        let mut c = Client {
            lines: BufReader::new(r).lines(),
            writer,
        };
        match c.line().await {
            Some(l) if l.contains("what is your name?") => break c,
            Some(l) if l.contains("server full") && tries < 50 => {
                tries += 1;
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            other => panic!("bob's slot was never freed: {other:?}"),
        }
    };
    dave.send(b"dave").await;
    dave.expect("*** hello dave!").await;
    dave.send(b"hi").await;
    alice.expect("dave: hi").await;
}

/// One address may hold only its share: a client from 127.0.0.2 that
/// opens more connections than `--max-per-peer` reads why it is turned
/// away, and a client from another address still joins. (On Linux every
/// 127.x.y.z address is loopback.)
#[tokio::test]
async fn one_address_gets_only_its_share_of_the_places() {
    let server = Server::with(&["--max-clients", "8", "--max-per-peer", "2"]);
    assert!(
        server.limits.contains("8 clients at once, 2 per address"),
        "{}",
        server.limits
    );
    let from = |last: u8| async move {
        let socket = TcpSocket::new_v4().unwrap();
        socket
            .bind(SocketAddr::from(([127, 0, 0, last], 0)))
            .unwrap();
        socket.connect(server.addr).await.unwrap()
    };
    let _first = Client::over(from(2).await).await;
    let _second = Client::over(from(2).await).await;
    let mut third = from(2).await;
    let mut answer = String::new();
    timeout(
        WAIT,
        tokio::io::AsyncReadExt::read_to_string(&mut third, &mut answer),
    )
    .await
    .expect("the turned-away client waited 5 s")
    .expect("the turned-away client's connection was reset");
    assert_eq!(
        answer,
        "*** too many connections from your address (2); try again later\n"
    );
    let mut alice = Client::join(server.addr, "alice").await;
    alice.send(b"/who").await;
    alice.expect("*** here: alice").await;
}

#[test]
fn the_kernel_keeps_the_send_buffer_the_server_reads_back() {
    let server = Server::start();
    // "send buffer per client: 32768 bytes set (SO_SNDBUF), N kept by the kernel"
    let kept: u32 = server
        .limits
        .split("), ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no kept size: {}", server.limits));
    assert!(
        server.limits.contains("32768 bytes set"),
        "{}",
        server.limits
    );
    // Linux doubles the value set (socket(7)); other systems may keep it.
    #[cfg(target_os = "linux")]
    assert_eq!(kept, 2 * 32768, "{}", server.limits);
    assert!(kept >= 32768, "{}", server.limits);
}

#[tokio::test]
async fn ctrl_c_tells_every_client_and_exits_cleanly() {
    let mut server = Server::start();
    let mut alice = Client::join(server.addr, "alice").await;
    let mut naming = Client::connect(server.addr).await; // not named yet
    let status = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(alice.rest().await, ["*** server shutting down, bye"]);
    assert_eq!(naming.rest().await, ["*** server shutting down, bye"]);
    // It stops accepting, and exits by itself, successfully.
    let mut rest = String::new();
    for _ in 0..2 {
        server.stdout.read_line(&mut rest).unwrap();
    }
    assert!(rest.contains("every session closed"), "{rest}");
    let waited = tokio::task::spawn_blocking(move || {
        let status = server.child.wait();
        (server, status)
    });
    let (_server, status) = timeout(WAIT, waited).await.unwrap().unwrap();
    assert!(status.unwrap().success());
}

#[test]
fn bad_arguments_exit_2_with_a_message() {
    for args in [
        &["--port"][..],
        &["--addr", "not-an-address"],
        &["--max-clients", "0"],
        &["--max-clients"],
        &["--max-per-peer", "many"],
    ] {
        let out = Command::new(chat_server_binary())
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("usage: chat_server"),
            "{args:?}"
        );
    }
}

// ---------------------------------------------------------------- choose_model

#[test]
fn choose_model_runs_four_workloads_with_every_model() {
    let out = run_example("choose_model", &[], Duration::from_secs(30)).stdout_text();
    assert!(out.starts_with("machine: "), "{out}");
    assert!(out.contains("load average over the last minute: "), "{out}");
    let rows = |from: &str, to: Option<&str>| -> Vec<String> {
        common::section(&out, from, to)
            .into_iter()
            .skip(2) // header and rule
            .take_while(|l| {
                let l = l.trim_start();
                !l.starts_with("guide:") && !l.starts_with("probe:")
            })
            .map(str::to_string)
            .collect()
    };

    // 1. Every model found the same number of primes: the work is the same.
    let cpu = rows("1. CPU-bound", Some("2. "));
    assert_eq!(cpu.len(), 6, "{out}");
    for (row, model) in cpu.iter().zip([
        "sequential, one thread",
        "a thread per piece",
        "async tasks, current-thread runtime",
        "tokio::spawn, multi-thread runtime",
        "spawn_blocking (a permit per CPU)",
        "rayon pool, fed through a oneshot",
    ]) {
        assert!(row.starts_with(model), "expected {model:?}:\n{out}");
    }
    // The cells: model, time, speed-up, probe lateness, primes.
    let cells = |row: &str| -> Vec<String> {
        row.split("  ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect()
    };
    let millis = |cell: &str| -> f64 {
        cell.strip_suffix(" ms")
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("not a time: {cell:?}\n{out}"))
    };
    assert_eq!(cells(&cpu[0])[3], "-", "no probe without a runtime:\n{out}");
    assert_eq!(cells(&cpu[1])[3], "-", "no probe without a runtime:\n{out}");
    // On one thread the probe cannot run until every piece has: it is late
    // by most of the computation, on any machine.
    let one = cells(&cpu[2]);
    assert!(
        millis(&one[3]) >= 0.5 * millis(&one[1]),
        "the current-thread probe was not starved:\n{out}"
    );
    // On a multi-thread runtime with fewer workers than pieces, every worker
    // computes until the queue of pieces runs dry: the probe waits for that.
    // (With many logical CPUs a worker is free sooner, and the wait is shorter.)
    let spawned = cells(&cpu[3]);
    if machine_cpus(&out) <= 2 {
        assert!(
            millis(&spawned[3]) >= 0.25 * millis(&spawned[1]),
            "tokio::spawn of CPU work did not delay the probe:\n{out}"
        );
        // Off the workers, the probe waits only for the kernel's preemption.
        for off in &cpu[4..] {
            assert!(
                millis(&cells(off)[3]) < millis(&spawned[3]),
                "computing off the workers delayed the probe as much:\n{out}"
            );
        }
    }
    for row in &cpu[2..] {
        millis(&cells(row)[3]);
    }
    assert!(out.contains("   probe: a task waking every 1 ms"), "{out}");
    let primes: Vec<&str> = cpu
        .iter()
        .map(|r| r.split_whitespace().last().unwrap())
        .collect();
    assert!(primes.iter().all(|p| *p == primes[0]), "{out}");
    assert_eq!(primes[0], "78498", "there are 78498 primes below a million");

    let blocking = rows("2. A blocking library", Some("3. "));
    assert!(
        blocking[0].starts_with("called inside async tasks"),
        "{out}"
    );
    assert!(blocking[1].starts_with("spawn_blocking"), "{out}");
    assert!(blocking[2].starts_with("a thread per call"), "{out}");

    // 3. The thread count is a fact, not a timing: one thread per idle
    //    connection, against one thread for all the tasks.
    let idle = rows("3. Many mostly idle", Some("4. "));
    let threads = |row: &str| -> u64 {
        let cells: Vec<&str> = row.split("  ").filter(|c| !c.trim().is_empty()).collect();
        cells[cells.len() - 2].trim().parse().unwrap()
    };
    assert!(idle[0].starts_with("a task per connection"), "{out}");
    assert!(threads(&idle[0]) < 10, "{out}");
    assert!(idle[1].starts_with("a thread per connection"), "{out}");
    assert!(threads(&idle[1]) >= 1000, "{out}");

    let busy = rows("4. A few busy", None);
    assert_eq!(busy.len(), 3, "{out}");
    // The same blocking clients against each server model, in this order.
    for (row, model) in busy.iter().zip([
        "blocking, a thread per connection",
        "tokio tasks, multi-thread runtime",
        "tokio tasks, current-thread runtime",
    ]) {
        assert!(row.starts_with(model), "expected {model:?}:\n{out}");
    }
    assert_eq!(out.matches("   guide: ").count(), 4, "{out}");
}

/// The logical-CPU count from the first line, "machine: N logical CPUs, ...".
fn machine_cpus(out: &str) -> usize {
    out.strip_prefix("machine: ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no logical-CPU count:\n{out}"))
}

// ---------------------------------------------------------------- chapter 18's snippet

/// The snippet chapter 18 shows failing must fail for the reason the
/// chapter gives: a std `MutexGuard` held across an `.await` makes the
/// future not `Send`. (The book build checks only that it fails.)
#[test]
fn guard_across_await_snippet_fails_for_the_reason_the_chapter_gives() {
    let snippet = paths::root().join("book/production/snippets/guard_across_await.rs");
    let out = harness::snippet::compile(&snippet).expect("could not run rustc");
    let stderr = out.stderr_text();
    assert_eq!(out.code, Some(1), "{stderr}");
    assert!(
        stderr.contains("future cannot be sent between threads safely"),
        "{stderr}"
    );
    assert!(
        stderr.contains("std::sync::MutexGuard") && stderr.contains("await occurs here"),
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("error:").count(),
        2,
        "one error, then `aborting`:\n{stderr}"
    );
}

/// Chapter 18: a guard moved into a function before the `.await`, and not
/// borrowed in the async block, leaves the future `Send`.
#[test]
fn a_guard_moved_away_before_await_compiles() {
    let snippet = paths::root().join("book/production/snippets/guard_moved.rs");
    let out = harness::snippet::compile(&snippet).expect("could not run rustc");
    assert_eq!(out.code, Some(0), "{}", out.stderr_text());
}

/// Chapter 18: a guard borrowed in the async block (`*n += 1`) and then
/// dropped is still kept across the `.await` (rust-lang/rust#101135). If a
/// compiler ever accepts it, this test fails and the chapter needs an edit.
#[test]
fn a_guard_borrowed_then_dropped_is_still_refused() {
    let snippet = paths::root().join("book/production/snippets/guard_borrowed_then_dropped.rs");
    let out = harness::snippet::compile(&snippet).expect("could not run rustc");
    let stderr = out.stderr_text();
    assert_eq!(out.code, Some(1), "{stderr}");
    assert!(
        stderr.contains("future cannot be sent between threads safely")
            && stderr.contains("std::sync::MutexGuard")
            && stderr.contains("await occurs here, with `mut n` maybe used later"),
        "{stderr}"
    );
}

/// Chapter 19: every bad client gets the answer the chapter promises from
/// the real `async_server` process, the good client is never failed, and
/// Ctrl-C lets the request in flight finish.
#[test]
fn bad_clients_get_clear_answers_and_the_good_client_is_served() {
    let out = run_example("bad_clients", &[], Duration::from_secs(20)).stdout_text();
    let line = |who: &str| {
        out.lines()
            .find(|l| l.contains(&format!("] {who} ")))
            .unwrap_or_else(|| panic!("no line for the {who} client:\n{out}"))
            .to_string()
    };
    assert!(line("malformed").ends_with("got 400"), "{out}");
    assert!(line("oversized").ends_with("got 431"), "{out}");
    assert!(line("trickling").ends_with("got 408"), "{out}");
    assert!(
        line("silent").ends_with("was disconnected without an answer"),
        "{out}"
    );
    assert!(line("vanishing").contains("vanished mid-response"), "{out}");
    // A server with no time limit on writes waits for this client until it
    // reads: it then gets every one of its 100000 answers.
    let not_reading = line("not reading");
    let answers: usize = not_reading
        .split("then got ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no answer count: {not_reading}"));
    assert!(
        answers < 100_000 && not_reading.contains("the end of the connection"),
        "the server kept writing to a client that does not read:\n{out}"
    );
    assert!(
        out.contains(", 0 failures, "),
        "the good client was failed:\n{out}"
    );

    // One client, many connections: from one address it gets its share (a
    // quarter of the 8 places) and 503 beyond it; from four addresses it
    // fills the server with idle connections, and a good client is still
    // answered long before the 10 s idle timeout would free a place,
    // because a full server closes idle connections to make room.
    let hostage = section(&out, "One client, many connections", Some("Ctrl-C with"));
    let find = |needle: &str| -> String {
        hostage
            .iter()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no {needle:?}:\n{out}"))
            .to_string()
    };
    assert!(
        find("127.0.0.2 opens 8 idle connections").ends_with("2 held, 6 answered 503 at once"),
        "{out}"
    );
    assert!(
        find("127.0.0.3 to 127.0.0.5").ends_with("8 idle connections in 8 places"),
        "{out}"
    );
    let good: Vec<u64> = hostage
        .iter()
        .filter(|l| l.contains("a good client, meanwhile: got 200 after "))
        .map(|l| {
            l.rsplit("after ")
                .next()
                .and_then(|ms| ms.strip_suffix(" ms"))
                .and_then(|ms| ms.parse().ok())
                .unwrap_or_else(|| panic!("no time: {l}"))
        })
        .collect();
    assert_eq!(
        good.len(),
        2,
        "the good client was not answered both times:\n{out}"
    );
    assert!(
        good.iter().all(|&ms| ms < 5_000),
        "the good client waited for the idle timeout:\n{out}"
    );
    let closed = find("of the 8 idle connections, the server closed ");
    let shed: usize = closed
        .split("closed ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count: {closed}"));
    assert!(
        shed >= 1 && closed.ends_with(&format!("{} still held", 8 - shed)),
        "{out}"
    );

    let shutdown = section(&out, "Ctrl-C with a request in flight", None);
    let at = |needle: &str| {
        shutdown
            .iter()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no {needle:?} in the shutdown:\n{out}"))
    };
    assert!(
        at("SIGINT sent") < at("the in-flight request got 200"),
        "{out}"
    );
    assert!(
        at("the in-flight request got 200") < at("the server exited (exit status: 0)"),
        "{out}"
    );
    assert!(out.contains("a new client is refused: true"), "{out}");
}

// ---------------------------------------------------------------- chapter 19's overload

/// The same burst against a queueing server and a shedding one: the queue
/// answers everyone, the last after at least the burst's whole work; the
/// shedder answers its workers and its queue, and everyone else gets a 503
/// with Retry-After.
#[test]
fn overload_queueing_answers_all_late_and_shedding_answers_some_soon() {
    let out = run_example("overload", &[], Duration::from_secs(60)).stdout_text();
    let row = |name: &str| -> Vec<String> {
        let line = out
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no row {name:?}:\n{out}"));
        line[name.len()..]
            .split("  ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect()
    };
    let n = |cell: &str| -> u64 {
        cell.trim_end_matches(" ms")
            .parse()
            .unwrap_or_else(|_| panic!("not a number: {cell:?}\n{out}"))
    };
    // Cells: answered, p50, p99, slowest, shed, with Retry-After, slowest 503.
    let queue = row("queues every request");
    assert_eq!(n(&queue[0]), 200, "{out}");
    assert_eq!(n(&queue[4]), 0, "{out}");
    // 4 workers, 20 ms each: the 200th request cannot be answered before
    // 50 rounds of work, however fast the machine.
    assert!(n(&queue[3]) >= 1000, "{out}");

    let shed = row("queues 8, sheds the rest");
    let (answered, shed_count) = (n(&shed[0]), n(&shed[4]));
    assert_eq!(answered + shed_count, 200, "{out}");
    assert!(
        answered >= 4 + 8,
        "the workers and the queue are served:\n{out}"
    );
    assert!(shed_count > 0, "nothing was shed:\n{out}");
    assert_eq!(
        n(&shed[5]),
        shed_count,
        "every 503 says when to retry:\n{out}"
    );
    assert!(
        n(&shed[3]) < n(&queue[3]),
        "the admitted requests were no faster than the queue's:\n{out}"
    );
}

/// `--book` draws both servers' answer times as distributions.
#[test]
fn overload_draws_when_the_clients_had_their_answers() {
    common::book_charts(
        "overload",
        &[],
        Duration::from_secs(60),
        &[
            "How long each of the 200 clients waited for its answer",
            "queues every request",
            "queues 8, sheds the rest",
        ],
        1,
    );
}

// ---------------------------------------------------------------- chapter 19's structured shutdown

/// CancellationToken and TaskTracker: the idle connection is told at once,
/// the line in flight is answered, and only then does `serve` return.
#[test]
fn structured_shutdown_answers_the_work_in_flight_before_returning() {
    let out = run_example("structured_shutdown", &[], Duration::from_secs(20)).stdout_text();
    let at = |needle: &str| {
        out.lines()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no {needle:?}:\n{out}"))
    };
    assert!(at("client 1: sent") < at("stop.cancel()"), "{out}");
    assert!(at("stop.cancel()") < at("told an idle connection"), "{out}");
    assert!(
        at("stop.cancel()") < at("server: answered \"hello\""),
        "{out}"
    );
    assert!(
        at("server: answered \"hello\"") < at("every connection ended; serve returned"),
        "{out}"
    );
    assert!(out.contains("client 1 received: done: hello"), "{out}");
    assert!(
        out.contains("client 2 received: shutting down, bye"),
        "{out}"
    );
    assert!(out.contains("a new client is refused: true"), "{out}");
}

/// Chapter 18's cures, and the LocalSet for a future that is not `Send`:
/// every one counts every increment.
#[test]
fn mutex_across_await_cures_count_every_increment() {
    let out = run_example("mutex_across_await", &[], Duration::from_secs(20)).stdout_text();
    for cure in [
        "std Mutex, released before .await: 100 of 100 increments",
        "tokio Mutex, held across .await:   100 of 100 increments",
        "Rc across .await, spawn_local on a LocalSet: 100 of 100 increments",
    ] {
        assert!(out.contains(cure), "no {cure:?}:\n{out}");
    }
}

/// `--book` draws one chart per workload, each with every model of its
/// table, after the same text.
#[test]
fn choose_model_draws_a_chart_of_each_workload() {
    let book = common::book_charts(
        "choose_model",
        &[],
        Duration::from_secs(30),
        &[
            "1. CPU-bound: time, and how late a 1 ms probe task was (log scale)",
            "probe late by",
            "sequential, one thread",
            "rayon pool, fed through a oneshot",
            "spawn_blocking (a permit per CPU)",
            "called inside async tasks",
            "a thread per call",
            "a task per connection (1000), one thread",
            "a thread per connection (1000)",
            "blocking, a thread per connection",
            "tokio tasks, current-thread runtime",
        ],
        4,
    );
    let text = course::chart::book_text(&book).unwrap();
    assert!(text.starts_with("machine: "), "{text}");
    assert_eq!(text.matches("   guide: ").count(), 4, "{text}");
}
