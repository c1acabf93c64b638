//! One file per rule, listed here in code order. Each file declares its `META` and implements
//! [`Rule`]; its prose is `rules/CODE.md`.

use crate::registry::Rule;

pub mod wi000_invalid_yaml;
pub mod wi001_gsa_annotation_not_email;
pub mod wi002_gsa_annotation_bad_domain;
pub mod wi003_gsa_annotation_has_prefix;
pub mod wi004_wi_placeholder_not_substituted;
pub mod wi005_gsa_account_id_invalid;
pub mod wi006_gsa_project_id_invalid;
pub mod wi007_gsa_is_default_or_google_managed;
pub mod wi008_gsa_annotation_key_typo;
pub mod wi009_gsa_annotation_wrong_object;
pub mod wi010_return_principal_annotation_value;
pub mod wi011_credential_quota_project_invalid;
pub mod wi012_unknown_iam_gke_io_key;
pub mod wi020_wi_member_malformed;
pub mod wi021_principal_uses_project_id;
pub mod wi022_wi_member_invalid_k8s_names;
pub mod wi023_wrong_role_for_wi_impersonation;
pub mod wi024_wi_user_granted_above_sa;
pub mod wi025_wi_user_to_non_wi_member;
pub mod wi026_wi_shared_identity_default;
pub mod wi027_wi_broad_principalset;
pub mod wi028_wi_pool_project_mismatch;
pub mod wi029_identity_shared_across_clusters;
pub mod wi030_binding_without_annotation;
pub mod wi031_annotation_without_binding;
pub mod wi032_binding_ksa_near_miss;
pub mod wi033_workload_uses_unlinked_ksa;
pub mod wi034_annotation_overrides_direct_grants;
pub mod wi035_missing_service_account_name;
pub mod wi036_workload_ksa_missing;
pub mod wi040_hostnetwork_pod_with_wi;
pub mod wi041_deprecated_serviceaccount_field;
pub mod wi042_metadata_nodeselector_on_autopilot;
pub mod wi043_wi_pod_on_non_wi_nodes;
pub mod wi044_nodeselector_value_not_string;
pub mod wi045_key_file_overrides_wi;
pub mod wi046_egress_policy_blocks_metadata;
pub mod wi047_wi_startup_race;
pub mod wi050_istio_no_hold_application;
pub mod wi051_istio_cni_blackholes_init_container;
pub mod wi052_istio_exclude_range_not_cidr;
pub mod wi053_istio_registry_only_no_metadata_entry;
pub mod wi054_istio_ambient_waypoint_wi;
pub mod wi060_cluster_wi_disabled;
pub mod wi061_workload_pool_invalid;
pub mod wi062_nodepool_not_gke_metadata;
pub mod wi063_gke_metadata_without_cluster_wi;
pub mod wi064_kcc_iamserviceaccount_id_invalid;
pub mod wi065_node_sa_default;
pub mod wi070_flag_typographic_dash;
pub mod wi071_member_without_type;
pub mod wi072_workload_metadata_value_invalid;
pub mod wi090_suppression_without_reason;
pub mod wi091_unknown_rule_in_suppression;
pub mod wi092_unused_suppression;

