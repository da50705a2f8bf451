//! The quizzes' answers, proven: the book's own quizzes pass the check, and
//! throwaway quizzes with a wrong answer of each kind fail it.

use std::fs;
use std::path::{Path, PathBuf};
use xtask::{paths, quizzes};

/// The chapters that end with a quiz, by their path under `book/`.
const CHAPTERS: [&str; 10] = [
    "introduction/why.md",
    "concurrency/concurrency-is-not-parallelism.md",
    "concurrency/threads-and-speedup.md",
    "concurrency/shared-state.md",
    "concurrency/atomics.md",
    "io/blocking-sockets.md",
    "io/threads-and-pools.md",
    "io/event-loop.md",
    "io/async-await.md",
    "io/measured.md",
];

#[test]
fn the_books_quizzes_are_right() {
    let summary = quizzes::check(&quizzes::quiz_dir()).unwrap_or_else(|e| panic!("{e:#}"));
    eprintln!(
        "{} quizzes, {} questions, {} proven by the compiler",
        summary.quizzes, summary.questions, summary.proven
    );
    assert!(summary.proven > 0, "no Tracing question was checked");
}

#[test]
fn every_chapter_ends_with_its_quiz() {
    for chapter in CHAPTERS {
        let path = paths::root().join("book").join(chapter);
        let text = fs::read_to_string(&path).unwrap();
        let stem = Path::new(chapter).file_stem().unwrap().to_string_lossy();
        let directive = format!("{{{{#quiz ../quizzes/{stem}.toml}}}}");
        let at = text
            .find(&directive)
            .unwrap_or_else(|| panic!("{chapter} has no `{directive}`"));
        assert!(
            text.find("## Summary").is_some_and(|s| s < at),
            "{chapter}: the quiz comes after the summary"
        );
        assert!(quizzes::quiz_dir().join(format!("{stem}.toml")).is_file());
        let toml = fs::read_to_string(quizzes::quiz_dir().join(format!("{stem}.toml"))).unwrap();
        let n = toml.matches("[[questions]]").count();
        assert!(
            (3..=6).contains(&n),
            "{stem}.toml has {n} questions, not 3-6"
        );
    }
}

/// A throwaway quiz folder with one Tracing question on `program`.
fn throwaway(name: &str, program: &str, quiz_program: &str, answer: &str) -> PathBuf {
    let dir = paths::target_dir().join("quiz-check-tests").join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("programs")).unwrap();
    fs::write(dir.join("programs/t-one.rs"), program).unwrap();
    fs::write(
        dir.join("t.toml"),
        format!(
            "[[questions]]\ntype = \"Tracing\"\nid = \"t-one\"\nprompt.program = '''\n{quiz_program}'''\n{answer}\ncontext = \"why\"\n"
        ),
    )
    .unwrap();
    dir
}

const PRINTS: &str = "fn main() {\n    let v = vec![1, 2, 3];\n    println!(\"{}\", v.len());\n}\n";
const MOVES: &str = "fn main() {\n    let s = String::from(\"a\");\n    let t = s;\n    println!(\"{} {}\", s, t);\n}\n";

fn error_of(dir: &Path) -> String {
    match quizzes::check(dir) {
        Ok(s) => panic!("a wrong quiz passed: {s:?}"),
        Err(e) => format!("{e:#}"),
    }
}

#[test]
fn a_right_answer_passes() {
    let dir = throwaway(
        "right",
        PRINTS,
        PRINTS,
        "answer.doesCompile = true\nanswer.stdout = \"3\"",
    );
    let s = quizzes::check(&dir).unwrap();
    assert_eq!((s.quizzes, s.questions, s.proven), (1, 1, 1));
    let dir = throwaway(
        "right-error",
        MOVES,
        MOVES,
        "answer.doesCompile = false\nanswer.lineNumber = 4",
    );
    quizzes::check(&dir).unwrap();
}

#[test]
fn a_wrong_stdout_fails() {
    let dir = throwaway(
        "stdout",
        PRINTS,
        PRINTS,
        "answer.doesCompile = true\nanswer.stdout = \"4\"",
    );
    let e = error_of(&dir);
    assert!(e.contains("but the quiz says"), "{e}");
}

#[test]
fn a_wrong_does_compile_fails() {
    let dir = throwaway(
        "compiles",
        MOVES,
        MOVES,
        "answer.doesCompile = true\nanswer.stdout = \"a a\"",
    );
    assert!(error_of(&dir).contains("the quiz says it compiles"));
    let dir = throwaway(
        "not",
        PRINTS,
        PRINTS,
        "answer.doesCompile = false\nanswer.lineNumber = 3",
    );
    assert!(error_of(&dir).contains("does not compile, but it does"));
}

#[test]
fn a_wrong_line_number_fails() {
    let dir = throwaway(
        "line",
        MOVES,
        MOVES,
        "answer.doesCompile = false\nanswer.lineNumber = 3",
    );
    assert!(error_of(&dir).contains("first error is on line 4"));
}

#[test]
fn an_inline_program_that_differs_from_its_file_fails() {
    let edited = PRINTS.replace("1, 2, 3", "1, 2, 3, 4");
    let dir = throwaway(
        "differs",
        PRINTS,
        &edited,
        "answer.doesCompile = true\nanswer.stdout = \"3\"",
    );
    assert!(error_of(&dir).contains("differs from"));
}

#[test]
fn a_program_only_edition_2024_accepts_fails() {
    let asyncy = "fn main() {\n    let _f = async { 1 };\n    println!(\"ok\");\n}\n";
    let dir = throwaway(
        "edition",
        asyncy,
        asyncy,
        "answer.doesCompile = true\nanswer.stdout = \"ok\"",
    );
    assert!(error_of(&dir).contains("editions 2024 and 2015 disagree"));
}

#[test]
fn a_question_without_an_id_fails() {
    let dir = throwaway(
        "id",
        PRINTS,
        PRINTS,
        "answer.doesCompile = true\nanswer.stdout = \"3\"",
    );
    let toml = fs::read_to_string(dir.join("t.toml")).unwrap();
    fs::write(dir.join("t.toml"), toml.replace("id = \"t-one\"\n", "")).unwrap();
    assert!(error_of(&dir).contains("no `id`"));
}
