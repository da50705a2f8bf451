//! Tests for the Model checking with loom chapter's exercise:
//! `cargo test -p exercises --test loom_spinlock`.
//!
//! `loom::model` runs each closure once for every interleaving of its
//! threads and every store each atomic load may read. loom's `UnsafeCell`
//! checks each access to the value against the accesses before it: one that
//! is not ordered after them by the lock fails the test with loom's
//! "Causality violation: Concurrent write accesses to `UnsafeCell`".

#[cfg_attr(
    not(any(feature = "solutions", any_wrong)),
    path = "../src/loom_spinlock.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/loom_spinlock.rs")]
#[cfg_attr(
    wrong = "loom_spinlock__acquire_without_release",
    path = "../wrong/loom_spinlock__acquire_without_release.rs"
)]
#[cfg_attr(
    wrong = "loom_spinlock__check_then_set",
    path = "../wrong/loom_spinlock__check_then_set.rs"
)]
mod loom_spinlock;

use loom::sync::Arc;
use loom::thread;
use loom_spinlock::SpinLock;

#[test]
fn one_thread_reads_what_it_wrote() {
    loom::model(|| {
        let lock = SpinLock::new(1);
        lock.with(|v| *v += 1);
        assert_eq!(lock.with(|v| *v), 2);
    });
}

#[test]
fn each_holder_sees_the_last_holders_write() {
    // The first thread writes, then the second: loom tries every way the
    // second can take the lock after the first, and checks that it sees the
    // write through the lock alone (the join comes after).
    loom::model(|| {
        let lock = Arc::new(SpinLock::new(Vec::new()));
        let l = Arc::clone(&lock);
        let first = thread::spawn(move || l.with(|v| v.push("first")));
        let seen = lock.with(|v| {
            let seen = v.clone();
            v.push("second");
            seen
        });
        first.join().unwrap();
        let all = lock.with(|v| v.clone());
        // Either order is fine; what matters is that neither write is lost.
        assert_eq!(all.len(), 2, "a write was lost: {all:?} (seen {seen:?})");
    });
}

#[test]
fn only_one_thread_is_inside_at_a_time() {
    loom::model(|| {
        let lock = Arc::new(SpinLock::new(0_u32));
        let l = Arc::clone(&lock);
        let other = thread::spawn(move || l.with(|v| *v += 1));
        lock.with(|v| *v += 1);
        other.join().unwrap();
        assert_eq!(lock.with(|v| *v), 2, "an increment was lost");
    });
}
