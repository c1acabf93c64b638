//! The language-neutral facts of Workload Identity's Google half: who is granted which role
//! on what, and the clusters and node pools that run the pods. Each source lowers what it reads into these (Config Connector YAML in
//! [`crate::kcc`], Terraform in [`crate::terraform`]), with exact spans into its own file;
//! the index holds them and the rules read them, whatever language they came from.

use std::ops::Range;

use crate::diagnostic::{FileId, Span};
use crate::grammar::{self, WiMember};
use crate::settings::{ClusterConfig, Unit};
use crate::sources::Language;

/// A string as a source states it, with where it is written.
#[derive(Debug, Clone)]
pub struct Text {
    /// The value; a part the source leaves unknown (a Terraform variable without a value) is
    /// spelled as written, `${var.project_id}`, which every rule already takes for a
    /// placeholder and skips.
    pub value: String,
    pub span: Span,
    /// Byte offset in the file of the value's first byte, when the source spells the value
    /// literally (no escapes, no interpolation): parts of the value then have exact spans.
    literal_at: Option<usize>,
    /// The byte ranges of the value that stand for what the source leaves unknown.
    unknown: Vec<Range<usize>>,
}

impl Text {
    pub fn new(value: String, span: Span, literal_at: Option<usize>) -> Self {
        Text {
            value,
            span,
            literal_at,
            unknown: Vec::new(),
        }
    }

    /// The text with parts the source leaves unknown.
    #[must_use]
    pub fn with_unknown(mut self, unknown: Vec<Range<usize>>) -> Self {
        self.unknown = unknown;
        self
    }

    /// The byte ranges of the value that stand for what the source leaves unknown.
    pub fn unknown(&self) -> &[Range<usize>] {
        &self.unknown
    }

    /// Whether some part of the value is unknown.
    pub fn has_unknowns(&self) -> bool {
        !self.unknown.is_empty()
    }

    /// Whether a byte range of the value overlaps a part the source leaves unknown: what looks
    /// like a placeholder there is not one.
    pub fn is_unknown(&self, range: &Range<usize>) -> bool {
        self.unknown
            .iter()
            .any(|u| u.start < range.end && range.start < u.end)
    }

    /// The span of a byte range of the value: exact when the value is written literally, the
    /// whole text otherwise.
    pub fn span_within(&self, range: Range<usize>) -> Span {
        match self.literal_at {
            Some(at) if range.end <= self.value.len() => Span {
                file: self.span.file,
                start: at + range.start,
                end: at + range.end,
            },
            _ => self.span,
        }
    }
}

/// Who states a fact: a Kubernetes object or a Terraform resource.
#[derive(Debug, Clone)]
pub struct Origin<'c> {
    pub file: FileId,
    /// How messages name it: `IAMPolicyMember ns/name`, `google_service_account_iam_member.web`.
    pub display: String,
    /// Where to point at it as a whole (its name).
    pub anchor: Span,
    /// Where it is in the input (file, document or block, node): input order.
    pub position: (FileId, usize, usize),
    /// The apply unit of its file (see [`crate::units`]).
    pub unit: Unit,
    /// The `[[cluster]]` its file deploys to, if the configuration says.
    pub cluster: Option<&'c ClusterConfig>,
    /// Its identity in the graph and for object-wide suppressions.
    pub key: String,
    /// The language it is written in, for helps that show how to fix it there.
    pub language: Language,
}

/// How much of a policy a grant's resource states, which decides what its silence proves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authority {
    /// It adds members (`IAMPolicyMember`, `IAMPartialPolicy`, a Terraform `_member`): others
    /// may be granted elsewhere.
    Additive,
    /// It states every member of its role (a Terraform `_binding`).
    Role,
    /// It states the whole policy (`IAMPolicy`, a Terraform `_policy`).
    Policy,
}

