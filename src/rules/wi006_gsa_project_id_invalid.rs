//! WI006 `gsa-project-id-invalid`: the project ID in a GSA e-mail or a workload identity pool
//! cannot exist (error), or contains a restricted word (warning).

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar::{self, GsaValue, WiMember};
use crate::kcc;
use crate::registry::{Context, Rule, RuleMeta};
use crate::yaml::{self, Node};

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

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        if let Some((node, value)) = object.gsa_annotation() {
            if let GsaValue::Email(email) = grammar::classify_gsa(value) {
                if email.extra.is_empty() {
                    let at = email.account.len() + 1;
                    check_project(cx, node, &email.project, at, "GSA e-mail", out);
                }
            }
        }
        for binding in kcc::member_bindings(object) {
            let Some(value) = yaml::as_str(binding.member) else {
                continue;
            };
            let Some(member) = WiMember::parse(value) else {
                continue;
            };
            let pool = member.pool();
            // Universe-qualified pools (`p.eu0.svc.id.goog`) are not verified.
            let Some(project) = pool
                .strip_suffix(".svc.id.goog")
                .filter(|p| !p.contains('.'))
            else {
                continue;
            };
            if let Some(at) = value.find(pool) {
                check_project(
                    cx,
                    binding.member,
                    project,
                    at,
                    "workload identity pool",
                    out,
                );
            }
        }
    }
}

fn check_project(
    cx: &Context<'_, '_>,
    node: &Node<'_>,
    project: &str,
    at: usize,
    field: &str,
    out: &mut Vec<Diagnostic>,
) {
    let span = cx.object.doc.span_within(node, at..at + project.len());
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
