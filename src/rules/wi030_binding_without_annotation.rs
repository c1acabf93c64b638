//! WI030 `binding-without-annotation`: a binding lets a KSA impersonate a GSA, but the KSA is
//! not annotated with that GSA; "both the IAM allow policy and the annotation are required".

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar;
use crate::registry::{Context, Rule, RuleMeta};

pub struct BindingWithoutAnnotation;

pub static META: RuleMeta = RuleMeta {
    code: "WI030",
    name: "binding-without-annotation",
    summary: "A KSA may impersonate a GSA through an IAM binding but is not annotated with it",
    default_severity: Severity::Error,
    tags: &["security", "workload-identity", "cross-object"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI030.md"),
};

impl Rule for BindingWithoutAnnotation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        let (Some(name), true) = (object.name, object.is_core("ServiceAccount")) else {
            return;
        };
        let annotation = object.gsa_annotation();
        // Parsed once, not per binding.
        let annotated = annotation.and_then(|(_, email)| crate::facts::GsaId::from_email(email));
        for binding in cx.index.wi_grants_for(&object.namespace, name) {
            let Some(gsa) = binding.gsa().filter(|_| binding.is_impersonation()) else {
                continue;
            };
            let ksa = object.namespace.qualify(name);
            let (message, note, anchor, label) = match annotation {
                None => (
                    format!("{ksa} is not annotated with the GSA it may impersonate"),
                    format!(
                        "it may impersonate {}; without the annotation its pods run as the federated principal, not the GSA",
                        gsa.display()
                    ),
                    object.anchor(),
                    "no iam.gke.io/gcp-service-account annotation",
                ),
                Some((value, email)) if !annotated.as_ref().is_some_and(|a| gsa.same(a)) => (
                    format!("{ksa} is annotated with another GSA than the one it may impersonate"),
                    format!(
                        "it may impersonate {} but its annotation names {email}; GKE will ask for a token of {email}, which the binding does not allow",
                        gsa.display()
                    ),
                    value,
                    "another service account",
                ),
                Some(_) => continue,
            };
            let fix = match &gsa.project {
                Some(_) => format!(
                    "annotate it: `{}: {}`",
                    grammar::GSA_ANNOTATION,
                    gsa.display()
                ),
                None => format!(
                    "annotate it with `{}: {}@PROJECT_ID.iam.gserviceaccount.com`",
                    grammar::GSA_ANNOTATION,
                    gsa.account
                ),
            };
            out.push(
                Diagnostic::new(&META, message, Label::new(object.span(anchor), label))
                    .with_note(note)
                    .with_secondary(Label::new(
                        binding.member.span,
                        format!(
                            "{}: grants {} here",
                            binding.origin.display,
                            grammar::WI_ROLE
                        ),
                    ))
                    .with_help(fix),
            );
        }
    }
}
