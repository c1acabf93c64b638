//! WI062 `nodepool-not-gke-metadata`: a node pool of a Workload Identity cluster exposes the
//! Compute Engine metadata server, so its pods get the node's identity (F7.7).

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::kcc::{self, cluster_of, metadata_mode};
use crate::registry::{Context, Rule, RuleMeta};
use crate::yaml;

pub struct NodepoolNotGkeMetadata;

pub static META: RuleMeta = RuleMeta {
    code: "WI062",
    name: "nodepool-not-gke-metadata",
    summary: "A node pool of a Workload Identity cluster does not run the GKE metadata server",
    default_severity: Severity::Warning,
    tags: &["security", "workload-identity", "cluster", "cross-object"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI062.md"),
};

impl Rule for NodepoolNotGkeMetadata {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        if object.api_group() != "container.cnrm.cloud.google.com" {
            return;
        }
        let (cluster, node_config) = match object.kind {
            "ContainerNodePool" => (
                cluster_of(object, cx.index),
                yaml::get_path(object.node, &["spec", "nodeConfig"]),
            ),
            "ContainerCluster" => (
                Some(object),
                yaml::get_path(object.node, &["spec", "nodeConfig"]),
            ),
            _ => return,
        };
        let Some((mode_node, mode)) = node_config.and_then(metadata_mode) else {
            return;
        };
        // The node identity matters only in a Workload Identity cluster, which must be in the
        // input to say so (else WI063 or WI060 territory); a deprecated spelling is one anyway.
        let wi_cluster = cluster.filter(|c| crate::kcc::has_workload_pool(c));
        let (severity, message, note, help) = if let (Some(cluster), true) =
            (wi_cluster, kcc::exposes_node_metadata(mode))
        {
            (
                Severity::Warning,
                format!("{} runs with workload metadata {mode}", object.display()),
                Some(format!(
                    "in Workload Identity cluster {}, its pods get the node's service account, not their KSA's identity",
                    cluster.name.unwrap_or("?")
                )),
                "use `workloadMetadataConfig.mode: GKE_METADATA`; if the node identity is deliberate, say so with a `wilint.dev/ignore: WI062 <reason>` annotation on the pool",
            )
        } else if mode == "GKE_METADATA_SERVER" {
            (
                Severity::Note,
                format!(
                    "{} uses the deprecated nodeMetadata: GKE_METADATA_SERVER",
                    object.display()
                ),
                None,
                "write `workloadMetadataConfig.mode: GKE_METADATA`",
            )
        } else {
            return;
        };
        let mut diagnostic = Diagnostic::new(
            &META,
            message,
            Label::new(
                object.span(mode_node),
                if severity == Severity::Note {
                    "deprecated spelling"
                } else {
                    "node metadata exposed"
                },
            ),
        )
        .with_severity(severity)
        .with_help(help);
        if let Some(note) = note {
            diagnostic = diagnostic.with_note(note);
        }
        out.push(diagnostic);
    }
}
