//! Finding the files to lint: explicit files whatever their extension, directories walked
//! recursively (`.gitignore` respected, hidden entries skipped) for `*.yaml`, `*.yml`, `*.json`.
//! Unrendered Helm chart templates are skipped with a note saying how to lint them.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use globset::GlobSet;
use ignore::{WalkBuilder, WalkState};

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
    found
        .notices
        .sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    found.notices.dedup();
    found
}

/// Walks a directory on every thread (stat and readdir calls dominate on big repositories);
/// [`discover`] sorts what it finds, so the order never depends on the threads.
fn walk(root: &Path, exclude: &GlobSet, found: &mut Discovered) {
    let shared: Mutex<&mut Discovered> = Mutex::new(found);
    let exclude_for_filter = exclude.clone();
    let walker = WalkBuilder::new(root)
        .follow_links(true)
        .hidden(true)
        .require_git(false)
        .filter_entry(move |entry| !is_excluded(entry.path(), &exclude_for_filter))
        .threads(rayon::current_num_threads())
        .build_parallel();
    walker.run(|| {
        let shared = &shared;
        Box::new(move |entry| {
            let Ok(mut found) = shared.lock() else {
                return WalkState::Quit;
            };
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    found.notices.push(walk_error_notice(root, &error));
                    return WalkState::Continue;
                }
            };
            let file_type = entry.file_type();
            if file_type.is_some_and(|t| t.is_dir()) {
                // A chart's templates are not YAML until rendered (unless named as the root).
                let chart = entry.path().parent().filter(|chart| {
                    entry.depth() > 0
                        && entry.file_name() == "templates"
                        && chart.join("Chart.yaml").is_file()
                });
                if let Some(chart) = chart {
                    found.charts.push(chart.to_path_buf());
                    return WalkState::Skip;
                }
                return WalkState::Continue;
            }
            if !file_type.is_some_and(|t| t.is_file()) {
                return WalkState::Continue;
            }
            let is_kustomization = entry
                .file_name()
                .to_str()
                .is_some_and(|name| KUSTOMIZATION_FILES.contains(&name));
            if is_kustomization {
                if let Some(dir) = entry.path().parent() {
                    found.kustomizations.push(dir.to_path_buf());
                }
            }
            let matches_extension = entry
                .path()
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
            if matches_extension {
                found.files.push(entry.into_path());
            }
            WalkState::Continue
        })
    });
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
