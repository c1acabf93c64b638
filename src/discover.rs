//! Finding the files to lint: explicit files whatever their extension, directories walked
//! recursively (`.gitignore` respected, hidden entries skipped, so `.terraform/` too) for
//! `*.yaml`, `*.yml`, `*.json`, Terraform's `*.tf` and `*.tfvars`, shell scripts (`*.sh`,
//! `*.bash`, `*.zsh`, `*.ksh`, and files without an extension that start with a `sh`, `bash`
//! or `zsh` shebang) and Markdown guides (`*.md`, `*.markdown`). Prose (`*.txt`) is read
//! only when named: too many text files are not runbooks.
//! Nothing inside a Helm chart that is a template is parsed, whether walked or named (the
//! pre-commit hook names files): a chart's `templates/`, and any other file of the chart with
//! `{{` in it (istiod's `files/`, say). Each chart gets one note saying how to lint it rendered.

use std::collections::HashSet;
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
    /// Helm charts whose templates were skipped, walked or named (sorted).
    pub charts: Vec<PathBuf>,
    /// Files of a chart outside its `templates/` that are templated (`{{`), skipped: (chart,
    /// file), sorted.
    pub templated: Vec<(PathBuf, PathBuf)>,
    /// Directories with a kustomization met during walks (sorted).
    pub kustomizations: Vec<PathBuf>,
}

/// The file names kustomize reads in a directory.
const KUSTOMIZATION_FILES: &[&str] = &["kustomization.yaml", "kustomization.yml", "Kustomization"];

const EXTENSIONS: &[&str] = &["yaml", "yml", "json"];

/// Terraform's extensions: never part of a chart, whatever directory they are in.
const TERRAFORM_EXTENSIONS: &[&str] = &["tf", "tfvars"];

/// What a walk picks up as commands: scripts and Markdown guides, in a chart too (Helm does
/// not template them).
const COMMAND_EXTENSIONS: &[&str] = &["sh", "bash", "zsh", "ksh", "md", "markdown"];

/// How much of an extensionless file is read to find a shebang.
const SHEBANG_PEEK: usize = 256;

/// Whether an extensionless file starts with a shell shebang (`#!/bin/bash`, `#!/usr/bin/env
/// sh`). Unreadable files are not: the walk is no place to report them.
fn is_shell_script(path: &Path) -> bool {
    use std::io::Read;
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = Vec::with_capacity(SHEBANG_PEEK);
    if file
        .take(SHEBANG_PEEK as u64)
        .read_to_end(&mut head)
        .is_err()
    {
        return false;
    }
    crate::sources::shell::has_shell_shebang(&String::from_utf8_lossy(&head))
}

/// Terraform, scripts and Markdown: files Helm does not template, in a chart too.
fn is_never_templated(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .is_some_and(|e| {
            TERRAFORM_EXTENSIONS.contains(&e.as_str()) || COMMAND_EXTENSIONS.contains(&e.as_str())
        })
}

pub fn discover(paths: &[PathBuf], exclude: &GlobSet) -> Discovered {
    let mut found = Discovered::default();
    for path in paths {
        match std::fs::metadata(path) {
            Err(error) => found.errors.push(Notice {
                path: path.display().to_string(),
                message: describe_io_error(&error),
            }),
            Ok(meta) if meta.is_dir() => walk(path, exclude, &mut found),
            // A file named explicitly is linted whatever its name, unless it is a template
            // (Helm templates neither Terraform, nor scripts, nor Markdown).
            Ok(_) if is_never_templated(path) => found.files.push(path.clone()),
            Ok(_) => match enclosing_chart(path) {
                Some(chart) => found.add_chart_file(&chart, path.clone()),
                None => found.files.push(path.clone()),
            },
        }
    }
    found.files.sort();
    found.files.dedup();
    found.charts.sort();
    found.charts.dedup();
    found.templated.sort();
    found.templated.dedup();
    found.kustomizations.sort();
    found.kustomizations.dedup();
    found
        .notices
        .sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    found.notices.dedup();
    found
}

impl Discovered {
    /// A file that lies inside `chart`: a template is skipped (and the chart noted), any other
    /// file is linted.
    fn add_chart_file(&mut self, chart: &Path, file: PathBuf) {
        if is_in_templates(chart, &file) {
            self.charts.push(chart.to_path_buf());
        } else if is_templated(&file) {
            self.charts.push(chart.to_path_buf());
            self.templated.push((chart.to_path_buf(), file));
        } else {
            self.files.push(file);
        }
    }
}

