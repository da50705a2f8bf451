//! Search for the Chinese edition.
//!
//! mdBook 0.4.52 builds its search index with elasticlunr-rs, splitting the
//! text on whitespace and `-` only, then runs elasticlunr's English
//! pipeline, whose trimmer strips every character that is not an ASCII
//! letter, digit or `_` from both ends of a token. Chinese puts no spaces
//! between words, so a sentence is one token, and the trimmer leaves of it
//! only the Latin word it may start or end with: 并发 finds nothing. The page
//! (elasticlunr.js) tokenises and trims the query the same way.
//!
//! So after the Chinese build the index is rebuilt from the documents
//! mdBook stored in it (the text of every section), with the tokenizer
//! below: Latin text as mdBook splits it, and every run of CJK characters
//! as its overlapping bigrams (a lone character stays one token), as
//! Lucene's CJKAnalyzer does; 唤醒器 is 唤醒 醒器. The pipeline keeps the
//! stop-word filter and the stemmer for English words, with a trimmer that
//! keeps letters of every script. `theme/i18n.js` registers that trimmer
//! and tokenises the query the same way in a page whose `<html lang>` is
//! `zh-CN`. A bigram index finds a term of two or more characters wherever
//! it occurs, at the cost of also finding other words that share a bigram.

use anyhow::{Context, Result, bail};
use elasticlunr::lang::Language;
use elasticlunr::pipeline::{FnWrapper, Pipeline};
use elasticlunr::{IndexBuilder, lang::English};
use serde_json::Value;
use std::fs;
use std::path::Path;

/// The trimmer's name in the index and in `theme/i18n.js`.
pub const TRIMMER: &str = "trimmer-unicode";

/// Ideographs, kana and hangul: scripts written without spaces between words.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // hiragana, katakana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xAC00..=0xD7AF    // hangul syllables
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0x20000..=0x2FA1F) // extensions B to F, supplement
}

/// Tokens of a text: words split on whitespace and `-` as mdBook splits
/// them, each cut where CJK characters start and end; CJK runs become their
/// bigrams. theme/i18n.js's `cjkTokens` is the same function.
pub fn tokenize(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    for word in text.split(|c: char| c.is_whitespace() || c == '-') {
        let chars: Vec<char> = word.to_lowercase().chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let cjk = is_cjk(chars[i]);
            let start = i;
            while i < chars.len() && is_cjk(chars[i]) == cjk {
                i += 1;
            }
            let run = &chars[start..i];
            if !cjk {
                tokens.push(run.iter().collect());
            } else if run.len() == 1 {
                tokens.push(run[0].to_string());
            } else {
                tokens.extend(run.windows(2).map(|w| w.iter().collect::<String>()));
            }
        }
    }
    // mdBook drops tokens longer than 80 bytes (MAX_WORD_LENGTH_TO_INDEX).
    tokens.retain(|t: &String| !t.is_empty() && t.len() <= 80);
    tokens
}

/// Trims what is neither a letter nor a digit (of any script) nor `_`.
pub fn trim_unicode(token: String) -> Option<String> {
    let t = token.trim_matches(|c: char| !(c.is_alphanumeric() || c == '_'));
    (!t.is_empty()).then(|| t.to_string())
}

struct Bigrams(English);

impl Language for Bigrams {
    fn name(&self) -> String {
        "Chinese, as CJK bigrams".into()
    }
    fn code(&self) -> String {
        "zh".into()
    }
    fn tokenize(&self, text: &str) -> Vec<String> {
        tokenize(text)
    }
    fn make_pipeline(&self) -> Pipeline {
        // English's trimmer, stop words and stemmer, with the trimmer
        // swapped for one that keeps CJK letters.
        let mut p = self.0.make_pipeline();
        p.queue[0] = Box::new(FnWrapper(TRIMMER.into(), trim_unicode));
        p
    }
}

const JS_HEAD: &str = "window.search = Object.assign(window.search, JSON.parse('";
const JS_TAIL: &str = "'));";

/// Rebuilds `out/searchindex.js` with CJK bigrams. Returns the number of
/// sections indexed.
pub fn rebuild(out: &Path) -> Result<usize> {
    let file = out.join("searchindex.js");
    let js = fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
    let Some(quoted) = js
        .trim_end()
        .strip_prefix(JS_HEAD)
        .and_then(|s| s.strip_suffix(JS_TAIL))
    else {
        bail!(
            "{} is not in mdBook 0.4.52's form ({JS_HEAD}...{JS_TAIL})",
            file.display()
        );
    };
    // mdBook escapes `\` and `'` with a backslash to quote the JSON.
    let mut json = String::with_capacity(quoted.len());
    let mut chars = quoted.chars();
    while let Some(c) = chars.next() {
        json.push(if c == '\\' {
            chars.next().unwrap_or(c)
        } else {
            c
        });
    }
    let mut whole: Value = serde_json::from_str(&json).context("parsing the search index")?;
    let old = &whole["index"];
    let fields: Vec<String> = serde_json::from_value(old["fields"].clone())?;
    let docs = old["documentStore"]["docs"]
        .as_object()
        .context("the search index stores no documents")?;
    let mut refs: Vec<(u64, Value)> = docs
        .iter()
        .map(|(k, v)| Ok((k.parse()?, v.clone())))
        .collect::<Result<_>>()?;
    refs.sort_by_key(|(k, _)| *k);
    let mut index = IndexBuilder::with_language(Box::new(Bigrams(English::new())))
        .add_fields(&fields)
        .build();
    for (k, doc) in &refs {
        let values: Vec<&str> = fields
            .iter()
            .map(|f| doc[f].as_str().unwrap_or(""))
            .collect();
        index.add_doc(&k.to_string(), values);
    }
    whole["index"] = serde_json::to_value(&index)?;
    let json = serde_json::to_string(&whole)?;
    let js = format!(
        "{JS_HEAD}{}{JS_TAIL}",
        json.replace('\\', "\\\\").replace('\'', "\\'")
    );
    fs::write(&file, js).with_context(|| format!("writing {}", file.display()))?;
    Ok(refs.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_runs_become_bigrams() {
        assert_eq!(
            tokenize("tokio的任务调度器 spawn_blocking 唤醒器（Waker）和 并 non-blocking"),
            [
                "tokio",
                "的任",
                "任务",
                "务调",
                "调度",
                "度器",
                "spawn_blocking",
                "唤醒",
                "醒器",
                "（waker）",
                "和",
                "并",
                "non",
                "blocking"
            ]
        );
        assert_eq!(tokenize("并发，协程。"), ["并发", "，", "协程", "。"]);
        assert_eq!(trim_unicode("，".into()), None);
        assert_eq!(trim_unicode("（waker）".into()).as_deref(), Some("waker"));
        assert_eq!(trim_unicode("“并发”".into()).as_deref(), Some("并发"));
    }
}
