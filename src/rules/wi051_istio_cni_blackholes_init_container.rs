//! WI051 `istio-cni-blackholes-init-container`: with the Istio CNI plugin, application init
//! containers run before the sidecar and lose their traffic, including the metadata server
//! token request (F6.2 item 2).

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::istio::{self, Injection};
use crate::registry::{Context, Rule, RuleMeta};
use crate::yaml;

pub struct IstioCniBlackholesInitContainer;

pub static META: RuleMeta = RuleMeta {
    code: "WI051",
    name: "istio-cni-blackholes-init-container",
    summary: "With Istio CNI, a Workload Identity pod's init containers cannot reach the metadata server",
    default_severity: Severity::Warning,
    tags: &["workload-identity", "istio", "cross-object"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI051.md"),
};

impl Rule for IstioCniBlackholesInitContainer {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        let templates = object.pod_templates();
        if templates.is_empty() || !cx.index.facts.istio_cni {
            return;
        }
        for template in templates {
            if !cx.uses_wi(template)
                || istio::injection(object, template, cx.index) != Injection::Injected
            {
                continue;
            }
            let Some((init_key, inits)) = yaml::get_entry(template.spec, "initContainers") else {
                continue;
            };
            let string = |key| istio::annotation(template, key).and_then(|(_, v)| yaml::as_str(v));
            let native = string("sidecar.istio.io/nativeSidecar") == Some("true");
            let excluded =
                string("traffic.sidecar.istio.io/excludeOutboundIPRanges").is_some_and(|ranges| {
                    ranges.split(',').any(|r| {
                        matches!(
                            r.trim(),
                            "169.254.169.254/32" | "169.254.0.0/16" | "0.0.0.0/0"
                        )
                    })
                });
            let runs_as_proxy_user = yaml::items(inits).any(|c| {
                yaml::get_path(c, &["securityContext", "runAsUser"])
                    .is_some_and(|u| yaml::non_string_scalar(u).as_deref() == Some("1337"))
            });
            if native || excluded || runs_as_proxy_user {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &META,
                    format!("{} has init containers, an Istio sidecar and the Istio CNI plugin", object.display()),
                    Label::new(object.span(init_key), "these run before the sidecar"),
                )
                .with_note("its init containers run before the proxy and their traffic, including metadata-server token requests, is lost")
                .with_help("add `traffic.sidecar.istio.io/excludeOutboundIPRanges: \"169.254.169.254/32\"`, run the init container as user 1337, or use native sidecars"),
            );
        }
    }
}
