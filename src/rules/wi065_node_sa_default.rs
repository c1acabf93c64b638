//! WI065 `node-sa-default`: nodes run as the Compute Engine default service account, which
//! host-network pods and non-WI node pools fall back to (F1.6, F5).

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar::{self, GoogleManaged};
use crate::registry::{Context, Rule, RuleMeta};
use crate::yaml;

pub struct NodeSaDefault;

pub static META: RuleMeta = RuleMeta {
    code: "WI065",
    name: "node-sa-default",
    summary: "Nodes run as the Compute Engine default service account",
    default_severity: Severity::Note,
    tags: &["security", "cluster"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI065.md"),
};

impl Rule for NodeSaDefault {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        if object.api_group() != "container.cnrm.cloud.google.com"
            || !matches!(object.kind, "ContainerCluster" | "ContainerNodePool")
        {
            return;
        }
        let Some(external) = yaml::get_path(
            object.node,
            &["spec", "nodeConfig", "serviceAccountRef", "external"],
        ) else {
            return;
        };
        let Some(value) = yaml::as_str(external) else {
            return;
        };
        if value != "default"
            && grammar::google_managed(value) != Some(GoogleManaged::ComputeDefault)
        {
            return;
        }
        out.push(
            Diagnostic::new(
                &META,
                format!("{} runs its nodes as the Compute Engine default service account", object.display()),
                Label::new(object.span(external), "the default service account"),
            )
            .with_note("that account is Editor on the project by default, and host-network pods and pools without the GKE metadata server get its access")
            .with_help("give nodes a dedicated, minimal service account (roles/container.defaultNodeServiceAccount)"),
        );
    }
}
