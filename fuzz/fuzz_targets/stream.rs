//! Fuzz target: streaming the workloads must not change what a run reports. Lints one input
//! streamed (the default) and with every tree kept (`--no-stream`) and compares the findings
//! (JSON), the summary and graph (markdown) and the internal errors, which include a rule
//! reading what a streamed run no longer holds. The input is also written to a file and linted
//! from it, where the default keeps only the documents that need a tree and reads the
//! workloads again from disk (`wilint::sparse`), against a run that keeps the whole text and
//! every tree (`--no-prescan --no-stream`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use wilint::engine::{Input, Options, Prescan, Report, run};
use wilint::output;

fn render(report: &Report) -> Vec<u8> {
    let mut out = Vec::new();
    let _ = output::json::write(&mut out, report);
    let _ = output::markdown::write(&mut out, report);
    out.extend(format!("{:?}", report.errors).into_bytes());
    out
}

fuzz_target!(|data: &[u8]| {
    // `shows_source: false` is what the JSON and markdown formats ask for: a sparse file with
    // findings keeps only their positions.
    let lint = |input: Input, stream: bool, prescan: Prescan| {
        let options = Options {
            stream,
            prescan,
            shows_source: false,
            ..Options::default()
        };
        run(vec![input], &options)
    };
    let stdin = || Input::Stdin {
        name: "fuzz.yaml".to_string(),
        bytes: data.to_vec(),
    };
    let streamed = lint(stdin(), true, Prescan::On);
    let whole = lint(stdin(), false, Prescan::On);
    assert!(
        render(&streamed) == render(&whole),
        "streaming changed the output ({:?})",
        streamed.streaming
    );
    let path = std::env::temp_dir().join(format!("wilint-fuzz-{}.yaml", std::process::id()));
    if std::fs::write(&path, data).is_ok() {
        let sparse = lint(Input::File(path.clone()), true, Prescan::On);
        let held = lint(Input::File(path), false, Prescan::Off);
        assert!(
            render(&sparse) == render(&held),
            "sparse sources changed the output ({:?})",
            sparse.streaming
        );
    }
});
