//! The book's sources as the checks read them: where `book.toml` puts the
//! chapters and the built site, the chapters' files, the cmdrun directives
//! in them, and which of their lines sit inside a code fence.

use crate::paths;
use anyhow::{Context, Result};
use std::fs;
use std::path::{Path, PathBuf};

/// One `<!-- cmdrun ... -->` in a chapter's source.
#[derive(Debug, Clone, PartialEq)]
pub struct Directive {
    pub file: PathBuf,
    pub line: usize,
    /// The `-N` flag, when present.
    pub expect: Option<i32>,
    pub command: String,
}

impl Directive {
    /// The words `sh -c` hands the command's programs (cmdrun runs it so),
    /// or `None` when the shell could not split it (an open quote).
    pub fn words(&self) -> Option<Vec<String>> {
        shlex::split(&self.command)
    }
}

/// Finds every directive in the Markdown files below `src`, the way cmdrun's
/// own pattern (`<!--[ ]*cmdrun (.*?)-->`) finds them.
pub fn directives(src: &Path) -> Result<Vec<Directive>> {
    let mut found = Vec::new();
    for file in files_with_extension(src, "md")? {
        let text = fs::read_to_string(&file)?;
        for (i, line) in text.lines().enumerate() {
            let mut rest = line;
            while let Some(start) = rest.find("<!--") {
                let after = rest[start + 4..].trim_start_matches(' ');
                let Some(body) = after.strip_prefix("cmdrun ") else {
                    rest = &rest[start + 4..];
                    continue;
                };
                let Some(end) = body.find("-->") else { break };
                let words: Vec<&str> = body[..end].split_whitespace().collect();
                let (expect, command) = match words.first() {
                    Some(flag) if flag.starts_with('-') && !flag.starts_with("--") => {
                        (flag[1..].parse().ok(), words[1..].join(" "))
                    }
                    _ => (None, words.join(" ")),
                };
                found.push(Directive {
                    file: file.clone(),
                    line: i + 1,
                    expect,
                    command,
                });
                rest = &body[end + 3..];
            }
        }
    }
    Ok(found)
}

/// Every file below `dir` whose name ends in `.ext`, sorted: the chapters'
/// sources (`md`) or the rendered pages (`html`).
pub fn files_with_extension(dir: &Path, ext: &str) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == ext) {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// The lines of `text` that sit inside a fenced code block.
pub fn fenced_lines(text: &str) -> Vec<bool> {
    let mut fence: Option<String> = None;
    let mut inside = Vec::new();
    for line in text.lines() {
        let t = line.trim_start();
        let marker: String = t.chars().take_while(|&c| c == '`' || c == '~').collect();
        match &fence {
            Some(open) if marker.len() >= open.len() && marker.starts_with(&open[..1]) => {
                inside.push(false);
                fence = None;
            }
            Some(_) => inside.push(true),
            None if marker.len() >= 3 => {
                inside.push(false);
                fence = Some(marker);
            }
            None => inside.push(false),
        }
    }
    inside
}

fn book_toml(root: &Path) -> Result<toml::Table> {
    let path = root.join("book.toml");
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    Ok(text.parse()?)
}

fn setting(root: &Path, table: &str, key: &str, default: &str) -> Result<String> {
    let t = book_toml(root)?;
    Ok(t.get(table)
        .and_then(|b| b.get(key))
        .and_then(|s| s.as_str())
        .unwrap_or(default)
        .to_string())
}

/// The chapters' folder of the book in `root` (`[book] src`).
pub fn book_src(root: &Path) -> Result<PathBuf> {
    Ok(root.join(setting(root, "book", "src", "src")?))
}

/// The built site's folder of the book in `root` (`[build] build-dir`).
pub fn build_dir(root: &Path) -> Result<PathBuf> {
    Ok(root.join(setting(root, "build", "build-dir", "book")?))
}

/// The built book's folder for the course itself.
pub fn course_output() -> Result<PathBuf> {
    build_dir(&paths::root())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(text: &str) -> Vec<Directive> {
        let dir =
            std::env::temp_dir().join(format!("xtask-scan-{}-{}", std::process::id(), text.len()));
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("ch.md"), text).unwrap();
        let found = directives(&dir).unwrap();
        fs::remove_dir_all(&dir).unwrap();
        found
    }

    #[test]
    fn finds_flags_and_commands() {
        let found = scan(
            "text\n```text\n<!-- cmdrun -0 cargo xtask run-example a -->\n```\n<!--cmdrun  -1 cargo xtask cmd -- x   y-->\n<!-- cmdrun echo hi -->\n<!-- not cmdrun -->\n",
        );
        let got: Vec<_> = found
            .iter()
            .map(|d| (d.line, d.expect, d.command.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (3, Some(0), "cargo xtask run-example a"),
                (5, Some(1), "cargo xtask cmd -- x y"),
                (6, None, "echo hi"),
            ]
        );
    }

    #[test]
    fn fences_and_shell_words() {
        assert_eq!(
            fenced_lines("a\n```text\nb\n```\nc\n````\n```\n````\n"),
            [false, false, true, false, false, false, true, false]
        );
        let d = Directive {
            file: PathBuf::new(),
            line: 1,
            expect: Some(0),
            command: "cargo xtask cmd -- sh -c 'echo a; b' \"q\\\"\"".into(),
        };
        assert_eq!(
            d.words().unwrap(),
            [
                "cargo",
                "xtask",
                "cmd",
                "--",
                "sh",
                "-c",
                "echo a; b",
                "q\""
            ]
        );
        let open = Directive {
            command: "echo 'open".into(),
            ..d
        };
        assert_eq!(open.words(), None);
    }
}
