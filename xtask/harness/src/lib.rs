//! Shared by `xtask` and the example tests: where the course's files are,
//! and running a child process with a time limit.

pub mod paths;
pub mod process;
