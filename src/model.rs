//! The Kubernetes view of parsed documents: objects with their identity, the pod templates
//! inside workloads, and how to turn a YAML node into a span of its file.

use std::ops::Range;
use std::sync::OnceLock;

use crate::diagnostic::{FileId, Span};
use crate::facts::{Origin, Text};
use crate::settings::{Namespace, Settings, Unit};
use crate::yaml::{self, Node};

/// A document's place in its file, used to convert saphyr's character indices (relative to the
/// document text) into byte offsets of the file.
#[derive(Debug)]
pub struct DocumentPos<'a> {
    pub file: FileId,
    /// The document's text (a slice of the file).
    pub text: &'a str,
    /// Byte offset of `text` in the file.
    pub start: usize,
    pub source_template: Option<&'a str>,
    /// 0-based line of `start` in the file.
    pub first_line: usize,
    /// Byte offset of every character, built only for non-ASCII documents.
    char_offsets: OnceLock<Vec<usize>>,
    /// Whether the text is ASCII (character and byte indices agree), checked once.
    ascii: bool,
}

impl<'a> DocumentPos<'a> {
    pub fn new(
        file: FileId,
        text: &'a str,
        start: usize,
        source_template: Option<&'a str>,
        first_line: usize,
    ) -> Self {
        DocumentPos {
            file,
            text,
            start,
            source_template,
            first_line,
            char_offsets: OnceLock::new(),
            ascii: text.is_ascii(),
        }
    }

    /// The 1-based line of a byte offset of the file inside the document, counted from the
    /// document alone (a sparse file has no line table until output reads it again).
    pub fn line_of(&self, offset: usize) -> usize {
        let end = offset.saturating_sub(self.start).min(self.text.len());
        self.first_line + 1 + memchr::memchr_iter(b'\n', &self.text.as_bytes()[..end]).count()
    }

    /// Byte offset in the document text of a character index.
    pub fn byte_of_char(&self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        let offsets = self.char_offsets.get_or_init(|| {
            self.text
                .char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(self.text.len()))
                .collect()
        });
        offsets.get(char_index).copied().unwrap_or(self.text.len())
    }

    /// The span of a character range of the document, with trailing line breaks and blanks
    /// trimmed (saphyr ends block scalars at the start of the next line).
    pub fn span_of_chars(&self, start: usize, end: usize) -> Span {
        let start = self.byte_of_char(start);
        let mut end = self.byte_of_char(end).max(start);
        let trimmed = self.text[start..end].trim_end();
        if !trimmed.is_empty() {
            end = start + trimmed.len();
        }
        Span {
            file: self.file,
            start: self.start + start,
            end: self.start + end,
        }
    }

    /// The source text of a node, as written (quotes included).
    pub fn source(&self, node: &Node<'_>) -> &'a str {
        let span = self.span(node);
        &self.text[span.start - self.start..span.end - self.start]
    }

    /// The span of a node. A quoted scalar ends at its closing quote (saphyr's end marker
    /// can run on to the end of the line).
    pub fn span(&self, node: &Node<'_>) -> Span {
        let span = self.span_of_chars(node.start(), node.end());
        if !yaml::is_scalar(node) {
            return span;
        }
        let local = span.start - self.start;
        match quoted_len(&self.text[local..]) {
            Some(len) if local + len <= span.end - self.start => Span {
                end: span.start + len,
                ..span
            },
            _ => span,
        }
    }

    /// The span of part of a string scalar's value (a byte range of the decoded value). Exact
    /// when the source spells the value literally (plain, or quoted without escapes); the whole
    /// node otherwise.
    pub fn span_within(&self, node: &Node<'_>, value_range: Range<usize>) -> Span {
        match self.text(node) {
            Some(text) => text.span_within(value_range),
            None => self.span(node),
        }
    }

    /// A string scalar as a fact: its value, its span, and where the value is written when the
    /// source spells it literally (plain, or quoted without escapes).
    pub fn text(&self, node: &Node<'_>) -> Option<Text> {
        let value = yaml::as_str(node)?;
        let whole = self.span(node);
        let source = &self.text[whole.start - self.start..whole.end - self.start];
        let literal_at = if source == value {
            Some(whole.start)
        } else if source.len() == value.len() + 2
            && source.starts_with(['"', '\''])
            && &source[1..source.len() - 1] == value
        {
            Some(whole.start + 1)
        } else {
            None
        };
        Some(Text::new(value.to_string(), whole, literal_at))
    }
}

