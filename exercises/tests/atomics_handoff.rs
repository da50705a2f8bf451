//! Tests for Part I's atomics exercise:
//! `cargo test -p exercises --test atomics_handoff`.
//!
//! `loom::model` runs each closure once for every interleaving of its
//! threads and, for each atomic load, every store the memory model lets it
//! read (see `exercises::sync`). A stale read that x86 never shows, loom
//! finds in one of those runs, on every run of the test.

#[cfg_attr(
    not(any(feature = "solutions", any_wrong)),
    path = "../src/atomics_handoff.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/atomics_handoff.rs")]
#[cfg_attr(
    wrong = "atomics_handoff__release_without_acquire",
    path = "../wrong/atomics_handoff__release_without_acquire.rs"
)]
#[cfg_attr(
    wrong = "atomics_handoff__release_without_acquire",
    path = "../wrong/atomics_handoff__release_without_acquire.rs"
)]
mod atomics_handoff;

use atomics_handoff::Mailbox;
use loom::sync::Arc;
use loom::thread;

#[test]
fn nothing_to_take_before_the_put() {
    loom::model(|| {
        assert_eq!(Mailbox::new().take(), None);
    });
}

#[test]
fn after_the_producer_has_joined_the_value_is_there() {
    loom::model(|| {
        let mailbox = Arc::new(Mailbox::new());
        let m = Arc::clone(&mailbox);
        thread::spawn(move || m.put(42)).join().unwrap();
        assert_eq!(mailbox.take(), Some(42));
    });
}

#[test]
fn seeing_the_flag_means_seeing_the_value() {
    loom::model(|| {
        let mailbox = Arc::new(Mailbox::new());
        let m = Arc::clone(&mailbox);
        let producer = thread::spawn(move || m.put(42));
        if let Some(value) = mailbox.take() {
            assert_eq!(
                value, 42,
                "in one of loom's runs the consumer saw the flag raised, then read the \
                 value {value}, not 42. Relaxed orders nothing between two atomics: the \
                 flag's store must be Release and its load Acquire"
            );
        }
        producer.join().unwrap();
    });
}
