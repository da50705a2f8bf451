//! The pinned book tools.
//!
//! mdbook stays on 0.4.x: mdbook-cmdrun 0.7.3 is built on mdbook 0.4 and
//! cannot parse the preprocessor input of mdbook 0.5 ("Unable to parse the
//! input"). mdbook-quiz 0.4.0 is that tool's last release on mdBook 0.4,
//! and so is mdbook-i18n-helpers 0.3.6 (the gettext translation tools;
//! 0.4 needs mdBook 0.5). The versions are written here and nowhere else.

use crate::{paths, process};
use anyhow::{Context, Result, bail};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// (crate, version) pairs, installed with `cargo install --locked --version`.
pub const PINNED: [(&str, &str); 4] = [
    ("mdbook", "0.4.52"),
    ("mdbook-cmdrun", "0.7.3"),
    ("mdbook-quiz", "0.4.0"),
    ("mdbook-i18n-helpers", "0.3.6"),
];

/// The binaries a pinned crate must have left in the bin folder. Most are
/// named after their crate; mdbook-i18n-helpers installs no binary of that
/// name, only the preprocessor (`mdbook-gettext`), the extractor
/// (`mdbook-xgettext`) and `mdbook-i18n-normalize`, of which the course
/// runs the first two.
pub fn binaries(krate: &str) -> &[&str] {
    match krate {
        "mdbook-i18n-helpers" => &["mdbook-gettext", "mdbook-xgettext"],
        "mdbook" => &["mdbook"],
        "mdbook-cmdrun" => &["mdbook-cmdrun"],
        "mdbook-quiz" => &["mdbook-quiz"],
        _ => &[],
    }
}

/// A folder holding every pinned binary.
#[derive(Debug, Clone)]
pub struct Tools {
    pub bin_dir: PathBuf,
    /// Where they came from, for messages: the reader's own cargo root or ours.
    pub origin: &'static str,
}

impl Tools {
    pub fn mdbook(&self) -> PathBuf {
        self.bin_dir
            .join(format!("mdbook{}", std::env::consts::EXE_SUFFIX))
    }

    /// PATH with our bin folder first, so mdbook finds the matching cmdrun.
    pub fn path_env(&self) -> Result<OsString> {
        let mut dirs = vec![self.bin_dir.clone()];
        if let Some(path) = std::env::var_os("PATH") {
            dirs.extend(std::env::split_paths(&path));
        }
        Ok(std::env::join_paths(dirs)?)
    }
}

/// The command a person would run to install one pinned tool into our folder.
///
/// All of them build in one target folder: the three plugins are built on
/// the mdbook crate and share much of their dependency tree with it, and
/// cargo reuses a dependency already built there with the same version
/// and features instead of compiling it again for each tool.
pub fn install_command(krate: &str, version: &str) -> Command {
    let mut cmd = Command::new(paths::cargo());
    cmd.args(["install", "--locked", "--version", version, krate, "--root"])
        .arg(paths::tools_root())
        .arg("--target-dir")
        .arg(paths::target_dir().join("tools-build"));
    cmd
}

/// Parses `cargo install --list`: lines such as `mdbook v0.4.52:`.
fn listed_versions(list: &str) -> Vec<(String, String)> {
    list.lines()
        .filter(|line| !line.starts_with(char::is_whitespace))
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let name = words.next()?;
            let version = words.next()?.strip_prefix('v')?.trim_end_matches(':');
            Some((name.to_string(), version.to_string()))
        })
        .collect()
}

fn has_pinned_tools(list: &str, bin_dir: &Path) -> bool {
    let listed = listed_versions(list);
    PINNED.iter().all(|(name, version)| {
        listed.iter().any(|(n, v)| n == name && v == version)
            && binaries(name).iter().all(|bin| {
                bin_dir
                    .join(format!("{bin}{}", std::env::consts::EXE_SUFFIX))
                    .is_file()
            })
    })
}

