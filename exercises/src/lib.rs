//! The course's exercises.
//!
//! Each exercise is a file in this folder, `src/NAME.rs`, that you edit:
//! its comment states the goal, and `// TODO` marks what to write. Some
//! start from `todo!()`; others from the buggy version their chapter warns
//! about, which compiles and fails its tests; one, a make-it-compile
//! exercise, starts from code the compiler rejects. Its tests live in
//! `tests/NAME.rs`, one test target per exercise, so an exercise you have
//! not finished never stops you from checking another:
//!
//! ```text
//! cargo test -p exercises --test intro_join   # check one exercise
//! cargo xtask exercises                       # your progress, and a hint
//! ```
//!
//! The exercise files are not modules of this library; each test target
//! includes its own. Solutions are in `solutions/`, and the book shows each
//! one, folded, after the exercise. `wrong/` holds realistic wrong
//! solutions, each naming the test that catches it; run one against its
//! tests with `EXERCISE_WRONG=NAME__MISTAKE cargo test -p exercises --test
//! NAME` (see `build.rs`).

/// The atomics of Part I's hand-off exercise (`atomics_handoff`): std's
/// API, loom's implementation.
///
/// On x86 a store is never made visible before an earlier store, nor does a
/// load pass an earlier load, so a `Release` store and an `Acquire` load
/// compile to the same plain `mov`s as `Relaxed` ones: a hand-off written
/// with `Relaxed` behaves there as if it were right, unless the compiler
/// reorders the two operations (which `Relaxed` allows). No test run on
/// this machine can reject it. Its test runs your code under `loom::model`
/// instead: loom, a model checker, runs it once for every interleaving of
/// the threads and, for each load, every store the memory model lets it
/// read, the stale ones included. (Loom cannot model every reordering
/// `Relaxed` allows; its documentation says which. This hand-off's bug is
/// a stale read, which it finds.) These types are loom's, so that loom
/// sees each of your atomic operations; outside `loom::model` they panic.
pub mod sync {
    pub use loom::sync::atomic;
}