/// What a role is granted on.
#[derive(Debug, Clone)]
pub enum Target {
    /// A Google service account (the impersonation target), identified when the input says
    /// which.
    ServiceAccount(Option<GsaId>),
    /// A whole project, folder or organization (`container`), stated at `span`.
    Container { container: &'static str, span: Span },
    /// Something else, or nothing the input says.
    Other,
}

/// One member granted one role on one resource.
#[derive(Debug, Clone)]
pub struct Grant<'c> {
    pub origin: Origin<'c>,
    pub member: Text,
    /// The member as a Workload Identity member or principal, when it parses as one.
    pub wi: Option<WiMember>,
    pub role: Option<Text>,
    pub target: Target,
    /// The string that names the target, when one does (Config Connector's
    /// `resourceRef.external`, Terraform's `service_account_id`).
    pub target_named: Option<Text>,
    /// The target as the identity graph shows it when the GSA is not identified.
    pub target_shown: Option<String>,
    pub authority: Authority,
}

impl Grant<'_> {
    /// Where the member is in the input: file, document or block, member.
    pub fn position(&self) -> (FileId, usize, usize) {
        (
            self.origin.file,
            self.origin.position.1,
            self.member.span.start,
        )
    }

    pub fn role(&self) -> Option<&str> {
        self.role.as_ref().map(|r| r.value.as_str())
    }

    /// The GSA the grant is on, when the input identifies one.
    pub fn gsa(&self) -> Option<&GsaId> {
        match &self.target {
            Target::ServiceAccount(gsa) => gsa.as_ref(),
            _ => None,
        }
    }

    /// Whether it lets a Workload Identity member impersonate a GSA of the input.
    pub fn is_impersonation(&self) -> bool {
        self.wi.is_some() && self.role() == Some(grammar::WI_ROLE) && self.gsa().is_some()
    }

    /// Whether the grant's resource states every member of `role` on its target.
    pub fn states_every_member_of(&self, role: &str) -> bool {
        match self.authority {
            Authority::Policy => true,
            Authority::Role => self.role() == Some(role),
            Authority::Additive => false,
        }
    }
}

/// Every Google-side fact of a run, from every source.
#[derive(Debug, Default, Clone)]
pub struct FactSet<'c> {
    /// In input order.
    pub grants: Vec<Grant<'c>>,
    pub unknown_grants: Vec<UnknownGrant<'c>>,
    pub clusters: Vec<Cluster<'c>>,
    /// Their `cluster` is a position in `clusters`.
    pub node_pools: Vec<NodePool<'c>>,
    /// The commands of scripts and guides, as written (what rules on a command read).
    pub commands: Vec<Command<'c>>,
}

/// How many facts of each kind a [`FactSet`] holds: where the facts of a source added after
/// start.
#[derive(Debug, Default, Clone, Copy)]
pub struct FactCounts {
    pub grants: usize,
    pub clusters: usize,
    pub node_pools: usize,
    pub commands: usize,
}

impl<'c> FactSet<'c> {
    /// Adds the facts of another source (whose node pools refer to its own clusters).
    pub fn extend(&mut self, other: FactSet<'c>) {
        let offset = self.clusters.len();
        self.grants.extend(other.grants);
        self.unknown_grants.extend(other.unknown_grants);
        self.clusters.extend(other.clusters);
        self.node_pools
            .extend(other.node_pools.into_iter().map(|mut pool| {
                pool.cluster = pool.cluster.map(|c| c + offset);
                pool
            }));
        self.commands.extend(other.commands);
    }

    /// How many facts of each kind it holds.
    pub fn counts(&self) -> FactCounts {
        FactCounts {
            grants: self.grants.len(),
            clusters: self.clusters.len(),
            node_pools: self.node_pools.len(),
            commands: self.commands.len(),
        }
    }
}

/// One fact of any kind, for what treats every kind alike: the index finds an object's facts,
/// the engine runs the rules on each.
#[derive(Debug, Clone, Copy)]
pub enum Fact<'r, 'c> {
    Grant(&'r Grant<'c>),
    Cluster(&'r Cluster<'c>),
    NodePool(&'r NodePool<'c>),
    Command(&'r Command<'c>),
}