/// The byte length of a quoted scalar at the start of `text`, closing quote included.
fn quoted_len(text: &str) -> Option<usize> {
    let quote = text.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let mut chars = text.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if quote == '"' => {
                chars.next();
            }
            c if c == quote => {
                // '' is an escaped quote inside a single-quoted scalar.
                if quote == '\'' && chars.peek().is_some_and(|(_, n)| *n == '\'') {
                    chars.next();
                } else {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// One Kubernetes object: a document's root mapping, or an item of a `kind: List`.
#[derive(Debug)]
pub struct Object<'a> {
    pub doc: &'a DocumentPos<'a>,
    pub node: &'a Node<'a>,
    pub api_version: Option<&'a str>,
    pub kind: &'a str,
    pub name: Option<&'a str>,
    pub namespace: Namespace,
    pub metadata: Option<&'a Node<'a>>,
    /// The `[[cluster]]` of the configuration the object's file deploys to, if any (borrowed:
    /// a copy per object cost 72 bytes each).
    pub cluster: Option<&'a crate::settings::ClusterConfig>,
    /// The apply unit of the object's file (see [`crate::units`]).
    pub unit: Unit,
    /// The pod templates, found once: most rules ask for them.
    templates: Vec<PodTemplate<'a>>,
}

impl<'a> Object<'a> {
    /// Builds the objects of one document; anything that is not a Kubernetes object (no string
    /// `kind`, not a mapping) yields none. `kind: List` is expanded into its items.
    pub fn from_document(
        doc: &'a DocumentPos<'a>,
        root: &'a Node<'a>,
        settings: &Settings,
        unit: Unit,
        out: &mut Vec<Object<'a>>,
    ) {
        let Some(object) = Object::from_node(doc, root, settings, unit) else {
            return;
        };
        if (object.kind == "List"
            || object.kind.ends_with("List") && object.api_version == Some("v1"))
            && let Some(items) = yaml::get(root, "items")
        {
            for item in yaml::items(items) {
                if let Some(item) = Object::from_node(doc, item, settings, unit) {
                    out.push(item);
                }
            }
            return;
        }
        out.push(object);
    }

    fn from_node(
        doc: &'a DocumentPos<'a>,
        node: &'a Node<'a>,
        settings: &Settings,
        unit: Unit,
    ) -> Option<Self> {
        if !yaml::is_mapping(node) {
            return None;
        }
        let kind = yaml::get(node, "kind").and_then(yaml::as_str)?;
        let metadata = yaml::get(node, "metadata").filter(|m| yaml::is_mapping(m));
        let field = |key| {
            metadata
                .and_then(|m| yaml::get(m, key))
                .and_then(yaml::as_str)
        };
        let mut object = Object {
            doc,
            node,
            api_version: yaml::get(node, "apiVersion").and_then(yaml::as_str),
            kind,
            name: field("name"),
            namespace: settings.resolve_namespace(field("namespace"), unit),
            metadata,
            cluster: None,
            unit,
            templates: Vec::new(),
        };
        object.templates = object.find_pod_templates();
        Some(object)
    }

    pub fn span(&self, node: &Node<'_>) -> Span {
        self.doc.span(node)
    }

    /// Whether this is a core-group (`v1`) object of `kind`.
    pub fn is_core(&self, kind: &str) -> bool {
        self.kind == kind && self.api_group().is_empty()
    }

    /// The value of `iam.gke.io/gcp-service-account` on a `ServiceAccount`, if it is a string,
    /// an empty one included (WI001 reports that).
    pub fn gsa_annotation_as_written(&self) -> Option<(&'a Node<'a>, &'a str)> {
        if !self.is_core("ServiceAccount") {
            return None;
        }
        let (_, value) = self.annotation(crate::grammar::GSA_ANNOTATION)?;
        Some((value, yaml::as_str(value)?))
    }

    /// The value of `iam.gke.io/gcp-service-account` on a `ServiceAccount`, if it is a string
    /// that is not empty. An empty value (an unset chart value renders as `""`) links the KSA
    /// to nothing: WI001 reports it once, and no other rule takes it for a link.
    pub fn gsa_annotation(&self) -> Option<(&'a Node<'a>, &'a str)> {
        self.gsa_annotation_as_written()
            .filter(|(_, value)| !value.trim().is_empty())
    }

    /// The key of `iam.gke.io/gcp-service-account` when the annotation links the KSA to
    /// Workload Identity: any value but an empty string or null (an unset value), which link
    /// nothing. A wrong value (a number, a malformed e-mail) is still a link, a broken one.
    pub fn wi_annotation_key(&self) -> Option<&'a Node<'a>> {
        let (key, value) = self.annotation(crate::grammar::GSA_ANNOTATION)?;
        let unset = yaml::as_str(value).is_some_and(|v| v.trim().is_empty())
            || yaml::non_string_scalar(value).is_some_and(|v| v == "null");
        (!unset).then_some(key)
    }

    /// The API group of `apiVersion` (`""` for the core group).
    pub fn api_group(&self) -> &'a str {
        self.api_version.map_or("", api_group_of)
    }

    /// Where the object is in the input (file, document, node): input order.
    pub fn position(&self) -> (FileId, usize, usize) {
        (self.doc.file, self.doc.start, self.node.start())
    }

    /// `Kind ns/name` for messages.
    pub fn display(&self) -> String {
        match self.name {
            Some(name) => format!("{} {}", self.kind, self.namespace.qualify(name)),
            None => self.kind.to_string(),
        }
    }

    /// The best node to point at for the object as a whole: its name, else its kind.
    pub fn anchor(&self) -> &'a Node<'a> {
        self.metadata
            .and_then(|m| yaml::get(m, "name"))
            .or_else(|| yaml::get(self.node, "kind"))
            .unwrap_or(self.node)
    }

    /// The object's identity, as used in fingerprints, graph edges and object-wide
    /// suppressions.
    pub fn key(&self) -> String {
        let ns = self.namespace.name().unwrap_or("-");
        format!(
            "{}/{}/{}/{}",
            self.api_group(),
            self.kind,
            ns,
            self.name.unwrap_or("-")
        )
    }

    /// The object as the origin of the facts lowered from it.
    pub fn origin(&self) -> Origin<'a> {
        Origin {
            file: self.doc.file,
            display: self.display(),
            anchor: self.span(self.anchor()),
            position: self.position(),
            unit: self.unit,
            cluster: self.cluster,
            key: self.key(),
            language: crate::sources::Language::Yaml,
        }
    }

    /// An annotation's key and value nodes.
    pub fn annotation(&self, key: &str) -> Option<(&'a Node<'a>, &'a Node<'a>)> {
        yaml::get_entry(yaml::get(self.metadata?, "annotations")?, key)
    }

    /// The pod templates of this object (catalogue decision 9, F8.3).
    pub fn pod_templates(&self) -> &[PodTemplate<'a>] {
        &self.templates
    }

    fn find_pod_templates(&self) -> Vec<PodTemplate<'a>> {
        let node = self.node;
        let template_at = |path: &[&str]| -> Option<PodTemplate<'a>> {
            let template = yaml::get_path(node, path)?;
            let (spec_key, spec) =
                yaml::get_entry(template, "spec").filter(|(_, s)| yaml::is_mapping(s))?;
            Some(PodTemplate {
                metadata: yaml::get(template, "metadata"),
                spec_key,
                spec,
            })
        };
        let found = match (self.api_group(), self.kind) {
            ("", "Pod") => yaml::get_entry(node, "spec")
                .filter(|(_, s)| yaml::is_mapping(s))
                .map(|(spec_key, spec)| PodTemplate {
                    metadata: self.metadata,
                    spec_key,
                    spec,
                }),
            ("", "PodTemplate") => template_at(&["template"]),
            ("batch", "CronJob") => template_at(&["spec", "jobTemplate", "spec", "template"]),
            ("keda.sh", "ScaledJob") => template_at(&["spec", "jobTargetRef", "template"]),
            (
                "" | "apps" | "batch" | "extensions",
                "ReplicationController"
                | "Deployment"
                | "ReplicaSet"
                | "StatefulSet"
                | "DaemonSet"
                | "Job",
            ) => template_at(&["spec", "template"]),
            // Any other object whose spec.template.spec has containers (Argo Rollout, Knative
            // Service, operators' CRs).
            _ => template_at(&["spec", "template"])
                .filter(|t| yaml::get(t.spec, "containers").is_some()),
        };
        found.into_iter().collect()
    }
}

