//! Fuzz target: streaming the workloads must not change what a run reports. Lints one input
//! streamed (the default) and with every tree kept (`--no-stream`) and compares the findings
//! (JSON), the summary and graph (markdown) and the internal errors, which include a rule
//! reading what a streamed run no longer holds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wilint::engine::{Input, Options, Report, run};
use wilint::output;

fn render(report: &Report) -> Vec<u8> {
    let mut out = Vec::new();
    let _ = output::json::write(&mut out, report);
    let _ = output::markdown::write(&mut out, report);
    out.extend(format!("{:?}", report.errors).into_bytes());
    out
}

fuzz_target!(|data: &[u8]| {
    let lint = |stream: bool| {
        let options = Options {
            stream,
            ..Options::default()
        };
        run(
            vec![Input::Stdin {
                name: "fuzz.yaml".to_string(),
                bytes: data.to_vec(),
            }],
            &options,
        )
    };
    let (streamed, whole) = (lint(true), lint(false));
    assert!(
        render(&streamed) == render(&whole),
        "streaming changed the output ({:?})",
        streamed.streaming
    );
});
