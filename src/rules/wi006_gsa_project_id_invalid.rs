//! WI006 `gsa-project-id-invalid`: the project ID in a GSA e-mail or a workload identity pool
//! cannot exist (error), or contains a restricted word (warning).

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::facts::Text;
use crate::grammar::{self, GsaValue};
use crate::registry::{Context, GrantContext, Rule, RuleMeta};

pub struct GsaProjectIdInvalid;

pub static META: RuleMeta = RuleMeta {
    code: "WI006",
    name: "gsa-project-id-invalid",
    summary: "The project ID in a GSA e-mail or workload identity pool is not a valid project ID",
    default_severity: Severity::Error,
    tags: &["workload-identity", "correctness"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI006.md"),
};

impl Rule for GsaProjectIdInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_grant(&self, cx: &GrantContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        let member = &cx.grant.member;
        let Some(wi) = &cx.grant.wi else {
            return;
        };
        let pool = wi.pool();
        // Universe-qualified pools (`p.eu0.svc.id.goog`) are not verified.
        let Some(project) = pool
            .strip_suffix(".svc.id.goog")
            .filter(|p| !p.contains('.'))
        else {
            return;
        };
        if let Some(at) = member.value.find(pool) {
            // A project the source leaves unknown (`${var.project_id}`) is no project ID.
            if member.is_unknown(&(at..at + project.len())) {
                return;
            }
            check_project(member, project, at, "workload identity pool", out);
        }
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        if let Some((node, value)) = object.gsa_annotation()
            && let GsaValue::Email(email) = grammar::classify_gsa(value)
            && email.extra.is_empty()
        {
            let at = email.account.len() + 1;
            if let Some(text) = object.doc.text(node) {
                check_project(&text, &email.project, at, "GSA e-mail", out);
            }
        }
    }
}

fn check_project(text: &Text, project: &str, at: usize, field: &str, out: &mut Vec<Diagnostic>) {
    let span = text.span_within(at..at + project.len());
    if let Some(problem) = grammar::project_id_problem(project) {
        out.push(
            Diagnostic::new(
                &META,
                format!("project ID \"{project}\" in the {field} is invalid"),
                Label::new(span, "invalid project ID"),
            )
            .with_note(format!("{problem}; no such project can exist"))
            .with_help("project IDs have 6 to 30 characters: lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen"),
        );
    } else if let Some(word) = grammar::project_id_restricted_word(project) {
        out.push(
            Diagnostic::new(
                &META,
                format!("project ID \"{project}\" in the {field} contains the restricted word \"{word}\""),
                Label::new(span, "restricted word"),
            )
            .with_severity(Severity::Warning)
            .with_note("Google Cloud does not allow it in new project IDs")
            .with_help("check the project ID against the project's settings page"),
        );
    }
}
