//! The normative grammars of the rule catalogue (Part 2): GSA e-mails, project and account IDs,
//! Workload Identity members and principals, and placeholders. Implemented once, shared by
//! every rule, so that two rules never disagree on what a value is.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// The annotation that links a KSA to a GSA.
pub const GSA_ANNOTATION: &str = "iam.gke.io/gcp-service-account";
/// The only role that lets a KSA impersonate a GSA.
pub const WI_ROLE: &str = "roles/iam.workloadIdentityUser";

fn regex(pattern: &str) -> Regex {
    // The patterns are constants of this module, covered by its tests.
    #[allow(clippy::expect_used)]
    Regex::new(pattern).expect("valid built-in regex")
}

static ACCOUNT_ID: LazyLock<Regex> = LazyLock::new(|| regex(r"^[a-z](?:[-a-z0-9]{4,28}[a-z0-9])$"));
static PROJECT_ID: LazyLock<Regex> = LazyLock::new(|| regex(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$"));
static GSA_EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"^(?P<acct>[^@\s]+)@(?P<host>(?P<proj>[a-z0-9-]+)(?P<extra>(?:\.[a-z0-9-]+)*)\.iam\.gserviceaccount\.com)$",
    )
});
const POOL: &str = r"(?P<pool>(?P<pproj>[a-z0-9-]+)(?P<pextra>(?:\.[a-z0-9-]+)*)\.svc\.id\.goog)";
static LEGACY_MEMBER: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r"^serviceAccount:{POOL}\[(?P<ns>[^/\]]+)/(?P<ksa>[^\]]+)\]$"
    ))
});
const PRINCIPAL_PREFIX: &str =
    r"iam\.googleapis\.com/projects/(?P<num>[^/]+)/locations/global/workloadIdentityPools/";
static PRINCIPAL_KSA: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r"^principal://{PRINCIPAL_PREFIX}{POOL}/subject/ns/(?P<ns>[^/]+)/sa/(?P<ksa>[^/]+)$"
    ))
});
static PRINCIPAL_UID: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r"^principal://{PRINCIPAL_PREFIX}{POOL}/kubernetes\.serviceaccount\.uid/(?P<uid>[^/]+)$"
    ))
});
static PSET_NAMESPACE: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r"^principalSet://{PRINCIPAL_PREFIX}{POOL}/namespace/(?P<ns>[^/]+)$"
    ))
});
static PSET_CLUSTER: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r"^principalSet://{PRINCIPAL_PREFIX}{POOL}/kubernetes\.cluster/https://container\.googleapis\.com/v1/projects/(?P<cproj>[^/]+)/locations/(?P<loc>[^/]+)/clusters/(?P<cluster>[^/]+)$"
    ))
});
static DNS1123_LABEL: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$"));
static DNS1123_SUBDOMAIN: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$")
});
static COMPUTE_DEFAULT: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^[0-9]+-compute@developer\.gserviceaccount\.com$"));
static APPENGINE_DEFAULT: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^[a-z0-9:.-]+@appspot\.gserviceaccount\.com$"));
static SERVICE_AGENT: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"^service-[0-9]+@[a-z0-9-]+\.iam\.gserviceaccount\.com$|@(gcp-sa-[a-z0-9-]+|compute-system|container-engine-robot)\.iam\.gserviceaccount\.com$",
    )
});
static API_AGENT: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"^[0-9]+@cloudservices\.gserviceaccount\.com$|^[0-9]+@cloudbuild\.gserviceaccount\.com$")
});

pub fn is_account_id(s: &str) -> bool {
    ACCOUNT_ID.is_match(s)
}

pub fn is_project_id(s: &str) -> bool {
    PROJECT_ID.is_match(s)
}

pub fn is_project_number(s: &str) -> bool {
    !s.is_empty() && !s.starts_with('0') && s.bytes().all(|b| b.is_ascii_digit())
}

/// A Kubernetes namespace name (DNS-1123 label).
pub fn is_namespace_name(s: &str) -> bool {
    DNS1123_LABEL.is_match(s)
}

/// A Kubernetes `ServiceAccount` name (DNS-1123 subdomain).
pub fn is_service_account_name(s: &str) -> bool {
    s.len() <= 253 && DNS1123_SUBDOMAIN.is_match(s)
}

/// Why an account ID (the local part of a GSA e-mail) cannot exist, if it cannot.
pub fn account_id_problem(acct: &str) -> Option<String> {
    if is_account_id(acct) {
        return None;
    }
    let len = acct.chars().count();
    Some(if !(6..=30).contains(&len) {
        format!("{len} characters; it must have 6 to 30")
    } else if acct.contains('_') {
        "underscores are not allowed".to_string()
    } else if acct.bytes().any(|b| b.is_ascii_uppercase()) {
        "upper-case letters are not allowed".to_string()
    } else if !acct.starts_with(|c: char| c.is_ascii_lowercase()) {
        "it must start with a lower-case letter".to_string()
    } else if acct.ends_with('-') {
        "it must not end with a hyphen".to_string()
    } else {
        "only lower-case letters, digits and hyphens are allowed".to_string()
    })
}

