use std::thread;

fn main() {
    let data = vec![1, 2, 3, 4, 5, 6];
    let (left, right) = data.split_at(3);
    let (a, b) = thread::scope(|s| {
        let h = s.spawn(|| left.iter().sum::<i32>());
        let b: i32 = right.iter().sum();
        (h.join().unwrap(), b)
    });
    println!("{} {} {}", a, b, data.len());
}
