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
            // Kubernetes creates `default` in every namespace: it is never missing.
            if ksa == "default" {
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
            // With `bundle-complete`, a KSA missing from the input is missing from the cluster.
            let (severity, consequence, help) = if cx.settings.bundle_complete {
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
            out.push(
                Diagnostic::new(
                    &META,
                    format!(
                        "{} runs as ServiceAccount {}, which is not in the input; {consequence}",
                        object.display(),
                        object.namespace.qualify(ksa)
                    ),
                    Label::new(object.span(node), "not in the input"),
                )
                .with_severity(severity)
                .with_help(help),
            );
        }
    }
}
