//! Lets `EXERCISE_WRONG=NAME__MISTAKE cargo test -p exercises --test NAME`
//! compile an exercise's tests against `wrong/NAME__MISTAKE.rs`, a realistic
//! wrong solution, instead of your file. `cargo xtask prove-exercises` runs
//! every wrong solution this way to show that the tests reject it.
//!
//! A `--cfg` in RUSTFLAGS would do the same but rebuild tokio and every
//! other dependency each time it changes; a cfg set here reaches only this
//! crate's own targets.

fn main() {
    // Without a rerun-if line cargo would rerun this script, and rebuild
    // every exercise, whenever any file of the crate changes.
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=EXERCISE_WRONG");
    // `wrong = "FILE"` picks the file; `any_wrong` (a cfg without a value:
    // `cfg(wrong)` would not match `wrong = "FILE"`) turns your file off.
    println!("cargo::rustc-check-cfg=cfg(wrong, values(any()))");
    println!("cargo::rustc-check-cfg=cfg(any_wrong)");
    if let Ok(name) = std::env::var("EXERCISE_WRONG") {
        if !name.is_empty() {
            let file = format!("wrong/{name}.rs");
            assert!(
                std::path::Path::new(&file).is_file(),
                "EXERCISE_WRONG={name}, but there is no exercises/{file}"
            );
            println!("cargo::rustc-cfg=wrong=\"{name}\"");
            println!("cargo::rustc-cfg=any_wrong");
        }
    }
}
