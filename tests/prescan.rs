//! The pre-scan skips the tree of documents no rule can use; it must never change what a run
//! reports. Every corpus is linted with and without it and the outputs must be identical:
//! findings (JSON), suppressions, document counts and the identity graph (markdown).
//!
//! Two modes are checked against a run that builds every tree: the default (documents no rule
//! reads are still validated) must be byte-identical; `--skip-irrelevant` (documents whose text
//! shows that no rule reads them are not parsed) must be identical except for YAML syntax
//! errors inside exactly those documents, which it does not look for.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::print_stderr)] // Tests fail by panicking and may say what they checked.

mod common;

use std::path::Path;

use common::{each_shared_corpus_part, files_under, repo};
use wilint::engine::{Input, Options, Prescan, Report, run};
use wilint::prescan::{self, Verdict};
use wilint::source;
use wilint::yaml::Limits;

/// The JSON and markdown outputs of a report, and its number of findings.
fn render(report: &Report) -> (String, String, usize) {
    let mut json = Vec::new();
    wilint::output::json::write(&mut json, report).expect("json");
    let mut markdown = Vec::new();
    wilint::output::markdown::write(&mut markdown, report).expect("markdown");
    (
        String::from_utf8(json).expect("UTF-8"),
        String::from_utf8(markdown).expect("UTF-8"),
        report.diagnostics.len(),
    )
}

fn lint(inputs: &[Input], prescan: Prescan) -> Report {
    let options = Options {
        prescan,
        ..Options::default()
    };
    run(inputs.to_vec(), &options)
}

fn outputs(inputs: &[Input], prescan: Prescan) -> (String, String, usize) {
    render(&lint(inputs, prescan))
}

/// Whether a finding is a syntax error (or an unrendered template) inside a document
/// `--skip-irrelevant` leaves unparsed.
fn in_unparsed_document(report: &Report, diagnostic: &wilint::diagnostic::Diagnostic) -> bool {
    let parse_failure = diagnostic.message.starts_with("invalid YAML")
        || diagnostic
            .message
            .starts_with("unrendered Helm/Go template");
    if diagnostic.rule.code != "WI000" || !parse_failure {
        return false;
    }
    let span = diagnostic.primary.span;
    let text = &report.files.get(span.file).text;
    source::split_documents(text)
        .iter()
        .find(|d| d.start <= span.start && span.start <= d.end)
        .is_some_and(|d| {
            prescan::classify(&text[d.start..d.end], Limits::default(), true) == Verdict::Unparsed
        })
}

/// The run in `mode` renders exactly as `expected` (findings in JSON, summary in markdown).
fn assert_renders_as(name: &str, mode: Prescan, inputs: &[Input], expected: &Report) {
    let (expected_json, expected_markdown, _) = render(expected);
    let (json, markdown, _) = outputs(inputs, mode);
    assert!(
        expected_json == json,
        "{name}: {mode:?} changed the findings"
    );
    assert!(
        expected_markdown == markdown,
        "{name}: {mode:?} changed the summary"
    );
}

fn assert_same(name: &str, inputs: &[Input]) {
    let mut full = lint(inputs, Prescan::Off);
    let findings = full.diagnostics.len();
    assert_renders_as(name, Prescan::On, inputs, &full);
    // --skip-irrelevant: the same, without syntax errors in documents it does not parse.
    let kept: Vec<_> = std::mem::take(&mut full.diagnostics)
        .into_iter()
        .filter(|d| !in_unparsed_document(&full, d))
        .collect();
    full.diagnostics = kept;
    let unparsed_errors = findings - full.diagnostics.len();
    assert_renders_as(name, Prescan::SkipIrrelevant, inputs, &full);
    eprintln!(
        "{name}: {} inputs, {findings} findings, identical ({unparsed_errors} syntax errors in unparsed documents left out by --skip-irrelevant)",
        inputs.len()
    );
}

