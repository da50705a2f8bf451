//! The translated editions: the gettext catalogue of each (`po/LANG.po`),
//! the template they are merged from (`po/messages.pot`, generated, never
//! hand-edited), and the checks that keep a translation complete and current.
//!
//! How the tools behave (mdbook-i18n-helpers 0.3.6 on mdBook 0.4.52):
//! - `mdbook-xgettext` is an mdBook backend: it reads the book as the
//!   preprocessors left it. With `links`, `quiz` and `cmdrun` on, every
//!   included source file and every program's output become messages (the
//!   string literals and comments of the code too). The template is
//!   therefore extracted from the raw Markdown, with the default
//!   preprocessors off and the others limited to the html backend
//!   ([`extract`]); a directive is then one message, kept verbatim.
//! - `mdbook-gettext` is a preprocessor that does nothing unless
//!   `book.language` names a `po/LANG.po`; book.toml runs it before
//!   `links`, `quiz` and `cmdrun`, so the translated chapter's directives are
//!   expanded afterwards and the output is as real as in English.
//! - An untranslated or fuzzy message falls back to English silently, and a
//!   changed English paragraph is a new msgid the old po does not have:
//!   the build never fails on either. [`check`] does.
//! - The book's title is configuration, not a message: the catalogue's
//!   header carries it (`X-Book-Title`), and the build passes it on as
//!   `MDBOOK_BOOK__TITLE`.
//! - A translated heading keeps the English anchor with mdBook's heading
//!   attribute (`思路 {#the-idea}`), so links and `#fragments` are the same
//!   in both editions. A chapter's title that is also a SUMMARY.md message
//!   cannot carry one (it would show in the sidebar), so that `<h1>` gets an
//!   id from its Chinese text; nothing in the book links to a chapter's
//!   `<h1>`, and the anchors check (`site::same_anchors`) skips it.
//! - mdbook-gettext re-renders every translated message with `_` for
//!   emphasis, which CommonMark does not read inside a word: `*同时*`
//!   between Chinese characters shows as `_同时_`. [`markup`] flags it;
//!   `<em>同时</em>` survives.

use crate::tools::Tools;
use crate::{paths, process};
use anyhow::{Context, Result, bail};
use polib::catalog::Catalog;
use pulldown_cmark::{Event, Options, Parser, Tag};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// A translated edition of the book.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edition {
    /// `book.language`, the `<html lang>`, the po file's name and the
    /// edition's folder below the English one.
    pub code: &'static str,
}

/// Every translation the book has. The language switch (theme/i18n.js)
/// names the same folders.
pub const EDITIONS: &[Edition] = &[Edition { code: "zh-CN" }];

/// The edition for a `--lang` value, or why there is none.
pub fn edition(code: &str) -> Result<Edition, String> {
    EDITIONS
        .iter()
        .copied()
        .find(|e| e.code == code)
        .ok_or_else(|| {
            let codes: Vec<_> = EDITIONS.iter().map(|e| e.code).collect();
            format!(
                "no edition `{code}`: the book is in English and in {}",
                codes.join(", ")
            )
        })
}

pub fn po_file(root: &Path, e: Edition) -> PathBuf {
    root.join("po").join(format!("{}.po", e.code))
}

pub fn pot_file(root: &Path) -> PathBuf {
    root.join("po").join("messages.pot")
}

/// Points an `mdbook build` or `serve` at edition `e`, built into `out`:
/// mdbook-gettext translates for `book.language`, and the title comes from
/// the catalogue.
pub fn configure(cmd: &mut Command, root: &Path, e: Edition, out: &Path) -> Result<()> {
    cmd.env("MDBOOK_BOOK__LANGUAGE", e.code)
        .env("MDBOOK_BOOK__TITLE", title(root, e)?)
        .env("MDBOOK_BUILD__BUILD_DIR", out);
    Ok(())
}

