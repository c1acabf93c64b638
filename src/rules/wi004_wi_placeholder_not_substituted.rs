//! WI004 `wi-placeholder-not-substituted`: an unreplaced placeholder (`${PROJECT_ID}`,
//! `[GSA_NAME]`, `PROJECT_ID`, `{{ … }}`) in a GSA annotation, a Workload Identity member, or a
//! cluster's `workloadPool`.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar::{self, GsaValue};
use crate::kcc;
use crate::registry::{Context, Rule, RuleMeta};
use crate::yaml::{self, Node};

pub struct WiPlaceholderNotSubstituted;

pub static META: RuleMeta = RuleMeta {
    code: "WI004",
    name: "wi-placeholder-not-substituted",
    summary: "An unreplaced placeholder in a GSA annotation, a Workload Identity member or a workload pool",
    default_severity: Severity::Error,
    tags: &["workload-identity", "correctness"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI004.md"),
};

impl Rule for WiPlaceholderNotSubstituted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        let mut report = |node: &Node<'_>, field: &str| {
            let Some(value) = yaml::as_str(node) else {
                return;
            };
            let Some(placeholder) = grammar::find_placeholder(value) else {
                return;
            };
            let message = format!(
                "unreplaced placeholder \"{}\" in {field} \"{value}\"",
                placeholder.token
            );
            out.push(
                Diagnostic::new(
                    &META,
                    message,
                    Label::new(
                        object.doc.span_within(node, placeholder.range.clone()),
                        "placeholder",
                    ),
                )
                .with_help(format!(
                    "substitute \"{}\" before applying (Helm values, kustomize replacements, envsubst); the API server takes this text literally",
                    placeholder.token
                )),
            );
        };
        if let Some((node, value)) = object.gsa_annotation() {
            if matches!(grammar::classify_gsa(value), GsaValue::Placeholder(_)) {
                report(node, grammar::GSA_ANNOTATION);
            }
        }
        for binding in kcc::member_bindings(object) {
            if yaml::as_str(binding.member).is_some_and(grammar::is_wi_looking) {
                report(binding.member, "Workload Identity member");
            }
        }
        if object.api_group() == "container.cnrm.cloud.google.com"
            && object.kind == "ContainerCluster"
        {
            if let Some(pool) = yaml::get_path(
                object.node,
                &["spec", "workloadIdentityConfig", "workloadPool"],
            ) {
                report(pool, "workloadPool");
            }
        }
    }
}
