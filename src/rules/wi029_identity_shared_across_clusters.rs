//! WI029 `identity-shared-across-clusters`: the same `namespace/KSA` is linked to a GSA in one
//! cluster and differently (another GSA, or none) in another cluster of the same project. The
//! identity pool is per project, so IAM cannot tell the two apart: any pod running as that KSA
//! in either cluster can impersonate the GSA (identity sameness, F4; catalogue decision 5).

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar;
use crate::registry::{Context, Rule, RuleMeta};
use crate::settings::Namespace;

pub struct IdentitySharedAcrossClusters;

pub static META: RuleMeta = RuleMeta {
    code: "WI029",
    name: "identity-shared-across-clusters",
    summary: "A namespace/KSA linked to a GSA in one cluster exists differently in another cluster of the same project",
    default_severity: Severity::Warning,
    tags: &[
        "security",
        "workload-identity",
        "cross-object",
        "multi-cluster",
    ],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI029.md"),
};

impl Rule for IdentitySharedAcrossClusters {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        let (Some(cluster), Some(name), Some((value, gsa))) =
            (&object.cluster, object.name, object.gsa_annotation())
        else {
            return;
        };
        let Namespace::Named(ns) = &object.namespace else {
            return;
        };
        for other in cx.index.service_accounts(&object.namespace, name) {
            let Some(other_cluster) = &other.cluster else {
                continue;
            };
            if other_cluster.name == cluster.name || other_cluster.project != cluster.project {
                continue;
            }
            let other_gsa = other.gsa_annotation().map(|(_, g)| g);
            if other_gsa == Some(gsa) {
                continue;
            }
            let difference = match other_gsa {
                Some(g) => format!("is linked to {g} there"),
                None => "has no Workload Identity there".to_string(),
            };
            out.push(
                Diagnostic::new(
                    &META,
                    format!(
                        "{ns}/{name} is linked differently in clusters {} and {} of project {}",
                        cluster.name, other_cluster.name, cluster.project
                    ),
                    Label::new(object.span(value), format!("linked in cluster {}", cluster.name)),
                )
                .with_note(format!(
                    "it is linked to {gsa} in cluster {} but {difference} (cluster {}); the project's identity pool makes them the same identity: any pod running as {ns}/{name} in either cluster can impersonate {gsa}",
                    cluster.name, other_cluster.name
                ))
                .with_secondary(Label::new(other.span(other.anchor()), format!("the same identity in cluster {}", other_cluster.name)))
                .with_help(format!(
                    "give the clusters separate projects, or distinct namespace/KSA names, or link {} the same way in both",
                    grammar::GSA_ANNOTATION
                )),
            );
        }
    }
}
