//! One file per rule, listed here in code order. Each file declares its `META` and implements
//! [`Rule`](crate::registry::Rule); its prose is `rules/CODE.md`.

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
pub mod wi035_missing_service_account_name;
pub mod wi040_hostnetwork_pod_with_wi;
pub mod wi041_deprecated_serviceaccount_field;
pub mod wi044_nodeselector_value_not_string;
pub mod wi061_workload_pool_invalid;
pub mod wi064_kcc_iamserviceaccount_id_invalid;
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
    &wi035_missing_service_account_name::MissingServiceAccountName,
    &wi040_hostnetwork_pod_with_wi::HostnetworkPodWithWi,
    &wi041_deprecated_serviceaccount_field::DeprecatedServiceaccountField,
    &wi044_nodeselector_value_not_string::NodeselectorValueNotString,
    &wi061_workload_pool_invalid::WorkloadPoolInvalid,
    &wi064_kcc_iamserviceaccount_id_invalid::KccIamserviceaccountIdInvalid,
    &wi090_suppression_without_reason::SuppressionWithoutReason,
    &wi091_unknown_rule_in_suppression::UnknownRuleInSuppression,
    &wi092_unused_suppression::UnusedSuppression,
];
