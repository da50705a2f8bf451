//! The translation check keeps the Chinese edition current: on a copy of
//! the course's own book, with a catalogue translated for every message,
//! it passes; after one English sentence is edited it fails, naming the
//! chapter and the changed message, first as missing and, once
//! `msgmerge` has run, as fuzzy.
//!
//! Needs the pinned tools (`cargo xtask install-tools`) and GNU gettext.

use std::fs;
use std::path::Path;
use std::process::Command;
use xtask::{i18n, paths, tools};

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn run(cmd: &mut Command) {
    let status = cmd.status().expect("GNU gettext is installed");
    assert!(status.success(), "{cmd:?} failed");
}

#[test]
fn an_english_edit_fails_the_check_naming_chapter_and_message() {
    let tools = tools::find().expect("run `cargo xtask install-tools` first");
    let course = paths::root();
    let root = paths::target_dir().join("xtask-test-i18n").join("stale");
    let _ = fs::remove_dir_all(&root);
    copy_dir(&course.join("book"), &root.join("book"));
    fs::copy(course.join("book.toml"), root.join("book.toml")).unwrap();
    fs::create_dir_all(root.join("po")).unwrap();
    let e = i18n::EDITIONS[0];
    let work = root.join("work");

    // A catalogue with every message of the copy "translated": msgen copies
    // each msgid into its msgstr. It stays in target/, as a test fixture.
    let pot = i18n::extract(&root, &tools, &root.join("pot")).unwrap();
    fs::copy(&pot, i18n::pot_file(&root)).unwrap();
    let po = i18n::po_file(&root, e);
    run(Command::new("msgen").arg("-o").arg(&po).arg(&pot));
    let clean = i18n::check(&root, &tools, e, &work).unwrap();
    assert!(clean.problems.is_empty(), "{:#?}", clean.problems);
    assert_eq!(clean.translated, clean.messages);
    assert!(
        clean
            .statistics
            .contains(&format!("{} translated", clean.messages)),
        "{}",
        clean.statistics
    );

    // One English sentence changes.
    let chapter = root.join("book/concurrency/shared-state.md");
    let text = fs::read_to_string(&chapter).unwrap();
    let old = "Both threads find their second lock held by the other, on every run.";
    assert!(
        text.contains(old),
        "the chapter changed; pick another sentence"
    );
    fs::write(
        &chapter,
        text.replace(old, "Each thread finds its second lock held by the other."),
    )
    .unwrap();
    let stale = i18n::check(&root, &tools, e, &work).unwrap();
    let about_it: Vec<&String> = stale
        .problems
        .iter()
        .filter(|p| p.starts_with("book/concurrency/shared-state.md:"))
        .collect();
    assert_eq!(about_it.len(), 1, "{:#?}", stale.problems);
    assert!(
        about_it[0].contains("new or changed in English")
            && about_it[0].contains("Each thread finds its second lock"),
        "{}",
        about_it[0]
    );
    assert!(
        stale
            .problems
            .iter()
            .any(|p| p.contains("messages.pot is not the template")),
        "the committed template is stale too: {:#?}",
        stale.problems
    );

    // `cargo xtask i18n update` merges: the edited message becomes fuzzy,
    // which fails as well.
    i18n::update(&root, &tools).unwrap();
    let fuzzy = i18n::check(&root, &tools, e, &work).unwrap();
    assert_eq!(fuzzy.problems.len(), 1, "{:#?}", fuzzy.problems);
    assert!(
        fuzzy.problems[0].starts_with("book/concurrency/shared-state.md:")
            && fuzzy.problems[0].contains("fuzzy"),
        "{}",
        fuzzy.problems[0]
    );
    assert!(fuzzy.statistics.contains("1 fuzzy"), "{}", fuzzy.statistics);
    fs::remove_dir_all(&root).unwrap();
}
