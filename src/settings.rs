//! Run-wide settings that change what rules conclude. The configuration file (issue 4) fills
//! these; today they come from defaults and command-line flags.

/// The namespace of an object as wilint resolves it (catalogue decision 6).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Namespace {
    /// Named in `metadata.namespace`, or given by `default-namespace`.
    Named(String),
    /// "The namespace the input is applied into" (`helm template -n`, `kubectl apply -n`),
    /// unknown to wilint. The namespace-less objects of one apply unit share it (see
    /// [`crate::units`]); it is never assumed to be the literal `default`.
    Applied(Unit),
}

/// An apply unit: files applied together (see [`crate::units`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Unit(pub u32);

impl Namespace {
    /// Qualifies a name for messages: `ns/name`, or just `name` in the applied namespace.
    pub fn qualify(&self, name: &str) -> String {
        match self {
            Namespace::Named(ns) => format!("{ns}/{name}"),
            Namespace::Applied(_) => name.to_string(),
        }
    }

    pub fn name(&self) -> Option<&str> {
        match self {
            Namespace::Named(ns) => Some(ns),
            Namespace::Applied(_) => None,
        }
    }

    pub fn is_applied(&self) -> bool {
        matches!(self, Namespace::Applied(_))
    }
}

#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Names the namespace that namespace-less objects are applied into.
    pub default_namespace: Option<String>,
    /// Extra DNS labels of non-default universes, e.g. `eu0` (catalogue F1.5).
    pub universe_segments: Vec<String>,
    pub project_id: Option<String>,
    pub project_number: Option<String>,
    pub cluster_mode: ClusterMode,
    /// `namespace/ksa` identities that are shared on purpose (WI026 stays silent).
    pub allowed_shared_ksa: Vec<String>,
    /// WI035 reports every pod template without `serviceAccountName`, whatever the namespace.
    pub require_service_account_name: bool,
    /// The input holds every `ServiceAccount` and IAM binding of the setup (catalogue
    /// `bundle_complete`): absence rules (WI031, WI036) may then conclude from what is missing.
    pub bundle_complete: bool,
    pub clusters: Vec<ClusterConfig>,
    /// Whether unreplaced placeholders are findings (WI004) or expected (a directory of
    /// envsubst or kpt templates).
    pub placeholders: Placeholders,
    /// What `placeholders` is in Markdown guides and prose, which write placeholders on
    /// purpose (`[PROJECT_ID]`, `<namespace>`): `allow` unless configured.
    pub guide_placeholders: Placeholders,
}

/// `placeholders = "report" | "allow"` (see [`Settings::placeholders`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Placeholders {
    /// Every unreplaced placeholder is a WI004 error (the default).
    #[default]
    Report,
    /// The files are templates: placeholders are not findings, and every rule skips the
    /// values that hold one.
    Allow,
}

/// Whether clusters are GKE Standard or Autopilot, if the configuration says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClusterMode {
    Standard,
    Autopilot,
    #[default]
    Unknown,
}

impl ClusterMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ClusterMode::Standard => "standard",
            ClusterMode::Autopilot => "autopilot",
            ClusterMode::Unknown => "unknown",
        }
    }
}

/// A cluster of a multi-cluster repository: which paths deploy to it, in which project.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ClusterConfig {
    pub name: String,
    pub project: String,
    /// Globs, relative to the configuration file's directory.
    #[serde(default)]
    pub paths: Vec<String>,
}

impl Settings {
    /// Resolves the `metadata.namespace` of an object of apply unit `unit` per catalogue
    /// decision 6.
    pub fn resolve_namespace(&self, explicit: Option<&str>, unit: Unit) -> Namespace {
        match explicit.filter(|ns| !ns.is_empty()) {
            Some(ns) => Namespace::Named(ns.to_string()),
            None => match &self.default_namespace {
                Some(ns) => Namespace::Named(ns.clone()),
                None => Namespace::Applied(unit),
            },
        }
    }
}
