//! Checks of the built book as a website, in pure Rust (no browser):
//!
//! - **links**: every internal `href`/`src` in `target/book/*.html` points to
//!   a file of the book, and every `#anchor` to an `id` in the target page;
//! - **embedded output**: every cmdrun directive of every rendered chapter
//!   produced non-empty content that is really in the page (the words of the
//!   program's output, in order, and its SVG pictures). What to expect comes
//!   from the chapter sources and from what each directive really printed
//!   (the wrapper records every good run, see [`wrapper::ENV_RECORD_DIR`]),
//!   so no list of chapters is kept anywhere;
//! - **playground**: every ```` ```rust ```` block either is marked
//!   `noplayground`/`ignore` or is a `{{#rustdoc_include}}` of a short
//!   program in `examples/` that the Rust Playground can run.
//!
//! The browser test (`browser.rs`) reuses the same expectations and checks
//! them again in the rendered page.

use crate::book::{self, Directive};
use crate::wrapper;
use anyhow::{Context, Result};
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Component, Path, PathBuf};

/// One parsed HTML page of the built book.
pub struct Page {
    /// Path below the output folder, with `/` separators.
    pub rel: String,
    pub ids: HashSet<String>,
    /// `(attribute, value)` of every `href` and `src`.
    pub links: Vec<(String, String)>,
    /// `<base href>`, when the page sets one (mdBook's 404 page does).
    pub base: Option<String>,
    /// The text of `<main>` (or of the whole body), tags stripped, entities decoded.
    pub main_text: String,
    /// `<svg>` elements inside `<main>`.
    pub svgs: usize,
    /// `<h1>` text, the page's title inside the content.
    pub h1: Option<String>,
}

/// Every `.html` file below `out`, parsed.
pub fn pages(out: &Path) -> Result<Vec<Page>> {
    let files = book::files_with_extension(out, "html")?;
    files
        .iter()
        .map(|f| {
            let html = fs::read_to_string(f).with_context(|| format!("reading {}", f.display()))?;
            let rel = f
                .strip_prefix(out)
                .unwrap_or(f)
                .to_string_lossy()
                .replace('\\', "/");
            Ok(parse(&rel, &html))
        })
        .collect()
}

/// A small HTML scanner: enough for mdBook's output, which is well formed.
pub fn parse(rel: &str, html: &str) -> Page {
    let mut page = Page {
        rel: rel.to_string(),
        ids: HashSet::new(),
        links: Vec::new(),
        base: None,
        main_text: String::new(),
        svgs: 0,
        h1: None,
    };
    let mut i = 0;
    while let Some(at) = html[i..].find('<') {
        let start = i + at;
        if html[start..].starts_with("<!--") {
            i = html[start..]
                .find("-->")
                .map_or(html.len(), |e| start + e + 3);
            continue;
        }
        let Some(end) = tag_end(html, start) else {
            break;
        };
        let tag = &html[start + 1..end];
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        for (attr, value) in attributes(tag) {
            match attr.as_str() {
                "id" | "name" if name != "meta" && name != "input" => {
                    page.ids.insert(decode_entities(&value));
                }
                "href" | "src" => {
                    if name == "base" {
                        page.base = Some(decode_entities(&value));
                    } else {
                        page.links.push((attr, decode_entities(&value)));
                    }
                }
                _ => {}
            }
        }
        i = end + 1;
        // Script and style bodies are not markup: skip them whole.
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            i = html[i..].find(&close).map_or(html.len(), |e| i + e);
        }
    }
    let main = match (html.find("<main"), html.rfind("</main>")) {
        (Some(s), Some(e)) if s < e => &html[s..e],
        _ => html,
    };
    page.main_text = html_text(main);
    page.svgs = main.matches("<svg").count();
    page.h1 = main.find("<h1").and_then(|s| {
        let e = main[s..].find("</h1>")? + s;
        Some(html_text(&main[s..e]).trim().to_string())
    });
    page
}

/// Where the tag opened at `start` closes, honouring quoted attribute values.
fn tag_end(html: &str, start: usize) -> Option<usize> {
    let mut quote = None;
    for (k, c) in html[start..].char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(start + k),
            _ => {}
        }
    }
    None
}

fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let b = tag.as_bytes();
    let mut i = 0;
    // Skip the tag name.
    while i < b.len() && !b[i].is_ascii_whitespace() {
        i += 1;
    }
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let s = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' && b[i] != b'/' {
            i += 1;
        }
        let name = tag[s..i].to_ascii_lowercase();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            let value = if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let vs = i + 1;
                i = vs;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
                let v = &tag[vs..i.min(tag.len())];
                i += 1;
                v
            } else {
                let vs = i;
                while i < b.len() && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
                &tag[vs..i]
            };
            out.push((name, value.to_string()));
        } else if !name.is_empty() {
            out.push((name, String::new()));
        } else {
            i += 1;
        }
    }
    out
}

/// The text of an HTML fragment: comments, scripts, styles and tags dropped,
/// entities decoded.
pub fn html_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut i = 0;
    while let Some(at) = html[i..].find('<') {
        let start = i + at;
        text.push_str(&html[i..start]);
        // As in HTML (and Markdown), `<` before a space or a digit is text.
        let next = html[start + 1..].chars().next();
        if !next.is_some_and(|c| c.is_ascii_alphabetic() || "/!?".contains(c)) {
            text.push('<');
            i = start + 1;
            continue;
        }
        if html[start..].starts_with("<!--") {
            i = html[start..]
                .find("-->")
                .map_or(html.len(), |e| start + e + 3);
            continue;
        }
        let Some(end) = tag_end(html, start) else {
            i = html.len();
            break;
        };
        let lower = html[start + 1..end].to_ascii_lowercase();
        i = end + 1;
        text.push(' ');
        for name in ["script", "style"] {
            if lower.starts_with(name) {
                let close = format!("</{name}");
                i = html[i..].find(&close).map_or(html.len(), |e| i + e);
            }
        }
    }
    text.push_str(&html[i..]);
    decode_entities(&text)
}

fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let semi = rest[..rest.len().min(12)].find(';');
        let Some(semi) = semi else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..semi];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            _ => name.strip_prefix('#').and_then(|n| {
                let code = match n.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => n.parse().ok(),
                };
                code.and_then(char::from_u32)
            }),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Text as a list of words (letters and digits), the unit the content
