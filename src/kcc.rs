//! Config Connector resources (F7.1–F7.3): where their members, roles and targets are, and
//! their IAM resources lowered into grant facts.

use std::collections::HashMap;

use crate::facts::{Authority, Cluster, FactSet, Grant, GsaId, NodePool, Target};
use crate::grammar::WiMember;
use crate::model::Object;
use crate::settings::Namespace;
use crate::yaml::{self, Node};

/// One member of one role binding in an `IAMPolicy`, `IAMPartialPolicy` or `IAMPolicyMember`.
#[derive(Debug, Clone, Copy)]
pub struct MemberBinding<'a> {
    /// The member string node (what diagnostics point at).
    pub member: &'a Node<'a>,
    /// The role node, if the binding has one.
    pub role: Option<&'a Node<'a>>,
    /// `spec.resourceRef`, the resource the role is granted on.
    pub resource_ref: Option<&'a Node<'a>>,
}

pub fn is_kcc_iam(object: &Object<'_>) -> bool {
    object.api_group() == "iam.cnrm.cloud.google.com"
        && matches!(
            object.kind,
            "IAMPolicy" | "IAMPartialPolicy" | "IAMPolicyMember"
        )
}

/// Every member string with its role and target. Members given by reference (`memberFrom`)
/// are not strings and are skipped.
pub fn member_bindings<'a>(object: &Object<'a>) -> Vec<MemberBinding<'a>> {
    let mut out = Vec::new();
    if !is_kcc_iam(object) {
        return out;
    }
    let Some(spec) = yaml::get(object.node, "spec") else {
        return out;
    };
    let resource_ref = yaml::get(spec, "resourceRef");
    match object.kind {
        "IAMPolicyMember" => {
            if let Some(member) = yaml::get(spec, "member").filter(|m| yaml::is_scalar(m)) {
                out.push(MemberBinding {
                    member,
                    role: yaml::get(spec, "role"),
                    resource_ref,
                });
            }
        }
        _ => {
            for binding in yaml::get(spec, "bindings")
                .into_iter()
                .flat_map(yaml::items)
            {
                let role = yaml::get(binding, "role");
                for member in yaml::get(binding, "members")
                    .into_iter()
                    .flat_map(yaml::items)
                {
                    // IAMPolicy lists strings; IAMPartialPolicy lists `{member: …}` objects.
                    let member = if yaml::is_mapping(member) {
                        match yaml::get(member, "member") {
                            Some(m) => m,
                            None => continue,
                        }
                    } else {
                        member
                    };
                    if yaml::is_scalar(member) {
                        out.push(MemberBinding {
                            member,
                            role,
                            resource_ref,
                        });
                    }
                }
            }
        }
    }
    out
}

/// The facts of every Config Connector object of the input (grants, clusters, node pools), in
/// input order.
pub fn lower_all<'a>(objects: &[Object<'a>]) -> FactSet<'a> {
    let resolver = Resolver::new(objects);
    let grants = objects
        .iter()
        .flat_map(|object| lower_grants(object, |r| resolver.gsa(object, r)))
        .collect();
    let cluster_objects: Vec<&Object<'a>> = objects
        .iter()
        .filter(|o| is_container(o, "ContainerCluster"))
        .collect();
    let clusters = cluster_objects
        .iter()
        .map(|object| lower_cluster(object, &resolver))
        .collect();
    let node_pools = objects
        .iter()
        .filter(|o| is_container(o, "ContainerNodePool"))
        .map(|pool| lower_node_pool(pool, &cluster_objects))
        .collect();
    FactSet {
        grants,
        unknown_grants: Vec::new(),
        clusters,
        node_pools,
        commands: Vec::new(),
    }
}

fn is_container(object: &Object<'_>, kind: &str) -> bool {
    object.api_group() == "container.cnrm.cloud.google.com" && object.kind == kind
}

fn lower_cluster<'a>(object: &Object<'a>, resolver: &Resolver<'_, 'a>) -> Cluster<'a> {
    let config = yaml::get_path(object.node, &["spec", "workloadIdentityConfig"]);
    let field = |key| config.and_then(|c| yaml::get(c, key));
    Cluster {
        origin: object.origin(),
        name: object.name.map(str::to_string),
        has_workload_pool: has_workload_pool(object),
        workload_pool: field("workloadPool").and_then(|node| object.doc.text(node)),
        identity_namespace: config
            .and_then(|c| yaml::get_entry(c, "identityNamespace"))
            .map(|(key, _)| object.span(key)),
        autopilot: Some(is_autopilot(object)),
        project: project_of(object, |ns| resolver.namespaces.get(ns).copied()),
        node_metadata: yaml::get_path(object.node, &["spec", "nodeConfig"])
            .and_then(metadata_mode)
            .and_then(|(node, _)| object.doc.text(node)),
    }
}

