//! WI061 `workload-pool-invalid`: a Config Connector `ContainerCluster` whose workload pool is
//! malformed or not its own project's pool, or that uses the deprecated `identityNamespace`.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar;
use crate::kcc;
use crate::registry::{Context, Rule, RuleMeta};
use crate::yaml;

pub struct WorkloadPoolInvalid;

pub static META: RuleMeta = RuleMeta {
    code: "WI061",
    name: "workload-pool-invalid",
    summary: "A ContainerCluster's workload pool is malformed, another project's, or set by the deprecated field",
    default_severity: Severity::Error,
    tags: &["workload-identity", "correctness"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI061.md"),
};

impl Rule for WorkloadPoolInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        if object.api_group() != "container.cnrm.cloud.google.com"
            || object.kind != "ContainerCluster"
        {
            return;
        }
        let Some(config) = yaml::get_path(object.node, &["spec", "workloadIdentityConfig"]) else {
            return;
        };
        if let Some((key, _)) = yaml::get_entry(config, "identityNamespace") {
            out.push(
                Diagnostic::new(
                    &META,
                    format!(
                        "{} uses the deprecated `identityNamespace`",
                        object.display()
                    ),
                    Label::new(object.span(key), "deprecated"),
                )
                .with_severity(Severity::Warning)
                .with_help("use `workloadPool: PROJECT_ID.svc.id.goog`"),
            );
        }
        let Some(node) = yaml::get(config, "workloadPool") else {
            return;
        };
        let Some(pool) = yaml::as_str(node) else {
            return;
        };
        if grammar::find_placeholder(pool).is_some() {
            return; // WI004
        }
        // The cluster's project (F7.5).
        let project = kcc::project_of(object, |ns| cx.index.namespace(ns));
        let project = project.as_deref();
        let expected = project.map(|p| format!("{p}.svc.id.goog"));
        let problem = match pool.strip_suffix(".svc.id.goog") {
            None => Some(format!("\"{pool}\" does not end in \".svc.id.goog\"")),
            Some(pool_project) if !pool_project.contains('.') => {
                if let Some(problem) = grammar::project_id_problem(pool_project) {
                    Some(format!(
                        "\"{pool_project}\" is not a valid project ID ({problem})"
                    ))
                } else if expected.as_deref().is_some_and(|e| e != pool) {
                    Some(format!(
                        "the cluster's project is \"{}\", so its pool is \"{}\"",
                        project.unwrap_or_default(),
                        expected.as_deref().unwrap_or_default()
                    ))
                } else {
                    None
                }
            }
            // Universe-qualified pools are not verified (F1.5).
            Some(_) => None,
        };
        let Some(problem) = problem else {
            return;
        };
        let fix = expected.unwrap_or_else(|| "PROJECT_ID.svc.id.goog".to_string());
        out.push(
            Diagnostic::new(
                &META,
                format!("workloadPool of {} is invalid", object.display()),
                Label::new(object.span(node), "invalid workload pool"),
            )
            .with_note(format!(
                "{problem}; only the cluster's own project pool is supported"
            ))
            .with_help(format!("use `workloadPool: {fix}`")),
        );
    }
}
