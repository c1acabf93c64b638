//! The identity graph of a run: which workloads run as which KSA, and which Google service
//! account each KSA is linked to (annotation) or may impersonate (IAM binding). The markdown
//! summary draws it, so a reviewer sees at a glance who acts as which Google identity.

use std::collections::BTreeSet;

use crate::grammar;
use crate::index::Index;
use crate::model::Object;
use crate::settings::Namespace;

/// One edge; `object` is the identity (`Diagnostic::object_key`) of the object that declares
/// it, so edges whose object has findings can be highlighted.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub label: &'static str,
    pub object: String,
}

#[derive(Debug, Default)]
pub struct IdentityGraph {
    /// Sorted, without duplicates.
    pub edges: Vec<Edge>,
}

fn ksa_node(ns: &Namespace, name: &str) -> String {
    format!("KSA {}", ns.qualify(name))
}

/// The edges one object declares by itself: its pods run as a KSA, or it is a KSA annotated
/// with a GSA.
pub fn object_edges(object: &Object<'_>) -> Vec<Edge> {
    let key = object.key();
    let mut edges: Vec<Edge> = object
        .pod_templates()
        .iter()
        .map(|template| Edge {
            from: object.display(),
            to: ksa_node(&object.namespace, template.ksa_name()),
            label: "runs as",
            object: key.clone(),
        })
        .collect();
    if let (Some((_, gsa)), Some(name)) = (object.gsa_annotation(), object.name) {
        edges.push(Edge {
            from: ksa_node(&object.namespace, name),
            to: format!("GSA {gsa}"),
            label: "annotated with",
            object: key,
        });
    }
    edges
}

impl IdentityGraph {
    /// The graph of `objects` and of the index's IAM members, plus `more` edges (those of
    /// workloads a streamed run no longer holds, from [`object_edges`]).
    pub fn build(
        objects: &[Object<'_>],
        index: &Index<'_, '_>,
        more: impl IntoIterator<Item = Edge>,
    ) -> Self {
        let mut edges: BTreeSet<Edge> = more.into_iter().collect();
        edges.extend(objects.iter().flat_map(object_edges));
        // IAM members, with the GSA resolved by the index (a Config Connector
        // `IAMServiceAccount` becomes its e-mail, so both edges meet at one node).
        for grant in index.wi_grants() {
            let Some((ns, ksa)) = grant.wi.as_ref().and_then(|member| member.ksa()) else {
                continue;
            };
            let role = grant.role().unwrap_or("?");
            let to = match grant.gsa() {
                Some(gsa) => match &gsa.project {
                    Some(_) => format!("GSA {}", gsa.display()),
                    None => format!("GSA {}", gsa.account),
                },
                None => grant
                    .target_shown
                    .clone()
                    .unwrap_or_else(|| "?".to_string()),
            };
            edges.insert(Edge {
                from: ksa_node(&Namespace::Named(ns.to_string()), ksa),
                to,
                label: if role == grammar::WI_ROLE {
                    "may impersonate"
                } else {
                    "granted a role on"
                },
                object: grant.origin.key.clone(),
            });
        }
        IdentityGraph {
            edges: edges.into_iter().collect(),
        }
    }
}
