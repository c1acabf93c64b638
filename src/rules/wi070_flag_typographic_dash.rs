//! WI070 `flag-typographic-dash`: a command's flag is written with an en or em dash (`— role`,
//! `–member`) instead of `--`, as a blog's or word processor's typography turns it.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::registry::{CommandContext, Rule, RuleMeta};

pub struct FlagTypographicDash;

pub static META: RuleMeta = RuleMeta {
    code: "WI070",
    name: "flag-typographic-dash",
    summary: "A command's flag is written with an en or em dash instead of `--`",
    default_severity: Severity::Error,
    tags: &["workload-identity", "correctness", "commands"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI070.md"),
};

impl Rule for FlagTypographicDash {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_command(&self, cx: &CommandContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        let command = cx.command;
        for flag in &command.flags {
            let Some((span, dash)) = flag.dash else {
                continue;
            };
            let what = match dash {
                '\u{2013}' => "an en dash (U+2013)",
                '\u{2014}' => "an em dash (U+2014)",
                '\u{2212}' => "a minus sign (U+2212)",
                _ => "a typographic dash",
            };
            out.push(
                Diagnostic::new(
                    &META,
                    format!("`{}` is written with {what}, not `--`", flag.name),
                    Label::new(span, "not `--`"),
                )
                .with_note(format!(
                    "in {}, {} does not read it as a flag: the command fails, or takes it for an argument",
                    command.origin.display,
                    command.path.first().map_or("the program", String::as_str)
                ))
                .with_help(format!("write `{}`", flag.name)),
            );
        }
    }
}