/// checks compare: it ignores markup, whitespace and punctuation, which
/// Markdown rendering changes, and keeps everything a reader reads.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether `needle` appears as a contiguous run in `hay`.
pub fn contains_run(hay: &[String], needle: &[String]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

// ---------------------------------------------------------------- links --

fn is_external(link: &str) -> bool {
    let lower = link.to_ascii_lowercase();
    lower.starts_with("//")
        || lower
            .split_once(':')
            .is_some_and(|(scheme, _)| scheme.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Resolves `path` (relative to `from_dir`, both below the output folder)
/// to a normalised relative path, or `None` if it leaves the book.
fn resolve(from_dir: &str, path: &str) -> Option<String> {
    let joined = if let Some(abs) = path.strip_prefix('/') {
        PathBuf::from(abs)
    } else {
        Path::new(from_dir).join(path)
    };
    let mut parts: Vec<String> = Vec::new();
    for c in joined.components() {
        match c {
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            Component::ParentDir => {
                parts.pop()?;
            }
            _ => {}
        }
    }
    Some(parts.join("/"))
}

/// What the link check looked at.
#[derive(Debug, Default)]
pub struct LinkReport {
    pub pages: usize,
    pub links: usize,
    pub anchors: usize,
    /// One line per broken link, naming the page.
    pub problems: Vec<String>,
    /// Links to chapters not written yet, tolerated while SUMMARY.md still
    /// lists drafts (`- [Title]()`), so parts can land one at a time.
    pub pending: Vec<String>,
}

/// Checks every internal link and anchor of the book in `out`. While the
/// book has drafts (`drafts`), a link to a chapter page whose source is not
/// in `src` yet is listed as pending instead of broken.
pub fn check_links(out: &Path, src: &Path, drafts: bool, pages: &[Page]) -> LinkReport {
    let by_rel: HashMap<&str, &Page> = pages.iter().map(|p| (p.rel.as_str(), p)).collect();
    let mut report = LinkReport {
        pages: pages.len(),
        ..LinkReport::default()
    };
    for page in pages {
        let page_dir = page.rel.rsplit_once('/').map_or("", |(d, _)| d);
        // mdBook's 404 page sets `<base href="/">` (or the site-url), so its
        // links are relative to the book's root wherever it is served.
        let dir = match &page.base {
            Some(b) if b.starts_with('/') || is_external(b) => "",
            Some(b) => b.trim_end_matches('/'),
            None => page_dir,
        };
        for (attr, link) in &page.links {
            if link.is_empty() || is_external(link) {
                continue;
            }
            report.links += 1;
            let (path, fragment) = link.split_once('#').unwrap_or((link, ""));
            let path = path.split('?').next().unwrap_or("");
            let target = if path.is_empty() {
                Some(page.rel.clone())
            } else {
                resolve(dir, &percent_decode(path)).map(|t| {
                    if path.ends_with('/') || out.join(&t).is_dir() {
                        format!("{}/index.html", t.trim_end_matches('/'))
                            .trim_start_matches('/')
                            .to_string()
                    } else {
                        t
                    }
                })
            };
            let Some(target) = target else {
                report.problems.push(format!(
                    "{}: {attr}=\"{link}\" points outside the book",
                    page.rel
                ));
                continue;
            };
            if !out.join(&target).is_file() {
                let unwritten = target.ends_with(".html")
                    && !src.join(Path::new(&target).with_extension("md")).is_file();
                if drafts && unwritten {
                    report
                        .pending
                        .push(format!("{}: {attr}=\"{link}\"", page.rel));
                    continue;
                }
                report.problems.push(format!(
                    "{}: {attr}=\"{link}\" is broken: there is no {target}",
                    page.rel
                ));
                continue;
            }
            if fragment.is_empty() || !target.ends_with(".html") {
                continue;
            }
            report.anchors += 1;
            let fragment = percent_decode(fragment);
            let found = by_rel
                .get(target.as_str())
                .is_some_and(|t| t.ids.contains(&fragment));
            if !found {
                report.problems.push(format!(
                    "{}: {attr}=\"{link}\" is broken: {target} has no id \"{fragment}\"",
                    page.rel
                ));
            }
        }
    }
    report
}

// ------------------------------------------------------ embedded output --

/// What one directive must have put into its page.
#[derive(Debug, Clone)]
pub struct Expectation {
    /// The page, below the output folder (`part/chapter.html`).
    pub page: String,
    /// `chapter.md:LINE`, for messages.
    pub place: String,
    pub command: String,
    /// The words of the output, in order, as a reader sees them.
    pub words: Vec<String>,
    /// How many `<svg>` pictures the output holds.
    pub svgs: usize,
}

/// The lines of `text` that sit inside a fenced code block.
fn fenced_lines(text: &str) -> Vec<bool> {
    let mut fence: Option<String> = None;
    let mut inside = Vec::new();
    for line in text.lines() {
        let t = line.trim_start();
        let marker: String = t.chars().take_while(|&c| c == '`' || c == '~').collect();
        match &fence {
            Some(open) if marker.len() >= open.len() && marker.starts_with(&open[..1]) => {
                inside.push(false);
                fence = None;
            }
            Some(_) => inside.push(true),
            None if marker.len() >= 3 => {
                inside.push(false);
                fence = Some(marker);
            }
            None => inside.push(false),
        }
    }
    inside
}

/// Splits a command line the way `sh` does for simple words and quotes.
pub fn shell_words(line: &str) -> Vec<String> {
    shell_tokens(line).into_iter().map(|(w, _)| w).collect()
}

/// Words, each with whether it began outside quotes (only such a word can
/// be a redirection like `2>&1`).
fn shell_tokens(line: &str) -> Vec<(String, bool)> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut has = false;
    let mut bare_start = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if !has && !c.is_whitespace() {
            bare_start = !matches!(c, '\'' | '"' | '\\');
        }
        match c {
            '\'' => {
                has = true;
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    cur.push(c);
                }
            }
            '"' => {
                has = true;
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => cur.extend(chars.next()),
                        c => cur.push(c),
                    }
                }
            }
            '\\' => {
                has = true;
                cur.extend(chars.next());
            }
            c if c.is_whitespace() => {
                if has {
                    words.push((std::mem::take(&mut cur), bare_start));
                }
                has = false;
            }
            c => {
                has = true;
                cur.push(c);
            }
        }
    }
    if has {
        words.push((cur, bare_start));
    }
    words
}

