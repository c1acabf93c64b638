//! WI020 `wi-member-malformed`: a string meant to be a Workload Identity member or principal
//! matches none of the documented forms.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar;
use crate::registry::{GrantContext, Rule, RuleMeta};

pub struct WiMemberMalformed;

pub static META: RuleMeta = RuleMeta {
    code: "WI020",
    name: "wi-member-malformed",
    summary: "A Workload Identity member or principal matches none of the documented forms",
    default_severity: Severity::Error,
    tags: &["security", "workload-identity", "correctness"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI020.md"),
};

impl Rule for WiMemberMalformed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_grant(&self, cx: &GrantContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        let member = cx.grant.member.value.as_str();
        if !grammar::is_wi_looking(member)
            || cx.grant.wi.is_some()
            || grammar::is_non_gke_pool_principal(member)
            || grammar::find_placeholder(member).is_some()
        {
            return;
        }
        let cause = grammar::diagnose_member(member);
        let template = if member.starts_with("principal") {
            "principal://iam.googleapis.com/projects/PROJECT_NUMBER/locations/global/workloadIdentityPools/PROJECT_ID.svc.id.goog/subject/ns/NAMESPACE/sa/KSA"
        } else {
            "serviceAccount:PROJECT_ID.svc.id.goog[NAMESPACE/KSA]"
        };
        out.push(
            Diagnostic::new(
                &META,
                format!("\"{member}\" is a malformed Workload Identity member"),
                Label::new(cx.grant.member.span, "matches no member form"),
            )
            .with_note(cause)
            .with_help(format!("the form is `{template}`")),
        );
    }
}