/// Why a project ID cannot exist, if it cannot.
pub fn project_id_problem(proj: &str) -> Option<String> {
    if is_project_id(proj) {
        return None;
    }
    let len = proj.chars().count();
    Some(if !(6..=30).contains(&len) {
        format!("{len} characters; it must have 6 to 30")
    } else if !proj.starts_with(|c: char| c.is_ascii_lowercase()) {
        "it must start with a lower-case letter".to_string()
    } else if proj.ends_with('-') {
        "it must not end with a hyphen".to_string()
    } else {
        "only lower-case letters, digits and hyphens are allowed".to_string()
    })
}

/// Restricted strings a project ID may not contain (F1.3, non-exhaustive).
pub fn project_id_restricted_word(proj: &str) -> Option<&'static str> {
    ["google", "null", "undefined", "ssl"]
        .into_iter()
        .find(|word| proj.contains(word))
}

// ---------------------------------------------------------------------------------------------
// Placeholders

/// An unreplaced placeholder found in a value, with its byte range in the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    pub token: String,
    pub range: Range<usize>,
}

/// Finds the first placeholder (see [`find_placeholders`]).
pub fn find_placeholder(value: &str) -> Option<Placeholder> {
    find_placeholders(value).into_iter().next()
}

/// Every placeholder in a value, in order and without overlaps: `[…]`, `<…>`, `${…}`, `$VAR`,
/// `$(VAR)`, `{{…}}`, `%s`, `__VAR__`, the literals `REPLACE_ME`, `CHANGEME`, `TODO`, or an
/// upper-case token like `PROJECT_ID` where lower case is required.
pub fn find_placeholders(value: &str) -> Vec<Placeholder> {
    static DELIMITED: LazyLock<Regex> = LazyLock::new(|| {
        regex(r"\$\{[^}]*\}|\$\([^()]*\)|\$[A-Za-z_][A-Za-z0-9_]*|\{\{.*?\}\}|<[^<>]*>|%s")
    });
    // Apart, so that a WI member's `[${NS}/${KSA}]` still yields the placeholders inside.
    static BRACKETED: LazyLock<Regex> = LazyLock::new(|| regex(r"\[[^\[\]]*\]"));
    static TOKEN: LazyLock<Regex> = LazyLock::new(|| regex(r"[A-Za-z0-9_]+"));
    // A WI member's `[ns/ksa]` is syntax, not a placeholder; only bracketed upper-case text
    // like `[PROJECT_ID]` is (and the tokens inside `[NAMESPACE/KSA]`, found below).
    let bracketed = BRACKETED
        .find_iter(value)
        .filter(|m| is_upper_token(m.as_str().trim_matches(['[', ']'])));
    let delimited = DELIMITED.find_iter(value).chain(bracketed);
    let tokens = TOKEN.find_iter(value).filter(|m| {
        let token = m.as_str();
        let whole_label =
            is_label_boundary(value, m.start(), true) && is_label_boundary(value, m.end(), false);
        // `__CLUSTER_PROJECT_ID__`: the envsubst/kpt style, marked by its underscores.
        let dunder = token.len() > 4 && token.starts_with("__") && token.ends_with("__");
        matches!(token, "REPLACE_ME" | "CHANGEME" | "TODO")
            || (dunder && is_upper_token(token.trim_matches('_')))
            || (is_upper_token(token) && (token.contains('_') || whole_label))
    });
    let mut found: Vec<regex::Match<'_>> = delimited.chain(tokens).collect();
    // In reading order; a token inside a delimited placeholder (`PROJECT_ID` of
    // `${PROJECT_ID}`) is part of it, not another one.
    found.sort_by_key(|m| (m.start(), std::cmp::Reverse(m.end())));
    let mut placeholders: Vec<Placeholder> = Vec::new();
    for m in found {
        if placeholders.last().is_some_and(|p| m.start() < p.range.end) {
            continue;
        }
        placeholders.push(Placeholder {
            token: m.as_str().to_string(),
            range: m.range(),
        });
    }
    placeholders
}

