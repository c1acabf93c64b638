//! WI033 `workload-uses-unlinked-ksa`: a workload runs as a KSA without Workload Identity while
//! its namespace has exactly one annotated KSA that no workload uses: the annotation is most
//! likely on the wrong KSA (gke-autoneg-controller#66).

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar;
use crate::index::Usage;
use crate::model::PodIdentity;
use crate::registry::{Context, Rule, RuleMeta};

pub struct WorkloadUsesUnlinkedKsa;

pub static META: RuleMeta = RuleMeta {
    code: "WI033",
    name: "workload-uses-unlinked-ksa",
    summary: "A workload runs as a KSA without Workload Identity while its namespace's only linked KSA is unused",
    default_severity: Severity::Warning,
    tags: &["workload-identity", "cross-object"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI033.md"),
};

impl Rule for WorkloadUsesUnlinkedKsa {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        let ns = &object.namespace;
        for template in object.pod_templates() {
            // Pods without serviceAccountName are WI035's finding.
            let PodIdentity::Named(ksa, node) = template.identity() else {
                continue;
            };
            if cx.index.wi_link(ns, ksa, object).is_some() {
                continue;
            }
            let annotated: Vec<_> = cx
                .index
                .annotated_in(ns)
                .iter()
                .filter(|sa| crate::index::same_cluster(sa, object))
                .collect();
            let [linked] = annotated.as_slice() else {
                continue;
            };
            let Some(linked_name) = linked.name else {
                continue;
            };
            let usage = cx.index.usage(ns, linked_name);
            if usage == Usage::Used {
                continue;
            }
            let gsa = linked.gsa_annotation().map_or("", |(_, email)| email);
            let diagnostic = Diagnostic::new(
                &META,
                // A pod runs as a KSA of its own namespace: the name alone says which.
                format!(
                    "{} runs as unlinked ServiceAccount {ksa}",
                    object.display()
                ),
                Label::new(object.span(node), "a KSA without Workload Identity"),
            )
            .with_note(format!(
                "{ksa} has no Workload Identity, while its namespace has {}, which is linked to {gsa} but no workload runs as it",
                ns.qualify(linked_name)
            ))
            .with_secondary(Label::new(
                linked.span(linked.anchor()),
                "linked, but unused",
            ))
            .with_help(format!(
                "run as `serviceAccountName: {linked_name}`, or move the `{}` annotation to {ksa}",
                grammar::GSA_ANNOTATION
            ));
            out.push(if usage == Usage::NotKnownYet {
                diagnostic.unless_used(ns, linked_name)
            } else {
                diagnostic
            });
        }
    }
}
