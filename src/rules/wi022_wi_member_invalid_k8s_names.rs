//! WI022 `wi-member-invalid-k8s-names`: a Workload Identity member names a namespace or KSA
//! that Kubernetes does not allow, so it can never match.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar::{self, WiMember};
use crate::kcc;
use crate::registry::{Context, Rule, RuleMeta};
use crate::yaml;

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

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for binding in kcc::member_bindings(cx.object) {
            let Some(value) = yaml::as_str(binding.member) else {
                continue;
            };
            if grammar::find_placeholder(value).is_some() {
                continue;
            }
            let Some(member) = WiMember::parse(value) else {
                continue;
            };
            let (ns, ksa) = match &member {
                WiMember::Legacy { ns, ksa, .. } | WiMember::PrincipalKsa { ns, ksa, .. } => {
                    (ns.as_str(), Some(ksa.as_str()))
                }
                WiMember::NamespaceSet { ns, .. } => (ns.as_str(), None),
                _ => continue,
            };
            let problem = if !grammar::is_namespace_name(ns) {
                format!("\"{ns}\" is not a valid namespace name")
            } else if let Some(ksa) = ksa.filter(|k| !grammar::is_service_account_name(k)) {
                format!("\"{ksa}\" is not a valid ServiceAccount name")
            } else {
                continue;
            };
            let shown = ksa.map_or_else(|| ns.to_string(), |k| format!("{ns}/{k}"));
            out.push(
                Diagnostic::new(
                    &META,
                    problem,
                    Label::new(cx.object.span(binding.member), "impossible name"),
                )
                .with_note(format!("\"{shown}\" can never match a Kubernetes ServiceAccount"))
                .with_help("Kubernetes names are lower-case letters, digits and '-' (ServiceAccounts also '.'); use the names exactly as in the cluster"),
            );
        }
    }
}