/// The API group of an `apiVersion` (`""` for the core group's `v1`).
pub fn api_group_of(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(group, _)| group)
}

/// A pod spec and the metadata beside it.
#[derive(Debug, Clone, Copy)]
pub struct PodTemplate<'a> {
    pub metadata: Option<&'a Node<'a>>,
    /// The `spec` key, the most specific node to point at when a field is missing.
    pub spec_key: &'a Node<'a>,
    pub spec: &'a Node<'a>,
}

/// How a pod template chooses its KSA.
#[derive(Debug, Clone, Copy)]
pub enum PodIdentity<'a> {
    /// `serviceAccountName` (or the deprecated `serviceAccount`) names it; the node is the value.
    Named(&'a str, &'a Node<'a>),
    /// Neither field is set: the pod runs as the namespace's `default` KSA.
    ImplicitDefault,
}

impl<'a> PodTemplate<'a> {
    /// The KSA the pod runs as. `serviceAccountName` wins over the deprecated `serviceAccount`
    /// (F8.1); an empty string means unset.
    pub fn identity(&self) -> PodIdentity<'a> {
        ["serviceAccountName", "serviceAccount"]
            .iter()
            .find_map(|key| {
                let node = yaml::get(self.spec, key)?;
                let name = yaml::as_str(node).filter(|s| !s.is_empty())?;
                Some(PodIdentity::Named(name, node))
            })
            .unwrap_or(PodIdentity::ImplicitDefault)
    }

    pub fn ksa_name(&self) -> &'a str {
        match self.identity() {
            PodIdentity::Named(name, _) => name,
            PodIdentity::ImplicitDefault => "default",
        }
    }
}

