//! The course's exercises.
//!
//! Each exercise is a file in this folder, `src/NAME.rs`, that you edit:
//! its comment states the goal, and `// TODO` and `todo!()` mark what to
//! write. Its tests live in `tests/NAME.rs`, one test target per exercise,
//! so an exercise you have not finished never stops you from checking
//! another:
//!
//! ```text
//! cargo test -p exercises --test intro_join   # check one exercise
//! cargo xtask exercises                       # your progress, and a hint
//! ```
//!
//! The exercise files are not modules of this library; each test target
//! includes its own. Solutions are in `solutions/`, and the book shows each
//! one, folded, after the exercise.