fn lower_node_pool<'a>(pool: &Object<'a>, clusters: &[&Object<'a>]) -> NodePool<'a> {
    let resource_id = yaml::get_path(pool.node, &["spec", "resourceID"]).and_then(yaml::as_str);
    let cluster_name =
        yaml::get_path(pool.node, &["spec", "clusterRef", "name"]).and_then(yaml::as_str);
    NodePool {
        origin: pool.origin(),
        names: resource_id
            .into_iter()
            .chain(pool.name)
            .map(str::to_string)
            .collect(),
        cluster: cluster_name.and_then(|name| {
            clusters
                .iter()
                .position(|c| c.name == Some(name) && c.namespace == pool.namespace)
        }),
        metadata_mode: yaml::get_path(pool.node, &["spec", "nodeConfig"])
            .and_then(metadata_mode)
            .and_then(|(node, _)| pool.doc.text(node)),
    }
}

/// What naming the GSA of a `resourceRef` takes: the input's `IAMServiceAccount`s and
/// `Namespace`s (whose project annotation gives their resources' project).
struct Resolver<'r, 'a> {
    service_accounts: HashMap<(Namespace, &'a str), &'r Object<'a>>,
    namespaces: HashMap<&'a str, &'r Object<'a>>,
}

impl<'r, 'a> Resolver<'r, 'a> {
    fn new(objects: &'r [Object<'a>]) -> Self {
        let mut resolver = Resolver {
            service_accounts: HashMap::new(),
            namespaces: HashMap::new(),
        };
        for object in objects {
            let Some(name) = object.name else {
                continue;
            };
            if object.api_group() == "iam.cnrm.cloud.google.com"
                && object.kind == "IAMServiceAccount"
            {
                resolver
                    .service_accounts
                    .entry((object.namespace.clone(), name))
                    .or_insert(object);
            } else if object.is_core("Namespace") {
                resolver.namespaces.entry(name).or_insert(object);
            }
        }
        resolver
    }

    /// The GSA a `resourceRef` points at: `external` (an e-mail, possibly as
    /// `projects/P/serviceAccounts/EMAIL`) or an `IAMServiceAccount` of the input.
    fn gsa(&self, object: &Object<'_>, resource_ref: &Node<'_>) -> Option<GsaId> {
        let field = |key| yaml::get(resource_ref, key).and_then(yaml::as_str);
        if let Some(external) = field("external") {
            let email = external.rsplit('/').next().unwrap_or(external);
            return GsaId::from_email(email).or_else(|| {
                Some(GsaId {
                    account: email.split('@').next().unwrap_or(email).to_string(),
                    project: None,
                })
            });
        }
        let name = field("name")?;
        let ns = field("namespace").map_or_else(
            || object.namespace.clone(),
            |n| Namespace::Named(n.to_string()),
        );
        let Some(gsa) = self.service_accounts.get(&(ns, name)) else {
            return Some(GsaId {
                account: name.to_string(),
                project: None,
            });
        };
        let account = yaml::get_path(gsa.node, &["spec", "resourceID"])
            .and_then(yaml::as_str)
            .unwrap_or(name);
        Some(GsaId {
            account: account.to_string(),
            project: project_of(gsa, |ns| self.namespaces.get(ns).copied()),
        })
    }
}

/// The grants of a Config Connector IAM object, as facts: one per member string. `resolve`
/// finds the GSA a `resourceRef` that targets a service account names.
pub fn lower_grants<'a>(
    object: &Object<'a>,
    resolve: impl Fn(&Node<'_>) -> Option<GsaId>,
) -> Vec<Grant<'a>> {
    let bindings = member_bindings(object);
    if bindings.is_empty() {
        return Vec::new();
    }
    let origin = object.origin();
    let authority = if object.kind == "IAMPolicy" {
        Authority::Policy
    } else {
        Authority::Additive
    };
    bindings
        .into_iter()
        .filter_map(|binding| {
            let member = object.doc.text(binding.member)?;
            let target_named = binding
                .resource_ref
                .and_then(|r| yaml::get(r, "external"))
                .and_then(|external| object.doc.text(external));
            let target = match binding.resource_ref {
                Some(r) if targets_service_account(Some(r)) => Target::ServiceAccount(resolve(r)),
                r => match container_target(r) {
                    Some((container, node)) => Target::Container {
                        container,
                        span: object.span(node),
                    },
                    None => Target::Other,
                },
            };
            Some(Grant {
                origin: origin.clone(),
                wi: WiMember::parse(&member.value),
                member,
                role: binding.role.and_then(|role| object.doc.text(role)),
                target,
                target_named,
                target_shown: binding.resource_ref.and_then(shown_ref),
                authority,
            })
        })
        .collect()
}