/// The nearest directory above `path` (or `path` itself) that holds a `Chart.yaml`.
fn enclosing_chart(path: &Path) -> Option<PathBuf> {
    crate::paths::absolute(path)
        .ancestors()
        .position(|dir| dir.join("Chart.yaml").is_file())
        // Keep the user's spelling of the path (relative stays relative) for the note.
        .map(|up| lexical_parent(path, up))
}

/// `path` with its last `up` components removed, lexically (`./chart/templates/a.yaml`, 2 →
/// `./chart`); where the spelling runs out (`a.yaml` inside the chart), the absolute path.
fn lexical_parent(path: &Path, up: usize) -> PathBuf {
    let mut dir = path.to_path_buf();
    for _ in 0..up {
        if !dir.pop() || dir.as_os_str().is_empty() {
            let absolute = crate::paths::absolute(path);
            return absolute
                .ancestors()
                .nth(up)
                .map_or(absolute.clone(), Path::to_path_buf);
        }
    }
    dir
}

/// Whether `file` is under the chart's `templates/` directory.
fn is_in_templates(chart: &Path, file: &Path) -> bool {
    let chart = crate::paths::absolute(chart);
    crate::paths::absolute(file)
        .strip_prefix(&chart)
        .is_ok_and(|rest| rest.starts_with("templates"))
}

/// Whether a chart's file holds template actions: `{{` outside a comment line (values.yaml
/// documents its defaults as `v{{.Chart.AppVersion}}` in comments). The file may be large, so
/// this looks for the bytes only. An unreadable file is left to the reader, which reports it.
fn is_templated(file: &Path) -> bool {
    std::fs::read(file).is_ok_and(|bytes| has_template_action(&bytes))
}

fn has_template_action(bytes: &[u8]) -> bool {
    memchr::memmem::find_iter(bytes, b"{{").any(|at| {
        let line_start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
        let line = &bytes[line_start..at];
        line.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'#')
    })
}

/// Walks a directory on every thread (stat and readdir calls dominate on big repositories);
/// [`discover`] sorts what it finds, so the order never depends on the threads.
fn walk(root: &Path, exclude: &GlobSet, found: &mut Discovered) {
    // A walk that starts inside a chart stays inside it; otherwise the charts met so far (a
    // directory is always met before the entries inside it).
    let root_chart = enclosing_chart(root);
    let shared: Mutex<(&mut Discovered, HashSet<PathBuf>)> = Mutex::new((found, HashSet::new()));
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
        let root_chart = root_chart.as_ref();
        Box::new(move |entry| {
            let Ok(mut guard) = shared.lock() else {
                return WalkState::Quit;
            };
            let (found, charts) = &mut *guard;
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
                if entry.path().join("Chart.yaml").is_file() {
                    charts.insert(entry.path().to_path_buf());
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
            if is_kustomization && let Some(dir) = entry.path().parent() {
                found.kustomizations.push(dir.to_path_buf());
            }
            let matches_extension = entry
                .path()
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
            let never_templated = is_never_templated(entry.path())
                || entry.path().extension().is_none() && is_shell_script(entry.path());
            if never_templated {
                found.files.push(entry.into_path());
            } else if matches_extension {
                let chart = root_chart.cloned().or_else(|| {
                    entry
                        .path()
                        .ancestors()
                        .skip(1)
                        .find(|dir| charts.contains(*dir))
                        .map(Path::to_path_buf)
                });
                match chart {
                    Some(chart) => found.add_chart_file(&chart, entry.into_path()),
                    None => found.files.push(entry.into_path()),
                }
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

#[cfg(test)]
mod tests {
    use super::has_template_action;

    #[test]
    fn template_actions_outside_comments() {
        assert!(has_template_action(b"name: {{ .Release.Name }}\n"));
        assert!(has_template_action(b"a: 1\n  {{- end }}\n"));
        assert!(!has_template_action(
            b"# tag -- defaults to v{{.Chart.AppVersion}}\ntag: ''\n"
        ));
        assert!(!has_template_action(b"a: 1\n   # {{ x }}\n"));
        assert!(!has_template_action(b"kind: ServiceAccount\n"));
    }
}
