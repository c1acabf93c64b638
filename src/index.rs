//! The index of a whole run, built after parsing and before rules run, because Workload
//! Identity is cross-object: a Deployment names a KSA defined in another file, a Config
//! Connector binding names a KSA by `namespace/name`.

use std::collections::HashMap;

use crate::diagnostic::{FileId, Span};
use crate::facts::{Cluster, Fact, FactSet, Grant, GsaId, NodePool, UnknownGrant};
use crate::model::Object;
use crate::settings::{Namespace, Unit};
use crate::yaml::Node;

/// How a KSA is linked to Workload Identity (catalogue decision 7).
#[derive(Debug, Clone, Copy)]
pub enum WiLink<'r, 'a> {
    /// The KSA carries `iam.gke.io/gcp-service-account` (valid or not): the key node.
    Annotation(&'r Object<'a>, &'a Node<'a>),
    /// A WI member or principal of a grant names the KSA.
    Member(&'r Grant<'a>),
}

impl WiLink<'_, '_> {
    /// Where the link is in the input: file, document or block, node.
    pub fn position(&self) -> (FileId, usize, usize) {
        match self {
            WiLink::Annotation(object, node) => (
                object.doc.file,
                object.doc.start,
                object.doc.start + object.doc.byte_of_char(node.start()),
            ),
            WiLink::Member(grant) => grant.position(),
        }
    }

    pub fn file(&self) -> FileId {
        self.position().0
    }

    /// What to point at: the annotation key, or the member.
    pub fn span(&self) -> Span {
        match self {
            WiLink::Annotation(object, node) => object.span(node),
            WiLink::Member(grant) => grant.member.span,
        }
    }

    /// How messages name the object or resource that links.
    pub fn display(&self) -> String {
        match self {
            WiLink::Annotation(object, _) => object.display(),
            WiLink::Member(grant) => grant.origin.display.clone(),
        }
    }

    /// A short description for secondary labels.
    pub fn describe(&self) -> &'static str {
        match self {
            WiLink::Annotation(..) => "linked to a Google service account here",
            WiLink::Member(..) => "granted Workload Identity here",
        }
    }
}

type KsaKey = (Namespace, String);

#[derive(Debug, Default)]
pub struct Index<'r, 'a> {
    service_accounts: HashMap<KsaKey, Vec<&'r Object<'a>>>,
    /// `Namespace` objects by name, in input order (one per cluster).
    namespaces: HashMap<String, Vec<&'r Object<'a>>>,
    /// Every WI link of each KSA (annotations first, then members, each in input order).
    links: HashMap<KsaKey, Vec<WiLink<'r, 'a>>>,
    /// Every WI link of each namespace, in input order.
    namespace_links: HashMap<Namespace, Vec<WiLink<'r, 'a>>>,
    /// Every grant of the input, whatever its source, in input order.
    grants: &'r [Grant<'a>],
    /// The grants whose member the input leaves unknown.
    unknown_grants: &'r [UnknownGrant<'a>],
    /// Every cluster and node pool of the input, whatever its source, in input order.
    clusters: &'r [Cluster<'a>],
    node_pools: &'r [NodePool<'a>],
    /// The facts each origin states (keyed by its position): an object's grants, cluster or
    /// node pool.
    facts_of_origin: HashMap<(FileId, usize, usize), Vec<Fact<'r, 'a>>>,
    /// The KSAs that some pod template runs as.
    used_ksas: std::collections::HashSet<KsaKey>,
    /// Every object, in input order.
    objects: &'r [Object<'a>],
    /// Annotated `ServiceAccount`s by namespace, in input order.
    annotated: HashMap<Namespace, Vec<&'r Object<'a>>>,
    /// Run-wide facts, computed once so that rules never rescan the input per object.
    pub facts: Facts,
    /// Objects by kind, in input order.
    by_kind: HashMap<&'a str, Vec<&'r Object<'a>>>,
    /// Objects by kind and namespace, in input order.
    by_kind_in: HashMap<Namespace, HashMap<&'a str, Vec<&'r Object<'a>>>>,
    /// Positions in `grants` of the Workload Identity members naming each KSA and granted on
    /// each GSA account ID: rules look grants up instead of scanning them all for every
    /// object.
    wi_grants_of_ksa: HashMap<KsaKey, Vec<usize>>,
    wi_grants_on_account: HashMap<String, Vec<usize>>,
    /// Annotated `ServiceAccount`s by the account ID of their GSA, in input order.
    annotated_by_account: HashMap<String, Vec<&'r Object<'a>>>,
    /// Objects with pod templates, by namespace, in input order.
    workloads: HashMap<Namespace, Vec<&'r Object<'a>>>,
    /// Whether workload documents are streamed past this index (see [`Streamed`]).
    streamed: Streamed,
}

