//! Never lose a finding: a rule that panics is contained to that rule and object, and the
//! findings do not depend on the order of files and documents or on the thread count.

#![allow(clippy::expect_used, clippy::unwrap_used)] // Tests fail by panicking.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use wilint::diagnostic::{Diagnostic, Severity};
use wilint::engine::{Input, Options, run};
use wilint::registry::{Context, Rule, RuleMeta};

static PANICKY_META: RuleMeta = RuleMeta {
    code: "WI999",
    name: "test-only-panicky-rule",
    summary: "A rule that panics on one object, for tests",
    default_severity: Severity::Error,
    tags: &[],
    enabled_by_default: false,
    docs: "",
};

/// Panics on the object named `boom`, finds nothing elsewhere.
struct Panicky;

impl Rule for Panicky {
    fn meta(&self) -> &'static RuleMeta {
        &PANICKY_META
    }

    fn check(&self, cx: &Context<'_, '_>, _out: &mut Vec<Diagnostic>) {
        assert!(cx.object.name != Some("boom"), "simulated bug in a rule");
    }
}

static PANICKY: Panicky = Panicky;

const BAD_KSA: &str = "apiVersion: v1
kind: ServiceAccount
metadata:
  name: NAME
  namespace: team
  annotations:
    iam.gke.io/gcp-service-account: NAME-gsa@team-prod
";

#[test]
fn a_panicking_rule_is_contained() {
    let stream = [
        BAD_KSA.replace("NAME", "first"),
        BAD_KSA.replace("NAME", "boom"),
        BAD_KSA.replace("NAME", "third"),
    ]
    .join("---\n");
    let options = Options {
        extra_rules: vec![&PANICKY],
        ..Options::default()
    };
    let report = run(
        vec![Input::Stdin {
            name: "stream.yaml".into(),
            bytes: stream.into_bytes(),
        }],
        &options,
    );
    // Every built-in finding survives, including the one on the object the bug hit.
    let wi002: Vec<&str> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule.code == "WI002")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(wi002.len(), 3, "{wi002:#?}");
    // The crash is an internal error (exit code 2), naming the rule and the object.
    assert_eq!(report.errors.len(), 1);
    let error = &report.errors[0];
    assert_eq!(error.path, "stream.yaml:12");
    assert!(
        error
            .message
            .contains("internal error: rule WI999 failed on ServiceAccount team/boom")
    );
    assert!(error.message.contains("simulated bug in a rule"));
}

// ---------------------------------------------------------------------------------------------
// Order and thread independence

/// A tiny deterministic PRNG (xorshift), so the shuffles are reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = usize::try_from(self.next() % (i as u64 + 1)).expect("fits");
            items.swap(i, j);
        }
    }
}

/// The documents of each fixture file (rule fixtures, the example, the clean set).
fn fixture_files() -> Vec<Vec<String>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in ["testdata/rules", "examples/platform", "testdata/clean"] {
        files.extend(walk(&root.join(dir)));
    }
    files.sort();
    files
        .iter()
        .map(|file| {
            let text = std::fs::read_to_string(file).expect("UTF-8");
            text.split("\n---\n")
                .map(|doc| doc.trim_start_matches("---\n").to_string())
                .collect()
        })
        .collect()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
    out
}

/// Writes file i as `f{i}.yaml` and lints the files, given in `argument_order`; returns every
/// finding as (file, rule, object#node, message), sorted.
fn findings(files: &[Vec<String>], threads: &str, argument_order: &[usize]) -> Vec<String> {
    let dir = tempfile::tempdir().expect("tempdir");
    for (i, docs) in files.iter().enumerate() {
        let mut text = String::new();
        for doc in docs {
            text.push_str("---\n");
            text.push_str(doc);
            text.push('\n');
        }
        std::fs::write(dir.path().join(format!("f{i:03}.yaml")), text).expect("write");
    }
    let args: Vec<String> = argument_order
        .iter()
        .map(|i| format!("f{i:03}.yaml"))
        .collect();
    let out = Command::cargo_bin("wilint")
        .expect("binary")
        .current_dir(dir.path())
        .args([
            "check",
            "--format",
            "sarif",
            "--fail-on",
            "never",
            "-j",
            threads,
        ])
        .args(&args)
        .output()
        .expect("runs");
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF");
    let mut found: Vec<String> = log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {}",
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["ruleId"],
                r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
                r["message"]["text"]
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
fn findings_do_not_depend_on_order_or_threads() {
    let files = fixture_files();
    assert!(files.len() > 40, "too few files: {}", files.len());
    let natural: Vec<usize> = (0..files.len()).collect();
    let reference = findings(&files, "1", &natural);
    assert!(
        reference.len() > 50,
        "too few findings: {}",
        reference.len()
    );
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    for (round, threads) in ["2", "4", "3"].iter().enumerate() {
        // Files given in another order, documents shuffled within their files, another
        // thread count: each finding appears once, in the same file, on the same object
        // (positions move with the documents, so they are not compared).
        let mut order = natural.clone();
        rng.shuffle(&mut order);
        let mut shuffled = files.clone();
        for docs in &mut shuffled {
            rng.shuffle(docs);
        }
        assert_eq!(
            findings(&shuffled, threads, &order),
            reference,
            "round {round}: -j {threads}, argument order {order:?}"
        );
    }
}
