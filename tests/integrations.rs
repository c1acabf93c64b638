//! Where users run wilint: rendered Helm charts and kustomizations (with the real tools),
//! pre-commit's file lists (`--force-exclude`, `--project-root`), shell completions and the
//! man page.
//!
//! Tests that need an external tool skip with a message when it is missing, except under
//! `WILINT_REQUIRE_TOOLS` (set by `.ci/run`, which installs them), where they must run.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::print_stderr)] // Tests fail by panicking and say what they skipped.

use std::path::{Path, PathBuf};
use std::process::{Command as Process, Output};

use assert_cmd::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn wilint(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::cargo_bin("wilint").expect("binary");
    command.current_dir(cwd).args(args);
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Whether a tool works; panics under `WILINT_REQUIRE_TOOLS` when it does not.
fn tool_available(what: &str, program: &str, args: &[&str]) -> bool {
    let works = Process::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success());
    if !works {
        assert!(
            std::env::var_os("WILINT_REQUIRE_TOOLS").is_none(),
            "{what} is required here (`{program} {}` failed); .ci/run installs it",
            args.join(" ")
        );
        eprintln!("SKIPPED: {what} is not available");
    }
    works
}

fn helm_shim() -> Option<String> {
    tool_available(
        "the Helm engine (PyPI helm-python-sdk)",
        "python3",
        &["-c", "import helm_python"],
    )
    .then(|| repo().join("tests/support/helm").display().to_string())
}

const CHART: &str = "testdata/charts/autoneg-controller-manager";

