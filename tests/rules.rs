//! Fixture-driven rule tests. Every `testdata/rules/CODE/*.yaml` is linted; the findings must
//! be exactly the `# expect: CODE` markers (on the line of the finding, or `# expect-below:`
//! on the line above it), a `fail*` fixture
//! must trigger its directory's rule and a `pass*` fixture must not, and the human rendering
//! is snapshotted so that every message and span is reviewed.

#![allow(clippy::expect_used, clippy::unwrap_used)] // Tests fail by panicking.

use std::collections::BTreeSet;

use wilint::engine::Options;

fn expected_markers(text: &str) -> BTreeSet<(usize, String)> {
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
            expected.insert((line_no, code.trim().to_string()));
        }
    }
    expected
}

#[test]
fn fixtures() {
    insta::glob!("../testdata/rules", "*/*.yaml", |path: &std::path::Path| {
        let text = std::fs::read_to_string(path).expect("fixture is UTF-8");
        let code = path
            .parent()
            .and_then(std::path::Path::file_name)
            .and_then(|n| n.to_str())
            .expect("fixture directory");
        let file_name = path.file_name().and_then(|n| n.to_str()).expect("name");
        let name = format!("{code}/{file_name}");
        let report = wilint::lint_text(&name, &text, &Options::default());

        let actual: BTreeSet<(usize, String)> = report
            .diagnostics
            .iter()
            .map(|d| {
                let ((line, _), _) = report.files.span_positions(d.primary.span);
                (line, d.rule.code.to_string())
            })
            .collect();
        assert_eq!(actual, expected_markers(&text), "findings of {name}");
        let fires = report.diagnostics.iter().any(|d| d.rule.code == code);
        if file_name.starts_with("fail") {
            assert!(fires, "{name} must trigger {code}");
        } else {
            assert!(
                file_name.starts_with("pass"),
                "{name}: fixtures are fail* or pass*"
            );
            assert!(!fires, "{name} must not trigger {code}");
        }

        let rendered = wilint::output::human::render_plain(&report.files, &report.diagnostics);
        insta::with_settings!({ omit_expression => true }, {
            insta::assert_snapshot!(rendered);
        });
    });
}
