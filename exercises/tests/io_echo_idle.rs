//! Tests for Part II's idle-timeout exercise:
//! `cargo test -p exercises --test io_echo_idle`.
//!
//! In-memory streams (`tokio::io::duplex`) and tokio's paused clock: time
//! stands still while a task can run and jumps to the next timer when all
//! wait, so the timings below are exact on any machine.

#[cfg_attr(
    not(any(feature = "solutions", any_wrong)),
    path = "../src/io_echo_idle.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/io_echo_idle.rs")]
#[cfg_attr(
    wrong = "io_echo_idle__timeout_closes",
    path = "../wrong/io_echo_idle__timeout_closes.rs"
)]
#[cfg_attr(
    wrong = "io_echo_idle__timeout_closes",
    path = "../wrong/io_echo_idle__timeout_closes.rs"
)]
#[cfg_attr(
    wrong = "io_echo_idle__timeout_closes",
    path = "../wrong/io_echo_idle__timeout_closes.rs"
)]
mod io_echo_idle;

use io_echo_idle::{Ended, echo};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt, duplex};
use tokio::time::{Instant, sleep};

const IDLE: Duration = Duration::from_secs(5);

#[tokio::test(start_paused = true)]
async fn echoes_then_times_out_a_quiet_client() {
    let (mut client, server) = duplex(1024);
    let start = Instant::now();
    let server = tokio::spawn(echo(server, IDLE));
    client.write_all(b"hello").await.unwrap();
    let mut got = [0u8; 5];
    client.read_exact(&mut got).await.unwrap();
    assert_eq!(&got, b"hello", "echo must send the bytes back");
    // Now the client says nothing more. (The outer limit turns a missing
    // timeout into a failure instead of a test that waits forever.)
    let ended = tokio::time::timeout(IDLE * 2, server)
        .await
        .expect("`echo` still waited for the quiet client at twice `idle`: each read needs a time limit")
        .unwrap()
        .unwrap();
    assert_eq!(ended, Ended::Idle, "a quiet client must be timed out");
    assert_eq!(
        start.elapsed(),
        IDLE,
        "the timeout should fire `idle` after the last bytes"
    );
}

#[tokio::test(start_paused = true)]
async fn bytes_restart_the_wait() {
    let (mut client, server) = duplex(1024);
    let server = tokio::spawn(echo(server, IDLE));
    // Five messages, each just inside the idle time: 4 s apart, 20 s in all.
    for _ in 0..5 {
        sleep(Duration::from_secs(4)).await;
        client.write_all(b"ping").await.unwrap();
        let mut got = [0u8; 4];
        client.read_exact(&mut got).await.expect(
            "the connection was closed although the client spoke every 4 s: \
             the idle timer must restart whenever bytes arrive",
        );
    }
    drop(client);
    assert_eq!(server.await.unwrap().unwrap(), Ended::Closed);
}

#[tokio::test(start_paused = true)]
async fn a_client_that_closes_ends_it_at_once() {
    let (client, server) = duplex(1024);
    let start = Instant::now();
    drop(client);
    assert_eq!(echo(server, IDLE).await.unwrap(), Ended::Closed);
    assert_eq!(start.elapsed(), Duration::ZERO);
}
