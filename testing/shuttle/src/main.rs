//! Part VI, "Randomised schedules with shuttle": a check-then-act race on a
//! mutex-guarded balance, which shuttle's randomised scheduler finds, and
//! the fix, which passes every schedule shuttle tries.
//!
//!     cargo run --release -p shuttle_models -- check-then-act|one-lock
//!
//! Both runs use a fixed seed, so the schedules shuttle tries, and what it
//! finds, are the same on every run.

use shuttle::scheduler::RandomScheduler;
use shuttle::sync::{Arc, Mutex};
use shuttle::{Config, Runner};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The seed of shuttle's random scheduler: the same seed, the same schedules.
const SEED: u64 = 2026;
/// How many schedules to try before calling it a pass.
const ITERATIONS: usize = 1000;

// ANCHOR: withdraw
/// The bug: the check and the update take the lock separately, so another
/// thread can withdraw in between, after this one decided there was enough.
fn withdraw_check_then_act(balance: &Mutex<u64>, amount: u64) -> bool {
    let enough = *balance.lock().unwrap() >= amount; // the guard drops here
    if enough {
        let mut b = balance.lock().unwrap();
        *b = b
            .checked_sub(amount)
            .expect("overdrawn: the balance went below zero");
    }
    enough
}

/// The fix: check and update under one guard.
fn withdraw_one_lock(balance: &Mutex<u64>, amount: u64) -> bool {
    let mut b = balance.lock().unwrap();
    let enough = *b >= amount;
    if enough {
        *b -= amount;
    }
    enough
}
// ANCHOR_END: withdraw

fn main() -> ExitCode {
    let variant = std::env::args().nth(1).unwrap_or_default();
    let withdraw: fn(&Mutex<u64>, u64) -> bool = match variant.as_str() {
        "check-then-act" => withdraw_check_then_act,
        "one-lock" => withdraw_one_lock,
        _ => {
            eprintln!("usage: shuttle_models check-then-act|one-lock");
            return ExitCode::from(2);
        }
    };
    static RUNS: AtomicUsize = AtomicUsize::new(0);

    // ANCHOR: test
    // Two threads each withdraw 60 from 100: one must be refused.
    let test = move || {
        RUNS.fetch_add(1, Ordering::Relaxed);
        let balance = Arc::new(Mutex::new(100u64));
        let other = {
            let balance = Arc::clone(&balance);
            shuttle::thread::spawn(move || withdraw(&balance, 60))
        };
        let mine = withdraw(&balance, 60);
        let theirs = other.join().unwrap();
        assert!(mine != theirs, "exactly one withdrawal must succeed");
    };
    let scheduler = RandomScheduler::new_from_seed(SEED, ITERATIONS);
    let result = std::panic::catch_unwind(move || Runner::new(scheduler, Config::new()).run(test));
    // ANCHOR_END: test

    let runs = RUNS.load(Ordering::Relaxed);
    match result {
        Ok(_) => {
            println!("{variant}: seed {SEED}, {runs} random schedules, none fails");
            ExitCode::SUCCESS
        }
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(a panic without a message)");
            println!("{variant}: seed {SEED}, schedule {runs} of at most {ITERATIONS} fails:");
            println!("{message}");
            ExitCode::from(1)
        }
    }
}
