//! WI060 `cluster-wi-disabled`: a Config Connector `ContainerCluster` without Workload
//! Identity, while the input configures Workload Identity for its workloads (F7.6).

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::kcc;
use crate::registry::{Context, Rule, RuleMeta};

pub struct ClusterWiDisabled;

pub static META: RuleMeta = RuleMeta {
    code: "WI060",
    name: "cluster-wi-disabled",
    summary: "A ContainerCluster has no workload pool while the input configures Workload Identity",
    default_severity: Severity::Warning,
    tags: &["security", "workload-identity", "cluster"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI060.md"),
};

impl Rule for ClusterWiDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        if object.api_group() != "container.cnrm.cloud.google.com"
            || object.kind != "ContainerCluster"
        {
            return;
        }
        // Autopilot clusters always run Workload Identity.
        if kcc::has_workload_pool(object) || kcc::is_autopilot(object) {
            return;
        }
        let wi_in_use = cx
            .index
            .first_annotated()
            .map(|o| (o, "annotated here"))
            .or_else(|| {
                cx.index
                    .bindings()
                    .first()
                    .map(|b| (b.object, "Workload Identity member here"))
            });
        let Some((evidence, why)) = wi_in_use else {
            return;
        };
        out.push(
            Diagnostic::new(
                &META,
                format!("{} does not enable Workload Identity (no workloadIdentityConfig.workloadPool), but the input configures Workload Identity for workloads", object.display()),
                Label::new(object.span(object.anchor()), "no workload pool"),
            )
            .with_secondary(Label::new(evidence.span(evidence.anchor()), format!("{}: {why}", evidence.display())))
            .with_help("add `spec.workloadIdentityConfig.workloadPool: PROJECT_ID.svc.id.goog`"),
        );
    }
}
