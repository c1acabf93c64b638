//! WI028 `wi-pool-project-mismatch`: a Workload Identity member names a pool other than the
//! cluster's, so the binding never matches this cluster's pods (F3.1).

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar;
use crate::registry::{GrantContext, Rule, RuleMeta};

pub struct WiPoolProjectMismatch;

pub static META: RuleMeta = RuleMeta {
    code: "WI028",
    name: "wi-pool-project-mismatch",
    summary: "A Workload Identity member names another project's pool than the cluster's",
    default_severity: Severity::Warning,
    tags: &["workload-identity", "cross-object"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI028.md"),
};

impl Rule for WiPoolProjectMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_grant(&self, cx: &GrantContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        let grant = cx.grant;
        let Some(member) = &grant.wi else {
            return;
        };
        let pool = member.pool();
        if grammar::find_placeholder(pool).is_some() {
            return;
        }
        // The pools of the clusters applied with this grant (its apply unit, or its
        // `[[cluster]]`): another application's cluster says nothing of this one.
        let cluster_pools: Vec<&str> = cx
            .index
            .clusters()
            .iter()
            .filter(|c| c.origin.unit == grant.origin.unit)
            .filter_map(|c| c.workload_pool.as_ref())
            .map(|pool| pool.value.as_str())
            .collect();
        // A pool with a placeholder (`${PROJECT_ID}.svc.id.goog`) is unknown: WI004's.
        let pools_known = !cluster_pools
            .iter()
            .any(|pool| grammar::find_placeholder(pool).is_some());
        // The project of the file's `[[cluster]]`, else the configured `project-id`.
        let project = grant
            .origin
            .cluster
            .map(|c| c.project.as_str())
            .or(cx.settings.project_id.as_deref());
        let (severity, expected) = if let Some(project) = project {
            // Non-default universes put a segment before `svc.id.goog` (F1.5).
            let in_universe = cx
                .settings
                .universe_segments
                .iter()
                .any(|segment| pool == format!("{project}.{segment}.svc.id.goog"));
            if in_universe {
                return;
            }
            (Severity::Error, format!("{project}.svc.id.goog"))
        } else if let ([first, ..], true) = (cluster_pools.as_slice(), pools_known) {
            if cluster_pools.contains(&pool) {
                return;
            }
            (Severity::Warning, (*first).to_string())
        } else {
            return;
        };
        if pool == expected {
            return;
        }
        let whose = if severity == Severity::Error {
            "the configured project's pool"
        } else {
            "the pool of the cluster in the input"
        };
        out.push(
            Diagnostic::new(
                &META,
                format!("member uses pool {pool}, not {expected}"),
                Label::new(grant.member.span, "another pool"),
            )
            .with_severity(severity)
            .with_note(format!(
                "that is {whose}; the binding will never match this cluster's pods"
            ))
            .with_help(format!("use the pool `{expected}`")),
        );
    }
}
