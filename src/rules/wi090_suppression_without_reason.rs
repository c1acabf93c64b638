//! WI090 `suppression-without-reason`: suppression hygiene, reported by [`crate::suppress`], which knows
//! every suppression of the run; there is nothing to check per object.

use crate::diagnostic::{Diagnostic, Severity};
use crate::registry::{Context, Rule, RuleMeta};

pub struct SuppressionWithoutReason;

pub static META: RuleMeta = RuleMeta {
    code: "WI090",
    name: "suppression-without-reason",
    summary: "A suppression gives no reason (or an invalid expiry date)",
    default_severity: Severity::Warning,
    tags: &["suppression"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI090.md"),
};

impl Rule for SuppressionWithoutReason {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &Context<'_, '_>, _out: &mut Vec<Diagnostic>) {}
}
