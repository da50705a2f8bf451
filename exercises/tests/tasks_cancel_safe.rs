//! Tests for the Tasks in tokio chapter's cancellation exercise:
//! `cargo test -p exercises --test tasks_cancel_safe`.
//!
//! In-memory streams (`tokio::io::duplex`) and tokio's paused clock make
//! these exact: the writer's pauses and the reader's timer always
//! interleave the same way.

#[cfg_attr(
    not(any(feature = "solutions", any_wrong)),
    path = "../src/tasks_cancel_safe.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/tasks_cancel_safe.rs")]
#[cfg_attr(
    wrong = "tasks_cancel_safe__local_buffer",
    path = "../wrong/tasks_cancel_safe__local_buffer.rs"
)]
#[cfg_attr(
    wrong = "tasks_cancel_safe__local_buffer",
    path = "../wrong/tasks_cancel_safe__local_buffer.rs"
)]
#[cfg_attr(
    wrong = "tasks_cancel_safe__local_buffer",
    path = "../wrong/tasks_cancel_safe__local_buffer.rs"
)]
mod tasks_cancel_safe;

use std::time::Duration;
use tasks_cancel_safe::Lines;
use tokio::io::AsyncWriteExt;
use tokio::time::{interval, sleep};

const SENT: [&str; 4] = ["alpha", "bravo", "charlie", "delta"];

/// Writes each line in pieces of `piece` bytes, `gap` apart, then closes.
fn writer(
    mut w: tokio::io::DuplexStream,
    piece: usize,
    gap: Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let text: String = SENT.iter().map(|l| format!("{l}\n")).collect();
        for chunk in text.as_bytes().chunks(piece) {
            w.write_all(chunk).await.unwrap();
            sleep(gap).await;
        }
    })
}

#[tokio::test(start_paused = true)]
async fn reads_whole_lines_then_none() {
    let (r, w) = tokio::io::duplex(64);
    let writing = writer(w, 64, Duration::ZERO);
    let mut lines = Lines::new(r);
    for expected in SENT {
        assert_eq!(lines.next_line().await.unwrap().as_deref(), Some(expected));
    }
    assert_eq!(
        lines.next_line().await.unwrap(),
        None,
        "end of stream is None"
    );
    writing.await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn two_lines_in_one_read_are_both_returned() {
    let (r, mut w) = tokio::io::duplex(64);
    w.write_all(b"one\ntwo\n").await.unwrap();
    drop(w);
    let mut lines = Lines::new(r);
    assert_eq!(lines.next_line().await.unwrap().as_deref(), Some("one"));
    assert_eq!(
        lines.next_line().await.unwrap().as_deref(),
        Some("two"),
        "bytes read past the first `\\n` belong to the next line: keep them"
    );
    assert_eq!(lines.next_line().await.unwrap(), None);
}

#[tokio::test(start_paused = true)]
async fn loses_nothing_when_cancelled_by_select() {
    let (r, w) = tokio::io::duplex(64);
    // Two bytes every 30 ms, while a timer ticks every 10 ms: the timer
    // interrupts (drops) `next_line` in the middle of almost every line.
    let writing = writer(w, 2, Duration::from_millis(30));
    let mut lines = Lines::new(r);
    let mut ticks = interval(Duration::from_millis(10));
    let mut got = Vec::new();
    let mut interrupted = 0;
    loop {
        tokio::select! {
            line = lines.next_line() => match line.unwrap() {
                Some(line) => got.push(line),
                None => break,
            },
            _ = ticks.tick() => interrupted += 1,
        }
    }
    writing.await.unwrap();
    assert!(
        interrupted > 10,
        "the timer should have interrupted the reads"
    );
    assert_eq!(
        got, SENT,
        "lines were lost or cut while next_line was being cancelled: keep partial \
         lines in `self.buf`, not in a local variable of next_line"
    );
}