impl<'r, 'c> Fact<'r, 'c> {
    pub fn origin(&self) -> &'r Origin<'c> {
        match self {
            Fact::Grant(grant) => &grant.origin,
            Fact::Cluster(cluster) => &cluster.origin,
            Fact::NodePool(pool) => &pool.origin,
            Fact::Command(command) => &command.origin,
        }
    }
}

impl<'c> FactSet<'c> {
    /// Every fact, grants first, then clusters, node pools and commands, each kind from the
    /// given position on.
    pub fn facts_from(&self, from: FactCounts) -> impl Iterator<Item = Fact<'_, 'c>> {
        let grants = self
            .grants
            .get(from.grants..)
            .unwrap_or_default()
            .iter()
            .map(Fact::Grant);
        let clusters = self
            .clusters
            .get(from.clusters..)
            .unwrap_or_default()
            .iter()
            .map(Fact::Cluster);
        let pools = self
            .node_pools
            .get(from.node_pools..)
            .unwrap_or_default()
            .iter()
            .map(Fact::NodePool);
        let commands = self
            .commands
            .get(from.commands..)
            .unwrap_or_default()
            .iter()
            .map(Fact::Command);
        grants.chain(clusters).chain(pools).chain(commands)
    }
}

/// A GKE cluster (Config Connector `ContainerCluster`, Terraform `google_container_cluster`).
#[derive(Debug, Clone)]
pub struct Cluster<'c> {
    pub origin: Origin<'c>,
    /// The name node pools and `[[cluster]]` entries know it by.
    pub name: Option<String>,
    /// Whether it states a workload pool (or its deprecated `identityNamespace`), known or
    /// not: Workload Identity is enabled.
    pub has_workload_pool: bool,
    /// The workload pool, when its value is stated.
    pub workload_pool: Option<Text>,
    /// The key of the deprecated `identityNamespace` (`identity_namespace`), if written.
    pub identity_namespace: Option<Span>,
    /// `Some(true)` for Autopilot; `None` when the source leaves it unknown.
    pub autopilot: Option<bool>,
    /// The project it is created in, when the input says.
    pub project: Option<String>,
    /// The workload metadata mode of its default node configuration.
    pub node_metadata: Option<Text>,
}

/// A GKE node pool (Config Connector `ContainerNodePool`, Terraform
/// `google_container_node_pool` or a cluster's `node_pool` block).
#[derive(Debug, Clone)]
pub struct NodePool<'c> {
    pub origin: Origin<'c>,
    /// The names pods select it by (`cloud.google.com/gke-nodepool`).
    pub names: Vec<String>,
    /// Its cluster, a position in [`FactSet::clusters`], when the input has it.
    pub cluster: Option<usize>,
    /// The workload metadata mode of its nodes (`mode`, or the deprecated `nodeMetadata`).
    pub metadata_mode: Option<Text>,
}

/// A command of a script or guide (`gcloud …`, `kubectl …`) as its words state it: what
/// rules on the command itself read (a mistyped flag), besides the grants, clusters and node
/// pools it is lowered into.
#[derive(Debug, Clone)]
pub struct Command<'c> {
    pub origin: Origin<'c>,
    /// The program and its subcommands: `["gcloud", "container", "node-pools", "update"]`.
    pub path: Vec<String>,
    pub flags: Vec<Flag>,
    pub positionals: Vec<Text>,
}

impl Command<'_> {
    /// The value of the last `name` flag (the one the program keeps).
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().rev().find(|f| f.name == name)
    }
}

/// One flag of a command.
#[derive(Debug, Clone)]
pub struct Flag {
    /// Its name as the program reads it, dashes included: `--role` (a mistyped dash repaired,
    /// see `dash`).
    pub name: String,
    /// Where its name is written.
    pub span: Span,
    pub value: Option<Text>,
    /// A typographic dash written in place of `--` (`— role`, `–role`): where, and which.
    pub dash: Option<(Span, char)>,
}

