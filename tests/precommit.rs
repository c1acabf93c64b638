//! The pre-commit hook, run by the real `pre-commit try-repo` against a throwaway git
//! repository: a bad manifest fails with wilint's message, a clean one passes.
//!
//! pre-commit builds the hook with `cargo install` (release). `CARGO_TARGET_DIR` points both
//! runs at one build directory, so the second run reuses the first run's build.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::print_stderr)] // Tests fail by panicking and say what they skipped.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(program: &str, args: &[&str], cwd: &Path, home: &Path) -> Output {
    Command::new(program)
        .args(args)
        .current_dir(cwd)
        .env("PRE_COMMIT_HOME", home)
        .env("CARGO_TARGET_DIR", repo().join("target/pre-commit"))
        .env("GIT_AUTHOR_NAME", "wilint test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "wilint test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .output()
        .expect("runs")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn pre_commit_available() -> bool {
    let works = Command::new("pre-commit")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !works {
        assert!(
            std::env::var_os("WILINT_REQUIRE_TOOLS").is_none(),
            "pre-commit is required here; .ci/run installs it"
        );
        eprintln!("SKIPPED: pre-commit is not installed (python3 -m pip install pre-commit)");
    }
    works
}

#[test]
fn hook_fails_a_bad_manifest_and_passes_a_clean_one() {
    if !pre_commit_available() {
        return;
    }
    let home = tempfile::tempdir().expect("tempdir");
    let target = tempfile::tempdir().expect("tempdir");
    let dir = target.path();
    std::fs::write(
        dir.join("bad.yaml"),
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  namespace: apps\n  annotations:\n    iam.gke.io/gcp-service-account: app@acme-prod\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("good.yaml"),
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  namespace: apps\n  annotations:\n    iam.gke.io/gcp-service-account: web-frontend@acme-prod.iam.gserviceaccount.com\n",
    )
    .unwrap();
    for args in [&["init", "--quiet"][..], &["add", "bad.yaml", "good.yaml"]] {
        let out = run("git", args, dir, home.path());
        assert!(out.status.success(), "git {args:?}: {}", text(&out));
    }
    let hook_repo = repo().display().to_string();

    let bad = run(
        "pre-commit",
        &["try-repo", &hook_repo, "wilint", "--files", "bad.yaml"],
        dir,
        home.path(),
    );
    let output = text(&bad);
    assert_eq!(bad.status.code(), Some(1), "{output}");
    assert!(output.contains("error[WI002]"), "{output}");
    assert!(output.contains("bad.yaml:7:37"), "{output}");

    let good = run(
        "pre-commit",
        &["try-repo", &hook_repo, "wilint", "--files", "good.yaml"],
        dir,
        home.path(),
    );
    assert_eq!(good.status.code(), Some(0), "{}", text(&good));

    // A repository with a Helm chart: the hook names the staged templates explicitly, and
    // they must not be parsed as manifests (no WI000), but noted once.
    std::fs::create_dir_all(dir.join("chart/templates")).unwrap();
    std::fs::write(
        dir.join("chart/Chart.yaml"),
        "apiVersion: v2\nname: app\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("chart/templates/sa.yaml"),
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {{ .Release.Name }}\n  {{- with .Values.annotations }}\n  annotations:\n    {{- toYaml . | nindent 4 }}\n  {{- end }}\n",
    )
    .unwrap();
    std::fs::write(dir.join("chart/values.yaml"), "annotations: {}\n").unwrap();
    let out = run("git", &["add", "chart"], dir, home.path());
    assert!(out.status.success(), "git add: {}", text(&out));
    let chart = run(
        "pre-commit",
        &[
            "try-repo",
            &hook_repo,
            "wilint",
            "--files",
            "chart/Chart.yaml",
            "chart/templates/sa.yaml",
            "chart/values.yaml",
            "good.yaml",
        ],
        dir,
        home.path(),
    );
    let output = text(&chart);
    assert_eq!(chart.status.code(), Some(0), "{output}");
    assert!(!output.contains("WI000"), "{output}");
}
