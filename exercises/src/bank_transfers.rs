//! Part I, shared state: bank transfers with no deadlock and no lost money.
//!
//! Every account is a `Mutex<i64>`. `transfer` moves `amount` from one
//! account to another, if the source holds at least `amount`, and returns
//! whether it did. Many threads call it at once, in every direction, so:
//!
//! - it must lock both accounts and check the balance while holding them
//!   (a check made before locking can be stale by the time you act);
//! - it must never deadlock: two threads moving money A -> B and B -> A at
//!   the same moment must not each hold one lock and wait for the other;
//! - a transfer from an account to itself changes nothing and returns `true`
//!   (and must not lock the same `Mutex` twice, which would deadlock).
//!
//! `transfer` calls `transfer_pausing`, which is yours to fix: as shipped
//! it is the version that deadlocks.
//!
//! Check it with `cargo test -p exercises --test bank_transfers`.

use std::sync::Mutex;

pub struct Bank {
    accounts: Vec<Mutex<i64>>,
}

impl Bank {
    pub fn new(balances: &[i64]) -> Self {
        Self {
            accounts: balances.iter().map(|&b| Mutex::new(b)).collect(),
        }
    }

    pub fn balance(&self, account: usize) -> i64 {
        *self.accounts[account].lock().unwrap()
    }

    /// The money in the bank: transfers must never change it.
    pub fn total(&self) -> i64 {
        (0..self.accounts.len()).map(|i| self.balance(i)).sum()
    }

    /// Moves `amount` from `from` to `to` if `from` holds at least `amount`.
    pub fn transfer(&self, from: usize, to: usize, amount: i64) -> bool {
        self.transfer_pausing(from, to, amount, || {})
    }

    /// `transfer`, calling `between` once the balance check has passed and
    /// before the money moves. The tests use it to run another transfer at
    /// exactly that moment.
    pub fn transfer_pausing(
        &self,
        from: usize,
        to: usize,
        amount: i64,
        between: impl FnOnce(),
    ) -> bool {
        // TODO: this locks `from`, then `to`. Two threads moving money in
        // opposite directions can each take their first lock and wait for
        // the other's forever. Lock the two accounts in one order that
        // every thread agrees on, whatever the direction.
        // TODO: and when `from == to` it locks one `Mutex` twice, which
        // never returns: handle that case first (call `between`, return
        // `true`).
        let mut src = self.accounts[from].lock().unwrap();
        let mut dst = self.accounts[to].lock().unwrap();
        if *src < amount {
            return false;
        }
        between();
        *src -= amount;
        *dst += amount;
        true
    }
}
