//! The pre-scan: decides, before building a document's tree, whether any rule could use it.
//!
//! Most bytes of a real repository are documents no Workload Identity rule looks at: big
//! `CustomResourceDefinition`s, `ConfigMap`s and `Secret`s with large payloads, RBAC, Services.
//! By default those documents are only *validated*, which still finds every syntax error: first
//! by a line reader for the plain block style most of them are written in (see `block_style`,
//! about nine times faster than the event parser), and when it is unsure by the event parser (no
//! tree, no allocation per node, but about as slow as building wilint's tree). With
//! `--skip-irrelevant`, the documents whose text alone shows that no rule reads them are not
//! parsed at all (see [`text`]), which no longer reports their syntax errors.
//!
//! The pre-scan must never change a finding, so it is conservative: a document gets its full
//! tree whenever there is any doubt — a kind some rule reads, a word some rule or suppression
//! looks for, or anything in the event stream that the tree loader or a rule that applies to
//! every kind could report (a syntax error, a duplicate key, an alias, a tag, a collection
//! used as a key, excessive nesting, a non-string label or annotation value, a pod template).
//! `tests/prescan.rs` proves that runs with and without the pre-scan report the same (and
//! with `--skip-irrelevant`, the same but for syntax errors in the documents it skips).

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;
use saphyr_parser::{Event, Parser, ScalarStyle};

use crate::yaml::Limits;

mod block_style;
pub mod text;

/// Words that make any document interesting: Workload Identity annotations, members and
/// e-mails, suppressions, Istio configuration, credentials in `ConfigMap`s and `Secret`s. One
/// pass of a literal alternation (SIMD-accelerated by `regex`). An unrendered template's `{{`
/// is not one: it matters only when it makes the document invalid, which validation finds, so
/// the dashboards and alert templates of `ConfigMap`s need no tree for it.
static NEEDLES: LazyLock<Regex> = LazyLock::new(|| {
    let words = [
        "wilint",
        r"iam\.gke\.io",
        "gserviceaccount",
        r"svc\.id\.goog",
        // Not the whole `GOOGLE_APPLICATION_CREDENTIALS`: through an `envFrom` prefix such as
        // `GOOGLE_`, a ConfigMap's key holds only the rest of the name (WI045).
        "CREDENTIALS",
        "external_account",
        "istio",
    ];
    Regex::new(&words.join("|")).unwrap_or_else(|e| unreachable!("a valid pattern: {e}"))
});

/// Kinds that rules read, whatever their content. Some rules match the last three by kind
/// alone, whatever the API group.
const RELEVANT_KINDS: &[&str] = &[
    "ServiceAccount",
    "Namespace",
    "NetworkPolicy",
    "Pod",
    "PodTemplate",
    "ReplicationController",
    "Deployment",
    "ReplicaSet",
    "StatefulSet",
    "DaemonSet",
    "Job",
    "CronJob",
    "ScaledJob",
    "ContainerCluster",
    "ContainerNodePool",
    "IstioOperator",
];

/// API groups whose every kind some rule reads: Config Connector, Istio, KEDA.
const RELEVANT_GROUPS: &[&str] = &["cnrm.cloud.google.com", "istio.io", "keda.sh"];

/// Whether a streamed run may stream the document (`crate::engine`): by its column-0
/// `apiVersion` and `kind`, a workload whose objects only add pod templates to the index (see
/// [`crate::index::is_streamed_kind`]), without `istio` (pod annotations and a `DaemonSet`'s
/// name set run-wide Istio facts). The engine checks each object it builds again, so this only
/// has to be right in practice, not always.
pub fn streamable_workload(doc: &str) -> bool {
    top_level_type(doc).is_some_and(|(api_version, kind)| {
        crate::index::is_streamed_kind(crate::model::api_group_of(api_version), kind)
            && memchr::memmem::find(doc.as_bytes(), b"istio").is_none()
    })
}

/// Whether a file's text may hold suppression comments, which are read from the text.
pub fn mentions_wilint(text: &str) -> bool {
    text.contains("wilint")
}

