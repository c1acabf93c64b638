//! The yardstick of the speed issue: saphyr's own parse-only throughput on one core, measured on
//! the same real corpus as the whole-process benchmark, so that wilint's end-to-end rate can be
//! compared with it on this machine (kube-linter cannot be built here; the issue gives its rate
//! relative to saphyr's on the reference machine).
//!
//! `cargo bench --bench saphyr_baseline` (corpus: `$WILINT_BENCH_CORPUS`, default
//! `../shared/corpus`; runs: `$WILINT_BENCH_RUNS`, default 5). Prints, for one thread, the best
//! MB/s of: saphyr-parser's event scan, saphyr's span-carrying `MarkedYaml` loader, and
//! wilint's own tree loader, over the files all three read without error.

// A benchmark: it fails by panicking, prints its table, and byte counts stay far below 2^52.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::print_stdout,
    clippy::cast_precision_loss
)]

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use saphyr::{LoadableYamlNode, MarkedYaml};
use saphyr_parser::Parser;
use wilint::yaml::{self, Limits};
use wilint::{prescan, source};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            collect(&path, out);
        } else if kind.is_file()
            && path
                .extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        {
            out.push(path);
        }
    }
}

/// Best wall time of `runs` runs of `work` over every text, in seconds.
fn best_of(runs: usize, texts: &[String], work: impl Fn(&str)) -> f64 {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            for text in texts {
                work(text);
            }
            start.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    // `cargo bench` passes `--bench`; this harness takes no arguments.
    let corpus = std::env::var_os("WILINT_BENCH_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
        PathBuf::from,
    );
    let runs: usize = std::env::var("WILINT_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let mut paths = Vec::new();
    collect(&corpus, &mut paths);
    paths.sort();
    let limits = Limits::default();
    // Only files every reader accepts, so all three do the same work.
    let texts: Vec<String> = paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter(|t| {
            Parser::new_from_str(t).all(|event| event.is_ok())
                && MarkedYaml::load_from_str(t).is_ok()
                && yaml::load(t, limits).is_ok()
        })
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    if bytes == 0 {
        println!(
            "no readable YAML under {}; set WILINT_BENCH_CORPUS",
            corpus.display()
        );
        return;
    }
    println!(
        "corpus {}: {} of {} files, {:.1} MB, best of {runs}, one thread",
        corpus.display(),
        texts.len(),
        paths.len(),
        bytes as f64 / 1e6
    );
    let report = |what: &str, seconds: f64| {
        println!(
            "{what:<40} {seconds:>7.3} s {:>8.1} MB/s",
            bytes as f64 / 1e6 / seconds
        );
    };
    report(
        "saphyr-parser events",
        best_of(runs, &texts, |t| {
            for event in Parser::new_from_str(t) {
                black_box(event.is_ok());
            }
        }),
    );
    report(
        "saphyr MarkedYaml loader",
        best_of(runs, &texts, |t| {
            black_box(MarkedYaml::load_from_str(t).is_ok());
        }),
    );
    // Bytes per pre-scan verdict with --skip-irrelevant (by default, "not parsed" is validated).
    let mut by_verdict = [0usize; 3];
    for t in &texts {
        for d in source::split_documents(t) {
            let doc = &t[d.start..d.end];
            let slot = match prescan::classify(doc, limits, true) {
                prescan::Verdict::Tree => 0,
                prescan::Verdict::Validated => 1,
                prescan::Verdict::Unparsed => 2,
            };
            by_verdict[slot] += doc.len();
        }
    }
    for (name, b) in ["tree", "validated only", "not parsed"]
        .iter()
        .zip(by_verdict)
    {
        println!(
            "pre-scan: {name:<15} {:>6.1} MB ({:.0} %)",
            b as f64 / 1e6,
            b as f64 * 100.0 / bytes as f64
        );
    }
    report(
        "wilint pre-scan (every document)",
        best_of(runs, &texts, |t| {
            for d in source::split_documents(t) {
                black_box(prescan::classify(&t[d.start..d.end], limits, false));
            }
        }),
    );
    report(
        "wilint pre-scan, --skip-irrelevant",
        best_of(runs, &texts, |t| {
            for d in source::split_documents(t) {
                black_box(prescan::classify(&t[d.start..d.end], limits, true));
            }
        }),
    );
    report(
        "wilint tree loader (yaml::load)",
        best_of(runs, &texts, |t| {
            black_box(yaml::load(t, limits).is_ok());
        }),
    );
}
