//! Throwaway books for the xtask tests, built with the real pinned mdbook
//! and mdbook-cmdrun (`cargo xtask install-tools`; `cargo xtask test`
//! installs them first).

use std::fs;
use std::path::PathBuf;
use xtask::{book, paths, tools};

/// The wrapper as these books call it: the xtask binary itself, so that no
/// `cargo` runs inside `cargo test`.
pub fn wrapper() -> String {
    format!("{} ", env!("CARGO_BIN_EXE_xtask"))
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
) -> (PathBuf, anyhow::Result<book::Checked>) {
    let tools = tools::find().expect(
        "the pinned book tools are missing: run `cargo xtask install-tools` (cargo xtask test does)",
    );
    let root = paths::target_dir().join(group).join(name);
    let _ = fs::remove_dir_all(&root);
    fs::create_dir_all(root.join("src/part")).unwrap();
    fs::create_dir_all(root.join("examples")).unwrap();
    for (file, text) in examples {
        fs::write(root.join("examples").join(file), text).unwrap();
    }
    fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"test\"\nsrc = \"src\"\n[build]\nbuild-dir = \"out\"\n\
         [preprocessor.cmdrun]\nafter = [\"links\"]\n",
    )
    .unwrap();
    fs::write(
        root.join("src/SUMMARY.md"),
        // `other` comes first: mdBook copies the first chapter to index.html,
        // one folder up, where its relative links would not resolve (a test
        // below shows the check catching that).
        "# Summary\n\n- [Other](part/other.md)\n- [Chapter](part/chapter.md)\n",
    )
    .unwrap();
    fs::write(
        root.join("src/part/chapter.md"),
        format!("# Chapter\n\n{body}\n"),
    )
    .unwrap();
    fs::write(
        root.join("src/part/other.md"),
        "# Other\n\n## A heading\n\nText.\n",
    )
    .unwrap();
    let result = book::build_and_check(&book::Build {
        root: &root,
        tools: &tools,
        wrapper_prefix,
        examples_prebuilt: true,
    });
    (root, result)
}

/// The error of a build that must fail, as the developer would read it.
pub fn error_text<T: std::fmt::Debug>(result: anyhow::Result<T>) -> String {
    format!("{:#}", result.expect_err("the build must fail"))
}