fn cargo_install_list(root: Option<&Path>) -> Option<String> {
    let mut cmd = Command::new(paths::cargo());
    cmd.args(["install", "--list"]);
    if let Some(root) = root {
        cmd.arg("--root").arg(root);
    }
    let out = cmd.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The reader's global cargo root, as `cargo install` uses it.
fn global_root() -> Option<PathBuf> {
    std::env::var_os("CARGO_INSTALL_ROOT")
        .or_else(|| std::env::var_os("CARGO_HOME"))
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
}

/// Finds the pinned tools: the reader's own, only when cargo's record shows
/// exactly these versions, else the project's folder.
pub fn find() -> Option<Tools> {
    if let Some(root) = global_root() {
        let bin = root.join("bin");
        if cargo_install_list(None).is_some_and(|list| has_pinned_tools(&list, &bin)) {
            return Some(Tools {
                bin_dir: bin,
                origin: "your cargo install root",
            });
        }
    }
    let ours = paths::tools_root();
    let bin = ours.join("bin");
    if cargo_install_list(Some(&ours)).is_some_and(|list| has_pinned_tools(&list, &bin)) {
        return Some(Tools {
            bin_dir: bin,
            origin: "the project's .tools folder",
        });
    }
    None
}

/// Finds the pinned tools or installs them into the project's folder.
pub fn ensure() -> Result<Tools> {
    if let Some(tools) = find() {
        return Ok(tools);
    }
    eprintln!(
        "Installing the pinned book tools into {} (a few minutes, once)...",
        paths::tools_root().display()
    );
    for (krate, version) in PINNED {
        let mut cmd = install_command(krate, version);
        eprintln!("$ {}", process::display(&cmd));
        process::run_visible(&mut cmd).with_context(|| {
            format!(
                "installing {krate} {version} failed; fix what cargo reports above, then run `cargo xtask install-tools` (or the command itself: {})",
                process::display(&install_command(krate, version))
            )
        })?;
    }
    match find() {
        Some(tools) => Ok(tools),
        None => bail!(
            "the tools were installed but `cargo install --list --root {}` does not show {:?}; \
             delete that folder and run `cargo xtask install-tools`",
            paths::tools_root().display(),
            PINNED
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cargo_install_list() {
        let list = "mdbook v0.4.52:\n    mdbook\nmdbook-cmdrun v0.7.3:\n    mdbook-cmdrun\nripgrep v14.1.0:\n    rg\n";
        assert_eq!(
            listed_versions(list),
            [
                ("mdbook".to_string(), "0.4.52".to_string()),
                ("mdbook-cmdrun".to_string(), "0.7.3".to_string()),
                ("ripgrep".to_string(), "14.1.0".to_string()),
            ]
        );
    }

    #[test]
    fn rejects_a_different_mdbook() {
        let dir = std::env::temp_dir().join(format!("xtask-tools-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for name in ["mdbook", "mdbook-cmdrun", "mdbook-quiz"]
            .into_iter()
            .chain(binaries("mdbook-i18n-helpers").iter().copied())
        {
            std::fs::write(dir.join(name), "").unwrap();
        }
        let quiz = "mdbook-quiz v0.4.0:\n    mdbook-quiz\nmdbook-i18n-helpers v0.3.6:\n    mdbook-gettext\n    mdbook-i18n-normalize\n    mdbook-xgettext\n";
        let pinned = format!(
            "mdbook v0.4.52:\n    mdbook\nmdbook-cmdrun v0.7.3:\n    mdbook-cmdrun\n{quiz}"
        );
        let newer =
            format!("mdbook v0.5.0:\n    mdbook\nmdbook-cmdrun v0.7.3:\n    mdbook-cmdrun\n{quiz}");
        let no_quiz = "mdbook v0.4.52:\n    mdbook\nmdbook-cmdrun v0.7.3:\n    mdbook-cmdrun\n";
        assert!(has_pinned_tools(&pinned, &dir));
        assert!(
            !has_pinned_tools(&newer, &dir),
            "mdbook 0.5 must not be reused"
        );
        assert!(
            !has_pinned_tools(no_quiz, &dir),
            "a root without mdbook-quiz must not be reused"
        );
        // Listed under its crate's name, found by its binaries' names.
        std::fs::remove_file(dir.join("mdbook-gettext")).unwrap();
        assert!(
            !has_pinned_tools(&pinned, &dir),
            "mdbook-i18n-helpers without mdbook-gettext must not be reused"
        );
        std::fs::write(dir.join("mdbook-gettext"), "").unwrap();
        std::fs::remove_file(dir.join("mdbook")).unwrap();
        assert!(
            !has_pinned_tools(&pinned, &dir),
            "a listed but missing binary must not be reused"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
