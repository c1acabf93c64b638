//! Configuration: `wilint.toml` or `.wilint.toml`, found by walking up from each linted file's
//! directory to the repository root (the closest wins), or given with `--config`; command-line
//! flags override it. Unknown keys are errors with a "did you mean".

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::diagnostic::Severity;
use crate::registry::{self, RULES, Rule};
use crate::settings::{ClusterConfig, ClusterMode, Settings};

/// File names searched for, in order of preference within one directory.
pub const FILE_NAMES: &[&str] = &["wilint.toml", ".wilint.toml"];

/// The severity a finding must reach to make wilint exit with 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

impl FailOn {
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Note => Some(Severity::Note),
            FailOn::Never => None,
        }
    }
}

/// A rule's level in `[rules]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    Off,
    Note,
    Warning,
    Error,
}

/// The file as written. Every key is documented in the README's configuration reference.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    /// Rules to run (codes, names, prefixes like `WI04`, or `ALL`); default: the default set.
    pub select: Option<Vec<String>>,
    /// Rules not to run.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Per-rule level: `off`, `note`, `warning`, `error`.
    #[serde(default)]
    pub rules: BTreeMap<String, RuleLevel>,
    /// Glob (relative to this file's directory) → rules not reported in matching files.
    #[serde(default)]
    pub per_file_ignores: BTreeMap<String, Vec<String>>,
    /// Globs of paths skipped during directory walks.
    #[serde(default)]
    pub exclude: Vec<String>,
    pub fail_on: Option<FailOn>,
    pub project_id: Option<String>,
    pub project_number: Option<String>,
    pub default_namespace: Option<String>,
    pub cluster_mode: Option<ClusterMode>,
    #[serde(default)]
    pub universe_segments: Vec<String>,
    #[serde(default)]
    pub allowed_shared_ksa: Vec<String>,
    #[serde(default)]
    pub require_service_account_name: bool,
    #[serde(default)]
    pub bundle_complete: bool,
    #[serde(default)]
    pub cluster: Vec<ClusterConfig>,
    /// Globs (relative to this file's directory): the files one glob matches are applied
    /// together, one apply unit (see [`crate::units`]).
    #[serde(default)]
    pub apply_units: Vec<String>,
    /// `report` (default) or `allow`: the files are templates (envsubst, kpt).
    pub placeholders: Option<crate::settings::Placeholders>,
    /// `allow` (default) or `report`: what `placeholders` is for Markdown guides and prose.
    pub guide_placeholders: Option<crate::settings::Placeholders>,
}

/// Every top-level key, for suggestions.
const KEYS: &[&str] = &[
    "select",
    "ignore",
    "rules",
    "per-file-ignores",
    "exclude",
    "fail-on",
    "project-id",
    "project-number",
    "default-namespace",
    "cluster-mode",
    "universe-segments",
    "allowed-shared-ksa",
    "require-service-account-name",
    "bundle-complete",
    "cluster",
    "apply-units",
    "placeholders",
    "guide-placeholders",
];

/// Settings given on the command line; they override every configuration file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    /// `--config-option KEY=VALUE` (TOML), merged over the file.
    pub options: Vec<String>,
    pub default_namespace: Option<String>,
}

/// A resolved configuration: which rules run at which level, where, with which settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it came from, if any.
    pub path: Option<PathBuf>,
    /// Globs are relative to this directory.
    pub root: PathBuf,
    enabled: Vec<bool>,
    levels: Vec<Option<RuleLevel>>,
    per_file_ignores: Vec<(GlobSet, Vec<&'static str>)>,
    exclude: GlobSet,
    /// `[[cluster]]` path globs, in file order.
    cluster_globs: Vec<GlobSet>,
    /// `apply-units` globs, in file order.
    apply_unit_globs: Vec<GlobSet>,
    pub fail_on: Option<FailOn>,
    pub settings: Settings,
}

impl Config {
    /// The configuration of a run without any file.
    pub fn defaults(root: PathBuf, overrides: &Overrides) -> Result<Config, String> {
        Config::from_text("", None, root, overrides)
    }

