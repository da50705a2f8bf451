//! Tests for Part I's bank: `cargo test -p exercises --test bank_transfers`.
//!
//! A deadlock would hang a test forever, so the busy tests run the
//! transfers on threads of their own and wait for them with a time limit.

#[cfg_attr(not(feature = "solutions"), path = "../src/bank_transfers.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/bank_transfers.rs")]
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