/// Extracts the book's messages from its raw Markdown into `dir/messages.pot`.
pub fn extract(root: &Path, tools: &Tools, dir: &Path) -> Result<PathBuf> {
    let _ = fs::remove_dir_all(dir);
    let mut cmd = Command::new(tools.mdbook());
    cmd.current_dir(root)
        .env("PATH", tools.path_env()?)
        // Without `links` an {{#include}} stays one line of a code block,
        // and quiz and cmdrun keep to the html backend, so no included code,
        // quiz or program output becomes a message.
        .env("MDBOOK_BUILD__USE_DEFAULT_PREPROCESSORS", "false")
        .env("MDBOOK_PREPROCESSOR__QUIZ__RENDERERS", r#"["html"]"#)
        .env("MDBOOK_PREPROCESSOR__CMDRUN__RENDERERS", r#"["html"]"#)
        .env(
            "MDBOOK_OUTPUT",
            r#"{"xgettext": {"pot-file": "messages.pot"}}"#,
        )
        .arg("build")
        .arg("-d")
        .arg(dir);
    let out = process::run_captured(&mut cmd, Duration::from_secs(120))?;
    if !out.success() {
        bail!(
            "extracting the messages (`{}`) failed:\n{}",
            process::display(&cmd),
            out.stderr_text()
        );
    }
    let pot = dir.join("messages.pot");
    if !pot.is_file() {
        bail!("mdbook-xgettext wrote no {}", pot.display());
    }
    Ok(pot)
}

fn tool(name: &str) -> Command {
    Command::new(name)
}

fn gettext_missing(name: &str) -> String {
    format!("running {name} (GNU gettext; Debian: `apt-get install gettext`)")
}

/// `cargo xtask i18n update`: the template regenerated into po/, and every
/// catalogue merged with it (`msgmerge --update`): new and changed English
/// messages arrive untranslated or fuzzy, for a translator to finish.
pub fn update(root: &Path, tools: &Tools) -> Result<()> {
    let fresh = extract(
        root,
        tools,
        &paths::target_dir().join("i18n").join("update"),
    )?;
    let pot = pot_file(root);
    fs::create_dir_all(pot.parent().expect("po/ has a parent"))?;
    fs::copy(&fresh, &pot).with_context(|| format!("writing {}", pot.display()))?;
    println!("wrote {}", pot.display());
    for &e in EDITIONS {
        let po = po_file(root, e);
        let mut cmd = tool("msgmerge");
        cmd.args(["--update", "--backup=off", "--quiet"])
            .arg(&po)
            .arg(&pot);
        eprintln!("$ {}", process::display(&cmd));
        let status = cmd.status().with_context(|| gettext_missing("msgmerge"))?;
        if !status.success() {
            bail!("msgmerge failed on {}", po.display());
        }
        println!("{}: {}", po.display(), statistics(&po)?);
    }
    Ok(())
}

/// `msgfmt --check --statistics`: what GNU gettext says of a catalogue
/// (`1447 translated messages.`), after checking its syntax and header.
pub fn statistics(po: &Path) -> Result<String> {
    let out = tool("msgfmt")
        .args(["--check", "--statistics", "-o", "/dev/null"])
        .arg(po)
        .output()
        .with_context(|| gettext_missing("msgfmt"))?;
    let text = String::from_utf8_lossy(&out.stderr).trim().to_string();
    if !out.status.success() {
        bail!("msgfmt --check rejects {}:\n{text}", po.display());
    }
    Ok(text)
}

pub fn parse(file: &Path) -> Result<Catalog> {
    // The parser mdbook-gettext itself reads the catalogue with.
    polib::po_file::parse(file).map_err(|e| anyhow::anyhow!("reading {}: {e}", file.display()))
}

/// The book's title in an edition: the catalogue header's `X-Book-Title`.
pub fn title(root: &Path, e: Edition) -> Result<String> {
    let po = po_file(root, e);
    let text = fs::read_to_string(&po).with_context(|| format!("reading {}", po.display()))?;
    text.lines()
        .take_while(|l| !l.is_empty())
        .find_map(|l| l.strip_prefix("\"X-Book-Title: "))
        .and_then(|l| l.strip_suffix("\\n\""))
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .with_context(|| {
            format!(
                "{} has no book title: add the line \"X-Book-Title: ...\\n\" to its header (the msgstr of msgid \"\")",
                po.display()
            )
        })
}

/// What [`check`] found.
#[derive(Debug)]
pub struct Status {
    /// `msgfmt --statistics`, as it printed it.
    pub statistics: String,
    /// Messages of the current English text.
    pub messages: usize,
    pub translated: usize,
    /// One line per problem, naming the chapter and the message.
    pub problems: Vec<String>,
}

/// Checks an edition's catalogue against the book as it is now: every
/// message of the English text (extracted afresh into `work`) translated,
/// none fuzzy, each translation keeping its message's markup; and the
/// committed template current.
pub fn check(root: &Path, tools: &Tools, e: Edition, work: &Path) -> Result<Status> {
    let po = po_file(root, e);
    let statistics = statistics(&po)?;
    let fresh = parse(&extract(root, tools, work)?)?;
    let catalogue = parse(&po)?;
    let mut problems = compare(&fresh, &catalogue, &po);
    let translated = fresh.messages().count() - problems.len();
    problems.extend(markup_problems(&catalogue, &po));
    let committed = pot_file(root);
    let ids =
        |c: &Catalog| -> BTreeSet<String> { c.messages().map(|m| m.msgid().into()).collect() };
    if !committed.is_file() || ids(&parse(&committed)?) != ids(&fresh) {
        problems.push(format!(
            "{} is not the template of the book as it is: run `cargo xtask i18n update` and commit it",
            committed.display()
        ));
    }
    Ok(Status {
        statistics,
        messages: fresh.messages().count(),
        translated,
        problems,
    })
}

/// One line per message of `fresh` (the English text now) that `po` lacks,
/// leaves untranslated or marks fuzzy, naming the chapter(s) it is in.
pub fn compare(fresh: &Catalog, po: &Catalog, po_path: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for m in fresh.messages() {
        let state = match po.find_message(None, m.msgid(), None) {
            None => "new or changed in English since the last `cargo xtask i18n update`",
            Some(t) if t.is_fuzzy() => "fuzzy (marked for review)",
            Some(t) if !t.is_translated() => "untranslated",
            Some(_) => continue,
        };
        problems.push(format!(
            "{} ({}): {state}: \"{}\"",
            m.source().split_whitespace().next().unwrap_or("?"),
            po_path.display(),
            excerpt(m.msgid())
        ));
    }
    problems
}

fn excerpt(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 90 {
        one_line.chars().take(90).collect::<String>() + "…"
    } else {
        one_line
    }
}

/// What a translation must keep of its message: the inline code spans,
/// the link and image targets, the HTML tags (by name, in any order: a
/// sentence's word order changes) and an explicit heading id.
#[derive(Debug, Default, PartialEq)]
pub struct Markup {
    pub code: BTreeMap<String, usize>,
    pub targets: BTreeMap<String, usize>,
    pub tags: BTreeMap<String, usize>,
    /// How many emphasised and strong spans: `_同一时刻_` between Chinese
    /// characters is no emphasis to CommonMark (an underscore inside a word
    /// never is), so it shows its underscores; `*同一时刻*` is.
    pub emphasis: BTreeMap<String, usize>,
    /// Emphasis written `*...*` right next to a letter (any Chinese
    /// character is one): mdbook-gettext 0.3.6 re-renders every translated
    /// message with `_` for emphasis (`reconstruct_markdown`), and
    /// `在_同一时刻_运行` is no emphasis, so the page shows the underscores.
    /// `<em>同一时刻</em>` survives.
    pub fragile_emphasis: Vec<String>,
    pub heading_id: Option<String>,
}

/// A `{#id}` at the end of a message: a heading attribute, which mdBook
/// reads only at the end of a heading.
fn trailing_id(text: &str) -> Option<String> {
    let t = text.trim_end();
    let inner = t.strip_suffix('}')?;
    let open = inner.rfind("{#")?;
    let id = &inner[open + 2..];
    // An id is one word; `{{#quiz ../quizzes/x.toml}}` is a directive.
    let is_id = !id.is_empty()
        && !inner[..open].ends_with('{')
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    is_id.then(|| id.to_string())
}

/// Reads a message as mdBook's Markdown parser does.
pub fn markup(text: &str) -> Markup {
    let mut m = Markup {
        heading_id: trailing_id(text),
        ..Markup::default()
    };
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    for (event, range) in Parser::new_ext(text, opts).into_offset_iter() {
        match event {
            Event::Code(c) => *m.code.entry(c.to_string()).or_default() += 1,
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                *m.targets.entry(dest_url.to_string()).or_default() += 1
            }
            Event::Start(Tag::Emphasis) => {
                *m.emphasis.entry("emphasis".into()).or_default() += 1;
                let before = text[..range.start].chars().next_back();
                let after = text[range.end..].chars().next();
                if [before, after]
                    .into_iter()
                    .flatten()
                    .any(char::is_alphanumeric)
                {
                    m.fragile_emphasis.push(text[range].to_string());
                }
            }
            Event::Start(Tag::Strong) => *m.emphasis.entry("strong".into()).or_default() += 1,
            Event::Html(h) | Event::InlineHtml(h) => {
                for tag in h.split('<').skip(1) {
                    let name: String = tag
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '/' || *c == '!')
                        .collect();
                    let name = name.to_ascii_lowercase();
                    match name.as_str() {
                        "" | "!" | "/em" | "/strong" => {}
                        // As good as `*...*` and `**...**`, where those break.
                        "em" => *m.emphasis.entry("emphasis".into()).or_default() += 1,
                        "strong" => *m.emphasis.entry("strong".into()).or_default() += 1,
                        _ => *m.tags.entry(name).or_default() += 1,
                    }
                }
            }
            _ => {}
        }
    }
    m
}

