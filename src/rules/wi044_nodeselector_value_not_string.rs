//! WI044 `nodeselector-value-not-string`: a `nodeSelector` value that YAML decodes as a
//! boolean or number (`iam.gke.io/gke-metadata-server-enabled: true`), which the API server
//! rejects.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::registry::{Context, Rule, RuleMeta};
use crate::yaml;

pub struct NodeselectorValueNotString;

pub static META: RuleMeta = RuleMeta {
    code: "WI044",
    name: "nodeselector-value-not-string",
    summary: "A `nodeSelector` value is a YAML boolean or number, not a string",
    default_severity: Severity::Error,
    tags: &["workload-identity", "correctness"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI044.md"),
};

impl Rule for NodeselectorValueNotString {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        for template in object.pod_templates() {
            let Some(selector) = yaml::get(template.spec, "nodeSelector") else {
                continue;
            };
            for (key, value) in yaml::entries(selector) {
                let Some(written) = yaml::kubernetes_non_string(value, || object.doc.source(value))
                else {
                    continue;
                };
                let key = yaml::as_str(key).unwrap_or("?");
                out.push(
                    Diagnostic::new(
                        &META,
                        format!("nodeSelector \"{key}\" is {written}, not a string"),
                        Label::new(object.span(value), "not a string"),
                    )
                    .with_note(format!("YAML reads {written} as a boolean or number; nodeSelector values must be strings and the API server rejects {}", object.display()))
                    .with_help(format!("quote it: `{key}: \"{written}\"`")),
                );
            }
        }
    }
}
