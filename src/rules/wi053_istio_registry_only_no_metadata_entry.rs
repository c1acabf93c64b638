//! WI053 `istio-registry-only-no-metadata-entry`: the mesh allows only registered outbound
//! destinations and no `ServiceEntry` registers the metadata server (F6.2 item 4); also a
//! `ServiceEntry` with an IP address in `hosts`, which Istio rejects.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::registry::{Context, Rule, RuleMeta};
use crate::yaml::{self, Node};

pub struct IstioRegistryOnlyNoMetadataEntry;

pub static META: RuleMeta = RuleMeta {
    code: "WI053",
    name: "istio-registry-only-no-metadata-entry",
    summary: "The mesh is REGISTRY_ONLY and no ServiceEntry lets pods reach the metadata server",
    default_severity: Severity::Warning,
    tags: &["workload-identity", "istio", "cross-object"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI053.md"),
};

/// The `REGISTRY_ONLY` mode node of an `IstioOperator` or an `istio` mesh `ConfigMap`.
fn registry_only<'a>(object: &crate::model::Object<'a>) -> Option<&'a Node<'a>> {
    if object.kind == "IstioOperator" {
        let mode = yaml::get_path(
            object.node,
            &["spec", "meshConfig", "outboundTrafficPolicy", "mode"],
        )?;
        return (yaml::as_str(mode) == Some("REGISTRY_ONLY")).then_some(mode);
    }
    if object.is_core("ConfigMap")
        && object
            .name
            .is_some_and(|n| n == "istio" || n.starts_with("istio-"))
    {
        let mesh = yaml::get_path(object.node, &["data", "mesh"])?;
        return yaml::as_str(mesh)
            .is_some_and(|m| m.contains("mode: REGISTRY_ONLY"))
            .then_some(mesh);
    }
    None
}

fn is_service_entry(object: &crate::model::Object<'_>) -> bool {
    object.kind == "ServiceEntry" && object.api_group() == "networking.istio.io"
}

impl Rule for IstioRegistryOnlyNoMetadataEntry {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        if is_service_entry(object) {
            for host in yaml::get_path(object.node, &["spec", "hosts"])
                .into_iter()
                .flat_map(yaml::items)
            {
                let Some(value) = yaml::as_str(host) else {
                    continue;
                };
                if value.parse::<std::net::IpAddr>().is_ok() {
                    out.push(
                        Diagnostic::new(
                            &META,
                            format!("ServiceEntry hosts must be names, not the IP address {value}"),
                            Label::new(object.span(host), "an IP address"),
                        )
                        .with_note("Istio rejects this ServiceEntry")
                        .with_help(format!(
                            "use `hosts: [metadata.google.internal]` with `addresses: [{value}]`"
                        )),
                    );
                }
            }
            return;
        }
        let Some(mode) = registry_only(object) else {
            return;
        };
        let covered = cx
            .index
            .of_kind("ServiceEntry")
            .iter()
            .filter(|o| is_service_entry(o))
            .any(|entry| {
                let listed = |field: &str, wanted: &str| {
                    yaml::get_path(entry.node, &["spec", field])
                        .into_iter()
                        .flat_map(yaml::items)
                        .any(|v| {
                            yaml::as_str(v)
                                .is_some_and(|s| s == wanted || s == format!("{wanted}/32"))
                        })
                };
                listed("hosts", "metadata.google.internal")
                    || listed("addresses", "169.254.169.254")
            });
        if covered {
            return;
        }
        out.push(
            Diagnostic::new(
                &META,
                "the mesh's outbound traffic is REGISTRY_ONLY with no ServiceEntry for metadata.google.internal",
                Label::new(object.span(mode), "only registered destinations"),
            )
            .with_note("Workload Identity token requests to metadata.google.internal (169.254.169.254) are blocked")
            .with_help("add a ServiceEntry with `hosts: [metadata.google.internal]`, `addresses: [169.254.169.254]`, port 80 HTTP, `resolution: STATIC` and the endpoint 169.254.169.254"),
        );
    }
}
