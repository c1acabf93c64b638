//! WI041 `deprecated-serviceaccount-field`: a pod spec uses the deprecated `serviceAccount`
//! field; when it disagrees with `serviceAccountName`, the pod runs as the latter.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::registry::{Context, Rule, RuleMeta};
use crate::yaml;

pub struct DeprecatedServiceaccountField;

pub static META: RuleMeta = RuleMeta {
    code: "WI041",
    name: "deprecated-serviceaccount-field",
    summary: "A pod spec uses the deprecated `serviceAccount` field",
    default_severity: Severity::Warning,
    tags: &["workload-identity", "deprecated"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI041.md"),
};

impl Rule for DeprecatedServiceaccountField {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        for template in object.pod_templates() {
            let Some((key, value)) = yaml::get_entry(template.spec, "serviceAccount") else {
                continue;
            };
            let old = yaml::as_str(value).unwrap_or_default();
            let name_entry = yaml::get_entry(template.spec, "serviceAccountName");
            let current = name_entry
                .and_then(|(_, v)| yaml::as_str(v))
                .filter(|s| !s.is_empty());
            let diagnostic = match (current, name_entry) {
                (Some(current), Some((name_key, _))) if current != old => Diagnostic::new(
                    &META,
                    format!("{} sets conflicting `serviceAccount: {old}` and `serviceAccountName: {current}`", object.display()),
                    Label::new(object.span(key), "deprecated and ignored"),
                )
                .with_severity(Severity::Error)
                .with_note(format!("the pod runs as {current}, not {old}"))
                .with_secondary(Label::new(object.span(name_key), "this one wins"))
                .with_help("remove `serviceAccount` and keep the intended KSA in `serviceAccountName`"),
                (Some(_), _) => Diagnostic::new(
                    &META,
                    format!("{} sets the deprecated `serviceAccount` beside `serviceAccountName`", object.display()),
                    Label::new(object.span(key), "deprecated"),
                )
                .with_help("remove `serviceAccount`"),
                _ => Diagnostic::new(
                    &META,
                    format!("{} uses the deprecated `serviceAccount: {old}`", object.display()),
                    Label::new(object.span(key), "deprecated"),
                )
                .with_help(format!("use `serviceAccountName: {old}`")),
            };
            out.push(diagnostic);
        }
    }
}
