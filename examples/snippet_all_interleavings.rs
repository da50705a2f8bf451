//! What loom does, by hand: try every interleaving of two threads that
//! each do `let v = counter; counter = v + 1;` (a load then a store, not
//! one atomic step), and find the ones that lose an update. std only,
//! short enough for the Rust Playground.

// ANCHOR: main
/// Runs one schedule: `order[i]` is the thread that takes step i.
fn run(order: &[usize]) -> u32 {
    let mut counter = 0;
    let mut loaded = [0u32; 2]; // each thread's `v`
    let mut next_step = [0usize; 2]; // 0: load, 1: store
    for &t in order {
        match next_step[t] {
            0 => loaded[t] = counter,
            _ => counter = loaded[t] + 1,
        }
        next_step[t] += 1;
    }
    counter
}

fn main() {
    // All orders of two steps of thread 0 and two of thread 1.
    let mut schedules = Vec::new();
    for bits in 0u32..16 {
        let order: Vec<usize> = (0..4).map(|i| ((bits >> i) & 1) as usize).collect();
        if order.iter().filter(|&&t| t == 0).count() == 2 {
            schedules.push(order);
        }
    }
    let mut lost = 0;
    for order in &schedules {
        let result = run(order);
        let verdict = if result == 2 { "ok" } else { "LOST UPDATE" };
        println!("schedule {order:?}: counter = {result} {verdict}");
        lost += (result != 2) as usize;
    }
    println!("{lost} of {} schedules lose an update", schedules.len());
}
// ANCHOR_END: main
