//! Tests for Part II's first exercise:
//! `cargo test -p exercises --test io_echo_threads`.
//!
//! Real TCP on loopback, real time, short timeouts: they check who gets an
//! answer while whom is connected, never how fast.

#[cfg_attr(
    not(any(feature = "solutions", any_wrong)),
    path = "../src/io_echo_threads.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/io_echo_threads.rs")]
#[cfg_attr(
    wrong = "io_echo_threads__join_at_once",
    path = "../wrong/io_echo_threads__join_at_once.rs"
)]
#[cfg_attr(
    wrong = "io_echo_threads__join_at_once",
    path = "../wrong/io_echo_threads__join_at_once.rs"
)]
#[cfg_attr(
    wrong = "io_echo_threads__join_at_once",
    path = "../wrong/io_echo_threads__join_at_once.rs"
)]
mod io_echo_threads;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

fn start() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || io_echo_threads::serve(listener));
    addr
}

fn client(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    s
}

fn echo_of(s: &mut TcpStream, msg: &[u8]) -> Result<Vec<u8>, String> {
    s.write_all(msg).map_err(|e| e.to_string())?;
    let mut got = vec![0u8; msg.len()];
    s.read_exact(&mut got)
        .map_err(|e| format!("no echo: {e}"))?;
    Ok(got)
}

#[test]
fn a_quiet_client_does_not_block_another() {
    let addr = start();
    let mut quiet = client(addr);
    std::thread::sleep(Duration::from_millis(50));
    let mut talker = client(addr);
    assert_eq!(
        echo_of(&mut talker, b"hello").as_deref(),
        Ok(&b"hello"[..]),
        "the second client got no echo while the first stayed connected: \
         the accept loop is still serving one client at a time"
    );
    // The quiet one is still served when it speaks.
    assert_eq!(
        echo_of(&mut quiet, b"me too").as_deref(),
        Ok(&b"me too"[..])
    );
}

#[test]
fn many_clients_at_once() {
    let addr = start();
    let mut clients: Vec<TcpStream> = (0..10).map(|_| client(addr)).collect();
    for (i, c) in clients.iter_mut().enumerate().rev() {
        let msg = format!("client {i}");
        assert_eq!(
            echo_of(c, msg.as_bytes()).as_deref(),
            Ok(msg.as_bytes()),
            "client {i} got no echo while the others were connected"
        );
    }
}
