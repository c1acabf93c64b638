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

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    pub help: Option<String>,
    /// The Helm template (`# Source:` header) the document was rendered from, if known.
    pub source_template: Option<String>,
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
            source_template: None,
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

    #[must_use]
    pub fn with_secondary(mut self, label: Label) -> Self {
        self.secondary.push(label);
        self
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