/// How a streamed run's index lacks the workloads it streams (`crate::engine`): their trees
/// are dropped once their rules have run, so the index of the other objects is built first
/// and the workloads come after it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum Streamed {
    /// Not streamed: the index has every object.
    #[default]
    No,
    /// While workloads stream: none of them is in the index yet. What depends on them (the
    /// workloads of a namespace, the objects of a workload kind) is unknown, and a rule that
    /// reads it is run again once every workload has been seen; whether a KSA is used is
    /// `Usage::NotKnownYet`.
    Partial,
    /// After: every KSA a pod runs as is known, and WI046's workloads (the ones it reports);
    /// the other workloads, the objects of a workload kind and every object are not.
    Final,
}

thread_local! {
    /// Set when a rule reads what a streamed index does not know yet (see [`Streamed`]); the
    /// engine clears it before each rule and reads it after, on the rule's own thread (so a
    /// rule must not read the index from other threads: none uses rayon inside).
    static READ_WHAT_STREAMING_LACKS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether a rule read what the streamed index lacks since the last call (and clears it).
pub fn take_incomplete_read() -> bool {
    READ_WHAT_STREAMING_LACKS.with(|read| read.replace(false))
}

/// The kinds a streamed run streams (their pod templates are found by API group and kind,
/// see `Object::pod_templates`): no other kind's objects are missing from a streamed index.
pub fn is_streamed_kind(group: &str, kind: &str) -> bool {
    match kind {
        "Pod" | "PodTemplate" => group.is_empty(),
        "CronJob" => group == "batch",
        "ReplicationController"
        | "Deployment"
        | "ReplicaSet"
        | "StatefulSet"
        | "DaemonSet"
        | "Job" => matches!(group, "" | "apps" | "batch" | "extensions"),
        _ => false,
    }
}

/// Whether some pod template runs as a KSA (see [`Index::usage`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Usage {
    Used,
    Unused,
    /// Not known until every workload of a streamed run has been seen: a finding that depends
    /// on it is reported then, if the KSA is still unused ([`Diagnostic::unless_used`]).
    ///
    /// [`Diagnostic::unless_used`]: crate::diagnostic::Diagnostic::unless_used
    NotKnownYet,
}

/// Facts about the whole input that several rules need.
// Independent yes/no facts, not a state machine: an enum would not fit.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Default, Clone, Copy)]
pub struct Facts {
    /// A `ContainerCluster` with `enableAutopilot: true`.
    pub autopilot_cluster: bool,
    /// Istio sidecar injection is used somewhere (a labelled namespace or pod).
    pub istio_injection_in_use: bool,
    /// Mesh-wide `holdApplicationUntilProxyStarts: true`.
    pub mesh_holds_application: bool,
    /// The Istio CNI plugin is installed.
    pub istio_cni: bool,
}

