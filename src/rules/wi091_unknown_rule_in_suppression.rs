//! WI091 `unknown-rule-in-suppression`: suppression hygiene, reported by [`crate::suppress`], which knows
//! every suppression of the run; there is nothing to check per object.

use crate::diagnostic::{Diagnostic, Severity};
use crate::registry::{Context, Rule, RuleMeta};

pub struct UnknownRuleInSuppression;

pub static META: RuleMeta = RuleMeta {
    code: "WI091",
    name: "unknown-rule-in-suppression",
    summary: "A suppression names a rule that does not exist",
    default_severity: Severity::Error,
    tags: &["suppression"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI091.md"),
};

impl Rule for UnknownRuleInSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &Context<'_, '_>, _out: &mut Vec<Diagnostic>) {}
}
