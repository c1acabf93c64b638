//! WI060 `cluster-wi-disabled`: a Config Connector `ContainerCluster` without Workload
//! Identity: a warning when its apply unit configures Workload Identity for workloads, a note
//! on its own otherwise (F7.6).

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::kcc;
use crate::kcc::{cluster_of, metadata_mode};
use crate::registry::{Context, Rule, RuleMeta};
use crate::yaml;

pub struct ClusterWiDisabled;

pub static META: RuleMeta = RuleMeta {
    code: "WI060",
    name: "cluster-wi-disabled",
    summary: "A ContainerCluster has no workload pool (a warning when its apply unit configures Workload Identity)",
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
        // A pool of this cluster that asks for the GKE metadata server is WI063's finding,
        // which names this cluster: one finding for one mistake.
        let asked_by_pool = cx.index.of_kind("ContainerNodePool").iter().any(|pool| {
            cluster_of(pool, cx.index).is_some_and(|c| c.position() == object.position())
                && yaml::get_path(pool.node, &["spec", "nodeConfig"])
                    .and_then(metadata_mode)
                    .is_some_and(|(_, mode)| matches!(mode, "GKE_METADATA" | "GKE_METADATA_SERVER"))
        });
        if asked_by_pool {
            return;
        }
        // Evidence comes from the cluster's own apply unit (a `[[cluster]]`'s paths are one):
        // another application's KSA says nothing of this cluster.
        let wi_in_use = cx
            .index
            .first_annotated_in(object.unit)
            .map(|o| (o.span(o.anchor()), o.display(), "annotated here"))
            .or_else(|| {
                cx.index
                    .wi_grants()
                    .find(|b| b.origin.unit == object.unit)
                    .map(|b| {
                        let origin = &b.origin;
                        (
                            origin.anchor,
                            origin.display.clone(),
                            "Workload Identity member here",
                        )
                    })
            });
        let label = Label::new(object.span(object.anchor()), "no workload pool");
        let help = "add `spec.workloadIdentityConfig.workloadPool: PROJECT_ID.svc.id.goog`";
        let Some((evidence, evidence_name, why)) = wi_in_use else {
            out.push(
                Diagnostic::new(
                    &META,
                    format!("{} does not enable Workload Identity", object.display()),
                    label,
                )
                .with_severity(Severity::Note)
                .with_note("it has no workloadIdentityConfig.workloadPool, so its pods can only use the node's service account")
                .with_help(help),
            );
            return;
        };
        out.push(
            Diagnostic::new(
                &META,
                format!("{} does not enable Workload Identity", object.display()),
                label,
            )
            .with_secondary(Label::new(evidence, format!("{evidence_name}: {why}")))
            .with_note("it has no workloadIdentityConfig.workloadPool, but the input configures Workload Identity for workloads")
            .with_help(help),
        );
    }
}
