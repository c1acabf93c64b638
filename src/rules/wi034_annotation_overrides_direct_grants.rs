//! WI034 `annotation-overrides-direct-grants`: an annotated KSA also receives direct grants
//! through `principal://…/subject/ns/NS/sa/KSA`; with the annotation its pods authenticate as
//! the GSA, so the direct grants are unused.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar::{self, WiMember};
use crate::registry::{Context, Rule, RuleMeta};

pub struct AnnotationOverridesDirectGrants;

pub static META: RuleMeta = RuleMeta {
    code: "WI034",
    name: "annotation-overrides-direct-grants",
    summary: "An annotated KSA also has direct principal grants, which the annotation makes unused",
    default_severity: Severity::Warning,
    tags: &["workload-identity", "cross-object"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI034.md"),
};

impl Rule for AnnotationOverridesDirectGrants {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        let (Some(name), Some((_, email))) = (object.name, object.gsa_annotation()) else {
            return;
        };
        let direct = cx.index.wi_grants_for(&object.namespace, name).find(|b| {
            matches!(b.wi, Some(WiMember::PrincipalKsa { .. }))
                && b.role().is_some_and(|r| r != grammar::WI_ROLE)
        });
        let Some(direct) = direct else {
            return;
        };
        let key = object
            .annotation(grammar::GSA_ANNOTATION)
            .map_or(object.anchor(), |(k, _)| k);
        out.push(
            Diagnostic::new(
                &META,
                format!(
                    "{} is annotated, so the direct grants to its principal are unused",
                    object.display()
                ),
                Label::new(object.span(key), "pods act as the GSA"),
            )
            .with_note(format!(
                "its pods authenticate as the annotated GSA {email}, not with the direct grants (such as {})",
                direct.role().unwrap_or("a role")
            ))
            .with_secondary(Label::new(direct.member.span, "direct grant to the KSA's principal"))
            .with_help("remove the annotation to use the direct grants (the recommended setup), or grant the roles to the GSA"),
        );
    }
}
