//! WI027 `wi-broad-principalset`: a namespace- or cluster-wide principal set is granted an
//! impersonation or owner-level role; a namespace set spans every cluster of the project
//! ("regardless of service account or cluster", F3.1, F4).

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar::{self, WiMember};
use crate::registry::{Context, Rule, RuleMeta};

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

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        if !crate::kcc::is_kcc_iam(cx.object) {
            return;
        }
        for binding in cx.index.bindings_of(cx.object) {
            let (scope, reach) = match &binding.member {
                WiMember::NamespaceSet { ns, .. } => (
                    format!("every pod of namespace \"{ns}\""),
                    "the set spans every cluster of the project, whatever the pod's KSA",
                ),
                WiMember::ClusterSet { .. } => (
                    "every pod of the cluster".to_string(),
                    "the set covers every pod, whatever its namespace and KSA",
                ),
                _ => continue,
            };
            let Some(role) = binding.role.filter(|r| is_broad_role(r)) else {
                continue;
            };
            out.push(
                Diagnostic::new(
                    &META,
                    format!("{role} is granted to {scope}"),
                    Label::new(cx.object.span(binding.member_node), "a broad principal set"),
                )
                .with_note(reach)
                .with_secondary(Label::new(cx.object.span(binding.role_node.unwrap_or(binding.member_node)), "a powerful role"))
                .with_help("grant it to the one KSA that needs it: `principal://…/subject/ns/NAMESPACE/sa/KSA`"),
            );
        }
    }
}