/// mdBook 0.4.52's id for a heading's text (`utils::normalize_id`, on the
/// text without its markup).
pub fn heading_id(text: &str) -> String {
    let plain: String = Parser::new(text)
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.to_string()),
            _ => None,
        })
        .collect();
    plain
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                Some(c.to_ascii_lowercase())
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// Where a translation differs from its message in what must not change.
pub fn markup_mismatch(msgid: &str, msgstr: &str) -> Vec<String> {
    let (en, tr) = (markup(msgid), markup(msgstr));
    let mut out = Vec::new();
    let mut differ = |what: &str, a: &BTreeMap<String, usize>, b: &BTreeMap<String, usize>| {
        if a != b {
            out.push(format!("its {what} differ: {a:?} in English, {b:?} here"));
        }
    };
    differ("code spans", &en.code, &tr.code);
    differ("link targets", &en.targets, &tr.targets);
    differ("HTML tags", &en.tags, &tr.tags);
    differ("emphasised spans", &en.emphasis, &tr.emphasis);
    for e in &tr.fragile_emphasis {
        out.push(format!(
            "its emphasis {e} touches a letter: mdbook-gettext writes it back as `_..._`, which is no emphasis inside a word; write <em>...</em>"
        ));
    }
    if let Some(id) = &tr.heading_id {
        // The English heading's own id, or mdBook's id of its text (with a
        // `-N` suffix where the chapter repeats a heading).
        let base = en.heading_id.clone().unwrap_or_else(|| heading_id(msgid));
        let repeated = id
            .strip_prefix(&base)
            .and_then(|rest| rest.strip_prefix('-'))
            .is_some_and(|n| n.parse::<u32>().is_ok());
        if *id != base && !repeated {
            out.push(format!(
                "its heading id {{#{id}}} is not the English heading's {{#{base}}}"
            ));
        }
    } else if let Some(id) = en.heading_id {
        out.push(format!("it drops the heading id {{#{id}}}"));
    }
    out
}

