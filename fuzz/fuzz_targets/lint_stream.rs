//! Fuzz target: the whole lint of one stream (decoding, document splitting, parsing with
//! limits, objects, index, every rule, suppressions, every output format). Must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wilint::engine::{Input, Options, run};
use wilint::output;

fuzz_target!(|data: &[u8]| {
    let report = run(
        vec![Input::Stdin {
            name: "fuzz.yaml".to_string(),
            bytes: data.to_vec(),
        }],
        &Options::default(),
    );
    let mut sink = Vec::new();
    let _ = output::json::write(&mut sink, &report);
    let _ = output::sarif::write_with_root(&mut sink, &report, 1, std::path::Path::new("/"));
    let _ = output::github::write(&mut sink, &report);
    let _ = output::markdown::write(&mut sink, &report);
    let _ = output::human::render_plain(&report.files, &report.diagnostics);
});
