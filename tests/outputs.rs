//! Every output format on the `testdata/outputs` fixture set (Helm sources, secondary
//! locations in another file, notes, WI000), snapshotted with the version and absolute paths
//! redacted; the SARIF is validated against the official schema, and fingerprints are
//! checked for stability.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::print_stderr)] // Tests fail by panicking.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs wilint on the fixture set from the repository root.
fn run(format: &str) -> String {
    let out = Command::cargo_bin("wilint")
        .expect("binary")
        .current_dir(repo())
        .env_remove("GITHUB_REPOSITORY")
        .env_remove("GITHUB_SHA")
        .args(["check", "testdata/outputs", "--format", format])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    redact(&String::from_utf8(out.stdout).expect("UTF-8"))
}

/// Removes what changes between machines and releases: the version and the absolute root.
fn redact(text: &str) -> String {
    let root = repo().canonicalize().expect("root");
    text.replace(env!("CARGO_PKG_VERSION"), "[VERSION]")
        .replace(&format!("file://{}/", root.display()), "file://[ROOT]/")
}

#[test]
fn human() {
    let text = run("human");
    // The summary line carries the elapsed time.
    let body: Vec<&str> = text.lines().filter(|l| !l.contains(" in 0.")).collect();
    insta::assert_snapshot!(body.join("\n"));
}

#[test]
fn concise() {
    insta::assert_snapshot!(run("concise"));
}

#[test]
fn json() {
    insta::assert_snapshot!(run("json"));
}

#[test]
fn github() {
    insta::assert_snapshot!(run("github"));
}

#[test]
fn markdown() {
    insta::assert_snapshot!(run("markdown"));
}

#[test]
fn sarif() {
    insta::assert_snapshot!(run("sarif"));
}

// ---------------------------------------------------------------------------------------------
// Schema validation

/// The SARIF schema, vendored in the repository (see `tests/support/sarif/SOURCE.md`).
fn schema() -> PathBuf {
    let schema = repo().join("tests/support/sarif/sarif-schema-2.1.0.json");
    assert!(
        schema.is_file(),
        "the vendored SARIF schema is missing: {}",
        schema.display()
    );
    schema
}

/// Validates a log with Python `jsonschema`; Ok(()) if valid, Err(stderr) if not.
fn validate(log: &str) -> Result<(), String> {
    let schema = schema();
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("log.sarif");
    std::fs::write(&file, log).expect("write");
    let out = Process::new("python3")
        .arg(repo().join("tests/support/validate_sarif.py"))
        .arg(&schema)
        .arg(&file)
        .output()
        .expect("python3 runs");
    match out.status.code() {
        Some(0) => Ok(()),
        Some(1) => Err(String::from_utf8_lossy(&out.stderr).into_owned()),
        _ => panic!(
            "validator failed to run: {}",
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

fn sarif_of(paths: &[&Path], cwd: &Path) -> String {
    let out = Command::cargo_bin("wilint")
        .expect("binary")
        .current_dir(cwd)
        .arg("check")
        .args(paths)
        .args(["--format", "sarif", "--fail-on", "never"])
        .output()
        .expect("runs");
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn sarif_of_every_fixture_set_is_valid() {
    for set in [
        "testdata/outputs",
        "testdata/rules",
        "testdata/clean",
        "examples",
    ] {
        let log = sarif_of(&[Path::new(set)], &repo());
        if let Err(errors) = validate(&log) {
            panic!("SARIF for {set} is invalid:\n{errors}");
        }
    }
}

#[test]
fn the_validator_rejects_a_broken_log() {
    let log = sarif_of(&[Path::new("testdata/outputs")], &repo());
    let mut value: serde_json::Value = serde_json::from_str(&log).expect("JSON");
    value["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    value["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        serde_json::json!(0);
    let errors = validate(&value.to_string()).expect_err("a broken log must fail validation");
    assert!(errors.contains("fatal"), "{errors}");
}

// ---------------------------------------------------------------------------------------------
// Fingerprints

fn fingerprints(text: &str) -> Vec<(String, String)> {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("app.yaml"), text).expect("write");
    let log: serde_json::Value =
        serde_json::from_str(&sarif_of(&[Path::new("app.yaml")], dir.path())).expect("JSON");
    log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().expect("ruleId").to_string(),
                r["partialFingerprints"]["wilint/v1"]
                    .as_str()
                    .expect("fingerprint")
                    .to_string(),
            )
        })
        .collect()
}

const APP: &str = "apiVersion: v1
kind: ServiceAccount
metadata:
  name: payments
  namespace: shop
  annotations:
    iam.gke.io/gcp-service-account: payments-gsa@shop-prod
";

#[test]
fn fingerprints_survive_lines_inserted_above() {
    let before = fingerprints(APP);
    assert_eq!(before.len(), 1);
    let moved = format!(
        "# a comment\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: x, namespace: shop}}\n---\n{}",
        APP.replace("metadata:\n", "metadata:\n  labels: {team: shop}\n")
    );
    assert_eq!(fingerprints(&moved), before);
}

#[test]
fn fingerprints_change_with_the_object_identity() {
    let before = fingerprints(APP);
    let renamed = fingerprints(&APP.replace("name: payments", "name: billing"));
    assert_ne!(renamed, before);
    let other_namespace = fingerprints(&APP.replace("namespace: shop", "namespace: store"));
    assert_ne!(other_namespace, before);
}

/// `tool.driver.rules` lists the rules the configuration enabled, not just the defaults.
#[test]
fn sarif_rules_follow_the_configuration() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("app.yaml"), APP).expect("write");
    let ids = |config: &str| -> Vec<String> {
        std::fs::write(dir.path().join("wilint.toml"), config).expect("config");
        let log: serde_json::Value =
            serde_json::from_str(&sarif_of(&[Path::new("app.yaml")], dir.path())).expect("JSON");
        log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .expect("rules")
            .iter()
            .map(|r| r["id"].as_str().expect("id").to_string())
            .collect()
    };
    let default = ids("");
    assert!(
        !default.contains(&"WI047".to_string()),
        "WI047 is off by default"
    );
    assert!(default.contains(&"WI040".to_string()));
    let configured = ids("select = [\"ALL\"]\nignore = [\"WI040\"]\n");
    assert!(configured.contains(&"WI047".to_string()), "{configured:?}");
    assert!(!configured.contains(&"WI040".to_string()), "{configured:?}");
    // WI002 reports APP's annotation and is listed either way.
    assert!(configured.contains(&"WI002".to_string()));
}
