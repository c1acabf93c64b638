//! WI063 `gke-metadata-without-cluster-wi`: a node pool asks for the GKE metadata server in a
//! cluster without Workload Identity, which GKE refuses (F7.7).

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::kcc::has_workload_pool;
use crate::kcc::{cluster_of, metadata_mode};
use crate::registry::{Context, Rule, RuleMeta};
use crate::yaml;

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

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        if object.api_group() != "container.cnrm.cloud.google.com"
            || object.kind != "ContainerNodePool"
        {
            return;
        }
        let Some(node_config) = yaml::get_path(object.node, &["spec", "nodeConfig"]) else {
            return;
        };
        let Some((mode_node, mode)) = metadata_mode(node_config) else {
            return;
        };
        if !matches!(mode, "GKE_METADATA" | "GKE_METADATA_SERVER") {
            return;
        }
        let Some(cluster) = cluster_of(object, cx.index).filter(|c| !has_workload_pool(c)) else {
            return;
        };
        out.push(
            Diagnostic::new(
                &META,
                format!("{} uses {mode}, but its cluster has no workload pool", object.display()),
                Label::new(object.span(mode_node), "needs Workload Identity on the cluster"),
            )
            .with_secondary(Label::new(cluster.span(cluster.anchor()), "no workloadIdentityConfig.workloadPool"))
            .with_note(format!("its cluster is {}; GKE_METADATA \"can only be enabled if Workload Identity is enabled at the cluster level\"", cluster.display()))
            .with_help("set `workloadIdentityConfig.workloadPool: PROJECT_ID.svc.id.goog` on the cluster"),
        );
    }
}