    /// Reads and resolves a configuration file.
    pub fn load(path: &Path, overrides: &Overrides) -> Result<Config, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let root = path
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        Config::from_text(&text, Some(path.to_path_buf()), root, overrides)
            .map_err(|e| format!("{}: {e}", path.display()))
    }

    /// A configuration from TOML text (tests and embedders).
    pub fn from_toml(text: &str, root: PathBuf) -> Result<Config, String> {
        Config::from_text(text, None, root, &Overrides::default())
    }

    /// Parses `text`, merges `--config-option`s over it, and resolves the result.
    fn from_text(
        text: &str,
        path: Option<PathBuf>,
        root: PathBuf,
        overrides: &Overrides,
    ) -> Result<Config, String> {
        // Parse the file alone first, so that its errors carry its line numbers.
        let mut file = parse(text)?;
        if !overrides.options.is_empty() {
            let mut table: toml::Table = text.parse().map_err(|e| format!("{e}"))?;
            for option in &overrides.options {
                let option_table: toml::Table = option
                    .parse()
                    .map_err(|e| format!("--config-option {option}: {e}"))?;
                table.extend(option_table);
            }
            let merged = toml::to_string(&table).map_err(|e| e.to_string())?;
            file = parse(&merged).map_err(|e| format!("--config-option: {e}"))?;
        }
        Config::resolve(file, path, root, overrides)
    }

    fn resolve(
        mut file: ConfigFile,
        path: Option<PathBuf>,
        root: PathBuf,
        overrides: &Overrides,
    ) -> Result<Config, String> {
        if let Some(select) = &overrides.select {
            file.select = Some(select.clone());
        }
        file.ignore.extend(overrides.ignore.iter().cloned());
        if overrides.default_namespace.is_some() {
            file.default_namespace
                .clone_from(&overrides.default_namespace);
        }

        let mut enabled: Vec<bool> = match &file.select {
            None => RULES.iter().map(|r| r.meta().enabled_by_default).collect(),
            Some(selectors) => {
                let mut enabled = vec![false; RULES.len()];
                for selector in selectors {
                    for i in matching(selector)? {
                        enabled[i] = true;
                    }
                }
                enabled
            }
        };
        for selector in &file.ignore {
            for i in matching(selector)? {
                enabled[i] = false;
            }
        }
        let mut levels = vec![None; RULES.len()];
        for (selector, level) in &file.rules {
            for i in matching(selector)? {
                levels[i] = Some(*level);
                enabled[i] = *level != RuleLevel::Off;
            }
        }
        let mut per_file_ignores = Vec::new();
        for (glob, selectors) in &file.per_file_ignores {
            let codes = selectors
                .iter()
                .map(|s| matching(s))
                .collect::<Result<Vec<_>, _>>()?
                .into_iter()
                .flatten()
                .map(|i| RULES[i].meta().code)
                .collect();
            per_file_ignores.push((globs(std::slice::from_ref(glob))?, codes));
        }
        let cluster_globs = file
            .cluster
            .iter()
            .map(|c| globs(&c.paths))
            .collect::<Result<Vec<_>, _>>()?;
        let apply_unit_globs = file
            .apply_units
            .iter()
            .map(|glob| globs(std::slice::from_ref(glob)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Config {
            cluster_globs,
            apply_unit_globs,
            path,
            root,
            enabled,
            levels,
            per_file_ignores,
            exclude: globs(&file.exclude)?,
            fail_on: file.fail_on,
            settings: Settings {
                default_namespace: file.default_namespace,
                universe_segments: file.universe_segments,
                project_id: file.project_id,
                project_number: file.project_number,
                cluster_mode: file.cluster_mode.unwrap_or_default(),
                allowed_shared_ksa: file.allowed_shared_ksa,
                require_service_account_name: file.require_service_account_name,
                bundle_complete: file.bundle_complete,
                clusters: file.cluster,
                placeholders: file.placeholders.unwrap_or_default(),
                guide_placeholders: file
                    .guide_placeholders
                    .unwrap_or(crate::settings::Placeholders::Allow),
            },
        })
    }

    /// Whether the rule runs under this configuration.
    pub fn is_enabled(&self, code: &str) -> bool {
        RULES
            .iter()
            .position(|r| r.meta().code == code)
            .is_some_and(|i| self.enabled[i])
    }

    /// Whether `code` runs on the file at `path` (per-file ignores included).
    pub fn is_enabled_for(&self, code: &str, path: Option<&Path>) -> bool {
        self.is_enabled(code)
            && (self.per_file_ignores.is_empty()
                || !self.ignores_in_file(code, path.map(|p| self.relative(p)).as_deref()))
    }

    /// The rules that run on the file at `path`, in code order: [`Self::is_enabled_for`] for
    /// every rule, with the path made relative once (a run asks this for every file).
    /// Without per-file ignores, every path gets the same list.
    pub fn rules_for(&self, path: Option<&Path>) -> Vec<&'static dyn Rule> {
        let relative = path
            .filter(|_| !self.per_file_ignores.is_empty())
            .map(|p| self.relative(p));
        RULES
            .iter()
            .zip(&self.enabled)
            .filter(|(rule, enabled)| {
                **enabled && !self.ignores_in_file(rule.meta().code, relative.as_deref())
            })
            .map(|(rule, _)| *rule)
            .collect()
    }

    /// Whether `per-file-ignores` may turn rules off for some files.
    pub fn has_per_file_ignores(&self) -> bool {
        !self.per_file_ignores.is_empty()
    }

    /// Whether `per-file-ignores` turns `code` off for a file (its path relative to the root).
    fn ignores_in_file(&self, code: &str, relative: Option<&Path>) -> bool {
        relative.is_some_and(|relative| {
            self.per_file_ignores
                .iter()
                .any(|(glob, codes)| codes.contains(&code) && glob.is_match(relative))
        })
    }

    /// The configured level of a rule, if `[rules]` sets one.
    pub fn severity_override(&self, code: &str) -> Option<Severity> {
        let i = RULES.iter().position(|r| r.meta().code == code)?;
        match self.levels[i]? {
            RuleLevel::Off => None,
            RuleLevel::Note => Some(Severity::Note),
            RuleLevel::Warning => Some(Severity::Warning),
            RuleLevel::Error => Some(Severity::Error),
        }
    }

    /// The `[[cluster]]` a file deploys to: the first whose `paths` match it.
    pub fn cluster_for(&self, path: &Path) -> Option<&ClusterConfig> {
        self.first_match(&self.cluster_globs, path)
            .and_then(|i| self.settings.clusters.get(i))
    }

    /// The position of the first `apply-units` glob that matches a file, if any.
    pub fn apply_unit_for(&self, path: &Path) -> Option<usize> {
        self.first_match(&self.apply_unit_globs, path)
    }

    /// The position of the first of `globs` that matches a file (relative to this
    /// configuration); without globs, no path is made relative.
    fn first_match(&self, globs: &[GlobSet], path: &Path) -> Option<usize> {
        if globs.is_empty() {
            return None;
        }
        let relative = self.relative(path);
        globs.iter().position(|g| g.is_match(&relative))
    }

    /// Whether a path is excluded by this configuration's `exclude`.
    pub fn excludes(&self, path: &Path) -> bool {
        !self.exclude.is_empty() && {
            let relative = self.relative(path);
            self.exclude.is_match(&relative)
                || relative
                    .ancestors()
                    .any(|a| !a.as_os_str().is_empty() && self.exclude.is_match(a))
        }
    }

    fn relative(&self, path: &Path) -> PathBuf {
        let absolute = absolute(path);
        let root = absolute_root(&self.root);
        absolute
            .strip_prefix(&root)
            .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
    }
}

