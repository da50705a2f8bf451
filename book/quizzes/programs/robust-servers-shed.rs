use std::sync::mpsc::{TrySendError, sync_channel};

fn main() {
    // A queue with room for two requests; a full queue sheds at once.
    let (tx, rx) = sync_channel::<u32>(2);
    for request in 1..5 {
        if request == 4 {
            println!("worker took {}", rx.recv().unwrap());
        }
        match tx.try_send(request) {
            Ok(()) => println!("queued {}", request),
            Err(TrySendError::Full(r)) => println!("503 for {}", r),
            Err(TrySendError::Disconnected(_)) => unreachable!(),
        }
    }
}