#[test]
fn helm_chart_is_rendered_and_findings_name_the_template() {
    let Some(helm) = helm_shim() else { return };
    let out = wilint(
        &repo(),
        &[
            "check",
            "--format",
            "json",
            "--helm",
            CHART,
            "--namespace",
            "autoneg",
            "--set",
            r"serviceAccount.annotations.iam\.gke\.io/gcp-service-account=autoneg@my-project",
        ],
        &[("WILINT_HELM", &helm)],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let diagnostics = json["diagnostics"].as_array().expect("diagnostics");
    let wi002: Vec<_> = diagnostics
        .iter()
        .filter(|d| d["code"] == "WI002")
        .collect();
    assert_eq!(wi002.len(), 1, "{}", stdout(&out));
    assert_eq!(
        wi002[0]["source_template"],
        "autoneg-controller-manager/templates/service-account.yaml"
    );
    // The finding lands on the template; `toYaml` writes the annotation, so it is placed on
    // the enclosing `annotations:` key, with the rendered line kept.
    assert_eq!(
        wi002[0]["path"],
        format!("{CHART}/templates/service-account.yaml")
    );
    assert_eq!(wi002[0]["line"], 11, "{}", wi002[0]);
    assert_eq!(
        wi002[0]["rendered"]["excerpt"],
        "iam.gke.io/gcp-service-account: autoneg@my-project"
    );
    // With the chart's defaults (no annotation) the same chart is clean.
    let out = wilint(
        &repo(),
        &["check", "--helm", CHART],
        &[("WILINT_HELM", &helm)],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
}

const WEB: &str = "testdata/rendered/web";

/// `--helm` on the `web` test chart with a bare-project GSA and `hostNetwork: true`.
fn render_web(format: &str, extra: &[&str], helm: &str) -> Output {
    let mut args = vec![
        "check",
        "--helm",
        WEB,
        "--namespace",
        "shop",
        "--set",
        "gsa=web@my-project",
        "--set",
        "hostNetwork=true",
        "--format",
        format,
    ];
    args.extend(extra);
    let out = wilint(&repo(), &args, &[("WILINT_HELM", helm)]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    out
}

#[test]
fn helm_findings_land_on_the_template_line_in_every_format() {
    let Some(helm) = helm_shim() else { return };
    let deployment = format!("{WEB}/templates/deployment.yaml");
    let service_account = format!("{WEB}/templates/serviceaccount.yaml");

    let sarif: serde_json::Value =
        serde_json::from_slice(&render_web("sarif", &[], &helm).stdout).expect("sarif");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let wi040 = results
        .iter()
        .find(|r| r["ruleId"] == "WI040")
        .expect("WI040");
    let physical = &wi040["locations"][0]["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uri"], deployment.as_str());
    assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(physical["region"]["startLine"], 14);
    assert_eq!(physical["region"]["startColumn"], 7);
    let text = wi040["message"]["text"].as_str().expect("message");
    assert!(
        text.contains("Rendered at line 26, column 20 of testdata/rendered/web (rendered by helm): `hostNetwork: true`."),
        "{text}"
    );
    let related = &wi040["relatedLocations"][0]["physicalLocation"];
    assert_eq!(related["artifactLocation"]["uri"], service_account.as_str());
    assert_eq!(related["region"]["startLine"], 7);
    // No location of any result is a pseudo-path.
    for result in results {
        let locations = result["locations"]
            .as_array()
            .into_iter()
            .chain(result["relatedLocations"].as_array())
            .flatten();
        for location in locations {
            let uri = location["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .expect("uri");
            assert!(repo().join(uri).is_file(), "{uri} in {result}");
        }
    }

    let concise = stdout(&render_web("concise", &[], &helm));
    assert!(
        concise.contains(&format!("{deployment}:14:7: error[WI040]")),
        "{concise}"
    );
    assert!(
        concise.contains(&format!("{service_account}:7:5: error[WI002]")),
        "{concise}"
    );
    let github = stdout(&render_web("github", &[], &helm));
    assert!(
        github.contains(&format!("::error file={deployment},line=14,col=7,")),
        "{github}"
    );
    assert!(
        github.contains("rendered at line 26, column 20"),
        "{github}"
    );
    // With --project-root the rendered chart's findings are reported, not taken for context.
    let rooted = stdout(&render_web("concise", &["--project-root", "."], &helm));
    assert!(
        rooted.contains(&format!("{deployment}:14:7: error[WI040]")),
        "{rooted}"
    );
}

#[test]
fn helm_auto_renders_charts_met_in_a_walk() {
    let Some(helm) = helm_shim() else { return };
    let without = wilint(&repo(), &["check", "testdata/charts"], &[]);
    assert!(
        stderr(&without).contains(&format!("wilint check --helm {CHART}")),
        "{}",
        stderr(&without)
    );
    let with = wilint(
        &repo(),
        &[
            "check",
            "testdata/charts",
            "--helm-auto",
            "--format",
            "json",
        ],
        &[("WILINT_HELM", &helm)],
    );
    let json: serde_json::Value = serde_json::from_slice(&with.stdout).expect("json");
    // Chart.yaml, values.yaml, the chart's README.md (a guide, for its commands) and the
    // rendered stream.
    assert_eq!(json["summary"]["files"], 4, "{}", stderr(&with));
    assert!(json["summary"]["documents"].as_u64().unwrap() > 5);
}

#[test]
fn missing_or_failing_helm_is_an_error_never_a_silent_skip() {
    let out = wilint(
        &repo(),
        &["check", "--helm", CHART],
        &[("WILINT_HELM", "/nonexistent/helm")],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`/nonexistent/helm` was not found"),
        "{}",
        stderr(&out)
    );
    let Some(helm) = helm_shim() else { return };
    let out = wilint(
        &repo(),
        &["check", "--helm", "testdata/charts/no-such-chart"],
        &[("WILINT_HELM", &helm)],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no-such-chart"), "{}", stderr(&out));
}

#[test]
fn kustomization_is_built_and_linted() {
    let works = |program: &str, args: &[&str]| {
        Process::new(program)
            .args(args)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let found = works("kubectl", &["version", "--client"]) || works("kustomize", &["version"]);
    if !found {
        // Reports the skip, or fails under WILINT_REQUIRE_TOOLS.
        tool_available("kubectl or kustomize", "kustomize", &["version"]);
        return;
    }
    let out = wilint(
        &repo(),
        &[
            "check",
            "--format",
            "concise",
            "--kustomize",
            "testdata/kustomize/overlays/prod",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    // The overlay's patch adds hostNetwork; the namespace comes from the overlay too.
    // kustomize names no source file: the finding lands on the overlay's kustomization.
    assert!(
        stdout(&out).contains(
            "testdata/kustomize/overlays/prod/kustomization.yaml:3:1: error[WI040] Deployment reports/reporter"
        ),
        "{}",
        stdout(&out)
    );
    // The base alone is clean.
    let out = wilint(
        &repo(),
        &["check", "--kustomize", "testdata/kustomize/base"],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn a_walk_says_how_to_lint_a_kustomization_built() {
    let out = wilint(&repo(), &["check", "testdata/kustomize"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let notes = stderr(&out);
    for dir in [
        "testdata/kustomize/base",
        "testdata/kustomize/overlays/prod",
    ] {
        assert!(
            notes.contains(&format!("wilint check --kustomize {dir}`")),
            "{notes}"
        );
    }
    // Not when the kustomization is being built anyway.
    let out = wilint(
        &repo(),
        &[
            "check",
            "testdata/kustomize/base",
            "--kustomize",
            "testdata/kustomize/base",
        ],
        &[],
    );
    assert!(!stderr(&out).contains("kustomization:"), "{}", stderr(&out));
}

#[test]
fn missing_kustomize_is_an_error() {
    let empty = tempfile::tempdir().expect("tempdir");
    let out = Command::cargo_bin("wilint")
        .expect("binary")
        .current_dir(repo())
        .env("PATH", empty.path())
        .env_remove("WILINT_KUSTOMIZE")
        .args(["check", "--kustomize", "testdata/kustomize/base"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`kubectl` and `kustomize` not found"),
        "{}",
        stderr(&out)
    );
}

/// A throwaway repository: a bad KSA, a workload that uses it, a binding elsewhere.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "k8s/sa.yaml",
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: agent\n  namespace: ops\n  annotations:\n    iam.gke.io/gcp-service-account: agent@ops-prod.iam.gserviceaccount.com\n",
    );
    write(
        "k8s/agent.yaml",
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\n  namespace: ops\nspec:\n  template:\n    spec:\n      serviceAccountName: agent\n      hostNetwork: true\n      containers: [{name: a, image: a}]\n",
    );
    write(
        "vendor/bad.yaml",
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: x\n  namespace: ops\n  annotations:\n    iam.gke.io/gcp-service-account: x@ops-prod\n",
    );
    write("wilint.toml", "exclude = [\"vendor/**\"]\n");
    dir
}

/// `wilint check --format FORMAT --project-root . k8s/agent.yaml` in the [`project`].
fn with_project_root(dir: &tempfile::TempDir, format: &str) -> Output {
    wilint(
        dir.path(),
        &[
            "check",
            "--format",
            format,
            "--project-root",
            ".",
            "k8s/agent.yaml",
        ],
        &[],
    )
}

#[test]
fn project_root_indexes_everything_but_reports_named_files() {
    let dir = project();
    // Alone, the DaemonSet's KSA is unknown: no WI040, only WI036's note.
    let alone = wilint(
        dir.path(),
        &["check", "--format", "concise", "k8s/agent.yaml"],
        &[],
    );
    assert!(!stdout(&alone).contains("WI040"), "{}", stdout(&alone));
    // With the repository as context, WI040 is found; sa.yaml's own findings are not shown.
    let out = with_project_root(&dir, "concise");
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("k8s/agent.yaml:10:20: error[WI040]"),
        "{text}"
    );
    assert!(!text.contains("sa.yaml"), "{text}");
    // The excluded vendor file is neither context nor reported.
    assert!(!text.contains("vendor"), "{text}");
    // The summary counts the named file only, not the context.
    let json = with_project_root(&dir, "json");
    let summary: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(summary["summary"]["files"], 1, "{}", stdout(&json));
    assert_eq!(summary["summary"]["documents"], 1, "{}", stdout(&json));
}

#[test]
fn a_broken_context_file_does_not_fail_the_named_files() {
    let dir = project();
    std::fs::create_dir_all(dir.path().join("other")).unwrap();
    std::fs::write(dir.path().join("other/wilint.toml"), "no-such-key = 1\n").unwrap();
    std::fs::write(dir.path().join("other/x.yaml"), "a: 1\n").unwrap();
    let out = with_project_root(&dir, "concise");
    // WI040 still decides the exit code; the context file's error is only a note.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("(context only, not reported)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn force_exclude_applies_to_named_files() {
    let dir = project();
    let named = wilint(
        dir.path(),
        &["check", "--format", "concise", "vendor/bad.yaml"],
        &[],
    );
    assert!(stdout(&named).contains("WI002"), "{}", stdout(&named));
    let forced = wilint(
        dir.path(),
        &[
            "check",
            "--format",
            "concise",
            "--force-exclude",
            "vendor/bad.yaml",
        ],
        &[],
    );
    assert_eq!(forced.status.code(), Some(0), "{}", stdout(&forced));
    assert!(!stdout(&forced).contains("WI002"));
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish"] {
        let out = wilint(&repo(), &["completions", shell], &[]);
        assert_eq!(out.status.code(), Some(0));
        let script = stdout(&out);
        assert!(script.contains("fail-on"), "{shell}: {script}");
        assert!(script.contains("helm-auto"), "{shell}");
    }
    let out = wilint(&repo(), &["man"], &[]);
    assert_eq!(out.status.code(), Some(0));
    let page = stdout(&out);
    assert!(page.starts_with(".ie"), "{page}");
    assert!(page.contains(".TH wilint 1"), "{page}");
    assert!(page.contains("Workload Identity"), "{page}");
}
