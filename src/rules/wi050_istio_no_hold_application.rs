//! WI050 `istio-no-hold-application`: a Workload Identity pod with an Istio sidecar, without
//! `holdApplicationUntilProxyStarts`, so its first token requests can fail (F6.2 item 1).

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::istio::{self, Injection};
use crate::registry::{Context, Rule, RuleMeta};
use crate::yaml;

pub struct IstioNoHoldApplication;

pub static META: RuleMeta = RuleMeta {
    code: "WI050",
    name: "istio-no-hold-application",
    summary: "A Workload Identity pod with an Istio sidecar does not hold the application until the proxy starts",
    default_severity: Severity::Warning,
    tags: &["workload-identity", "istio", "cross-object"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI050.md"),
};

impl Rule for IstioNoHoldApplication {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        for template in object.pod_templates() {
            if !cx.uses_wi(template) {
                continue;
            }
            let severity = match istio::injection(object, template, cx.index) {
                Injection::Injected => Severity::Warning,
                Injection::Unknown if cx.index.facts.istio_injection_in_use => Severity::Note,
                _ => continue,
            };
            let holds = istio::annotation(template, "proxy.istio.io/config")
                .and_then(|(_, v)| yaml::as_str(v))
                .is_some_and(|config| {
                    let compact: String = config.chars().filter(|c| !c.is_whitespace()).collect();
                    compact.contains("holdApplicationUntilProxyStarts\":true")
                        || compact.contains("holdApplicationUntilProxyStarts:true")
                });
            let native = istio::annotation(template, "sidecar.istio.io/nativeSidecar")
                .and_then(|(_, v)| yaml::as_str(v))
                == Some("true");
            if holds || native || cx.index.facts.mesh_holds_application {
                continue;
            }
            let why = if severity == Severity::Note {
                " (if its namespace has sidecar injection: the Namespace is not in the input)"
            } else {
                ""
            };
            out.push(
                Diagnostic::new(
                    &META,
                    format!("{} uses Workload Identity without holdApplicationUntilProxyStarts", object.display()),
                    Label::new(object.span(template.spec_key), "pods start before the proxy"),
                )
                .with_severity(severity)
                .with_note(format!("behind an Istio sidecar{why}, its first metadata-server token requests can fail while the proxy starts"))
                .with_help("add the pod annotation `proxy.istio.io/config: '{ \"holdApplicationUntilProxyStarts\": true }'` (or use native sidecars)"),
            );
        }
    }
}