fn is_upper_token(token: &str) -> bool {
    let mut bytes = token.bytes();
    token.len() >= 3
        && bytes.next().is_some_and(|b| b.is_ascii_uppercase())
        && bytes.all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// Whether `at` is the edge of a DNS label or e-mail part (start/end, `.`, `@`, `/`, `:`).
fn is_label_boundary(value: &str, at: usize, before: bool) -> bool {
    let byte = if before {
        at.checked_sub(1).map(|i| value.as_bytes()[i])
    } else {
        value.as_bytes().get(at).copied()
    };
    byte.is_none_or(|b| matches!(b, b'.' | b'@' | b'/' | b':' | b'[' | b']'))
}

// ---------------------------------------------------------------------------------------------
// GSA e-mails (the `iam.gke.io/gcp-service-account` value)

/// A Google-managed account that must not (or should not) be a workload identity (F1.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoogleManaged {
    ComputeDefault,
    AppEngineDefault,
    ServiceAgent,
    ApiAgent,
}

/// What an `iam.gke.io/gcp-service-account` value is. Each value gets exactly one
/// classification, so at most one of WI001/WI002/WI003/WI004/WI007 reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GsaValue {
    /// A well-formed user-managed GSA e-mail.
    Email(GsaEmail),
    /// Not an e-mail at all (WI001): the reason says why.
    NotEmail(&'static str),
    /// An unreplaced placeholder (WI004).
    Placeholder(Placeholder),
    /// An IAM prefix such as `serviceAccount:` in front of the e-mail (WI003).
    Prefixed { prefix: &'static str, rest: String },
    /// A Google-managed account (WI007).
    GoogleManaged(GoogleManaged),
    /// Has an `@` but not the `.iam.gserviceaccount.com` domain (WI002).
    BadDomain {
        problem: String,
        suggestion: Option<String>,
    },
}

/// The parts of a well-formed GSA e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GsaEmail {
    pub account: String,
    pub project: String,
    /// Extra DNS labels between project and `iam.gserviceaccount.com` (`.google.com` for a
    /// domain-scoped project, `.eu0` for a universe), with the leading dot; empty normally.
    pub extra: String,
}

impl GsaEmail {
    /// A domain-scoped project (`skia-corp.google.com`): the extra part has a dot-separated TLD.
    pub fn is_domain_scoped(&self) -> bool {
        self.extra.matches('.').count() >= 2
    }
}

const IAM_PREFIXES: &[&str] = &[
    "serviceAccount:",
    "user:",
    "principal://",
    "//iam.googleapis.com/",
    "projects/",
];

pub fn classify_gsa(value: &str) -> GsaValue {
    if value.trim().is_empty() {
        return GsaValue::NotEmail("the value is empty");
    }
    if let Some(placeholder) = find_placeholder(value) {
        return GsaValue::Placeholder(placeholder);
    }
    if let Some(prefix) = IAM_PREFIXES.iter().find(|p| value.starts_with(**p)) {
        let rest = value[prefix.len()..].to_string();
        // `projects/P/serviceAccounts/EMAIL`: the e-mail is the last segment.
        let rest = rest.rsplit('/').next().unwrap_or(&rest).to_string();
        return GsaValue::Prefixed { prefix, rest };
    }
    if value.chars().any(char::is_whitespace) {
        return GsaValue::NotEmail("it contains white space");
    }
    if value.contains(['"', '\'', '`']) {
        return GsaValue::NotEmail("it contains quote characters");
    }
    if !value.contains('@') {
        return GsaValue::NotEmail("it has no `@`: it is not an e-mail address");
    }
    if let Some(kind) = google_managed(value) {
        return GsaValue::GoogleManaged(kind);
    }
    if let Some(caps) = GSA_EMAIL.captures(value) {
        return GsaValue::Email(GsaEmail {
            account: caps["acct"].to_string(),
            project: caps["proj"].to_string(),
            extra: caps["extra"].to_string(),
        });
    }
    let (problem, suggestion) = diagnose_gsa_domain(value);
    GsaValue::BadDomain {
        problem,
        suggestion,
    }
}

pub fn google_managed(value: &str) -> Option<GoogleManaged> {
    if COMPUTE_DEFAULT.is_match(value) {
        Some(GoogleManaged::ComputeDefault)
    } else if APPENGINE_DEFAULT.is_match(value) {
        Some(GoogleManaged::AppEngineDefault)
    } else if SERVICE_AGENT.is_match(value) {
        Some(GoogleManaged::ServiceAgent)
    } else if API_AGENT.is_match(value) {
        Some(GoogleManaged::ApiAgent)
    } else {
        None
    }
}