fn absolute(path: &Path) -> PathBuf {
    crate::paths::absolute(path)
}

fn absolute_root(root: &Path) -> PathBuf {
    absolute(if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    })
}

/// Parses a configuration, turning serde's "unknown field" into a "did you mean".
pub fn parse(text: &str) -> Result<ConfigFile, String> {
    toml::from_str::<ConfigFile>(text).map_err(|error| {
        let message = error.message().to_string();
        let location = error
            .span()
            .map(|span| {
                let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
                format!("line {line}: ")
            })
            .unwrap_or_default();
        let suggestion = message
            .strip_prefix("unknown field `")
            .and_then(|rest| rest.split('`').next())
            .and_then(|unknown| {
                KEYS.iter()
                    .chain(["name", "project", "paths"].iter())
                    .map(|k| (strsim::jaro_winkler(unknown, k), *k))
                    .filter(|(score, _)| *score > 0.8)
                    .max_by(|a, b| a.0.total_cmp(&b.0))
                    .map(|(_, k)| format!("; did you mean `{k}`?"))
            })
            .unwrap_or_default();
        let first_line = message.lines().next().unwrap_or_default();
        format!("{location}{first_line}{suggestion}")
    })
}

/// The indices in `RULES` that a selector names: a code, a name, a code prefix, or `ALL`.
fn matching(selector: &str) -> Result<Vec<usize>, String> {
    if selector.eq_ignore_ascii_case("ALL") {
        return Ok((0..RULES.len()).collect());
    }
    let upper = selector.to_ascii_uppercase();
    let found: Vec<usize> = RULES
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            let meta = r.meta();
            meta.name == selector || (upper.starts_with("WI") && meta.code.starts_with(&upper))
        })
        .map(|(i, _)| i)
        .collect();
    if found.is_empty() {
        return Err(match registry::suggest(selector) {
            Some(s) => format!("unknown rule `{selector}`; did you mean `{s}`?"),
            None => format!("unknown rule `{selector}`; `wilint rules` lists them all"),
        });
    }
    Ok(found)
}

fn globs(patterns: &[String]) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = Glob::new(pattern).map_err(|e| format!("invalid glob `{pattern}`: {e}"))?;
        builder.add(glob);
        // `dir` also matches everything below it.
        if !pattern.contains("**") {
            let below = format!("{}/**", pattern.trim_end_matches('/'));
            if let Ok(glob) = Glob::new(&below) {
                builder.add(glob);
            }
        }
    }
    builder.build().map_err(|e| e.to_string())
}

