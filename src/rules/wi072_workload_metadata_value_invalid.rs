//! WI072 `workload-metadata-value-invalid`: a `gcloud container` command's
//! `--workload-metadata` (or the deprecated `--workload-metadata-from-node`) is not a value
//! gcloud accepts.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar::{WORKLOAD_METADATA_FROM_NODE, WORKLOAD_METADATA_MODES};
use crate::registry::{CommandContext, Rule, RuleMeta};

pub struct WorkloadMetadataValueInvalid;

pub static META: RuleMeta = RuleMeta {
    code: "WI072",
    name: "workload-metadata-value-invalid",
    summary: "A `--workload-metadata` value is not one gcloud accepts",
    default_severity: Severity::Error,
    tags: &["workload-identity", "correctness", "commands", "cluster"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI072.md"),
};

impl Rule for WorkloadMetadataValueInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_command(&self, cx: &CommandContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        let command = cx.command;
        let path: Vec<&str> = command.path.iter().map(String::as_str).collect();
        let container = path.first() == Some(&"gcloud") && path.contains(&"container");
        if !container {
            return;
        }
        for (flag_name, accepted) in [
            ("--workload-metadata", WORKLOAD_METADATA_MODES),
            ("--workload-metadata-from-node", WORKLOAD_METADATA_FROM_NODE),
        ] {
            let Some(value) = command.flag(flag_name).and_then(|f| f.value.as_ref()) else {
                continue;
            };
            if value.has_unknowns() || accepted.contains(&value.value.to_ascii_uppercase().as_str())
            {
                continue;
            }
            let closest = accepted
                .iter()
                .map(|a| {
                    (
                        strsim::jaro_winkler(a, &value.value.to_ascii_uppercase()),
                        *a,
                    )
                })
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .filter(|(score, _)| *score > 0.8)
                .map(|(_, a)| a);
            let help = match closest {
                Some(fixed) => format!("write `{flag_name}={fixed}`"),
                None => format!("use one of {}", accepted.join(", ")),
            };
            out.push(
                Diagnostic::new(
                    &META,
                    format!(
                        "{flag_name} \"{}\" is not a workload metadata mode",
                        value.value
                    ),
                    Label::new(value.span, "not a mode gcloud accepts"),
                )
                .with_note(format!(
                    "gcloud accepts {}: {} fails and changes nothing",
                    accepted.join(", "),
                    command.origin.display
                ))
                .with_help(help),
            );
        }
    }
}
