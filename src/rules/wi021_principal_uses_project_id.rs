//! WI021 `principal-uses-project-id`: a `principal://` or `principalSet://` identifier with a
//! project ID where the numeric project number is required.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar::{self, WiMember};
use crate::registry::{GrantContext, Rule, RuleMeta};

pub struct PrincipalUsesProjectId;

pub static META: RuleMeta = RuleMeta {
    code: "WI021",
    name: "principal-uses-project-id",
    summary: "A `principal://` identifier has a project ID where the project number is required",
    default_severity: Severity::Error,
    tags: &["security", "workload-identity", "correctness"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI021.md"),
};

impl Rule for PrincipalUsesProjectId {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_grant(&self, cx: &GrantContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        let value = cx.grant.member.value.as_str();
        if grammar::find_placeholder(value).is_some() {
            return;
        }
        let Some(number) = cx.grant.wi.as_ref().and_then(WiMember::project_number) else {
            return;
        };
        let at = value
            .find("/projects/")
            .map_or(0, |i| i + "/projects/".len());
        let span = cx.grant.member.span_within(at..at + number.len());
        if grammar::is_project_number(number) {
            let configured = cx.settings.project_number.as_deref();
            if let Some(configured) = configured.filter(|c| *c != number) {
                out.push(
                    Diagnostic::new(
                        &META,
                        format!("principal names project number {number}, but the configured project number is {configured}"),
                        Label::new(span, "another project's number"),
                    )
                    .with_help(format!("use {configured}, or fix `project-number` in the configuration")),
                );
            }
            return;
        }
        out.push(
            Diagnostic::new(
                &META,
                format!("principal identifiers require the numeric project number after /projects/, got \"{number}\""),
                Label::new(span, "not a project number"),
            )
            .with_help(format!("replace \"{number}\" with the project's number (`gcloud projects describe {number} --format='value(projectNumber)'`); the pool keeps the project ID")),
        );
    }
}