/// A directive's command as the words a program receives: shell
/// redirections (`2>&1`, `> file`) are the shell's, not the program's.
fn command_words(command: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut skip_target = false;
    for (w, bare) in shell_tokens(command) {
        if skip_target {
            skip_target = false;
            continue;
        }
        let rest = w.trim_start_matches(|c: char| c.is_ascii_digit());
        if bare && (rest.starts_with('>') || rest.starts_with('<')) {
            // `2>` or `>` alone: the file is the next word.
            skip_target = rest.trim_start_matches(['>', '<', '&']).is_empty();
            continue;
        }
        out.push(w);
    }
    out
}

/// The words a directive's output shows in the page. Outside a code fence
/// the output is Markdown (or inline HTML such as SVG): its tags and link
/// targets are not text. Inside a fence it is shown as is.
fn output_words(output: &str, fenced: bool) -> Vec<String> {
    if fenced {
        return words(output);
    }
    // Code (`Vec<T>`, or a fenced block) is shown as written: escape it so
    // that its `<` is not taken for a tag below.
    let mut unquoted = String::with_capacity(output.len());
    for (i, part) in output.split('`').enumerate() {
        if i % 2 == 1 {
            unquoted.push_str(
                &part
                    .replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;"),
            );
        } else {
            unquoted.push_str(part);
        }
        unquoted.push(' ');
    }
    // `[text](target)` shows only `text`.
    let mut md = String::with_capacity(unquoted.len());
    let mut rest = unquoted.as_str();
    while let Some(at) = rest.find("](") {
        md.push_str(&rest[..=at]);
        rest = &rest[at + 2..];
        match rest.find(')') {
            Some(close) => rest = &rest[close + 1..],
            None => break,
        }
    }
    md.push_str(rest);
    words(&html_text(&md))
}

/// Derives, from the chapter sources and the wrapper's records, what every
/// directive of every rendered chapter must have put into its page. Returns
/// the expectations and the problems found on the way (a directive with no
/// good run recorded, an SVG that Markdown will break).
pub fn expectations(
    src: &Path,
    out: &Path,
    found: &[Directive],
    records: &[wrapper::Record],
) -> Result<(Vec<Expectation>, Vec<String>)> {
    let mut expected = Vec::new();
    let mut problems = Vec::new();
    let mut fences: HashMap<PathBuf, Vec<bool>> = HashMap::new();
    for d in found {
        let rel = d.file.strip_prefix(src).unwrap_or(&d.file);
        let page = rel
            .with_extension("html")
            .to_string_lossy()
            .replace('\\', "/");
        // A Markdown file that is not in SUMMARY.md (a snippet's notes, a
        // draft) is not rendered, and cmdrun never runs its directives.
        if !out.join(&page).is_file() {
            continue;
        }
        let place = format!("{}:{}", d.file.display(), d.line);
        if !fences.contains_key(&d.file) {
            let text = fs::read_to_string(&d.file)?;
            fences.insert(d.file.clone(), fenced_lines(&text));
        }
        let fenced = fences[&d.file].get(d.line - 1).copied().unwrap_or(false);
        let wanted = command_words(&d.command);
        let cwd = d.file.parent().and_then(|p| p.canonicalize().ok());
        // The record of this directive: same folder, and xtask's arguments
        // found in the directive's command. The longest such match wins, so
        // `run-example a -- --demo` is not taken for `run-example a`.
        let record = records
            .iter()
            .filter(|r| {
                !r.argv.is_empty()
                    && wanted.windows(r.argv.len()).any(|w| w == r.argv.as_slice())
                    && Path::new(&r.cwd).canonicalize().ok() == cwd
            })
            .max_by_key(|r| r.argv.len());
        let Some(record) = record else {
            problems.push(format!(
                "{place}: `{}` left no record of a good run: did cmdrun run it?",
                d.command
            ));
            continue;
        };
        let svgs = record.stdout.matches("<svg").count();
        if svgs > 0 {
            if fenced {
                problems.push(format!(
                    "{place}: `{}` prints SVG inside a code fence, where it shows as text: put the directive outside the fence",
                    d.command
                ));
            }
            for svg in svg_sources(&record.stdout) {
                if svg.lines().any(|l| l.trim().is_empty()) {
                    problems.push(format!(
                        "{place}: `{}` prints an SVG with a blank line inside; Markdown ends the picture there. Print no blank lines inside <svg>",
                        d.command
                    ));
                }
                if !svg.contains("viewBox") {
                    problems.push(format!(
                        "{place}: `{}` prints an SVG without a viewBox; it cannot scale to a phone's width",
                        d.command
                    ));
                }
            }
        }
        expected.push(Expectation {
            page,
            place,
            command: d.command.clone(),
            words: output_words(&record.stdout, fenced),
            svgs,
        });
    }
    Ok((expected, problems))
}

