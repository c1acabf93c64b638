//! WI047 `wi-startup-race` (off by default): a short-lived Workload Identity Job without an
//! init container that waits for the GKE metadata server, which needs a few seconds on a new
//! pod (F9.1).

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::registry::{Context, Rule, RuleMeta};
use crate::yaml;

pub struct WiStartupRace;

pub static META: RuleMeta = RuleMeta {
    code: "WI047",
    name: "wi-startup-race",
    summary: "A Workload Identity Job does not wait for the GKE metadata server before it starts",
    default_severity: Severity::Note,
    tags: &["workload-identity"],
    enabled_by_default: false,
    docs: include_str!("../../rules/WI047.md"),
};

impl Rule for WiStartupRace {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        if !matches!(object.kind, "Job" | "CronJob") {
            return;
        }
        for template in object.pod_templates() {
            if !cx.uses_wi(template) {
                continue;
            }
            let waits = yaml::get(template.spec, "initContainers")
                .into_iter()
                .flat_map(yaml::items)
                .any(|c| {
                    let text = object.doc.source(c);
                    text.contains("service-accounts/default/token")
                        || text.contains("computeMetadata")
                });
            if waits {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &META,
                    format!("{} uses Workload Identity but does not wait for the GKE metadata server", object.display()),
                    Label::new(object.span(template.spec_key), "starts without waiting"),
                )
                .with_note("the GKE metadata server needs a few seconds on a new pod; its first token request can fail")
                .with_help("retry token requests, or add an init container that polls http://169.254.169.254/computeMetadata/v1/instance/service-accounts/default/token"),
            );
        }
    }
}
