fn main() {
    let mut a = 0..3;
    let mut b = 10..12;
    let mut order = Vec::new();
    // One thread, two "tasks", one step each in turn.
    loop {
        let x = a.next();
        let y = b.next();
        if x.is_none() && y.is_none() {
            break;
        }
        order.extend(x);
        order.extend(y);
    }
    println!("{:?}", order);
}
