//! Tests for Part II's connection-limit exercise:
//! `cargo test -p exercises --test io_conn_limit`.
//!
//! A real TCP client opens more connections than the limit allows. Real
//! time, short timeouts; the tests check who is served while whom is
//! connected, never how fast.

#[cfg_attr(
    not(any(feature = "solutions", any_wrong)),
    path = "../src/io_conn_limit.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/io_conn_limit.rs")]
#[cfg_attr(
    wrong = "io_conn_limit__permit_after_accept",
    path = "../wrong/io_conn_limit__permit_after_accept.rs"
)]
#[cfg_attr(
    wrong = "io_conn_limit__permit_in_task",
    path = "../wrong/io_conn_limit__permit_in_task.rs"
)]
#[cfg_attr(
    wrong = "io_conn_limit__permit_after_accept",
    path = "../wrong/io_conn_limit__permit_after_accept.rs"
)]
#[cfg_attr(
    wrong = "io_conn_limit__permit_in_task",
    path = "../wrong/io_conn_limit__permit_in_task.rs"
)]
#[cfg_attr(
    wrong = "io_conn_limit__permit_after_accept",
    path = "../wrong/io_conn_limit__permit_after_accept.rs"
)]
#[cfg_attr(
    wrong = "io_conn_limit__permit_in_task",
    path = "../wrong/io_conn_limit__permit_in_task.rs"
)]
mod io_conn_limit;

use io_conn_limit::{Stats, serve};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::timeout;

const LIMIT: usize = 2;

/// Sends `ping` and waits up to `wait` for the echo.
async fn pinged(c: &mut TcpStream, wait: Duration) -> bool {
    if c.write_all(b"ping").await.is_err() {
        return false;
    }
    let mut got = [0u8; 4];
    matches!(timeout(wait, c.read_exact(&mut got)).await, Ok(Ok(_)))
}

/// Starts `serve` with LIMIT permits, connects LIMIT + 2 clients, and
/// checks that the first LIMIT are served.
async fn over_the_limit() -> (Arc<Stats>, Vec<TcpStream>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let stats = Arc::new(Stats::default());
    tokio::spawn(serve(listener, LIMIT, stats.clone()));

    let mut clients = Vec::new();
    for _ in 0..LIMIT + 2 {
        clients.push(TcpStream::connect(addr).await.unwrap());
    }
    for (i, c) in clients.iter_mut().take(LIMIT).enumerate() {
        assert!(
            pinged(c, Duration::from_secs(2)).await,
            "client {i} (within the limit) got no echo"
        );
    }
    (stats, clients)
}

#[tokio::test]
async fn serves_at_most_the_limit_and_lets_the_next_one_in() {
    let (stats, mut clients) = over_the_limit().await;
    // The other two wait: connected in the kernel's queue, not served.
    for (i, c) in clients.iter_mut().enumerate().skip(LIMIT) {
        assert!(
            !pinged(c, Duration::from_millis(300)).await,
            "client {i} was served while {LIMIT} connections were open: there is no limit yet"
        );
    }
    assert!(
        stats.peak.load(Ordering::Relaxed) <= LIMIT,
        "more than {LIMIT} connections were handled at once"
    );

    // One leaves: the next waiting client is let in and served (its ping is
    // already waiting in its socket).
    drop(clients.remove(0));
    let mut third = clients.remove(1);
    let mut got = [0u8; 4];
    let served = timeout(Duration::from_secs(2), third.read_exact(&mut got)).await;
    assert!(
        matches!(served, Ok(Ok(_))),
        "a client that waited was not served after a connection ended"
    );
    assert!(stats.peak.load(Ordering::Relaxed) <= LIMIT);
}

#[tokio::test]
async fn takes_the_permit_before_accepting() {
    let (stats, _clients) = over_the_limit().await;
    // Every permit is out. A server that waits for a permit before it
    // accepts leaves the others in the kernel's queue, costing it nothing;
    // give one that accepts first the time to do so.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let accepted = stats.accepted.load(Ordering::Relaxed);
    assert!(
        accepted <= LIMIT,
        "the permit must be taken before `accept`: with {LIMIT} permits out, \
         {accepted} connections were accepted. Each one accepted beyond the limit \
         holds a socket and a task while it waits"
    );
}
