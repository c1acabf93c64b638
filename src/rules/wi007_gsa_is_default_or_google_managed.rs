//! WI007 `gsa-is-default-or-google-managed`: a KSA is linked to (or a WI member may
//! impersonate) a default or Google-managed service account.

use crate::diagnostic::{Diagnostic, Label, Severity, Span};
use crate::grammar::{self, GoogleManaged};
use crate::registry::{Context, GrantContext, Rule, RuleMeta};

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
        if let Some((node, value)) = object.gsa_annotation()
            && let Some(kind) = grammar::google_managed(value)
        {
            let span = object.span(node);
            out.push(diagnostic(span, None, value, kind, "KSA is linked to"));
        }
    }

    // Impersonation targets (`resourceRef.external: projects/P/serviceAccounts/EMAIL`)
    // granted to a Workload Identity member.
    fn check_grant(&self, cx: &GrantContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        let grant = cx.grant;
        if !grammar::is_wi_looking(&grant.member.value) {
            return;
        }
        let Some(target) = &grant.target_named else {
            return;
        };
        let Some(email) = target.value.rsplit('/').next() else {
            return;
        };
        if let Some(kind) = grammar::google_managed(email) {
            out.push(diagnostic(
                target.span,
                Some(grant.member.span),
                email,
                kind,
                "this member may impersonate",
            ));
        }
    }
}

/// The finding at `span`, with the member it is granted to (`member`) when there is one.
fn diagnostic(
    span: Span,
    member: Option<Span>,
    email: &str,
    kind: GoogleManaged,
    who: &str,
) -> Diagnostic {
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
        Label::new(span, "not a dedicated service account"),
    )
    .with_severity(severity)
    .with_note(why)
    .with_help("create a dedicated, least-privilege service account for this workload");
    if let Some(member) = member {
        d = d.with_secondary(Label::new(member, "granted to this member"));
    }
    d
}
