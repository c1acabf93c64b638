//! Fixture-driven rule tests. Every `testdata/rules/CODE/*.{yaml,tf,sh,md}` is linted, and so is every
//! fixture directory `testdata/rules/CODE/*/` (several files, in subdirectories too, and a
//! `wilint.toml`, for cross-file, multi-application and multi-cluster rules). The findings must be exactly the `# expect: CODE`
//! markers (on the line of the finding, or `# expect-below:` on the line above it), a `fail*`
//! fixture must trigger its directory's rule and a `pass*` fixture must not, and the human
//! rendering is snapshotted so that every message and span is reviewed. A single-file fixture
//! may configure its run with `# fixture-config: TOML` lines (e.g. to select a rule that is
//! off by default).

#![allow(clippy::expect_used, clippy::unwrap_used)] // Tests fail by panicking.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use wilint::config::{Config, Overrides, Resolver};
use wilint::engine::{Configs, Input, Options, Report, run};

/// (file, line, code) of every marker in `text`.
fn expected_markers(file: &str, text: &str) -> BTreeSet<(String, usize, String)> {
    let mut expected = BTreeSet::new();
    for (index, line) in text.lines().enumerate() {
        // `# expect-below:` names findings on the next line (for lines that cannot carry a
        // marker themselves, such as suppression comments).
        let (codes, line_no) = if let Some((_, codes)) = line.split_once("# expect-below:") {
            (codes, index + 2)
        } else if let Some((_, codes)) = line.split_once("# expect:") {
            (codes, index + 1)
        } else {
            continue;
        };
        for code in codes.split(',') {
            expected.insert((file.to_string(), line_no, code.trim().to_string()));
        }
    }
    expected
}

fn actual_findings(report: &Report) -> BTreeSet<(String, usize, String)> {
    report
        .diagnostics
        .iter()
        .map(|d| {
            let ((line, _), _) = report.files.span_positions(d.primary.span);
            let name = &report.files.get(d.primary.span.file).name;
            let file = Path::new(name)
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or(name)
                .to_string();
            (file, line, d.rule.code.to_string())
        })
        .collect()
}

/// A headline says what is wrong in about 100 characters: without its quoted values and
/// e-mails or URLs (which are as long as they are), it fits in 100.
fn assert_headlines_are_short(name: &str, report: &Report) {
    for d in &report.diagnostics {
        let mut rest = String::new();
        let mut quoted = false;
        for c in d.message.chars() {
            if c == '"' {
                quoted = !quoted;
            } else if !quoted {
                rest.push(c);
            }
        }
        let words: Vec<&str> = rest
            .split(' ')
            .filter(|w| !w.contains('@') && !w.contains("://"))
            .collect();
        let length = words.join(" ").chars().count();
        assert!(
            length <= 100,
            "{name}: the headline of {} is {length} characters without its values: {}",
            d.rule.code,
            d.message
        );
    }
}

fn check_fixture(
    name: &str,
    code: &str,
    report: &Report,
    expected: &BTreeSet<(String, usize, String)>,
) {
    assert!(report.errors.is_empty(), "{name}: {:?}", report.errors);
    assert_headlines_are_short(name, report);
    assert_eq!(&actual_findings(report), expected, "findings of {name}");
    let fires = report.diagnostics.iter().any(|d| d.rule.code == code);
    let base = name.rsplit('/').next().unwrap_or(name);
    if base.starts_with("fail") {
        assert!(fires, "{name} must trigger {code}");
    } else {
        assert!(
            base.starts_with("pass"),
            "{name}: fixtures are fail* or pass*"
        );
        assert!(!fires, "{name} must not trigger {code}");
    }
}

fn rule_of(path: &Path) -> &str {
    path.parent()
        .and_then(Path::file_name)
        .and_then(|n| n.to_str())
        .expect("fixture directory")
}

#[test]
fn fixtures() {
    insta::glob!("../testdata/rules", "*/*.{yaml,tf,sh,md}", |path: &Path| {
        let text = std::fs::read_to_string(path).expect("fixture is UTF-8");
        let code = rule_of(path);
        let file_name = path.file_name().and_then(|n| n.to_str()).expect("name");
        let name = format!("{code}/{file_name}");
        let mut config_text = String::new();
        for line in text.lines() {
            if let Some(toml_line) = line.strip_prefix("# fixture-config:") {
                config_text.push_str(toml_line.trim());
                config_text.push('\n');
            }
        }
        let config = Config::from_toml(&config_text, ".".into()).expect("fixture config");
        let report = run(
            vec![Input::Stdin {
                name: name.clone(),
                bytes: text.as_bytes().to_vec(),
            }],
            &Options::with_config(config),
        );
        check_fixture(&name, code, &report, &expected_markers(file_name, &text));
        let rendered = wilint::output::human::render_plain(&report.files, &report.diagnostics);
        insta::with_settings!({ omit_expression => true }, {
            insta::assert_snapshot!(rendered);
        });
    });
}

#[test]
fn fixture_directories() {
    insta::glob!(
        "../testdata/rules",
        "*/*/wilint.toml",
        |config_path: &Path| {
            let dir = config_path.parent().expect("dir");
            let code = rule_of(dir);
            let name = format!(
                "{code}/{}",
                dir.file_name().and_then(|n| n.to_str()).expect("name")
            );
            // Subdirectories too: a fixture may hold several applications (names must differ).
            let files = common::files_in(dir, |p| {
                p.extension().is_some_and(|e| {
                    ["yaml", "tf", "tfvars", "sh", "md"].contains(&e.to_str().unwrap_or(""))
                })
            });
            let mut expected = BTreeSet::new();
            for file in &files {
                let text = std::fs::read_to_string(file).expect("UTF-8");
                let base = file.file_name().and_then(|n| n.to_str()).expect("name");
                expected.extend(expected_markers(base, &text));
            }
            let resolver =
                Resolver::new(Some(config_path), false, Overrides::default()).expect("config");
            let options = Options {
                configs: Configs::Discovered(Arc::new(resolver)),
                ..Options::default()
            };
            let report = run(files.into_iter().map(Input::File).collect(), &options);
            check_fixture(&name, code, &report, &expected);
            let rendered = wilint::output::human::render_plain(&report.files, &report.diagnostics);
            // Paths are absolute-free already (relative to the repository), but keep them short.
            let rendered = rendered.replace(&format!("{}/", dir.display()), "");
            insta::with_settings!({ omit_expression => true }, {
                insta::assert_snapshot!(rendered);
            });
        }
    );
}
