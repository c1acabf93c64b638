//! The default format: codespan-reporting diagnostics pointing at the exact YAML node, with
//! the fix as `help:` and the Helm template as a note, then a summary line.

use std::fmt::Write as _;
use std::io;
use std::time::Duration;

use codespan_reporting::diagnostic::{
    Diagnostic as CsDiagnostic, Label as CsLabel, Severity as CsSeverity,
};
use codespan_reporting::term::{self, Config, termcolor::WriteColor};

use super::{Summary, plural};
use crate::diagnostic::{Diagnostic, Severity};
use crate::report::Report;
use crate::source::Files;

fn to_codespan(diagnostic: &Diagnostic) -> CsDiagnostic<usize> {
    let severity = match diagnostic.severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Note => CsSeverity::Note,
    };
    let primary = &diagnostic.primary;
    let mut labels = vec![
        CsLabel::primary(primary.span.file, primary.span.start..primary.span.end)
            .with_message(&primary.message),
    ];
    labels.extend(diagnostic.secondary.iter().map(|label| {
        CsLabel::secondary(label.span.file, label.span.start..label.span.end)
            .with_message(&label.message)
    }));
    let mut notes = Vec::new();
    if let Some(note) = &diagnostic.note {
        notes.push(format!("note: {note}"));
    }
    if let Some(help) = &diagnostic.help {
        notes.push(format!("help: {help}"));
    }
    if let Some(rendered) = &diagnostic.rendered {
        notes.push(format!("note: rendered at {}", rendered.describe()));
    } else if let Some(template) = &diagnostic.source_template {
        notes.push(format!("note: rendered from Helm template {template}"));
    }
    notes.push(format!(
        "rule: `wilint rule {}` ({})",
        diagnostic.rule.code, diagnostic.rule.name
    ));
    CsDiagnostic::new(severity)
        .with_code(diagnostic.rule.code)
        .with_message(&diagnostic.message)
        .with_labels(labels)
        .with_notes(notes)
}

/// Renders one diagnostic (used by snapshot tests and the CLI alike).
pub fn emit(writer: &mut dyn WriteColor, files: &Files, diagnostic: &Diagnostic) -> io::Result<()> {
    let config = Config::default();
    term::emit_to_write_style(writer, &config, files, &to_codespan(diagnostic)).map_err(|e| match e
    {
        codespan_reporting::files::Error::Io(io) => io,
        other => io::Error::other(other.to_string()),
    })
}

pub fn write(
    writer: &mut dyn WriteColor,
    report: &Report,
    elapsed: Option<Duration>,
) -> io::Result<()> {
    for diagnostic in &report.diagnostics {
        emit(writer, &report.files, diagnostic)?;
    }
    let summary = Summary::of(report);
    let mut line = format!(
        "{}, {}, {} in {} ({})",
        plural(summary.errors, "error"),
        plural(summary.warnings, "warning"),
        plural(summary.notes, "note"),
        plural(summary.files, "file"),
        plural(summary.documents, "document"),
    );
    if summary.suppressed > 0 {
        let _ = write!(line, ", {} suppressed", summary.suppressed);
    }
    if let Some(elapsed) = elapsed {
        let _ = write!(line, " in {:.2}s", elapsed.as_secs_f64());
    }
    writeln!(writer, "{line}")
}

/// Renders diagnostics as plain text, without colour (for tests and snapshots).
pub fn render_plain(files: &Files, diagnostics: &[Diagnostic]) -> String {
    let mut buffer = term::termcolor::NoColor::new(Vec::new());
    for diagnostic in diagnostics {
        // Writing to a Vec cannot fail.
        let _ = emit(&mut buffer, files, diagnostic);
    }
    String::from_utf8_lossy(&buffer.into_inner()).into_owned()
}
