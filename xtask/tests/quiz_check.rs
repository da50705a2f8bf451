//! The quizzes' answers, proven: the book's own quizzes pass the check, and
//! throwaway quizzes with a wrong answer of each kind fail it. Their
//! translations (`book/quizzes/<lang>/`) pass the same check and match the
//! English quizzes question for question; a translation that differs in
//! anything but its words fails, and so does one whose English has been
//! edited since.

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
fn the_translated_quizzes_are_right_and_match_the_english() {
    for lang in quizzes::TRANSLATIONS {
        let summary = quizzes::check_translation(&quizzes::quiz_dir(), lang)
            .unwrap_or_else(|e| panic!("{lang}: {e:#}"));
        eprintln!(
            "{lang}: {} quizzes, {} questions, {} proven by the compiler",
            summary.quizzes, summary.questions, summary.proven
        );
        assert!(
            summary.proven > 0,
            "{lang}: no Tracing question was checked"
        );
    }
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
            assert!(
                summary < quiz,
                "{chapter}: the quiz comes before the summary"
            );
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

/// The English multiple-choice question of the throwaway translation tests.
const CHOICE: &str = "[[questions]]\ntype = \"MultipleChoice\"\nid = \"t-two\"\nprompt.prompt = \"Which?\"\nprompt.distractors = [\"no\", \"never\"]\nanswer.answer = \"yes\"\ncontext = \"why\"\n";

/// A throwaway quiz folder (a Tracing question, then [`CHOICE`]) and its
/// `zh-CN` translation, which `edit` makes from the English text.
fn translated(name: &str, edit: impl Fn(&str) -> String) -> PathBuf {
    let dir = throwaway(
        name,
        PRINTS,
        PRINTS,
        "answer.doesCompile = true\nanswer.stdout = \"3\"",
    );
    let en = fs::read_to_string(dir.join("t.toml")).unwrap() + CHOICE;
    fs::write(dir.join("t.toml"), &en).unwrap();
    fs::create_dir_all(dir.join("zh-CN")).unwrap();
    let zh = format!("{}\n{}", quizzes::source_hash_line(&en), edit(&en));
    fs::write(dir.join("zh-CN/t.toml"), zh).unwrap();
    dir
}

/// The English words in Chinese: what a translation may change.
fn in_chinese(en: &str) -> String {
    en.replace("\"Which?\"", "\"哪一个？\"")
        .replace("\"no\"", "\"不是\"")
        .replace("\"never\"", "\"从不\"")
        .replace("\"yes\"", "\"是\"")
        .replace("\"why\"", "\"原因\"")
}

fn translation_error(dir: &Path) -> String {
    match quizzes::check_translation(dir, "zh-CN") {
        Ok(s) => panic!("a wrong translation passed: {s:?}"),
        Err(e) => format!("{e:#}"),
    }
}

#[test]
fn a_translation_that_only_changes_the_words_passes() {
    let dir = translated("tr-right", in_chinese);
    let s = quizzes::check_translation(&dir, "zh-CN").unwrap();
    assert_eq!((s.quizzes, s.questions, s.proven), (1, 2, 1));
}

#[test]
fn a_translation_that_differs_in_more_than_words_fails() {
    // Each: what the Chinese text has changed beyond its words, and the
    // problem the check must name.
    let cases = [
        (
            "tr-id",
            "\"t-two\"",
            "\"t-three\"",
            "the English question here is Some(\"t-two\")",
        ),
        (
            "tr-type",
            "\"MultipleChoice\"",
            "\"ShortAnswer\"",
            "type ShortAnswer, the English question is MultipleChoice",
        ),
        (
            "tr-stdout",
            "stdout = \"3\"",
            "stdout = \"三\"",
            "a Tracing answer is not translated",
        ),
        (
            "tr-distractor",
            "\"从不\"]",
            "\"从不\", \"偶尔\"]",
            "its prompt is shaped",
        ),
        (
            "tr-answers",
            "answer.answer = \"是\"",
            "answer.answer = [\"是\", \"对\"]",
            "its answer is shaped",
        ),
    ];
    for (name, from, to, want) in cases {
        let dir = translated(name, |en| {
            let zh = in_chinese(en);
            assert!(zh.contains(from), "{name}: nothing to change");
            zh.replace(from, to)
        });
        let e = translation_error(&dir);
        assert!(e.contains(want), "{name}: {e}");
    }
    // The same questions in another order.
    let dir = translated("tr-order", |en| {
        let (tracing, choice) = en.split_at(en.find(CHOICE).unwrap());
        in_chinese(&format!("{choice}{tracing}"))
    });
    let e = translation_error(&dir);
    assert!(
        e.contains("the English question here is Some(\"t-one\")"),
        "{e}"
    );
}

#[test]
fn a_translated_quiz_is_checked_as_the_english_ones() {
    // Its program must be the shared file's text, as in English.
    let dir = translated("tr-program", |en| {
        in_chinese(en).replace("1, 2, 3", "1, 2, 3, 4")
    });
    let e = translation_error(&dir);
    assert!(e.contains("differs from"), "{e}");
    // Ids are unique within the language's folder.
    let dir = translated("tr-duplicate", in_chinese);
    fs::copy(dir.join("zh-CN/t.toml"), dir.join("zh-CN/u.toml")).unwrap();
    fs::copy(dir.join("t.toml"), dir.join("u.toml")).unwrap();
    assert!(translation_error(&dir).contains("duplicate id `t-one`"));
}

#[test]
fn a_missing_or_extra_translation_fails() {
    let dir = translated("tr-missing", in_chinese);
    fs::rename(dir.join("zh-CN/t.toml"), dir.join("zh-CN/u.toml")).unwrap();
    let e = translation_error(&dir);
    assert!(e.contains("no zh-CN version of this quiz"), "{e}");
    assert!(e.contains("no English quiz u.toml to translate"), "{e}");
}

#[test]
fn a_translation_of_an_edited_english_quiz_is_stale() {
    // An edit that keeps the quiz's shape: only the check on the English
    // text's hash can see it.
    let dir = translated("tr-stale", in_chinese);
    let en = fs::read_to_string(dir.join("t.toml")).unwrap();
    fs::write(
        dir.join("t.toml"),
        en.replace("\"Which?\"", "\"Which one?\""),
    )
    .unwrap();
    let e = translation_error(&dir);
    assert!(e.contains("has changed since it was translated"), "{e}");
    // And a translation that does not say what it translates.
    let dir = translated("tr-unsourced", in_chinese);
    let zh = fs::read_to_string(dir.join("zh-CN/t.toml")).unwrap();
    let rest = zh.split_once('\n').unwrap().1;
    fs::write(dir.join("zh-CN/t.toml"), rest).unwrap();
    let e = translation_error(&dir);
    assert!(e.contains("no `# English sha256: ...` line"), "{e}");
}
