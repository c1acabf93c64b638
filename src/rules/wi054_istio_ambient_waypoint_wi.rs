//! WI054 `istio-ambient-waypoint-wi`: a Workload Identity pod in an ambient-mode namespace
//! behind a waypoint, where metadata identity resolves to the pool and GCP calls fail
//! (F6.2 item 6, an open upstream issue).

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::registry::{Context, Rule, RuleMeta};
use crate::yaml;

pub struct IstioAmbientWaypointWi;

pub static META: RuleMeta = RuleMeta {
    code: "WI054",
    name: "istio-ambient-waypoint-wi",
    summary: "A Workload Identity pod runs in an Istio ambient namespace behind a waypoint",
    default_severity: Severity::Note,
    tags: &["workload-identity", "istio", "cross-object"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI054.md"),
};

impl Rule for IstioAmbientWaypointWi {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        let Some(namespace) = object
            .namespace
            .name()
            .and_then(|n| cx.index.namespace_for(n, object))
        else {
            return;
        };
        let label = |meta: Option<&crate::yaml::Node<'_>>, key: &str| {
            meta.and_then(|m| yaml::get(m, "labels"))
                .and_then(|l| yaml::get(l, key))
                .and_then(yaml::as_str)
                .map(str::to_string)
        };
        if label(namespace.metadata, "istio.io/dataplane-mode").as_deref() != Some("ambient") {
            return;
        }
        for template in object.pod_templates() {
            if !cx.uses_wi(template) {
                continue;
            }
            let waypoint = label(template.metadata, "istio.io/use-waypoint")
                .or_else(|| label(namespace.metadata, "istio.io/use-waypoint"));
            // The pod's label wins over the namespace's; `none` opts the pod out.
            let Some(waypoint) = waypoint.filter(|w| w != "none") else {
                continue;
            };
            out.push(
                Diagnostic::new(
                    &META,
                    format!("{} uses Workload Identity behind ambient waypoint \"{waypoint}\"", object.display()),
                    Label::new(object.span(template.spec_key), "behind a waypoint"),
                )
                .with_note("it runs in an ambient namespace; with a waypoint, metadata identity resolves to the pool and Google API calls can fail with PERMISSION_DENIED (istio/istio#59597)")
                .with_help("test token requests from this workload, or keep it out of the waypoint until the upstream issue is fixed"),
            );
        }
    }
}
