//! SARIF 2.1.0 for GitHub code scanning (`../shared/docs/style.md` §3a): every enabled rule
//! with its documentation, results with exact regions in repository-relative files, secondary
//! objects as related locations, the Helm template and the object as logical locations, and
//! fingerprints that survive edits elsewhere in the file. A small hand-written model: exact
//! control over the fields, and the schema test guards it.

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::registry::{RULES, RuleMeta};
use crate::report::Report;
use crate::source::Files;
use crate::suppress::Suppressed;

/// GitHub keeps at most this many results per run.
pub const MAX_RESULTS: usize = 25_000;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    invocations: [Invocation; 1],
    original_uri_base_ids: serde_json::Value,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    help_uri: String,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: &'static str,
    markdown: &'static str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: &'static [&'static str],
    precision: &'static str,
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<&'static str>,
    #[serde(rename = "problem.severity", skip_serializing_if = "Option::is_none")]
    problem_severity: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    exit_code: i32,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Notification {
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Option::is_none")]
    descriptor: Option<Descriptor>,
}

#[derive(Serialize)]
struct Descriptor {
    id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: Fingerprints,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<SarifSuppression>,
}

#[derive(Serialize)]
struct SarifSuppression {
    kind: &'static str,
    justification: String,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "wilint/v1")]
    wilint: String,
}

// The field names are SARIF's.
#[allow(clippy::struct_field_names)]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    physical_location: Option<PhysicalLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    fully_qualified_name: String,
    kind: &'static str,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// The first paragraph under `## What it does`.
fn full_description(meta: &RuleMeta) -> String {
    let body = meta
        .docs
        .split_once("## What it does")
        .map_or(meta.docs, |(_, rest)| rest);
    let paragraph: Vec<&str> = body
        .trim_start()
        .lines()
        .take_while(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .collect();
    let text = paragraph.join(" ");
    if text.len() > 1000 {
        let mut cut = 1000;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        format!("{}…", &text[..cut])
    } else {
        text
    }
}

pub fn help_uri(code: &str) -> String {
    format!(
        "{}/blob/v{}/rules/{code}.md",
        env!("CARGO_PKG_REPOSITORY"),
        env!("CARGO_PKG_VERSION")
    )
}

fn rule(meta: &'static RuleMeta) -> Rule {
    let security = meta.tags.contains(&"security");
    Rule {
        id: meta.code,
        name: meta.name,
        short_description: Text {
            text: meta.summary.to_string(),
        },
        full_description: Text {
            text: full_description(meta),
        },
        help: Help {
            text: meta.docs,
            markdown: meta.docs,
        },
        help_uri: help_uri(meta.code),
        default_configuration: Configuration {
            level: level(meta.default_severity),
        },
        properties: RuleProperties {
            tags: meta.tags,
            // Cross-object rules depend on what the input contains; single-object rules
            // check one value against a grammar.
            precision: if meta.tags.contains(&"cross-object") {
                "high"
            } else {
                "very-high"
            },
            security_severity: security.then_some(match meta.default_severity {
                Severity::Error => "7.5",
                Severity::Warning => "5.5",
                Severity::Note => "3.0",
            }),
            problem_severity: (!security).then_some(match meta.default_severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => "recommendation",
            }),
        },
    }
}

/// A file's URI relative to `root` (forward slashes, percent-encoded), or its name as given
/// when it is outside the root or not a file on disk (standard input).
fn artifact(files: &Files, file: usize, root: &Path) -> ArtifactLocation {
    let source = files.get(file);
    let relative = source.path.as_ref().and_then(|path| {
        let absolute = crate::paths::absolute(path);
        absolute.strip_prefix(root).ok().map(Path::to_path_buf)
    });
    match relative {
        Some(relative) => ArtifactLocation {
            uri: encode_uri_path(&relative.to_string_lossy().replace('\\', "/")),
            uri_base_id: Some(SRCROOT),
        },
        None => ArtifactLocation {
            uri: encode_uri_path(&source.name.replace('\\', "/")),
            uri_base_id: source.path.as_ref().map(|_| SRCROOT),
        },
    }
}

/// Percent-encodes what may not appear raw in a URI path.
fn encode_uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn physical(files: &Files, label: &Label, root: &Path) -> PhysicalLocation {
    let ((start_line, start_column), (end_line, end_column)) = files.span_positions(label.span);
    PhysicalLocation {
        artifact_location: artifact(files, label.span.file, root),
        region: Some(Region {
            start_line,
            start_column,
            end_line,
            end_column,
        }),
    }
}

fn message(diagnostic: &Diagnostic) -> String {
    // One sentence, headline then note, as a note may start with a value (an e-mail, a pool)
    // whose case must not change.
    let mut text = match &diagnostic.note {
        Some(note) => format!("{}; {note}.", diagnostic.message),
        None => format!("{}.", diagnostic.message),
    };
    if let Some(help) = &diagnostic.help {
        text.push_str(&format!(" Fix: {help}."));
    }
    // The rendered text is no artifact of the repository: its position goes in the message.
    if let Some(rendered) = &diagnostic.rendered {
        text.push_str(&format!(" Rendered at {}.", rendered.describe()));
    }
    text
}

/// Writes the SARIF log. `exit_code` is the code wilint exits with.
pub fn write(writer: &mut dyn Write, report: &Report, exit_code: i32) -> io::Result<()> {
    write_with_root(writer, report, exit_code, &crate::paths::source_root())
}

