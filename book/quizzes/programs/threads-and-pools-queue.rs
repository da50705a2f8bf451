use std::sync::mpsc::{TrySendError, sync_channel};

fn main() {
    // A queue of 2, and no worker taking from it yet.
    let (tx, rx) = sync_channel::<u32>(2);
    for job in 1..5 {
        match tx.try_send(job) {
            Ok(()) => println!("queued {}", job),
            Err(TrySendError::Full(job)) => println!("503 for {}", job),
            Err(TrySendError::Disconnected(_)) => unreachable!(),
        }
    }
    drop(tx);
    let served: Vec<u32> = rx.iter().collect();
    println!("{:?}", served);
}
