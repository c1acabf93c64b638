//! What a rule reports: a severity, a message, one primary label on the exact YAML node that is
//! wrong, optional secondary labels on the other objects involved, and a concrete fix.

use std::fmt;

use serde::Serialize;

use crate::registry::RuleMeta;

/// Severity words are SARIF's levels (catalogue decision 1). Ordered: `Note < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Index of a file in [`crate::source::Files`].
pub type FileId = usize;

/// A byte range in one file. Line and column are derived from it by [`crate::source::Files`],
/// so there is exactly one source of truth for positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

impl Label {
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Label {
            span,
            message: message.into(),
        }
    }
}

/// Where a finding was in the output of `helm template` or `kustomize build`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedAt {
    /// The rendered text's name, such as `charts/app (rendered by helm)`.
    pub output: String,
    pub line: usize,
    pub column: usize,
    /// The rendered line, trimmed and shortened: the values a template does not show.
    pub excerpt: String,
}

impl RenderedAt {
    /// For example ``line 12, column 7 of charts/app (rendered by helm): `hostNetwork: true` ``.
    pub fn describe(&self) -> String {
        format!(
            "line {}, column {} of {}: `{}`",
            self.line, self.column, self.output, self.excerpt
        )
    }
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    pub help: Option<String>,
    /// Why it matters, when the headline (`message`, kept under about 100 characters) cannot
    /// say it all: what happens at run time, the evidence, the rule's reasoning.
    pub note: Option<String>,
    /// The Helm template (`# Source:` header) the document was rendered from, if known.
    pub source_template: Option<String>,
    /// For a finding moved from rendered output onto a file of the repository (see
    /// [`crate::landing`]): where it was in the rendered text.
    pub rendered: Option<RenderedAt>,
    /// The identity of the object the finding is on (`group/Kind/namespace/name`), if any.
    pub object_key: Option<String>,
    /// The path of the offending node inside its object (`spec.template.spec.hostNetwork`).
    pub node_path: Option<String>,
    /// Set only while a streamed run's workloads stream: the finding holds only if no pod
    /// template runs as this KSA, which is known once every workload has been seen.
    pub unless_used: Option<(crate::settings::Namespace, String)>,
}

impl Diagnostic {
    /// A diagnostic at the rule's default severity.
    pub fn new(rule: &'static RuleMeta, message: impl Into<String>, primary: Label) -> Self {
        Diagnostic {
            rule,
            severity: rule.default_severity,
            message: message.into(),
            primary,
            secondary: Vec::new(),
            help: None,
            note: None,
            source_template: None,
            rendered: None,
            object_key: None,
            node_path: None,
            unless_used: None,
        }
    }

    #[must_use]
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The detail that does not fit in the headline (see [`Diagnostic::note`]).
    #[must_use]
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    /// The primary label, then the secondary ones.
    pub fn labels(&self) -> impl Iterator<Item = &Label> {
        std::iter::once(&self.primary).chain(&self.secondary)
    }

    /// The finding holds only if no pod template runs as the KSA `ns/name` (see
    /// [`Diagnostic::unless_used`]).
    #[must_use]
    pub fn unless_used(mut self, ns: &crate::settings::Namespace, name: &str) -> Self {
        self.unless_used = Some((ns.clone(), name.to_string()));
        self
    }

    #[must_use]
    pub fn with_secondary(mut self, label: Label) -> Self {
        self.secondary.push(label);
        self
    }

    /// A fingerprint that survives edits elsewhere in the file: derived from the rule, the
    /// file path, the object's identity and the node's path inside it, never from line
    /// numbers. Findings without an object (WI000) use the message instead. 16 hex digits
    /// (64-bit FNV-1a, stable across platforms and versions).
    pub fn fingerprint(&self, path: &str) -> String {
        let mut hash = Fnv1a::default();
        hash.write(self.rule.code);
        hash.write(path);
        match (&self.object_key, &self.node_path) {
            (Some(object), Some(node)) => {
                hash.write(object);
                hash.write(node);
            }
            (Some(object), None) => {
                hash.write(object);
                hash.write(&self.message);
            }
            _ => hash.write(&self.message),
        }
        format!("{:016x}", hash.0)
    }

    /// The total order used for output: by file, position, then code and message, so that the
    /// output is byte-identical whatever the thread count.
    pub fn sort_key(&self) -> (FileId, usize, usize, &'static str, &str) {
        (
            self.primary.span.file,
            self.primary.span.start,
            self.primary.span.end,
            self.rule.code,
            &self.message,
        )
    }
}

/// 64-bit FNV-1a: tiny, and its output never changes between Rust versions (unlike
/// `DefaultHasher`), so fingerprints stay valid across releases.
struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a {
    /// Hashes a field followed by a separator, so ("ab", "c") and ("a", "bc") differ.
    fn write(&mut self, field: &str) {
        for byte in field.bytes().chain(std::iter::once(0xff)) {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_is_the_reference_function() {
        // FNV-1a of the empty string is the offset basis; of "a" a published test vector.
        let mut hash = Fnv1a::default();
        for byte in "a".bytes() {
            hash.0 ^= u64::from(byte);
            hash.0 = hash.0.wrapping_mul(0x0100_0000_01b3);
        }
        assert_eq!(hash.0, 0xaf63_dc4c_8601_ec8c);
    }
}
