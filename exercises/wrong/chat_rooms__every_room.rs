//! Wrong solution of chat_rooms: it disconnects slow readers correctly,
//! but sends every line to the members of every room. The rooms are
//! there in the data and ignored by the broadcast.
//!
//! caught by: lines_stay_in_their_room

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
        let _ = room; // The mistake: the room is never looked at.
        let mut too_slow = Vec::new();
        for members in rooms.values_mut() {
            let mut gone = Vec::new();
            for (name, queue) in members.iter() {
                if name == from {
                    continue;
                }
                match queue.try_send(line.clone()) {
                    Ok(()) => {}
                    Err(TrySendError::Full(_)) => {
                        too_slow.push(name.clone());
                        gone.push(name.clone());
                    }
                    Err(TrySendError::Closed(_)) => gone.push(name.clone()),
                }
            }
            for name in &gone {
                members.remove(name);
            }
        }
        too_slow
    }
}
