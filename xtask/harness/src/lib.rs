//! Shared by `xtask` and the example tests: where the course's files are,
//! running a child process with a time limit, and compiling a snippet.

pub mod paths;
pub mod process;
pub mod snippet;
