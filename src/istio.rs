//! The static Istio sidecar-injection decision of catalogue part E, and the mesh-wide facts
//! the Istio rules need. Namespace labels come from `Namespace` objects of the input; when the
//! input lacks them the decision is `Unknown` and rules never guess (guard 5).

use crate::index::Index;
use crate::model::{Object, PodTemplate};
use crate::yaml::{self, Node};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Injection {
    Injected,
    NotInjected,
    /// The namespace's labels are not in the input.
    Unknown,
}

fn string_at<'a>(map: Option<&'a Node<'a>>, field: &str, key: &str) -> Option<&'a str> {
    yaml::get(yaml::get(map?, field)?, key).and_then(yaml::as_str)
}

/// A pod template's label, else annotation (labels take priority since Istio 1.12).
fn pod_switch<'a>(template: &PodTemplate<'a>, key: &str) -> Option<&'a str> {
    string_at(template.metadata, "labels", key)
        .or_else(|| string_at(template.metadata, "annotations", key))
}

pub fn injection(
    object: &Object<'_>,
    template: &PodTemplate<'_>,
    index: &Index<'_, '_>,
) -> Injection {
    let host_network =
        yaml::get(template.spec, "hostNetwork").and_then(yaml::as_bool) == Some(true);
    let ns = object.namespace.name();
    if host_network || matches!(ns, Some("kube-system" | "kube-public")) {
        return Injection::NotInjected;
    }
    match pod_switch(template, "sidecar.istio.io/inject") {
        Some("true") => return Injection::Injected,
        Some("false") => return Injection::NotInjected,
        _ => {}
    }
    if string_at(template.metadata, "labels", "istio.io/rev").is_some() {
        return Injection::Injected;
    }
    let Some(namespace) = ns.and_then(|n| index.namespace_for(n, object)) else {
        return Injection::Unknown;
    };
    let injected = match string_at(namespace.metadata, "labels", "istio-injection") {
        Some(value) => value == "enabled",
        None => string_at(namespace.metadata, "labels", "istio.io/rev").is_some(),
    };
    if injected {
        Injection::Injected
    } else {
        Injection::NotInjected
    }
}

/// Whether an object shows sidecar injection in use (a labelled namespace or pod): the
/// condition for reporting `Unknown` injections as notes rather than staying silent.
pub fn shows_injection(o: &Object<'_>) -> bool {
    (o.is_core("Namespace")
        && (string_at(o.metadata, "labels", "istio-injection") == Some("enabled")
            || string_at(o.metadata, "labels", "istio.io/rev").is_some()))
        || o.pod_templates()
            .iter()
            .any(|t| pod_switch(t, "sidecar.istio.io/inject") == Some("true"))
}

/// Mesh-wide `holdApplicationUntilProxyStarts: true` in an `IstioOperator` or the `istio`
/// mesh `ConfigMap`.
pub fn holds_application(o: &Object<'_>) -> bool {
    let operator = o.kind == "IstioOperator"
        && yaml::get_path(
            o.node,
            &[
                "spec",
                "meshConfig",
                "defaultConfig",
                "holdApplicationUntilProxyStarts",
            ],
        )
        .and_then(yaml::as_bool)
            == Some(true);
    let config_map = o.is_core("ConfigMap")
        && o.name
            .is_some_and(|n| n == "istio" || n.starts_with("istio-"))
        && yaml::get_path(o.node, &["data", "mesh"])
            .and_then(yaml::as_str)
            .is_some_and(|mesh| mesh.contains("holdApplicationUntilProxyStarts: true"));
    operator || config_map
}

/// Istio CNI: an `istio-cni-node` `DaemonSet` or `components.cni.enabled: true`.
pub fn installs_cni(o: &Object<'_>) -> bool {
    (o.kind == "DaemonSet" && o.name == Some("istio-cni-node"))
        || (o.kind == "IstioOperator"
            && yaml::get_path(o.node, &["spec", "components", "cni", "enabled"])
                .and_then(yaml::as_bool)
                == Some(true))
}

/// A pod's Istio annotation (annotations only).
pub fn annotation<'a>(
    template: &PodTemplate<'a>,
    key: &str,
) -> Option<(&'a Node<'a>, &'a Node<'a>)> {
    yaml::get_entry(yaml::get(template.metadata?, "annotations")?, key)
}
