use std::sync::{Barrier, Mutex};
use std::thread;

fn main() {
    let balance = Mutex::new(100);
    let both_checked = Barrier::new(2);
    let withdraw = || {
        let enough = *balance.lock().unwrap() >= 60; // the guard is dropped here
        both_checked.wait(); // forces the schedule: both check before either acts
        if enough {
            *balance.lock().unwrap() -= 60;
        }
        enough
    };
    let (a, b) = thread::scope(|s| {
        let a = s.spawn(withdraw);
        let b = s.spawn(withdraw);
        (a.join().unwrap(), b.join().unwrap())
    });
    println!("{} {} {}", a, b, balance.into_inner().unwrap());
}
