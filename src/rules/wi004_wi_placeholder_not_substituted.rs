//! WI004 `wi-placeholder-not-substituted`: an unreplaced placeholder (`${PROJECT_ID}`,
//! `[GSA_NAME]`, `PROJECT_ID`, `{{ … }}`) in a GSA annotation, a Workload Identity member, or a
//! cluster's `workloadPool`.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::facts::Text;
use crate::grammar::{self, GsaValue};
use crate::registry::{ClusterContext, Context, GrantContext, Rule, RuleMeta};
use crate::settings::Placeholders;
use crate::sources::Language;
use crate::yaml::Node;

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

/// One finding for the placeholders of a value, naming every one of them.
fn report(text: &Text, field: &str, language: Language, out: &mut Vec<Diagnostic>) {
    let value = text.value.as_str();
    // What the source leaves unknown (a Terraform variable) looks like a placeholder, and is
    // not one.
    let mut placeholders = grammar::find_placeholders(value);
    placeholders.retain(|p| !text.is_unknown(&p.range));
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
                text.span_within(first.range.clone()),
                "placeholder",
            ),
        )
        .with_note(format!("the value is \"{value}\""))
        .with_help(match language {
            // A script runs as written: gcloud takes the placeholder for the value.
            Language::Shell => format!(
                "replace {} with the real value, or a variable the script sets; gcloud takes this text literally",
                names.join(", ")
            ),
            Language::Yaml | Language::Terraform => format!(
                "substitute {} before applying (Helm values, kustomize replacements, envsubst); the API server takes this text literally",
                names.join(", ")
            ),
        });
    for other in rest {
        diagnostic = diagnostic.with_secondary(Label::new(
            text.span_within(other.range.clone()),
            "placeholder",
        ));
    }
    out.push(diagnostic);
}

impl Rule for WiPlaceholderNotSubstituted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_cluster(&self, cx: &ClusterContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        if cx.settings.placeholders == Placeholders::Allow {
            return;
        }
        if let Some(pool) = &cx.cluster.workload_pool {
            let field = match cx.cluster.origin.language {
                Language::Yaml => "workloadPool",
                Language::Terraform => "workload_pool",
                Language::Shell => "--workload-pool",
            };
            report(pool, field, cx.cluster.origin.language, out);
        }
    }

    fn check_grant(&self, cx: &GrantContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        if cx.settings.placeholders == Placeholders::Allow {
            return;
        }
        if grammar::is_wi_looking(&cx.grant.member.value) {
            report(
                &cx.grant.member,
                "Workload Identity member",
                cx.grant.origin.language,
                out,
            );
        }
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        // The files are templates: their placeholders are expected (the other rules skip the
        // values that hold one either way).
        if cx.settings.placeholders == Placeholders::Allow {
            return;
        }
        let object = cx.object;
        let report_node = |node: &Node<'_>, field: &str, out: &mut Vec<Diagnostic>| {
            if let Some(text) = object.doc.text(node) {
                report(&text, field, Language::Yaml, out);
            }
        };
        if let Some((node, value)) = object.gsa_annotation()
            && matches!(grammar::classify_gsa(value), GsaValue::Placeholder(_))
        {
            report_node(node, grammar::GSA_ANNOTATION, out);
        }
    }
}
