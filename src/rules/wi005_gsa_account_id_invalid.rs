//! WI005 `gsa-account-id-invalid`: the account ID (local part) of the GSA e-mail cannot exist
//! (6–30 characters, lower-case letters, digits and hyphens, starting with a letter).

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar::{self, GsaValue};
use crate::registry::{Context, Rule, RuleMeta};

pub struct GsaAccountIdInvalid;

pub static META: RuleMeta = RuleMeta {
    code: "WI005",
    name: "gsa-account-id-invalid",
    summary: "The account ID of the GSA e-mail is not a valid service account ID",
    default_severity: Severity::Error,
    tags: &["workload-identity", "correctness"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI005.md"),
};

impl Rule for GsaAccountIdInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        let Some((node, value)) = object.gsa_annotation() else {
            return;
        };
        let GsaValue::Email(email) = grammar::classify_gsa(value) else {
            return;
        };
        // Domain-scoped and universe e-mails are not verified (catalogue F1.4, F1.5).
        if !email.extra.is_empty() {
            return;
        }
        let Some(problem) = grammar::account_id_problem(&email.account) else {
            return;
        };
        let message = format!(
            "service account ID \"{}\" in {} is invalid",
            email.account,
            object.display()
        );
        out.push(
            Diagnostic::new(
                &META,
                message,
                Label::new(object.doc.span_within(node, 0..email.account.len()), "invalid account ID"),
            )
            .with_note(format!("{problem}; such an account cannot exist"))
            .with_help("account IDs have 6 to 30 characters: lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen"),
        );
    }
}
