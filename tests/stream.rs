//! Streaming checks each workload as it is parsed and drops its tree, keeping only what the
//! rest of the run needs; it must never change what a run reports. Every corpus is linted with
//! and without it, and the findings (JSON), the summary, suppressions and identity graph
//! (markdown) and the internal errors must be identical.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::print_stderr)] // Tests fail by panicking and may say what they checked.

mod common;

use common::{each_shared_corpus_part, files_under, repo};
use std::sync::Arc;

use wilint::baseline::Baseline;
use wilint::diagnostic::{Diagnostic, Label, Severity};
use wilint::engine::{Input, Options, Report, Streaming, run};
use wilint::registry::{Context, Rule, RuleMeta};

fn lint(inputs: &[Input], stream: bool) -> Report {
    let options = Options {
        stream,
        ..Options::default()
    };
    run(inputs.to_vec(), &options)
}

/// Everything a report shows: findings as JSON, the markdown summary, internal errors.
fn render(report: &Report) -> String {
    let mut json = Vec::new();
    wilint::output::json::write(&mut json, report).expect("json");
    let mut markdown = Vec::new();
    wilint::output::markdown::write(&mut markdown, report).expect("markdown");
    format!(
        "{}\n{}\n{:?}",
        String::from_utf8(json).expect("UTF-8"),
        String::from_utf8(markdown).expect("UTF-8"),
        report.errors
    )
}

/// Lints `inputs` streamed and whole; both must render the same. Returns the streamed report.
fn assert_same(name: &str, inputs: &[Input]) -> Report {
    let streamed = lint(inputs, true);
    let whole = lint(inputs, false);
    assert_eq!(
        whole.streaming,
        Streaming::default(),
        "{name}: --no-stream streamed"
    );
    let (a, b) = (render(&streamed), render(&whole));
    if a != b {
        let first = a
            .lines()
            .zip(b.lines())
            .position(|(x, y)| x != y)
            .unwrap_or(0);
        panic!(
            "{name}: streaming changes the output at line {first}:\n  streamed: {:?}\n  whole:    {:?}",
            a.lines().nth(first),
            b.lines().nth(first)
        );
    }
    streamed
}

fn stdin(name: &str, text: &str) -> Vec<Input> {
    vec![Input::Stdin {
        name: name.to_string(),
        bytes: text.as_bytes().to_vec(),
    }]
}

#[test]
fn repository_fixtures_report_the_same() {
    let mut streaming = Streaming::default();
    for dir in ["testdata", "examples"] {
        let report = assert_same(dir, &files_under(&repo().join(dir)));
        streaming.dropped += report.streaming.dropped;
        streaming.kept += report.streaming.kept;
    }
    // Not vacuous: the fixtures stream workloads. (Linted together they keep none: the WI046
    // fixtures share a namespace, and one allows the metadata server. The workloads kept are
    // in `cross_object_findings_stay`.)
    assert!(streaming.dropped >= 30, "{streaming:?}");
}

const SA: &str = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  namespace: ns\n  annotations:\n    iam.gke.io/gcp-service-account: app@p.iam.gserviceaccount.com\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: other, namespace: ns}\n";

fn deployment(name: &str, ksa: &str, pod_metadata: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}, namespace: ns}}\nspec:\n  template:\n    metadata:\n{pod_metadata}    spec:\n      serviceAccountName: {ksa}\n      containers: [{{name: a, image: a}}]\n"
    )
}

