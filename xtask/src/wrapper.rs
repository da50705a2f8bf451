//! The one wrapper every book directive goes through:
//!
//! ```text
//! <!-- cmdrun -0 cargo xtask run-example hello_tasks -->
//! <!-- cmdrun -1 cargo xtask cmd --expect-exit 1 -- rustc --edition 2024 race.rs -->
//! ```
//!
//! mdbook-cmdrun runs `sh -c CMD` with no time limit, throws stderr away and
//! embeds an error text while `mdbook build` still exits 0. This wrapper adds
//! what the course needs around it:
//! - a time limit, so the book build can never hang;
//! - a failure (exit 125) on empty output, so a silent program cannot pass;
//! - a log of every failed run, stderr included, that `cargo xtask book` reports;
//! - a cache of good runs, keyed by the program binary's hash, its arguments,
//!   the contents of the files the command names and `rustc -V`, so a warm
//!   book build does not rerun every program. The cached text is still the
//!   real output of that exact binary on this machine; a changed program or
//!   argument runs again, and `cargo xtask book --fresh` empties the cache.

use crate::{paths, process};
use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use sha2::{Digest, Sha256};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// Exit code for problems the wrapper itself detects (time-out, empty output).
/// No directive expects it, so cmdrun always reports a mismatch.
pub const WRAPPER_FAILURE: i32 = 125;

/// Set by `cargo xtask book` after it has built every example in release.
pub const ENV_PREBUILT: &str = "COURSE_EXAMPLES_PREBUILT";
/// Folder where failed runs are logged; `cargo xtask book` sets and reads it.
pub const ENV_LOG_DIR: &str = "COURSE_CMDRUN_LOG";
/// `rustc -V`, computed once per book build instead of once per directive.
pub const ENV_RUSTC_VERSION: &str = "COURSE_RUSTC_VERSION";
/// Folder where every good run is recorded (folder, arguments, stdout), so
/// the check after the build can find each directive's output in its page.
pub const ENV_RECORD_DIR: &str = "COURSE_CMDRUN_RECORD";

pub struct Request {
    /// The program to run and its arguments.
    pub program: PathBuf,
    pub args: Vec<String>,
    /// The exit code that makes this run a good one (cacheable).
    pub expect_exit: i32,
    pub timeout: Duration,
    /// How the directive spelled the command, for logs.
    pub label: String,
    /// Compile `args[0]` as a snippet instead (see `harness::snippet`); the
    /// compiler's diagnostics are then the output to embed.
    pub compile_snippet: bool,
}

/// Builds one example in release unless `cargo xtask book` already did.
pub fn build_example(name: &str) -> Result<PathBuf> {
    if std::env::var_os(ENV_PREBUILT).is_none() {
        let mut cmd = Command::new(paths::cargo());
        cmd.current_dir(paths::root())
            .args(["build", "--quiet", "--release", "--example", name]);
        let out = process::run_captured(&mut cmd, Duration::from_secs(600))?;
        if !out.success() {
            bail!(
                "`{}` failed:\n{}",
                process::display(&cmd),
                out.stderr_text()
            );
        }
    }
    let bin = paths::release_example(name);
    if !bin.is_file() {
        bail!(
            "no example binary at {}; is `examples/{name}.rs` there? Build it with `cargo build --release --example {name}`",
            bin.display()
        );
    }
    Ok(bin)
}

fn rustc_version() -> String {
    if let Ok(v) = std::env::var(ENV_RUSTC_VERSION) {
        return v;
    }
    Command::new("rustc")
        .arg("-V")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|_| "rustc: unknown".into())
}

