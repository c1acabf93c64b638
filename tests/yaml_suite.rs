//! The YAML test suite (`testdata/yaml-test-suite`, see its SOURCE.md): every valid case lints
//! without WI000, every invalid one gets WI000. The exceptions: Kubernetes policy (collection
//! keys and duplicate keys, which Kubernetes cannot decode, refused with their own message),
//! and invalid input that kubectl applies all the same, which wilint reads as kubectl does.

#![allow(clippy::expect_used, clippy::unwrap_used)] // Tests fail by panicking.

mod common;

use std::path::{Path, PathBuf};

use wilint::engine::{Input, Options, run};

/// Valid YAML that Kubernetes refuses: a mapping or sequence as a key, or a duplicate key.
const POLICY: &[(&str, &str)] = &[
    ("2JQS", "duplicated key"),
    ("4FJ6", "used as a mapping key"),
    ("6BFJ", "used as a mapping key"),
    ("6PBE", "used as a mapping key"),
    ("9MMW", "used as a mapping key"),
    ("KK5P", "used as a mapping key"),
    ("LX3P", "used as a mapping key"),
    ("M2N8/00", "used as a mapping key"),
    ("M2N8/01", "used as a mapping key"),
    ("M5DY", "used as a mapping key"),
    ("Q9WF", "used as a mapping key"),
    ("RZP5", "used as a mapping key"),
    ("SBG9", "used as a mapping key"),
    ("V9D5", "used as a mapping key"),
    ("X38W", "used as a mapping key"),
    ("XW4D", "used as a mapping key"),
];

/// Invalid by the spec, applied by kubectl (go-yaml does not check that a quoted scalar's
/// continuation lines are indented): wilint reads YAML as kubectl does (`src/kubectl_yaml.rs`).
const KUBECTL_ACCEPTS: &[&str] = &["QB6E"];

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/yaml-test-suite");
    common::files_in(&root, |p| p.file_name().is_some_and(|n| n == "in.yaml"))
        .into_iter()
        .filter_map(|input| input.parent().map(Path::to_path_buf))
        .collect()
}

/// The WI000 messages of a case's `in.yaml`, linted alone.
fn wi000(case: &Path) -> Vec<String> {
    let bytes = std::fs::read(case.join("in.yaml")).expect("in.yaml");
    let report = run(
        vec![Input::Stdin {
            name: "in.yaml".to_string(),
            bytes,
        }],
        &Options::default(),
    );
    report
        .diagnostics
        .iter()
        .filter(|d| d.rule.code == "WI000")
        .map(|d| d.message.clone())
        .collect()
}

#[test]
fn valid_cases_lint_and_invalid_cases_are_refused() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/yaml-test-suite");
    let cases = cases();
    assert_eq!(cases.len(), 402, "the vendored suite is complete");
    let mut wrong = Vec::new();
    let (mut valid, mut invalid) = (0, 0);
    for case in &cases {
        let id = case
            .strip_prefix(&root)
            .expect("inside")
            .to_string_lossy()
            .replace('\\', "/");
        let name = std::fs::read_to_string(case.join("name.txt")).unwrap_or_default();
        let found = wi000(case);
        if case.join("error").exists() {
            invalid += 1;
            if KUBECTL_ACCEPTS.contains(&id.as_str()) {
                if !found.is_empty() {
                    wrong.push(format!(
                        "{id} ({}): kubectl applies it, but {found:?}",
                        name.trim()
                    ));
                }
            } else if found.is_empty() {
                wrong.push(format!("{id} ({}): invalid, but no WI000", name.trim()));
            }
            continue;
        }
        valid += 1;
        let policy = POLICY.iter().find(|(policy, _)| *policy == id);
        let as_expected = match policy {
            Some((_, why)) => found.len() == 1 && found[0].contains(why),
            None => found.is_empty(),
        };
        if !as_expected {
            let name = name.trim();
            wrong.push(match policy {
                Some((_, why)) => {
                    format!("{id} ({name}): a policy refusal must say {why:?}, got {found:?}")
                }
                None => format!("{id} ({name}): valid, but {found:?}"),
            });
        }
    }
    assert_eq!((valid, invalid), (308, 94));
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