/// What is wrong with the host part of an e-mail that does not match `GSA_EMAIL`, and the
/// e-mail it was most likely meant to be.
fn diagnose_gsa_domain(value: &str) -> (String, Option<String>) {
    const SUFFIX: &str = ".iam.gserviceaccount.com";
    let Some((account, host)) = value.split_once('@') else {
        return ("it has no `@`".to_string(), None);
    };
    let lower = host.to_ascii_lowercase();
    let fixed = |host: &str| Some(format!("{account}@{host}"));
    if host.contains('@') {
        return ("it contains more than one `@`".to_string(), None);
    }
    if lower != host {
        let candidate = format!("{account}@{lower}");
        return (
            format!("the domain \"{host}\" has upper-case letters; project IDs are lower case"),
            GSA_EMAIL.is_match(&candidate).then_some(candidate),
        );
    }
    let near_misses: &[(&str, &str)] = &[
        (
            ".iam.gserviceaccount",
            "the domain is missing its final \".com\"",
        ),
        (
            ".iam.gserviceaccounts.com",
            "\"gserviceaccounts\" has a stray \"s\"",
        ),
        (
            ".iam.serviceaccount.com",
            "\"serviceaccount\" is missing its \"g\"",
        ),
        (".iam.gserviceaccount.com.", "the domain has a trailing dot"),
        (".gserviceaccount.com", "the domain is missing \"iam.\""),
        (
            ".iam.googleserviceaccount.com",
            "the domain is \"gserviceaccount\", not \"googleserviceaccount\"",
        ),
        (
            ".svc.id.goog",
            "this is a workload identity pool, not a service account domain",
        ),
    ];
    for (wrong, problem) in near_misses {
        if let Some(project) = host.strip_suffix(wrong) {
            let suggestion = if *wrong == ".svc.id.goog" {
                None
            } else {
                fixed(&format!("{project}{SUFFIX}"))
            };
            return (problem.to_string(), suggestion);
        }
    }
    if !host.contains('.') {
        return (
            format!("the domain is the bare project \"{host}\"; it must end in \"{SUFFIX}\""),
            fixed(&format!("{host}{SUFFIX}")),
        );
    }
    if host.ends_with(".gserviceaccount.com") {
        return (
            format!("\"{host}\" is not a user-managed service account domain"),
            None,
        );
    }
    (
        format!("the domain \"{host}\" does not end in \"{SUFFIX}\""),
        None,
    )
}

// ---------------------------------------------------------------------------------------------
// Workload Identity members and principals (F3.1)

/// A well-formed Workload Identity member or principal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WiMember {
    /// `serviceAccount:POOL[NS/KSA]`
    Legacy {
        pool: String,
        ns: String,
        ksa: String,
    },
    /// `principal://…/subject/ns/NS/sa/KSA`
    PrincipalKsa {
        number: String,
        pool: String,
        ns: String,
        ksa: String,
    },
    /// `principal://…/kubernetes.serviceaccount.uid/UID`
    PrincipalUid { number: String, pool: String },
    /// `principalSet://…/namespace/NS`
    NamespaceSet {
        number: String,
        pool: String,
        ns: String,
    },
    /// `principalSet://…/kubernetes.cluster/…`
    ClusterSet { number: String, pool: String },
}

impl WiMember {
    /// Parses a member some parts of which the source leaves unknown (`unknown`: their byte
    /// ranges, spelled `${…}`): each unknown part stands for one name, and the parsed
    /// member's fields keep its spelling (a pool `${var.project_id}.svc.id.goog`).
    pub fn parse_partial(s: &str, unknown: &[std::ops::Range<usize>]) -> Option<WiMember> {
        if unknown.is_empty() {
            return WiMember::parse(s);
        }
        // A stand-in that every name pattern accepts, mapped back afterwards.
        let stand_in = |i: usize| format!("wilintunknown{i}x");
        let mut masked = String::with_capacity(s.len());
        let mut at = 0;
        for (i, range) in unknown.iter().enumerate() {
            masked.push_str(s.get(at..range.start)?);
            masked.push_str(&stand_in(i));
            at = range.end;
        }
        masked.push_str(s.get(at..)?);
        let restore = |field: &mut String| {
            for (i, range) in unknown.iter().enumerate() {
                *field = field.replace(&stand_in(i), &s[range.clone()]);
            }
        };
        let mut member = WiMember::parse(&masked)?;
        match &mut member {
            WiMember::Legacy { pool, ns, ksa } => {
                for field in [pool, ns, ksa] {
                    restore(field);
                }
            }
            WiMember::PrincipalKsa {
                number,
                pool,
                ns,
                ksa,
            } => {
                for field in [number, pool, ns, ksa] {
                    restore(field);
                }
            }
            WiMember::NamespaceSet { number, pool, ns } => {
                for field in [number, pool, ns] {
                    restore(field);
                }
            }
            WiMember::PrincipalUid { number, pool } | WiMember::ClusterSet { number, pool } => {
                for field in [number, pool] {
                    restore(field);
                }
            }
        }
        Some(member)
    }

