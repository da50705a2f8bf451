use std::sync::Mutex;
use std::thread;

fn main() {
    let m = Mutex::new(1);
    thread::scope(|s| {
        let r = s
            .spawn(|| {
                let _guard = m.lock().unwrap();
                panic!("oops");
            })
            .join();
        println!("{}", r.is_err());
    });
    println!("{}", m.is_poisoned());
    let v = match m.lock() {
        Ok(guard) => *guard,
        Err(poisoned) => *poisoned.into_inner() + 10,
    };
    println!("{}", v);
}
