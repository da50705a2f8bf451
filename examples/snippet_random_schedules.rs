//! What shuttle does, by hand: run a racy check-then-act many times under
//! random schedules chosen by a seeded generator, and report the seed of
//! the first failure so it can be replayed. std only, short enough for the
//! Rust Playground.

/// A small seeded generator (xorshift): the same seed, the same schedule.
fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

// ANCHOR: main
/// Two threads each run `if slot.is_none() { slot = Some(me) }` in two
/// steps (check, then act). Returns how many threads believe they won.
fn run(seed: u64) -> usize {
    let mut rng = seed;
    let mut slot: Option<usize> = None;
    let mut saw_empty = [false; 2];
    let mut step = [0; 2];
    let mut winners = 0;
    while step != [2, 2] {
        let mut t = (next(&mut rng) % 2) as usize; // the scheduler's choice
        if step[t] == 2 {
            t = 1 - t;
        }
        if step[t] == 0 {
            saw_empty[t] = slot.is_none(); // check
        } else if saw_empty[t] {
            slot = Some(t); // act on a check that may be stale
            winners += 1;
        }
        step[t] += 1;
    }
    winners
}

fn main() {
    let failing: Vec<u64> = (1..=100).filter(|&seed| run(seed) > 1).collect();
    println!(
        "100 random schedules: {} let both threads win",
        failing.len()
    );
    if let Some(seed) = failing.first() {
        println!("replay: seed {seed} fails again: {}", run(*seed) > 1);
    }
}
// ANCHOR_END: main
