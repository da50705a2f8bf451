//! The book's sources as the checks read them: where `book.toml` puts the
//! chapters and the built site, the chapters' files, the cmdrun directives
//! in them, and their Markdown, read by the pulldown-cmark that mdBook uses.

use crate::paths;
use anyhow::{Context, Result};
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use std::fs;
use std::ops::RangeInclusive;
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

/// mdBook 0.4.52's Markdown options (`utils::new_cmark_parser`; the book
/// does not turn on smart punctuation).
fn parser(text: &str) -> Parser<'_> {
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    Parser::new_ext(text, opts)
}

/// Markdown rendered to HTML as mdBook renders a chapter.
pub fn render(markdown: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser(markdown));
    html
}

/// A fenced code block of a chapter.
#[derive(Debug, PartialEq)]
pub struct Fence {
    /// What follows the opening fence: `rust,noplayground`, `text`.
    pub info: String,
    /// The lines it spans, fences included (1-based).
    pub lines: RangeInclusive<usize>,
    pub body: String,
}

impl Fence {
    /// Whether line `line` (1-based) is inside the block, between its fences.
    pub fn holds(&self, line: usize) -> bool {
        let first = *self.lines.start() + 1;
        (first..first + self.body.lines().count()).contains(&line)
    }
}

/// Every fenced code block of a chapter's Markdown, in order.
pub fn fences(text: &str) -> Vec<Fence> {
    let line_of = |offset: usize| text[..offset].matches('\n').count() + 1;
    let mut found = Vec::new();
    let mut open: Option<Fence> = None;
    for (event, range) in parser(text).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                open = Some(Fence {
                    info: info.to_string(),
                    lines: line_of(range.start)..=line_of(range.end.max(range.start + 1) - 1),
                    body: String::new(),
                });
            }
            Event::Text(t) => {
                if let Some(f) = open.as_mut() {
                    f.body.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => found.extend(open.take()),
            _ => {}
        }
    }
    found
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

/// Where the book is served on its site (`[output.html] site-url`, `/` by
/// default).
pub fn site_url(root: &Path) -> Result<String> {
    let t = book_toml(root)?;
    Ok(t.get("output")
        .and_then(|o| o.get("html"))
        .and_then(|h| h.get("site-url"))
        .and_then(|s| s.as_str())
        .unwrap_or("/")
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
pub(crate) mod tests {
    use super::*;

    /// The directives of a chapter holding `text`.
    pub(crate) fn scan(text: &str) -> Vec<Directive> {
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
        let text =
            "a\n```text\nb\n```\nc\n````rust,ignore\n```\n````\n- item\n\n  ~~~\n  d\n  ~~~\n";
        let found = fences(text);
        let got: Vec<_> = found
            .iter()
            .map(|f| (f.info.as_str(), f.lines.clone(), f.body.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("text", 2..=4, "b\n"),
                ("rust,ignore", 6..=8, "```\n"),
                ("", 11..=13, "d\n")
            ]
        );
        let inside: Vec<usize> = (1..=14)
            .filter(|&l| found.iter().any(|f| f.holds(l)))
            .collect();
        assert_eq!(inside, [3, 7, 12]);
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
