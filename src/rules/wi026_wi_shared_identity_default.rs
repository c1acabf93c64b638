//! WI026 `wi-shared-identity-default`: a Workload Identity link on a `default` KSA or in a
//! shared namespace, which every cluster of the project shares (identity sameness, F4).

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar::{self, WiMember};
use crate::registry::{Context, GrantContext, Rule, RuleMeta};
use crate::settings::{Namespace, Settings};

pub struct WiSharedIdentityDefault;

pub static META: RuleMeta = RuleMeta {
    code: "WI026",
    name: "wi-shared-identity-default",
    summary: "Workload Identity on a `default` KSA or in a shared namespace, which every cluster of the project shares",
    default_severity: Severity::Warning,
    tags: &["security", "workload-identity"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI026.md"),
};

const SHARED_NAMESPACES: &[&str] = &["default", "kube-system", "kube-public"];

/// Why `ns/ksa` is shared, and how much: the `default` KSA is what every pod without
/// `serviceAccountName` runs as (a warning); a dedicated KSA in a namespace that exists in
/// every cluster is reachable by whoever can create that KSA in any cluster of the project
/// (a note: the catalogue's correct samples bind such members).
fn shared_reason(ns: &str, ksa: Option<&str>) -> Option<(Severity, String)> {
    if ksa == Some("default") {
        Some((
            Severity::Warning,
            format!(
                "the `default` KSA of namespace \"{ns}\" is what every pod without serviceAccountName runs as"
            ),
        ))
    } else if SHARED_NAMESPACES.contains(&ns) {
        Some((
            Severity::Note,
            format!(
                "namespace \"{ns}\" exists in every cluster, so anyone who can create this KSA there in any cluster of the project gets the identity"
            ),
        ))
    } else {
        None
    }
}

/// Whether `allowed-shared-ksa` lists `ns/ksa` as shared on purpose.
fn is_allowed(settings: &Settings, ns: &str, ksa: &str) -> bool {
    let identity = format!("{ns}/{ksa}");
    settings.allowed_shared_ksa.contains(&identity)
}

const HELP: &str = "use a dedicated KSA in a dedicated namespace, a separate project per trust boundary, or a cluster-scoped principal";

impl Rule for WiSharedIdentityDefault {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    // The member side.
    fn check_grant(&self, cx: &GrantContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        let grant = cx.grant;
        let value = &grant.member.value;
        let Some(member) = &grant.wi else {
            return;
        };
        let (ns, ksa) = match member {
            WiMember::Legacy { ns, ksa, .. } | WiMember::PrincipalKsa { ns, ksa, .. } => {
                (ns.as_str(), Some(ksa.as_str()))
            }
            WiMember::NamespaceSet { ns, .. } => (ns.as_str(), None),
            _ => return,
        };
        let Some((severity, reason)) = shared_reason(ns, ksa) else {
            return;
        };
        if ksa.is_some_and(|k| is_allowed(cx.settings, ns, k)) {
            return;
        }
        let project = member.pool().trim_end_matches(".svc.id.goog");
        // A project the source leaves unknown (`${var.project_id}`) is not named.
        let of_project = if grant.member.has_unknowns() && project.contains("${") {
            "its project".to_string()
        } else {
            format!("project {project}")
        };
        out.push(
            Diagnostic::new(
                &META,
                format!("\"{value}\" is shared by every cluster of the project"),
                Label::new(grant.member.span, "shared identity"),
            )
            .with_severity(severity)
            .with_note(format!(
                "every pod running as {} in every cluster of {of_project} gets it: {reason}",
                ksa.map_or_else(|| format!("any KSA of {ns}"), |k| format!("{ns}/{k}"))
            ))
            .with_help(HELP),
        );
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        // The KSA side (catalogue decision 4).
        let Some((value_node, gsa)) = object.gsa_annotation() else {
            return;
        };
        let Some(name) = object.name else {
            return;
        };
        let ns = match &object.namespace {
            Namespace::Named(ns) => Some(ns.as_str()),
            Namespace::Applied(_) => None,
        };
        let shared = match ns {
            Some(ns) => {
                shared_reason(ns, Some(name)).filter(|_| name == "default" || ns == "default")
            }
            None => shared_reason("", Some(name)).map(|(severity, _)| {
                (
                    severity,
                    "the `default` KSA is what every pod without serviceAccountName runs as"
                        .to_string(),
                )
            }),
        };
        let Some((severity, reason)) = shared else {
            return;
        };
        if ns.is_some_and(|ns| is_allowed(cx.settings, ns, name)) {
            return;
        }
        let anchor = object
            .annotation(grammar::GSA_ANNOTATION)
            .map_or(value_node, |(k, _)| k);
        out.push(
            Diagnostic::new(
                &META,
                format!(
                    "{} is an identity shared by every cluster of the project",
                    object.display()
                ),
                Label::new(object.span(anchor), "shared identity"),
            )
            .with_severity(severity)
            .with_note(format!("it is linked to {gsa}; {reason}"))
            .with_help(HELP),
        );
    }
}
