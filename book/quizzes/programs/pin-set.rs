use std::pin::pin;

struct Loud(&'static str);

impl Drop for Loud {
    fn drop(&mut self) {
        println!("drop {}", self.0);
    }
}

fn main() {
    let mut p = pin!(Loud("first"));
    println!("pinned {}", p.0);
    p.set(Loud("second"));
    println!("pinned {}", p.0);
}
