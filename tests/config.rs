//! Configuration discovery and keys, command-line overrides, and the baseline round trip,
//! through the binary.

#![allow(clippy::expect_used, clippy::unwrap_used)] // Tests fail by panicking.

use std::fs;
use std::path::Path;
use std::process::Output;

use assert_cmd::Command;

fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    // A repository root, so discovery stops here.
    fs::create_dir(dir.path().join(".git")).expect(".git");
    for (name, content) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, content).expect("write");
    }
    dir
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("wilint")
        .expect("binary")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `(path, code, severity)` of each finding, from `--format json`.
fn findings(out: &Output) -> Vec<(String, String, String)> {
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(out), stderr(out)));
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["path"].as_str().expect("path").to_string(),
                d["code"].as_str().expect("code").to_string(),
                d["severity"].as_str().expect("severity").to_string(),
            )
        })
        .collect()
}

/// A file with one WI002 error and one WI041 warning.
const APP: &str = "apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
  namespace: team
  annotations:
    iam.gke.io/gcp-service-account: app-gsa@team-prod
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  namespace: team
spec:
  template:
    spec:
      serviceAccount: app
      containers: [{name: app, image: app}]
";

fn codes(out: &Output) -> Vec<String> {
    findings(out).into_iter().map(|(_, code, _)| code).collect()
}

#[test]
fn closest_configuration_wins() {
    let dir = tree(&[
        ("wilint.toml", "ignore = [\"WI041\"]\n"),
        ("a/app.yaml", APP),
        ("b/.wilint.toml", "ignore = [\"WI002\"]\n"),
        ("b/app.yaml", APP),
        ("b/c/app.yaml", APP),
    ]);
    let out = run(dir.path(), &["check", "--format", "json"]);
    let found = findings(&out);
    assert_eq!(
        found
            .iter()
            .map(|(p, c, _)| format!("{p} {c}"))
            .collect::<Vec<_>>(),
        ["a/app.yaml WI002", "b/app.yaml WI041", "b/c/app.yaml WI041"]
    );
}

#[test]
fn config_flag_and_isolated() {
    let dir = tree(&[
        ("wilint.toml", "ignore = [\"WI041\", \"WI002\"]\n"),
        ("other.toml", "ignore = [\"WI002\"]\n"),
        ("app.yaml", APP),
    ]);
    assert!(codes(&run(dir.path(), &["check", "--format", "json"])).is_empty());
    assert_eq!(
        codes(&run(
            dir.path(),
            &["check", "--format", "json", "--config", "other.toml"]
        )),
        ["WI041"]
    );
    assert_eq!(
        codes(&run(
            dir.path(),
            &["check", "--format", "json", "--isolated"]
        )),
        ["WI002", "WI041"]
    );
}

#[test]
fn unknown_keys_fail_with_a_suggestion() {
    let dir = tree(&[("wilint.toml", "selct = [\"WI040\"]\n"), ("app.yaml", APP)]);
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("wilint.toml"), "{err}");
    assert!(err.contains("line 1"), "{err}");
    assert!(err.contains("did you mean `select`?"), "{err}");
}

