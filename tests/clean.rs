//! Correct setups (catalogue Part 5 and `testdata/clean/README.md`) must never get an error or
//! a warning: precision matters as much as recall.

#![allow(clippy::expect_used, clippy::unwrap_used)] // Tests fail by panicking.

use wilint::diagnostic::Severity;
use wilint::engine::{Input, Options, run};

#[test]
fn clean_setups_have_no_errors_or_warnings() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/clean");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("testdata/clean")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 4, "the clean set is missing files");
    for file in files {
        let report = run(vec![Input::File(file.clone())], &Options::default());
        let loud: Vec<String> = report
            .diagnostics
            .iter()
            .filter(|d| d.severity >= Severity::Warning)
            .map(|d| format!("{} {}", d.rule.code, d.message))
            .collect();
        assert!(loud.is_empty(), "{}: {loud:#?}", file.display());
        assert!(report.errors.is_empty());
    }
}
