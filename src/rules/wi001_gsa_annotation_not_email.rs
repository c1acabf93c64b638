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
        let Some((node, value)) = object.gsa_annotation() else {
            return;
        };
        let GsaValue::NotEmail(reason) = grammar::classify_gsa(value) else {
            return;
        };
        let message = format!(
            "{} on {} must be a Google service account e-mail, got \"{value}\": {reason}",
            grammar::GSA_ANNOTATION,
            object.display()
        );
        let help = if value.contains('@') || value.trim().is_empty() {
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
            .with_help(help),
        );
    }
}
