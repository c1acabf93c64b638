//! WI042 `metadata-nodeselector-on-autopilot`: Autopilot rejects the
//! `iam.gke.io/gke-metadata-server-enabled` node selector (every node runs the GKE metadata
//! server there) (F2.4, F9.5).

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::model::{METADATA_LABEL, node_constraints};
use crate::registry::{Context, Rule, RuleMeta};
use crate::settings::ClusterMode;

pub struct MetadataNodeselectorOnAutopilot;

pub static META: RuleMeta = RuleMeta {
    code: "WI042",
    name: "metadata-nodeselector-on-autopilot",
    summary: "An Autopilot workload selects nodes by `iam.gke.io/gke-metadata-server-enabled`, which Autopilot rejects",
    default_severity: Severity::Error,
    tags: &["workload-identity", "autopilot"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI042.md"),
};

/// Whether the input shows that this object's cluster is Autopilot: the `ContainerCluster`
/// named like the object's `[[cluster]]`, else every `ContainerCluster` of the input (a repo
/// with both kinds and no `[[cluster]]` mapping says nothing about this object).
fn autopilot_in_input(cx: &Context<'_, '_>) -> bool {
    if !cx.index.facts.autopilot_cluster {
        return false;
    }
    let clusters = cx.index.clusters();
    let autopilot = |c: &crate::facts::Cluster<'_>| c.autopilot == Some(true);
    if let Some(own) = &cx.object.cluster
        && let Some(cluster) = clusters
            .iter()
            .find(|c| c.name.as_deref() == Some(own.name.as_str()))
    {
        return autopilot(cluster);
    }
    clusters.iter().all(autopilot)
}

impl Rule for MetadataNodeselectorOnAutopilot {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        let templates = object.pod_templates();
        if templates.is_empty() {
            return;
        }
        if cx.settings.cluster_mode != ClusterMode::Autopilot && !autopilot_in_input(cx) {
            return;
        }
        for template in templates {
            for (key, _) in node_constraints(template, METADATA_LABEL) {
                out.push(
                    Diagnostic::new(
                        &META,
                        format!("{} selects nodes by {METADATA_LABEL} on Autopilot", object.display()),
                        Label::new(object.span(key), "rejected on Autopilot"),
                    )
                    .with_note("Autopilot clusters reject this selector: every Autopilot node runs the GKE metadata server")
                    .with_help("remove this node selector; it is needed only on Standard clusters with mixed node pools"),
                );
            }
        }
    }
}