/// One line per translated message whose markup differs from its msgid's.
pub fn markup_problems(po: &Catalog, po_path: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for m in po.messages().filter(|m| m.is_translated() && !m.is_fuzzy()) {
        let Ok(msgstr) = m.msgstr() else { continue };
        for p in markup_mismatch(m.msgid(), msgstr) {
            problems.push(format!(
                "{} ({}): the translation of \"{}\": {p}",
                m.source().split_whitespace().next().unwrap_or("?"),
                po_path.display(),
                excerpt(m.msgid())
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_must_survive_translation() {
        let en =
            "Call [`spawn`](../futures/tokio-tasks.md#spawn) with <kbd>Ctrl</kbd>, not `block_on`.";
        assert!(
            markup_mismatch(
                en,
                "用 <kbd>Ctrl</kbd> 调用 [`spawn`](../futures/tokio-tasks.md#spawn)，而不是 `block_on`。"
            )
            .is_empty()
        );
        let broken = markup_mismatch(
            en,
            "用 <kbd>Ctrl</kbd> 调用 [spawn](../futures/tokio-tasks.md#spawning)，而不是 `block_on`。",
        );
        assert_eq!(broken.len(), 2, "{broken:#?}");
        assert!(broken[0].contains("code spans"), "{}", broken[0]);
        assert!(broken[1].contains("link targets"), "{}", broken[1]);
        let underscores = markup_mismatch("Both run _at the same time_.", "两者_同时_运行。");
        assert!(underscores[0].contains("emphasised"), "{underscores:#?}");
        let fragile = markup_mismatch("Both run _at the same time_.", "两者*同时*运行。");
        assert!(fragile[0].contains("touches a letter"), "{fragile:#?}");
        assert!(
            markup_mismatch("Both run _at the same time_.", "两者<em>同时</em>运行。").is_empty()
        );
        assert!(markup_mismatch("Both run _at the same time_.", "两者 *同时* 运行。").is_empty());
        let no_tag = markup_mismatch(
            en,
            "调用 [`spawn`](../futures/tokio-tasks.md#spawn)，而不是 `block_on`。",
        );
        assert!(no_tag[0].contains("HTML tags"), "{no_tag:#?}");
    }

    #[test]
    fn heading_ids_must_be_the_english_ones() {
        assert_eq!(heading_id("Why `spawn_blocking`?"), "why-spawn_blocking");
        assert!(markup_mismatch("The idea", "思路 {#the-idea}").is_empty());
        assert!(
            markup_mismatch("The idea", "思路").is_empty(),
            "an id is optional"
        );
        assert!(markup_mismatch("Summary", "小结 {#summary-2}").is_empty());
        // A directive is no heading id, and may name another file.
        assert!(
            markup_mismatch(
                "{{#quiz ../quizzes/why.toml}}",
                "{{#quiz ../quizzes/zh-CN/why.toml}}"
            )
            .is_empty()
        );
        let wrong = markup_mismatch("The idea", "思路 {#idea}");
        assert!(wrong[0].contains("{#the-idea}"), "{wrong:#?}");
        let dropped = markup_mismatch("Costs {#costs-measured}", "代价");
        assert!(dropped[0].contains("drops"), "{dropped:#?}");
    }

    #[test]
    fn reads_the_title_from_the_header() {
        let dir = std::env::temp_dir().join(format!("xtask-i18n-title-{}", std::process::id()));
        fs::create_dir_all(dir.join("po")).unwrap();
        let e = EDITIONS[0];
        let header = "msgid \"\"\nmsgstr \"\"\n\"Language: zh_CN\\n\"\n";
        fs::write(
            po_file(&dir, e),
            format!("{header}\"X-Book-Title: 书名\\n\"\n"),
        )
        .unwrap();
        assert_eq!(title(&dir, e).unwrap(), "书名");
        fs::write(po_file(&dir, e), header).unwrap();
        assert!(title(&dir, e).is_err(), "a missing title must fail");
        fs::remove_dir_all(&dir).unwrap();
    }
}
