use std::sync::mpsc::{self, TrySendError};

fn main() {
    let (tx, rx) = mpsc::sync_channel(2);
    let mut sent = 0;
    for i in 0..5 {
        match tx.try_send(i) {
            Ok(()) => sent += 1,
            Err(TrySendError::Full(n)) => println!("full at {}", n),
            Err(TrySendError::Disconnected(_)) => unreachable!(),
        }
    }
    println!("sent {}", sent);
    println!("got {}", rx.recv().unwrap());
    tx.try_send(9).unwrap();
    drop(tx);
    let rest: Vec<i32> = rx.iter().collect();
    println!("{:?}", rest);
}
