//! WI064 `kcc-iamserviceaccount-id-invalid`: a Config Connector `IAMServiceAccount` whose
//! account ID (`spec.resourceID`, else `metadata.name`) cannot exist.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar;
use crate::registry::{Context, Rule, RuleMeta};
use crate::yaml;

pub struct KccIamserviceaccountIdInvalid;

pub static META: RuleMeta = RuleMeta {
    code: "WI064",
    name: "kcc-iamserviceaccount-id-invalid",
    summary: "A Config Connector IAMServiceAccount has an invalid account ID",
    default_severity: Severity::Error,
    tags: &["workload-identity", "correctness"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI064.md"),
};

impl Rule for KccIamserviceaccountIdInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        if object.api_group() != "iam.cnrm.cloud.google.com" || object.kind != "IAMServiceAccount" {
            return;
        }
        let (node, field) = match yaml::get_path(object.node, &["spec", "resourceID"]) {
            Some(node) => (node, "spec.resourceID"),
            None => match object.metadata.and_then(|m| yaml::get(m, "name")) {
                Some(node) => (node, "metadata.name, used when spec.resourceID is unset"),
                None => return,
            },
        };
        let Some(id) = yaml::as_str(node) else {
            return;
        };
        if grammar::find_placeholder(id).is_some() {
            return;
        }
        let Some(problem) = grammar::account_id_problem(id) else {
            return;
        };
        out.push(
            Diagnostic::new(
                &META,
                format!("account ID \"{id}\" of {} is invalid", object.display()),
                Label::new(object.span(node), "invalid account ID"),
            )
            .with_note(format!("{problem}; Config Connector cannot create this service account (the ID comes from {field})"))
            .with_help("set `spec.resourceID` to 6 to 30 lower-case letters, digits and hyphens, starting with a letter"),
        );
    }
}
