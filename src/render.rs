//! Rendering Helm charts and kustomizations with the user's own tools, so that wilint lints
//! what will be applied. wilint never guesses a rendering: when the tool is missing, the run
//! stops with a clear error (exit 2) rather than skipping the chart silently.

use std::ffi::OsString;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::read::Input;
use crate::source::{RenderTool, Rendered};

/// A `helm template` invocation.
#[derive(Debug, Clone)]
pub struct HelmRequest<'a> {
    pub chart: &'a Path,
    pub release: &'a str,
    pub namespace: Option<&'a str>,
    pub values: &'a [PathBuf],
    pub set: &'a [String],
}

/// The program to run for a tool: `$ENV_VAR` if set, else `default`.
fn program(env_var: &str, default: &str) -> OsString {
    std::env::var_os(env_var)
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| default.into())
}

/// Runs a command and returns its standard output, or an error that names the command.
fn output_of(mut command: Command, what: &str) -> Result<Vec<u8>, RunError> {
    // The program only: arguments may carry `--set` secrets into CI logs.
    let shown = format!("`{}`", command.get_program().to_string_lossy());
    match command.output() {
        Err(error) if error.kind() == ErrorKind::NotFound => Err(RunError::Missing),
        Err(error) => Err(RunError::Failed(format!(
            "{what}: could not run {shown}: {error}"
        ))),
        Ok(out) if out.status.success() => Ok(out.stdout),
        Ok(out) => {
            let stderr = String::from_utf8_lossy(&out.stderr);
            Err(RunError::Failed(format!(
                "{what}: {shown} failed ({}): {}",
                out.status,
                stderr.trim()
            )))
        }
    }
}

enum RunError {
    Missing,
    Failed(String),
}

/// Renders a chart with `helm template` (`$WILINT_HELM`, else `helm` on `PATH`).
pub fn helm_template(request: &HelmRequest<'_>) -> Result<Input, String> {
    let helm = program("WILINT_HELM", "helm");
    let mut command = Command::new(&helm);
    command
        .arg("template")
        .arg(request.release)
        .arg(request.chart);
    if let Some(namespace) = request.namespace {
        command.arg("--namespace").arg(namespace);
    }
    for values in request.values {
        command.arg("--values").arg(values);
    }
    for set in request.set {
        command.arg("--set").arg(set);
    }
    let chart = request.chart.display();
    match output_of(command, &format!("--helm {chart}")) {
        Ok(bytes) => Ok(Input::Rendered {
            name: format!("{chart} (rendered by helm)"),
            bytes,
            from: Rendered {
                tool: RenderTool::Helm,
                dir: request.chart.to_path_buf(),
            },
        }),
        Err(RunError::Missing) => Err(format!(
            "--helm {chart}: `{}` was not found; install Helm (https://helm.sh/docs/intro/install/) or set WILINT_HELM to its path",
            helm.to_string_lossy()
        )),
        Err(RunError::Failed(message)) => Err(message),
    }
}

/// Builds a kustomization with `$WILINT_KUSTOMIZE build`, else `kubectl kustomize`, else
/// `kustomize build`.
pub fn kustomize_build(dir: &Path) -> Result<Input, String> {
    let what = format!("--kustomize {}", dir.display());
    let candidates: Vec<(OsString, &[&str])> = match std::env::var_os("WILINT_KUSTOMIZE") {
        Some(tool) if !tool.is_empty() => vec![(tool, &["build"])],
        _ => vec![
            ("kubectl".into(), &["kustomize"]),
            ("kustomize".into(), &["build"]),
        ],
    };
    for (tool, args) in &candidates {
        let mut command = Command::new(tool);
        command.args(*args).arg(dir);
        match output_of(command, &what) {
            Ok(bytes) => {
                return Ok(Input::Rendered {
                    name: format!("{} (rendered by kustomize)", dir.display()),
                    bytes,
                    from: Rendered {
                        tool: RenderTool::Kustomize,
                        dir: dir.to_path_buf(),
                    },
                });
            }
            Err(RunError::Missing) => {}
            Err(RunError::Failed(message)) => return Err(message),
        }
    }
    let tried: Vec<String> = candidates
        .iter()
        .map(|(tool, _)| format!("`{}`", tool.to_string_lossy()))
        .collect();
    Err(format!(
        "{what}: {} not found; install kubectl or kustomize (https://kubectl.docs.kubernetes.io/installation/), or set WILINT_KUSTOMIZE to a kustomize binary",
        tried.join(" and ")
    ))
}
