//! WI092 `unused-suppression`: suppression hygiene, reported by [`crate::suppress`], which knows
//! every suppression of the run; there is nothing to check per object.

use crate::diagnostic::{Diagnostic, Severity};
use crate::registry::{Context, Rule, RuleMeta};

pub struct UnusedSuppression;

pub static META: RuleMeta = RuleMeta {
    code: "WI092",
    name: "unused-suppression",
    summary: "A suppression matches no finding, or has expired",
    default_severity: Severity::Note,
    tags: &["suppression"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI092.md"),
};

impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &Context<'_, '_>, _out: &mut Vec<Diagnostic>) {}
}