fn svg_sources(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(s) = rest.find("<svg") {
        let e = rest[s..].find("</svg>").map_or(rest.len(), |e| s + e + 6);
        found.push(&rest[s..e]);
        rest = &rest[e..];
    }
    found
}

/// Checks that every expectation is met by the rendered pages. Returns one
/// line per unmet expectation, naming chapter, command and page.
pub fn check_content(pages: &[Page], expected: &[Expectation]) -> Vec<String> {
    let by_rel: HashMap<&str, &Page> = pages.iter().map(|p| (p.rel.as_str(), p)).collect();
    let mut page_words: HashMap<&str, Vec<String>> = HashMap::new();
    let mut svgs_wanted: HashMap<&str, usize> = HashMap::new();
    let mut problems = Vec::new();
    for e in expected {
        let Some(page) = by_rel.get(e.page.as_str()) else {
            problems.push(format!("{}: page {} is missing", e.place, e.page));
            continue;
        };
        *svgs_wanted.entry(&e.page).or_default() += e.svgs;
        let hay = page_words
            .entry(&e.page)
            .or_insert_with(|| words(&page.main_text));
        if e.words.is_empty() && e.svgs == 0 {
            problems.push(format!(
                "{}: `{}` embedded no text and no picture in {}",
                e.place, e.command, e.page
            ));
        } else if !contains_run(hay, &e.words) {
            let mut excerpt = e
                .words
                .iter()
                .take(12)
                .cloned()
                .collect::<Vec<_>>()
                .join(" ");
            if e.words.len() > 12 {
                excerpt.push_str(" ...");
            }
            problems.push(format!(
                "{}: the output of `{}` is not in the page {} (looked for: {excerpt})",
                e.place, e.command, e.page
            ));
        }
    }
    for (page, wanted) in svgs_wanted {
        let have = by_rel[page].svgs;
        if have < wanted {
            problems.push(format!(
                "{page}: its directives printed {wanted} SVG picture(s), the page holds {have}"
            ));
        }
    }
    problems
}

// ----------------------------------------------------------- playground --

/// A ```` ```rust ```` block the Playground will offer to run.
#[derive(Debug, Clone)]
pub struct Runnable {
    pub place: String,
    /// The chapter's page, below the output folder.
    pub page: String,
    /// The example it includes.
    pub program: PathBuf,
}

/// What the Playground can run: these crates, no network, a short program.
const PLAYGROUND_CRATES: [&str; 5] = ["std", "core", "alloc", "tokio", "futures"];
const PLAYGROUND_MAX_LINES: usize = 80;

