//! A deadlock on every run, detected and reported; its cure, a lock order;
//! and a race condition that `Send` and `Sync` do not prevent.
//!
//! Run it with:
//!
//!     cargo run --release --example deadlock
//!
//! Two accounts, each behind its own `Mutex`. Two threads transfer money in
//! opposite directions, and each locks the account it takes money *from*
//! first. A `Barrier` makes both threads take their first lock before
//! either tries its second, so the bad interleaving happens on every run,
//! not once in a million. The program never hangs: the main thread waits
//! for the workers with a time limit, reports the deadlock and moves on.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Barrier, Mutex};
use std::thread;
use std::time::Duration;

/// How long the main thread waits for the transfers before it calls it a
/// deadlock. Each transfer takes microseconds; this is generous.
const PATIENCE: Duration = Duration::from_millis(500);

struct Account {
    name: &'static str,
    balance: Mutex<i64>,
}

// ANCHOR: naive
/// Locks `from`, then `to`: the natural order, and the wrong one. A thread
/// moving money A -> B and another moving B -> A lock the same two
/// mutexes in opposite orders.
fn transfer_naive(from: &Account, to: &Account, amount: i64, both_hold_one: &Barrier) {
    let mut src = from.balance.lock().unwrap();
    println!("  {} -> {}: locked {}", from.name, to.name, from.name);
    // Wait until the other thread holds its first lock too. Without the
    // barrier the deadlock would need bad luck; with it, it needs none.
    both_hold_one.wait();
    println!("  {} -> {}: waiting for {}...", from.name, to.name, to.name);
    let mut dst = to.balance.lock().unwrap(); // held by the other thread: waits forever
    *src -= amount;
    *dst += amount;
}
// ANCHOR_END: naive

// ANCHOR: ordered
/// The cure: every thread takes the two locks in one global order (here,
/// by account name), whichever way the money moves. A thread can then only
/// wait for a lock "later" in the order than every lock it holds, so a
/// cycle of waiting threads cannot form.
fn transfer_ordered(from: &Account, to: &Account, amount: i64, both_ready: &Barrier) {
    let (first, second) = if from.name < to.name {
        (from, to)
    } else {
        (to, from)
    };
    both_ready.wait();
    let mut a = first.balance.lock().unwrap();
    let mut b = second.balance.lock().unwrap();
    let (src, dst) = if from.name < to.name {
        (&mut *a, &mut *b)
    } else {
        (&mut *b, &mut *a)
    };
    *src -= amount;
    *dst += amount;
}
// ANCHOR_END: ordered

type Transfer = fn(&Account, &Account, i64, &Barrier);

/// Runs A -> B and B -> A at once, and waits for both with a time limit.
/// Returns whether both finished.
fn run_both(transfer: Transfer, a: &Arc<Account>, b: &Arc<Account>) -> bool {
    let barrier = Arc::new(Barrier::new(2));
    let (done_tx, done_rx) = mpsc::channel();
    for (from, to, amount) in [(a, b, 10), (b, a, 20)] {
        let (from, to) = (Arc::clone(from), Arc::clone(to));
        let (barrier, done_tx) = (Arc::clone(&barrier), done_tx.clone());
        // Plain `thread::spawn`, not a scope: a deadlocked thread never
        // finishes, and a scope would wait for it forever. These threads
        // own what they use (Arcs), so they may outlive this function.
        thread::spawn(move || {
            transfer(&from, &to, amount, &barrier);
            let _ = done_tx.send(());
        });
    }
    // ANCHOR: detect
    // A bounded wait: two "done" messages within PATIENCE, or a deadlock.
    for _ in 0..2 {
        match done_rx.recv_timeout(PATIENCE) {
            Ok(()) => {}
            Err(RecvTimeoutError::Timeout) => return false,
            Err(RecvTimeoutError::Disconnected) => unreachable!("a sender is kept alive"),
        }
    }
    // ANCHOR_END: detect
    drop(done_tx);
    true
}

fn account(name: &'static str, balance: i64) -> Arc<Account> {
    Arc::new(Account {
        name,
        balance: Mutex::new(balance),
    })
}

// ANCHOR: race
/// A check-then-act race. Every access to the balance is locked, the types
/// are `Send` and `Sync`, and it compiles without a warning. But the lock is
/// released between the check and the act, so both threads can pass the
/// check before either withdraws.
fn withdraw_racy(balance: &Mutex<i64>, amount: i64, both_checked: &Barrier) -> bool {
    let enough = *balance.lock().unwrap() >= amount; // check (lock released here)
    both_checked.wait(); // let the other thread check too: the race, every time
    if enough {
        *balance.lock().unwrap() -= amount; // act, on a check that is stale
    }
    enough
}

/// The fix: check and act under one lock guard, so no other thread can act
/// in between.
fn withdraw_atomic(balance: &Mutex<i64>, amount: i64, both_ready: &Barrier) -> bool {
    both_ready.wait();
    let mut guard = balance.lock().unwrap();
    let enough = *guard >= amount;
    if enough {
        *guard -= amount;
    }
    enough
}
// ANCHOR_END: race

fn two_withdrawals(withdraw: fn(&Mutex<i64>, i64, &Barrier) -> bool) -> (usize, i64) {
    let balance = Mutex::new(100);
    let barrier = Barrier::new(2);
    let granted = thread::scope(|s| {
        let hs: Vec<_> = (0..2)
            .map(|_| s.spawn(|| withdraw(&balance, 100, &barrier)))
            .collect();
        hs.into_iter()
            .map(|h| h.join().unwrap())
            .filter(|&ok| ok)
            .count()
    });
    (granted, balance.into_inner().unwrap())
}

fn main() {
    println!("1. Locks taken in opposite orders (A -> B locks A then B; B -> A locks B then A):");
    let (a, b) = (account("A", 100), account("B", 100));
    if run_both(transfer_naive, &a, &b) {
        println!("  both transfers finished (the interleaving was avoided?)");
    } else {
        println!(
            "  DEADLOCK: neither transfer finished within {} ms. Each thread holds one lock and waits for the other's.",
            PATIENCE.as_millis()
        );
        println!(
            "  The two threads stay blocked forever; this program gives up on them and moves on."
        );
    }

    println!("\n2. The cure, one lock order (always A before B), same barrier:");
    let (a, b) = (account("A", 100), account("B", 100));
    if run_both(transfer_ordered, &a, &b) {
        // Copy each balance out before printing. A `println!` that locked A
        // twice in one statement (say, for A and for A + B) would hold the
        // first guard until the statement ends, while asking for the second:
        // a std Mutex locked twice by one thread never returns.
        let (a, b) = (*a.balance.lock().unwrap(), *b.balance.lock().unwrap());
        println!(
            "  both transfers finished: A = {a}, B = {b} (total {})",
            a + b
        );
    } else {
        println!("  DEADLOCK even with a lock order: this is a bug in the program");
    }

    println!(
        "\n3. A race that Send and Sync do not prevent: two threads withdraw 100 from a balance of 100."
    );
    let (granted, left) = two_withdrawals(withdraw_racy);
    println!("  check, unlock, then act: {granted} withdrawals granted, balance now {left}");
    let (granted, left) = two_withdrawals(withdraw_atomic);
    println!("  check and act under one lock: {granted} withdrawal granted, balance now {left}");
    // Returning from main ends the process, and with it the two threads
    // still blocked in part 1.
}
