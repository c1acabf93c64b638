//! YAML loading with spans (saphyr-parser events into wilint's own tree, `crate::tree`),
//! resource limits, and helpers that read a node tree without losing the span of what they
//! return.

use std::borrow::Cow;

use saphyr::Scalar;
use saphyr_parser::{Parser, ScanError};

use crate::kubectl_yaml;
pub use crate::tree::Limits;
use crate::tree::{Builder, Data};

/// A node of a parsed document.
pub type Node<'a> = crate::tree::Node<'a>;

/// Why a document could not be loaded, with the character index (into the document text) where
/// loading stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadFailure {
    pub char_index: usize,
    pub message: String,
}

impl LoadFailure {
    fn from_scan(error: &ScanError) -> Self {
        LoadFailure {
            char_index: error.marker().index(),
            message: error.info().to_string(),
        }
    }
}

/// Loads every YAML document in `text` (normally exactly one: streams are split beforehand).
/// The tree builder enforces the limits and rejects collections used as keys as it goes.
pub fn load(text: &str, limits: Limits) -> Result<Vec<Node<'_>>, LoadFailure> {
    // What saphyr refuses and kubectl applies is read as kubectl does.
    load_exact(text, limits).or_else(|failure| load_as_kubectl(text, limits, failure))
}

/// The trees of a text saphyr refused (`failure`), parsed again from a copy whose lines at
/// fault are indented as go-yaml does not require (see [`kubectl_yaml`]), with the positions
/// of the original; `failure` when that is not the reason or does not help.
fn load_as_kubectl(
    text: &str,
    limits: Limits,
    failure: LoadFailure,
) -> Result<Vec<Node<'static>>, LoadFailure> {
    let mut copy = kubectl_yaml::Copy::new(text);
    let mut error = failure.clone();
    for _ in 0..kubectl_yaml::MAX_REPAIRS {
        if !copy.repair(&error.message, error.char_index) {
            break;
        }
        match load_exact(&copy.text, limits) {
            Ok(nodes) => {
                let original = |i: usize| copy.original_position(i);
                return Ok(nodes
                    .into_iter()
                    .map(|n| n.into_owned_at(&original))
                    .collect());
            }
            // Past the indentation go-yaml ignores, another error is the document's real one
            // (kubectl refuses it too): report it, where it is in the original.
            Err(next) if !kubectl_yaml::is_repairable(&next.message) => {
                return Err(LoadFailure {
                    char_index: copy.original_position(next.char_index),
                    message: next.message,
                });
            }
            Err(next) => error = next,
        }
    }
    Err(failure)
}

/// [`load`] as saphyr reads the text.
fn load_exact(text: &str, limits: Limits) -> Result<Vec<Node<'_>>, LoadFailure> {
    let mut builder = Builder::new(limits, text);
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| LoadFailure::from_scan(&e))?;
        builder.on_event(event, span.start.index(), span.end.index());
        if let Some(error) = builder.error.take() {
            return Err(LoadFailure {
                char_index: error.char_index,
                message: error.message.into_owned(),
            });
        }
    }
    Ok(builder.documents)
}

// ---------------------------------------------------------------------------------------------
// Reading helpers. They look through YAML tags (`!!str x`) to the tagged value.

fn untagged<'n, 'a>(node: &'n Node<'a>) -> &'n Node<'a> {
    let mut node = node;
    while let Data::Tagged(tagged) = &node.data {
        node = &tagged.1;
    }
    node
}

/// The value of `key` in a mapping node, with the key node itself.
pub fn get_entry<'n, 'a>(node: &'n Node<'a>, key: &str) -> Option<(&'n Node<'a>, &'n Node<'a>)> {
    let Data::Mapping(map) = &untagged(node).data else {
        return None;
    };
    map.iter()
        .find(|(k, _)| as_str(k) == Some(key))
        .map(|(k, v)| (k, v))
}

/// The value of `key` in a mapping node.
pub fn get<'n, 'a>(node: &'n Node<'a>, key: &str) -> Option<&'n Node<'a>> {
    get_entry(node, key).map(|(_, v)| v)
}

/// Follows a path of keys through nested mappings.
pub fn get_path<'n, 'a>(node: &'n Node<'a>, path: &[&str]) -> Option<&'n Node<'a>> {
    path.iter().try_fold(node, |node, key| get(node, key))
}

/// The entries of a mapping node, in document order (empty for anything else).
pub fn entries<'n, 'a>(node: &'n Node<'a>) -> impl Iterator<Item = (&'n Node<'a>, &'n Node<'a>)> {
    let map = match &untagged(node).data {
        Data::Mapping(map) => Some(map),
        _ => None,
    };
    map.into_iter().flat_map(|m| m.iter().map(|(k, v)| (k, v)))
}

