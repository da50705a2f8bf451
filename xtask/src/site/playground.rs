//! Every ```` ```rust ```` block either is marked `noplayground`/`ignore`
//! or is a `{{#rustdoc_include}}` of a short program in `examples/` that
//! the Rust Playground can run.

use crate::source;
use anyhow::Result;
use std::fs;
use std::path::{Path, PathBuf};

/// A ```` ```rust ```` block the Playground will offer to run.
#[derive(Debug, Clone)]
pub struct Runnable {
    pub place: String,
    /// The chapter's page, below the output folder.
    pub page: String,
    /// The example it includes.
    pub program: PathBuf,
}

/// What the Playground can run: these crates, no network, a short program.
const PLAYGROUND_CRATES: [&str; 5] = ["std", "core", "alloc", "tokio", "futures"];
const PLAYGROUND_MAX_LINES: usize = 80;

/// Every ```` ```rust ```` block must be `noplayground` or `ignore` (no Run
/// button), or be exactly one `{{#rustdoc_include}}` of a program in
/// `examples/` (which CI compiles) that uses only std, tokio and futures,
/// opens no socket and is short. Returns the runnable blocks and the problems.
pub fn lint(src: &Path, root: &Path) -> Result<(Vec<Runnable>, Vec<String>)> {
    let mut runnable = Vec::new();
    let mut problems = Vec::new();
    let examples = root.join("examples").canonicalize().ok();
    for file in source::files_with_extension(src, "md")? {
        let text = fs::read_to_string(&file)?;
        for fence in source::fences(&text) {
            // mdBook reads the info string's words split at commas and spaces.
            let attrs: Vec<&str> = fence
                .info
                .split([',', ' '])
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .collect();
            if attrs.first() != Some(&"rust") {
                continue;
            }
            if attrs
                .iter()
                .any(|a| matches!(*a, "noplayground" | "noplaypen" | "ignore"))
            {
                continue;
            }
            let place = format!("{}:{}", file.display(), fence.lines.start());
            let content: Vec<&str> = fence
                .body
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            let include = match content.as_slice() {
                [one] => one
                    .strip_prefix("{{#rustdoc_include ")
                    .and_then(|r| r.strip_suffix("}}"))
                    .map(str::trim),
                _ => None,
            };
            let Some(include) = include else {
                problems.push(format!(
                    "{place}: this ```rust block gets a Run button; mark it `rust,noplayground` (or `ignore`), or make it one {{{{#rustdoc_include ../../examples/NAME.rs:anchor}}}} of a short std/tokio/futures program"
                ));
                continue;
            };
            let path = include.split(':').next().unwrap_or(include);
            let program = file.parent().unwrap_or(src).join(path);
            let in_examples = program
                .canonicalize()
                .ok()
                .zip(examples.as_ref())
                .is_some_and(|(p, ex)| p.starts_with(ex));
            if !in_examples {
                problems.push(format!(
                    "{place}: a runnable block must include a program from examples/ (which CI compiles); `{path}` is not one"
                ));
                continue;
            }
            let code = fs::read_to_string(&program)?;
            for p in playground_problems(&code) {
                problems.push(format!(
                    "{place}: `{path}` cannot run on the Playground: {p}; mark the block `rust,noplayground`"
                ));
            }
            let rel = file.strip_prefix(src).unwrap_or(&file);
            runnable.push(Runnable {
                place,
                page: rel
                    .with_extension("html")
                    .to_string_lossy()
                    .replace('\\', "/"),
                program,
            });
        }
    }
    Ok((runnable, problems))
}

/// Why a program would fail on the Playground, if it would.
pub fn playground_problems(code: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let lines = code.lines().count();
    if lines > PLAYGROUND_MAX_LINES {
        problems.push(format!(
            "it has {lines} lines (at most {PLAYGROUND_MAX_LINES})"
        ));
    }
    for line in code.lines() {
        let t = line.trim_start();
        if t.starts_with("//") {
            continue;
        }
        let used = t
            .strip_prefix("use ")
            .or_else(|| t.strip_prefix("pub use "))
            .or_else(|| t.strip_prefix("extern crate "));
        if let Some(path) = used {
            let root: String = path
                .trim_start_matches("::")
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !PLAYGROUND_CRATES.contains(&root.as_str())
                && !matches!(root.as_str(), "crate" | "self" | "super")
            {
                problems.push(format!("it uses the crate `{root}`"));
            }
        }
        for crate_path in ["course::", "anyhow::"] {
            if t.contains(crate_path) && !t.starts_with("use ") {
                problems.push(format!("it uses `{crate_path}`"));
            }
        }
        for net in [
            "TcpListener",
            "TcpStream",
            "UdpSocket",
            "UnixStream",
            "UnixListener",
        ] {
            if t.contains(net) {
                problems.push(format!("it opens a socket ({net})"));
            }
        }
    }
    if !code.contains("fn main") {
        problems.push("it has no `fn main`".to_string());
    }
    problems.dedup();
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn playground_rules() {
        let ok = "use std::time::Duration;\nuse tokio::time::sleep;\n#[tokio::main]\nasync fn main() {}\n";
        assert!(
            playground_problems(ok).is_empty(),
            "{:?}",
            playground_problems(ok)
        );
        let bad = "use course::clock::Clock;\nuse tokio::net::TcpListener;\nfn main() { anyhow::bail!() }\n";
        let p = playground_problems(bad);
        assert!(p.iter().any(|p| p.contains("`course`")), "{p:?}");
        assert!(p.iter().any(|p| p.contains("socket")), "{p:?}");
        assert!(p.iter().any(|p| p.contains("anyhow")), "{p:?}");
    }
}
