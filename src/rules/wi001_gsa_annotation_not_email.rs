//! WI001 `gsa-annotation-not-email`: the `iam.gke.io/gcp-service-account` value is not an
//! e-mail at all (empty, no `@`, white space or quotes).

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar::{self, GsaValue};
use crate::registry::{Context, Rule, RuleMeta};

pub struct GsaAnnotationNotEmail;

pub static META: RuleMeta = RuleMeta {
    code: "WI001",
    name: "gsa-annotation-not-email",
    summary: "The `iam.gke.io/gcp-service-account` value is not a Google service account e-mail",
    default_severity: Severity::Error,
    tags: &["security", "workload-identity", "correctness"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI001.md"),
};

impl Rule for GsaAnnotationNotEmail {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        // As written: an empty value is this rule's finding, and no other rule's (no rule
        // takes it for a link).
        let Some((node, value)) = object.gsa_annotation_as_written() else {
            return;
        };
        if value.trim().is_empty() {
            out.push(
                Diagnostic::new(
                    &META,
                    format!(
                        "{} on {} is empty",
                        grammar::GSA_ANNOTATION,
                        object.display()
                    ),
                    Label::new(object.span(node), "empty: not linked"),
                )
                .with_note("the KSA is linked to no Google service account")
                .with_help(
                    "set `GSA_NAME@PROJECT_ID.iam.gserviceaccount.com` (an unset Helm value renders as \"\"), or remove the annotation",
                ),
            );
            return;
        }
        let GsaValue::NotEmail(reason) = grammar::classify_gsa(value) else {
            return;
        };
        let message = format!(
            "{} on {} is not a GSA e-mail",
            grammar::GSA_ANNOTATION,
            object.display()
        );
        let help = if value.contains('@') {
            "use `GSA_NAME@PROJECT_ID.iam.gserviceaccount.com`".to_string()
        } else {
            format!(
                "if \"{}\" is the account ID, use `{}@PROJECT_ID.iam.gserviceaccount.com`",
                value.trim(),
                value.trim()
            )
        };
        out.push(
            Diagnostic::new(
                &META,
                message,
                Label::new(object.span(node), "not an e-mail"),
            )
            .with_note(format!("the value is \"{value}\": {reason}"))
            .with_help(help),
        );
    }
}
