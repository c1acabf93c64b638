//! WI036 `workload-ksa-missing`: `serviceAccountName` names a KSA that the input does not have.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::model::PodIdentity;
use crate::registry::{Context, Rule, RuleMeta};

pub struct WorkloadKsaMissing;

pub static META: RuleMeta = RuleMeta {
    code: "WI036",
    name: "workload-ksa-missing",
    summary: "`serviceAccountName` names a ServiceAccount that is not in the input",
    default_severity: Severity::Note,
    tags: &["workload-identity", "cross-object"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI036.md"),
};

impl Rule for WorkloadKsaMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        for template in object.pod_templates() {
            let PodIdentity::Named(ksa, node) = template.identity() else {
                continue;
            };
            // Kubernetes creates `default` in every namespace: it is never missing. A name
            // with a placeholder (`${KSA}`, `<KSA_NAME>`) is unknown: no evidence either way.
            if ksa == "default" || crate::grammar::find_placeholder(ksa).is_some() {
                continue;
            }
            let visible = cx
                .index
                .service_accounts(&object.namespace, ksa)
                .iter()
                .any(|sa| crate::index::same_cluster(sa, object));
            if visible {
                continue;
            }
            // A KSA of that name elsewhere is the likely intent: in another namespace of the
            // same apply unit, or a namespace-less one applied separately (another directory
            // or kustomization). A namespaced KSA of another unit is another application's.
            let near = cx
                .index
                .service_accounts_named(ksa)
                .filter(|sa| {
                    crate::index::same_cluster(sa, object)
                        && (sa.unit == object.unit
                            || sa.namespace.is_applied() && object.namespace.is_applied())
                })
                .min_by_key(|sa| sa.position());
            let (missing, label) = match near.map(|sa| sa.namespace.is_applied()) {
                Some(true) if object.namespace.is_applied() => {
                    ("is not applied with it", "not in its apply unit")
                }
                Some(true) => (
                    "is in the input only without a namespace",
                    "the KSA has no namespace",
                ),
                Some(false) => ("is not in its namespace", "not in this namespace"),
                None => ("is not in the input", "not in the input"),
            };
            // Missing for certain only when no KSA of that name could be applied into the
            // workload's namespace: none at all, or only in other named namespaces.
            let certain =
                near.is_none_or(|sa| !sa.namespace.is_applied() && !object.namespace.is_applied());
            // With `bundle-complete`, a KSA missing from the input is missing from the cluster.
            let (severity, consequence, help) = if cx.settings.bundle_complete && certain {
                (
                    Severity::Warning,
                    "the configuration says the input is complete, so the pods will not start (\"serviceaccount not found\")",
                    "add the ServiceAccount, or fix the name in serviceAccountName",
                )
            } else {
                (
                    Severity::Note,
                    "wilint cannot check its Workload Identity",
                    "lint the ServiceAccount together with the workload, or ignore WI036 where KSAs are managed elsewhere",
                )
            };
            let mut diagnostic = Diagnostic::new(
                &META,
                // A pod runs as a KSA of its own namespace: the name alone says which.
                format!(
                    "{} runs as ServiceAccount {ksa}, which {missing}",
                    object.display()
                ),
                Label::new(object.span(node), label),
            )
            .with_severity(severity)
            .with_note(consequence)
            .with_help(match near.map(|sa| sa.namespace.name()) {
                None => help.to_string(),
                Some(None) => match object.namespace.name() {
                    None => "if they are applied together, list both in one kustomization or match both with one `apply-units` glob".to_string(),
                    Some(ns) => format!("if the ServiceAccount is applied into namespace \"{ns}\", set its metadata.namespace (or `--default-namespace {ns}`)"),
                },
                Some(Some(ns)) if object.namespace.is_applied() => format!("if the workload is applied into namespace \"{ns}\", set its metadata.namespace (or `--default-namespace {ns}`)"),
                Some(Some(ns)) => format!("a pod can only run as a KSA of its own namespace: create the KSA there, or run the workload in namespace \"{ns}\""),
            });
            if let Some(sa) = near {
                let why = match sa.namespace.name() {
                    Some(ns) => format!("the same name in namespace \"{ns}\""),
                    None if sa.unit == object.unit => {
                        "the same name, without a namespace".to_string()
                    }
                    None => "the same name, applied separately".to_string(),
                };
                diagnostic = diagnostic.with_secondary(Label::new(
                    sa.span(sa.anchor()),
                    format!("{}: {why}", sa.display()),
                ));
            }
            out.push(diagnostic);
        }
    }
}