/// The items of a sequence node (empty for anything else).
pub fn items<'n, 'a>(node: &'n Node<'a>) -> impl Iterator<Item = &'n Node<'a>> {
    let seq = match &untagged(node).data {
        Data::Sequence(seq) => Some(seq),
        _ => None,
    };
    seq.into_iter().flat_map(|s| s.iter())
}

pub fn is_mapping(node: &Node<'_>) -> bool {
    matches!(untagged(node).data, Data::Mapping(_))
}

/// The string value of a scalar that YAML resolved to a string (quoted, or plain text that is
/// not a bool, number or null).
pub fn as_str<'n>(node: &'n Node<'_>) -> Option<&'n str> {
    match &untagged(node).data {
        Data::Scalar(Scalar::String(s)) => Some(s.as_ref()),
        _ => None,
    }
}

pub fn as_bool(node: &Node<'_>) -> Option<bool> {
    match &untagged(node).data {
        Data::Scalar(Scalar::Boolean(b)) => Some(*b),
        _ => None,
    }
}

/// A scalar that is not a string after YAML decoding (bool, number, null), rendered as text.
/// These are the values that break `map[string]string` fields such as labels, annotations and
/// nodeSelector.
pub fn non_string_scalar(node: &Node<'_>) -> Option<Cow<'static, str>> {
    match &untagged(node).data {
        Data::Scalar(Scalar::Boolean(b)) => Some(Cow::Owned(b.to_string())),
        Data::Scalar(Scalar::Integer(i)) => Some(Cow::Owned(i.to_string())),
        Data::Scalar(Scalar::FloatingPoint(f)) => Some(Cow::Owned(f.to_string())),
        Data::Scalar(Scalar::Null) => Some(Cow::Borrowed("null")),
        _ => None,
    }
}

/// The path from `root` to the deepest node whose span contains `target`, as
/// `spec.template.spec.hostNetwork`, `metadata.annotations["iam.gke.io/x"]` or
/// `spec.bindings[0].members[1]`. `span_of` maps a node to its byte range.
pub fn path_to(
    root: &Node<'_>,
    target: std::ops::Range<usize>,
    span_of: &dyn Fn(&Node<'_>) -> std::ops::Range<usize>,
) -> String {
    let contains = |node: &Node<'_>| {
        let span = span_of(node);
        span.start <= target.start && target.end <= span.end.max(span.start + 1)
    };
    let mut path = String::new();
    let mut node = root;
    'descend: loop {
        match &untagged(node).data {
            Data::Mapping(map) => {
                for (key, value) in map {
                    let name = as_str(key).unwrap_or("?");
                    let in_key = contains(key);
                    if in_key || contains(value) {
                        push_key(&mut path, name);
                        if in_key {
                            break 'descend;
                        }
                        node = value;
                        continue 'descend;
                    }
                }
                break;
            }
            Data::Sequence(seq) => {
                for (i, item) in seq.iter().enumerate() {
                    if contains(item) {
                        path.push_str(&format!("[{i}]"));
                        node = item;
                        continue 'descend;
                    }
                }
                break;
            }
            _ => break,
        }
    }
    path
}

fn push_key(path: &mut String, key: &str) {
    let plain = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if plain {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key);
    } else {
        path.push_str(&format!("[{key:?}]"));
    }
}

/// The YAML 1.1 boolean words that Kubernetes' YAML decoder (go-yaml v2 via sigs.k8s.io/yaml)
/// still reads as booleans when they are plain (unquoted), unlike YAML 1.2.
const YAML11_BOOLEANS: &[&str] = &[
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off",
    "OFF",
];

/// A scalar that Kubernetes decodes as a bool or number where a string is required (labels,
/// annotations, nodeSelector), rendered as written. `source` gives the node's source text, used
/// to tell a plain `yes` (a YAML 1.1 boolean) from a quoted one. Null is not reported: it
/// decodes as an empty string.
pub fn kubernetes_non_string<'s>(
    node: &Node<'_>,
    source: impl FnOnce() -> &'s str,
) -> Option<String> {
    match &untagged(node).data {
        Data::Scalar(Scalar::Boolean(_) | Scalar::Integer(_) | Scalar::FloatingPoint(_)) => {
            Some(source().to_string())
        }
        // The source is read only for the rare yes/no/on/off strings.
        Data::Scalar(Scalar::String(s)) if YAML11_BOOLEANS.contains(&s.as_ref()) => {
            let written = source();
            (written == s.as_ref()).then(|| written.to_string())
        }
        _ => None,
    }
}

