//! The browser test, proven on a throwaway book: a clean book passes, and a
//! built book broken in seven ways (an output removed from its page, a
//! console error, a page wider than a phone, faint text in an SVG picture,
//! a stylesheet that is not there, a page that renders blank, an empty
//! search index) fails with each problem named.
//!
//! Needs Debian's Chromium and Node.js. Without them the test says loudly
//! that it skipped, except in CI (`CI=true`), where it fails.

use std::fs;
use xtask::{book, browser, paths, site, tools};

fn wrapper() -> String {
    format!("{} ", env!("CARGO_BIN_EXE_xtask"))
}

#[test]
fn the_browser_test_passes_a_clean_book_and_names_every_kind_of_breakage() {
    let tools = tools::find().expect(
        "the pinned book tools are missing: run `cargo xtask install-tools` (cargo xtask test does)",
    );
    let root = paths::target_dir().join("xtask-test-sites").join("browser");
    let _ = fs::remove_dir_all(&root);
    fs::create_dir_all(root.join("src/part")).unwrap();
    fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"test\"\nsrc = \"src\"\n[build]\nbuild-dir = \"out\"\n\
         [preprocessor.cmdrun]\nafter = [\"links\"]\n\
         [output.html]\nadditional-css = [\"theme/course.css\"]\n",
    )
    .unwrap();
    // The course's own theme additions, which the checks rely on.
    fs::create_dir_all(root.join("theme")).unwrap();
    fs::copy(
        paths::root().join("theme/course.css"),
        root.join("theme/course.css"),
    )
    .unwrap();
    fs::write(
        root.join("src/SUMMARY.md"),
        "# Summary\n\n- [Alpha chapter](part/one.md)\n- [Beta chapter](part/two.md)\n",
    )
    .unwrap();
    let w = wrapper();
    fs::write(
        root.join("src/part/one.md"),
        format!(
            "# Alpha chapter\n\nSome text.\n\n\
             ```text\n<!-- cmdrun -0 {w}cmd -- echo quartz output of a program -->\n```\n\n\
             <!-- cmdrun -0 {w}cmd -- printf '<svg viewBox=\"0 0 120 20\" width=\"120\" height=\"20\">\\n<text x=\"0\" y=\"15\" fill=\"currentColor\">a label</text>\\n</svg>\\n' -->\n\n\
             | a | b |\n|---|---|\n| one | two |\n"
        ),
    )
    .unwrap();
    fs::write(
        root.join("src/part/two.md"),
        "# Beta chapter\n\nSee [the first chapter](one.md#alpha-chapter).\n",
    )
    .unwrap();
    let checked = site::build_and_check(&book::Build {
        root: &root,
        tools: &tools,
        wrapper_prefix: &w,
        examples_prebuilt: true,
        edition: None,
    })
    .expect("the throwaway book must pass the book check");

    let work = root.join("browser");
    let outcome = browser::check(&checked, &work).unwrap();
    let (passed, report) = match outcome {
        browser::Outcome::Skipped(why) => {
            eprintln!("SKIPPED: the browser test's own test did not run: {why}");
            return;
        }
        browser::Outcome::Ran { passed, report, .. } => (passed, report),
    };
    assert!(passed, "a clean book must pass the browser test:\n{report}");
    assert!(report.contains("2 embedded outputs"), "{report}");

    // Break the built pages.
    let one = checked.built.out.join("part/one.html");
    let html = fs::read_to_string(&one).unwrap();
    let broken = html.replace("quartz output", "").replace(
        "</main>",
        "<script>console.error('deliberate console error')</script>\
         <div style=\"width: 2000px\">a wide block</div>\
         <svg viewBox=\"0 0 100 20\" width=\"100\" height=\"20\"><text x=\"0\" y=\"15\" fill=\"#f4f4f4\">faint label</text></svg>\
         <style>body { visibility: hidden; }</style></main>",
    );
    assert_ne!(broken, html);
    fs::write(&one, broken).unwrap();
    // An empty search index: the search can find nothing.
    fs::write(
        checked.built.out.join("searchindex.js"),
        "window.search = Object.assign(window.search, {\"doc_urls\":[],\"index\":{\"version\":\"0.9.5\",\"fields\":[\"title\",\"body\",\"breadcrumbs\"],\"ref\":\"id\",\"documentStore\":{\"docs\":{},\"docInfo\":{},\"length\":0,\"save\":true},\"index\":{\"title\":{\"root\":{}},\"body\":{\"root\":{}},\"breadcrumbs\":{\"root\":{}}},\"pipeline\":[\"trimmer\",\"stopWordFilter\",\"stemmer\"]},\"results_options\":{\"limit_results\":30,\"teaser_word_count\":30},\"search_options\":{\"bool\":\"OR\",\"expand\":true,\"fields\":{\"title\":{\"boost\":1},\"body\":{\"boost\":1},\"breadcrumbs\":{\"boost\":0}}}});\n",
    )
    .unwrap();
    let two = checked.built.out.join("part/two.html");
    let html = fs::read_to_string(&two).unwrap();
    fs::write(&two, html.replace("css/chrome.css", "css/missing.css")).unwrap();

    let outcome = browser::check(&checked, &work).unwrap();
    let browser::Outcome::Ran { passed, report, .. } = outcome else {
        panic!("the browser ran once, it must run again");
    };
    assert!(!passed, "a broken book must fail:\n{report}");
    for wanted in [
        "the output of `",
        "is not in the rendered page",
        "console error: deliberate console error",
        "part/one.html (390 px): the page scrolls sideways",
        "text \"faint label\"",
        "404 for /css/missing.css",
        "looks blank",
        "search for \"Beta chapter\": finds nothing",
    ] {
        assert!(
            report.contains(wanted),
            "the report does not say `{wanted}`:\n{report}"
        );
    }
}
