//! WI003 `gsa-annotation-has-prefix`: the annotation value carries an IAM prefix
//! (`serviceAccount:`, `projects/…/serviceAccounts/`, …) instead of the bare e-mail.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar::{self, GsaValue};
use crate::registry::{Context, Rule, RuleMeta};

pub struct GsaAnnotationHasPrefix;

pub static META: RuleMeta = RuleMeta {
    code: "WI003",
    name: "gsa-annotation-has-prefix",
    summary: "The `iam.gke.io/gcp-service-account` value has an IAM prefix such as `serviceAccount:`",
    default_severity: Severity::Error,
    tags: &["security", "workload-identity", "correctness"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI003.md"),
};

impl Rule for GsaAnnotationHasPrefix {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        let Some((node, value)) = object.gsa_annotation() else {
            return;
        };
        let GsaValue::Prefixed { prefix, rest } = grammar::classify_gsa(value) else {
            return;
        };
        let prefix_len = value.len() - rest.len();
        let message = format!(
            "{} on {} has the prefix \"{prefix}\"",
            grammar::GSA_ANNOTATION,
            object.display()
        );
        let help = match grammar::classify_gsa(&rest) {
            GsaValue::Email(_) => format!("use `{}: {rest}`", grammar::GSA_ANNOTATION),
            _ => "use the bare `GSA_NAME@PROJECT_ID.iam.gserviceaccount.com`".to_string(),
        };
        out.push(
            Diagnostic::new(
                &META,
                message,
                Label::new(
                    object.doc.span_within(node, 0..prefix_len),
                    "remove this prefix",
                ),
            )
            .with_note(format!(
                "the value must be the bare e-mail, not \"{value}\""
            ))
            .with_help(help),
        );
    }
}
