//! End-to-end tests that run the `wilint` binary: exit codes, standard input, output formats,
//! determinism across thread counts, discovery, and every class of hostile input.

#![allow(clippy::expect_used, clippy::unwrap_used)] // Tests fail by panicking.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

fn wilint() -> Command {
    let mut cmd = Command::cargo_bin("wilint").expect("binary");
    cmd.env_remove("NO_COLOR");
    cmd
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    wilint().current_dir(dir).args(args).output().expect("runs")
}

const LINKED_KSA: &str = "apiVersion: v1
kind: ServiceAccount
metadata:
  name: agent
  namespace: ops
  annotations:
    iam.gke.io/gcp-service-account: agent-gsa@ops-prod.iam.gserviceaccount.com
";

const HOST_NETWORK_POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: agent
  namespace: ops
spec:
  hostNetwork: true
  serviceAccountName: agent
  containers: [{name: a, image: a}]
";

const CLEAN: &str = "apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: ops
data:
  key: value
";

/// A directory with the given files.
fn tree(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, content) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("mkdir");
        }
        fs::write(path, content).expect("write");
    }
    dir
}

fn codes(output: &Output) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON output");
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().expect("code").to_string())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Exit codes and --fail-on

#[test]
fn clean_input_exits_zero() {
    let dir = tree(&[("ok.yaml", CLEAN.as_bytes())]);
    let out = run_in(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("0 errors, 0 warnings, 0 notes in 1 file (1 document)"));
}

