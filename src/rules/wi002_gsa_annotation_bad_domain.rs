//! WI002 `gsa-annotation-bad-domain`: the GSA e-mail in `iam.gke.io/gcp-service-account` has
//! an `@` but not the `.iam.gserviceaccount.com` domain (the article's own mistake).

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar::{self, GsaValue};
use crate::registry::{Context, Rule, RuleMeta};
use crate::yaml;

pub struct GsaAnnotationBadDomain;

pub static META: RuleMeta = RuleMeta {
    code: "WI002",
    name: "gsa-annotation-bad-domain",
    summary: "The GSA e-mail in `iam.gke.io/gcp-service-account` does not end in `.iam.gserviceaccount.com`",
    default_severity: Severity::Error,
    tags: &["security", "workload-identity", "correctness"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI002.md"),
};

impl Rule for GsaAnnotationBadDomain {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        if object.kind != "ServiceAccount" || !object.api_group().is_empty() {
            return;
        }
        let Some((_, value_node)) = object.annotation(grammar::GSA_ANNOTATION) else {
            return;
        };
        let Some(value) = yaml::as_str(value_node) else {
            return;
        };
        let span = object.span(value_node);
        match grammar::classify_gsa(value) {
            GsaValue::BadDomain {
                problem,
                suggestion,
            } => {
                let message = format!(
                    "GSA e-mail \"{value}\" on {} has an invalid domain",
                    object.display()
                );
                let help = match suggestion {
                    Some(fixed) => format!("use `{}: {fixed}`", grammar::GSA_ANNOTATION),
                    None => "use `NAME@PROJECT_ID.iam.gserviceaccount.com`".to_string(),
                };
                out.push(
                    Diagnostic::new(&META, message, Label::new(span, "not a GSA e-mail"))
                        .with_note(format!("the e-mail cannot be impersonated: {problem}"))
                        .with_help(help),
                );
            }
            GsaValue::Email(email) if !email.extra.is_empty() && !email.is_domain_scoped() => {
                let segment = email.extra.trim_start_matches('.');
                if cx.settings.universe_segments.iter().any(|s| s == segment) {
                    return;
                }
                let message = format!(
                    "GSA e-mail \"{value}\" names universe \"{segment}\", which is not configured"
                );
                out.push(
                    Diagnostic::new(&META, message, Label::new(span, "universe-qualified e-mail"))
                        .with_severity(Severity::Note)
                        .with_note("the e-mail is not verified")
                        .with_help(format!(
                            "if this cluster runs in the \"{segment}\" universe, add it to `universe-segments`"
                        )),
                );
            }
            _ => {}
        }
    }
}