#[test]
fn repository_fixtures_report_the_same() {
    for dir in ["testdata", "examples"] {
        assert_same(dir, &files_under(&repo().join(dir)));
    }
}

/// Documents that look skippable but hold something a rule or the loader reports: each must be
/// parsed, so that the findings stay the same.
#[test]
fn escalations_keep_their_findings() {
    let cases = [
        // WI010 on a kind no other rule reads.
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels:\n    enabled: true\n",
        // WI000: syntax error, duplicate key, alias bomb, unrendered template, deep nesting.
        "apiVersion: v1\nkind: ConfigMap\ndata: [unclosed\n",
        "apiVersion: v1\nkind: Secret\ndata:\n  a: eA==\n  a: eQ==\n",
        "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n  f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n",
        // A suppression comment and annotation on an otherwise irrelevant document.
        "# wilint: ignore-file\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    wilint.dev/ignore: \"WI040 not here\"\n",
        // A pod template under an unknown kind, and an annotation on the wrong object.
        "apiVersion: example.com/v1\nkind: Runner\nmetadata: {name: r, namespace: ns}\nspec:\n  template:\n    spec:\n      serviceAccountName: runner\n      hostNetwork: true\n      containers: [{name: a, image: a}]\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: runner\n  namespace: ns\n  annotations:\n    iam.gke.io/gcp-service-account: r@p.iam.gserviceaccount.com\n",
        // Keys equal once resolved (`1` and `01`): a duplicate the loader reports.
        "apiVersion: v1\nkind: ConfigMap\ndata: {1: a, 01: b}\n",
        // The real kind is quoted and a column-0 `kind:` continues a quoted scalar: the
        // ServiceAccount must stay visible to the Deployment (no WI036).
        "apiVersion: v1\n\"kind\": ServiceAccount\nmetadata: {name: app, namespace: ns}\nx: \"\nkind: ConfigMap\n\"\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: ns}\nspec:\n  template:\n    spec:\n      serviceAccountName: app\n      hostNetwork: true\n      containers: [{name: a, image: a}]\n",
        // Found in review of --skip-irrelevant, each a finding the text checks must not lose:
        // a root value continued on the next line (the kind is really "Config List"),
        "apiVersion: v1\nkind: Config\n  List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: a\n      labels:\n        enabled: true\n",
        // a flow mapping root that starts indented (it is really a Deployment),
        " {x: {\napiVersion: v1\n  ,\nkind: ConfigMap\n  }, apiVersion: apps/v1, kind: Deployment, metadata: {name: web, labels: {enabled: true}}, spec: {template: {spec: {containers: [{name: c, image: i}]}}}}\n",
        // a lone carriage return as a line break, a tab before a comment,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\r  labels:\r    enabled: true\n",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels:\n    enabled: true\t# tab before '#'\n",
        // a ContainerCluster of another API group, which rules match by kind (WI028),
        "apiVersion: example.com/v1\nkind: ContainerCluster\nmetadata: {name: c}\nspec:\n  workloadIdentityConfig:\n    workloadPool: proj-b.svc.id.goog\n---\napiVersion: iam.cnrm.cloud.google.com/v1beta1\nkind: IAMPolicyMember\nmetadata: {name: m, namespace: ns}\nspec:\n  member: serviceAccount:proj-a.svc.id.goog[ns/app]\n  role: roles/iam.workloadIdentityUser\n  resourceRef: {kind: IAMServiceAccount, external: app@proj-a.iam.gserviceaccount.com}\n",
        // and a suppression of WI000 that must stay used.
        "# wilint: ignore-file WI000 -- vendored, broken upstream\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a, namespace: ns}\n---\napiVersion: v1\nkind: ConfigMap\ndata: [unclosed\n",
        // A ConfigMap imported by a WI pod (WI045 follows envFrom).
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: env, namespace: ns}\ndata:\n  GOOGLE_APPLICATION_CREDENTIALS: /k.json\n",
        // The same variable through an `envFrom` prefix: the ConfigMap holds only the rest of
        // its name.
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  namespace: ns\n  annotations:\n    iam.gke.io/gcp-service-account: app@p.iam.gserviceaccount.com\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app, namespace: ns}\nspec:\n  template:\n    spec:\n      serviceAccountName: app\n      containers:\n      - name: app\n        image: app\n        envFrom:\n        - prefix: GOOGLE_\n          configMapRef: {name: env}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: env\n  namespace: ns\ndata:\n  APPLICATION_CREDENTIALS: /k.json\n",
        // Found in review: a prefix that cuts into `CREDENTIALS` leaves a key without the
        // needle; WI045 does not follow such a prefix.
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  namespace: ns\n  annotations:\n    iam.gke.io/gcp-service-account: app@my-project.iam.gserviceaccount.com\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app, namespace: ns}\nspec:\n  template:\n    spec:\n      serviceAccountName: app\n      containers:\n      - name: app\n        image: app\n        envFrom:\n        - prefix: GOOGLE_APPLICATION_CREDENTIAL\n          secretRef: {name: env}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: env, namespace: ns}\nstringData:\n  S: /k.json\n",
    ];
    let deep = format!(
        "apiVersion: v1\nkind: ConfigMap\ndata: {}{}\n",
        "[".repeat(300),
        "]".repeat(300)
    );
    let mut total = 0;
    for (n, text) in cases.iter().copied().chain([deep.as_str()]).enumerate() {
        let inputs = [Input::Stdin {
            name: format!("case-{n}.yaml"),
            bytes: text.as_bytes().to_vec(),
        }];
        let (_, _, findings) = outputs(&inputs, Prescan::Off);
        total += findings;
        assert_same(&format!("case {n}"), &inputs);
    }
    // The cases are not vacuous: most of them report something.
    assert!(total >= 7, "only {total} findings in the escalation cases");
}

