//! Part I, shared state: bank transfers with no deadlock and no lost money
//! (solution).

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
        if from == to {
            // A std Mutex is not reentrant: locking it twice on one thread
            // never returns. Moving money to the same account is a no-op.
            between();
            return true;
        }
        // Lock the lower-numbered account first, whatever the direction:
        // with one global order, no cycle of waiting threads can form.
        let (low, high) = (from.min(to), from.max(to));
        let mut low_guard = self.accounts[low].lock().unwrap();
        let mut high_guard = self.accounts[high].lock().unwrap();
        let (src, dst) = if from == low {
            (&mut *low_guard, &mut *high_guard)
        } else {
            (&mut *high_guard, &mut *low_guard)
        };
        // Check and act under the same guards, so no transfer can slip in
        // between them.
        if *src < amount {
            return false;
        }
        between();
        *src -= amount;
        *dst += amount;
        true
    }
}
