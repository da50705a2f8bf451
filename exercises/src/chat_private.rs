//! Part V: add private messages to the chat server.
//!
//! `Room` is the chat server's routing, without the sockets: each member's
//! name maps to the sending end of its bounded outbound queue, as in
//! `examples/chat_server.rs`. Broadcast, `/who` and unknown commands work.
//! Add `/msg NAME TEXT`:
//!
//! - NAME, and only NAME, gets `[private] FROM: TEXT`;
//! - if no one is called NAME, the sender gets `*** no one called NAME is here`;
//! - `/msg` without a name and a text gets `*** usage: /msg NAME TEXT`.
//!
//! Check it with `cargo test -p exercises --test chat_private`.

// Until you write `private_message`, the stub leaves its parameters unused.
#![allow(unused_variables, dead_code)]

use std::collections::HashMap;
use std::sync::Mutex;
use tokio::sync::mpsc;

/// Lines waiting for one member.
pub const QUEUE: usize = 16;

#[derive(Default)]
pub struct Room {
    /// A std `Mutex`: held only for non-async work, never across `.await`.
    members: Mutex<HashMap<String, mpsc::Sender<String>>>,
}

impl Room {
    pub fn new() -> Room {
        Room::default()
    }

    /// Adds a member; `None` if the name is taken. The receiver is what the
    /// member's connection would write to its socket.
    pub fn join(&self, name: &str) -> Option<mpsc::Receiver<String>> {
        let mut members = self.members.lock().unwrap();
        if members.contains_key(name) {
            return None;
        }
        let (tx, rx) = mpsc::channel(QUEUE);
        members.insert(name.to_string(), tx);
        Some(rx)
    }

    pub fn leave(&self, name: &str) {
        self.members.lock().unwrap().remove(name);
    }

    /// Queues `line` for one member, without waiting. `false` if there is no
    /// such member (a full queue drops the line, as a slow reader's would).
    fn send_to(&self, name: &str, line: String) -> bool {
        match self.members.lock().unwrap().get(name) {
            Some(queue) => {
                let _ = queue.try_send(line);
                true
            }
            None => false,
        }
    }

    fn broadcast(&self, from: &str, line: &str) {
        for (name, queue) in self.members.lock().unwrap().iter() {
            if name != from {
                let _ = queue.try_send(line.to_string());
            }
        }
    }

    /// What the server does with one line from `from`.
    pub fn handle_line(&self, from: &str, line: &str) {
        let line = line.trim();
        if line.is_empty() {
            return;
        }
        if line == "/who" {
            let mut names: Vec<String> = self.members.lock().unwrap().keys().cloned().collect();
            names.sort();
            self.send_to(from, format!("*** here: {}", names.join(", ")));
        } else if line == "/msg" || line.starts_with("/msg ") {
            self.private_message(from, line["/msg".len()..].trim_start());
        } else if line.starts_with('/') {
            self.send_to(from, format!("*** unknown command {line}"));
        } else {
            self.broadcast(from, &format!("{from}: {line}"));
        }
    }

    /// `/msg NAME TEXT`: `rest` is what follows `/msg `.
    fn private_message(&self, from: &str, rest: &str) {
        // TODO: split `rest` into the recipient's name and the text; with
        // either missing, tell `from` the usage.
        // TODO: queue `[private] FROM: TEXT` for the recipient alone (see
        // `send_to`), or tell `from` that no one by that name is here.
        todo!("deliver a private message")
    }
}