    pub fn parse(s: &str) -> Option<WiMember> {
        if let Some(c) = LEGACY_MEMBER.captures(s) {
            return Some(WiMember::Legacy {
                pool: c["pool"].to_string(),
                ns: c["ns"].to_string(),
                ksa: c["ksa"].to_string(),
            });
        }
        if let Some(c) = PRINCIPAL_KSA.captures(s) {
            return Some(WiMember::PrincipalKsa {
                number: c["num"].to_string(),
                pool: c["pool"].to_string(),
                ns: c["ns"].to_string(),
                ksa: c["ksa"].to_string(),
            });
        }
        if let Some(c) = PRINCIPAL_UID.captures(s) {
            return Some(WiMember::PrincipalUid {
                number: c["num"].to_string(),
                pool: c["pool"].to_string(),
            });
        }
        if let Some(c) = PSET_NAMESPACE.captures(s) {
            return Some(WiMember::NamespaceSet {
                number: c["num"].to_string(),
                pool: c["pool"].to_string(),
                ns: c["ns"].to_string(),
            });
        }
        if let Some(c) = PSET_CLUSTER.captures(s) {
            return Some(WiMember::ClusterSet {
                number: c["num"].to_string(),
                pool: c["pool"].to_string(),
            });
        }
        None
    }

    /// The `(namespace, KSA)` this member names, if it names exactly one KSA.
    pub fn ksa(&self) -> Option<(&str, &str)> {
        match self {
            WiMember::Legacy { ns, ksa, .. } | WiMember::PrincipalKsa { ns, ksa, .. } => {
                Some((ns, ksa))
            }
            _ => None,
        }
    }

    pub fn pool(&self) -> &str {
        match self {
            WiMember::Legacy { pool, .. }
            | WiMember::PrincipalKsa { pool, .. }
            | WiMember::PrincipalUid { pool, .. }
            | WiMember::NamespaceSet { pool, .. }
            | WiMember::ClusterSet { pool, .. } => pool,
        }
    }

    /// The project number of a `principal://` or `principalSet://` identifier.
    pub fn project_number(&self) -> Option<&str> {
        match self {
            WiMember::Legacy { .. } => None,
            WiMember::PrincipalKsa { number, .. }
            | WiMember::PrincipalUid { number, .. }
            | WiMember::NamespaceSet { number, .. }
            | WiMember::ClusterSet { number, .. } => Some(number),
        }
    }
}

/// The values of gcloud's `--workload-metadata` (`gcloud container node-pools create --help`).
pub const WORKLOAD_METADATA_MODES: &[&str] = &["GCE_METADATA", "GKE_METADATA"];

/// The values of gcloud's deprecated `--workload-metadata-from-node` (gcloud beta).
pub const WORKLOAD_METADATA_FROM_NODE: &[&str] = &[
    "EXPOSED",
    "GCE_METADATA",
    "GKE_METADATA",
    "GKE_METADATA_SERVER",
    "SECURE",
    "UNSPECIFIED",
];

/// Whether an IAM member names its type (`serviceAccount:`, `user:`, `principal://` …), as IAM
/// requires of every member but `allUsers` and `allAuthenticatedUsers`.
pub fn member_has_type(member: &str) -> bool {
    matches!(member, "allUsers" | "allAuthenticatedUsers")
        || member.split_once(':').is_some_and(|(kind, _)| {
            matches!(
                kind,
                "user"
                    | "serviceAccount"
                    | "group"
                    | "domain"
                    | "principal"
                    | "principalSet"
                    | "deleted"
                    | "projectOwner"
                    | "projectEditor"
                    | "projectViewer"
            )
        })
}

/// Whether a string was *meant* to be a Workload Identity member, so that a malformed one is
/// reported rather than ignored.
pub fn is_wi_looking(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    lower.contains("svc.id.goog")
        || (lower.contains(".svc.") && lower.contains("goog"))
        || ((lower.starts_with("principal://") || lower.starts_with("principalset://"))
            && lower.contains("workloadidentitypools"))
}

/// Whether a `principal://…workloadIdentityPools/POOL/…` names a non-GKE pool (not ending in
/// `.svc.id.goog`); those are other federations and out of scope.
pub fn is_non_gke_pool_principal(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    if !(lower.starts_with("principal://") || lower.starts_with("principalset://")) {
        return false;
    }
    lower
        .split_once("workloadidentitypools/")
        .and_then(|(_, rest)| rest.split('/').next())
        .is_some_and(|pool| !pool.ends_with(".svc.id.goog"))
}

