//! WI025 `wi-user-to-non-wi-member`: `roles/iam.workloadIdentityUser` granted to something that
//! is not a Kubernetes principal, which links no KSA.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar;
use crate::registry::{GrantContext, Rule, RuleMeta};

pub struct WiUserToNonWiMember;

pub static META: RuleMeta = RuleMeta {
    code: "WI025",
    name: "wi-user-to-non-wi-member",
    summary: "`roles/iam.workloadIdentityUser` is granted to a member that is not a Kubernetes principal",
    default_severity: Severity::Warning,
    tags: &["security", "workload-identity"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI025.md"),
};

impl Rule for WiUserToNonWiMember {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_grant(&self, cx: &GrantContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        let grant = cx.grant;
        if grant.role() != Some(grammar::WI_ROLE) {
            return;
        }
        let member = grant.member.value.as_str();
        // Other federations (GitHub, AWS …) use workloadIdentityUser legitimately.
        if grammar::is_wi_looking(member)
            || grammar::is_non_gke_pool_principal(member)
            || grammar::find_placeholder(member).is_some()
        {
            return;
        }
        out.push(
            Diagnostic::new(
                &META,
                format!("\"{member}\" is not a Kubernetes principal"),
                Label::new(grant.member.span, "not a Kubernetes principal"),
            )
            .with_note(format!("it is granted {}, which is meant for Kubernetes principals (…svc.id.goog[NAMESPACE/KSA]); granting it to this member does not link any KSA", grammar::WI_ROLE))
            .with_help("grant it on the GSA to `serviceAccount:PROJECT_ID.svc.id.goog[NAMESPACE/KSA]`"),
        );
    }
}
