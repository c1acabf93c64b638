//! A markdown report for pull requests and `$GITHUB_STEP_SUMMARY`: a findings table with
//! links, and a Mermaid diagram of the identity graph with the edges that carry findings in
//! red, so a reviewer sees at a glance which workloads act as which Google identity.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

use super::{Summary, plural};
use crate::diagnostic::Severity;
use crate::output::sarif::help_uri;
use crate::report::Report;

/// Diagrams larger than this are cut (edges with findings are kept first).
const MAX_EDGES: usize = 60;

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// A link to a file line on GitHub when run in a workflow, else `path:line`.
fn location(path: &str, line: usize) -> String {
    let repo = std::env::var("GITHUB_REPOSITORY").ok();
    let sha = std::env::var("GITHUB_SHA").ok();
    let server = std::env::var("GITHUB_SERVER_URL").unwrap_or_else(|_| "https://github.com".into());
    match (repo, sha) {
        (Some(repo), Some(sha)) if !path.starts_with('<') => {
            format!("[{path}:{line}]({server}/{repo}/blob/{sha}/{path}#L{line})")
        }
        _ => format!("`{path}:{line}`"),
    }
}

fn mermaid_label(text: &str) -> String {
    text.replace('"', "#quot;")
}

pub fn write(writer: &mut dyn Write, report: &Report) -> io::Result<()> {
    let summary = Summary::of(report);
    writeln!(
        writer,
        "## wilint: {}, {}, {}\n",
        plural(summary.errors, "error"),
        plural(summary.warnings, "warning"),
        plural(summary.notes, "note")
    )?;
    writeln!(
        writer,
        "{} and {} checked for GKE Workload Identity mistakes.\n",
        plural(summary.files, "file"),
        plural(summary.documents, "document")
    )?;
    if report.diagnostics.is_empty() {
        writeln!(writer, "No findings.\n")?;
    } else {
        writeln!(writer, "| Severity | Rule | Location | Message |")?;
        writeln!(writer, "| --- | --- | --- | --- |")?;
        for d in &report.diagnostics {
            let icon = match d.severity {
                Severity::Error => "🔴 error",
                Severity::Warning => "🟠 warning",
                Severity::Note => "🔵 note",
            };
            let path = &report.files.get(d.primary.span.file).name;
            let ((line, _), _) = report.files.span_positions(d.primary.span);
            writeln!(
                writer,
                "| {icon} | [{}]({}) `{}` | {} | {} |",
                d.rule.code,
                help_uri(d.rule.code),
                d.rule.name,
                location(path, line),
                cell(&d.message)
            )?;
        }
        writeln!(writer)?;
    }
    write_graph(writer, report)
}

fn write_graph(writer: &mut dyn Write, report: &Report) -> io::Result<()> {
    let edges = &report.graph.edges;
    if edges.is_empty() {
        return Ok(());
    }
    // Objects with findings at warning or above mark their edges red.
    let flagged: BTreeSet<&str> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity >= Severity::Warning)
        .filter_map(|d| d.object_key.as_deref())
        .collect();
    let mut ordered: Vec<(bool, &crate::graph::Edge)> = edges
        .iter()
        .map(|e| (flagged.contains(e.object.as_str()), e))
        .collect();
    ordered.sort_by_key(|(hot, _)| !hot);
    let omitted = ordered.len().saturating_sub(MAX_EDGES);
    ordered.truncate(MAX_EDGES);

    writeln!(writer, "### Identity graph\n")?;
    writeln!(writer, "```mermaid\nflowchart LR")?;
    let mut ids: BTreeMap<&str, String> = BTreeMap::new();
    for (_, edge) in &ordered {
        for node in [edge.from.as_str(), edge.to.as_str()] {
            let next = format!("n{}", ids.len());
            ids.entry(node).or_insert(next);
        }
    }
    for (node, id) in &ids {
        let shape = if node.starts_with("GSA ") {
            format!("{id}[(\"{}\")]", mermaid_label(node))
        } else if node.starts_with("KSA ") {
            format!("{id}([\"{}\"])", mermaid_label(node))
        } else {
            format!("{id}[\"{}\"]", mermaid_label(node))
        };
        writeln!(writer, "  {shape}")?;
    }
    let mut hot_links = Vec::new();
    for (i, (hot, edge)) in ordered.iter().enumerate() {
        writeln!(
            writer,
            "  {} -- \"{}\" --> {}",
            ids[edge.from.as_str()],
            edge.label,
            ids[edge.to.as_str()]
        )?;
        if *hot {
            hot_links.push(i.to_string());
        }
    }
    if !hot_links.is_empty() {
        writeln!(
            writer,
            "  linkStyle {} stroke:#d73a49,stroke-width:3px",
            hot_links.join(",")
        )?;
    }
    writeln!(writer, "```\n")?;
    if omitted > 0 {
        writeln!(writer, "_{} not shown._\n", plural(omitted, "more edge"))?;
    }
    writeln!(
        writer,
        "Red edges are declared by objects with findings. Workloads → the KSA they run as → the Google service account it is linked to or may impersonate."
    )
}
