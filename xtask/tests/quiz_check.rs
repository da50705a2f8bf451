//! The quizzes' answers, proven: the book's own quizzes pass the check, and
//! throwaway quizzes with a wrong answer of each kind fail it.

use std::fs;
use std::path::{Path, PathBuf};
use xtask::{paths, quizzes};

/// Every chapter in SUMMARY.md, by its path under `book/`: the
/// appendices are reference pages, not chapters, and have no quiz.
fn chapters() -> Vec<String> {
    let summary = fs::read_to_string(paths::root().join("book/SUMMARY.md")).unwrap();
    let chapters: Vec<String> = summary
        .split("](")
        .skip(1)
        .filter_map(|rest| rest.split_once(')').map(|(path, _)| path.to_string()))
        .filter(|path| path.ends_with(".md") && !path.starts_with("appendices/"))
        .collect();
    assert!(chapters.len() > 20, "SUMMARY.md lists {chapters:?}");
    chapters
}

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
    for chapter in chapters() {
        let path = paths::root().join("book").join(&chapter);
        let text = fs::read_to_string(&path).unwrap();
        let stem = Path::new(&chapter).file_stem().unwrap().to_string_lossy();
        let directive = format!("{{{{#quiz ../quizzes/{stem}.toml}}}}");
        let at = text
            .find(&directive)
            .unwrap_or_else(|| panic!("{chapter} has no `{directive}`"));
        // The quiz is the chapter's last section, after its summary if it
        // has one.
        let quiz = text
            .rfind("\n## Quiz\n")
            .unwrap_or_else(|| panic!("{chapter} has no `## Quiz` section"));
        assert!(quiz < at, "{chapter}: the directive is not under `## Quiz`");
        assert!(
            !text[quiz + 1..].lines().skip(1).any(|l| l.starts_with('#')),
            "{chapter}: a section follows the quiz"
        );
        if let Some(summary) = text.find("\n## Summary\n") {
            assert!(summary < quiz, "{chapter}: the quiz comes before the summary");
        }
        let toml = fs::read_to_string(quizzes::quiz_dir().join(format!("{stem}.toml")))
            .unwrap_or_else(|e| panic!("{stem}.toml: {e}"));
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
