//! The JSON format, a public contract documented in the README:
//! `{"version": 1, "diagnostics": [...], "summary": {...}}`.

use std::io::{self, Write};

use serde::Serialize;

use super::Summary;
use crate::diagnostic::{Label, Severity};
use crate::report::Report;
use crate::source::Files;

/// Bump when a field changes meaning or disappears; adding fields keeps the version.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    name: &'static str,
    severity: Severity,
    message: &'a str,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    help: Option<&'a str>,
    /// Why it matters, when the message (the headline) cannot say it all.
    note: Option<&'a str>,
    source_template: Option<&'a str>,
    /// Where a finding moved onto a file of the repository was in the rendered output.
    rendered: Option<JsonRendered<'a>>,
    related: Vec<JsonLocation<'a>>,
}

#[derive(Serialize)]
struct JsonRendered<'a> {
    output: &'a str,
    line: usize,
    column: usize,
    excerpt: &'a str,
}

#[derive(Serialize)]
struct JsonLocation<'a> {
    message: &'a str,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

fn location<'a>(files: &'a Files, label: &'a Label) -> JsonLocation<'a> {
    let ((line, column), (end_line, end_column)) = files.span_positions(label.span);
    JsonLocation {
        message: &label.message,
        path: &files.get(label.span.file).name,
        line,
        column,
        end_line,
        end_column,
    }
}

pub fn write(writer: &mut dyn Write, report: &Report) -> io::Result<()> {
    let diagnostics = report
        .diagnostics
        .iter()
        .map(|d| {
            let primary = location(&report.files, &d.primary);
            JsonDiagnostic {
                code: d.rule.code,
                name: d.rule.name,
                severity: d.severity,
                message: &d.message,
                path: primary.path,
                line: primary.line,
                column: primary.column,
                end_line: primary.end_line,
                end_column: primary.end_column,
                help: d.help.as_deref(),
                note: d.note.as_deref(),
                source_template: d.source_template.as_deref(),
                rendered: d.rendered.as_ref().map(|r| JsonRendered {
                    output: &r.output,
                    line: r.line,
                    column: r.column,
                    excerpt: &r.excerpt,
                }),
                related: d
                    .secondary
                    .iter()
                    .map(|l| location(&report.files, l))
                    .collect(),
            }
        })
        .collect();
    let output = Output {
        version: SCHEMA_VERSION,
        diagnostics,
        summary: Summary::of(report),
    };
    serde_json::to_writer_pretty(&mut *writer, &output)?;
    writeln!(writer)
}
