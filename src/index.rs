//! The index of a whole run, built after parsing and before rules run, because Workload
//! Identity is cross-object: a Deployment names a KSA defined in another file, a Config
//! Connector binding names a KSA by `namespace/name`.

use std::collections::HashMap;

use crate::grammar::{self, WiMember};
use crate::kcc;
use crate::model::Object;
use crate::settings::Namespace;
use crate::yaml::{self, Node};

/// How a KSA is linked to Workload Identity (catalogue decision 7).
#[derive(Debug, Clone, Copy)]
pub enum WiLink<'r, 'a> {
    /// The KSA carries `iam.gke.io/gcp-service-account` (valid or not): the key node.
    Annotation(&'r Object<'a>, &'a Node<'a>),
    /// A WI member or principal in a Config Connector IAM resource names the KSA.
    Member(&'r Object<'a>, &'a Node<'a>),
}

impl<'r, 'a> WiLink<'r, 'a> {
    pub fn object(&self) -> &'r Object<'a> {
        match self {
            WiLink::Annotation(object, _) | WiLink::Member(object, _) => object,
        }
    }

    pub fn node(&self) -> &'a Node<'a> {
        match self {
            WiLink::Annotation(_, node) | WiLink::Member(_, node) => node,
        }
    }

    /// Where the link is in the input: file, document, node.
    pub fn position(&self) -> (usize, usize, usize) {
        let object = self.object();
        (
            object.doc.file,
            object.doc.start,
            self.node().span.start.index(),
        )
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
    members: HashMap<KsaKey, Vec<(&'r Object<'a>, &'a Node<'a>)>>,
    /// `Namespace` objects by name (the first one in input order).
    namespaces: HashMap<String, &'r Object<'a>>,
    /// Every WI link of each namespace, in input order.
    namespace_links: HashMap<Namespace, Vec<WiLink<'r, 'a>>>,
}

impl<'r, 'a> Index<'r, 'a> {
    pub fn build(objects: &'r [Object<'a>]) -> Self {
        let mut index = Index::default();
        for object in objects {
            if object.kind == "ServiceAccount" && object.api_group().is_empty() {
                if let Some(name) = object.name {
                    index
                        .service_accounts
                        .entry((object.namespace.clone(), name.to_string()))
                        .or_default()
                        .push(object);
                }
            }
            if object.is_core("Namespace") {
                if let Some(name) = object.name {
                    index.namespaces.entry(name.to_string()).or_insert(object);
                }
            }
            for binding in kcc::member_bindings(object) {
                let Some(member) = yaml::as_str(binding.member).and_then(WiMember::parse) else {
                    continue;
                };
                if let Some((ns, ksa)) = member.ksa() {
                    index
                        .members
                        .entry((Namespace::Named(ns.to_string()), ksa.to_string()))
                        .or_default()
                        .push((object, binding.member));
                }
            }
        }
        let mut namespace_links: HashMap<Namespace, Vec<WiLink<'r, 'a>>> = HashMap::new();
        for (ns, name) in index.service_accounts.keys().chain(index.members.keys()) {
            namespace_links
                .entry(ns.clone())
                .or_default()
                .extend(index.wi_links(ns, name));
        }
        // Input order, so that messages never depend on hashing.
        for links in namespace_links.values_mut() {
            links.sort_by_key(WiLink::position);
            links.dedup_by_key(|link| link.position());
        }
        index.namespace_links = namespace_links;
        index
    }

    /// The `ServiceAccount` objects named `name` in `ns` (usually one).
    pub fn service_accounts(&self, ns: &Namespace, name: &str) -> &[&'r Object<'a>] {
        self.service_accounts
            .get(&(ns.clone(), name.to_string()))
            .map_or(&[], Vec::as_slice)
    }

    /// The `Namespace` object named `name`, if the input has one.
    pub fn namespace(&self, name: &str) -> Option<&'r Object<'a>> {
        self.namespaces.get(name).copied()
    }

    /// Every way the KSA `ns/name` is linked to Workload Identity: its annotations first, then
    /// the members that name it, each in input order.
    pub fn wi_links(&self, ns: &Namespace, name: &str) -> Vec<WiLink<'r, 'a>> {
        let annotations = self.service_accounts(ns, name).iter().filter_map(|sa| {
            let (key, _) = sa.annotation(grammar::GSA_ANNOTATION)?;
            Some(WiLink::Annotation(sa, key))
        });
        let members = self
            .members
            .get(&(ns.clone(), name.to_string()))
            .into_iter()
            .flatten()
            .map(|(object, node)| WiLink::Member(object, node));
        annotations.chain(members).collect()
    }

    /// The WI links of the KSA `ns/name` as seen from `from`: see [`pick`].
    pub fn wi_link(&self, ns: &Namespace, name: &str, from: &Object<'_>) -> Option<Linked<'r, 'a>> {
        pick(&self.wi_links(ns, name), ns, from)
    }

    /// Some WI link in the namespace, if Workload Identity is in use there, as seen from
    /// `from`: see [`pick`].
    pub fn namespace_wi_link(&self, ns: &Namespace, from: &Object<'_>) -> Option<Linked<'r, 'a>> {
        pick(
            self.namespace_links.get(ns).map_or(&[], Vec::as_slice),
            ns,
            from,
        )
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
    let same_file = links.iter().find(|l| l.object().doc.file == from.doc.file);
    match same_file {
        Some(link) => Some(Linked {
            link: *link,
            certain: true,
        }),
        None => links.first().map(|link| Linked {
            link: *link,
            certain: *ns != Namespace::Applied,
        }),
    }
}
