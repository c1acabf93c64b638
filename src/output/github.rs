//! GitHub workflow commands: one `::error`/`::warning`/`::notice` annotation per finding,
//! shown on the pull request's diff without uploading anything.

use std::io::{self, Write};

use crate::diagnostic::Severity;
use crate::report::Report;

/// Escapes a command's message (GitHub's `escapeData`).
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property (GitHub's `escapeProperty`).
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

pub fn write(writer: &mut dyn Write, report: &Report) -> io::Result<()> {
    for d in &report.diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let file = &report.files.get(d.primary.span.file).name;
        let ((line, col), (end_line, end_column)) = report.files.span_positions(d.primary.span);
        let mut message = d.message.clone();
        if let Some(note) = &d.note {
            message.push_str("\n\n");
            message.push_str(note);
        }
        if let Some(help) = &d.help {
            message.push_str("\n\nhelp: ");
            message.push_str(help);
        }
        if let Some(rendered) = &d.rendered {
            message.push_str("\nrendered at ");
            message.push_str(&rendered.describe());
        } else if let Some(template) = &d.source_template {
            message.push_str("\nrendered from Helm template ");
            message.push_str(template);
        }
        writeln!(
            writer,
            "::{command} file={},line={line},col={col},endLine={end_line},endColumn={end_column},title={}::{}",
            escape_property(file),
            escape_property(&format!("{} {}", d.rule.code, d.rule.name)),
            escape_data(&message)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_per_github_rules() {
        assert_eq!(escape_data("50% a\nb\r"), "50%25 a%0Ab%0D");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
