//! `path:line:col: severity[CODE] message`, one line per finding (editors and grep).

use std::io::{self, Write};

use crate::report::Report;

pub fn write(writer: &mut dyn Write, report: &Report) -> io::Result<()> {
    for diagnostic in &report.diagnostics {
        let file = report.files.get(diagnostic.primary.span.file);
        let ((line, column), _) = report.files.span_positions(diagnostic.primary.span);
        writeln!(
            writer,
            "{}:{line}:{column}: {}[{}] {}",
            file.name, diagnostic.severity, diagnostic.rule.code, diagnostic.message
        )?;
    }
    Ok(())
}