/// The likely cause of a malformed WI-looking member, for WI020's message.
pub fn diagnose_member(s: &str) -> String {
    let lower = s.to_ascii_lowercase();
    if lower.contains("svc.goog.id") {
        return "the pool domain is \"svc.id.goog\", not \"svc.goog.id\"".to_string();
    }
    if lower.contains("svc.id.google") {
        return "the pool domain is \"svc.id.goog\", not \"svc.id.google\"".to_string();
    }
    if lower.starts_with("principal") {
        if lower.contains("/subject/namespace/") {
            return "use \"/subject/ns/NAMESPACE/sa/KSA\", not \"/subject/namespace/\"".to_string();
        }
        if lower.contains("/serviceaccount/") {
            return "use \"/sa/KSA\", not \"/serviceaccount/\"".to_string();
        }
        if lower.contains("attribute.") {
            return "GKE pools take \"/subject/ns/NS/sa/KSA\"; chained \"attribute.*\" segments are not a GKE principal".to_string();
        }
        if !lower.contains("/locations/global/") {
            return "the location must be \"global\"".to_string();
        }
        return "it matches none of the principal identifier forms for GKE".to_string();
    }
    if s.starts_with("serviceaccount:") || s.starts_with("ServiceAccount:") {
        return "the prefix is case-sensitive: \"serviceAccount:\"".to_string();
    }
    if !s.starts_with("serviceAccount:") && lower.contains(".svc.id.goog[") {
        return "it is missing the \"serviceAccount:\" prefix".to_string();
    }
    if s.contains("[[") || s.contains("]]") {
        return "doubled brackets: placeholders like \"[PROJECT_ID]\" were copied literally"
            .to_string();
    }
    if let Some((_, inside)) = s.split_once('[') {
        let inside = inside.trim_end_matches(']');
        if !inside.contains('/') {
            if inside.contains(':') {
                return "separate namespace and KSA with \"/\", not \":\"".to_string();
            }
            if inside.contains('.') {
                return "separate namespace and KSA with \"/\", not \".\"".to_string();
            }
            return "the brackets must hold \"NAMESPACE/KSA\"".to_string();
        }
    } else if lower.ends_with(".svc.id.goog") || lower.contains(".svc.id.goog/") {
        return "it is missing \"[NAMESPACE/KSA]\" after the pool".to_string();
    }
    if !lower.contains(".svc.id.goog") {
        return "the pool must be \"PROJECT_ID.svc.id.goog\"".to_string();
    }
    "it matches none of the Workload Identity member forms".to_string()
}

/// Other keys GKE knows (F2.3); never typos.
pub const KNOWN_KEYS: &[&str] = &[
    GSA_ANNOTATION,
    "iam.gke.io/return-principal-id-as-email",
    "iam.gke.io/credential-quota-project",
];

/// Wrong keys seen in the wild.
const KNOWN_WRONG_KEYS: &[&str] = &[
    "iam.gke.io/gsa",
    "iam.gke.io/service-account",
    "iam.gke.io/gcp-serviceaccount",
    "iam.gke.com/gcp-service-account",
    "gke.io/gcp-service-account",
    "cloud.google.com/service-account",
];