/// How much of the parser a document gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// A rule may read it: the full tree.
    Tree,
    /// No rule reads it, and the line reader or the event parser confirmed that it is valid
    /// YAML.
    Validated,
    /// No rule reads it, which its text alone shows: not parsed at all, so a syntax error in
    /// it is not reported. Only with `skip_irrelevant` (`--skip-irrelevant`).
    Unparsed,
}

/// What the pre-scan does with one document. By default every document is at least validated
/// (WI000 covers them all); `skip_irrelevant` does not parse the documents whose text alone
/// shows that no rule reads them.
pub fn classify(doc: &str, limits: Limits, skip_irrelevant: bool) -> Verdict {
    let has_needle = NEEDLES.is_match(doc);
    let Some((api_version, kind)) = top_level_type(doc) else {
        return Verdict::Tree; // JSON, flow style, indented roots, lists: let the loader decide.
    };
    let group = crate::model::api_group_of(api_version);
    if RELEVANT_KINDS.contains(&kind)
        || kind.ends_with("List")
        || RELEVANT_GROUPS.iter().any(|g| group.ends_with(g))
    {
        return Verdict::Tree;
    }
    // In a kind no rule reads, a needle matters only in the metadata (annotations are read on
    // every kind), and `wilint` anywhere; ConfigMaps and Secrets are read whole (WI045's
    // credentials, Istio's mesh settings).
    let read_whole = group.is_empty() && matches!(kind, "ConfigMap" | "Secret");
    if has_needle && (read_whole || !text::needles_only_outside_metadata(doc, &NEEDLES)) {
        return Verdict::Tree;
    }
    if skip_irrelevant && text::plainly_irrelevant(doc) {
        return Verdict::Unparsed;
    }
    // The line reader settles the common block style about nine times faster than the event
    // walk; whatever it does not fully understand goes to the event walk.
    if line_reader_validates(doc, (api_version, kind), limits, has_needle)
        || validates_as_irrelevant(doc, limits, (api_version, kind))
    {
        Verdict::Validated
    } else {
        Verdict::Tree
    }
}

/// For tests and fuzzing: whether the line reader agrees with the event walk on `doc`. It may
/// always leave a document to the event walk; when it validates one, the walk must too. Also
/// says whether the line reader settled it.
#[doc(hidden)]
pub fn line_reader_agrees(doc: &str, limits: Limits) -> (bool, bool) {
    let Some(expected) = top_level_type(doc) else {
        return (true, false);
    };
    let settled = line_reader_validates(doc, expected, limits, NEEDLES.is_match(doc));
    (
        !settled || validates_as_irrelevant(doc, limits, expected),
        settled,
    )
}

/// The line reader's answer, as [`classify`] asks for it: a document with a needle must not
/// hold one in a double-quoted scalar.
fn line_reader_validates(
    doc: &str,
    expected: (&str, &str),
    limits: Limits,
    has_needle: bool,
) -> bool {
    let needles = has_needle.then_some(&*NEEDLES);
    block_style::validates(doc, expected, limits.max_depth, needles)
}

/// Whether the document `doc` needs its full tree (by default). `false` means: the document is
/// valid YAML that no rule and no suppression can use.
pub fn needs_tree(doc: &str, limits: Limits) -> bool {
    classify(doc, limits, false) == Verdict::Tree
}

/// The `apiVersion` and `kind` of a block-style document, read from its column-0 lines. A
/// column-0 line is always a key of the root mapping (block scalars and continuation lines
/// are indented), so this is exact when it answers; it gives up on anything unusual.
fn top_level_type(doc: &str) -> Option<(&str, &str)> {
    Some((
        column_0_value(doc, "apiVersion:")?,
        column_0_value(doc, "kind:")?,
    ))
}

