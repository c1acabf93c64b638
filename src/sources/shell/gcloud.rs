//! `gcloud` commands lowered into facts: IAM grants (`add-iam-policy-binding`, undone by
//! `remove-iam-policy-binding`), clusters (`container clusters create|create-auto|update`) and
//! node pools (`container node-pools create|update`). `--project` and `gcloud config set
//! project` decide the project where it matters.

use std::collections::HashMap;

use super::command_line::CommandLine;
use super::{FileCx, is_known};
use crate::facts::{Authority, Cluster, FactSet, GsaId, NodePool, Target, Text, UnknownGrant};
use crate::facts::{Command, Grant};
use crate::grammar::WiMember;

/// What a gcloud command does, by its subcommands (after `alpha` or `beta`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verb {
    /// `add-iam-policy-binding` on a service account, or on a project, folder or organization.
    AddBinding(Scope),
    RemoveBinding(Scope),
    ClusterCreate {
        autopilot: bool,
    },
    ClusterUpdate,
    PoolCreate,
    PoolUpdate,
    ConfigSetProject,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    ServiceAccount,
    Container(&'static str),
}

const VERBS: &[(&[&str], Verb)] = &[
    (
        &["iam", "service-accounts", "add-iam-policy-binding"],
        Verb::AddBinding(Scope::ServiceAccount),
    ),
    (
        &["iam", "service-accounts", "remove-iam-policy-binding"],
        Verb::RemoveBinding(Scope::ServiceAccount),
    ),
    (
        &["projects", "add-iam-policy-binding"],
        Verb::AddBinding(Scope::Container("project")),
    ),
    (
        &["projects", "remove-iam-policy-binding"],
        Verb::RemoveBinding(Scope::Container("project")),
    ),
    (
        &["resource-manager", "folders", "add-iam-policy-binding"],
        Verb::AddBinding(Scope::Container("folder")),
    ),
    (
        &["resource-manager", "folders", "remove-iam-policy-binding"],
        Verb::RemoveBinding(Scope::Container("folder")),
    ),
    (
        &["organizations", "add-iam-policy-binding"],
        Verb::AddBinding(Scope::Container("organization")),
    ),
    (
        &["organizations", "remove-iam-policy-binding"],
        Verb::RemoveBinding(Scope::Container("organization")),
    ),
    (
        &["container", "clusters", "create"],
        Verb::ClusterCreate { autopilot: false },
    ),
    (
        &["container", "clusters", "create-auto"],
        Verb::ClusterCreate { autopilot: true },
    ),
    (&["container", "clusters", "update"], Verb::ClusterUpdate),
    (&["container", "node-pools", "create"], Verb::PoolCreate),
    (&["container", "node-pools", "update"], Verb::PoolUpdate),
    (&["config", "set", "project"], Verb::ConfigSetProject),
];

/// gcloud's flags that take a value, of the commands read here and the global ones. Others
/// take one too when written `--flag=VALUE`; written `--flag WORD`, an unknown flag is taken
/// for a switch unless it looks like one that takes a value.
pub fn takes_value(flag: &str) -> bool {
    const SWITCHES: &[&str] = &[
        "--quiet",
        "-q",
        "--async",
        "--verbosity-debug",
        "--log-http",
        "--user-output-enabled",
        "--disable-workload-identity",
        "--all",
        "--help",
        "-h",
    ];
    !(SWITCHES.contains(&flag)
        || flag.starts_with("--enable-")
        || flag.starts_with("--disable-")
        || flag.starts_with("--no-")
        || flag.starts_with("--preemptible")
        || flag.starts_with("--spot"))
}

/// How many operands name a command wilint reads (`projects add-iam-policy-binding`, with
/// `beta` if written), whatever follows.
pub fn command_path_len(line: &CommandLine) -> Option<usize> {
    verb_of(line).map(|(_, len)| len)
}

/// What a file's gcloud commands have set so far.
#[derive(Debug, Default)]
pub struct State {
    /// `gcloud config set project P`.
    project: Option<String>,
    /// Clusters by name as written, positions in the file's facts.
    clusters: HashMap<String, usize>,
    /// Node pools by (cluster, pool) as written.
    pools: HashMap<(String, String), usize>,
}

/// The subcommands of a gcloud command line (`alpha` and `beta` skipped), and the verb.
fn verb_of(line: &CommandLine) -> Option<(Verb, usize)> {
    let operands: Vec<String> = line
        .operands
        .iter()
        .map(super::words::Word::value)
        .collect();
    let skip = usize::from(matches!(
        operands.first().map(String::as_str),
        Some("alpha" | "beta")
    ));
    let rest = operands.get(skip..)?;
    VERBS.iter().find_map(|(path, verb)| {
        (rest.len() >= path.len() && rest.iter().zip(*path).all(|(a, b)| a == b))
            .then_some((*verb, skip + path.len()))
    })
}