/// Why `key` looks like a misspelling of the GSA annotation key, if it does.
pub fn typo_reason(key: &str) -> Option<&'static str> {
    let target = GSA_ANNOTATION;
    if KNOWN_KEYS.contains(&key) {
        return None;
    }
    if let Some(rest) = key.strip_prefix(target)
        && rest.starts_with(['=', ':', ' '])
    {
        return Some("it is the `kubectl annotate KEY=VALUE` form pasted as a key");
    }
    if key.eq_ignore_ascii_case(target) {
        return Some("annotation keys are case-sensitive");
    }
    if KNOWN_WRONG_KEYS.contains(&key) {
        return Some("it is a common wrong key");
    }
    if strsim::damerau_levenshtein(key, target) <= 3 {
        return Some("it is a near miss");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_id_boundaries() {
        assert!(!is_account_id("abcde")); // 5
        assert!(is_account_id("abcdef")); // 6
        assert!(is_account_id(&format!("a{}", "b".repeat(29)))); // 30
        assert!(!is_account_id(&format!("a{}", "b".repeat(30)))); // 31
        assert!(!is_account_id("my_service"));
        assert!(!is_account_id("MyService"));
        assert!(!is_account_id("my-service-"));
        assert!(!is_account_id("1service"));
        assert_eq!(
            account_id_problem("svc").as_deref(),
            Some("3 characters; it must have 6 to 30")
        );
        assert_eq!(
            account_id_problem("my_service").as_deref(),
            Some("underscores are not allowed")
        );
    }

    #[test]
    fn project_id_boundaries() {
        assert!(!is_project_id("abcde"));
        assert!(is_project_id("abcdef"));
        assert!(is_project_id(&format!("a{}", "b".repeat(29))));
        assert!(!is_project_id(&format!("a{}", "b".repeat(30))));
        assert!(!is_project_id("my-project-"));
        assert!(!is_project_id("My-project"));
        assert!(!is_project_id("my_project"));
        assert_eq!(project_id_restricted_word("my-google-proj"), Some("google"));
    }

    #[test]
    fn classifies_annotation_values() {
        assert!(matches!(
            classify_gsa("app@my-project.iam.gserviceaccount.com"),
            GsaValue::Email(GsaEmail { ref account, ref project, ref extra })
                if account == "app" && project == "my-project" && extra.is_empty()
        ));
        assert_eq!(
            classify_gsa("bindplane-sa"),
            GsaValue::NotEmail("it has no `@`: it is not an e-mail address")
        );
        assert!(matches!(classify_gsa(""), GsaValue::NotEmail(_)));
        assert!(matches!(classify_gsa("a b@c"), GsaValue::NotEmail(_)));
        assert!(matches!(
            classify_gsa("serviceAccount:app@p.iam.gserviceaccount.com"),
            GsaValue::Prefixed { prefix: "serviceAccount:", ref rest } if rest == "app@p.iam.gserviceaccount.com"
        ));
        assert!(matches!(
            classify_gsa("projects/p/serviceAccounts/app@p.iam.gserviceaccount.com"),
            GsaValue::Prefixed { prefix: "projects/", ref rest } if rest == "app@p.iam.gserviceaccount.com"
        ));
        assert!(matches!(
            classify_gsa("123-compute@developer.gserviceaccount.com"),
            GsaValue::GoogleManaged(GoogleManaged::ComputeDefault)
        ));
        assert!(matches!(
            classify_gsa("service-123@gcp-sa-pubsub.iam.gserviceaccount.com"),
            GsaValue::GoogleManaged(GoogleManaged::ServiceAgent)
        ));
    }

    #[test]
    fn bad_domains_get_a_derived_fix() {
        let fix = |v: &str| match classify_gsa(v) {
            GsaValue::BadDomain { suggestion, .. } => suggestion,
            other => panic!("{v}: {other:?}"),
        };
        assert_eq!(
            fix("my-gsa@my-project").as_deref(),
            Some("my-gsa@my-project.iam.gserviceaccount.com")
        );
        assert_eq!(
            fix("my-gsa@my-project.iam.gserviceaccount").as_deref(),
            Some("my-gsa@my-project.iam.gserviceaccount.com")
        );
        assert_eq!(
            fix("my-gsa@my-project.gserviceaccount.com").as_deref(),
            Some("my-gsa@my-project.iam.gserviceaccount.com")
        );
        assert_eq!(
            fix("my-gsa@my-project.iam.gserviceaccounts.com").as_deref(),
            Some("my-gsa@my-project.iam.gserviceaccount.com")
        );
        assert_eq!(
            fix("my-gsa@My-Project.iam.gserviceaccount.com").as_deref(),
            Some("my-gsa@my-project.iam.gserviceaccount.com")
        );
        assert_eq!(fix("my-gsa@example.com"), None);
    }

    #[test]
    fn domain_scoped_and_universe_emails_are_valid() {
        for value in [
            "skia-status-internal@skia-corp.google.com.iam.gserviceaccount.com",
            "app@my-project.eu0.iam.gserviceaccount.com",
        ] {
            assert!(matches!(classify_gsa(value), GsaValue::Email(_)), "{value}");
        }
        let GsaValue::Email(email) =
            classify_gsa("x-status@skia-corp.google.com.iam.gserviceaccount.com")
        else {
            panic!("email")
        };
        assert!(email.is_domain_scoped());
    }

    #[test]
    fn placeholders() {
        let token = |v: &str| find_placeholder(v).map(|p| p.token);
        assert_eq!(
            token("[GSA_NAME]@[PROJECT_ID].iam.gserviceaccount.com").as_deref(),
            Some("[GSA_NAME]")
        );
        assert_eq!(
            token("app@${PROJECT_ID}.iam.gserviceaccount.com").as_deref(),
            Some("${PROJECT_ID}")
        );
        assert_eq!(
            token("SPANNER_DB_USER_GSA_ID").as_deref(),
            Some("SPANNER_DB_USER_GSA_ID")
        );
        assert_eq!(
            token("app@PROJECT.iam.gserviceaccount.com").as_deref(),
            Some("PROJECT")
        );
        assert_eq!(
            token("<gsa>@p.iam.gserviceaccount.com").as_deref(),
            Some("<gsa>")
        );
        assert_eq!(
            token("{{ .Values.gsa }}").as_deref(),
            Some("{{ .Values.gsa }}")
        );
        assert_eq!(token("REPLACE_ME").as_deref(), Some("REPLACE_ME"));
        // Other template styles: kpt/envsubst `__VAR__`, shell `$VAR` and `$(VAR)`.
        assert_eq!(
            token("gsa@__CLUSTER_PROJECT_ID__.iam.gserviceaccount.com").as_deref(),
            Some("__CLUSTER_PROJECT_ID__")
        );
        assert_eq!(
            token("app@$PROJECT.iam.gserviceaccount.com").as_deref(),
            Some("$PROJECT")
        );
        assert_eq!(
            token("app@$(PROJECT_ID).iam.gserviceaccount.com").as_deref(),
            Some("$(PROJECT_ID)")
        );
        assert_eq!(token("app__x@my-project.iam.gserviceaccount.com"), None);
        assert_eq!(token("app@my-project.iam.gserviceaccount.com"), None);
        assert_eq!(token("serviceAccount:p.svc.id.goog[ns/ksa]"), None);
        assert_eq!(
            token("serviceAccount:[PROJECT_ID].svc.id.goog[[K8S_NAMESPACE]/[KSA_NAME]]").as_deref(),
            Some("[PROJECT_ID]")
        );
        // A mixed-case label is a (wrong) name, not a placeholder.
        assert_eq!(token("My-GSA@my-project.iam.gserviceaccount.com"), None);
    }

    #[test]
    fn every_placeholder_of_a_value() {
        let tokens = |v: &str| -> Vec<String> {
            find_placeholders(v).into_iter().map(|p| p.token).collect()
        };
        assert_eq!(
            tokens("GSA_NAME@PROJECT_ID.iam.gserviceaccount.com"),
            ["GSA_NAME", "PROJECT_ID"]
        );
        assert_eq!(
            tokens("serviceAccount:${PROJECT_ID}.svc.id.goog[${NS}/${KSA}]"),
            ["${PROJECT_ID}", "${NS}", "${KSA}"]
        );
        assert_eq!(
            tokens("[GSA_NAME]@[PROJECT_ID].iam.gserviceaccount.com"),
            ["[GSA_NAME]", "[PROJECT_ID]"]
        );
        assert!(tokens("app@my-project.iam.gserviceaccount.com").is_empty());
    }

    #[test]
    fn parses_every_member_form() {
        assert_eq!(
            WiMember::parse("serviceAccount:my-project.svc.id.goog[ns/ksa]")
                .and_then(|m| m.ksa().map(|(a, b)| (a.to_string(), b.to_string()))),
            Some(("ns".into(), "ksa".into()))
        );
        let p = "principal://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/my-project.svc.id.goog/subject/ns/a/sa/b";
        assert!(matches!(
            WiMember::parse(p),
            Some(WiMember::PrincipalKsa { .. })
        ));
        let u = "principal://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/my-project.svc.id.goog/kubernetes.serviceaccount.uid/abc";
        assert!(matches!(
            WiMember::parse(u),
            Some(WiMember::PrincipalUid { .. })
        ));
        let n = "principalSet://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/my-project.svc.id.goog/namespace/team";
        assert!(matches!(
            WiMember::parse(n),
            Some(WiMember::NamespaceSet { .. })
        ));
        let c = "principalSet://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/my-project.svc.id.goog/kubernetes.cluster/https://container.googleapis.com/v1/projects/my-project/locations/us-central1/clusters/c1";
        assert!(matches!(
            WiMember::parse(c),
            Some(WiMember::ClusterSet { .. })
        ));
        assert!(WiMember::parse("serviceAccount:my-project.eu0.svc.id.goog[ns/ksa]").is_some());
    }

    #[test]
    fn diagnoses_malformed_members() {
        let cause = |m: &str| {
            assert!(is_wi_looking(m), "{m} should look like a WI member");
            assert!(WiMember::parse(m).is_none(), "{m} should be malformed");
            diagnose_member(m)
        };
        assert!(cause("serviceAccount:my-project.svc.goog.id[ns/ksa]").contains("svc.goog.id"));
        assert!(cause("serviceAccount:my-project.svc.id.goog[ns:ksa]").contains("\":\""));
        assert!(cause("serviceAccount:my-project.svc.id.goog[ns.ksa]").contains("\".\""));
        assert!(cause("my-project.svc.id.goog[ns/ksa]").contains("prefix"));
        assert!(cause("serviceaccount:my-project.svc.id.goog[ns/ksa]").contains("case-sensitive"));
        assert!(cause("serviceAccount:my-project.svc.id.goog").contains("[NAMESPACE/KSA]"));
        assert!(cause("principal://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p.svc.id.goog/subject/namespace/a/sa/b").contains("/subject/ns/"));
        assert!(cause("principal://iam.googleapis.com/projects/1/locations/us/workloadIdentityPools/p.svc.id.goog/subject/ns/a/sa/b").contains("global"));
    }

    #[test]
    fn kubernetes_names() {
        assert!(is_namespace_name("team-a"));
        assert!(!is_namespace_name("Team"));
        assert!(!is_namespace_name("a_b"));
        assert!(is_service_account_name("a.b-c"));
        assert!(!is_service_account_name("a b"));
    }

    #[test]
    fn non_gke_pools() {
        assert!(is_non_gke_pool_principal(
            "principalSet://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/github/attribute.repository/o/r"
        ));
        assert!(!is_non_gke_pool_principal(
            "principal://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p.svc.id.goog/subject/ns/a/sa/b"
        ));
    }
}
