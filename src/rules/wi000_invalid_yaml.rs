//! WI000 `invalid-yaml`: a document that cannot be parsed. Reported by the loader
//! ([`crate::engine`]), not by a check on objects, because there is no object to check.

use crate::diagnostic::{Diagnostic, Severity};
use crate::registry::{Context, Rule, RuleMeta};

pub struct InvalidYaml;

pub static META: RuleMeta = RuleMeta {
    code: "WI000",
    name: "invalid-yaml",
    summary: "A document cannot be parsed: invalid YAML, not UTF-8 text, an unrendered template, or over a resource limit",
    default_severity: Severity::Error,
    tags: &["correctness"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI000.md"),
};

impl Rule for InvalidYaml {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &Context<'_, '_>, _out: &mut Vec<Diagnostic>) {}
}
