use std::marker::PhantomPinned;
use std::pin::Pin;

struct Plain {
    n: u32,
}

struct Linked {
    n: u32,
    _pin: PhantomPinned,
}

fn main() {
    let mut a = Plain { n: 1 };
    Pin::new(&mut a).n += 1;
    let b = Box::pin(Linked {
        n: 1,
        _pin: PhantomPinned,
    });
    println!("{} {}", a.n, b.n);
    let mut c = Linked {
        n: 1,
        _pin: PhantomPinned,
    };
    let pinned = Pin::new(&mut c);
    println!("{}", pinned.n);
}