#[test]
fn unknown_rules_in_configuration_fail_with_a_suggestion() {
    let dir = tree(&[
        ("wilint.toml", "[rules]\nWI04O = \"off\"\n"),
        ("app.yaml", APP),
    ]);
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean `WI040`?"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn rule_levels_and_fail_on_from_the_file() {
    let dir = tree(&[
        (
            "wilint.toml",
            "fail-on = \"error\"\n[rules]\nWI002 = \"warning\"\ndeprecated-serviceaccount-field = \"off\"\n",
        ),
        ("app.yaml", APP),
    ]);
    let out = run(dir.path(), &["check", "--format", "json"]);
    assert_eq!(
        findings(&out),
        [(
            "app.yaml".to_string(),
            "WI002".to_string(),
            "warning".to_string()
        )]
    );
    // Only a warning is left and the file fails on errors only.
    assert_eq!(out.status.code(), Some(0));
    // The flag overrides the file.
    let out = run(dir.path(), &["check", "--fail-on", "warning"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn select_ignore_and_prefixes_on_the_command_line() {
    let dir = tree(&[("wilint.toml", "select = [\"WI002\"]\n"), ("app.yaml", APP)]);
    assert_eq!(
        codes(&run(dir.path(), &["check", "--format", "json"])),
        ["WI002"]
    );
    // --select replaces the file's selection; prefixes select every rule under them.
    assert_eq!(
        codes(&run(
            dir.path(),
            &["check", "--format", "json", "--select", "WI04"]
        )),
        ["WI041"]
    );
    assert_eq!(
        codes(&run(
            dir.path(),
            &[
                "check", "--format", "json", "--select", "ALL", "--ignore", "WI002"
            ]
        )),
        ["WI041"]
    );
}

#[test]
fn per_file_ignores_and_exclude() {
    let dir = tree(&[
        (
            "wilint.toml",
            "exclude = [\"vendor\"]\n[per-file-ignores]\n\"legacy/**\" = [\"WI041\"]\n",
        ),
        ("legacy/app.yaml", APP),
        ("vendor/app.yaml", APP),
        ("new/app.yaml", APP),
    ]);
    let found: Vec<String> = findings(&run(dir.path(), &["check", "--format", "json"]))
        .into_iter()
        .map(|(p, c, _)| format!("{p} {c}"))
        .collect();
    assert_eq!(
        found,
        [
            "legacy/app.yaml WI002",
            "new/app.yaml WI002",
            "new/app.yaml WI041"
        ]
    );
    // A file named explicitly is linted even if excluded.
    let out = run(
        dir.path(),
        &["check", "--format", "json", "vendor/app.yaml"],
    );
    assert_eq!(codes(&out), ["WI002", "WI041"]);
}

#[test]
fn domain_settings_and_config_option() {
    // default-namespace links the namespace-less KSA and Pod with the binding in "ops".
    let manifests = "apiVersion: v1
kind: Pod
metadata:
  name: agent
spec:
  hostNetwork: true
  serviceAccountName: agent
  containers: [{name: a, image: a}]
";
    let binding = "apiVersion: iam.cnrm.cloud.google.com/v1beta1
kind: IAMPolicyMember
metadata:
  name: agent-wi
spec:
  role: roles/iam.workloadIdentityUser
  member: serviceAccount:ops-prod.svc.id.goog[ops/agent]
  resourceRef: {kind: IAMServiceAccount, name: agent-gsa}
";
    let dir = tree(&[("pod.yaml", manifests), ("iam.yaml", binding)]);
    // Without it, only WI036 notes that the KSA is not in the input.
    assert_eq!(
        codes(&run(dir.path(), &["check", "--format", "json"])),
        ["WI036"]
    );
    let out = run(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--config-option",
            "default-namespace = \"ops\"",
        ],
    );
    assert_eq!(codes(&out), ["WI040", "WI036"]);
    fs::write(
        dir.path().join("wilint.toml"),
        "default-namespace = \"ops\"\n",
    )
    .expect("write");
    assert_eq!(
        codes(&run(dir.path(), &["check", "--format", "json"])),
        ["WI040", "WI036"]
    );
    // universe-segments silences the note on a configured universe.
    let universe = "apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
  namespace: team
  annotations:
    iam.gke.io/gcp-service-account: app-gsa@team-prod.eu0.iam.gserviceaccount.com
";
    let dir = tree(&[("app.yaml", universe)]);
    assert_eq!(
        codes(&run(dir.path(), &["check", "--format", "json"])),
        ["WI002"]
    );
    fs::write(
        dir.path().join("wilint.toml"),
        "universe-segments = [\"eu0\"]\n",
    )
    .expect("write");
    assert!(codes(&run(dir.path(), &["check", "--format", "json"])).is_empty());
}

#[test]
fn every_documented_key_is_accepted() {
    let config = r#"
select = ["ALL"]
ignore = ["WI012"]
exclude = ["vendor/**"]
fail-on = "error"
project-id = "acme-prod"
project-number = "123456789012"
default-namespace = "apps"
cluster-mode = "autopilot"
universe-segments = ["eu0"]
allowed-shared-ksa = ["kube-system/metrics"]
require-service-account-name = true

[rules]
WI026 = "error"

[per-file-ignores]
"legacy/**" = ["WI041"]

[[cluster]]
name = "prod-eu"
project = "acme-prod"
paths = ["clusters/prod-eu/**"]
"#;
    let dir = tree(&[("wilint.toml", config), ("app.yaml", APP)]);
    let out = run(dir.path(), &["check", "--format", "json"]);
    assert_ne!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn exit_zero() {
    let dir = tree(&[("app.yaml", APP)]);
    assert_eq!(run(dir.path(), &["check"]).status.code(), Some(1));
    assert_eq!(
        run(dir.path(), &["check", "--exit-zero"]).status.code(),
        Some(0)
    );
}

#[test]
fn suppressed_findings_are_counted_and_kept_in_sarif() {
    let suppressed = APP.replace(
        "iam.gke.io/gcp-service-account: app-gsa@team-prod",
        "iam.gke.io/gcp-service-account: app-gsa@team-prod # wilint: ignore WI002 -- legacy alias",
    );
    let dir = tree(&[("app.yaml", &suppressed)]);
    let out = run(dir.path(), &["check"]);
    assert!(
        stdout(&out).contains("0 errors, 1 warning, 0 notes in 1 file (2 documents), 1 suppressed"),
        "{}",
        stdout(&out)
    );
    let out = run(dir.path(), &["check", "--format", "sarif"]);
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF");
    let results = log["runs"][0]["results"].as_array().expect("results");
    let wi002 = results
        .iter()
        .find(|r| r["ruleId"] == "WI002")
        .expect("WI002 kept");
    assert_eq!(wi002["suppressions"][0]["kind"], "inSource");
    assert_eq!(wi002["suppressions"][0]["justification"], "legacy alias");
}

#[test]
fn baseline_round_trip() {
    let dir = tree(&[("app.yaml", APP)]);
    // Create: today's two findings are recorded.
    let out = run(dir.path(), &["baseline"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("recorded 2 findings in .wilint-baseline.json"));
    let out = run(
        dir.path(),
        &["check", "--baseline", ".wilint-baseline.json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));

    // Lines added above the findings do not resurrect them; a new finding fails alone.
    let with_new = format!(
        "# moved down\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: cm, namespace: team}}\n---\n{APP}---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: new\n  namespace: team\n  annotations:\n    iam.gke.io/gcp-service-account: new-gsa@team-prod\n"
    );
    fs::write(dir.path().join("app.yaml"), &with_new).expect("write");
    let out = run(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--baseline",
            ".wilint-baseline.json",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let found = findings(&out);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].1, "WI002");

    // Fix an old finding: the baseline reports one entry as fixed.
    let fixed = with_new.replace("serviceAccount: app\n", "serviceAccountName: app\n");
    fs::write(dir.path().join("app.yaml"), fixed).expect("write");
    let out = run(
        dir.path(),
        &["check", "--baseline", ".wilint-baseline.json"],
    );
    assert!(
        stderr(&out).contains("1 baseline entry no longer matches (fixed)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_broken_baseline_is_an_error() {
    let dir = tree(&[
        ("app.yaml", APP),
        ("bad.json", "{\"version\": 9, \"findings\": []}"),
    ]);
    let out = run(dir.path(), &["check", "--baseline", "bad.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("regenerate it"), "{}", stderr(&out));
}

#[test]
fn require_service_account_name_allowed_shared_ksa_and_project_number() {
    let pod = "apiVersion: v1
kind: Pod
metadata: {name: p, namespace: quiet}
spec:
  containers: [{name: a, image: a}]
";
    let dir = tree(&[("pod.yaml", pod)]);
    assert!(codes(&run(dir.path(), &["check", "--format", "json"])).is_empty());
    fs::write(
        dir.path().join("wilint.toml"),
        "require-service-account-name = true\n",
    )
    .expect("write");
    assert_eq!(
        codes(&run(dir.path(), &["check", "--format", "json"])),
        ["WI035"]
    );

    let shared = "apiVersion: iam.cnrm.cloud.google.com/v1beta1
kind: IAMPolicyMember
metadata: {name: m}
spec:
  role: roles/storage.objectViewer
  member: principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/ops-prod.svc.id.goog/subject/ns/monitoring/sa/default
  resourceRef: {kind: StorageBucket, name: metrics}
";
    let dir = tree(&[("iam.yaml", shared)]);
    assert_eq!(
        codes(&run(dir.path(), &["check", "--format", "json"])),
        ["WI026"]
    );
    fs::write(
        dir.path().join("wilint.toml"),
        "allowed-shared-ksa = [\"monitoring/default\"]\nproject-number = \"999\"\n",
    )
    .expect("write");
    // The allow list silences WI026; the configured number disagrees with the principal's.
    assert_eq!(
        codes(&run(dir.path(), &["check", "--format", "json"])),
        ["WI021"]
    );
}