#[test]
fn findings_exit_one_and_cross_file_rules_see_every_file() {
    let dir = tree(&[
        ("a/ksa.yaml", LINKED_KSA.as_bytes()),
        ("b/pod.yaml", HOST_NETWORK_POD.as_bytes()),
    ]);
    let out = run_in(dir.path(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(codes(&out), vec!["WI040"]);
}

#[test]
fn fail_on_threshold() {
    // A WI035 warning only.
    let dir = tree(&[(
        "app.yaml",
        format!(
            "{LINKED_KSA}---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p, namespace: ops}}\nspec:\n  containers: [{{name: a, image: a}}]\n"
        )
        .as_bytes(),
    )]);
    let status = |fail_on: &str| {
        run_in(dir.path(), &["check", "--fail-on", fail_on])
            .status
            .code()
    };
    assert_eq!(status("warning"), Some(1));
    assert_eq!(status("note"), Some(1));
    assert_eq!(status("error"), Some(0));
    assert_eq!(status("never"), Some(0));
}

#[test]
fn missing_path_exits_two_with_the_path() {
    let out = wilint()
        .args(["check", "does/not/exist.yaml"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("does/not/exist.yaml: no such file or directory"));
}

#[test]
fn usage_errors_exit_two() {
    let out = wilint()
        .args(["check", "--format", "yaml"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let out = wilint()
        .args(["check", "-j", "0", "."])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

// ---------------------------------------------------------------------------------------------
// Standard input and formats

/// `wilint check <(helm template …)` names a pipe (`/dev/fd/63`), which cannot be read twice:
/// it is held whole, never read again from disk as a regular file's workloads are (found
/// while building sparse sources: the pipe read empty the second time, an error).
#[cfg(unix)]
#[test]
fn a_pipe_given_as_a_path_is_read_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("rendered.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            fs::write(fifo, format!("{LINKED_KSA}---\n{HOST_NETWORK_POD}"))
                .expect("write to the pipe");
        })
    };
    // A pipe opened a second time waits for a writer forever: a timeout makes that a failure.
    let out = wilint()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "rendered.yaml"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("runs");
    if !writer.is_finished() {
        // wilint never opened the pipe: open it here, so that the writer does not block forever.
        let _ = fs::read(&fifo);
    }
    writer.join().expect("writer");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(codes(&out), vec!["WI040"]);
}

#[test]
fn stdin_with_a_name() {
    let input = format!("{LINKED_KSA}---\n{HOST_NETWORK_POD}");
    let out = wilint()
        .args([
            "check",
            "-",
            "--stdin-filename",
            "rendered.yaml",
            "--format",
            "concise",
        ])
        .write_stdin(input)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "rendered.yaml:15:16: error[WI040] Pod ops/agent uses Workload Identity with `hostNetwork: true`\n"
    );
}

#[test]
fn json_output_is_the_documented_contract() {
    let input = "---\n# Source: app/templates/sa.yaml\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  namespace: team\n  annotations:\n    iam.gke.io/gcp-service-account: app@my-project\n";
    let out = wilint()
        .args(["check", "-", "--format", "json"])
        .write_stdin(input)
        .output()
        .expect("runs");
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn human_output_is_plain_when_not_a_terminal_and_coloured_when_forced() {
    let dir = tree(&[(
        "bad.yaml",
        LINKED_KSA
            .replace(".iam.gserviceaccount.com", "")
            .as_bytes(),
    )]);
    let plain = run_in(dir.path(), &["check"]);
    assert!(!stdout(&plain).contains('\u{1b}'));
    assert!(stdout(&plain).contains("bad.yaml:7:37"));
    let coloured = run_in(dir.path(), &["check", "--color", "always"]);
    assert!(stdout(&coloured).contains('\u{1b}'));
}

#[test]
fn quiet_prints_findings_only() {
    let dir = tree(&[("ok.yaml", CLEAN.as_bytes())]);
    let out = run_in(dir.path(), &["check", "-q"]);
    assert_eq!(stdout(&out), "");
}

#[test]
fn output_file_is_written_whole() {
    let dir = tree(&[
        ("ksa.yaml", LINKED_KSA.as_bytes()),
        ("pod.yaml", HOST_NETWORK_POD.as_bytes()),
    ]);
    let out = run_in(
        dir.path(),
        &["check", "--format", "json", "-o", "report.json"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    let written = fs::read_to_string(dir.path().join("report.json")).expect("report");
    assert!(written.contains("\"code\": \"WI040\""));
    // No temporary file is left behind.
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[cfg(unix)]
#[test]
fn output_through_links_and_devices_keeps_them() {
    let dir = tree(&[("ok.yaml", CLEAN.as_bytes()), ("real.json", b"old")]);
    // A link to a device (as `-o /dev/null` is): written in place, never replaced by a file.
    std::os::unix::fs::symlink("/dev/null", dir.path().join("null")).expect("symlink");
    // A link to a regular file: the file gets the report, the link stays.
    std::os::unix::fs::symlink("real.json", dir.path().join("link.json")).expect("symlink");
    for target in ["null", "link.json"] {
        let out = run_in(dir.path(), &["check", "--format", "json", "-o", target]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let meta = fs::symlink_metadata(dir.path().join(target)).expect("meta");
        assert!(meta.file_type().is_symlink(), "{target} was replaced");
    }
    let written = fs::read_to_string(dir.path().join("real.json")).expect("real");
    assert!(written.contains("\"diagnostics\""), "{written}");
    let device = fs::metadata("/dev/null").expect("/dev/null");
    assert!(!device.is_file(), "/dev/null became a regular file");
}

#[test]
fn unwritable_output_exits_two() {
    let dir = tree(&[("ok.yaml", CLEAN.as_bytes())]);
    let out = run_in(dir.path(), &["check", "-o", "no/such/dir/report.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot write output"));
}

#[test]
fn closed_stdout_is_not_a_panic() {
    let examples = repo().join("examples");
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "set -o pipefail; '{}' check '{}' | head -c 1 >/dev/null",
            assert_cmd::cargo::cargo_bin("wilint").display(),
            examples.display()
        ))
        .output()
        .expect("runs");
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
}

// ---------------------------------------------------------------------------------------------
// Determinism

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let paths = [repo().join("examples"), repo().join("testdata")];
    let run = |threads: &str| {
        let out = wilint()
            .args(["check", "--format", "json", "-j", threads])
            .args(&paths)
            .output()
            .expect("runs");
        out.stdout
    };
    let one = run("1");
    assert!(one.len() > 1000, "the run must find something");
    for threads in ["2", "8"] {
        assert!(one == run(threads), "-j {threads} differs from -j 1");
    }
}

// ---------------------------------------------------------------------------------------------
// Commands: rules, rule

#[test]
fn rules_lists_every_rule() {
    let out = wilint().arg("rules").output().expect("runs");
    let text = stdout(&out);
    for rule in wilint::registry::RULES {
        assert!(text.contains(rule.meta().code) && text.contains(rule.meta().name));
    }
}

#[test]
fn rule_prints_documentation_by_code_or_name() {
    for key in ["WI040", "wi040", "hostnetwork-pod-with-wi"] {
        let out = wilint().args(["rule", key]).output().expect("runs");
        assert_eq!(out.status.code(), Some(0));
        assert!(stdout(&out).starts_with("# hostnetwork-pod-with-wi (WI040)"));
        assert!(stdout(&out).contains("## Why is this bad?"));
    }
}

#[test]
fn unknown_rule_gets_a_suggestion() {
    let out = wilint()
        .args(["rule", "hostnetwork-pod-with-w"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("did you mean `hostnetwork-pod-with-wi`?"));
}

// ---------------------------------------------------------------------------------------------
// Discovery

#[test]
fn walks_yaml_yml_json_only_and_explicit_files_whatever_their_name() {
    let json_ksa = r#"{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "j", "namespace": "n", "annotations": {"iam.gke.io/gcp-service-account": "j@p"}}}"#;
    let bad = LINKED_KSA.replace(".iam.gserviceaccount.com", "");
    let dir = tree(&[
        ("a.yaml", bad.as_bytes()),
        ("b.yml", bad.as_bytes()),
        ("c.json", json_ksa.as_bytes()),
        ("d.txt", bad.as_bytes()),
        (".hidden/e.yaml", bad.as_bytes()),
    ]);
    let out = run_in(dir.path(), &["check", "--format", "concise"]);
    let text = stdout(&out);
    assert!(text.contains("a.yaml:") && text.contains("b.yml:") && text.contains("c.json:1:"));
    assert!(
        !text.contains("d.txt") && !text.contains("e.yaml"),
        "{text}"
    );
    let out = run_in(dir.path(), &["check", "--format", "concise", "d.txt"]);
    assert!(stdout(&out).starts_with("d.txt:7:37: error[WI002]"));
}

#[test]
fn gitignore_and_exclude_are_respected() {
    let bad = LINKED_KSA.replace(".iam.gserviceaccount.com", "");
    let dir = tree(&[
        (".gitignore", b"ignored/\n"),
        ("ignored/a.yaml", bad.as_bytes()),
        ("vendor/b.yaml", bad.as_bytes()),
        ("kept/c.yaml", bad.as_bytes()),
    ]);
    let out = run_in(
        dir.path(),
        &["check", "--format", "concise", "--exclude", "vendor"],
    );
    let text = stdout(&out);
    assert!(text.contains("kept/c.yaml"));
    assert!(
        !text.contains("ignored/") && !text.contains("vendor/"),
        "{text}"
    );
}

#[test]
fn helm_chart_templates_are_skipped_with_advice() {
    let dir = tree(&[
        (
            "chart/Chart.yaml",
            b"apiVersion: v2\nname: app\nversion: 0.1.0\n",
        ),
        (
            "chart/templates/sa.yaml",
            b"apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {{ .Release.Name }}\n",
        ),
        ("chart/values.yaml", b"replicas: 1\n"),
    ]);
    let out = run_in(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stderr(&out).contains("helm template"), "{}", stderr(&out));
    // Named explicitly (as the pre-commit hook does), the template is skipped the same way:
    // no WI000, one note with the same advice.
    let out = run_in(
        dir.path(),
        &["check", "--format", "concise", "chart/templates/sa.yaml"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains("chart: Helm chart: skipped its unrendered templates/;"),
        "{}",
        stderr(&out)
    );
    // So is a walk that starts inside the templates.
    let out = run_in(dir.path(), &["check", "chart/templates"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stderr(&out).contains("helm template"), "{}", stderr(&out));
}

/// Templated YAML outside `templates/` (istiod keeps some under `files/`) is a template too,
/// walked or named; a plain manifest of the chart (its `crds/`) is still linted.
#[test]
fn templated_files_elsewhere_in_a_chart_are_skipped() {
    let bad_sa: &[u8] = b"apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  namespace: team\n  annotations:\n    iam.gke.io/gcp-service-account: app@my-project\n";
    let dir = tree(&[
        (
            "chart/Chart.yaml",
            b"apiVersion: v2\nname: app\nversion: 0.1.0\n",
        ),
        (
            "chart/files/injection-template.yaml",
            b"spec:\n  containers:\n  {{- range $i, $c := .Spec.Containers }}\n  - name: {{ $c.Name }}\n  {{- end }}\n",
        ),
        ("chart/crds/sa.yaml", bad_sa),
    ]);
    for args in [
        &["check", "--format", "concise"][..],
        &["check", "--format", "concise", "chart"],
        &[
            "check",
            "--format",
            "concise",
            "chart/files/injection-template.yaml",
            "chart/crds/sa.yaml",
        ],
        &["check", "--format", "concise", "chart/files"],
    ] {
        let out = run_in(dir.path(), args);
        let text = stdout(&out);
        assert!(!text.contains("WI000"), "{args:?}: {text}");
        assert!(
            stderr(&out).contains("and 1 templated file outside it"),
            "{args:?}: {}",
            stderr(&out)
        );
        if args.len() != 4 {
            assert_eq!(
                text,
                "chart/crds/sa.yaml:7:37: error[WI002] GSA e-mail \"app@my-project\" on ServiceAccount team/app has an invalid domain\n",
                "{args:?}"
            );
        }
    }
}

#[test]
fn rendered_helm_output_names_the_template() {
    let input = "---\n# Source: app/templates/daemonset.yaml\napiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\n  namespace: ops\nspec:\n  template:\n    spec:\n      hostNetwork: true\n      serviceAccountName: agent\n      containers: [{name: a, image: a}]\n---\n# Source: app/templates/sa.yaml\n"
        .to_string()
        + LINKED_KSA;
    let out = wilint()
        .args(["check", "-"])
        .write_stdin(input)
        .output()
        .expect("runs");
    assert!(
        stdout(&out).contains("note: rendered from Helm template app/templates/daemonset.yaml"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn applied_namespace_across_files_is_only_a_note() {
    // Namespace-less objects in different files may be applied into different namespaces.
    let ksa = LINKED_KSA.replace("  namespace: ops\n", "");
    let pod = HOST_NETWORK_POD.replace("  namespace: ops\n", "");
    let dir = tree(&[("a.yaml", ksa.as_bytes()), ("b.yaml", pod.as_bytes())]);
    let out = run_in(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).starts_with("b.yaml:6:16: note[WI040]"),
        "{}",
        stdout(&out)
    );
    // In one stream they are applied together: an error.
    let both = format!("{ksa}---\n{pod}");
    let out = wilint()
        .args(["check", "-", "--format", "concise"])
        .write_stdin(both)
        .output()
        .expect("runs");
    assert!(stdout(&out).contains("error[WI040]"));
    // With --default-namespace they are in a named namespace, whatever the file.
    let out = run_in(
        dir.path(),
        &["check", "--format", "concise", "--default-namespace", "ops"],
    );
    assert!(stdout(&out).contains("error[WI040]"));
}

// ---------------------------------------------------------------------------------------------
// Hostile and unusual input: each gets a clear diagnostic or a note, and the healthy file
// beside it is still linted.

/// Lints `name` with `content` beside a healthy file that has one WI002 finding.
fn beside_a_finding(name: &str, content: &[u8]) -> Output {
    let bad = LINKED_KSA.replace(".iam.gserviceaccount.com", "");
    let dir = tree(&[(name, content), ("zz-healthy.yaml", bad.as_bytes())]);
    let out = run_in(dir.path(), &["check", "--format", "concise"]);
    assert!(
        stdout(&out).contains("zz-healthy.yaml:7:37: error[WI002]"),
        "the healthy file must still be linted: {}",
        stdout(&out)
    );
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    out
}

#[test]
fn empty_and_comment_only_files() {
    let out = beside_a_finding("empty.yaml", b"");
    assert!(!stdout(&out).contains("empty.yaml"));
    let out = beside_a_finding("comments.yaml", b"# nothing here\n---\n# or here\n");
    assert!(!stdout(&out).contains("comments.yaml"));
}

#[test]
fn binary_file() {
    let out = beside_a_finding("blob.yaml", b"apiVersion: v1\n\x00\x01\x02\xff");
    assert!(
        stdout(&out).contains("blob.yaml:2:1: error[WI000] binary file"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn latin1_file() {
    let out = beside_a_finding("latin1.yaml", b"metadata:\n  name: caf\xe9\n");
    assert!(
        stdout(&out).contains("latin1.yaml:2:12: error[WI000] not UTF-8 text: invalid byte 0xE9"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn utf16_file_with_bom_is_decoded_and_linted() {
    let text = LINKED_KSA.replace(".iam.gserviceaccount.com", "");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let out = beside_a_finding("utf16.yaml", &bytes);
    assert!(
        stdout(&out).contains("utf16.yaml:7:37: error[WI002]"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn bom_and_crlf_are_accepted_with_exact_positions() {
    let text = LINKED_KSA
        .replace(".iam.gserviceaccount.com", "")
        .replace('\n', "\r\n");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(text.as_bytes());
    let out = beside_a_finding("crlf.yaml", &bytes);
    assert!(
        stdout(&out).contains("crlf.yaml:7:37: error[WI002]"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn skip_irrelevant_trades_syntax_errors_of_unread_documents_for_speed() {
    let broken_config_map =
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  key: \"unterminated\n";
    let broken_account =
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: \"unterminated\n";
    let dir = tree(&[
        ("config.yaml", broken_config_map.as_bytes()),
        ("account.yaml", broken_account.as_bytes()),
        ("linked.yaml", LINKED_KSA.as_bytes()),
        ("pod.yaml", HOST_NETWORK_POD.as_bytes()),
    ]);
    let json = |extra: &[&str]| {
        let mut args = vec!["check", ".", "--format", "json"];
        args.extend_from_slice(extra);
        let out = run_in(dir.path(), &args);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let mut found = codes(&out);
        found.sort();
        found
    };
    // By default every document is checked for syntax; with the flag, the ConfigMap (which
    // no rule reads) is not parsed, while the broken ServiceAccount and the findings stay.
    assert_eq!(json(&[]), ["WI000", "WI000", "WI040"]);
    assert_eq!(json(&["--skip-irrelevant"]), ["WI000", "WI040"]);
}

#[test]
fn alias_bomb() {
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let prev = i - 1;
        let alias = format!("*a{prev}");
        let items = [alias.as_str(); 10].join(", ");
        bomb += &format!("a{i}: &a{i} [{items}]\n");
    }
    let out = beside_a_finding("bomb.yaml", bomb.as_bytes());
    assert!(stdout(&out).contains("bomb.yaml:"), "{}", stdout(&out));
    assert!(stdout(&out).contains("error[WI000]"));
}

#[test]
fn deep_nesting() {
    let deep = "[".repeat(100_000) + &"]".repeat(100_000);
    let out = beside_a_finding("deep.yaml", deep.as_bytes());
    assert!(stdout(&out).contains("deep.yaml:1:"), "{}", stdout(&out));
    let block: String = (0..400).map(|i| " ".repeat(i) + "a:\n").collect();
    let out = beside_a_finding("deep-block.yaml", block.as_bytes());
    assert!(
        stdout(&out).contains("deep-block.yaml:"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn multi_megabyte_line() {
    let value = "x".repeat(4 * 1024 * 1024);
    let doc = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: big}}\ndata:\n  blob: {value}\n"
    );
    let out = beside_a_finding("long-line.yaml", doc.as_bytes());
    assert!(!stdout(&out).contains("long-line.yaml"));
}

#[test]
fn large_stream_every_document_is_linted() {
    // 20,000 documents (~4 MB); the last one has a finding.
    let mut stream = String::new();
    for i in 0..20_000 {
        stream += &format!(
            "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\n  namespace: ops\ndata:\n  k: v\n"
        );
    }
    stream += "---\n";
    stream += &LINKED_KSA.replace(".iam.gserviceaccount.com", "");
    let out = beside_a_finding("stream.yaml", stream.as_bytes());
    assert!(
        stdout(&out).contains("stream.yaml:160008:37: error[WI002]"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn file_over_the_size_limit() {
    let dir = tree(&[("big.yaml", CLEAN.as_bytes())]);
    let out = run_in(
        dir.path(),
        &["check", "--format", "concise", "--max-file-size", "10"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("big.yaml:1:1: error[WI000] file is"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn directory_named_like_a_manifest_is_walked() {
    let bad = LINKED_KSA.replace(".iam.gserviceaccount.com", "");
    let dir = tree(&[("x.yaml/inner.yaml", bad.as_bytes())]);
    let out = run_in(dir.path(), &["check", "--format", "concise", "x.yaml"]);
    assert!(
        stdout(&out).contains("inner.yaml:7:37: error[WI002]"),
        "{}",
        stdout(&out)
    );
}

#[cfg(unix)]
#[test]
fn dangling_symlinks_and_loops_are_skipped_with_a_note() {
    let bad = LINKED_KSA.replace(".iam.gserviceaccount.com", "");
    let dir = tree(&[("real/ok.yaml", bad.as_bytes())]);
    std::os::unix::fs::symlink("nowhere.yaml", dir.path().join("real/dangling.yaml"))
        .expect("symlink");
    std::os::unix::fs::symlink("..", dir.path().join("real/loop")).expect("symlink");
    let out = run_in(dir.path(), &["check", "--format", "concise", "real"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains("ok.yaml:7:37: error[WI002]"));
    let err = stderr(&out);
    assert!(err.contains("dangling"), "{err}");
    assert!(err.contains("loop"), "{err}");
}

#[cfg(unix)]
#[test]
fn unreadable_file_exits_two_but_others_are_linted() {
    use std::os::unix::fs::PermissionsExt;
    let bad = LINKED_KSA.replace(".iam.gserviceaccount.com", "");
    let dir = tree(&[
        ("locked.yaml", CLEAN.as_bytes()),
        ("ok.yaml", bad.as_bytes()),
    ]);
    let locked = dir.path().join("locked.yaml");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod");
    if fs::read(&locked).is_ok() {
        // Running as root: permissions do not stop reads, nothing to test here.
        return;
    }
    let out = run_in(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("locked.yaml: permission denied"));
    assert!(stdout(&out).contains("ok.yaml:7:37: error[WI002]"));
}

/// A file that no one can read, root included: reading `/proc/self/mem` from offset 0 fails
/// with EIO.
#[cfg(target_os = "linux")]
#[test]
fn read_error_exits_two_but_others_are_linted_even_as_root() {
    let bad = LINKED_KSA.replace(".iam.gserviceaccount.com", "");
    let dir = tree(&[("ok.yaml", bad.as_bytes())]);
    let out = run_in(
        dir.path(),
        &["check", "--format", "concise", "/proc/self/mem", "ok.yaml"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("/proc/self/mem: Input/output error"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).contains("ok.yaml:7:37: error[WI002]"));
}

/// A full disk (`/dev/full` fails every write with ENOSPC) is an error, exit 2, for the
/// output and for the SARIF file alike.
#[cfg(target_os = "linux")]
#[test]
fn full_disk_is_reported_with_exit_two() {
    let dir = tree(&[("ok.yaml", CLEAN.as_bytes())]);
    for args in [
        &["check", "-o", "/dev/full"][..],
        &["check", "-q", "--sarif-file", "/dev/full"],
    ] {
        let out = run_in(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&out).contains("/dev/full: No space left on device"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn bundled_example_has_real_findings() {
    let out = run_in(&repo(), &["check", "--format", "concise", "examples"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    // WI023 and WI062 are Terraform's: both halves of Workload Identity in one run; WI070
    // and WI072 are the bootstrap script's.
    for code in [
        "WI002", "WI023", "WI035", "WI040", "WI062", "WI070", "WI072",
    ] {
        assert!(
            text.contains(code),
            "{code} missing from the example: {text}"
        );
    }
}

#[test]
fn readme_lists_every_rule() {
    let readme = fs::read_to_string(repo().join("README.md")).expect("README");
    for rule in wilint::registry::RULES {
        let meta = rule.meta();
        assert!(
            readme.contains(&format!("| {} | `{}` |", meta.code, meta.name)),
            "README's rule table lacks {} {}",
            meta.code,
            meta.name
        );
    }
}

#[test]
fn sarif_file_is_written_in_addition_to_the_format() {
    let dir = tree(&[
        ("ksa.yaml", LINKED_KSA.as_bytes()),
        ("pod.yaml", HOST_NETWORK_POD.as_bytes()),
    ]);
    let out = run_in(
        dir.path(),
        &["check", "--format", "concise", "--sarif-file", "out.sarif"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("error[WI040]"));
    let log: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("out.sarif")).expect("sarif"))
            .expect("JSON");
    assert_eq!(log["runs"][0]["results"][0]["ruleId"], "WI040");
    assert_eq!(log["runs"][0]["invocations"][0]["exitCode"], 1);
}

#[test]
fn summary_file_is_appended_to() {
    let dir = tree(&[
        ("ksa.yaml", LINKED_KSA.as_bytes()),
        ("pod.yaml", HOST_NETWORK_POD.as_bytes()),
    ]);
    fs::write(dir.path().join("summary.md"), "# Earlier step\n").expect("write");
    let out = run_in(dir.path(), &["check", "--summary-file", "summary.md"]);
    assert_eq!(out.status.code(), Some(1));
    let summary = fs::read_to_string(dir.path().join("summary.md")).expect("summary");
    assert!(
        summary.starts_with("# Earlier step\n## wilint: 1 error"),
        "{summary}"
    );
    assert!(summary.contains("```mermaid"));
}
