//! Part V: private messages for the chat server (solution).
//!
//! `Room` is the chat server's routing, without the sockets: each member's
//! name maps to the sending end of its bounded outbound queue, as in
//! `examples/chat_server.rs`. `/msg NAME TEXT` delivers `[private] FROM: TEXT`
//! to NAME alone.

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
        let Some((to, text)) = rest.split_once(' ').map(|(to, t)| (to, t.trim())) else {
            self.send_to(from, "*** usage: /msg NAME TEXT".to_string());
            return;
        };
        if text.is_empty() {
            self.send_to(from, "*** usage: /msg NAME TEXT".to_string());
            return;
        }
        // The line that matters: one recipient's queue, not everyone's.
        if !self.send_to(to, format!("[private] {from}: {text}")) {
            self.send_to(from, format!("*** no one called {to} is here"));
        }
    }
}