/// The real corpora of `../shared/corpus` (public manifests, Helm output, a large sample),
/// when this checkout sits beside them.
#[test]
fn shared_corpora_report_the_same() {
    each_shared_corpus_part(assert_same);
}

/// Every document of `dir` (recursively) that the line reader settles, as (documents, bytes);
/// panics on a document it validates and the event walk does not.
fn line_reader_settles(dir: &Path) -> (usize, usize) {
    let (mut documents, mut bytes) = (0, 0);
    for input in files_under(dir) {
        let Input::File(path) = input else { continue };
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue; // Binary and non-UTF-8 files: never given to the pre-scan as such.
        };
        for range in source::split_documents(&text) {
            let doc = &text[range.start..range.end];
            let (agrees, settled) = prescan::line_reader_agrees(doc, Limits::default());
            assert!(
                agrees,
                "{}: the line reader validates the document at byte {} and the event walk does not",
                path.display(),
                range.start
            );
            if settled {
                documents += 1;
                bytes += doc.len();
            }
        }
    }
    (documents, bytes)
}

/// The line reader that validates the plain block style without the event walk may leave any
/// document to the walk, but must never validate one the walk would not: on hand-written
/// edge cases, the repository's fixtures and the shared corpora.
#[test]
fn line_reader_validates_only_what_the_event_walk_validates() {
    let header = "apiVersion: v1\nkind: ConfigMap\n";
    let cases = [
        "data:\n  a: b\n    c: d\n",
        "data:\n  a: |\n      x\n    y\n",
        "data:\n  a: |\n    x\n  # trailing comment\nb: c\n",
        "data:\n  a: |\n  \n    x\n",
        "data:\n  a: |\n      \n    x\n",
        "data:\n  a: 'x\ny'\n",
        "data:\n  a: 'x\n  y'\n",
        "data:\n  a: \"x\n   y\"\n",
        "data:\n  a: plain\n   continued\n  b: c\n",
        "data:\n  a: plain\n   - not an item\n",
        "data:\n  a: plain\n  # comment\n   more\n",
        // Found by the line_reader fuzz target: text continued after a comment.
        "data:\n  a: plain # comment\n   more\n",
        "list:\n  - plain # comment\n     more\n",
        "list:\n- a\n- b: c\n  d: e\n-\n  f: g\n",
        "list:\n- a: x\n  b:\n  - y\n  c: z\n",
        "list:\n  - |\n    text\n  - 'q'\n  - \"q\"\n",
        "list:\n- 'a'\n - b\n",
        "data:\n  a: x # comment\n  b: 'y' # comment\n  c: 'z'# not a comment\n",
        "data:\n  \"a\": 1\n  a: 2\n",
        "data:\n  a: 1\n  'a': 2\n",
        "data:\n  a: x:y\n  b: x: y\n",
        "data:\n  a: []\n  b: {}\n  c: [ ]\n",
        "data:\n  a: >-\n    x\n\n    y\n  b: |+\n    z\n\n",
        "metadata:\n  name: a\n  labels:\n    a: \"1\"\n    b: '2'\n    c: |\n      3\n",
        "metadata:\n  labels:\n    a: 1\n",
        "metadata:\n  annotations:\n    a: null\n",
        "data:\r\n  a: b\r\n  c: |\r\n    d\r\n",
        "data:\n  a: b\u{2028}c\n",
        "data:\n  a: caf\u{e9}\n",
        "data:\n  a: x\n...\n",
        "data:\n  a: x\n---\n",
        // Explicit indentation indicators, counted from the mapping's column.
        "data:\n  a: |2-\n      x\n    y\n",
        "data:\n  a: |2\n   x\n",
        "data:\n  a: |2\n  x\n",
        "data:\n  a: |1\n   x\n  b: c\n",
        "data:\n  a: |3\n    x\n",
        "data:\n  a: |2\n        \n    x\n",
        "data:\n  a: >-2\n    x\n\n   y\n",
        "list:\n- a: |2\n    x\n  b: c\n",
        "list:\n  - a: |1\n     x\n    b: |9\n              y\n",
        "a: |1\n x\n  y\nb: |+2\n  z\n",
        // Escapes in double quotes.
        "data:\n  a: \"x\\ny \\\"q\\\" \\u003c \\x20 \\U0001F600 \\t\\\\\\/\\_\\N\\L\\P\\0\\e\"\n",
        "data:\n  a: \"x\\\"\n  y\"\n",
        "data:\n  a: \"x \\\"\n  b: c\n",
        "data:\n  a: \"\\\\\"\n  b: c\n",
        "data:\n  a: \"\\ \\\t\"\n",
        "data:\n  a: \"\\uDFFF\"\n",
        "data:\n  a: \"\\x7\"\n",
        "data:\n  a: \"\\u12345\"\n",
        "data:\n  a: \"caf\\u00e9\" # \\ comment\n",
    ];
    for case in cases {
        let doc = format!("{header}{case}");
        let (agrees, _) = prescan::line_reader_agrees(&doc, Limits::default());
        assert!(
            agrees,
            "the line reader validates {doc:?}, the event walk does not"
        );
    }
    let (documents, bytes) = ["testdata", "examples"]
        .iter()
        .map(|dir| line_reader_settles(&repo().join(dir)))
        .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    // Not vacuous: the fixtures hold plain ConfigMaps, CRDs and RBAC the reader settles.
    assert!(
        documents >= 20,
        "the line reader settled only {documents} fixture documents"
    );
    eprintln!("fixtures: the line reader settled {documents} documents, {bytes} bytes");
    let corpus = repo().join("../shared/corpus");
    if corpus.is_dir() {
        let (documents, bytes) = line_reader_settles(&corpus);
        eprintln!("corpus: the line reader settled {documents} documents, {bytes} bytes");
    }
}
