//! WI007 `gsa-is-default-or-google-managed`: a KSA is linked to (or a WI member may
//! impersonate) a default or Google-managed service account.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar::{self, GoogleManaged};
use crate::kcc;
use crate::registry::{Context, Rule, RuleMeta};
use crate::yaml::{self, Node};

pub struct GsaIsDefaultOrGoogleManaged;

pub static META: RuleMeta = RuleMeta {
    code: "WI007",
    name: "gsa-is-default-or-google-managed",
    summary: "A workload identity is a default (Editor-by-default) or Google-managed service account",
    default_severity: Severity::Warning,
    tags: &["security", "workload-identity"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI007.md"),
};

impl Rule for GsaIsDefaultOrGoogleManaged {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        if let Some((node, value)) = object.gsa_annotation() {
            if let Some(kind) = grammar::google_managed(value) {
                out.push(diagnostic(cx, node, node, value, kind, "KSA is linked to"));
            }
        }
        // Impersonation targets: `resourceRef.external: projects/P/serviceAccounts/EMAIL`
        // granted to a Workload Identity member.
        for binding in kcc::member_bindings(object) {
            if !yaml::as_str(binding.member).is_some_and(grammar::is_wi_looking) {
                continue;
            }
            let Some(external) = binding.resource_ref.and_then(|r| yaml::get(r, "external")) else {
                continue;
            };
            let Some(email) = yaml::as_str(external).and_then(|e| e.rsplit('/').next()) else {
                continue;
            };
            if let Some(kind) = grammar::google_managed(email) {
                out.push(diagnostic(
                    cx,
                    external,
                    binding.member,
                    email,
                    kind,
                    "this member may impersonate",
                ));
            }
        }
    }
}

fn diagnostic(
    cx: &Context<'_, '_>,
    node: &Node<'_>,
    subject: &Node<'_>,
    email: &str,
    kind: GoogleManaged,
    who: &str,
) -> Diagnostic {
    let object = cx.object;
    let (message, why, severity) = match kind {
        GoogleManaged::ComputeDefault | GoogleManaged::AppEngineDefault => {
            let name = if kind == GoogleManaged::ComputeDefault {
                "Compute Engine"
            } else {
                "App Engine"
            };
            (
                format!("{who} the {name} default service account"),
                format!("{email} is granted roles/editor on the project by default"),
                Severity::Warning,
            )
        }
        GoogleManaged::ServiceAgent | GoogleManaged::ApiAgent => (
            format!("{email} is a Google-managed service agent"),
            "service agents must not be used as a workload identity".to_string(),
            Severity::Error,
        ),
    };
    let mut d = Diagnostic::new(
        &META,
        message,
        Label::new(object.span(node), "not a dedicated service account"),
    )
    .with_severity(severity)
    .with_note(why)
    .with_help("create a dedicated, least-privilege service account for this workload");
    if !std::ptr::eq(node, subject) {
        d = d.with_secondary(Label::new(object.span(subject), "granted to this member"));
    }
    d
}
