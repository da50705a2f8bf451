use std::sync::mpsc::{SyncSender, TrySendError, sync_channel};

struct Member {
    name: &'static str,
    queue: SyncSender<String>,
}

fn main() {
    let (fast_tx, fast_rx) = sync_channel(2);
    let (slow_tx, _slow_rx) = sync_channel(2); // kept, but never read
    let mut room = vec![
        Member {
            name: "fast",
            queue: fast_tx,
        },
        Member {
            name: "slow",
            queue: slow_tx,
        },
    ];
    for n in 1..4 {
        let line = format!("line {}", n);
        room.retain(|m| match m.queue.try_send(line.clone()) {
            Ok(()) => true,
            Err(TrySendError::Full(_)) => {
                println!("{} disconnected at {}", m.name, line);
                false
            }
            Err(TrySendError::Disconnected(_)) => false,
        });
        // The fast member's connection drains its queue as lines come.
        while let Ok(got) = fast_rx.try_recv() {
            println!("fast got {}", got);
        }
    }
    println!("{} left in the room", room.len());
}