/// The cross-object reads streaming defers or keeps workloads for, each with its finding.
#[test]
fn cross_object_findings_stay() {
    let labels = "      labels: {app: web}\n";
    let policy = |egress: &str| {
        format!(
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: deny, namespace: ns}}\nspec:\n  podSelector:\n    matchLabels: {{app: web}}\n  policyTypes: [Egress]\n{egress}"
        )
    };
    let streaming = |dropped, kept, fell_back| Streaming {
        dropped,
        kept,
        fell_back,
    };
    // Each case: its name, its text, a code it reports (`!` before a code it must not), and how
    // its workloads streamed.
    let cases: Vec<(&str, String, &str, Streaming)> = vec![
        // WI033 asks whether any workload runs as `app`: not yet known while streaming, so the
        // finding is held until every workload has been seen, and the workload is dropped.
        (
            "unused linked KSA",
            format!("{SA}---\n{}", deployment("d", "other", "")),
            "WI033",
            streaming(1, 0, false),
        ),
        // ... and when a later workload runs as `app`, the finding held is dropped.
        (
            "linked KSA used later",
            format!(
                "{SA}---\n{}---\n{}",
                deployment("d", "other", ""),
                deployment("e", "app", "")
            ),
            "!WI033",
            streaming(2, 0, false),
        ),
        // WI046 reads the workloads an egress policy keeps from the metadata server: those are
        // kept (`db` is not selected, and dropped).
        (
            "egress policy",
            format!(
                "{SA}---\n{}---\n{}---\n{}",
                policy(""),
                deployment("web", "app", labels),
                deployment("db", "app", "")
            ),
            "WI046",
            streaming(1, 1, false),
        ),
        // A policy that allows the metadata server blocks nothing: nothing is kept.
        (
            "egress policy allowing the metadata server",
            format!(
                "{SA}---\n{}---\n{}",
                policy("  egress:\n    - to: [{ipBlock: {cidr: 169.254.0.0/16}}]\n"),
                deployment("web", "app", labels)
            ),
            "!WI046",
            streaming(1, 0, false),
        ),
        // A workload without Workload Identity is not WI046's either.
        (
            "egress policy, pods without Workload Identity",
            format!(
                "{SA}---\n{}---\n{}",
                policy(""),
                deployment("web", "other", labels)
            ),
            "!WI046",
            streaming(1, 0, false),
        ),
        // WI060 looks for any annotated KSA, which streaming never drops.
        (
            "cluster without Workload Identity",
            format!(
                "apiVersion: container.cnrm.cloud.google.com/v1beta1\nkind: ContainerCluster\nmetadata: {{name: c, namespace: ns}}\nspec: {{location: europe-west1}}\n---\n{}---\n{SA}",
                deployment("d", "app", "")
            ),
            "WI060",
            streaming(1, 0, false),
        ),
        // An escape spells `istio` where the text has none: the workload sets a run-wide Istio
        // fact, so the run is linted whole.
        (
            "Istio injection behind an escape",
            format!(
                "{SA}---\n{}---\n{}",
                deployment(
                    "d",
                    "app",
                    "      annotations: {\"sidecar.\\x69stio.io/inject\": \"true\"}\n"
                ),
                deployment("e", "app", "")
            ),
            "WI050",
            streaming(0, 0, true),
        ),
    ];
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text, code, expected) in cases {
        let report = assert_same(name, &stdin(&format!("{name}.yaml"), &text));
        assert_eq!(report.streaming, expected, "{name}");
        // The same from a file, a sparse source (its workloads read again from disk, or all at
        // once when the run falls back): as standard input under the file's name, which keeps
        // the whole text.
        let path = dir.path().join(format!("{name}.yaml"));
        std::fs::write(&path, &text).expect("write the case");
        let from_disk = assert_same(name, &[Input::File(path.clone())]);
        assert_eq!(from_disk.streaming, expected, "{name}, from a file");
        let whole_text = lint(&stdin(&path.display().to_string(), &text), true);
        assert_eq!(
            render(&from_disk),
            render(&whole_text),
            "{name}: a sparse source changes the output"
        );
        let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.rule.code).collect();
        match code.strip_prefix('!') {
            Some(absent) => assert!(!codes.contains(&absent), "{name}: {codes:?}"),
            None => assert!(
                codes.contains(&code),
                "{name}: expected {code}, got {codes:?}"
            ),
        }
    }
}

/// A baseline with one entry per fingerprint of a whole run: findings that share one are
/// then matched in input order, one reported.
fn one_per_fingerprint(inputs: &[Input], dir: &std::path::Path) -> Arc<Baseline> {
    let whole = lint(inputs, false);
    let text = wilint::baseline::render(&whole.files, &whole.diagnostics);
    let mut value: serde_json::Value = serde_json::from_str(&text).expect("baseline JSON");
    let mut seen = std::collections::HashSet::new();
    value["findings"]
        .as_array_mut()
        .expect("findings")
        .retain(|f| seen.insert(f["fingerprint"].as_str().unwrap_or("").to_string()));
    let path = dir.join("baseline.json");
    std::fs::write(&path, value.to_string()).expect("write baseline");
    Arc::new(Baseline::load(&path).expect("load baseline"))
}