/// Finds and caches the configuration of each file: `--config` if given, none with
/// `--isolated`, else the closest `wilint.toml`/`.wilint.toml` walking up from the file's
/// directory to the repository root (a directory with `.git`).
#[derive(Debug)]
pub struct Resolver {
    fixed: Option<Arc<Config>>,
    overrides: Overrides,
    by_dir: Mutex<HashMap<PathBuf, Arc<Config>>>,
}

impl Resolver {
    /// `config`: `--config FILE`; `isolated`: `--isolated`.
    pub fn new(
        config: Option<&Path>,
        isolated: bool,
        overrides: Overrides,
    ) -> Result<Self, String> {
        let fixed = if let Some(path) = config {
            Some(Arc::new(Config::load(path, &overrides)?))
        } else if isolated {
            let cwd = std::env::current_dir().map_err(|e| e.to_string())?;
            Some(Arc::new(Config::defaults(cwd, &overrides)?))
        } else {
            None
        };
        Ok(Resolver {
            fixed,
            overrides,
            by_dir: Mutex::new(HashMap::new()),
        })
    }

    /// The configuration for a file (or, with `None`, for standard input: the working
    /// directory's).
    pub fn for_path(&self, path: Option<&Path>) -> Result<Arc<Config>, String> {
        if let Some(fixed) = &self.fixed {
            return Ok(Arc::clone(fixed));
        }
        let dir = match path {
            Some(path) => absolute(path)
                .parent()
                .map_or_else(|| PathBuf::from("/"), Path::to_path_buf),
            None => absolute(Path::new(".")),
        };
        self.for_dir(&dir)
    }

    fn for_dir(&self, dir: &Path) -> Result<Arc<Config>, String> {
        if let Some(found) = self.by_dir.lock().ok().and_then(|m| m.get(dir).cloned()) {
            return Ok(found);
        }
        let found = if let Some(file) = FILE_NAMES.iter().map(|n| dir.join(n)).find(|p| p.is_file())
        {
            Arc::new(Config::load(&file, &self.overrides)?)
        } else if dir.join(".git").exists() || dir.parent().is_none() {
            Arc::new(Config::defaults(dir.to_path_buf(), &self.overrides)?)
        } else {
            let parent = dir.parent().unwrap_or(dir);
            self.for_dir(parent)?
        };
        if let Ok(mut cache) = self.by_dir.lock() {
            cache.insert(dir.to_path_buf(), Arc::clone(&found));
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_get_a_suggestion_and_a_line() {
        let err = parse("ignore = []\nselec = [\"WI040\"]\n").expect_err("unknown key");
        assert!(err.contains("line 2"), "{err}");
        assert!(err.contains("did you mean `select`?"), "{err}");
    }

    #[test]
    fn selection_by_code_name_and_prefix() {
        let file = parse(
            "select = [\"WI04\", \"missing-service-account-name\"]\nignore = [\"WI041\"]\n[rules]\nWI002 = \"warning\"\n",
        )
        .expect("parses");
        let config = Config::resolve(file, None, PathBuf::from("."), &Overrides::default())
            .expect("resolves");
        assert!(config.is_enabled("WI040"));
        assert!(config.is_enabled("WI044"));
        assert!(!config.is_enabled("WI041"));
        assert!(config.is_enabled("WI035"));
        assert!(
            config.is_enabled("WI002"),
            "a level in [rules] enables the rule"
        );
        assert!(!config.is_enabled("WI001"));
        assert_eq!(config.severity_override("WI002"), Some(Severity::Warning));
    }

    #[test]
    fn unknown_rules_are_errors_with_suggestions() {
        let file = parse("select = [\"hostnetwork-pod-with-w\"]\n").expect("parses");
        let err = Config::resolve(file, None, PathBuf::from("."), &Overrides::default())
            .expect_err("unknown rule");
        assert!(
            err.contains("did you mean `hostnetwork-pod-with-wi`?"),
            "{err}"
        );
    }

    #[test]
    fn config_options_override_the_file() {
        let overrides = Overrides {
            options: vec!["default-namespace = \"b\"".to_string()],
            ..Overrides::default()
        };
        let config = Config::from_text(
            "fail-on = \"error\"\ndefault-namespace = \"a\"\n",
            None,
            PathBuf::from("."),
            &overrides,
        )
        .expect("resolves");
        assert_eq!(config.settings.default_namespace.as_deref(), Some("b"));
        assert_eq!(config.fail_on, Some(FailOn::Error));
    }
}