/// The node label that says a node runs the GKE metadata server.
pub const METADATA_LABEL: &str = "iam.gke.io/gke-metadata-server-enabled";

/// The nodes a pod template constrains on `key`: `nodeSelector` entries and required node
/// affinity expressions, as (key node, value node if a single value).
pub fn node_constraints<'a>(
    template: &PodTemplate<'a>,
    key: &str,
) -> Vec<(&'a Node<'a>, Option<&'a Node<'a>>)> {
    let mut found = Vec::new();
    if let Some(entry) =
        yaml::get(template.spec, "nodeSelector").and_then(|s| yaml::get_entry(s, key))
    {
        found.push((entry.0, Some(entry.1)));
    }
    let terms = yaml::get_path(
        template.spec,
        &[
            "affinity",
            "nodeAffinity",
            "requiredDuringSchedulingIgnoredDuringExecution",
            "nodeSelectorTerms",
        ],
    );
    for term in terms.into_iter().flat_map(yaml::items) {
        for expression in yaml::get(term, "matchExpressions")
            .into_iter()
            .flat_map(yaml::items)
        {
            let Some(key_node) =
                yaml::get(expression, "key").filter(|k| yaml::as_str(k) == Some(key))
            else {
                continue;
            };
            let values: Vec<_> = yaml::get(expression, "values")
                .into_iter()
                .flat_map(yaml::items)
                .collect();
            found.push((key_node, (values.len() == 1).then(|| values[0])));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_scalar_lengths() {
        assert_eq!(quoted_len(r#""abc" # comment"#), Some(5));
        assert_eq!(quoted_len(r#""a\"b" x"#), Some(6));
        assert_eq!(quoted_len("'it''s' x"), Some(7));
        assert_eq!(quoted_len("plain"), None);
        assert_eq!(quoted_len("\"unterminated"), None);
    }

    #[test]
    fn quoted_value_span_stops_at_the_closing_quote() {
        let text = "a: \"value\" # trailing comment\n";
        let doc = DocumentPos::new(0, text, 0, None, 0);
        let roots = yaml::load(text, yaml::Limits::default()).expect("loads");
        let value = yaml::get(&roots[0], "a").expect("a");
        assert_eq!(doc.source(value), "\"value\"");
        let inner = doc.span_within(value, 1..3);
        assert_eq!(&text[inner.start..inner.end], "al");
    }
}
