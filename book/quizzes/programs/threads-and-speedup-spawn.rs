use std::thread;

fn main() {
    let data = vec![1, 2, 3];
    let h = thread::spawn(|| data.len());
    println!("{}", h.join().unwrap());
}
