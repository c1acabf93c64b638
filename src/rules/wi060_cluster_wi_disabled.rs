//! WI060 `cluster-wi-disabled`: a Config Connector `ContainerCluster` without Workload
//! Identity: a warning when its apply unit configures Workload Identity for workloads, a note
//! on its own otherwise (F7.6).

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::facts::is_gke_metadata;
use crate::registry::{ClusterContext, Rule, RuleMeta};
use crate::sources::Language;

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

    fn check_cluster(&self, cx: &ClusterContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        let cluster = cx.cluster;
        // Autopilot always runs Workload Identity; an unknown `enable_autopilot` may.
        if cluster.has_workload_pool || cluster.autopilot != Some(false) {
            return;
        }
        // A node pool asking for GKE_METADATA is WI063's finding (on the pool, which names
        // this cluster): one finding for one mistake.
        let asked_by_pool = cx.index.node_pools_of(cluster).any(|pool| {
            pool.metadata_mode
                .as_ref()
                .is_some_and(|mode| is_gke_metadata(&mode.value))
        });
        if asked_by_pool {
            return;
        }
        // Evidence comes from the cluster's own apply unit (a `[[cluster]]`'s paths are one):
        // another application's KSA says nothing of this cluster.
        let unit = cluster.origin.unit;
        let wi_in_use = cx
            .index
            .first_annotated_in(unit)
            .map(|o| (o.span(o.anchor()), o.display(), "annotated here"))
            .or_else(|| {
                cx.index
                    .wi_grants()
                    .find(|b| b.origin.unit == unit)
                    .map(|b| {
                        let origin = &b.origin;
                        (
                            origin.anchor,
                            origin.display.clone(),
                            "Workload Identity member here",
                        )
                    })
            });
        let label = Label::new(cluster.origin.anchor, "no workload pool");
        let (help, field) = match cluster.origin.language {
            Language::Yaml => (
                "add `spec.workloadIdentityConfig.workloadPool: PROJECT_ID.svc.id.goog`",
                "workloadIdentityConfig.workloadPool",
            ),
            Language::Terraform => (
                "add `workload_identity_config { workload_pool = \"PROJECT_ID.svc.id.goog\" }`",
                "workload_identity_config.workload_pool",
            ),
            Language::Shell => (
                "add `--workload-pool=PROJECT_ID.svc.id.goog`",
                "--workload-pool",
            ),
        };
        let message = format!(
            "{} does not enable Workload Identity",
            cluster.origin.display
        );
        let Some((evidence, evidence_name, why)) = wi_in_use else {
            out.push(
                Diagnostic::new(&META, message, label)
                    .with_severity(Severity::Note)
                    .with_note(format!(
                        "it has no {field}, so its pods can only use the node's service account"
                    ))
                    .with_help(help),
            );
            return;
        };
        out.push(
            Diagnostic::new(&META, message, label)
                .with_secondary(Label::new(evidence, format!("{evidence_name}: {why}")))
                .with_note(format!(
                    "it has no {field}, but the input configures Workload Identity for workloads"
                ))
                .with_help(help),
        );
    }
}
