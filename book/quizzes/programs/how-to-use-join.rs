use std::thread;

fn main() {
    let handles: Vec<_> = (1..4).map(|i| thread::spawn(move || i * 10)).collect();
    // The threads may finish in any order; they are joined in spawn order.
    let results: Vec<i32> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    println!("{:?}", results);
}
