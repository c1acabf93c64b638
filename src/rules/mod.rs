//! One file per rule, listed here in code order. Each file declares its `META` and implements
//! [`Rule`](crate::registry::Rule); its prose is `rules/CODE.md`.

use crate::registry::Rule;

pub mod wi000_invalid_yaml;
pub mod wi002_gsa_annotation_bad_domain;
pub mod wi035_missing_service_account_name;
pub mod wi040_hostnetwork_pod_with_wi;

/// Every rule, sorted by code.
pub static ALL: &[&dyn Rule] = &[
    &wi000_invalid_yaml::InvalidYaml,
    &wi002_gsa_annotation_bad_domain::GsaAnnotationBadDomain,
    &wi035_missing_service_account_name::MissingServiceAccountName,
    &wi040_hostnetwork_pod_with_wi::HostnetworkPodWithWi,
];