/// Found in review: the baseline matched findings in the order the phases produced them, and
/// streamed workloads' come first. Two objects with one fingerprint (WI040 on two Deployments
/// named `ns/d`, one kept for WI046 and one dropped; WI000 in a workload and a `ConfigMap`).
#[test]
fn the_baseline_matches_in_input_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = |labels: &str| {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: d, namespace: ns}}\nspec:\n  template:\n    metadata: {{labels: {{{labels}}}}}\n    spec:\n      serviceAccountName: app\n      hostNetwork: true\n      containers: [{{name: a, image: a}}]\n"
        )
    };
    let policy = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: ns}\nspec:\n  podSelector:\n    matchLabels: {app: web}\n  policyTypes: [Egress]\n";
    let cases = [
        format!("{SA}---\n{policy}---\n{}---\n{}", d("app: web"), d("app: db")),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replicas: {{ .Values.n }}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\ndata:\n  a: {{ .Values.a }}\n".to_string(),
    ];
    for (n, text) in cases.iter().enumerate() {
        let inputs = stdin(&format!("baseline-{n}.yaml"), text);
        let baseline = one_per_fingerprint(&inputs, dir.path());
        let with = |stream: bool| {
            let options = Options {
                stream,
                baseline: Some(Arc::clone(&baseline)),
                ..Options::default()
            };
            run(inputs.clone(), &options)
        };
        let (streamed, whole) = (with(true), with(false));
        assert!(
            streamed.streaming.dropped > 0 && (n > 0 || streamed.streaming.kept == 1),
            "case {n}: {:?}",
            streamed.streaming
        );
        assert_eq!(render(&streamed), render(&whole), "case {n}");
        // The first of the two is in the baseline; the second, later in the input, is new.
        let reported: Vec<usize> = streamed
            .diagnostics
            .iter()
            .map(|d| d.primary.span.start)
            .collect();
        assert_eq!(reported.len(), 1, "case {n}: {reported:?}");
        assert!(reported[0] > text.len() / 2, "case {n}: {reported:?}");
    }
}

static UNUSED_KSA_META: RuleMeta = RuleMeta {
    code: "WI998",
    name: "test-only-ksa-without-workloads",
    summary: "A KSA in a namespace without workloads, for tests",
    default_severity: Severity::Note,
    tags: &[],
    enabled_by_default: false,
    docs: "",
};

/// Reads every workload of a namespace from a `ServiceAccount`: what the last phase of a
/// streamed run does not hold.
struct KsaWithoutWorkloads;

impl Rule for KsaWithoutWorkloads {
    fn meta(&self) -> &'static RuleMeta {
        &UNUSED_KSA_META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        if object.kind == "ServiceAccount" && cx.index.workloads_in(&object.namespace).is_empty() {
            let label = Label::new(object.span(object.anchor()), "no workload here");
            out.push(Diagnostic::new(&UNUSED_KSA_META, "no workloads", label));
        }
    }
}

static KSA_WITHOUT_WORKLOADS: KsaWithoutWorkloads = KsaWithoutWorkloads;

/// Found in review: a rule that reads what streaming dropped, at the end, is an internal
/// error (exit code 2), never a silently different finding.
#[test]
fn reading_what_streaming_dropped_is_an_error() {
    let inputs = stdin(
        "dropped.yaml",
        &format!("{SA}---\n{}", deployment("d", "app", "")),
    );
    let options = |stream| Options {
        stream,
        extra_rules: vec![&KSA_WITHOUT_WORKLOADS],
        ..Options::default()
    };
    let streamed = run(inputs.clone(), &options(true));
    let whole = run(inputs, &options(false));
    assert_eq!(streamed.streaming.dropped, 1, "{:?}", streamed.streaming);
    let codes = |r: &Report| {
        r.diagnostics
            .iter()
            .filter(|d| d.rule.code == "WI998")
            .count()
    };
    assert_eq!((codes(&streamed), codes(&whole)), (0, 0));
    assert!(whole.errors.is_empty(), "{:?}", whole.errors);
    assert!(
        streamed
            .errors
            .iter()
            .any(|e| e.message.contains("a streamed run no longer holds")),
        "{:?}",
        streamed.errors
    );
}

/// The real corpora of `../shared/corpus`, when this checkout sits beside them.
#[test]
fn shared_corpora_report_the_same() {
    each_shared_corpus_part(|name, inputs| {
        assert_same(name, inputs);
    });
}
