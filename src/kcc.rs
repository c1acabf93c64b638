//! Config Connector IAM resources (F7.1–F7.3): where their members, roles and targets are.

use crate::index::Index;
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
/// else its Namespace's, else the namespace name; unknown in the applied namespace.
pub fn project_of(object: &Object<'_>, index: &Index<'_, '_>) -> Option<String> {
    let annotated = |o: &Object<'_>| -> Option<String> {
        o.annotation(PROJECT_ANNOTATION)
            .and_then(|(_, v)| yaml::as_str(v))
            .map(str::to_string)
    };
    annotated(object).or_else(|| match &object.namespace {
        Namespace::Named(ns) => Some(
            index
                .namespace(ns)
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

/// The `ContainerCluster` a node pool's `clusterRef` names, if it is in the input.
pub fn cluster_of<'r, 'a>(pool: &Object<'_>, index: &Index<'r, 'a>) -> Option<&'r Object<'a>> {
    let name = yaml::get_path(pool.node, &["spec", "clusterRef", "name"]).and_then(yaml::as_str)?;
    index
        .of_kind("ContainerCluster")
        .iter()
        .copied()
        .find(|o| o.name == Some(name) && o.namespace == pool.namespace)
}

/// The `workloadMetadataConfig` mode node of a node config.
pub fn metadata_mode<'a>(node_config: &'a Node<'a>) -> Option<(&'a Node<'a>, &'a str)> {
    let config = yaml::get(node_config, "workloadMetadataConfig")?;
    let node = yaml::get(config, "mode").or_else(|| yaml::get(config, "nodeMetadata"))?;
    Some((node, yaml::as_str(node)?))
}
