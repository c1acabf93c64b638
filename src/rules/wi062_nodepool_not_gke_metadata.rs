//! WI062 `nodepool-not-gke-metadata`: a node pool of a Workload Identity cluster exposes the
//! Compute Engine metadata server, so its pods get the node's identity (F7.7).

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::facts::{Cluster, Origin, Text};
use crate::kcc;
use crate::registry::{ClusterContext, NodePoolContext, Rule, RuleMeta};
use crate::sources::Language;

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

    // A cluster's default node configuration.
    fn check_cluster(&self, cx: &ClusterContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        let cluster = cx.cluster;
        if let Some(mode) = &cluster.node_metadata {
            report(&cluster.origin, mode, Some(cluster), out);
        }
    }

    fn check_node_pool(&self, cx: &NodePoolContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        let pool = cx.pool;
        if let Some(mode) = &pool.metadata_mode {
            report(&pool.origin, mode, cx.index.cluster_of(pool), out);
        }
    }
}

/// The finding on the nodes of `origin` (a pool, or a cluster's default nodes) of `cluster`.
fn report(
    origin: &Origin<'_>,
    mode_text: &Text,
    cluster: Option<&Cluster<'_>>,
    out: &mut Vec<Diagnostic>,
) {
    let mode = mode_text.value.as_str();
    // How the source writes the fix, and the deprecated field.
    let (fix, ignore, deprecated) = match origin.language {
        Language::Yaml => (
            "workloadMetadataConfig.mode: GKE_METADATA",
            "a `wilint.dev/ignore: WI062 <reason>` annotation on the pool",
            "nodeMetadata: GKE_METADATA_SERVER",
        ),
        Language::Terraform => (
            "workload_metadata_config { mode = \"GKE_METADATA\" }",
            "a `# wilint: ignore WI062 -- <reason>` comment",
            "node_metadata = GKE_METADATA_SERVER",
        ),
        Language::Shell => (
            "--workload-metadata=GKE_METADATA",
            "a `# wilint: ignore WI062 -- <reason>` comment",
            "--workload-metadata-from-node=GKE_METADATA_SERVER",
        ),
    };
    let wi_cluster = cluster.filter(|c| c.has_workload_pool);
    let (severity, message, note, help) = if let (Some(cluster), true) =
        (wi_cluster, kcc::exposes_node_metadata(mode))
    {
        (
            Severity::Warning,
            format!("{} runs with workload metadata {mode}", origin.display),
            Some(format!(
                "in Workload Identity cluster {}, its pods get the node's service account, not their KSA's identity",
                cluster.name.as_deref().unwrap_or("?")
            )),
            format!("use `{fix}`; if the node identity is deliberate, say so with {ignore}"),
        )
    } else if mode == "GKE_METADATA_SERVER" {
        (
            Severity::Note,
            format!("{} uses the deprecated {deprecated}", origin.display),
            None,
            format!("write `{fix}`"),
        )
    } else {
        return;
    };
    let mut diagnostic = Diagnostic::new(
        &META,
        message,
        Label::new(
            mode_text.span,
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
