//! WI035 `missing-service-account-name`: a pod template omits `serviceAccountName` in a
//! namespace where Workload Identity is in use, so it runs as `default` (catalogue
//! decision 3).

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::model::PodIdentity;
use crate::registry::{Context, Rule, RuleMeta};

pub struct MissingServiceAccountName;

pub static META: RuleMeta = RuleMeta {
    code: "WI035",
    name: "missing-service-account-name",
    summary: "A pod template omits `serviceAccountName` in a namespace that uses Workload Identity, so it runs as `default`",
    default_severity: Severity::Warning,
    tags: &["security", "workload-identity", "cross-object"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI035.md"),
};

impl Rule for MissingServiceAccountName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        for template in object.pod_templates() {
            if !matches!(template.identity(), PodIdentity::ImplicitDefault) {
                continue;
            }
            let ns = &object.namespace;
            let default_link = cx.index.wi_link(ns, "default", object);
            let Some(found) = default_link.or_else(|| cx.index.namespace_wi_link(ns, object))
            else {
                if cx.settings.require_service_account_name {
                    out.push(
                        Diagnostic::new(
                            &META,
                            format!("{} sets no `serviceAccountName`", object.display()),
                            Label::new(object.span(template.spec_key), "no serviceAccountName in this pod spec"),
                        )
                        .with_note("the configuration requires it (`require-service-account-name`); its pods run as `default`")
                        .with_help("set `serviceAccountName` to the dedicated KSA these pods should run as"),
                    );
                }
                continue;
            };
            let where_ = match ns.name() {
                Some(name) => format!("namespace \"{name}\""),
                None => "the namespace it is applied into".to_string(),
            };
            let (severity, consequence) = if default_link.is_some() {
                (
                    Severity::Error,
                    format!(
                        "the `default` ServiceAccount of {where_} is linked to Workload Identity, so these pods silently get its Google identity"
                    ),
                )
            } else {
                (
                    Severity::Warning,
                    format!(
                        "{where_} uses Workload Identity, but these pods run as `default` and silently get none of it"
                    ),
                )
            };
            let severity = if found.certain {
                severity
            } else {
                Severity::Note
            };
            let link = found.link;
            let message = format!("{} sets no `serviceAccountName`", object.display());
            let secondary = format!("{}: {}", link.display(), link.describe());
            out.push(
                Diagnostic::new(
                    &META,
                    message,
                    Label::new(
                        object.span(template.spec_key),
                        "no serviceAccountName in this pod spec",
                    ),
                )
                .with_severity(severity)
                .with_note(consequence)
                .with_secondary(Label::new(link.span(), secondary))
                .with_help(
                    "set `serviceAccountName` to the dedicated KSA these pods should run as",
                ),
            );
        }
    }
}