/// Every ```` ```rust ```` block must be `noplayground` or `ignore` (no Run
/// button), or be exactly one `{{#rustdoc_include}}` of a program in
/// `examples/` (which CI compiles) that uses only std, tokio and futures,
/// opens no socket and is short. Returns the runnable blocks and the problems.
pub fn playground_lint(src: &Path, root: &Path) -> Result<(Vec<Runnable>, Vec<String>)> {
    let mut runnable = Vec::new();
    let mut problems = Vec::new();
    let examples = root.join("examples").canonicalize().ok();
    for file in book::files_with_extension(src, "md")? {
        let text = fs::read_to_string(&file)?;
        let lines: Vec<&str> = text.lines().collect();
        let mut i = 0;
        while i < lines.len() {
            let t = lines[i].trim_start();
            let marker: String = t.chars().take_while(|&c| c == '`' || c == '~').collect();
            if marker.len() < 3 {
                i += 1;
                continue;
            }
            let info = t[marker.len()..].trim();
            let start = i;
            i += 1;
            let mut body = Vec::new();
            while i < lines.len() {
                let l = lines[i].trim_start();
                if l.starts_with(&marker) && l.trim_start_matches(&marker[..1]).trim().is_empty() {
                    break;
                }
                body.push(lines[i]);
                i += 1;
            }
            i += 1;
            let attrs: Vec<&str> = info
                .split([',', ' '])
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .collect();
            if attrs.first() != Some(&"rust") {
                continue;
            }
            if attrs
                .iter()
                .any(|a| matches!(*a, "noplayground" | "noplaypen" | "ignore"))
            {
                continue;
            }
            let place = format!("{}:{}", file.display(), start + 1);
            let content: Vec<&str> = body
                .iter()
                .map(|l| l.trim())
                .filter(|l| !l.is_empty())
                .collect();
            let include = match content.as_slice() {
                [one] => one
                    .strip_prefix("{{#rustdoc_include ")
                    .and_then(|r| r.strip_suffix("}}"))
                    .map(str::trim),
                _ => None,
            };
            let Some(include) = include else {
                problems.push(format!(
                    "{place}: this ```rust block gets a Run button; mark it `rust,noplayground` (or `ignore`), or make it one {{{{#rustdoc_include ../../examples/NAME.rs:anchor}}}} of a short std/tokio/futures program"
                ));
                continue;
            };
            let path = include.split(':').next().unwrap_or(include);
            let program = file.parent().unwrap_or(src).join(path);
            let in_examples = program
                .canonicalize()
                .ok()
                .zip(examples.as_ref())
                .is_some_and(|(p, ex)| p.starts_with(ex));
            if !in_examples {
                problems.push(format!(
                    "{place}: a runnable block must include a program from examples/ (which CI compiles); `{path}` is not one"
                ));
                continue;
            }
            let code = fs::read_to_string(&program)?;
            for p in playground_problems(&code) {
                problems.push(format!(
                    "{place}: `{path}` cannot run on the Playground: {p}; mark the block `rust,noplayground`"
                ));
            }
            let rel = file.strip_prefix(src).unwrap_or(&file);
            runnable.push(Runnable {
                place,
                page: rel
                    .with_extension("html")
                    .to_string_lossy()
                    .replace('\\', "/"),
                program,
            });
        }
    }
    Ok((runnable, problems))
}

/// Why a program would fail on the Playground, if it would.
pub fn playground_problems(code: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let lines = code.lines().count();
    if lines > PLAYGROUND_MAX_LINES {
        problems.push(format!(
            "it has {lines} lines (at most {PLAYGROUND_MAX_LINES})"
        ));
    }
    for line in code.lines() {
        let t = line.trim_start();
        if t.starts_with("//") {
            continue;
        }
        let used = t
            .strip_prefix("use ")
            .or_else(|| t.strip_prefix("pub use "))
            .or_else(|| t.strip_prefix("extern crate "));
        if let Some(path) = used {
            let root: String = path
                .trim_start_matches("::")
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !PLAYGROUND_CRATES.contains(&root.as_str())
                && !matches!(root.as_str(), "crate" | "self" | "super")
            {
                problems.push(format!("it uses the crate `{root}`"));
            }
        }
        for crate_path in ["course::", "anyhow::"] {
            if t.contains(crate_path) && !t.starts_with("use ") {
                problems.push(format!("it uses `{crate_path}`"));
            }
        }
        for net in [
            "TcpListener",
            "TcpStream",
            "UdpSocket",
            "UnixStream",
            "UnixListener",
        ] {
            if t.contains(net) {
                problems.push(format!("it opens a socket ({net})"));
            }
        }
    }
    if !code.contains("fn main") {
        problems.push("it has no `fn main`".to_string());
    }
    problems.dedup();
    problems
}

