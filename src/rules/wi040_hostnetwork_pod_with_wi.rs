//! WI040 `hostnetwork-pod-with-wi`: a pod with `hostNetwork: true` runs as a WI-linked KSA;
//! host-network pods do not use Workload Identity and get the node's identity instead (F5).

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar;
use crate::index::WiLink;
use crate::registry::{Context, Rule, RuleMeta};
use crate::yaml;

pub struct HostnetworkPodWithWi;

pub static META: RuleMeta = RuleMeta {
    code: "WI040",
    name: "hostnetwork-pod-with-wi",
    summary: "A `hostNetwork: true` pod runs as a Workload Identity KSA, but gets the node's service account instead",
    default_severity: Severity::Error,
    tags: &["security", "workload-identity", "cross-object"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI040.md"),
};

impl Rule for HostnetworkPodWithWi {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        for template in object.pod_templates() {
            let Some(host_network) = yaml::get(template.spec, "hostNetwork") else {
                continue;
            };
            if yaml::as_bool(host_network) != Some(true) {
                continue;
            }
            let ksa = template.ksa_name();
            let Some(found) = cx.index.wi_link(&object.namespace, ksa, object) else {
                continue;
            };
            let link = found.link;
            let ksa_display = object.namespace.qualify(ksa);
            let intended = match link {
                WiLink::Annotation(sa, _) => sa
                    .annotation(grammar::GSA_ANNOTATION)
                    .and_then(|(_, v)| yaml::as_str(v))
                    .map(|gsa| format!(" instead of {gsa}"))
                    .unwrap_or_default(),
                WiLink::Member(..) => String::new(),
            };
            let message = format!(
                "{} uses Workload Identity with `hostNetwork: true`",
                object.display()
            );
            let note = format!(
                "its pods bypass the GKE metadata server and get the node's service account{intended} (ServiceAccount {ksa_display})"
            );
            out.push(
                Diagnostic::new(
                    &META,
                    message,
                    Label::new(object.span(host_network), "Workload Identity does not apply to host-network pods"),
                )
                .with_secondary(Label::new(
                    link.span(),
                    format!("{}: {}", link.display(), link.describe()),
                ))
                .with_severity(if found.certain { META.default_severity } else { Severity::Note })
                .with_note(note)
                .with_help("remove `hostNetwork: true`, or if the node's identity is intended, run these pods as a KSA without Workload Identity"),
            );
        }
    }
}