/// The value of the one column-0 line that starts with `key`; `None` if there is none, more
/// than one (a duplicate key: the loader reports it) or its value is not simple. The lines are
/// found with a SIMD substring search, not a walk over every line.
fn column_0_value<'d>(doc: &'d str, key: &str) -> Option<&'d str> {
    let bytes = doc.as_bytes();
    let needle = format!("\n{key}");
    let after_break = memchr::memmem::find_iter(bytes, needle.as_bytes()).map(|at| at + 1);
    let mut starts = doc
        .starts_with(key)
        .then_some(0)
        .into_iter()
        .chain(after_break);
    let start = starts.next()?;
    if starts.next().is_some() {
        return None;
    }
    let end = memchr::memchr(b'\n', &bytes[start..]).map_or(doc.len(), |at| start + at);
    let line = &doc[start + key.len()..end];
    plain_value(line.strip_suffix('\r').unwrap_or(line))
}

/// A simple scalar value after `key:`, unquoted and without a comment; `None` for anything
/// else (flow collections, anchors, tags, block scalars, empty values).
fn plain_value(rest: &str) -> Option<&str> {
    let value = match rest.find(" #") {
        Some(at) => &rest[..at],
        None => rest,
    }
    .trim();
    let value = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(value);
    let simple = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '/' | '-' | '_'));
    simple.then_some(value)
}

/// Where the walker is, for the paths that matter.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Root,
    Metadata,
    /// `metadata.labels` or `metadata.annotations`: values must be strings.
    StringMap,
    Spec,
    Other,
}

struct Frame<'input> {
    place: Place,
    /// `None` for a sequence.
    mapping: Option<MappingState<'input>>,
}

struct MappingState<'input> {
    keys: HashSet<Cow<'input, str>>,
    /// The key whose value comes next, once a key has been read.
    pending_key: Option<Cow<'input, str>>,
}

