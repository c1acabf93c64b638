//! Criterion micro-benchmarks of the hot paths: document splitting, the pre-scan, the tree
//! loader, and a whole in-memory lint (index and rules). Run with `cargo bench`; whole-process
//! figures (MB/s, peak RSS, threads) come from `bench/run.sh` and live in BENCHMARKS.md.

#![allow(clippy::expect_used, clippy::unwrap_used)] // Benchmarks fail by panicking.

use std::hint::black_box;
use std::path::Path;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use wilint::engine::{Input, Options, run};
use wilint::yaml::{self, Limits};
use wilint::{prescan, source};

/// A stream of every fixture of the repository (Workload Identity objects of every kind),
/// repeated to about 1 MB.
fn fixture_stream() -> String {
    let mut files = Vec::new();
    collect(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/rules")
            .as_path(),
        &mut files,
    );
    files.sort();
    let mut one = String::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("fixture");
        one.push_str("---\n");
        one.push_str(&text);
        one.push('\n');
    }
    one.repeat((1_000_000 / one.len().max(1)).max(1))
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
}

/// A big CustomResourceDefinition-like document (deep schema, no Workload Identity content):
/// what the pre-scan exists to skip.
fn big_crd() -> String {
    let mut text = String::from(
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  versions:\n    - name: v1\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n",
    );
    for i in 0..2_000 {
        text.push_str(&format!(
            "            field{i}:\n              type: object\n              description: \"Field {i} of the widget, with a long description to look real.\"\n              properties:\n                enabled: {{type: boolean}}\n                size: {{type: integer, minimum: 0, maximum: 65535}}\n"
        ));
    }
    text
}

fn benches(c: &mut Criterion) {
    let stream = fixture_stream();
    let crd = big_crd();
    let limits = Limits::default();

    let mut group = c.benchmark_group("split");
    group.throughput(Throughput::Bytes(stream.len() as u64));
    group.bench_function("fixtures", |b| {
        b.iter(|| source::split_documents(black_box(&stream)));
    });
    group.finish();

    let mut group = c.benchmark_group("parse");
    for (name, text) in [("fixtures", &stream), ("crd", &crd)] {
        group.throughput(Throughput::Bytes(text.len() as u64));
        let docs: Vec<&str> = source::split_documents(text)
            .iter()
            .map(|d| &text[d.start..d.end])
            .collect();
        group.bench_with_input(BenchmarkId::new("tree", name), &docs, |b, docs| {
            b.iter(|| {
                for doc in docs {
                    black_box(yaml::load(doc, limits).ok());
                }
            });
        });
        group.bench_with_input(BenchmarkId::new("prescan", name), &docs, |b, docs| {
            b.iter(|| {
                for doc in docs {
                    black_box(prescan::needs_tree(doc, limits));
                }
            });
        });
    }
    group.finish();

    let mut group = c.benchmark_group("lint");
    group.sample_size(20);
    group.throughput(Throughput::Bytes(stream.len() as u64));
    group.bench_function("fixtures", |b| {
        b.iter(|| {
            let inputs = vec![Input::Stdin {
                name: "stream.yaml".to_string(),
                bytes: stream.as_bytes().to_vec(),
            }];
            black_box(run(inputs, &Options::default()).diagnostics.len())
        });
    });
    group.finish();
}

criterion_group!(hot_paths, benches);
criterion_main!(hot_paths);
