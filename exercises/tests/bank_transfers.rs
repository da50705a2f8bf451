//! Tests for Part I's bank: `cargo test -p exercises --test bank_transfers`.
//!
//! A deadlock would hang a test forever, so the busy tests run the
//! transfers on threads of their own and wait for them with a time limit.

#[cfg_attr(
    not(any(feature = "solutions", any_wrong)),
    path = "../src/bank_transfers.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/bank_transfers.rs")]
#[cfg_attr(
    wrong = "bank_transfers__check_then_act",
    path = "../wrong/bank_transfers__check_then_act.rs"
)]
#[cfg_attr(
    wrong = "bank_transfers__check_then_act",
    path = "../wrong/bank_transfers__check_then_act.rs"
)]
#[cfg_attr(
    wrong = "bank_transfers__check_then_act",
    path = "../wrong/bank_transfers__check_then_act.rs"
)]
mod bank_transfers;

use bank_transfers::Bank;
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::Duration;

/// Runs `work` on a thread and fails the test if it does not end in time.
fn within_time_limit(what: &str, work: impl FnOnce() + Send + 'static) {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        work();
        let _ = tx.send(());
    });
    match rx.recv_timeout(Duration::from_secs(10)) {
        Ok(()) => {}
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "{what} did not finish within 10 s: a deadlock? Do both directions lock the accounts in the same order?"
        ),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{what} panicked"),
    }
}

#[test]
fn a_transfer_moves_money_only_when_there_is_enough() {
    let bank = Bank::new(&[100, 50]);
    assert!(bank.transfer(0, 1, 30), "100 covers a transfer of 30");
    assert_eq!((bank.balance(0), bank.balance(1)), (70, 80));
    assert!(!bank.transfer(1, 0, 81), "80 does not cover 81");
    assert_eq!(
        (bank.balance(0), bank.balance(1)),
        (70, 80),
        "a refused transfer changes nothing"
    );
    assert!(bank.transfer(1, 0, 80), "exactly enough is enough");
    assert_eq!((bank.balance(0), bank.balance(1)), (150, 0));
}

#[test]
fn a_transfer_to_the_same_account_changes_nothing() {
    let bank = Arc::new(Bank::new(&[10]));
    let b = Arc::clone(&bank);
    within_time_limit("a transfer from account 0 to account 0", move || {
        assert!(b.transfer(0, 0, 5));
    });
    assert_eq!(bank.balance(0), 10);
}

#[test]
fn opposite_transfers_at_once_do_not_deadlock_or_lose_money() {
    let bank = Arc::new(Bank::new(&[1_000, 1_000, 1_000]));
    let b = Arc::clone(&bank);
    within_time_limit("thousands of transfers in opposite directions", move || {
        thread::scope(|s| {
            // Two threads per direction between every pair of accounts.
            for (from, to) in [(0, 1), (1, 0), (1, 2), (2, 1), (2, 0), (0, 2)] {
                let b = &b;
                s.spawn(move || {
                    for i in 0..20_000 {
                        b.transfer(from, to, 1 + i % 7);
                    }
                });
            }
        });
    });
    assert_eq!(
        bank.total(),
        3_000,
        "transfers must neither create nor lose money"
    );
    for i in 0..3 {
        assert!(
            bank.balance(i) >= 0,
            "account {i} went negative: check and act under the same lock"
        );
    }
}

#[test]
fn no_transfer_can_spend_the_money_between_the_check_and_the_move() {
    let bank = Arc::new(Bank::new(&[100, 0, 0]));
    let b = Arc::clone(&bank);
    let (other_tx, other_rx) = mpsc::channel();
    within_time_limit("a transfer that another one tried to overtake", move || {
        let mut paused = false;
        let moved = b.transfer_pausing(0, 1, 100, || {
            paused = true;
            // The check has passed: now another thread tries to spend the
            // same 100. While this transfer holds the accounts it must
            // wait; give it time to get through if it can.
            let other = Arc::clone(&b);
            let (done_tx, done_rx) = mpsc::channel();
            thread::spawn(move || {
                let moved = other.transfer(0, 2, 100);
                let _ = other_tx.send(moved);
                let _ = done_tx.send(());
            });
            let _ = done_rx.recv_timeout(Duration::from_millis(300));
        });
        assert!(
            paused,
            "transfer_pausing must call `between` after the check passed, before the move"
        );
        assert!(moved, "100 covers a transfer of 100");
    });
    let other_moved = other_rx
        .recv_timeout(Duration::from_secs(10))
        .expect("the second transfer never ended");
    assert!(
        bank.balance(0) >= 0,
        "account 0 went to {}: the balance was checked, then another transfer spent the \
         money before this one moved it (check-then-act). Check and move under the same \
         guards, with no unlock in between",
        bank.balance(0)
    );
    assert!(
        !other_moved,
        "only one of two transfers of the whole 100 can succeed"
    );
    assert_eq!(bank.total(), 100);
}
