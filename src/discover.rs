//! Finding the files to lint: explicit files whatever their extension, directories walked
//! recursively (`.gitignore` respected, hidden entries skipped) for `*.yaml`, `*.yml`, `*.json`.
//! Unrendered Helm chart templates are skipped with a note saying how to lint them.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use globset::GlobSet;
use ignore::WalkBuilder;

/// Something the user should know that is not a finding (printed to stderr as a note).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub path: String,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct Discovered {
    /// Files to lint, sorted and deduplicated.
    pub files: Vec<PathBuf>,
    pub notices: Vec<Notice>,
    /// Paths that could not be read at all (exit code 2).
    pub errors: Vec<Notice>,
    /// Helm charts met during walks, whose `templates/` were skipped (sorted).
    pub charts: Vec<PathBuf>,
    /// Directories with a kustomization met during walks (sorted).
    pub kustomizations: Vec<PathBuf>,
}

/// The file names kustomize reads in a directory.
const KUSTOMIZATION_FILES: &[&str] = &["kustomization.yaml", "kustomization.yml", "Kustomization"];

const EXTENSIONS: &[&str] = &["yaml", "yml", "json"];

pub fn discover(paths: &[PathBuf], exclude: &GlobSet) -> Discovered {
    let mut found = Discovered::default();
    for path in paths {
        match std::fs::metadata(path) {
            Err(error) => found.errors.push(Notice {
                path: path.display().to_string(),
                message: describe_io_error(&error),
            }),
            Ok(meta) if meta.is_dir() => walk(path, exclude, &mut found),
            // A file named explicitly is linted whatever its name.
            Ok(_) => found.files.push(path.clone()),
        }
    }
    found.files.sort();
    found.files.dedup();
    found.charts.sort();
    found.charts.dedup();
    found.kustomizations.sort();
    found.kustomizations.dedup();
    found.notices.sort_by(|a, b| a.path.cmp(&b.path));
    found.notices.dedup();
    found
}

fn walk(root: &Path, exclude: &GlobSet, found: &mut Discovered) {
    let skipped_charts: Arc<Mutex<Vec<PathBuf>>> = Arc::default();
    let skipped_for_filter = Arc::clone(&skipped_charts);
    let exclude_for_filter = exclude.clone();
    let walker = WalkBuilder::new(root)
        .follow_links(true)
        .hidden(true)
        .require_git(false)
        .sort_by_file_name(std::cmp::Ord::cmp)
        .filter_entry(move |entry| {
            if is_excluded(entry.path(), &exclude_for_filter) {
                return false;
            }
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            if is_dir && entry.file_name() == "templates" {
                if let Some(chart) = entry.path().parent() {
                    if chart.join("Chart.yaml").is_file() {
                        if let Ok(mut charts) = skipped_for_filter.lock() {
                            charts.push(chart.to_path_buf());
                        }
                        return false;
                    }
                }
            }
            true
        })
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let is_file = entry.file_type().is_some_and(|t| t.is_file());
                let matches_extension = entry
                    .path()
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
                let is_kustomization = entry
                    .file_name()
                    .to_str()
                    .is_some_and(|name| KUSTOMIZATION_FILES.contains(&name));
                if is_file && is_kustomization {
                    if let Some(dir) = entry.path().parent() {
                        found.kustomizations.push(dir.to_path_buf());
                    }
                }
                if is_file && matches_extension {
                    found.files.push(entry.into_path());
                }
            }
            Err(error) => found.notices.push(walk_error_notice(root, &error)),
        }
    }
    let mut charts = skipped_charts
        .lock()
        .map(|charts| charts.clone())
        .unwrap_or_default();
    found.charts.append(&mut charts);
}

/// Whether `--exclude` globs match a path.
pub fn is_excluded(path: &Path, exclude: &GlobSet) -> bool {
    if exclude.is_empty() {
        return false;
    }
    let stripped = path.strip_prefix("./").unwrap_or(path);
    exclude.is_match(stripped)
        || stripped
            .file_name()
            .is_some_and(|name| exclude.is_match(Path::new(name)))
}

fn walk_error_notice(root: &Path, error: &ignore::Error) -> Notice {
    let path = error_path(error).unwrap_or(root).display().to_string();
    let message = if is_loop(error) {
        "skipped a symbolic link loop".to_string()
    } else if let Some(io) = error.io_error() {
        if io.kind() == std::io::ErrorKind::NotFound {
            "skipped a dangling symbolic link or a path that vanished".to_string()
        } else {
            format!("skipped: {}", describe_io_error(io))
        }
    } else {
        format!("skipped: {error}")
    };
    Notice { path, message }
}

fn is_loop(error: &ignore::Error) -> bool {
    match error {
        ignore::Error::Loop { .. } => true,
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => is_loop(err),
        _ => false,
    }
}

fn error_path(error: &ignore::Error) -> Option<&Path> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::Loop { child, .. } => Some(child),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}

pub fn describe_io_error(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => error.to_string(),
    }
}
