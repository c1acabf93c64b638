//! WI061 `workload-pool-invalid`: a Config Connector `ContainerCluster` whose workload pool is
//! malformed or not its own project's pool, or that uses the deprecated `identityNamespace`.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar;
use crate::registry::{ClusterContext, Rule, RuleMeta};
use crate::sources::Language;

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

    fn check_cluster(&self, cx: &ClusterContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        let cluster = cx.cluster;
        let (field, deprecated) = match cluster.origin.language {
            Language::Yaml => ("workloadPool", "identityNamespace"),
            Language::Terraform => ("workload_pool", "identity_namespace"),
            Language::Shell => ("--workload-pool", "--identity-namespace"),
        };
        if let Some(key) = cluster.identity_namespace {
            out.push(
                Diagnostic::new(
                    &META,
                    format!(
                        "{} uses the deprecated `{deprecated}`",
                        cluster.origin.display
                    ),
                    Label::new(key, "deprecated"),
                )
                .with_severity(Severity::Warning)
                .with_help(help(cluster.origin.language, "PROJECT_ID.svc.id.goog")),
            );
        }
        let Some(pool_text) = &cluster.workload_pool else {
            return;
        };
        let pool = pool_text.value.as_str();
        if grammar::find_placeholder(pool).is_some() {
            return; // WI004
        }
        let project = cluster.project.as_deref();
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
            Some(_) => None,
        };
        let Some(problem) = problem else {
            return;
        };
        let fix = expected.unwrap_or_else(|| "PROJECT_ID.svc.id.goog".to_string());
        // Named as written: the pool may come from the deprecated field (its value follows
        // the key closely: `key: `, `key = "`, `--key=`).
        let pool_span = pool_text.span;
        let from_deprecated = cluster.identity_namespace.is_some_and(|key| {
            key.file == pool_span.file && (key.start..=key.end + 8).contains(&pool_span.start)
        });
        let field = if from_deprecated { deprecated } else { field };
        out.push(
            Diagnostic::new(
                &META,
                format!("{field} of {} is invalid", cluster.origin.display),
                Label::new(pool_text.span, "invalid workload pool"),
            )
            .with_note(format!(
                "{problem}; only the cluster's own project pool is supported"
            ))
            .with_help(help(cluster.origin.language, &fix)),
        );
    }
}

/// How to write the pool `pool` in the cluster's language.
fn help(language: Language, pool: &str) -> String {
    match language {
        Language::Yaml => format!("use `workloadPool: {pool}`"),
        Language::Terraform => format!("use `workload_pool = \"{pool}\"`"),
        Language::Shell => format!("use `--workload-pool={pool}`"),
    }
}
