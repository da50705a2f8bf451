//! The learner's progress, remembered: each exercise's last result, keyed by
//! a hash of the files it depends on.
//!
//! Checking an exercise compiles its test target, which takes seconds; doing
//! that for every exercise on every `cargo xtask exercises` or `watch` would
//! take a minute. An exercise's result can only change when its own file, its
//! tests or the crate's manifest change, so the result is stored under a hash
//! of exactly those, and reused while the hash matches. Editing the file
//! changes the hash, so a stale result can never be shown.

use crate::exercises::{self, Exercise, Outcome, Side};
use crate::paths;
use anyhow::{Context, Result};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// An exercise's state, as the progress list shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Done,
    Failing,
    DoesNotCompile,
}

impl Status {
    pub fn of(outcome: &Outcome) -> Status {
        match outcome {
            Outcome::Passed { .. } => Status::Done,
            Outcome::Failed { .. } => Status::Failing,
            Outcome::DoesNotCompile { .. } => Status::DoesNotCompile,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::Failing => "not done: tests fail",
            Status::DoesNotCompile => "not done: does not compile",
        }
    }

    fn word(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::Failing => "failing",
            Status::DoesNotCompile => "does-not-compile",
        }
    }

    fn from_word(word: &str) -> Option<Status> {
        match word {
            "done" => Some(Status::Done),
            "failing" => Some(Status::Failing),
            "does-not-compile" => Some(Status::DoesNotCompile),
            _ => None,
        }
    }
}

/// The hash of everything the learner's result can depend on: every file of
/// the exercises crate except the other exercises' own files (their stubs,
/// tests, solutions and wrong solutions). So a shared test helper or a
/// changed dependency invalidates the result too, and editing another
/// exercise does not.
pub fn key(e: &Exercise, all: &[Exercise]) -> Result<String> {
    let others: BTreeSet<&str> = all
        .iter()
        .map(|x| x.name.as_str())
        .filter(|n| *n != e.name)
        .collect();
    key_in(&paths::root().join("exercises"), &others)
}

/// [`key`] for the exercises crate in `dir`, leaving out the files of `others`.
fn key_in(dir: &Path, others: &BTreeSet<&str>) -> Result<String> {
    let mut files = Vec::new();
    collect(dir, &mut files)?;
    files.retain(|f| {
        let rel = f.strip_prefix(dir).unwrap_or(f);
        let top = rel.components().next().and_then(|c| c.as_os_str().to_str());
        let stem = f.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let others_file = matches!(top, Some("src" | "tests")) && others.contains(stem);
        !(others_file || matches!(top, Some("solutions" | "wrong")))
    });
    files.sort();
    let mut hash = Sha256::new();
    for file in &files {
        let bytes = fs::read(file).with_context(|| format!("reading {}", file.display()))?;
        let rel = file.strip_prefix(dir).unwrap_or(file);
        // Name and length first, so no two sets of files hash alike.
        hash.update(rel.to_string_lossy().as_bytes());
        hash.update([0]);
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(&bytes);
    }
    Ok(format!("{:x}", hash.finalize()))
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn cache_file(e: &Exercise) -> PathBuf {
    paths::target_dir()
        .join("exercise-progress")
        .join(format!("{}.txt", e.name))
}

/// The remembered status, if the files have not changed since it was found.
pub fn remembered(e: &Exercise, all: &[Exercise]) -> Result<Option<Status>> {
    let Ok(text) = fs::read_to_string(cache_file(e)) else {
        return Ok(None);
    };
    let mut lines = text.lines();
    let (Some(k), Some(word)) = (lines.next(), lines.next()) else {
        return Ok(None);
    };
    Ok((k == key(e, all)?)
        .then(|| Status::from_word(word))
        .flatten())
}

/// Stores a result found for the files whose hash is `key`.
fn remember(e: &Exercise, key: &str, status: Status) -> Result<()> {
    let file = cache_file(e);
    if let Some(dir) = file.parent() {
        fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let text = format!("{key}\n{}\n", status.word());
    fs::write(&file, text).with_context(|| format!("writing {}", file.display()))
}

/// Checks the learner's file now and remembers the result.
pub fn check_now(e: &Exercise, all: &[Exercise]) -> Result<Outcome> {
    // The key is taken before the run and stored with the result: a file
    // saved while the check ran no longer matches it, so it is checked
    // again next time instead of being credited with this result.
    let before = key(e, all)?;
    let outcome = exercises::check(&e.name, Side::Learner)?;
    remember(e, &before, Status::of(&outcome))?;
    Ok(outcome)
}

/// The status, from the cache when the files are unchanged, else checked now.
/// The flag says whether it came from the cache.
pub fn status(e: &Exercise, all: &[Exercise]) -> Result<(Status, bool)> {
    if let Some(s) = remembered(e, all)? {
        return Ok((s, true));
    }
    Ok((Status::of(&check_now(e, all)?), false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_changes_with_the_exercise_its_tests_and_shared_files_only() {
        let dir = paths::target_dir().join("xtask-test-progress");
        let _ = fs::remove_dir_all(&dir);
        for sub in ["src", "tests", "solutions", "wrong"] {
            fs::create_dir_all(dir.join(sub)).unwrap();
        }
        let write = |rel: &str, text: &str| fs::write(dir.join(rel), text).unwrap();
        write("Cargo.toml", "[package]");
        write("src/a.rs", "a");
        write("src/b.rs", "b");
        write("tests/a.rs", "test a");
        write("tests/b.rs", "test b");
        write("solutions/a.rs", "solution a");
        let others: BTreeSet<&str> = ["b"].into();
        let key = || key_in(&dir, &others).unwrap();
        let first = key();
        assert_eq!(key(), first, "the same files give the same key");

        // Another exercise's files, and solutions, do not count.
        write("src/b.rs", "b edited");
        write("tests/b.rs", "test b edited");
        write("solutions/a.rs", "solution a edited");
        write("wrong/a__mistake.rs", "wrong");
        assert_eq!(
            key(),
            first,
            "other exercises' files must not invalidate a result"
        );

        // The learner's file, its tests and shared files do.
        let mut seen = vec![first];
        for (rel, text) in [
            ("src/a.rs", "a edited"),
            ("tests/a.rs", "test a edited"),
            ("Cargo.toml", "[package] edited"),
            ("src/lib.rs", "shared"),
        ] {
            write(rel, text);
            let k = key();
            assert!(!seen.contains(&k), "changing {rel} must change the key");
            seen.push(k);
        }
        let _ = fs::remove_dir_all(&dir);
    }
}
