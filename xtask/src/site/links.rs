//! Every internal `href` and `src` of the built book points to a file of
//! the book, and every `#anchor` to an `id` in the target page.

use crate::html::Page;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

fn is_external(link: &str) -> bool {
    let lower = link.to_ascii_lowercase();
    lower.starts_with("//")
        || lower
            .split_once(':')
            .is_some_and(|(scheme, _)| scheme.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// `%20` and friends decoded, as a browser does before it asks for a file.
fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
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
pub fn check(out: &Path, src: &Path, drafts: bool, pages: &[Page]) -> LinkReport {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_paths() {
        assert_eq!(resolve("a", "../b/c.html").as_deref(), Some("b/c.html"));
        assert_eq!(resolve("", "x.html").as_deref(), Some("x.html"));
        assert_eq!(resolve("", "../x.html"), None);
        assert_eq!(resolve("a/b", "/x.html").as_deref(), Some("x.html"));
    }

    #[test]
    fn decodes_percent_escapes_as_utf_8() {
        assert_eq!(percent_decode("a%20b%C3%A9.html"), "a bé.html");
        assert_eq!(percent_decode("100%.html"), "100%.html");
    }
}
