//! Wrong solution of bank_transfers: it checks the balance under the
//! source's lock, releases it, then locks both accounts (in a safe order)
//! and moves the money without checking again. Between the check and the
//! move another transfer can spend the same money: check-then-act. Money
//! is conserved, and under a random load an account almost never goes
//! negative, which is why it needs a test that runs a transfer in the gap.
//!
//! caught by: no_transfer_can_spend_the_money_between_the_check_and_the_move

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

    pub fn transfer_pausing(
        &self,
        from: usize,
        to: usize,
        amount: i64,
        between: impl FnOnce(),
    ) -> bool {
        if from == to {
            between();
            return true;
        }
        // The mistake: the guard of this check is dropped at the `;`.
        if *self.accounts[from].lock().unwrap() < amount {
            return false;
        }
        between();
        let (low, high) = (from.min(to), from.max(to));
        let mut low_guard = self.accounts[low].lock().unwrap();
        let mut high_guard = self.accounts[high].lock().unwrap();
        let (src, dst) = if from == low {
            (&mut *low_guard, &mut *high_guard)
        } else {
            (&mut *high_guard, &mut *low_guard)
        };
        *src -= amount;
        *dst += amount;
        true
    }
}
