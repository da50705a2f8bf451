//! Throwaway books for the xtask tests, built with the real pinned mdbook
//! and mdbook-cmdrun (`cargo xtask install-tools`; `cargo xtask test`
//! installs them first).

use std::fs;
use std::path::{Path, PathBuf};
use xtask::{book, paths, site, tools};

/// The wrapper as these books call it: the xtask binary itself, so that no
/// `cargo` runs inside `cargo test`.
pub fn wrapper() -> String {
    format!("{} ", env!("CARGO_BIN_EXE_xtask"))
}

/// A `book.toml` with cmdrun, and the build in `out/`.
pub const BOOK_TOML: &str = "[book]\ntitle = \"test\"\nsrc = \"src\"\n[build]\nbuild-dir = \"out\"\n\
                             [preprocessor.cmdrun]\nafter = [\"links\"]\n";

/// Writes `files` (path below the book's folder, text) into a fresh
/// `target/<group>/<name>`, and returns that folder.
pub fn write(group: &str, name: &str, files: &[(&str, &str)]) -> PathBuf {
    let root = paths::target_dir().join(group).join(name);
    let _ = fs::remove_dir_all(&root);
    for (file, text) in files {
        let path = root.join(file);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    root
}

/// Builds and checks the book in `root`, its directives required to start
/// with `wrapper_prefix`.
pub fn check(root: &Path, wrapper_prefix: &str) -> anyhow::Result<site::Checked> {
    let tools = tools::find().expect(
        "the pinned book tools are missing: run `cargo xtask install-tools` (cargo xtask test does)",
    );
    site::build_and_check(&book::Build {
        root,
        tools: &tools,
        wrapper_prefix,
        examples_prebuilt: true,
        edition: None,
    })
}

/// Writes a book with two chapters (`part/chapter.md` holding `body`, and
/// `part/other.md` with a heading to link to), plus `examples/` files, into
/// `target/<group>/<name>`, and builds it with directives required to start
/// with `wrapper_prefix`.
pub fn build(
    group: &str,
    name: &str,
    body: &str,
    examples: &[(&str, &str)],
    wrapper_prefix: &str,
) -> (PathBuf, anyhow::Result<site::Checked>) {
    let chapter = format!("# Chapter\n\n{body}\n");
    let examples: Vec<(String, &str)> = examples
        .iter()
        .map(|(file, text)| (format!("examples/{file}"), *text))
        .collect();
    let mut files = vec![
        ("book.toml", BOOK_TOML),
        // `other` comes first: mdBook copies the first chapter to index.html,
        // one folder up, where its relative links would not resolve (a test
        // shows the check catching that).
        (
            "src/SUMMARY.md",
            "# Summary\n\n- [Other](part/other.md)\n- [Chapter](part/chapter.md)\n",
        ),
        ("src/part/chapter.md", &chapter),
        ("src/part/other.md", "# Other\n\n## A heading\n\nText.\n"),
    ];
    files.extend(examples.iter().map(|(f, t)| (f.as_str(), *t)));
    let root = write(group, name, &files);
    fs::create_dir_all(root.join("examples")).unwrap();
    let result = check(&root, wrapper_prefix);
    (root, result)
}

/// The error of a build that must fail, as the developer would read it.
pub fn error_text<T: std::fmt::Debug>(result: anyhow::Result<T>) -> String {
    format!("{:#}", result.expect_err("the build must fail"))
}

/// Runs every case on a thread of its own (each builds a broken book) and
/// checks that its error text, from `fails`, says each of its wanted texts.
pub fn assert_each_fails<'c, C: Sync>(
    cases: &'c [C],
    fails: impl Fn(&'c C) -> (String, &'c [&'c str]) + Sync,
) {
    std::thread::scope(|s| {
        let runs: Vec<_> = cases.iter().map(|c| s.spawn(|| fails(c))).collect();
        for run in runs {
            let (text, wanted) = run.join().unwrap();
            for want in wanted {
                assert!(text.contains(want), "no {want:?} in:\n{text}");
            }
        }
    });
}
