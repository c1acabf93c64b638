//! Fuzz target: the pre-scan's line reader (`src/prescan/block_style.rs`) must never validate
//! a document that the event walk would not. Much faster per input than `prescan`, which lints
//! whole streams, so it explores the block-style grammar deeper.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wilint::{prescan, source, yaml::Limits};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for range in source::split_documents(text) {
        let doc = &text[range.start..range.end];
        assert!(
            prescan::line_reader_agrees(doc, Limits::default()).0,
            "the line reader validates a document the event walk does not: {doc:?}"
        );
    }
});
