//! WI032 `binding-ksa-near-miss`: a binding names a KSA that the input does not have, while a
//! KSA annotated with the same GSA exists under another namespace or name (Helm release
//! prefixes and kustomize suffixes change names; WI binds only an exact `namespace/name`).

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar;
use crate::registry::{GrantContext, Rule, RuleMeta};
use crate::settings::Namespace;

pub struct BindingKsaNearMiss;

pub static META: RuleMeta = RuleMeta {
    code: "WI032",
    name: "binding-ksa-near-miss",
    summary: "A binding names a KSA the input does not have, while the GSA's annotated KSA has another namespace or name",
    default_severity: Severity::Error,
    tags: &["security", "workload-identity", "cross-object"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI032.md"),
};

/// How `actual` differs from `wanted`, in words.
fn difference(wanted_ns: &str, wanted: &str, actual_ns: Option<&str>, actual: &str) -> String {
    let mut parts = Vec::new();
    let namespace = match actual_ns {
        Some(ns) if ns != wanted_ns => {
            Some(format!("the namespace is \"{ns}\", not \"{wanted_ns}\""))
        }
        None => {
            Some("its namespace is the one the input is applied into, unknown here".to_string())
        }
        _ => None,
    };
    parts.extend(namespace);
    if actual != wanted {
        let detail = if let Some(prefix) = actual.strip_suffix(wanted) {
            format!(" (prefix \"{prefix}\", e.g. a Helm release name)")
        } else if let Some(suffix) = actual.strip_prefix(wanted) {
            format!(" (suffix \"{suffix}\", e.g. a kustomize nameSuffix)")
        } else {
            String::new()
        };
        parts.push(format!(
            "the KSA is named \"{actual}\", not \"{wanted}\"{detail}"
        ));
    }
    parts.join("; ")
}

impl Rule for BindingKsaNearMiss {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_grant(&self, cx: &GrantContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        let grant = cx.grant;
        if !grant.is_impersonation() {
            return;
        }
        // Only a GSA the input identifies fully (an e-mail, or an IAMServiceAccount of the
        // input): matching look-alikes by account ID alone would guess.
        let (Some((ns, ksa)), Some(gsa)) = (
            grant.wi.as_ref().and_then(|member| member.ksa()),
            grant.gsa().filter(|g| g.project.is_some()),
        ) else {
            return;
        };
        // A namespace or name left to a placeholder or an unknown variable is no near miss.
        if grammar::find_placeholder(ns).is_some() || grammar::find_placeholder(ksa).is_some() {
            return;
        }
        let wanted_ns = Namespace::Named(ns.to_string());
        if !cx.index.service_accounts(&wanted_ns, ksa).is_empty() {
            return;
        }
        // A KSA annotated with the same GSA, under another namespace or name.
        let near = cx
            .index
            .annotated_with_account(&gsa.account)
            .iter()
            .find(|o| {
                o.gsa_annotation()
                    .is_some_and(|(_, email)| gsa.matches(email))
                    && (o.namespace != wanted_ns || o.name != Some(ksa))
            });
        let Some(near) = near else {
            return;
        };
        let Some(near_name) = near.name else {
            return;
        };
        let diff = difference(ns, ksa, near.namespace.name(), near_name);
        let severity = if near.namespace.is_applied() {
            Severity::Note
        } else {
            Severity::Error
        };
        let fix = format!(
            "make the member `serviceAccount:…svc.id.goog[{}]`, or rename the KSA to {ns}/{ksa}",
            near.namespace.name().map_or_else(
                || format!("NAMESPACE/{near_name}"),
                |n| format!("{n}/{near_name}")
            )
        );
        out.push(
            Diagnostic::new(
                &META,
                format!(
                    "{ns}/{ksa} may impersonate {} but is not in the input",
                    gsa.display()
                ),
                Label::new(grant.member.span, "names a KSA that does not exist"),
            )
            .with_severity(severity)
            .with_note(format!(
                "the KSA annotated with that GSA is {}: {diff}",
                near.display()
            ))
            .with_secondary(Label::new(
                near.span(near.anchor()),
                "the KSA annotated with this GSA",
            ))
            .with_help(fix),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_in_words() {
        assert_eq!(
            difference("app", "web", Some("apps"), "web"),
            "the namespace is \"apps\", not \"app\""
        );
        assert!(
            difference("app", "web", Some("app"), "release-name-web")
                .contains("prefix \"release-name-\"")
        );
        assert!(difference("app", "web", Some("app"), "web-7h2k").contains("suffix \"-7h2k\""));
    }
}
