//! WI027 `wi-broad-principalset`: a namespace- or cluster-wide principal set is granted an
//! impersonation or owner-level role; a namespace set spans every cluster of the project
//! ("regardless of service account or cluster", F3.1, F4).

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar::{self, WiMember};
use crate::registry::{GrantContext, Rule, RuleMeta};

pub struct WiBroadPrincipalset;

pub static META: RuleMeta = RuleMeta {
    code: "WI027",
    name: "wi-broad-principalset",
    summary: "A namespace- or cluster-wide principal set is granted impersonation, owner, editor or an admin role",
    default_severity: Severity::Warning,
    tags: &["security", "workload-identity"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI027.md"),
};

fn is_broad_role(role: &str) -> bool {
    matches!(
        role,
        "roles/owner" | "roles/editor" | "roles/iam.serviceAccountTokenCreator"
    ) || role == grammar::WI_ROLE
        || role.ends_with("Admin")
        || role
            .rsplit_once('.')
            .is_some_and(|(_, last)| last == "admin")
}

impl Rule for WiBroadPrincipalset {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_grant(&self, cx: &GrantContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        let grant = cx.grant;
        let (scope, reach) = match &grant.wi {
            Some(WiMember::NamespaceSet { ns, .. }) => (
                format!("every pod of namespace \"{ns}\""),
                "the set spans every cluster of the project, whatever the pod's KSA",
            ),
            Some(WiMember::ClusterSet { .. }) => (
                "every pod of the cluster".to_string(),
                "the set covers every pod, whatever its namespace and KSA",
            ),
            _ => return,
        };
        let Some(role) = grant.role.as_ref().filter(|r| is_broad_role(&r.value)) else {
            return;
        };
        out.push(
            Diagnostic::new(
                &META,
                format!("{} is granted to {scope}", role.value),
                Label::new(grant.member.span, "a broad principal set"),
            )
            .with_note(reach)
            .with_secondary(Label::new(role.span, "a powerful role"))
            .with_help("grant it to the one KSA that needs it: `principal://…/subject/ns/NAMESPACE/sa/KSA`"),
        );
    }
}
