//! WI022 `wi-member-invalid-k8s-names`: a Workload Identity member names a namespace or KSA
//! that Kubernetes does not allow, so it can never match.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar::{self, WiMember};
use crate::registry::{GrantContext, Rule, RuleMeta};

pub struct WiMemberInvalidK8sNames;

pub static META: RuleMeta = RuleMeta {
    code: "WI022",
    name: "wi-member-invalid-k8s-names",
    summary: "A Workload Identity member names an impossible Kubernetes namespace or ServiceAccount",
    default_severity: Severity::Error,
    tags: &["workload-identity", "correctness"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI022.md"),
};

impl Rule for WiMemberInvalidK8sNames {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_grant(&self, cx: &GrantContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        if grammar::find_placeholder(&cx.grant.member.value).is_some() {
            return;
        }
        let (ns, ksa) = match &cx.grant.wi {
            Some(WiMember::Legacy { ns, ksa, .. } | WiMember::PrincipalKsa { ns, ksa, .. }) => {
                (ns.as_str(), Some(ksa.as_str()))
            }
            Some(WiMember::NamespaceSet { ns, .. }) => (ns.as_str(), None),
            _ => return,
        };
        let problem = if !grammar::is_namespace_name(ns) {
            format!("\"{ns}\" is not a valid namespace name")
        } else if let Some(ksa) = ksa.filter(|k| !grammar::is_service_account_name(k)) {
            format!("\"{ksa}\" is not a valid ServiceAccount name")
        } else {
            return;
        };
        let shown = ksa.map_or_else(|| ns.to_string(), |k| format!("{ns}/{k}"));
        out.push(
            Diagnostic::new(
                &META,
                problem,
                Label::new(cx.grant.member.span, "impossible name"),
            )
            .with_note(format!("\"{shown}\" can never match a Kubernetes ServiceAccount"))
            .with_help("Kubernetes names are lower-case letters, digits and '-' (ServiceAccounts also '.'); use the names exactly as in the cluster"),
        );
    }
}