/// Resolves a bare program name through PATH, as the shell would.
fn resolve(program: &Path) -> Option<PathBuf> {
    if program.components().count() > 1 {
        return program.is_file().then(|| program.to_path_buf());
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

/// Everything the output of a run depends on, hashed.
fn cache_key(req: &Request) -> Result<String> {
    let mut h = Sha256::new();
    let program = resolve(&req.program)
        .with_context(|| format!("program `{}` not found", req.program.display()))?;
    h.update(fs::read(&program).with_context(|| format!("reading {}", program.display()))?);
    for arg in &req.args {
        h.update(b"\0arg\0");
        h.update(arg.as_bytes());
        // A file the command names (a snippet to compile, an input) is part
        // of what the output depends on.
        let path = Path::new(arg);
        if path.is_file() {
            h.update(b"\0file\0");
            h.update(fs::read(path)?);
        }
    }
    h.update(b"\0rustc\0");
    h.update(rustc_version().as_bytes());
    h.update(req.expect_exit.to_le_bytes());
    Ok(format!("{:x}", h.finalize()))
}

/// Runs the request (or replays its cached good run), prints its stdout and
/// returns the exit code to leave with.
pub fn run(req: &Request) -> Result<i32> {
    let key = cache_key(req)?;
    let cached = paths::cmdrun_cache().join(&key);
    if let Ok(stdout) = fs::read(&cached) {
        std::io::stdout().write_all(&stdout)?;
        record(&stdout)?;
        return Ok(req.expect_exit);
    }

    let out = if req.compile_snippet {
        let mut out = harness::snippet::compile(Path::new(&req.args[0]))?;
        out.stdout = std::mem::take(&mut out.stderr);
        out
    } else {
        let mut cmd = Command::new(&req.program);
        cmd.args(&req.args);
        process::run_captured(&mut cmd, req.timeout)?
    };
    std::io::stdout().write_all(&out.stdout)?;
    std::io::stderr().write_all(&out.stderr)?;

    let problem = if out.timed_out {
        Some(format!("timed out after {:?}", req.timeout))
    } else if out.stdout.iter().all(u8::is_ascii_whitespace) {
        Some("printed nothing on stdout".to_string())
    } else if out.code != Some(req.expect_exit) {
        Some(match out.code {
            Some(code) => format!("exited with {code}, expected {}", req.expect_exit),
            None => "was killed by a signal".to_string(),
        })
    } else {
        None
    };

    match problem {
        None => {
            fs::create_dir_all(paths::cmdrun_cache())?;
            // Write then rename, so a concurrent build never reads half a file.
            let tmp = cached.with_extension(format!("tmp{}", std::process::id()));
            fs::write(&tmp, &out.stdout)?;
            fs::rename(&tmp, &cached)?;
            record(&out.stdout)?;
            Ok(req.expect_exit)
        }
        Some(problem) => {
            log_failure(req, &problem, &out.stderr_text())?;
            eprintln!("{}: {problem}", req.label);
            Ok(
                if out.timed_out || out.stdout.is_empty() || out.code.is_none() {
                    WRAPPER_FAILURE
                } else {
                    out.code.unwrap_or(WRAPPER_FAILURE)
                },
            )
        }
    }
}

/// One failed run, as `cargo xtask book` reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    pub cwd: String,
    pub command: String,
    pub problem: String,
    pub stderr: String,
}

fn log_failure(req: &Request, problem: &str, stderr: &str) -> Result<()> {
    write_json(
        ENV_LOG_DIR,
        "log",
        &Failure {
            cwd: std::env::current_dir()?.display().to_string(),
            command: req.label.clone(),
            problem: problem.to_string(),
            stderr: stderr.to_string(),
        },
    )
}

/// Reads back what [`log_failure`] wrote.
pub fn read_failures(dir: &Path) -> Vec<Failure> {
    let mut failures: Vec<Failure> = read_json(dir);
    failures.sort_by(|a, b| (&a.cwd, &a.command).cmp(&(&b.cwd, &b.command)));
    failures
}

/// One good run of a directive's command, as the book build recorded it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The folder cmdrun ran the command in (the chapter's folder).
    pub cwd: String,
    /// xtask's own arguments (`run-example NAME ...`), to match the directive.
    pub argv: Vec<String>,
    pub stdout: String,
}

/// Records a good run's stdout when the book build asks for it
/// ([`ENV_RECORD_DIR`]). Called for every run that printed what a directive
/// embeds, cached or not.
pub fn record(stdout: &[u8]) -> Result<()> {
    write_json(
        ENV_RECORD_DIR,
        "run",
        &Record {
            cwd: std::env::current_dir()?.display().to_string(),
            argv: std::env::args().skip(1).collect(),
            stdout: String::from_utf8_lossy(stdout).into_owned(),
        },
    )
}

/// Reads back what [`record`] wrote.
pub fn read_records(dir: &Path) -> Vec<Record> {
    read_json(dir)
}

/// Writes `value` as one JSON file (named by this process, `.EXT`) into the
/// folder the environment variable `var` names, if the book build set it.
fn write_json<T: Serialize>(var: &str, ext: &str, value: &T) -> Result<()> {
    let Some(dir) = std::env::var_os(var) else {
        return Ok(());
    };
    let dir = PathBuf::from(dir);
    fs::create_dir_all(&dir)?;
    let file = dir.join(format!("{}.{ext}", std::process::id()));
    fs::write(&file, serde_json::to_vec(value)?)
        .with_context(|| format!("writing {}", file.display()))
}

/// Every JSON file in `dir` that holds a `T` (none if there is no folder).
fn read_json<T: DeserializeOwned>(dir: &Path) -> Vec<T> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| fs::read(e.path()).ok())
        .filter_map(|bytes| serde_json::from_slice(&bytes).ok())
        .collect()
}
