//! WI008 `gsa-annotation-key-typo`: a `ServiceAccount` annotation key that is almost
//! `iam.gke.io/gcp-service-account`, which GKE ignores.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar;
use crate::registry::{Context, Rule, RuleMeta};
use crate::yaml;

pub struct GsaAnnotationKeyTypo;

pub static META: RuleMeta = RuleMeta {
    code: "WI008",
    name: "gsa-annotation-key-typo",
    summary: "An annotation key looks like a misspelling of `iam.gke.io/gcp-service-account`",
    default_severity: Severity::Error,
    tags: &["workload-identity", "correctness"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI008.md"),
};

impl Rule for GsaAnnotationKeyTypo {
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
        for (key_node, value_node) in yaml::entries(annotations) {
            let Some(key) = yaml::as_str(key_node) else {
                continue;
            };
            let Some(reason) = grammar::typo_reason(key) else {
                continue;
            };
            let target = grammar::GSA_ANNOTATION;
            let help = match key.strip_prefix(target).and_then(|r| r.get(1..)) {
                Some(value) if !value.is_empty() => {
                    format!("write it as `{target}: {}`", value.trim())
                }
                _ => {
                    let value = yaml::as_str(value_node)
                        .unwrap_or("GSA_NAME@PROJECT_ID.iam.gserviceaccount.com");
                    format!("rename the key: `{target}: {value}`")
                }
            };
            out.push(
                Diagnostic::new(
                    &META,
                    format!(
                        "annotation \"{key}\" on {} looks misspelled",
                        object.display()
                    ),
                    Label::new(object.span(key_node), "misspelled key"),
                )
                .with_note(format!(
                    "it is probably a misspelling of \"{target}\" ({reason}); GKE ignores it"
                ))
                .with_help(help),
            );
        }
    }
}
