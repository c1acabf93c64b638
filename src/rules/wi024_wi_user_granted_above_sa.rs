//! WI024 `wi-user-granted-above-sa`: the impersonation role is granted on a project, folder or
//! organization, which covers every service account in it, present and future.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::facts::Target;
use crate::grammar;
use crate::registry::{GrantContext, Rule, RuleMeta};
use crate::sources::Language;

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

    fn check_grant(&self, cx: &GrantContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        let grant = cx.grant;
        let Some(role_text) = &grant.role else {
            return;
        };
        let role = role_text.value.as_str();
        if role != grammar::WI_ROLE && role != "roles/iam.serviceAccountTokenCreator" {
            return;
        }
        let Target::Container { container, span } = grant.target else {
            return;
        };
        let member = &grant.member.value;
        out.push(
            Diagnostic::new(
                &META,
                format!("{role} is granted on the whole {container}"),
                Label::new(span, format!("granted on the whole {container}")),
            )
            .with_note(format!("it lets {member} impersonate every service account in the {container}, including future ones"))
            .with_secondary(Label::new(role_text.span, "impersonation role"))
            .with_help(match grant.origin.language {
                Language::Yaml => "grant it on the specific IAMServiceAccount (`resourceRef: {kind: IAMServiceAccount, name: …}`)",
                Language::Terraform => "grant it on the specific service account: `google_service_account_iam_member` with its `service_account_id`",
                Language::Shell => "grant it on the specific service account: `gcloud iam service-accounts add-iam-policy-binding GSA_EMAIL --role=… --member=…`",
            }),
        );
    }
}