impl<'r, 'a> Index<'r, 'a> {
    pub fn build(objects: &'r [Object<'a>], facts: &'r FactSet<'a>) -> Self {
        Index::build_streamed(objects, facts, Streamed::No, std::iter::empty())
    }

    /// The index of a streamed run (see [`Streamed`]): `used_ksas` are the KSAs that the pods
    /// of the streamed workloads run as, which `objects` lacks.
    pub fn build_streamed(
        objects: &'r [Object<'a>],
        facts: &'r FactSet<'a>,
        streamed: Streamed,
        used_ksas: impl IntoIterator<Item = (Namespace, String)>,
    ) -> Self {
        let grants = &facts.grants;
        let mut index = Index {
            grants,
            unknown_grants: &facts.unknown_grants,
            clusters: &facts.clusters,
            node_pools: &facts.node_pools,
            objects,
            streamed,
            ..Index::default()
        };
        index.used_ksas.extend(used_ksas);
        for object in objects {
            index.by_kind.entry(object.kind).or_default().push(object);
            index
                .by_kind_in
                .entry(object.namespace.clone())
                .or_default()
                .entry(object.kind)
                .or_default()
                .push(object);
            let templates = object.pod_templates();
            if !templates.is_empty() {
                index
                    .workloads
                    .entry(object.namespace.clone())
                    .or_default()
                    .push(object);
            }
            for template in templates {
                index
                    .used_ksas
                    .insert((object.namespace.clone(), template.ksa_name().to_string()));
            }
            if object.kind == "ServiceAccount"
                && object.api_group().is_empty()
                && let Some(name) = object.name
            {
                index
                    .service_accounts
                    .entry((object.namespace.clone(), name.to_string()))
                    .or_default()
                    .push(object);
            }
            if let Some((_, email)) = object.gsa_annotation() {
                if let Some(gsa) = GsaId::from_email(email) {
                    index
                        .annotated_by_account
                        .entry(gsa.account)
                        .or_default()
                        .push(object);
                }
                index
                    .annotated
                    .entry(object.namespace.clone())
                    .or_default()
                    .push(object);
            }
            if object.is_core("Namespace")
                && let Some(name) = object.name
            {
                index
                    .namespaces
                    .entry(name.to_string())
                    .or_default()
                    .push(object);
            }
        }
        for fact in facts.facts_from(crate::facts::FactCounts::default()) {
            index
                .facts_of_origin
                .entry(fact.origin().position)
                .or_default()
                .push(fact);
        }
        for (position, grant) in grants.iter().enumerate() {
            let Some(member) = &grant.wi else {
                continue;
            };
            if let Some((ns, ksa)) = member.ksa() {
                index
                    .wi_grants_of_ksa
                    .entry((Namespace::Named(ns.to_string()), ksa.to_string()))
                    .or_default()
                    .push(position);
            }
            if let Some(gsa) = grant.gsa() {
                index
                    .wi_grants_on_account
                    .entry(gsa.account.clone())
                    .or_default()
                    .push(position);
            }
        }
        let mut links: HashMap<KsaKey, Vec<WiLink<'r, 'a>>> = HashMap::new();
        for key in index
            .service_accounts
            .keys()
            .chain(index.wi_grants_of_ksa.keys())
        {
            if !links.contains_key(key) {
                links.insert(key.clone(), index.find_wi_links(&key.0, &key.1));
            }
        }
        let mut namespace_links: HashMap<Namespace, Vec<WiLink<'r, 'a>>> = HashMap::new();
        for ((ns, _), found) in &links {
            namespace_links
                .entry(ns.clone())
                .or_default()
                .extend(found.iter().copied());
        }
        index.links = links;
        // Input order, so that messages never depend on hashing.
        for links in namespace_links.values_mut() {
            links.sort_by_key(WiLink::position);
            links.dedup_by_key(|link| link.position());
        }
        index.namespace_links = namespace_links;
        index.facts.autopilot_cluster = facts.clusters.iter().any(|c| c.autopilot == Some(true));
        for object in objects {
            let facts = &mut index.facts;
            facts.istio_injection_in_use |= crate::istio::shows_injection(object);
            facts.mesh_holds_application |= crate::istio::holds_application(object);
            facts.istio_cni |= crate::istio::installs_cni(object);
        }
        index
    }

    fn at<'s>(
        &'s self,
        positions: Option<&'s Vec<usize>>,
    ) -> impl Iterator<Item = &'r Grant<'a>> + 's {
        positions
            .into_iter()
            .flatten()
            .filter_map(|&p| self.grants.get(p))
    }

    /// The facts an object states (a Config Connector IAM resource's grants, a
    /// `ContainerCluster`, a `ContainerNodePool`), in input order.
    pub fn facts_of(&self, object: &Object<'_>) -> &[Fact<'r, 'a>] {
        self.facts_of_origin
            .get(&object.position())
            .map_or(&[], Vec::as_slice)
    }

    /// The Workload Identity members granted on a GSA with this account ID (any project), in
    /// input order.
    pub fn wi_grants_on_account<'s>(
        &'s self,
        account: &str,
    ) -> impl Iterator<Item = &'r Grant<'a>> + 's {
        self.at(self.wi_grants_on_account.get(account))
    }

    /// The annotated `ServiceAccount`s whose GSA has this account ID, in input order.
    pub fn annotated_with_account(&self, account: &str) -> &[&'r Object<'a>] {
        self.annotated_by_account
            .get(account)
            .map_or(&[], Vec::as_slice)
    }

    /// The objects of a kind (any API group) in a namespace, in input order.
    pub fn of_kind_in(&self, kind: &str, ns: &Namespace) -> &[&'r Object<'a>] {
        self.reads_kind(kind);
        self.by_kind_in
            .get(ns)
            .and_then(|kinds| kinds.get(kind))
            .map_or(&[], Vec::as_slice)
    }

    /// Every cluster of the input, in input order.
    pub fn clusters(&self) -> &'r [Cluster<'a>] {
        self.clusters
    }

    /// Every node pool of the input, in input order.
    pub fn node_pools(&self) -> &'r [NodePool<'a>] {
        self.node_pools
    }

    /// The cluster a node pool belongs to, when the input has it.
    pub fn cluster_of(&self, pool: &NodePool<'_>) -> Option<&'r Cluster<'a>> {
        self.clusters.get(pool.cluster?)
    }

    /// The node pools of a cluster.
    pub fn node_pools_of<'s>(
        &'s self,
        cluster: &'s Cluster<'_>,
    ) -> impl Iterator<Item = &'r NodePool<'a>> + 's {
        self.node_pools.iter().filter(move |pool| {
            self.cluster_of(pool)
                .is_some_and(|c| c.origin.position == cluster.origin.position)
        })
    }

    /// Whether a grant whose member the input leaves unknown may grant `role` on the GSA with
    /// account ID `account`.
    pub fn may_grant_unknown(&self, role: &str, account: &str) -> bool {
        self.unknown_grants
            .iter()
            .any(|grant| grant.may_grant(role, account))
    }

    /// Every grant of the input whose member is a Workload Identity member, in input order.
    pub fn wi_grants(&self) -> impl Iterator<Item = &'r Grant<'a>> {
        self.grants.iter().filter(|grant| grant.wi.is_some())
    }

    /// The Workload Identity members that name the KSA `ns/name`, in input order.
    pub fn wi_grants_for<'s>(
        &'s self,
        ns: &Namespace,
        name: &str,
    ) -> impl Iterator<Item = &'r Grant<'a>> + 's {
        self.at(self.wi_grants_of_ksa.get(&(ns.clone(), name.to_string())))
    }

    /// Notes that a rule reads what a streamed index lacks in these phases.
    fn lacks_in(&self, phases: &[Streamed]) {
        if phases.contains(&self.streamed) {
            READ_WHAT_STREAMING_LACKS.with(|read| read.set(true));
        }
    }

    /// Notes a read of the objects of `kind` (of any API group).
    fn reads_kind(&self, kind: &str) {
        let streamed = ["", "apps", "batch"]
            .iter()
            .any(|group| is_streamed_kind(group, kind));
        if streamed {
            self.lacks_in(&[Streamed::Partial, Streamed::Final]);
        }
    }

    /// Whether some pod template of the input runs as `ns/name`: while a streamed run's
    /// workloads stream, a workload still to come may run as it, and one already seen settles
    /// it.
    pub fn usage(&self, ns: &Namespace, name: &str) -> Usage {
        if self.used_ksas.contains(&(ns.clone(), name.to_string())) {
            Usage::Used
        } else if self.streamed == Streamed::Partial {
            Usage::NotKnownYet
        } else {
            Usage::Unused
        }
    }

    /// Every object of the input, in input order.
    pub fn objects(&self) -> &'r [Object<'a>] {
        self.lacks_in(&[Streamed::Partial, Streamed::Final]);
        self.objects
    }

    /// The objects of a kind (any API group), in input order.
    pub fn of_kind(&self, kind: &str) -> &[&'r Object<'a>] {
        self.reads_kind(kind);
        self.by_kind.get(kind).map_or(&[], Vec::as_slice)
    }

    /// The first annotated `ServiceAccount` of an apply unit (with a string value), if any.
    pub fn first_annotated_in(&self, unit: Unit) -> Option<&'r Object<'a>> {
        self.annotated
            .values()
            .flatten()
            .copied()
            .filter(|o| o.unit == unit)
            .min_by_key(|o| o.position())
    }

    /// The objects with pod templates in a namespace, in input order.
    pub fn workloads_in(&self, ns: &Namespace) -> &[&'r Object<'a>] {
        self.lacks_in(&[Streamed::Partial, Streamed::Final]);
        self.workloads.get(ns).map_or(&[], Vec::as_slice)
    }

    /// For WI046 only: the objects with pod templates in a namespace, in input order, of which
    /// a streamed run's last phase holds only those WI046 reports (its `reports_on`).
    pub fn workloads_egress_policies_may_select(&self, ns: &Namespace) -> &[&'r Object<'a>] {
        self.lacks_in(&[Streamed::Partial]);
        self.workloads.get(ns).map_or(&[], Vec::as_slice)
    }

    /// The annotated `ServiceAccount`s of a namespace, in input order.
    pub fn annotated_in(&self, ns: &Namespace) -> &[&'r Object<'a>] {
        self.annotated.get(ns).map_or(&[], Vec::as_slice)
    }

    /// The `ServiceAccount` objects named `name` in `ns` (usually one).
    pub fn service_accounts(&self, ns: &Namespace, name: &str) -> &[&'r Object<'a>] {
        self.service_accounts
            .get(&(ns.clone(), name.to_string()))
            .map_or(&[], Vec::as_slice)
    }

    /// The `ServiceAccount` objects named `name` in any namespace or apply unit, in no
    /// particular order (pick by position for a deterministic answer).
    pub fn service_accounts_named<'s>(
        &'s self,
        name: &'s str,
    ) -> impl Iterator<Item = &'r Object<'a>> + 's {
        self.service_accounts
            .iter()
            .filter(move |((_, ksa), _)| ksa == name)
            .flat_map(|(_, all)| all.iter().copied())
    }

    /// The `Namespace` object named `name`, if the input has one.
    pub fn namespace(&self, name: &str) -> Option<&'r Object<'a>> {
        self.namespaces
            .get(name)
            .and_then(|all| all.first().copied())
    }

    /// The `Namespace` object named `name` in the cluster of `from`.
    pub fn namespace_for(&self, name: &str, from: &Object<'_>) -> Option<&'r Object<'a>> {
        self.namespaces
            .get(name)
            .and_then(|all| all.iter().copied().find(|n| same_cluster(n, from)))
    }

    /// Every way the KSA `ns/name` is linked to Workload Identity: its annotations first, then
    /// the members that name it, each in input order.
    pub fn wi_links(&self, ns: &Namespace, name: &str) -> &[WiLink<'r, 'a>] {
        self.links
            .get(&(ns.clone(), name.to_string()))
            .map_or(&[], Vec::as_slice)
    }

    fn find_wi_links(&self, ns: &Namespace, name: &str) -> Vec<WiLink<'r, 'a>> {
        let annotations = self
            .service_accounts(ns, name)
            .iter()
            .filter_map(|sa| Some(WiLink::Annotation(sa, sa.wi_annotation_key()?)));
        let members = self.wi_grants_for(ns, name).map(WiLink::Member);
        annotations.chain(members).collect()
    }

    /// The WI links of the KSA `ns/name` as seen from `from`: see `pick`.
    pub fn wi_link(&self, ns: &Namespace, name: &str, from: &Object<'_>) -> Option<Linked<'r, 'a>> {
        pick(self.wi_links(ns, name), ns, from)
    }

    /// Some WI link in the namespace, if Workload Identity is in use there, as seen from
    /// `from`: see `pick`.
    pub fn namespace_wi_link(&self, ns: &Namespace, from: &Object<'_>) -> Option<Linked<'r, 'a>> {
        pick(
            self.namespace_links.get(ns).map_or(&[], Vec::as_slice),
            ns,
            from,
        )
    }
}

