//! Tests for the capstone's exercise: `cargo test -p exercises --test chat_rooms`.
//!
//! Each member's connection is a task that reads its queue, as the server's
//! would write it to a socket; one member never reads. They all run at once
//! on one thread, so the order of events is the same on every run.

#[cfg_attr(
    not(any(feature = "solutions", any_wrong)),
    path = "../src/chat_rooms.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/chat_rooms.rs")]
#[cfg_attr(
    wrong = "chat_rooms__drop_lines_when_full",
    path = "../wrong/chat_rooms__drop_lines_when_full.rs"
)]
#[cfg_attr(
    wrong = "chat_rooms__every_room",
    path = "../wrong/chat_rooms__every_room.rs"
)]
mod chat_rooms;

use chat_rooms::{Hub, QUEUE};
use std::sync::Arc;
use tokio::sync::mpsc;

/// Everything queued for a member right now, without waiting.
fn queued(rx: &mut mpsc::Receiver<String>) -> Vec<String> {
    let mut lines = Vec::new();
    while let Ok(line) = rx.try_recv() {
        lines.push(line);
    }
    lines
}

#[test]
fn every_other_member_of_the_room_gets_each_line() {
    let hub = Hub::new();
    let mut alice = hub.join("rust", "alice").unwrap();
    let mut bob = hub.join("rust", "bob").unwrap();
    let mut carol = hub.join("rust", "carol").unwrap();
    assert!(hub.broadcast("rust", "alice", "hi").is_empty());
    assert_eq!(queued(&mut bob), ["alice: hi"]);
    assert_eq!(queued(&mut carol), ["alice: hi"]);
    assert!(
        queued(&mut alice).is_empty(),
        "the sender does not get its own line"
    );
}

#[test]
fn lines_stay_in_their_room() {
    let hub = Hub::new();
    let _alice = hub.join("rust", "alice").unwrap();
    let mut bob = hub.join("rust", "bob").unwrap();
    let mut dave = hub.join("go", "dave").unwrap();
    hub.broadcast("rust", "alice", "hi");
    assert_eq!(queued(&mut bob), ["alice: hi"]);
    assert!(
        queued(&mut dave).is_empty(),
        "dave, in room go, got a line said in room rust: broadcast only to `room`'s members"
    );
    assert_eq!(
        hub.members("go"),
        ["dave"],
        "and nobody in go was disconnected"
    );
}

#[test]
fn a_full_queue_disconnects_its_member_at_once() {
    let hub = Hub::new();
    let _alice = hub.join("rust", "alice").unwrap();
    let mut bob = hub.join("rust", "bob").unwrap();
    for i in 0..QUEUE {
        assert!(
            hub.broadcast("rust", "alice", &format!("line {i}"))
                .is_empty(),
            "bob's queue had room for line {i}: he is not too slow yet"
        );
    }
    assert_eq!(
        hub.broadcast("rust", "alice", "one too many"),
        ["bob"],
        "bob's queue was full ({QUEUE} lines): broadcast must disconnect him and say so"
    );
    assert_eq!(hub.members("rust"), ["alice"]);
    assert_eq!(
        queued(&mut bob).len(),
        QUEUE,
        "bob still gets the lines already queued"
    );
    assert!(
        bob.try_recv().is_err() && bob.is_closed(),
        "then his queue ends: the hub's Sender, the only one, was dropped"
    );
}

#[test]
fn a_member_who_left_without_leave_is_removed_quietly() {
    let hub = Hub::new();
    let _alice = hub.join("rust", "alice").unwrap();
    drop(hub.join("rust", "bob").unwrap()); // bob's connection ended
    assert!(
        hub.broadcast("rust", "alice", "hi").is_empty(),
        "bob's queue was closed, not full: he left, he was not too slow"
    );
    assert_eq!(
        hub.members("rust"),
        ["alice"],
        "but he is gone from the room"
    );
}

/// A member's connection: reads its queue until it ends, yielding after
/// each line, as a task writing to a socket would.
async fn reader(mut queue: mpsc::Receiver<String>) -> Vec<String> {
    let mut got = Vec::new();
    while let Some(line) = queue.recv().await {
        got.push(line);
        tokio::task::yield_now().await;
    }
    got
}

#[tokio::test]
async fn a_slow_reader_is_disconnected_and_the_others_get_everything() {
    let hub = Arc::new(Hub::new());
    let fast: Vec<_> = ["bob", "carol"]
        .iter()
        .map(|name| tokio::spawn(reader(hub.join("rust", name).unwrap())))
        .collect();
    let mut slow = hub.join("rust", "dave").unwrap(); // never reads
    let _alice = hub.join("rust", "alice").unwrap();

    // Alice says 3 * QUEUE lines, letting the readers run between them.
    let lines = 3 * QUEUE;
    let mut disconnected = Vec::new();
    for i in 0..lines {
        disconnected.extend(hub.broadcast("rust", "alice", &format!("line {i}")));
        tokio::task::yield_now().await;
    }
    assert_eq!(
        disconnected,
        ["dave"],
        "dave read nothing while alice said {lines} lines: once his queue of {QUEUE} \
         was full he had to be disconnected (and reported once), not kept with lines \
         silently dropped"
    );
    assert_eq!(hub.members("rust"), ["alice", "bob", "carol"]);
    let expected: Vec<String> = (0..lines).map(|i| format!("alice: line {i}")).collect();
    for name in ["bob", "carol"] {
        hub.leave("rust", name);
    }
    for (name, task) in ["bob", "carol"].iter().zip(fast) {
        assert_eq!(
            task.await.unwrap(),
            expected,
            "{name} reads as fast as the room talks and must get every line, in order"
        );
    }
    assert_eq!(queued(&mut slow).len(), QUEUE);
    assert!(
        slow.recv().await.is_none(),
        "dave's queue ends after his backlog"
    );
}
