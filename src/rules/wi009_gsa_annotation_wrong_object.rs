//! WI009 `gsa-annotation-wrong-object`: `iam.gke.io/gcp-service-account` on a Pod, a pod
//! template, a workload or a Namespace, where GKE never reads it.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar;
use crate::model::PodIdentity;
use crate::registry::{Context, Rule, RuleMeta};
use crate::yaml::{self, Node};

pub struct GsaAnnotationWrongObject;

pub static META: RuleMeta = RuleMeta {
    code: "WI009",
    name: "gsa-annotation-wrong-object",
    summary: "`iam.gke.io/gcp-service-account` is on a Pod, workload or Namespace, where it has no effect",
    default_severity: Severity::Error,
    tags: &["workload-identity", "correctness"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI009.md"),
};

fn gsa_key<'a>(metadata: Option<&'a Node<'a>>) -> Option<&'a Node<'a>> {
    let annotations = yaml::get(metadata?, "annotations")?;
    yaml::get_entry(annotations, grammar::GSA_ANNOTATION).map(|(key, _)| key)
}

impl Rule for GsaAnnotationWrongObject {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        let templates = object.pod_templates();
        let target = |ksa: Option<&str>| {
            let ksa = ksa.unwrap_or("KSA_NAME");
            format!("put it on ServiceAccount {}", object.namespace.qualify(ksa))
        };
        let mut report = |key: &Node<'_>, on: String, help: String| {
            out.push(
                Diagnostic::new(
                    &META,
                    format!("{} has no effect on {on}", grammar::GSA_ANNOTATION),
                    Label::new(object.span(key), "ignored here"),
                )
                .with_note("GKE reads it only from the pod's ServiceAccount")
                .with_help(help),
            );
        };
        if object.is_core("Namespace") {
            if let Some(key) = gsa_key(object.metadata) {
                report(
                    key,
                    object.display(),
                    "annotate the namespace's ServiceAccounts instead".to_string(),
                );
            }
            return;
        }
        // Only workloads (objects with a pod template) and Pods: CRs that template a KSA
        // (CloudNativePG `spec.serviceAccountTemplate`) have no pod template and are left alone.
        for template in templates {
            let ksa = match template.identity() {
                PodIdentity::Named(name, _) => Some(name),
                PodIdentity::ImplicitDefault => None,
            };
            if let Some(key) = gsa_key(object.metadata) {
                report(key, object.display(), target(ksa));
            }
            if !object.is_core("Pod")
                && let Some(key) = gsa_key(template.metadata)
            {
                report(
                    key,
                    format!("the pod template of {}", object.display()),
                    target(ksa),
                );
            }
        }
    }
}
