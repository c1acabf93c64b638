//! WI012 `unknown-iam-gke-io-key`: an `iam.gke.io/*` annotation on a `ServiceAccount` that GKE
//! does not know (and that is not a near miss of the GSA key, which WI008 reports).

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar::{KNOWN_KEYS, typo_reason};
use crate::registry::{Context, Rule, RuleMeta};
use crate::yaml;

pub struct UnknownIamGkeIoKey;

pub static META: RuleMeta = RuleMeta {
    code: "WI012",
    name: "unknown-iam-gke-io-key",
    summary: "An `iam.gke.io/` annotation key that GKE does not know",
    default_severity: Severity::Note,
    tags: &["workload-identity"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI012.md"),
};

impl Rule for UnknownIamGkeIoKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        if !object.is_core("ServiceAccount") {
            return;
        }
        let Some(annotations) = object.metadata.and_then(|m| yaml::get(m, "annotations")) else {
            return;
        };
        for (key_node, _) in yaml::entries(annotations) {
            let Some(key) = yaml::as_str(key_node) else {
                continue;
            };
            if !key.starts_with("iam.gke.io/")
                || KNOWN_KEYS.contains(&key)
                || typo_reason(key).is_some()
            {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &META,
                    format!(
                        "annotation \"{key}\" on {} is not a key GKE knows",
                        object.display()
                    ),
                    Label::new(object.span(key_node), "unknown key"),
                )
                .with_note("it has no effect")
                .with_help(format!(
                    "GKE reads {} on ServiceAccounts",
                    KNOWN_KEYS.join(", ")
                )),
            );
        }
    }
}
