//! The rule framework: what a rule declares about itself, the `Rule` trait, and the one static
//! list of every rule.

use crate::diagnostic::{Diagnostic, Severity};
use crate::facts::{Cluster, Command, Fact, Grant, NodePool};
use crate::index::Index;
use crate::model::Object;
use crate::rules;
use crate::settings::Settings;

/// Everything a rule declares about itself, in one place. The prose lives in `rules/CODE.md`.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code, `WI` and three digits. Never reused for another meaning.
    pub code: &'static str,
    /// Stable kebab-case name; accepted wherever a code is.
    pub name: &'static str,
    /// One line, used in `wilint rules` and as SARIF `shortDescription`.
    pub summary: &'static str,
    pub default_severity: Severity,
    pub tags: &'static [&'static str],
    /// Whether the rule runs when nothing selects it explicitly.
    pub enabled_by_default: bool,
    /// The rule's documentation (`rules/CODE.md`), compiled in.
    pub docs: &'static str,
}

/// What a rule sees: one object, plus the index of the whole run for cross-object checks.
pub struct Context<'r, 'a> {
    pub object: &'r Object<'a>,
    pub index: &'r Index<'r, 'a>,
    pub settings: &'r Settings,
}

impl Context<'_, '_> {
    /// Whether a pod template of this object runs as a KSA linked to Workload Identity
    /// (annotated, or named by a member of the input), as seen from this object.
    pub fn uses_wi(&self, template: &crate::model::PodTemplate<'_>) -> bool {
        self.index
            .wi_link(&self.object.namespace, template.ksa_name(), self.object)
            .is_some()
    }
}

/// What a rule sees of one grant, whatever source stated it: the grant, plus the index of the
/// whole run.
pub struct GrantContext<'r, 'a> {
    pub grant: &'r Grant<'a>,
    pub index: &'r Index<'r, 'a>,
    pub settings: &'r Settings,
}

/// What a rule sees of one cluster, whatever source stated it.
pub struct ClusterContext<'r, 'a> {
    pub cluster: &'r Cluster<'a>,
    pub index: &'r Index<'r, 'a>,
    pub settings: &'r Settings,
}

/// What a rule sees of one node pool, whatever source stated it.
pub struct NodePoolContext<'r, 'a> {
    pub pool: &'r NodePool<'a>,
    pub index: &'r Index<'r, 'a>,
    pub settings: &'r Settings,
}

/// What a rule sees of one command of a script or guide.
pub struct CommandContext<'r, 'a> {
    pub command: &'r Command<'a>,
    pub index: &'r Index<'r, 'a>,
    pub settings: &'r Settings,
}

/// Runs the check of `rule` for the kind of `fact`.
pub fn check_fact<'r, 'a>(
    rule: &dyn Rule,
    fact: Fact<'r, 'a>,
    index: &'r Index<'r, 'a>,
    settings: &'r Settings,
    out: &mut Vec<Diagnostic>,
) {
    match fact {
        Fact::Grant(grant) => rule.check_grant(
            &GrantContext {
                grant,
                index,
                settings,
            },
            out,
        ),
        Fact::Cluster(cluster) => rule.check_cluster(
            &ClusterContext {
                cluster,
                index,
                settings,
            },
            out,
        ),
        Fact::NodePool(pool) => rule.check_node_pool(
            &NodePoolContext {
                pool,
                index,
                settings,
            },
            out,
        ),
        Fact::Command(command) => rule.check_command(
            &CommandContext {
                command,
                index,
                settings,
            },
            out,
        ),
    }
}

/// A rule reads Kubernetes objects, facts of the Google side (grants, clusters, node pools),
/// or both: each method it does not implement finds nothing.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;

    /// Checks one Kubernetes object and pushes what is wrong with it.
    fn check(&self, _cx: &Context<'_, '_>, _out: &mut Vec<Diagnostic>) {}

    /// Checks one grant (from Config Connector or Terraform) and pushes what is wrong with it.
    fn check_grant(&self, _cx: &GrantContext<'_, '_>, _out: &mut Vec<Diagnostic>) {}

    /// Checks one cluster (from Config Connector or Terraform).
    fn check_cluster(&self, _cx: &ClusterContext<'_, '_>, _out: &mut Vec<Diagnostic>) {}

    /// Checks one node pool (from Config Connector or Terraform).
    fn check_node_pool(&self, _cx: &NodePoolContext<'_, '_>, _out: &mut Vec<Diagnostic>) {}

    /// Checks one command of a script or guide, as written.
    fn check_command(&self, _cx: &CommandContext<'_, '_>, _out: &mut Vec<Diagnostic>) {}
}

