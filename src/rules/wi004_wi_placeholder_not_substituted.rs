//! WI004 `wi-placeholder-not-substituted`: an unreplaced placeholder (`${PROJECT_ID}`,
//! `[GSA_NAME]`, `PROJECT_ID`, `{{ … }}`) in a GSA annotation, a Workload Identity member, or a
//! cluster's `workloadPool`.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar::{self, GsaValue};
use crate::kcc;
use crate::registry::{Context, Rule, RuleMeta};
use crate::settings::Placeholders;
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
        // The files are templates: their placeholders are expected (the other rules skip the
        // values that hold one either way).
        if cx.settings.placeholders == Placeholders::Allow {
            return;
        }
        let object = cx.object;
        let mut report = |node: &Node<'_>, field: &str| {
            let Some(value) = yaml::as_str(node) else {
                return;
            };
            let placeholders = grammar::find_placeholders(value);
            let Some((first, rest)) = placeholders.split_first() else {
                return;
            };
            // One finding per value, naming every placeholder in it: substituting only the
            // first would leave the value as wrong as before.
            let quoted = |p: &grammar::Placeholder| format!("\"{}\"", p.token);
            let names: Vec<String> = placeholders.iter().map(quoted).collect();
            let message = if rest.is_empty() {
                format!("unreplaced placeholder {} in {field}", names[0])
            } else {
                format!("unreplaced placeholders {} in {field}", names.join(", "))
            };
            let mut diagnostic = Diagnostic::new(
                &META,
                message,
                Label::new(
                    object.doc.span_within(node, first.range.clone()),
                    "placeholder",
                ),
            )
            .with_note(format!("the value is \"{value}\""))
            .with_help(format!(
                "substitute {} before applying (Helm values, kustomize replacements, envsubst); the API server takes this text literally",
                names.join(", ")
            ));
            for other in rest {
                diagnostic = diagnostic.with_secondary(Label::new(
                    object.doc.span_within(node, other.range.clone()),
                    "placeholder",
                ));
            }
            out.push(diagnostic);
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
