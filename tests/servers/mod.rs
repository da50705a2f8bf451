//! Servers of Part II started as real processes on loopback, for the
//! tests that talk to them over TCP (tests/io.rs, tests/conformance.rs).

// Each test crate that includes this module uses only part of it.
#![allow(dead_code)]

use harness::paths;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

/// A server started as a child process on a free port; killed on drop.
pub struct Server {
    pub child: Child,
    pub addr: SocketAddr,
    pub out: BufReader<std::process::ChildStdout>,
}

/// The release build of an example, built if needed.
pub fn built(name: &str) -> std::path::PathBuf {
    let status = Command::new(paths::cargo())
        .current_dir(paths::root())
        .args(["build", "--quiet", "--release", "--example", name])
        .status()
        .unwrap();
    assert!(status.success(), "cannot build {name}");
    paths::release_example(name)
}

/// Starts `name` on a free port; `extra` flags come after the defaults, so
/// they override them (the last value of a flag wins).
pub fn start(name: &str, extra: &[&str]) -> Server {
    start_with(Command::new(built(name)), extra)
}

pub fn start_with(mut command: Command, extra: &[&str]) -> Server {
    let mut child = command
        .args(["--addr", "127.0.0.1:0", "--idle-timeout-ms", "400"])
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start server");
    let mut line = String::new();
    // Keep the reader: a server that prints into a closed pipe fails.
    let mut out = BufReader::new(child.stdout.take().unwrap());
    out.read_line(&mut line).unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .expect("an address")
        .parse()
        .unwrap();
    Server { child, addr, out }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
