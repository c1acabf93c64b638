//! WI043 `wi-pod-on-non-wi-nodes`: a Workload Identity pod is scheduled onto nodes without the
//! GKE metadata server, where it gets the node's service account (F7.7).

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::kcc;
use crate::model::{METADATA_LABEL, node_constraints};
use crate::registry::{Context, Rule, RuleMeta};
use crate::sources::Language;
use crate::yaml;

pub struct WiPodOnNonWiNodes;

pub static META: RuleMeta = RuleMeta {
    code: "WI043",
    name: "wi-pod-on-non-wi-nodes",
    summary: "A Workload Identity pod selects nodes that do not run the GKE metadata server",
    default_severity: Severity::Error,
    tags: &["security", "workload-identity", "cross-object"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI043.md"),
};

impl Rule for WiPodOnNonWiNodes {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        for template in object.pod_templates() {
            if !cx.uses_wi(template) {
                continue;
            }
            for (_, value) in node_constraints(template, METADATA_LABEL) {
                let Some(value) = value else { continue };
                let text = yaml::as_str(value)
                    .map_or_else(|| object.doc.source(value).to_string(), str::to_string);
                // A non-string `true` is WI044's finding.
                if text == "true" {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        &META,
                        format!("{} selects nodes with {METADATA_LABEL}={text}", object.display()),
                        Label::new(object.span(value), "nodes without Workload Identity"),
                    )
                    .with_note("it uses Workload Identity, but these nodes do not run the GKE metadata server; its pods get the node's service account")
                    .with_help(format!("select `{METADATA_LABEL}: \"true\"`, or remove the selector")),
                );
            }
            for (_, value) in node_constraints(template, "cloud.google.com/gke-nodepool") {
                let Some(pool_name) = value.and_then(yaml::as_str) else {
                    continue;
                };
                let pool = cx
                    .index
                    .node_pools()
                    .iter()
                    .find(|p| p.names.iter().any(|n| n == pool_name));
                let Some(pool) = pool else { continue };
                let mode = pool.metadata_mode.as_ref().map(|m| m.value.as_str());
                let Some(mode) = mode.filter(|m| kcc::exposes_node_metadata(m)) else {
                    continue;
                };
                out.push(
                    Diagnostic::new(
                        &META,
                        format!("{} uses Workload Identity but runs on node pool {pool_name}", object.display()),
                        Label::new(object.span(value.unwrap_or(template.spec_key)), "a node pool without Workload Identity"),
                    )
                    .with_secondary(Label::new(pool.origin.anchor, format!("{}: {mode}", pool.origin.display)))
                    .with_note(format!("the pool's workload metadata mode {mode} exposes the Compute Engine metadata server; its pods get the node's service account"))
                    .with_help(match pool.origin.language {
                        Language::Yaml => "schedule these pods on a pool with `workloadMetadataConfig.mode: GKE_METADATA`",
                        Language::Terraform => "schedule these pods on a pool with `workload_metadata_config { mode = \"GKE_METADATA\" }`",
                        Language::Shell => "schedule these pods on a pool with `--workload-metadata=GKE_METADATA`",
                    }),
                );
            }
        }
    }
}