/// Every rule, sorted by code.
pub static ALL: &[&dyn Rule] = &[
    &wi000_invalid_yaml::InvalidYaml,
    &wi001_gsa_annotation_not_email::GsaAnnotationNotEmail,
    &wi002_gsa_annotation_bad_domain::GsaAnnotationBadDomain,
    &wi003_gsa_annotation_has_prefix::GsaAnnotationHasPrefix,
    &wi004_wi_placeholder_not_substituted::WiPlaceholderNotSubstituted,
    &wi005_gsa_account_id_invalid::GsaAccountIdInvalid,
    &wi006_gsa_project_id_invalid::GsaProjectIdInvalid,
    &wi007_gsa_is_default_or_google_managed::GsaIsDefaultOrGoogleManaged,
    &wi008_gsa_annotation_key_typo::GsaAnnotationKeyTypo,
    &wi009_gsa_annotation_wrong_object::GsaAnnotationWrongObject,
    &wi010_return_principal_annotation_value::ReturnPrincipalAnnotationValue,
    &wi011_credential_quota_project_invalid::CredentialQuotaProjectInvalid,
    &wi012_unknown_iam_gke_io_key::UnknownIamGkeIoKey,
    &wi020_wi_member_malformed::WiMemberMalformed,
    &wi021_principal_uses_project_id::PrincipalUsesProjectId,
    &wi022_wi_member_invalid_k8s_names::WiMemberInvalidK8sNames,
    &wi023_wrong_role_for_wi_impersonation::WrongRoleForWiImpersonation,
    &wi024_wi_user_granted_above_sa::WiUserGrantedAboveSa,
    &wi025_wi_user_to_non_wi_member::WiUserToNonWiMember,
    &wi026_wi_shared_identity_default::WiSharedIdentityDefault,
    &wi027_wi_broad_principalset::WiBroadPrincipalset,
    &wi028_wi_pool_project_mismatch::WiPoolProjectMismatch,
    &wi029_identity_shared_across_clusters::IdentitySharedAcrossClusters,
    &wi030_binding_without_annotation::BindingWithoutAnnotation,
    &wi031_annotation_without_binding::AnnotationWithoutBinding,
    &wi032_binding_ksa_near_miss::BindingKsaNearMiss,
    &wi033_workload_uses_unlinked_ksa::WorkloadUsesUnlinkedKsa,
    &wi034_annotation_overrides_direct_grants::AnnotationOverridesDirectGrants,
    &wi035_missing_service_account_name::MissingServiceAccountName,
    &wi036_workload_ksa_missing::WorkloadKsaMissing,
    &wi040_hostnetwork_pod_with_wi::HostnetworkPodWithWi,
    &wi041_deprecated_serviceaccount_field::DeprecatedServiceaccountField,
    &wi042_metadata_nodeselector_on_autopilot::MetadataNodeselectorOnAutopilot,
    &wi043_wi_pod_on_non_wi_nodes::WiPodOnNonWiNodes,
    &wi044_nodeselector_value_not_string::NodeselectorValueNotString,
    &wi045_key_file_overrides_wi::KeyFileOverridesWi,
    &wi046_egress_policy_blocks_metadata::EgressPolicyBlocksMetadata,
    &wi047_wi_startup_race::WiStartupRace,
    &wi050_istio_no_hold_application::IstioNoHoldApplication,
    &wi051_istio_cni_blackholes_init_container::IstioCniBlackholesInitContainer,
    &wi052_istio_exclude_range_not_cidr::IstioExcludeRangeNotCidr,
    &wi053_istio_registry_only_no_metadata_entry::IstioRegistryOnlyNoMetadataEntry,
    &wi054_istio_ambient_waypoint_wi::IstioAmbientWaypointWi,
    &wi060_cluster_wi_disabled::ClusterWiDisabled,
    &wi061_workload_pool_invalid::WorkloadPoolInvalid,
    &wi062_nodepool_not_gke_metadata::NodepoolNotGkeMetadata,
    &wi063_gke_metadata_without_cluster_wi::GkeMetadataWithoutClusterWi,
    &wi064_kcc_iamserviceaccount_id_invalid::KccIamserviceaccountIdInvalid,
    &wi065_node_sa_default::NodeSaDefault,
    &wi070_flag_typographic_dash::FlagTypographicDash,
    &wi071_member_without_type::MemberWithoutType,
    &wi072_workload_metadata_value_invalid::WorkloadMetadataValueInvalid,
    &wi090_suppression_without_reason::SuppressionWithoutReason,
    &wi091_unknown_rule_in_suppression::UnknownRuleInSuppression,
    &wi092_unused_suppression::UnusedSuppression,
];
