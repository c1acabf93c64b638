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
    /// Namespaces with at least one WI-linked KSA.
    wi_namespaces: HashMap<Namespace, WiLink<'r, 'a>>,
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
        let linked: Vec<(Namespace, WiLink<'r, 'a>)> = index
            .service_accounts
            .keys()
            .chain(index.members.keys())
            .filter_map(|(ns, name)| Some((ns.clone(), index.wi_link(ns, name)?)))
            .collect();
        // Keep the first link in input order, so that messages do not depend on hashing.
        let position = |link: &WiLink<'r, 'a>| {
            let object = link.object();
            (
                object.doc.file,
                object.doc.start,
                link.node().span.start.index(),
            )
        };
        for (ns, link) in linked {
            let slot = index.wi_namespaces.entry(ns).or_insert(link);
            if position(&link) < position(slot) {
                *slot = link;
            }
        }
        index
    }

    /// The `ServiceAccount` objects named `name` in `ns` (usually one).
    pub fn service_accounts(&self, ns: &Namespace, name: &str) -> &[&'r Object<'a>] {
        self.service_accounts
            .get(&(ns.clone(), name.to_string()))
            .map_or(&[], Vec::as_slice)
    }

    /// How the KSA `ns/name` is linked to Workload Identity, if it is: its annotation first,
    /// else the first member that names it.
    pub fn wi_link(&self, ns: &Namespace, name: &str) -> Option<WiLink<'r, 'a>> {
        let annotated = self.service_accounts(ns, name).iter().find_map(|sa| {
            let (key, _) = sa.annotation(grammar::GSA_ANNOTATION)?;
            Some(WiLink::Annotation(sa, key))
        });
        annotated.or_else(|| {
            self.members
                .get(&(ns.clone(), name.to_string()))
                .and_then(|members| members.first())
                .map(|(object, node)| WiLink::Member(object, node))
        })
    }

    /// Some WI-linked KSA of the namespace, if Workload Identity is in use there.
    pub fn namespace_wi_link(&self, ns: &Namespace) -> Option<WiLink<'r, 'a>> {
        self.wi_namespaces.get(ns).copied()
    }
}
