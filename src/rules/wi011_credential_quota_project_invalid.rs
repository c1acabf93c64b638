//! WI011 `credential-quota-project-invalid`: `iam.gke.io/credential-quota-project` names no
//! valid project ID.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar;
use crate::registry::{Context, Rule, RuleMeta};
use crate::yaml;

pub struct CredentialQuotaProjectInvalid;

pub static META: RuleMeta = RuleMeta {
    code: "WI011",
    name: "credential-quota-project-invalid",
    summary: "`iam.gke.io/credential-quota-project` is not a valid project ID",
    default_severity: Severity::Warning,
    tags: &["workload-identity", "correctness"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI011.md"),
};

const KEY: &str = "iam.gke.io/credential-quota-project";

impl Rule for CredentialQuotaProjectInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        if !object.is_core("ServiceAccount") {
            return;
        }
        let Some((_, node)) = object.annotation(KEY) else {
            return;
        };
        // A non-string value is WI010's finding; a placeholder is not a project either.
        let Some(value) = yaml::as_str(node) else {
            return;
        };
        let problem = if grammar::is_project_number(value) {
            "it is a project number; the annotation takes the project ID".to_string()
        } else if let Some(problem) = grammar::project_id_problem(value) {
            problem
        } else {
            return;
        };
        out.push(
            Diagnostic::new(
                &META,
                format!("{KEY} on {} is not a valid project ID", object.display()),
                Label::new(object.span(node), "invalid quota project"),
            )
            .with_note(format!("the value is \"{value}\": {problem}"))
            .with_help("use the ID of the project that should be charged for token quota"),
        );
    }
}
