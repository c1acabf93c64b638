//! WI052 `istio-exclude-range-not-cidr`: an Istio outbound IP range that is not a CIDR
//! (`169.254.169.254` without `/32`), which Istio does not accept (F6.2 item 3).

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::istio;
use crate::registry::{Context, Rule, RuleMeta};
use crate::yaml;

pub struct IstioExcludeRangeNotCidr;

pub static META: RuleMeta = RuleMeta {
    code: "WI052",
    name: "istio-exclude-range-not-cidr",
    summary: "An Istio excludeOutboundIPRanges/includeOutboundIPRanges entry is not a CIDR",
    default_severity: Severity::Warning,
    tags: &["workload-identity", "istio"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI052.md"),
};

const KEYS: &[&str] = &[
    "traffic.sidecar.istio.io/excludeOutboundIPRanges",
    "traffic.sidecar.istio.io/includeOutboundIPRanges",
];

/// Whether `entry` is an IPv4 or IPv6 CIDR (or `*`, which Istio accepts for include).
pub fn is_cidr(entry: &str) -> bool {
    if entry == "*" {
        return true;
    }
    let Some((address, bits)) = entry.split_once('/') else {
        return false;
    };
    let Ok(bits) = bits.parse::<u8>() else {
        return false;
    };
    match address.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(_)) => bits <= 32,
        Ok(std::net::IpAddr::V6(_)) => bits <= 128,
        Err(_) => false,
    }
}

impl Rule for IstioExcludeRangeNotCidr {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        for template in object.pod_templates() {
            for key in KEYS {
                let Some((_, node)) = istio::annotation(template, key) else {
                    continue;
                };
                let Some(value) = yaml::as_str(node) else {
                    continue;
                };
                let mut offset = 0;
                for entry in value.split(',') {
                    let start = offset + (entry.len() - entry.trim_start().len());
                    offset += entry.len() + 1;
                    let entry = entry.trim();
                    if entry.is_empty() || is_cidr(entry) {
                        continue;
                    }
                    let fix = if entry.parse::<std::net::Ipv4Addr>().is_ok() {
                        format!("write it as `{entry}/32`")
                    } else if entry.parse::<std::net::Ipv6Addr>().is_ok() {
                        format!("write it as `{entry}/128`")
                    } else {
                        "use comma-separated CIDRs such as `169.254.169.254/32`".to_string()
                    };
                    out.push(
                        Diagnostic::new(
                            &META,
                            format!("\"{entry}\" in {key} is not a CIDR"),
                            Label::new(object.doc.span_within(node, start..start + entry.len()), "not a CIDR"),
                        )
                        .with_note(format!("Istio needs address/prefix, even for one IP; the annotation is on the pods of {}", object.display()))
                        .with_help(fix),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_cidr;

    #[test]
    fn cidrs() {
        assert!(is_cidr("169.254.169.254/32"));
        assert!(is_cidr("10.0.0.0/8"));
        assert!(is_cidr("fd00::/8"));
        assert!(!is_cidr("169.254.169.254"));
        assert!(!is_cidr("169.254.169.254/33"));
        assert!(!is_cidr("metadata.google.internal/32"));
    }
}
