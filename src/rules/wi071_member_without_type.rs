//! WI071 `member-without-type`: an IAM grant command's `--member` has no member type
//! (`serviceAccount:`, `user:` …), which IAM refuses.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::grammar;
use crate::registry::{CommandContext, Rule, RuleMeta};

pub struct MemberWithoutType;

pub static META: RuleMeta = RuleMeta {
    code: "WI071",
    name: "member-without-type",
    summary: "An IAM grant command's `--member` has no member type such as `serviceAccount:`",
    default_severity: Severity::Error,
    tags: &["workload-identity", "correctness", "commands"],
    enabled_by_default: true,
    docs: include_str!("../../rules/WI071.md"),
};

impl Rule for MemberWithoutType {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_command(&self, cx: &CommandContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        let command = cx.command;
        let grants = command
            .path
            .last()
            .is_some_and(|verb| verb.ends_with("-iam-policy-binding"));
        if command.path.first().map(String::as_str) != Some("gcloud") || !grants {
            return;
        }
        let Some(member) = command.flag("--member").and_then(|f| f.value.as_ref()) else {
            return;
        };
        // What the script leaves unknown at the start may be the type.
        if member.unknown().first().is_some_and(|u| u.start == 0)
            || member.value.is_empty()
            || grammar::member_has_type(&member.value)
        {
            return;
        }
        let value = &member.value;
        let help = if grammar::is_wi_looking(value) {
            format!("write `--member=serviceAccount:{value}`")
        } else if value.contains('@') {
            format!(
                "write the type: `--member=serviceAccount:{value}` for a service account, `user:` or `group:` otherwise"
            )
        } else {
            "write the member as `TYPE:ID` (`serviceAccount:`, `user:`, `group:`, `domain:`, `principal://…`)".to_string()
        };
        out.push(
            Diagnostic::new(
                &META,
                format!(
                    "--member \"{value}\" of {} has no member type",
                    command.origin.display
                ),
                Label::new(member.span, "no `TYPE:` prefix"),
            )
            .with_note("IAM refuses a member without its type: nothing is granted")
            .with_help(help),
        );
    }
}