/// As [`write()`], with an explicit source root (tests).
pub fn write_with_root(
    writer: &mut dyn Write,
    report: &Report,
    exit_code: i32,
    root: &Path,
) -> io::Result<()> {
    // Every rule that ran (enabled for some file by its configuration), plus any rule a
    // finding comes from (WI000 on files that could not be read, suppression rules).
    let rules: Vec<&'static RuleMeta> = RULES
        .iter()
        .map(|r| r.meta())
        .filter(|m| {
            report.enabled_rules.contains(m.code)
                || report
                    .diagnostics
                    .iter()
                    .chain(report.suppressed.iter().map(|(d, _)| d))
                    .any(|d| d.rule.code == m.code)
        })
        .collect();
    let files = &report.files;

    // Suppressed findings are kept, with their justification, not dropped silently.
    let mut kept: Vec<(&Diagnostic, Option<&Suppressed>)> = report
        .diagnostics
        .iter()
        .map(|d| (d, None))
        .chain(report.suppressed.iter().map(|(d, s)| (d, Some(s))))
        .collect();
    kept.sort_by(|a, b| a.0.sort_key().cmp(&b.0.sort_key()));
    let mut notifications = Vec::new();
    if kept.len() > MAX_RESULTS {
        // The most severe first; reported before suppressed.
        kept.sort_by_key(|(d, s)| (std::cmp::Reverse(d.severity), s.is_some()));
        notifications.push(Notification {
            level: "warning",
            message: Text {
                text: format!(
                    "{} results found; only the {MAX_RESULTS} most severe are in this log (GitHub's limit per run)",
                    kept.len()
                ),
            },
            locations: Vec::new(),
            descriptor: None,
        });
        kept.truncate(MAX_RESULTS);
        kept.sort_by(|a, b| a.0.sort_key().cmp(&b.0.sort_key()));
    }

    let mut seen = std::collections::HashMap::new();
    let results = kept
        .iter()
        .map(|(d, suppressed)| {
            let rule_index = rules
                .iter()
                .position(|m| m.code == d.rule.code)
                .unwrap_or_default();
            let mut logical_locations = Vec::new();
            if let Some(object) = &d.object_key {
                logical_locations.push(LogicalLocation {
                    fully_qualified_name: match &d.node_path {
                        Some(path) if !path.is_empty() => format!("{object}#{path}"),
                        _ => object.clone(),
                    },
                    kind: "object",
                });
            }
            if let Some(template) = &d.source_template {
                logical_locations.push(LogicalLocation {
                    fully_qualified_name: template.clone(),
                    kind: "resource",
                });
            }
            let mut fingerprint = d.fingerprint(&files.get(d.primary.span.file).key);
            // Two findings with the same identity get distinct, still stable, fingerprints.
            let count = seen.entry(fingerprint.clone()).or_insert(0usize);
            *count += 1;
            if *count > 1 {
                fingerprint = format!("{fingerprint}:{count}");
            }
            SarifResult {
                rule_id: d.rule.code,
                rule_index,
                level: level(d.severity),
                message: Text { text: message(d) },
                locations: [Location {
                    id: None,
                    physical_location: Some(physical(files, &d.primary, root)),
                    logical_locations,
                    message: None,
                }],
                related_locations: d
                    .secondary
                    .iter()
                    .enumerate()
                    .map(|(i, label)| Location {
                        id: Some(i + 1),
                        physical_location: Some(physical(files, label, root)),
                        logical_locations: Vec::new(),
                        message: Some(Text {
                            text: label.message.clone(),
                        }),
                    })
                    .collect(),
                partial_fingerprints: Fingerprints {
                    wilint: fingerprint,
                },
                suppressions: suppressed
                    .map(|s| SarifSuppression {
                        kind: s.kind,
                        justification: s.justification.clone(),
                    })
                    .into_iter()
                    .collect(),
            }
        })
        .collect();

    for error in &report.errors {
        notifications.push(Notification {
            level: "error",
            message: Text {
                text: format!("{}: {}", error.path, error.message),
            },
            locations: Vec::new(),
            descriptor: None,
        });
    }
    for d in report.diagnostics.iter().filter(|d| d.rule.code == "WI000") {
        notifications.push(Notification {
            level: "error",
            message: Text {
                text: format!("{}: {}", files.get(d.primary.span.file).name, d.message),
            },
            locations: vec![Location {
                id: None,
                physical_location: Some(physical(files, &d.primary, root)),
                logical_locations: Vec::new(),
                message: None,
            }],
            descriptor: Some(Descriptor { id: "WI000" }),
        });
    }

    let root_uri = format!(
        "file://{}/",
        encode_uri_path(&root.to_string_lossy().replace('\\', "/")).trim_end_matches('/')
    );
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "wilint",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules: rules.into_iter().map(rule).collect(),
                },
            },
            invocations: [Invocation {
                execution_successful: report.errors.is_empty(),
                exit_code,
                tool_execution_notifications: notifications,
            }],
            original_uri_base_ids: serde_json::json!({ SRCROOT: { "uri": root_uri } }),
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    serde_json::to_writer_pretty(&mut *writer, &log)?;
    writeln!(writer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_paths_are_percent_encoded() {
        assert_eq!(encode_uri_path("a b/c#d.yaml"), "a%20b/c%23d.yaml");
        assert_eq!(encode_uri_path("deploy/app.yaml"), "deploy/app.yaml");
    }

    #[test]
    fn full_description_is_the_first_paragraph() {
        let meta = crate::registry::find_meta("WI040").expect("WI040");
        let text = full_description(meta);
        assert!(text.starts_with("Reports a pod template with `hostNetwork: true`"));
        assert!(!text.contains('\n'));
    }
}
