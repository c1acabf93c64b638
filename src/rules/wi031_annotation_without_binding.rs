//! WI031 `annotation-without-binding`: a KSA is annotated with a GSA whose authoritative
//! `IAMPolicy` is in the input and grants it no `roles/iam.workloadIdentityUser`.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar;
use crate::registry::{Context, Rule, RuleMeta};
use crate::sources::Language;

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
            // A member whose namespace or name the source leaves unknown may be this KSA's.
            if binding.member.has_unknowns() && binding.role() == Some(grammar::WI_ROLE) {
                return;
            }
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
        // A grant whose member the input leaves unknown (`members = var.members`) may be the
        // missing one.
        if cx.index.may_grant_unknown(grammar::WI_ROLE, &gsa.account) {
            return;
        }
        let ksa = object.namespace.qualify(name);
        let role = grammar::WI_ROLE;
        let member = format!(
            "serviceAccount:PROJECT_ID.svc.id.goog[{}]",
            object
                .namespace
                .name()
                .map_or_else(|| format!("NAMESPACE/{name}"), |ns| format!("{ns}/{name}"))
        );
        let terraform = policy.origin.language == Language::Terraform;
        let (missing, role_of_policy, fix) = if policy.states_every_member_of(role) {
            let fix = if terraform {
                format!(
                    "add `{member}` to the `members` of {}",
                    policy.origin.display
                )
            } else {
                format!("add `- role: {role}` with member `{member}` to that IAMPolicy")
            };
            let missing = if terraform {
                format!(
                    "{} states every member of {role} on that service account, and not this one",
                    policy.origin.display
                )
            } else {
                format!("the IAMPolicy of that service account grants it no {role}")
            };
            (missing, "the authoritative policy", fix)
        } else {
            let fix = if terraform {
                format!(
                    "grant it with a `google_service_account_iam_member` on this service account: `role = \"{role}\"`, `member = \"{member}\"`"
                )
            } else {
                format!(
                    "grant it with an IAMPolicyMember on this service account: `role: {role}`, `member: {member}`"
                )
            };
            (
                format!(
                    "no binding on that service account in the input (complete, says `bundle-complete`) grants it {role}"
                ),
                "a binding on the service account",
                fix,
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
            .with_help(fix),
        );
    }
}