/// Whether the node is a scalar of any kind.
pub fn is_scalar(node: &Node<'_>) -> bool {
    matches!(untagged(node).data, Data::Scalar(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_collection_used_as_a_key_does_not_load() {
        for (text, at) in [("a:\n  ? [x]\n  : y\n", 7), ("{{ .Values.x }}: 1\n", 0)] {
            let failure = load(text, Limits::default()).expect_err(text);
            assert!(failure.message.contains("used as a mapping key"), "{text}");
            assert_eq!(failure.char_index, at, "{text}");
        }
        // An alias of a collection used as a key is one too; an alias of a scalar is not.
        assert!(load("a: &m {x: 1}\n*m : v\n", Limits::default()).is_err());
        assert!(load("a: &s x\n*s : v\n", Limits::default()).is_ok());
        // Collections as values are fine.
        assert!(load("a: [x]\nb: {c: d}\n", Limits::default()).is_ok());
    }

    fn first(text: &str) -> Node<'_> {
        load(text, Limits::default())
            .expect("loads")
            .into_iter()
            .next()
            .expect("one document")
    }

    #[test]
    fn reads_nested_values_with_spans() {
        let doc = first("metadata:\n  name: app\n");
        let name = get_path(&doc, &["metadata", "name"]).expect("name");
        assert_eq!(as_str(name), Some("app"));
        assert_eq!(name.start(), 18);
        assert_eq!(name.end(), 21);
    }

    #[test]
    fn quoted_true_is_a_string_and_plain_true_is_not() {
        let doc = first("a: \"true\"\nb: true\nc: 1\n");
        assert_eq!(as_str(get(&doc, "a").expect("a")), Some("true"));
        assert_eq!(as_bool(get(&doc, "b").expect("b")), Some(true));
        assert_eq!(
            non_string_scalar(get(&doc, "c").expect("c")).as_deref(),
            Some("1")
        );
    }

    #[test]
    fn deep_flow_nesting_is_refused_not_a_stack_overflow() {
        let text = "[".repeat(100_000);
        let err = load(&text, Limits::default()).expect_err("too deep");
        // saphyr-parser has its own flow-level limit, below ours.
        assert!(err.message.contains("recursion limit"), "{err:?}");
        assert!(err.char_index <= 256);
    }

    #[test]
    fn deep_block_nesting_is_refused() {
        let mut text = String::new();
        for depth in 0..300 {
            text.push_str(&" ".repeat(depth));
            text.push_str("a:\n");
        }
        let err = load(&text, Limits::default()).expect_err("too deep");
        assert!(err.message.contains("nesting deeper than 256"), "{err:?}");
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = i - 1;
            let alias = format!("*a{prev}");
            let items = [alias.as_str(); 10].join(", ");
            text += &format!("a{i}: &a{i} [{items}]\n");
        }
        let err = load(&text, Limits::default()).expect_err("bomb");
        assert!(!err.message.is_empty());
    }

    #[test]
    fn duplicate_keys_are_an_error() {
        assert!(load("a: 1\na: 2\n", Limits::default()).is_err());
    }

    #[test]
    fn quoted_scalars_continued_at_their_keys_column_load_as_go_yaml_reads_them() {
        let text = "status:\n  - t: x\n    message: 'a b\n    c ''d'''\n    next: 1\n";
        let nodes = load(text, Limits::default()).expect("go-yaml accepts it");
        let item = items(get(&nodes[0], "status").expect("status"))
            .next()
            .expect("item");
        let message = get(item, "message").expect("message");
        assert_eq!(as_str(message), Some("a b c 'd'"));
        // Positions are the original text's.
        let next = get_entry(item, "next").expect("next").0;
        assert_eq!(next.start(), text.find("next").expect("next"));
    }

    #[test]
    fn flow_sequences_closed_at_their_keys_column_load() {
        let text = "x:\n  - args: [\n      \"a\",\n    ]\n    env: []\n";
        let nodes = load(text, Limits::default()).expect("go-yaml accepts it");
        let item = items(get(&nodes[0], "x").expect("x")).next().expect("item");
        let args: Vec<_> = items(get(item, "args").expect("args"))
            .filter_map(as_str)
            .collect();
        assert_eq!(args, ["a"]);
        let env = get_entry(item, "env").expect("env").0;
        assert_eq!(env.start(), text.find("env").expect("env"));
    }

    #[test]
    fn other_errors_keep_their_message() {
        let failure = load("a: 'x\n", Limits::default()).expect_err("unterminated");
        assert!(
            failure.message.contains("unexpected end of stream"),
            "{failure:?}"
        );
        let failure = load("a:\n  b: 1\n c: 2\n", Limits::default()).expect_err("bad indentation");
        assert!(!failure.message.is_empty());
    }
}
