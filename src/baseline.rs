//! The baseline: today's findings recorded by fingerprint, so that a repository with findings
//! can adopt wilint and fail only on new ones. Fingerprints come from the rule, the file's
//! repository-relative path, the object's identity and the node's path inside it, never line
//! numbers, so edits elsewhere do not resurrect a baselined finding.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::source::Files;
use crate::suppress::Suppressed;

/// Bump when the entry format or the fingerprint changes meaning.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub fingerprint: String,
    pub code: String,
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    /// For people reading the file; not used for matching.
    pub message: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct BaselineFile {
    version: u32,
    findings: Vec<Entry>,
}

#[derive(Debug, Clone, Default)]
pub struct Baseline {
    /// Fingerprint → how many findings share it.
    counts: BTreeMap<String, usize>,
    name: String,
}

impl Baseline {
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let file: BaselineFile =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        if file.version != VERSION {
            return Err(format!(
                "{}: baseline version {} is not supported (expected {VERSION}); regenerate it with `wilint baseline`",
                path.display(),
                file.version
            ));
        }
        let mut counts = BTreeMap::new();
        for entry in file.findings {
            *counts.entry(entry.fingerprint).or_insert(0) += 1;
        }
        Ok(Baseline {
            counts,
            name: path.display().to_string(),
        })
    }

    /// Splits findings into those not in the baseline and those it covers; also returns how
    /// many baseline entries matched nothing (fixed since).
    pub fn filter(
        &self,
        files: &Files,
        diagnostics: Vec<Diagnostic>,
    ) -> (Vec<Diagnostic>, Vec<(Diagnostic, Suppressed)>, usize) {
        let mut remaining = self.counts.clone();
        let mut kept = Vec::new();
        let mut matched = Vec::new();
        for diagnostic in diagnostics {
            let fingerprint = diagnostic.fingerprint(&files.get(diagnostic.primary.span.file).key);
            match remaining.get_mut(&fingerprint).filter(|n| **n > 0) {
                Some(count) => {
                    *count -= 1;
                    matched.push((
                        diagnostic,
                        Suppressed {
                            kind: "external",
                            justification: format!("recorded in the baseline {}", self.name),
                        },
                    ));
                }
                None => kept.push(diagnostic),
            }
        }
        (kept, matched, remaining.values().sum())
    }
}

/// The baseline file for a run's findings (sorted, so it diffs well).
pub fn render(files: &Files, diagnostics: &[Diagnostic]) -> String {
    let mut findings: Vec<Entry> = diagnostics
        .iter()
        .map(|d| {
            let path = files.get(d.primary.span.file).key.clone();
            Entry {
                fingerprint: d.fingerprint(&path),
                code: d.rule.code.to_string(),
                path,
                object: d.object_key.clone(),
                node: d.node_path.clone(),
                message: d.message.clone(),
            }
        })
        .collect();
    findings.sort_by(|a, b| (&a.path, &a.fingerprint).cmp(&(&b.path, &b.fingerprint)));
    let file = BaselineFile {
        version: VERSION,
        findings,
    };
    serde_json::to_string_pretty(&file).unwrap_or_default() + "\n"
}
