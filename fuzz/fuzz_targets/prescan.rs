//! Fuzz target: the pre-scan must never change a finding. Lints one stream with and without
//! it and requires byte-identical JSON output (findings, documents, suppressions).
#![no_main]

use libfuzzer_sys::fuzz_target;
use wilint::engine::{Input, Options, run};
use wilint::output;

fn json(data: &[u8], prescan: bool) -> Vec<u8> {
    let options = Options {
        prescan,
        ..Options::default()
    };
    let report = run(
        vec![Input::Stdin {
            name: "fuzz.yaml".to_string(),
            bytes: data.to_vec(),
        }],
        &options,
    );
    let mut out = Vec::new();
    let _ = output::json::write(&mut out, &report);
    out
}

fuzz_target!(|data: &[u8]| {
    let with = json(data, true);
    let without = json(data, false);
    assert!(
        with == without,
        "the pre-scan changed the output:\n--- with ---\n{}\n--- without ---\n{}",
        String::from_utf8_lossy(&with),
        String::from_utf8_lossy(&without)
    );
});
