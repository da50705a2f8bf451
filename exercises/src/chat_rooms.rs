//! Part V, the capstone: chat rooms, and the slow reader.
//!
//! `Hub` is the chat server's routing, without the sockets: rooms, and in
//! each room its members' names mapped to the sending end of their bounded
//! outbound queues. Each member's connection task (here, a task of the
//! tests) drains its own queue at whatever speed its client reads.
//! `join`, `leave` and `members` work. Write `broadcast(room, from, text)`:
//!
//! - every *other* member of `room`, and no one outside it, gets
//!   `FROM: TEXT` queued, with `try_send`: a broadcast never waits on a
//!   member;
//! - a member whose queue is full has fallen `QUEUE` lines behind: it is
//!   too slow for the room, so it is disconnected, as the capstone server
//!   does. Remove it from the room: that drops the hub's `Sender`, the only
//!   one, so its connection sees the lines already queued, then the end
//!   of the queue. Return the names of the members disconnected, so that
//!   the caller can tell the room;
//! - a member whose queue is closed has already left (its connection
//!   ended): remove it too, quietly; it was not slow.
//!
//! As shipped, `broadcast` drops the lines a full queue cannot take and
//! keeps the member, who is left in a conversation with silent holes.
//!
//! Check it with `cargo test -p exercises --test chat_rooms`.

// Until you match on the error, the stub leaves `TrySendError` unused.
#![allow(unused_imports)]

use std::collections::HashMap;
use std::sync::Mutex;
use tokio::sync::mpsc;
use tokio::sync::mpsc::error::TrySendError;

/// Lines that may wait for one member before it counts as too slow.
pub const QUEUE: usize = 8;

#[derive(Default)]
pub struct Hub {
    /// Room name -> member name -> that member's queue. A std `Mutex`: held
    /// only for non-async work, never across an `.await`.
    rooms: Mutex<HashMap<String, HashMap<String, mpsc::Sender<String>>>>,
}

impl Hub {
    pub fn new() -> Hub {
        Hub::default()
    }

    /// Adds `name` to `room` (created if new); `None` if the name is taken
    /// there. The receiver is what the member's connection writes out.
    pub fn join(&self, room: &str, name: &str) -> Option<mpsc::Receiver<String>> {
        let mut rooms = self.rooms.lock().unwrap();
        let members = rooms.entry(room.to_string()).or_default();
        if members.contains_key(name) {
            return None;
        }
        let (queue, rx) = mpsc::channel(QUEUE);
        members.insert(name.to_string(), queue);
        Some(rx)
    }

    pub fn leave(&self, room: &str, name: &str) {
        if let Some(members) = self.rooms.lock().unwrap().get_mut(room) {
            members.remove(name);
        }
    }

    /// The members of `room`, sorted.
    pub fn members(&self, room: &str) -> Vec<String> {
        let rooms = self.rooms.lock().unwrap();
        let mut names: Vec<String> = rooms
            .get(room)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        names.sort();
        names
    }

    /// Queues `FROM: TEXT` for every other member of `room`, never waiting;
    /// disconnects the members too slow to take it, and returns their names.
    pub fn broadcast(&self, room: &str, from: &str, text: &str) -> Vec<String> {
        let line = format!("{from}: {text}");
        let mut rooms = self.rooms.lock().unwrap();
        let Some(members) = rooms.get_mut(room) else {
            return Vec::new();
        };
        for (name, queue) in members.iter() {
            if name != from {
                // TODO: this drops the line when the queue is full, and
                // keeps the member. Match on the error instead: `Full`
                // means too slow (remember the name), `Closed` means gone.
                // Then remove both kinds from the room (after the loop: a
                // map cannot lose entries while you iterate over it), and
                // return the slow ones' names.
                let _ = queue.try_send(line.clone());
            }
        }
        Vec::new()
    }
}
