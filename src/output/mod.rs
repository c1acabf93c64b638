//! Output formats. This module tree is the only place that formats a report for people or
//! machines; the CLI decides where the bytes go.

pub mod concise;
pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
pub mod sarif;

use crate::diagnostic::Severity;
use crate::report::Report;

/// Counts for the summary line and the JSON `summary` object.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub files: usize,
    pub documents: usize,
    /// Findings covered by a suppression or the baseline (not in the counts above).
    pub suppressed: usize,
}

impl Summary {
    pub fn of(report: &Report) -> Self {
        let count = |severity| {
            report
                .diagnostics
                .iter()
                .filter(|d| d.severity == severity)
                .count()
        };
        Summary {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            notes: count(Severity::Note),
            files: report.files.len() - report.context_files.len() - report.landed_files.len(),
            documents: report
                .file_documents
                .iter()
                .enumerate()
                .filter(|(file, _)| !report.context_files.contains(file))
                .map(|(_, documents)| documents)
                .sum(),
            suppressed: report.suppressed.len(),
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}