// ----------------------------------------------------------------- JSON --

/// A JSON string literal.
pub fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A JSON array of strings.
pub fn json_strs<S: AsRef<str>>(items: &[S]) -> String {
    let parts: Vec<String> = items.iter().map(|s| json_str(s.as_ref())).collect();
    format!("[{}]", parts.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        words(s)
    }

    #[test]
    fn parses_ids_links_and_text() {
        let p = parse(
            "a/b.html",
            "<html><head><script>if (a<b) x()</script></head><body>\
             <main><h1 id=\"t\">Title &amp; more</h1><!-- <a href=\"gone.html\"> -->\
             <a href='../c.html#x' class=x>link</a><pre><code>1 &lt; 2</code></pre>\
             <svg viewBox=\"0 0 1 1\"><text>label</text></svg></main></body></html>",
        );
        assert!(p.ids.contains("t"));
        assert_eq!(p.links, [("href".to_string(), "../c.html#x".to_string())]);
        assert_eq!(p.h1.as_deref(), Some("Title & more"));
        assert_eq!(w(&p.main_text), w("Title more link 1 2 label"));
        assert_eq!(p.svgs, 1);
    }

    #[test]
    fn resolves_relative_paths() {
        assert_eq!(resolve("a", "../b/c.html").as_deref(), Some("b/c.html"));
        assert_eq!(resolve("", "x.html").as_deref(), Some("x.html"));
        assert_eq!(resolve("", "../x.html"), None);
        assert_eq!(resolve("a/b", "/x.html").as_deref(), Some("x.html"));
    }

    #[test]
    fn fences_and_shell_words() {
        assert_eq!(
            fenced_lines("a\n```text\nb\n```\nc\n````\n```\n````\n"),
            [false, false, true, false, false, false, true, false]
        );
        assert_eq!(
            shell_words("cargo xtask cmd -- sh -c 'echo a; b' \"q\\\"\""),
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
    }

    #[test]
    fn command_words_drop_redirections() {
        assert_eq!(
            command_words("cargo xtask cmd --expect-exit 1 -- rustc a.rs 2>&1"),
            [
                "cargo",
                "xtask",
                "cmd",
                "--expect-exit",
                "1",
                "--",
                "rustc",
                "a.rs"
            ]
        );
        assert_eq!(command_words("x > out.txt y 2> err"), ["x", "y"]);
        assert_eq!(
            command_words("printf '<svg>' \">b\""),
            ["printf", "<svg>", ">b"]
        );
    }

    #[test]
    fn output_words_drop_markup_outside_fences_only() {
        assert_eq!(output_words("if a < b and 1<2", false), w("if a b and 1 2"));
        assert_eq!(
            output_words("`sum::<u64>()` gives `Result<T, E>`, <b>bold</b>", false),
            w("sum u64 gives Result T E bold")
        );
        let md = "<details>\n<summary>Hint 1</summary>\n\nUse [join](https://x.y/z) &amp; `wait`.\n</details>";
        assert_eq!(output_words(md, false), w("Hint 1 Use join & wait"));
        assert_eq!(output_words("a <b> c", true), w("a b c"));
    }

    #[test]
    fn runs_are_contiguous() {
        assert!(contains_run(&w("a b c d"), &w("b c")));
        assert!(!contains_run(&w("a b c d"), &w("b d")));
    }

    #[test]
    fn playground_rules() {
        let ok = "use std::time::Duration;\nuse tokio::time::sleep;\n#[tokio::main]\nasync fn main() {}\n";
        assert!(
            playground_problems(ok).is_empty(),
            "{:?}",
            playground_problems(ok)
        );
        let bad = "use course::clock::Clock;\nuse tokio::net::TcpListener;\nfn main() { anyhow::bail!() }\n";
        let p = playground_problems(bad);
        assert!(p.iter().any(|p| p.contains("`course`")), "{p:?}");
        assert!(p.iter().any(|p| p.contains("socket")), "{p:?}");
        assert!(p.iter().any(|p| p.contains("anyhow")), "{p:?}");
    }
}
