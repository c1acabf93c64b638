//! WI024 `wi-user-granted-above-sa`: the impersonation role is granted on a project, folder or
//! organization, which covers every service account in it, present and future.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar;
use crate::kcc;
use crate::registry::{Context, Rule, RuleMeta};
use crate::yaml;

pub struct WiUserGrantedAboveSa;

pub static META: RuleMeta = RuleMeta {
    code: "WI024",
    name: "wi-user-granted-above-sa",
    summary: "`roles/iam.workloadIdentityUser` is granted on a project, folder or organization",
    default_severity: Severity::Warning,
    tags: &["security", "workload-identity"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI024.md"),
};

impl Rule for WiUserGrantedAboveSa {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for binding in kcc::member_bindings(cx.object) {
            let Some(role_node) = binding.role else {
                continue;
            };
            let Some(role) = yaml::as_str(role_node) else {
                continue;
            };
            if role != grammar::WI_ROLE && role != "roles/iam.serviceAccountTokenCreator" {
                continue;
            }
            let Some((container, node)) = kcc::container_target(binding.resource_ref) else {
                continue;
            };
            let member = yaml::as_str(binding.member).unwrap_or("this member");
            out.push(
                Diagnostic::new(
                    &META,
                    format!("{role} is granted on the whole {container}"),
                    Label::new(cx.object.span(node), format!("granted on the whole {container}")),
                )
                .with_note(format!("it lets {member} impersonate every service account in the {container}, including future ones"))
                .with_secondary(Label::new(cx.object.span(role_node), "impersonation role"))
                .with_help("grant it on the specific IAMServiceAccount (`resourceRef: {kind: IAMServiceAccount, name: …}`)"),
            );
        }
    }
}