/// Whether a workload metadata mode asks for the GKE metadata server (Workload Identity).
pub fn is_gke_metadata(mode: &str) -> bool {
    matches!(mode, "GKE_METADATA" | "GKE_METADATA_SERVER")
}

/// A grant whose member the input does not state (`member = var.m`): it may grant what a
/// rule would otherwise call missing, so rules that conclude from silence ask about these.
#[derive(Debug, Clone)]
pub struct UnknownGrant<'c> {
    pub origin: Origin<'c>,
    pub role: Option<String>,
    pub target: Target,
}

impl UnknownGrant<'_> {
    /// Whether it may grant `role` on the GSA with account ID `account`.
    pub fn may_grant(&self, role: &str, account: &str) -> bool {
        let role_may = self.role.as_deref().is_none_or(|r| r == role);
        let target_may = match &self.target {
            Target::ServiceAccount(gsa) => gsa.as_ref().is_none_or(|g| g.account == account),
            Target::Container { .. } => true,
            Target::Other => false,
        };
        role_may && target_may
    }
}

/// A Google service account as a grant targets it: always its account ID, its project when
/// the input says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GsaId {
    pub account: String,
    pub project: Option<String>,
}

impl GsaId {
    pub fn from_email(email: &str) -> Option<GsaId> {
        match grammar::classify_gsa(email) {
            grammar::GsaValue::Email(e) => Some(GsaId {
                account: e.account,
                project: Some(format!("{}{}", e.project, e.extra)),
            }),
            _ => None,
        }
    }

    /// Whether an annotation value names this account.
    pub fn matches(&self, email: &str) -> bool {
        GsaId::from_email(email).is_some_and(|other| self.same(&other))
    }

    /// Whether two identities name the same account (an unknown project matches any).
    pub fn same(&self, other: &GsaId) -> bool {
        other.account == self.account
            && (self.project.is_none() || other.project.is_none() || other.project == self.project)
    }

    /// `account@project.iam.gserviceaccount.com`, or the account ID when the project is unknown.
    pub fn display(&self) -> String {
        match &self.project {
            Some(project) => format!("{}@{project}.iam.gserviceaccount.com", self.account),
            None => format!("service account \"{}\"", self.account),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, end: usize) -> Span {
        Span {
            file: 0,
            start,
            end,
        }
    }

    #[test]
    fn parts_of_a_literal_text_have_exact_spans() {
        let literal = Text::new("abc".into(), span(10, 15), Some(11));
        assert_eq!(literal.span_within(1..2), span(12, 13));
        let escaped = Text::new("abc".into(), span(10, 15), None);
        assert_eq!(escaped.span_within(1..2), span(10, 15));
        // A range past the value falls back to the whole text.
        assert_eq!(literal.span_within(2..9), span(10, 15));
    }

    #[test]
    fn what_a_grant_states_decides_what_its_silence_proves() {
        let text = |v: &str| Text::new(v.into(), span(0, 1), None);
        let mut grant = Grant {
            origin: Origin {
                file: 0,
                display: "x".into(),
                anchor: span(0, 1),
                position: (0, 0, 0),
                unit: Unit::default(),
                cluster: None,
                key: "x".into(),
                language: Language::Yaml,
            },
            member: text("user:a@b.c"),
            wi: None,
            role: Some(text("roles/viewer")),
            target: Target::Other,
            target_named: None,
            target_shown: None,
            authority: Authority::Role,
        };
        assert!(grant.states_every_member_of("roles/viewer"));
        assert!(!grant.states_every_member_of(grammar::WI_ROLE));
        grant.authority = Authority::Policy;
        assert!(grant.states_every_member_of(grammar::WI_ROLE));
        grant.authority = Authority::Additive;
        assert!(!grant.states_every_member_of("roles/viewer"));
    }
}