/// Lowers one gcloud command line (the Command fact is pushed by the caller).
pub fn lower<'c>(
    cx: &FileCx<'_, 'c>,
    line: &CommandLine,
    command: &Command<'c>,
    state: &mut State,
    out: &mut FactSet<'c>,
) {
    let Some((verb, used)) = verb_of(line) else {
        return;
    };
    let positionals: Vec<Text> = line.operands[used..].iter().map(|w| cx.text(w)).collect();
    let flag_text = |name: &str| command.flag(name).and_then(|f| f.value.clone());
    let project = flag_text("--project")
        .filter(|p| !p.has_unknowns())
        .map(|p| p.value)
        .or_else(|| state.project.clone());
    match verb {
        Verb::ConfigSetProject => {
            state.project = positionals
                .first()
                .filter(|p| !p.has_unknowns())
                .map(|p| p.value.clone());
        }
        Verb::AddBinding(scope) => {
            let Some(member) = flag_text("--member") else {
                return;
            };
            // A member without its type is refused by gcloud (WI071): nothing is granted.
            if !has_member_type(&member) {
                return;
            }
            let target_named = positionals.first().cloned();
            let target = match scope {
                Scope::ServiceAccount => Target::ServiceAccount(
                    target_named
                        .as_ref()
                        .filter(|t| !t.has_unknowns())
                        .and_then(|t| GsaId::from_email(&t.value)),
                ),
                Scope::Container(container) => Target::Container {
                    container,
                    span: command.origin.anchor,
                },
            };
            let role = flag_text("--role");
            let known_enough = !member.has_unknowns()
                || WiMember::parse_partial(&member.value, member.unknown()).is_some();
            if !known_enough {
                out.unknown_grants.push(UnknownGrant {
                    origin: command.origin.clone(),
                    role: role.map(|r| r.value),
                    target,
                });
                return;
            }
            out.grants.push(Grant {
                origin: command.origin.clone(),
                wi: WiMember::parse_partial(&member.value, member.unknown()),
                member,
                role,
                target,
                target_shown: target_named.as_ref().map(|t| t.value.clone()),
                target_named,
                authority: Authority::Additive,
            });
        }
        Verb::RemoveBinding(_) => {
            let (Some(member), role) = (flag_text("--member"), flag_text("--role")) else {
                return;
            };
            let target = positionals.first().map(|t| t.value.clone());
            let same = |grant: &Grant<'_>| {
                grant.member.value == member.value
                    && grant.role.as_ref().map(|r| &r.value) == role.as_ref().map(|r| &r.value)
                    && grant.target_named.as_ref().map(|t| &t.value) == target.as_ref()
            };
            if let Some(at) = out.grants.iter().rposition(same) {
                out.grants.remove(at);
            }
        }
        Verb::ClusterCreate { autopilot } => {
            let Some(name) = positionals.first() else {
                return;
            };
            let pool = flag_text("--workload-pool").or_else(|| flag_text("--identity-namespace"));
            let cluster = Cluster {
                origin: command.origin.clone(),
                name: is_known(name).then(|| name.value.clone()),
                has_workload_pool: pool.is_some(),
                workload_pool: pool,
                identity_namespace: command.flag("--identity-namespace").map(|f| f.span),
                autopilot: Some(autopilot),
                project,
                node_metadata: metadata_mode(&flag_text),
            };
            state
                .clusters
                .insert(name.value.clone(), out.clusters.len());
            out.clusters.push(cluster);
        }
        Verb::ClusterUpdate => {
            let Some(name) = positionals.first() else {
                return;
            };
            let pool = flag_text("--workload-pool").or_else(|| flag_text("--identity-namespace"));
            let disable = command.flag("--disable-workload-identity").is_some();
            if pool.is_none() && !disable {
                return;
            }
            let identity_namespace = command.flag("--identity-namespace").map(|f| f.span);
            match state.clusters.get(&name.value) {
                Some(&at) => {
                    let cluster = &mut out.clusters[at];
                    cluster.has_workload_pool = pool.is_some();
                    cluster.workload_pool = pool;
                    cluster.identity_namespace = identity_namespace;
                }
                // Enabling on a cluster created elsewhere states what it is after.
                None if !disable => {
                    state
                        .clusters
                        .insert(name.value.clone(), out.clusters.len());
                    out.clusters.push(Cluster {
                        origin: command.origin.clone(),
                        name: is_known(name).then(|| name.value.clone()),
                        has_workload_pool: true,
                        workload_pool: pool,
                        identity_namespace,
                        autopilot: None,
                        project,
                        node_metadata: None,
                    });
                }
                None => {}
            }
        }
        Verb::PoolCreate | Verb::PoolUpdate => {
            let Some(name) = positionals.first() else {
                return;
            };
            let cluster_name = flag_text("--cluster").map(|c| c.value).unwrap_or_default();
            let mode = metadata_mode(&flag_text);
            let key = (cluster_name.clone(), name.value.clone());
            if verb == Verb::PoolUpdate {
                if mode.is_none() {
                    return;
                }
                if let Some(&at) = state.pools.get(&key) {
                    out.node_pools[at].metadata_mode = mode;
                    return;
                }
            }
            state.pools.insert(key, out.node_pools.len());
            out.node_pools.push(NodePool {
                origin: command.origin.clone(),
                names: if is_known(name) {
                    vec![name.value.clone()]
                } else {
                    Vec::new()
                },
                cluster: state.clusters.get(&cluster_name).copied(),
                metadata_mode: mode,
            });
        }
    }
}

/// The workload metadata mode a command sets: a value gcloud refuses (WI072) sets nothing.
fn metadata_mode(flag_text: &dyn Fn(&str) -> Option<Text>) -> Option<Text> {
    let accepted = |text: &Text, values: &[&str]| {
        text.has_unknowns() || values.contains(&text.value.to_ascii_uppercase().as_str())
    };
    flag_text("--workload-metadata")
        .filter(|m| accepted(m, crate::grammar::WORKLOAD_METADATA_MODES))
        .or_else(|| {
            flag_text("--workload-metadata-from-node")
                .filter(|m| accepted(m, crate::grammar::WORKLOAD_METADATA_FROM_NODE))
        })
}

/// Whether a member names its type, or starts with what the script leaves unknown (which may).
pub fn has_member_type(member: &Text) -> bool {
    member.unknown().first().is_some_and(|u| u.start == 0)
        || crate::grammar::member_has_type(&member.value)
}
