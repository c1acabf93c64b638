//! WI010 `return-principal-annotation-value`: a label or annotation value that YAML decodes as
//! a boolean or number (`iam.gke.io/return-principal-id-as-email: true`), which the API server
//! rejects: labels and annotations are `map[string]string`.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::registry::{Context, Rule, RuleMeta};
use crate::yaml::{self, Node};

pub struct ReturnPrincipalAnnotationValue;

pub static META: RuleMeta = RuleMeta {
    code: "WI010",
    name: "return-principal-annotation-value",
    summary: "A label or annotation value is a YAML boolean or number, not a string",
    default_severity: Severity::Error,
    tags: &["correctness"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI010.md"),
};

impl Rule for ReturnPrincipalAnnotationValue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        let mut metadatas: Vec<&Node<'_>> = object.metadata.into_iter().collect();
        if !object.is_core("Pod") {
            metadatas.extend(object.pod_templates().iter().filter_map(|t| t.metadata));
        }
        for metadata in metadatas {
            for field in ["annotations", "labels"] {
                for (key, value) in yaml::get(metadata, field)
                    .into_iter()
                    .flat_map(yaml::entries)
                {
                    let Some(written) =
                        yaml::kubernetes_non_string(value, || object.doc.source(value))
                    else {
                        continue;
                    };
                    let key = yaml::as_str(key).unwrap_or("?");
                    let singular = field.trim_end_matches('s');
                    out.push(
                        Diagnostic::new(
                            &META,
                            format!("{singular} \"{key}\" on {} is not a string", object.display()),
                            Label::new(object.span(value), "not a string"),
                        )
                        .with_note(format!("YAML reads the value {written} as a boolean or number; {field} must be strings and the API server rejects it"))
                        .with_help(format!("quote it: `{key}: \"{written}\"`")),
                    );
                }
            }
        }
    }
}
