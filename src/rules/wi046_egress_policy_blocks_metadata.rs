//! WI046 `egress-policy-blocks-metadata`: an egress `NetworkPolicy` selects a Workload
//! Identity pod and allows no traffic to the GKE metadata server (F9.4).

use std::net::Ipv4Addr;

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::model::{Object, PodTemplate};
use crate::registry::{Context, Rule, RuleMeta};
use crate::yaml::{self, Node};

pub struct EgressPolicyBlocksMetadata;

pub static META: RuleMeta = RuleMeta {
    code: "WI046",
    name: "egress-policy-blocks-metadata",
    summary: "An egress NetworkPolicy blocks a Workload Identity pod from the metadata server",
    default_severity: Severity::Warning,
    tags: &["workload-identity", "network", "cross-object"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI046.md"),
};

/// The metadata server's address and port, and its newer address on Dataplane V2.
const ENDPOINTS: &[(Ipv4Addr, u16)] = &[
    (Ipv4Addr::new(169, 254, 169, 254), 80),
    (Ipv4Addr::new(169, 254, 169, 252), 988),
];

fn cidr_contains(cidr: &str, ip: Ipv4Addr) -> bool {
    let Some((address, bits)) = cidr.split_once('/') else {
        return false;
    };
    let (Ok(address), Ok(bits)) = (address.parse::<Ipv4Addr>(), bits.parse::<u32>()) else {
        return false;
    };
    if bits > 32 {
        return false;
    }
    let mask = if bits == 0 {
        0
    } else {
        u32::MAX << (32 - bits)
    };
    u32::from(address) & mask == u32::from(ip) & mask
}

/// Whether an egress rule lets traffic reach `ip:port`.
fn rule_allows(rule: &Node<'_>, ip: Ipv4Addr, port: u16) -> bool {
    let ports: Vec<&Node<'_>> = yaml::get(rule, "ports")
        .into_iter()
        .flat_map(yaml::items)
        .collect();
    let port_ok = ports.is_empty() || ports.iter().any(|p| port_entry_allows(p, port));
    let to: Vec<&Node<'_>> = yaml::get(rule, "to")
        .into_iter()
        .flat_map(yaml::items)
        .collect();
    let peer_ok = to.is_empty()
        || to.iter().any(|peer| {
            let Some(block) = yaml::get(peer, "ipBlock") else {
                return false;
            };
            let Some(cidr) = yaml::get(block, "cidr").and_then(yaml::as_str) else {
                return false;
            };
            let excepted = yaml::get(block, "except")
                .into_iter()
                .flat_map(yaml::items)
                .filter_map(yaml::as_str)
                .any(|e| cidr_contains(e, ip));
            cidr_contains(cidr, ip) && !excepted
        });
    port_ok && peer_ok
}

/// Whether one `ports` entry admits TCP `port`: its protocol (TCP when absent), its `port` and
/// `endPort` range. A named port cannot be resolved here, so it counts as admitting (never
/// report what we cannot prove).
fn port_entry_allows(entry: &Node<'_>, port: u16) -> bool {
    let protocol = yaml::get(entry, "protocol")
        .and_then(yaml::as_str)
        .unwrap_or("TCP");
    if protocol != "TCP" {
        return false;
    }
    let number = |key| {
        yaml::get(entry, key)
            .and_then(|n| yaml::non_string_scalar(n))
            .and_then(|n| n.parse::<u32>().ok())
    };
    match yaml::get(entry, "port") {
        None => true,
        Some(node) if yaml::as_str(node).is_some() => true,
        Some(_) => match (number("port"), number("endPort")) {
            (Some(first), Some(last)) => (first..=last).contains(&u32::from(port)),
            (Some(only), None) => only == u32::from(port),
            _ => false,
        },
    }
}

/// Whether `policy` (a `NetworkPolicy` in the pod's namespace) selects the pod.
fn selects(policy: &Node<'_>, template: &PodTemplate<'_>) -> bool {
    let Some(selector) = yaml::get_path(policy, &["spec", "podSelector"]) else {
        return false;
    };
    if yaml::get(selector, "matchExpressions").is_some() {
        return false; // Not evaluated: never guess.
    }
    let labels = template.metadata.and_then(|m| yaml::get(m, "labels"));
    yaml::get(selector, "matchLabels")
        .into_iter()
        .flat_map(yaml::entries)
        .all(|(k, v)| {
            let (Some(k), Some(v)) = (yaml::as_str(k), yaml::as_str(v)) else {
                return false;
            };
            labels.and_then(|l| yaml::get(l, k)).and_then(yaml::as_str) == Some(v)
        })
}

/// The egress `NetworkPolicy`s of a namespace, in input order.
fn egress_policies<'r, 'a>(
    index: &crate::index::Index<'r, 'a>,
    ns: &crate::settings::Namespace,
) -> Vec<&'r Object<'a>> {
    index
        .of_kind_in("NetworkPolicy", ns)
        .iter()
        .copied()
        .filter(|p| is_egress_policy(p))
        .collect()
}

/// The policy this rule reports a pod template of `workload` on, if it does: the first of the
/// egress `policies` (of the workload's namespace) that selects the pods, when they use
/// Workload Identity and no egress rule of the policies that select them (egress is their
/// union) allows the metadata server.
fn blocking_policy<'p, 'a>(
    workload: &Object<'_>,
    template: &PodTemplate<'_>,
    policies: &[&'p Object<'a>],
    index: &crate::index::Index<'_, '_>,
) -> Option<&'p Object<'a>> {
    let first = policies.iter().find(|p| selects(p.node, template))?;
    index.wi_link(&workload.namespace, template.ksa_name(), workload)?;
    let allowed = policies
        .iter()
        .filter(|p| selects(p.node, template))
        .flat_map(|p| {
            yaml::get_path(p.node, &["spec", "egress"])
                .into_iter()
                .flat_map(yaml::items)
        })
        .any(|rule| {
            ENDPOINTS
                .iter()
                .any(|(ip, port)| rule_allows(rule, *ip, *port))
        });
    (!allowed).then_some(*first)
}

/// Whether this rule reports one of the workload's pod templates: the workloads it reads, which
/// a streamed run keeps for it (`crate::engine`). Policies and Workload Identity links are not
/// workloads, so a streamed run knows them all when it asks.
pub fn reports_on(workload: &Object<'_>, index: &crate::index::Index<'_, '_>) -> bool {
    let policies = egress_policies(index, &workload.namespace);
    !policies.is_empty()
        && workload
            .pod_templates()
            .iter()
            .any(|template| blocking_policy(workload, template, &policies, index).is_some())
}

fn is_egress_policy(object: &Object<'_>) -> bool {
    if object.kind != "NetworkPolicy" || object.api_group() != "networking.k8s.io" {
        return false;
    }
    let types: Vec<&str> = yaml::get_path(object.node, &["spec", "policyTypes"])
        .into_iter()
        .flat_map(yaml::items)
        .filter_map(yaml::as_str)
        .collect();
    types.contains(&"Egress")
        || (types.is_empty() && yaml::get_path(object.node, &["spec", "egress"]).is_some())
}

impl Rule for EgressPolicyBlocksMetadata {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        if !is_egress_policy(object) {
            return;
        }
        let policies = egress_policies(cx.index, &object.namespace);
        let workloads = cx
            .index
            .workloads_egress_policies_may_select(&object.namespace);
        for workload in workloads {
            for template in workload.pod_templates() {
                // Report once, on the first selecting policy.
                let reported_on = blocking_policy(workload, template, &policies, cx.index);
                if !reported_on.is_some_and(|p| std::ptr::eq(p, object)) {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        &META,
                        format!("{} blocks {} from the metadata server", object.display(), workload.display()),
                        Label::new(object.span(object.anchor()), "blocks the metadata server"),
                    )
                    .with_secondary(Label::new(workload.span(workload.anchor()), "a Workload Identity workload it selects"))
                    .with_note("the policy restricts egress of a workload that uses Workload Identity, and no egress rule allows the metadata server (169.254.169.254:80, or 169.254.169.252:988); token requests will time out")
                    .with_help("allow egress to `ipBlock: {cidr: 169.254.169.254/32}` on TCP 80 and to 169.254.169.252/32 on TCP 988; on Dataplane V2 the traffic is DNAT'd to the node's IP on port 988 before policy evaluation, so allow that too"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_containment() {
        let ip = Ipv4Addr::new(169, 254, 169, 254);
        assert!(cidr_contains("169.254.169.254/32", ip));
        assert!(cidr_contains("169.254.0.0/16", ip));
        assert!(cidr_contains("0.0.0.0/0", ip));
        assert!(!cidr_contains("10.0.0.0/8", ip));
        assert!(!cidr_contains("169.254.169.254", ip));
    }
}
