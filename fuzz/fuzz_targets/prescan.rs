//! Fuzz target: the pre-scan must never change a finding. Lints one stream with and without
//! it and requires byte-identical JSON output (findings, documents, suppressions); with
//! `--skip-irrelevant`, every finding but a syntax error (WI000) must be the same too. Each
//! document the line reader validates must also be validated by the event walk.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wilint::engine::{Input, Options, Prescan, Report, run};
use wilint::output;
use wilint::{prescan, source, yaml::Limits};

fn lint(data: &[u8], prescan: Prescan) -> Report {
    let options = Options {
        prescan,
        ..Options::default()
    };
    run(
        vec![Input::Stdin {
            name: "fuzz.yaml".to_string(),
            bytes: data.to_vec(),
        }],
        &options,
    )
}

fn json(report: &Report) -> Vec<u8> {
    let mut out = Vec::new();
    let _ = output::json::write(&mut out, report);
    out
}

/// The findings other than WI000, as comparable tuples.
fn rule_findings(report: &Report) -> Vec<(&'static str, usize, usize, String)> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.rule.code != "WI000")
        .map(|d| (d.rule.code, d.primary.span.start, d.primary.span.end, d.message.clone()))
        .collect()
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        for range in source::split_documents(text) {
            let doc = &text[range.start..range.end];
            assert!(
                prescan::line_reader_agrees(doc, Limits::default()).0,
                "the line reader validates a document the event walk does not: {doc:?}"
            );
        }
    }
    let full = lint(data, Prescan::Off);
    let with = json(&lint(data, Prescan::On));
    let without = json(&full);
    assert!(
        with == without,
        "the pre-scan changed the output:\n--- with ---\n{}\n--- without ---\n{}",
        String::from_utf8_lossy(&with),
        String::from_utf8_lossy(&without)
    );
    let skipping = lint(data, Prescan::SkipIrrelevant);
    assert_eq!(
        rule_findings(&skipping),
        rule_findings(&full),
        "--skip-irrelevant changed a finding other than WI000"
    );
});
