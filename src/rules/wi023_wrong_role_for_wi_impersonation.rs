//! WI023 `wrong-role-for-wi-impersonation`: a Workload Identity member is granted a role on a
//! GSA that does not (or does more than) let it impersonate the GSA.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::facts::Target;
use crate::grammar;
use crate::registry::{GrantContext, Rule, RuleMeta};
use crate::sources::Language;

pub struct WrongRoleForWiImpersonation;

pub static META: RuleMeta = RuleMeta {
    code: "WI023",
    name: "wrong-role-for-wi-impersonation",
    summary: "A Workload Identity member gets a role on a GSA other than `roles/iam.workloadIdentityUser`",
    default_severity: Severity::Error,
    tags: &["security", "workload-identity", "correctness"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI023.md"),
};

/// A role string folded for comparison: lower case, punctuation removed.
fn fold(role: &str) -> String {
    role.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

impl Rule for WrongRoleForWiImpersonation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_grant(&self, cx: &GrantContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        let grant = cx.grant;
        if !matches!(grant.target, Target::ServiceAccount(_)) {
            return;
        }
        let member = grant.member.value.as_str();
        if !grammar::is_wi_looking(member) || grammar::is_non_gke_pool_principal(member) {
            return;
        }
        let Some(role_text) = &grant.role else {
            return;
        };
        let role = role_text.value.as_str();
        // The problem (the headline), and why it is one (the start of the note).
        let (severity, problem, why) = if role == grammar::WI_ROLE {
            return;
        } else if role == "roles/iam.serviceAccountUser" {
            (Severity::Error, "roles/iam.serviceAccountUser does not allow minting tokens for the service account".to_string(), "")
        } else if fold(role) == fold(grammar::WI_ROLE) {
            (
                Severity::Error,
                format!("\"{role}\" is a misspelling of {}", grammar::WI_ROLE),
                "IAM role names are exact; ",
            )
        } else if role == "roles/iam.serviceAccountTokenCreator" {
            (
                Severity::Warning,
                "roles/iam.serviceAccountTokenCreator grants more than impersonation".to_string(),
                "it works, but also grants signBlob, signJwt and implicit delegation; ",
            )
        } else {
            return;
        };
        out.push(
            Diagnostic::new(&META, problem, Label::new(role_text.span, "wrong role"))
                .with_severity(severity)
                .with_note(format!(
                    "{why}Workload Identity impersonation needs {}",
                    grammar::WI_ROLE
                ))
                .with_secondary(Label::new(
                    grant.member.span,
                    "granted to this Workload Identity member",
                ))
                .with_help(match grant.origin.language {
                    Language::Yaml => format!("use `role: {}`", grammar::WI_ROLE),
                    Language::Terraform => format!("use `role = \"{}\"`", grammar::WI_ROLE),
                    Language::Shell => format!("use `--role={}`", grammar::WI_ROLE),
                }),
        );
    }
}