/// Whether two objects can be in one cluster: always, unless the configuration maps their
/// files to two different `[[cluster]]`s.
pub fn same_cluster(a: &Object<'_>, b: &Object<'_>) -> bool {
    match (&a.cluster, &b.cluster) {
        (Some(x), Some(y)) => x.name == y.name,
        _ => true,
    }
}

/// A WI link found for an object, and whether it certainly concerns the same namespace.
#[derive(Debug, Clone, Copy)]
pub struct Linked<'r, 'a> {
    pub link: WiLink<'r, 'a>,
    /// False when both sides are in the unknown applied namespace but in different files:
    /// they may be applied into different namespaces, so rules downgrade to a note
    /// (catalogue guard 5: unknown namespace, never guess).
    pub certain: bool,
}

/// Prefers a link from the same file as `from`. In a named namespace any link is certain; in
/// the applied namespace only one from the same file (one stream is applied as one unit).
fn pick<'r, 'a>(
    links: &[WiLink<'r, 'a>],
    ns: &Namespace,
    from: &Object<'_>,
) -> Option<Linked<'r, 'a>> {
    // An annotation in another cluster does not link this cluster's KSA (a member does: the
    // pool is the project's). A member whose pool the source leaves unknown (a Terraform
    // variable) names no project: it links only what is applied with it (its apply unit, or
    // its `[[cluster]]`), not another application's namespace of the same name.
    let visible = |l: &&WiLink<'r, 'a>| match l {
        WiLink::Annotation(o, _) => same_cluster(o, from),
        WiLink::Member(grant) if grant.member.has_unknowns() => {
            match (grant.origin.cluster, from.cluster) {
                (Some(x), Some(y)) => x.name == y.name,
                _ => grant.origin.unit == from.unit,
            }
        }
        WiLink::Member(..) => true,
    };
    let same_file = links
        .iter()
        .filter(visible)
        .find(|l| l.file() == from.doc.file);
    match same_file {
        Some(link) => Some(Linked {
            link: *link,
            certain: true,
        }),
        None => links.iter().find(visible).map(|link| Linked {
            link: *link,
            certain: !ns.is_applied(),
        }),
    }
}
