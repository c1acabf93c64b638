//! WI045 `key-file-overrides-wi`: `GOOGLE_APPLICATION_CREDENTIALS` in a Workload Identity pod;
//! Application Default Credentials read it before the metadata server, so Workload Identity is
//! silently bypassed (F9.3).

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::model::Object;
use crate::registry::{Context, Rule, RuleMeta};
use crate::yaml::{self, Node};

pub struct KeyFileOverridesWi;

pub static META: RuleMeta = RuleMeta {
    code: "WI045",
    name: "key-file-overrides-wi",
    summary: "A Workload Identity pod sets GOOGLE_APPLICATION_CREDENTIALS, which ADC prefers to the metadata server",
    default_severity: Severity::Warning,
    tags: &["security", "workload-identity", "cross-object"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI045.md"),
};

const VARIABLE: &str = "GOOGLE_APPLICATION_CREDENTIALS";

/// Whether the pod mounts a `ConfigMap` of the input whose data is an `external_account`
/// credential configuration (Workload Identity Federation, not a key).
fn mounts_external_account(object: &Object<'_>, spec: &Node<'_>, cx: &Context<'_, '_>) -> bool {
    yaml::get(spec, "volumes")
        .into_iter()
        .flat_map(yaml::items)
        .any(|volume| {
            let Some(name) = yaml::get_path(volume, &["configMap", "name"]).and_then(yaml::as_str)
            else {
                return false;
            };
            cx.index
                .of_kind_in("ConfigMap", &object.namespace)
                .iter()
                .any(|o| {
                    o.api_group().is_empty()
                        && o.name == Some(name)
                        && yaml::entries(yaml::get(o.node, "data").unwrap_or(o.node)).any(
                            |(_, v)| {
                                yaml::as_str(v).is_some_and(|t| t.contains("\"external_account\""))
                            },
                        )
                })
        })
}

/// The `envFrom` sources of a container (`ConfigMap`s and `Secret`s of the input, in the pod's
/// namespace) that define `GOOGLE_APPLICATION_CREDENTIALS`, with the reference's name node,
/// the source object and its key node.
fn env_from_sources<'a, 'r>(
    object: &Object<'a>,
    container: &'a Node<'a>,
    cx: &Context<'r, 'a>,
) -> Vec<(&'a Node<'a>, &'r Object<'a>, &'a Node<'a>)> {
    let mut found = Vec::new();
    let items = yaml::get(container, "envFrom")
        .into_iter()
        .flat_map(yaml::items);
    for item in items {
        let prefix = yaml::get(item, "prefix")
            .and_then(yaml::as_str)
            .unwrap_or("");
        // A prefix that cuts into `CREDENTIALS` is not followed: the pre-scan keeps the
        // ConfigMaps and Secrets that hold that word, and no others (`crate::prescan`).
        let Some(key_wanted) = VARIABLE
            .strip_prefix(prefix)
            .filter(|key| key.contains("CREDENTIALS"))
        else {
            continue;
        };
        for (field, kind) in [("configMapRef", "ConfigMap"), ("secretRef", "Secret")] {
            let Some(reference) = yaml::get(item, field).and_then(|r| yaml::get(r, "name")) else {
                continue;
            };
            let name = yaml::as_str(reference);
            let sources = cx
                .index
                .of_kind_in(kind, &object.namespace)
                .iter()
                .filter(|source| source.is_core(kind) && source.name == name);
            for source in sources {
                let keys = ["data", "stringData"]
                    .iter()
                    .filter_map(|section| yaml::get(source.node, section))
                    .flat_map(yaml::entries);
                for (key, _) in keys {
                    if yaml::as_str(key) == Some(key_wanted) {
                        found.push((reference, *source, key));
                    }
                }
            }
        }
    }
    found
}

impl Rule for KeyFileOverridesWi {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        for template in object.pod_templates() {
            if !cx.uses_wi(template) || mounts_external_account(object, template.spec, cx) {
                continue;
            }
            let containers = ["initContainers", "containers"]
                .iter()
                .filter_map(|key| yaml::get(template.spec, key))
                .flat_map(yaml::items);
            for container in containers {
                let container_name = yaml::get(container, "name")
                    .and_then(yaml::as_str)
                    .unwrap_or("?");
                let env = yaml::get(container, "env")
                    .into_iter()
                    .flat_map(yaml::items);
                for variable in env {
                    let Some(name) =
                        yaml::get(variable, "name").filter(|n| yaml::as_str(n) == Some(VARIABLE))
                    else {
                        continue;
                    };
                    out.push(
                        Diagnostic::new(
                            &META,
                            format!("container {container_name} of {} sets {VARIABLE}", object.display()),
                            Label::new(object.span(name), "overrides Workload Identity"),
                        )
                        .with_note("Application Default Credentials read it before the metadata server, so this pod does not use its Workload Identity")
                        .with_help(format!("remove {VARIABLE} (and the key it points to); the pod's KSA already provides credentials")),
                    );
                }
                for (reference, source, key) in env_from_sources(object, container, cx) {
                    out.push(
                        Diagnostic::new(
                            &META,
                            format!("container {container_name} of {} sets {VARIABLE} through envFrom", object.display()),
                            Label::new(object.span(reference), "imports GOOGLE_APPLICATION_CREDENTIALS"),
                        )
                        .with_secondary(Label::new(source.span(key), format!("{}: sets {VARIABLE}", source.display())))
                        .with_note(format!("it comes from {}; Application Default Credentials read it before the metadata server, so this pod does not use its Workload Identity", source.display()))
                        .with_help(format!("remove {VARIABLE} from {} (or stop importing it here); the pod's KSA already provides credentials", source.display())),
                    );
                }
            }
        }
    }
}
