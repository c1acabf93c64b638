//! Fuzz target: one input linted as a shell script and as a Markdown guide (the shell
//! grammar with error recovery, word evaluation, command lines, gcloud lowering, embedded
//! manifests, every rule and output). Must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wilint::engine::{Input, Options, run};
use wilint::output;

fuzz_target!(|data: &[u8]| {
    for name in ["fuzz.sh", "fuzz.md"] {
        let report = run(
            vec![Input::Stdin {
                name: name.to_string(),
                bytes: data.to_vec(),
            }],
            &Options::default(),
        );
        let mut sink = Vec::new();
        let _ = output::json::write(&mut sink, &report);
        let _ = output::sarif::write_with_root(&mut sink, &report, 1, std::path::Path::new("/"));
        let _ = output::human::render_plain(&report.files, &report.diagnostics);
    }
});
