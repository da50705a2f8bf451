//! Tests for Part V's chat exercise: `cargo test -p exercises --test chat_private`.
//!
//! The room is tested without sockets: each member's queue is a channel
//! receiver, and `try_recv` shows exactly what would have been written to
//! that member, and that nothing else was.

#[cfg_attr(
    not(any(feature = "solutions", any_wrong)),
    path = "../src/chat_private.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/chat_private.rs")]
mod chat_private;

use chat_private::Room;
use tokio::sync::mpsc::Receiver;

/// Everything queued for one member so far.
fn received(rx: &mut Receiver<String>) -> Vec<String> {
    std::iter::from_fn(|| rx.try_recv().ok()).collect()
}

fn room_of_three() -> (Room, Receiver<String>, Receiver<String>, Receiver<String>) {
    let room = Room::new();
    let alice = room.join("alice").unwrap();
    let bob = room.join("bob").unwrap();
    let carol = room.join("carol").unwrap();
    (room, alice, bob, carol)
}

#[test]
fn broadcast_still_reaches_everyone_else() {
    let (room, mut alice, mut bob, mut carol) = room_of_three();
    room.handle_line("alice", "hello");
    assert_eq!(received(&mut bob), ["alice: hello"]);
    assert_eq!(received(&mut carol), ["alice: hello"]);
    assert!(received(&mut alice).is_empty(), "no echo to the sender");
}

#[test]
fn a_private_message_reaches_its_recipient_only() {
    let (room, mut alice, mut bob, mut carol) = room_of_three();
    room.handle_line("alice", "/msg bob see you at 5");
    assert_eq!(
        received(&mut bob),
        ["[private] alice: see you at 5"],
        "bob gets the text, marked private, with the sender's name"
    );
    assert!(received(&mut carol).is_empty(), "carol must not see it");
    assert!(received(&mut alice).is_empty(), "alice gets nothing back");
}

#[test]
fn a_private_message_to_no_one_is_answered() {
    let (room, mut alice, mut bob, _carol) = room_of_three();
    room.handle_line("alice", "/msg dave are you there?");
    assert_eq!(received(&mut alice), ["*** no one called dave is here"]);
    assert!(received(&mut bob).is_empty());
}

#[test]
fn a_private_message_after_leaving_is_answered() {
    let (room, mut alice, _bob, _carol) = room_of_three();
    room.leave("carol");
    room.handle_line("alice", "/msg carol hi");
    assert_eq!(received(&mut alice), ["*** no one called carol is here"]);
}

#[test]
fn a_malformed_msg_gets_the_usage() {
    let (room, mut alice, mut bob, _carol) = room_of_three();
    for line in ["/msg", "/msg bob", "/msg bob   "] {
        room.handle_line("alice", line);
        assert_eq!(
            received(&mut alice),
            ["*** usage: /msg NAME TEXT"],
            "for `{line}`"
        );
    }
    assert!(received(&mut bob).is_empty());
}