impl std::fmt::Debug for dyn Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.meta().code, self.meta().name)
    }
}

/// Every rule, sorted by code.
pub static RULES: &[&dyn Rule] = rules::ALL;

/// Finds a rule by code (case-insensitive) or name.
pub fn find(code_or_name: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|rule| {
        let meta = rule.meta();
        meta.code.eq_ignore_ascii_case(code_or_name) || meta.name == code_or_name
    })
}

/// The rule metadata for a code or name, including WI000 which has no `check`.
pub fn find_meta(code_or_name: &str) -> Option<&'static RuleMeta> {
    find(code_or_name).map(Rule::meta)
}

/// The closest code or name to an unknown one, for "did you mean" messages.
pub fn suggest(unknown: &str) -> Option<&'static str> {
    // `WI04O` for `WI040`: letters that look like digits.
    let digits: String = unknown
        .to_ascii_uppercase()
        .chars()
        .enumerate()
        .map(|(i, c)| match c {
            'O' if i >= 2 => '0',
            'L' | 'I' if i >= 2 => '1',
            c => c,
        })
        .collect();
    if let Some(meta) = find_meta(&digits) {
        return Some(meta.code);
    }
    let unknown_lower = unknown.to_ascii_lowercase();
    RULES
        .iter()
        .flat_map(|rule| [rule.meta().code, rule.meta().name])
        .map(|candidate| {
            let score = strsim::jaro_winkler(&unknown_lower, &candidate.to_ascii_lowercase());
            (score, candidate)
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_and_names_are_unique_sorted_and_well_formed() {
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        let mut previous = "";
        for rule in RULES {
            let meta = rule.meta();
            assert!(codes.insert(meta.code), "duplicate code {}", meta.code);
            assert!(names.insert(meta.name), "duplicate name {}", meta.name);
            assert!(meta.code > previous, "{} is out of order", meta.code);
            previous = meta.code;
            assert!(
                meta.code.len() == 5
                    && meta.code.starts_with("WI")
                    && meta.code[2..].bytes().all(|b| b.is_ascii_digit()),
                "bad code {}",
                meta.code
            );
            assert!(
                meta.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "name {} is not kebab-case",
                meta.name
            );
            assert!(meta.summary.len() <= 1024 && !meta.summary.is_empty());
        }
    }

    #[test]
    fn every_rule_has_documentation_with_ruff_headings() {
        for rule in RULES {
            let meta = rule.meta();
            for heading in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "Use instead:",
                "## References",
            ] {
                assert!(
                    meta.docs.contains(heading),
                    "rules/{}.md lacks {heading:?}",
                    meta.code
                );
            }
        }
    }

    #[test]
    fn every_rule_has_firing_and_clean_fixtures() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules");
        for rule in RULES {
            let code = rule.meta().code;
            let dir = root.join(code);
            let names: Vec<String> = std::fs::read_dir(&dir)
                .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect();
            assert!(
                names.iter().any(|n| n.starts_with("fail")),
                "{code} has no fail* fixture"
            );
            assert!(
                names.iter().any(|n| n.starts_with("pass")),
                "{code} has no pass* fixture"
            );
        }
    }

    #[test]
    fn lookup_by_code_name_and_suggestion() {
        assert_eq!(find_meta("wi040").map(|m| m.code), Some("WI040"));
        assert_eq!(
            find_meta("hostnetwork-pod-with-wi").map(|m| m.code),
            Some("WI040")
        );
        assert!(find("WI999").is_none());
        assert_eq!(
            suggest("hostnetwork-pod-with-w"),
            Some("hostnetwork-pod-with-wi")
        );
        assert_eq!(suggest("WI04O"), Some("WI040"));
    }
}
