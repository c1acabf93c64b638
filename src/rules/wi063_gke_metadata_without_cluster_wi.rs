//! WI063 `gke-metadata-without-cluster-wi`: a node pool asks for the GKE metadata server in a
//! cluster without Workload Identity, which GKE refuses (F7.7).

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::facts::is_gke_metadata;
use crate::registry::{NodePoolContext, Rule, RuleMeta};
use crate::sources::Language;

pub struct GkeMetadataWithoutClusterWi;

pub static META: RuleMeta = RuleMeta {
    code: "WI063",
    name: "gke-metadata-without-cluster-wi",
    summary: "A node pool uses GKE_METADATA in a cluster without Workload Identity",
    default_severity: Severity::Error,
    tags: &["workload-identity", "cluster", "cross-object"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI063.md"),
};

impl Rule for GkeMetadataWithoutClusterWi {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_node_pool(&self, cx: &NodePoolContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        let pool = cx.pool;
        let Some(mode_text) = &pool.metadata_mode else {
            return;
        };
        let mode = mode_text.value.as_str();
        if !is_gke_metadata(mode) {
            return;
        }
        let Some(cluster) = cx.index.cluster_of(pool).filter(|c| !c.has_workload_pool) else {
            return;
        };
        let (field, help) = match pool.origin.language {
            Language::Yaml => (
                "no workloadIdentityConfig.workloadPool",
                "set `workloadIdentityConfig.workloadPool: PROJECT_ID.svc.id.goog` on the cluster",
            ),
            Language::Terraform => (
                "no workload_identity_config.workload_pool",
                "add `workload_identity_config { workload_pool = \"PROJECT_ID.svc.id.goog\" }` to the cluster",
            ),
            Language::Shell => (
                "no --workload-pool",
                "create or update the cluster with `--workload-pool=PROJECT_ID.svc.id.goog`",
            ),
        };
        out.push(
            Diagnostic::new(
                &META,
                format!("{} uses {mode}, but its cluster has no workload pool", pool.origin.display),
                Label::new(mode_text.span, "needs Workload Identity on the cluster"),
            )
            .with_secondary(Label::new(cluster.origin.anchor, field))
            .with_note(format!("its cluster is {}; GKE_METADATA \"can only be enabled if Workload Identity is enabled at the cluster level\"", cluster.origin.display))
            .with_help(help),
        );
    }
}