/// A `resourceRef` as the identity graph names it: its `external`, else `kind name`.
fn shown_ref(resource_ref: &Node<'_>) -> Option<String> {
    let named = |key| yaml::get(resource_ref, key).and_then(yaml::as_str);
    named("external")
        .map(str::to_string)
        .or_else(|| Some(format!("{} {}", named("kind")?, named("name")?)))
}

/// Whether a `resourceRef` points at a Google service account (the impersonation target).
pub fn targets_service_account(resource_ref: Option<&Node<'_>>) -> bool {
    let Some(resource_ref) = resource_ref else {
        return false;
    };
    yaml::get(resource_ref, "kind").and_then(yaml::as_str) == Some("IAMServiceAccount")
        || yaml::get(resource_ref, "external")
            .and_then(yaml::as_str)
            .is_some_and(|e| e.contains("/serviceAccounts/"))
}

/// Whether a `resourceRef` points at a whole project, folder or organization: which one, and
/// the node that says so.
pub fn container_target<'a>(
    resource_ref: Option<&'a Node<'a>>,
) -> Option<(&'static str, &'a Node<'a>)> {
    let resource_ref = resource_ref?;
    if let Some(kind_node) = yaml::get(resource_ref, "kind") {
        let container = match yaml::as_str(kind_node)? {
            "Project" => "project",
            "Folder" => "folder",
            "Organization" => "organization",
            _ => return None,
        };
        return Some((container, kind_node));
    }
    let external = yaml::get(resource_ref, "external")?;
    let value = yaml::as_str(external)?;
    if value.contains("/serviceAccounts/") {
        return None;
    }
    let container = if value.starts_with("projects/") {
        "project"
    } else if value.starts_with("folders/") {
        "folder"
    } else if value.starts_with("organizations/") {
        "organization"
    } else {
        return None;
    };
    Some((container, external))
}

/// Config Connector's project annotation, on a resource or on its Namespace (F7.5).
pub const PROJECT_ANNOTATION: &str = "cnrm.cloud.google.com/project-id";

/// The project a Config Connector resource is created in (F7.5): its project-id annotation,
/// else its Namespace's (`namespace` finds the input's `Namespace` object of a name), else the
/// namespace name; unknown in the applied namespace.
pub fn project_of<'n>(
    object: &Object<'_>,
    namespace: impl Fn(&str) -> Option<&'n Object<'n>>,
) -> Option<String> {
    let annotated = |o: &Object<'_>| -> Option<String> {
        o.annotation(PROJECT_ANNOTATION)
            .and_then(|(_, v)| yaml::as_str(v))
            .map(str::to_string)
    };
    annotated(object).or_else(|| match &object.namespace {
        Namespace::Named(ns) => Some(
            namespace(ns)
                .and_then(annotated)
                .unwrap_or_else(|| ns.clone()),
        ),
        Namespace::Applied(_) => None,
    })
}

/// Whether a `ContainerCluster` enables Workload Identity: a workload pool, or its deprecated
/// spelling `identityNamespace` (WI061 reports that).
pub fn has_workload_pool(cluster: &Object<'_>) -> bool {
    let config = yaml::get_path(cluster.node, &["spec", "workloadIdentityConfig"]);
    config.is_some_and(|c| {
        yaml::get(c, "workloadPool").is_some() || yaml::get(c, "identityNamespace").is_some()
    })
}

/// Whether a `ContainerCluster` is Autopilot (`spec.enableAutopilot: true`).
pub fn is_autopilot(cluster: &Object<'_>) -> bool {
    yaml::get_path(cluster.node, &["spec", "enableAutopilot"]).and_then(yaml::as_bool) == Some(true)
}

/// Whether a node pool's metadata mode exposes the Compute Engine metadata server.
pub fn exposes_node_metadata(mode: &str) -> bool {
    matches!(mode, "GCE_METADATA" | "EXPOSE" | "SECURE" | "UNSPECIFIED")
}

/// The `workloadMetadataConfig` mode node of a node config.
pub fn metadata_mode<'a>(node_config: &'a Node<'a>) -> Option<(&'a Node<'a>, &'a str)> {
    let config = yaml::get(node_config, "workloadMetadataConfig")?;
    let node = yaml::get(config, "mode").or_else(|| yaml::get(config, "nodeMetadata"))?;
    Some((node, yaml::as_str(node)?))
}
