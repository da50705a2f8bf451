//! Tests for Part V's graceful-shutdown exercise:
//! `cargo test -p exercises --test server_shutdown`.
//!
//! They talk to the server over real loopback TCP, so they use real time:
//! every wait has a generous limit, and they check what happened and in
//! which order, never how long it took.

#[cfg_attr(
    not(any(feature = "solutions", any_wrong)),
    path = "../src/server_shutdown.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/server_shutdown.rs")]
#[cfg_attr(
    wrong = "server_shutdown__join_only_at_shutdown",
    path = "../wrong/server_shutdown__join_only_at_shutdown.rs"
)]
#[cfg_attr(
    wrong = "server_shutdown__listener_open_while_draining",
    path = "../wrong/server_shutdown__listener_open_while_draining.rs"
)]
#[cfg_attr(
    wrong = "server_shutdown__unbounded_drain",
    path = "../wrong/server_shutdown__unbounded_drain.rs"
)]
#[cfg_attr(
    wrong = "server_shutdown__join_only_at_shutdown",
    path = "../wrong/server_shutdown__join_only_at_shutdown.rs"
)]
#[cfg_attr(
    wrong = "server_shutdown__listener_open_while_draining",
    path = "../wrong/server_shutdown__listener_open_while_draining.rs"
)]
#[cfg_attr(
    wrong = "server_shutdown__unbounded_drain",
    path = "../wrong/server_shutdown__unbounded_drain.rs"
)]
#[cfg_attr(
    wrong = "server_shutdown__join_only_at_shutdown",
    path = "../wrong/server_shutdown__join_only_at_shutdown.rs"
)]
#[cfg_attr(
    wrong = "server_shutdown__listener_open_while_draining",
    path = "../wrong/server_shutdown__listener_open_while_draining.rs"
)]
#[cfg_attr(
    wrong = "server_shutdown__unbounded_drain",
    path = "../wrong/server_shutdown__unbounded_drain.rs"
)]
mod server_shutdown;

use server_shutdown::{WORK, serve};
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::net::tcp::OwnedReadHalf;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio::time::timeout;

const LIMIT: Duration = Duration::from_secs(5);

/// A grace period no test reaches, except the one about it.
const GRACE: Duration = Duration::from_secs(5);

/// A server started on a free port, and how to stop it.
struct Server {
    addr: SocketAddr,
    trigger: oneshot::Sender<()>,
    answered: Arc<AtomicUsize>,
    task: JoinHandle<io::Result<()>>,
}

/// Starts `serve` on a free port, with `grace` to drain.
async fn start(grace: Duration) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (trigger, shutdown) = oneshot::channel::<()>();
    let answered = Arc::new(AtomicUsize::new(0));
    let task = tokio::spawn(serve(
        listener,
        async move {
            let _ = shutdown.await;
        },
        grace,
        answered.clone(),
    ));
    Server {
        addr,
        trigger,
        answered,
        task,
    }
}

struct Client {
    lines: Lines<BufReader<OwnedReadHalf>>,
    writer: tokio::net::tcp::OwnedWriteHalf,
}

impl Client {
    /// Connects and waits for `ready`, so the server has surely accepted.
    async fn connect(addr: SocketAddr) -> Client {
        let (r, writer) = TcpStream::connect(addr).await.unwrap().into_split();
        let mut c = Client {
            lines: BufReader::new(r).lines(),
            writer,
        };
        assert_eq!(c.line().await.as_deref(), Some("ready"));
        c
    }

    async fn line(&mut self) -> Option<String> {
        timeout(LIMIT, self.lines.next_line())
            .await
            .expect("the server said nothing for 5 s")
            .ok()
            .flatten()
    }
}

impl Server {
    fn shut_down(&mut self) {
        let (dead, _) = oneshot::channel();
        let _ = std::mem::replace(&mut self.trigger, dead).send(());
    }

    /// Waits for `serve` to return; gives the answered count.
    async fn finished(self) -> usize {
        timeout(LIMIT, self.task)
            .await
            .expect("serve did not return within 5 s of the shutdown")
            .expect("serve panicked")
            .expect("serve failed");
        self.answered.load(Ordering::SeqCst)
    }
}

#[tokio::test]
async fn answers_a_client_then_returns_on_shutdown() {
    let mut server = start(GRACE).await;
    let mut c = Client::connect(server.addr).await;
    c.writer.write_all(b"one\n").await.unwrap();
    assert_eq!(c.line().await.as_deref(), Some("working"));
    assert_eq!(c.line().await.as_deref(), Some("done: one"));
    server.shut_down();
    assert_eq!(server.finished().await, 1, "one connection was answered");
}

