//! Tests for Part V's graceful-shutdown exercise:
//! `cargo test -p exercises --test server_shutdown`.
//!
//! They talk to the server over real loopback TCP, so they use real time:
//! every wait has a generous limit, and they check what happened and in
//! which order, never how long it took.

#[cfg_attr(not(feature = "solutions"), path = "../src/server_shutdown.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/server_shutdown.rs")]
mod server_shutdown;

use server_shutdown::serve;
use std::io;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::net::tcp::OwnedReadHalf;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio::time::timeout;

const LIMIT: Duration = Duration::from_secs(5);

/// Starts `serve` on a free port; the returned sender triggers shutdown.
async fn start() -> (
    SocketAddr,
    oneshot::Sender<()>,
    JoinHandle<io::Result<usize>>,
) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (trigger, shutdown) = oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, async move {
        let _ = shutdown.await;
    }));
    (addr, trigger, server)
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

async fn finished(server: JoinHandle<io::Result<usize>>) -> usize {
    timeout(LIMIT, server)
        .await
        .expect("serve did not return within 5 s of the shutdown")
        .expect("serve panicked")
        .expect("serve failed")
}

#[tokio::test]
async fn answers_a_client_then_returns_on_shutdown() {
    let (addr, trigger, server) = start().await;
    let mut c = Client::connect(addr).await;
    c.writer.write_all(b"one\n").await.unwrap();
    assert_eq!(c.line().await.as_deref(), Some("working"));
    assert_eq!(c.line().await.as_deref(), Some("done: one"));
    trigger.send(()).unwrap();
    assert_eq!(finished(server).await, 1, "one connection was answered");
}

#[tokio::test]
async fn stops_accepting_after_shutdown() {
    let (addr, trigger, server) = start().await;
    trigger.send(()).unwrap();
    assert_eq!(finished(server).await, 0);
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "after a shutdown, new connections must be refused"
    );
}

#[tokio::test]
async fn finishes_work_in_flight_before_returning() {
    let (addr, trigger, server) = start().await;
    let mut c = Client::connect(addr).await;
    c.writer.write_all(b"slow\n").await.unwrap();
    assert_eq!(c.line().await.as_deref(), Some("working"));
    // The request is being worked on when the shutdown comes.
    trigger.send(()).unwrap();
    assert_eq!(
        c.line().await.as_deref(),
        Some("done: slow"),
        "work that had started must be finished and answered"
    );
    assert_eq!(
        finished(server).await,
        1,
        "serve must wait for the connection still working, and count it \
         (returning 0 means it returned before that connection ended)"
    );
}

#[tokio::test]
async fn tells_waiting_clients_instead_of_waiting_for_them() {
    let (addr, trigger, server) = start().await;
    let mut idle = Client::connect(addr).await; // never sends its line
    trigger.send(()).unwrap();
    assert_eq!(
        idle.line().await.as_deref(),
        Some("shutting down"),
        "a connection waiting for its request must be told (send `true` on the watch channel)"
    );
    assert_eq!(idle.line().await, None, "and then closed");
    assert_eq!(finished(server).await, 0);
}
