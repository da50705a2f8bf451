//! Part VI, "Deterministic async tests": a paused clock catches a missing
//! timeout in microseconds of real time, and misleads you on a real socket.
//!
//!     cargo run --release --example paused_clock
//!
//! Each check runs on a fresh current-thread runtime started with its clock
//! paused, exactly what `#[tokio::test(start_paused = true)]` builds. The
//! function under test reads a client's greeting line; a client that never
//! sends one must be dropped after `GREETING_LIMIT`.

use course::load::short;
use std::future::Future;
use std::io;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::time::{Instant, timeout};

/// How long a server should wait for a client's greeting.
const GREETING_LIMIT: Duration = Duration::from_secs(30);
/// The test's own guard: far longer than any right answer.
const GUARD: Duration = Duration::from_secs(3600);

// ANCHOR: under_test
/// The bug: nothing bounds the wait, so a silent client holds it forever.
async fn read_greeting<R: AsyncRead + Unpin>(client: R) -> io::Result<String> {
    let mut line = String::new();
    BufReader::new(client).read_line(&mut line).await?;
    Ok(line)
}

/// The fix: the same read, given up after `GREETING_LIMIT`.
async fn read_greeting_bounded<R: AsyncRead + Unpin>(client: R) -> io::Result<String> {
    timeout(GREETING_LIMIT, read_greeting(client))
        .await
        .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "no greeting in time"))?
}
// ANCHOR_END: under_test

/// Runs `test` on a runtime whose clock starts paused, and prints what the
/// paused clock and the real clock say it took.
fn run_paused<F: Future<Output = String>>(name: &str, test: F) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .expect("a current-thread runtime");
    let real = std::time::Instant::now();
    let (verdict, paused) = rt.block_on(async {
        let start = Instant::now();
        let verdict = test.await;
        (verdict, start.elapsed())
    });
    println!(
        "{name:<28} {verdict:<44} paused clock {:>6}   real {}",
        format!("{}s", paused.as_secs()),
        short(real.elapsed())
    );
}

// ANCHOR: check
/// The test: a client that connects and says nothing must be dropped
/// within `GREETING_LIMIT`. `tokio::io::duplex` is an in-memory pipe, so
/// no I/O is pending: when every task waits, the paused runtime jumps its
/// clock straight to the next timer.
async fn silent_client_is_dropped<Fut>(read: impl FnOnce(tokio::io::DuplexStream) -> Fut) -> String
where
    Fut: Future<Output = io::Result<String>>,
{
    let (_client, server) = tokio::io::duplex(64); // `_client` never writes
    match timeout(GUARD, read(server)).await {
        Err(_) => format!("FAILED: still waiting after {}s", GUARD.as_secs()),
        Ok(Err(e)) if e.kind() == io::ErrorKind::TimedOut => "ok: gave up on the client".into(),
        Ok(other) => format!("FAILED: returned {other:?}"),
    }
}
// ANCHOR_END: check

// ANCHOR: real_socket
/// The mistake: the same bounded read on a real loopback socket, with a
/// peer that answers after 300 ms of real time. While the runtime waits for
/// the socket it is idle, so the paused clock jumps past the limit at once.
async fn paused_clock_meets_a_real_socket() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("bound address");
    // The peer is a plain thread, left to finish by itself: joining it here
    // would add its 300 ms to the real time this check reports.
    std::thread::spawn(move || {
        use std::io::Write;
        let mut s = std::net::TcpStream::connect(addr)?;
        std::thread::sleep(Duration::from_millis(300));
        // The server may have given up and closed by now: that is the point.
        let _ = s.write_all(b"hello\n");
        io::Result::Ok(())
    });
    let (stream, _) = listener.accept().await.expect("accept the peer");
    match read_greeting_bounded(stream).await {
        Ok(line) => format!("read {:?}", line.trim_end()),
        Err(e) if e.kind() == io::ErrorKind::TimedOut => "timed out before the peer spoke".into(),
        Err(e) => format!("error: {e}"),
    }
}
// ANCHOR_END: real_socket

fn main() {
    run_paused("read_greeting", silent_client_is_dropped(read_greeting));
    run_paused(
        "read_greeting_bounded",
        silent_client_is_dropped(read_greeting_bounded),
    );
    run_paused(
        "bounded, on a real socket",
        paused_clock_meets_a_real_socket(),
    );
}