/// Walks the events of `doc` and answers `true` only if nothing in it needs the tree.
/// `expected` is what [`top_level_type`] read from the text: the walk confirms it, since a
/// column-0 line can also continue a multi-line quoted scalar or sit in a flow mapping.
fn validates_as_irrelevant(doc: &str, limits: Limits, expected: (&str, &str)) -> bool {
    let mut stack: Vec<Frame<'_>> = Vec::new();
    let mut documents = 0;
    let mut confirmed = (false, false);
    for event in Parser::new_from_str(doc) {
        let Ok((event, _)) = event else {
            return false; // A syntax error: the loader reports it, with its position.
        };
        match event {
            Event::Alias(_) => return false,
            Event::Scalar(value, style, _, tag) => {
                if tag.is_some() || stack.is_empty() {
                    return false; // A tag, or a scalar document.
                }
                // Escapes can spell a needle that the raw text does not contain.
                if style == ScalarStyle::DoubleQuoted && NEEDLES.is_match(&value) {
                    return false;
                }
                if let Some(Frame {
                    place,
                    mapping: Some(mapping),
                }) = stack.last_mut()
                {
                    match mapping.pending_key.take() {
                        None => {
                            // Keys compare by resolved value (`1` and `01` are the same key):
                            // only certain strings are compared here.
                            if !is_plain_string(&value, style)
                                || !mapping.keys.insert(value.clone())
                            {
                                return false; // A possible duplicate key.
                            }
                            mapping.pending_key = Some(value);
                        }
                        Some(key) => {
                            if *place == Place::StringMap && !is_plain_string(&value, style) {
                                return false; // A non-string label or annotation value.
                            }
                            if *place == Place::Root {
                                match key.as_ref() {
                                    "apiVersion" => confirmed.0 = value == expected.0,
                                    "kind" => confirmed.1 = value == expected.1,
                                    _ => {}
                                }
                            }
                        }
                    }
                }
            }
            Event::MappingStart(_, ref tag) | Event::SequenceStart(_, ref tag) => {
                if tag.is_some() || stack.len() >= limits.max_depth {
                    return false;
                }
                let is_mapping = matches!(event, Event::MappingStart(..));
                let place = match stack.last_mut() {
                    None if is_mapping => Place::Root,
                    None => return false, // A sequence document.
                    Some(Frame {
                        place,
                        mapping: Some(mapping),
                    }) => {
                        let Some(key) = mapping.pending_key.take() else {
                            return false; // A collection used as a key.
                        };
                        match (*place, key.as_ref()) {
                            (Place::Root, "metadata") => Place::Metadata,
                            (Place::Root, "spec") => Place::Spec,
                            (Place::Root | Place::Spec, "template") => {
                                return false; // A pod template may be inside.
                            }
                            (Place::Metadata, "labels" | "annotations") => Place::StringMap,
                            (Place::StringMap, _) => return false, // Not a string.
                            _ => Place::Other,
                        }
                    }
                    Some(_) => Place::Other,
                };
                stack.push(Frame {
                    place,
                    mapping: is_mapping.then(|| MappingState {
                        keys: HashSet::new(),
                        pending_key: None,
                    }),
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
            }
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return false; // A second document the splitter did not see.
                }
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
        }
    }
    // The root's own `apiVersion` and `kind` must be what the text scan read.
    confirmed == (true, true)
}

/// Whether a scalar is certainly a string: quoted or block scalars always are; plain ones
/// unless they could resolve to null, a boolean (YAML 1.1's too, which WI010 reports) or a
/// number.
fn is_plain_string(value: &str, style: ScalarStyle) -> bool {
    if style != ScalarStyle::Plain {
        return true;
    }
    let first = value.chars().next();
    // Resolved as the tree resolves it, so that the versions Helm charts put in labels
    // (`app.kubernetes.io/version: 1.0.0`) do not cost a document its validation.
    let maybe_number = first.is_some_and(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '.'))
        && !matches!(
            saphyr::Scalar::parse_from_cow(Cow::Borrowed(value)),
            saphyr::Scalar::String(_)
        );
    // Without allocating: this runs for every key of every validated document.
    let maybe_keyword = value.len() <= 5
        && [
            "", "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n",
        ]
        .iter()
        .any(|keyword| value.eq_ignore_ascii_case(keyword));
    !maybe_number && !maybe_keyword
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needs(doc: &str) -> bool {
        needs_tree(doc, Limits::default())
    }

    #[test]
    fn skips_plain_config_maps_and_crds() {
        assert!(!needs(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels:\n    app: web\ndata:\n  x: |\n    kind: Pod\n"
        ));
        assert!(!needs(
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: a\nspec:\n  versions:\n    - name: v1\n      schema: {openAPIV3Schema: {type: object}}\n"
        ));
    }

    #[test]
    fn plain_scalars_are_strings_as_the_tree_resolves_them() {
        for string in [
            "1.0.0",
            "v1.2",
            "1.2.3-rc.1",
            "-",
            "1_000",
            "0x",
            "web",
            "10.0.0.0/8",
        ] {
            assert!(is_plain_string(string, ScalarStyle::Plain), "{string}");
        }
        for other in [
            "1", "+1", "-1", "0x1F", "0o17", "1.5", ".5", "1e3", ".inf", "-.Inf", ".nan", "", "~",
            "null", "true", "False", "yes", "on", "N",
        ] {
            assert!(!is_plain_string(other, ScalarStyle::Plain), "{other}");
        }
        assert!(is_plain_string("1.5", ScalarStyle::DoubleQuoted));
        // A version label no longer costs a chart's CRD its validation.
        assert!(!needs(
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: a\n  labels:\n    app.kubernetes.io/version: 1.0.0\nspec: {}\n"
        ));
        assert!(needs(
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: a\n  labels:\n    app.kubernetes.io/version: 1.0\nspec: {}\n"
        ));
    }

    #[test]
    fn needles_outside_the_metadata_of_unread_kinds_need_no_tree() {
        let crd = |metadata: &str, description: &str| {
            format!(
                "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: a\n{metadata}spec:\n  description: {description}\n"
            )
        };
        assert!(!needs(&crd(
            "",
            "set iam.gke.io/gcp-service-account on the KSA"
        )));
        assert!(!needs(&crd("", "a {{ template }} inside a string")));
        assert!(needs(&crd(
            "  annotations:\n    iam.gke.io/gcp-service-account: a@p.iam.gserviceaccount.com\n",
            "x"
        )));
        assert!(needs(&crd("", "wilint")));
        // ConfigMaps and Secrets are read whole.
        assert!(needs(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  k: istio\n"
        ));
    }

    #[test]
    fn parses_relevant_kinds_and_groups() {
        assert!(needs(
            "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a}\n"
        ));
        assert!(needs("apiVersion: apps/v1\nkind: Deployment\n"));
        assert!(needs(
            "apiVersion: iam.cnrm.cloud.google.com/v1beta1\nkind: IAMPolicy\n"
        ));
        assert!(needs("apiVersion: v1\nkind: List\nitems: []\n"));
    }

    #[test]
    fn parses_on_needles() {
        assert!(needs(
            "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: x@p.iam.gserviceaccount.com\n"
        ));
        assert!(needs(
            "apiVersion: v1\nkind: ConfigMap\n# wilint: ignore WI010 because\n"
        ));
        // An unrendered template matters only where it makes the document invalid.
        assert!(needs(
            "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: {{ .Values.x }}\n"
        ));
        assert!(!needs(
            "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: |\n    {{ .Values.x }}\n  b: \"{{ y }}\"\n"
        ));
    }

    #[test]
    fn parses_whatever_a_rule_or_the_loader_could_report() {
        let config_map = |rest: &str| format!("apiVersion: v1\nkind: ConfigMap\n{rest}");
        for rest in [
            "metadata:\n  labels:\n    enabled: true\n",
            "metadata:\n  annotations:\n    replicas: 3\n",
            "metadata:\n  annotations:\n    empty:\n",
            "metadata:\n  labels: {a: {b: c}}\n",
            "data:\n  a: 1\n  a: 2\n",
            "data: &x {a: 1}\nbinaryData: *x\n",
            "data: !!map {a: 1}\n",
            "data:\n  ? [a]\n  : b\n",
            "data: [unclosed\n",
            "spec:\n  template:\n    spec:\n      containers: []\n",
        ] {
            assert!(needs(&config_map(rest)), "{rest}");
        }
        assert!(!needs(&config_map(
            "metadata:\n  labels:\n    enabled: \"true\"\n"
        )));
    }

    #[test]
    fn keys_that_may_resolve_alike_go_to_the_loader() {
        assert!(needs(
            "apiVersion: v1\nkind: ConfigMap\ndata: {1: a, 01: b}\n"
        ));
        assert!(needs(
            "apiVersion: v1\nkind: ConfigMap\ndata: {true: a, True: b}\n"
        ));
        // Many distinct string keys are fine (and hashed, not compared pairwise).
        let mut big = String::from("apiVersion: v1\nkind: ConfigMap\ndata:\n");
        for i in 0..2000 {
            big.push_str(&format!("  key{i}: v\n"));
        }
        assert!(!needs(&big));
    }

    #[test]
    fn the_walk_confirms_the_type_lines() {
        // The real kind is quoted; a column-0 `kind:` continues a quoted scalar.
        let hidden = "apiVersion: v1\n\"kind\": ServiceAccount\nmetadata: {name: app}\nx: \"\nkind: ConfigMap\n\"\n";
        assert!(needs(hidden));
        // An escape spells a needle the raw text lacks.
        assert!(needs(
            "apiVersion: v1\nkind: Secret\nstringData:\n  \"GOOGLE_APPLICATION\\x5FCREDENTIALS\": x\n"
        ));
    }

    #[test]
    fn gives_up_on_unusual_type_lines() {
        assert!(needs("{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\"}"));
        assert!(needs("apiVersion: v1\nkind: ConfigMap\nkind: Secret\n"));
        assert!(needs("apiVersion: v1\nkind: &k ConfigMap\n"));
    }

    #[test]
    fn deep_nesting_goes_to_the_loader() {
        let deep = format!(
            "apiVersion: v1\nkind: ConfigMap\ndata: {}{}\n",
            "[".repeat(300),
            "]".repeat(300)
        );
        assert!(needs(&deep));
    }
}