#[tokio::test]
async fn collects_finished_connections_while_it_runs() {
    let server = start(GRACE).await;
    let mut c = Client::connect(server.addr).await;
    c.writer.write_all(b"one\n").await.unwrap();
    assert_eq!(c.line().await.as_deref(), Some("working"));
    assert_eq!(c.line().await.as_deref(), Some("done: one"));
    assert_eq!(c.line().await, None, "the connection ends after its answer");
    // No shutdown: the server runs on. Give it up to 2 s to collect.
    let start = Instant::now();
    while server.answered.load(Ordering::SeqCst) == 0 && start.elapsed() < Duration::from_secs(2) {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        server.answered.load(Ordering::SeqCst),
        1,
        "a connection answered and ended, but while the server runs `answered` still \
         says 0: collect finished connections from the JoinSet as they end (a branch \
         on `join_next()` in the loop). Joined only at shutdown, a server that runs \
         for weeks keeps every finished task's result"
    );
}

#[tokio::test]
async fn stops_accepting_after_shutdown() {
    let mut server = start(GRACE).await;
    let addr = server.addr;
    server.shut_down();
    assert_eq!(server.finished().await, 0);
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "after a shutdown, new connections must be refused"
    );
}

#[tokio::test]
async fn refuses_new_connections_while_it_drains() {
    let mut server = start(GRACE).await;
    let mut working = Client::connect(server.addr).await;
    let mut idle = Client::connect(server.addr).await;
    working.writer.write_all(b"slow\n").await.unwrap();
    assert_eq!(working.line().await.as_deref(), Some("working"));
    server.shut_down();
    assert_eq!(idle.line().await.as_deref(), Some("shutting down"));
    // The idle client has been told, so the drain has begun; the working
    // one has up to WORK (200 ms) to go.
    let refused = TcpStream::connect(server.addr).await.is_err();
    assert!(
        refused,
        "while a connection was still being drained, a new one was accepted by the \
         kernel: drop the listener before you drain, or clients keep connecting to a \
         server that will never serve them"
    );
    assert_eq!(working.line().await.as_deref(), Some("done: slow"));
    assert_eq!(server.finished().await, 1);
}

#[tokio::test]
async fn finishes_work_in_flight_before_returning() {
    let mut server = start(GRACE).await;
    let mut c = Client::connect(server.addr).await;
    c.writer.write_all(b"slow\n").await.unwrap();
    assert_eq!(c.line().await.as_deref(), Some("working"));
    // The request is being worked on when the shutdown comes.
    server.shut_down();
    assert_eq!(
        c.line().await.as_deref(),
        Some("done: slow"),
        "work that had started must be finished and answered"
    );
    assert_eq!(
        server.finished().await,
        1,
        "serve must wait for the connection still working, and count it \
         (0 means it returned before that connection ended)"
    );
}

#[tokio::test]
async fn gives_up_on_work_after_the_grace_period() {
    let grace = Duration::from_millis(20);
    let mut server = start(grace).await;
    let mut c = Client::connect(server.addr).await;
    c.writer.write_all(b"slow\n").await.unwrap();
    assert_eq!(c.line().await.as_deref(), Some("working"));
    // WORK (200 ms) is ten times the grace period.
    let shut_at = Instant::now();
    server.shut_down();
    assert_eq!(
        c.line().await,
        None,
        "the connection was still working when the grace period ({grace:?}) ended: \
         it must be aborted, not answered. Bound the drain with `timeout(grace, ...)`, \
         then abort the rest (`JoinSet::shutdown`)"
    );
    assert_eq!(server.finished().await, 0);
    assert!(
        shut_at.elapsed() < WORK,
        "serve returned {:?} after the shutdown: it waited for the work, not {grace:?}",
        shut_at.elapsed()
    );
}

#[tokio::test]
async fn tells_waiting_clients_instead_of_waiting_for_them() {
    let mut server = start(GRACE).await;
    let mut idle = Client::connect(server.addr).await; // never sends its line
    server.shut_down();
    assert_eq!(
        idle.line().await.as_deref(),
        Some("shutting down"),
        "a connection waiting for its request must be told (send `true` on the watch channel)"
    );
    assert_eq!(idle.line().await, None, "and then closed");
    assert_eq!(server.finished().await, 0);
}
