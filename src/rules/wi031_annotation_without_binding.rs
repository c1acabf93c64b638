//! WI031 `annotation-without-binding`: a KSA is annotated with a GSA whose authoritative
//! `IAMPolicy` is in the input and grants it no `roles/iam.workloadIdentityUser`.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar;
use crate::registry::{Context, Rule, RuleMeta};

pub struct AnnotationWithoutBinding;

pub static META: RuleMeta = RuleMeta {
    code: "WI031",
    name: "annotation-without-binding",
    summary: "A KSA is annotated with a GSA whose IAM policy in the input does not let it impersonate",
    default_severity: Severity::Warning,
    tags: &["security", "workload-identity", "cross-object"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI031.md"),
};

impl Rule for AnnotationWithoutBinding {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        let (Some(name), Some((value, email))) = (object.name, object.gsa_annotation()) else {
            return;
        };
        // Only an authoritative IAMPolicy on the GSA proves a grant is missing (partial
        // policies and policy members elsewhere may add it), unless the configuration says
        // the input holds every binding (`bundle-complete`).
        let complete = cx.settings.bundle_complete;
        let Some(gsa) = crate::facts::GsaId::from_email(email) else {
            return;
        };
        let on_this_gsa = cx.index.wi_grants_on_account(&gsa.account).filter(|b| {
            (complete || b.states_every_member_of(grammar::WI_ROLE))
                && b.gsa().is_some_and(|g| g.matches(email))
        });
        let mut policy = None;
        for binding in on_this_gsa {
            policy = Some(binding);
            let names_this_ksa = binding
                .wi
                .as_ref()
                .and_then(|member| member.ksa())
                .is_some_and(|(ns, ksa)| {
                    // A KSA in the applied namespace may be the one a binding names in
                    // any namespace: only a named namespace can prove the mismatch.
                    ksa == name && object.namespace.name().is_none_or(|own| own == ns)
                });
            if names_this_ksa && binding.role() == Some(grammar::WI_ROLE) {
                return;
            }
        }
        let Some(policy) = policy else {
            return;
        };
        let ksa = object.namespace.qualify(name);
        let role = grammar::WI_ROLE;
        let member = format!(
            "serviceAccount:PROJECT_ID.svc.id.goog[{}]",
            object
                .namespace
                .name()
                .map_or_else(|| format!("NAMESPACE/{name}"), |ns| format!("{ns}/{name}"))
        );
        let (missing, role_of_policy, add_to): (String, &str, fn(&str) -> String) = if policy
            .states_every_member_of(role)
        {
            (
                format!("the IAMPolicy of that service account grants it no {role}"),
                "the authoritative policy",
                |member| {
                    format!(
                        "add `- role: {}` with member `{member}` to that IAMPolicy",
                        grammar::WI_ROLE
                    )
                },
            )
        } else {
            (
                format!(
                    "no binding on that service account in the input (complete, says `bundle-complete`) grants it {role}"
                ),
                "a binding on the service account",
                |member| {
                    format!(
                        "grant it with an IAMPolicyMember on this service account: `role: {}`, `member: {member}`",
                        grammar::WI_ROLE
                    )
                },
            )
        };
        out.push(
            Diagnostic::new(
                &META,
                format!("{ksa} cannot impersonate its annotated GSA {email}"),
                Label::new(
                    object.span(value),
                    "no binding lets this KSA impersonate it",
                ),
            )
            .with_note(format!(
                "{missing}; expect \"Permission 'iam.serviceAccounts.getAccessToken' denied\""
            ))
            .with_secondary(Label::new(
                policy.origin.anchor,
                format!("{}: {role_of_policy}", policy.origin.display),
            ))
            .with_help(add_to(&member)),
        );
    }
}
