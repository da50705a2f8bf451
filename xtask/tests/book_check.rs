//! The strict book check, proven on throwaway books built with the real
//! pinned mdbook and mdbook-cmdrun: a good directive passes, and each kind
//! of failure (a failed, silent or hanging program, a directive without an
//! exit-code flag or the wrapper, cmdrun's error text, a directive left
//! unexpanded) fails the build and is reported with its chapter, command
//! and stderr.
//!
//! Needs the pinned tools (`cargo xtask install-tools`; `cargo xtask test`
//! installs them first).

mod common;

use common::{error_text, wrapper};
use std::fs;
use std::path::PathBuf;
use xtask::site;

/// A throwaway book of this file's own (see `common::build`).
fn build(name: &str, body: &str, wrapper_prefix: &str) -> (PathBuf, anyhow::Result<site::Checked>) {
    common::build("xtask-test-books", name, body, &[], wrapper_prefix)
}

#[test]
fn a_good_directive_passes_and_its_output_is_embedded() {
    let w = wrapper();
    let (root, result) = build(
        "good",
        &format!("```text\n<!-- cmdrun -0 {w}cmd -- echo hello from a real run -->\n```"),
        &w,
    );
    result.expect("a clean book must pass");
    let html = fs::read_to_string(root.join("out/part/chapter.html")).unwrap();
    assert!(
        html.contains("hello from a real run"),
        "output not embedded:\n{html}"
    );
}

#[test]
fn a_directive_left_unexpanded_fails() {
    // Without cmdrun in book.toml, mdBook leaves every directive as it is:
    // a comment in the page, or text inside a code block.
    let w = wrapper();
    let bodies = [
        (
            "unexpanded-comment",
            format!("<!-- cmdrun -0 {w}cmd -- echo hi -->"),
        ),
        (
            "unexpanded-fenced",
            format!("```text\n<!-- cmdrun -0 {w}cmd -- echo hi -->\n```"),
        ),
    ];
    for (name, body) in bodies {
        let chapter = format!("# Chapter\n\n{body}\n");
        let root = common::write(
            "xtask-test-books",
            name,
            &[
                (
                    "book.toml",
                    "[book]\ntitle = \"test\"\nsrc = \"src\"\n[build]\nbuild-dir = \"out\"\n",
                ),
                (
                    "src/SUMMARY.md",
                    "# Summary\n\n- [Chapter](part/chapter.md)\n",
                ),
                ("src/part/chapter.md", &chapter),
            ],
        );
        let text = error_text(common::check(&root, &w));
        assert!(
            text.contains("a directive was left unexpanded"),
            "{name}: {text}"
        );
        assert!(text.contains("part/chapter.md"), "{name}: {text}");
    }
}

#[test]
fn every_failing_directive_fails_the_build_naming_chapter_command_and_stderr() {
    let w = wrapper();
    // (book, chapter body, the wrapper directives must use, what the error must say)
    let cases = [
        (
            "failing",
            format!(
                "```text\n<!-- cmdrun -0 {w}cmd -- sh -c 'echo partial; echo boom-on-stderr >&2; exit 3' -->\n```"
            ),
            w.as_str(),
            &[
                "part/chapter.md:4",
                "exit 3",
                "exited with 3, expected 0",
                "boom-on-stderr",
            ][..],
        ),
        (
            "silent",
            format!("<!-- cmdrun -0 {w}cmd -- true -->"),
            &w,
            &["printed nothing"],
        ),
        (
            "hanging",
            format!("<!-- cmdrun -0 {w}cmd --timeout 1 -- sleep 30 -->"),
            &w,
            &["timed out"],
        ),
        // Found before anything runs.
        (
            "unflagged",
            format!("<!-- cmdrun {w}cmd -- echo hi -->"),
            &w,
            &["no exit-code flag"],
        ),
        (
            "bypass",
            "<!-- cmdrun -0 echo hi -->".into(),
            &w,
            &["does not go through the wrapper"],
        ),
        // With no wrapper required, only the scan of the rendered page can
        // see this failure: cmdrun embeds its error text and mdbook exits 0.
        (
            "html-scan",
            "```text\n<!-- cmdrun -0 sh -c 'echo x; exit 4' -->\n```".into(),
            "",
            &["part/chapter.md", "returned exit code 4 instead of 0"],
        ),
    ];
    common::assert_each_fails(&cases, |(name, body, prefix, wanted)| {
        (error_text(build(name, body, prefix).1), wanted)
    });
}
