// Thread A adds one with a load, then a store; thread B with one atomic step.
#[derive(Clone, Copy)]
enum Step {
    ALoad,
    AStore,
    BAdd,
}

fn run(order: &[Step]) -> u32 {
    let mut counter = 0;
    let mut a_saw = 0;
    for step in order {
        match *step {
            Step::ALoad => a_saw = counter,
            Step::AStore => counter = a_saw + 1,
            Step::BAdd => counter += 1,
        }
    }
    counter
}

fn main() {
    // A's two steps stay in program order; B's one step can come at any point.
    let schedules = [
        [Step::BAdd, Step::ALoad, Step::AStore],
        [Step::ALoad, Step::BAdd, Step::AStore],
        [Step::ALoad, Step::AStore, Step::BAdd],
    ];
    let mut lost = 0;
    for order in schedules.iter() {
        if run(order) != 2 {
            lost += 1;
        }
    }
    println!("{} of {} schedules lose an update", lost, schedules.len());
}
