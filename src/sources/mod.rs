//! The languages wilint reads, each lowered into the facts of [`crate::facts`]. YAML
//! manifests are still read by the modules at the crate root (`source`, `yaml`, `model`,
//! `kcc`); Terraform and shell (scripts, and the commands of Markdown guides) live here, in
//! the new layout (issue #18).

use std::path::Path;

use crate::source::SourceFile;

pub mod shell;
pub mod terraform;

/// The language of a file, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    /// Kubernetes manifests (YAML or JSON), rendered charts and kustomizations.
    #[default]
    Yaml,
    /// Terraform configuration (`*.tf`) and variable values (`*.tfvars`).
    Terraform,
    /// Commands: shell scripts, the shell blocks of Markdown guides, the command lines of
    /// prose (`*.txt`).
    Shell,
}

impl Language {
    /// The language of a file by its name alone.
    pub fn of(path: &Path) -> Language {
        match path.extension().and_then(|e| e.to_str()) {
            Some("tf" | "tfvars") => Language::Terraform,
            Some(e) if shell::Kind::of_extension(e).is_some() => Language::Shell,
            _ => Language::Yaml,
        }
    }

    /// The language of a file: by its path (its name, for standard input), and for a file
    /// without an extension, by a `sh`, `bash` or `zsh` shebang.
    /// A `.txt` file is prose with commands, unless it holds Kubernetes manifests (a line
    /// that starts with `apiVersion:`), as it did before wilint read prose.
    pub fn of_file(file: &SourceFile) -> Language {
        let path = file.path.as_deref().unwrap_or(Path::new(&file.name));
        match path.extension().and_then(|e| e.to_str()) {
            None if shell::has_shell_shebang(&file.text) => Language::Shell,
            Some(e) if e.eq_ignore_ascii_case("txt") && has_manifest_line(&file.text) => {
                Language::Yaml
            }
            _ => Language::of(path),
        }
    }
}

fn has_manifest_line(text: &str) -> bool {
    text.lines().any(|line| line.starts_with("apiVersion:"))
}

/// Whether a file is read as Kubernetes manifests (what the pre-scan and the YAML splitter
/// know).
pub fn is_yaml(file: &SourceFile) -> bool {
    Language::of_file(file) == Language::Yaml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_by_extension() {
        assert_eq!(Language::of(Path::new("infra/iam.tf")), Language::Terraform);
        assert_eq!(
            Language::of(Path::new("prod.auto.tfvars")),
            Language::Terraform
        );
        assert_eq!(Language::of(Path::new("deploy.yaml")), Language::Yaml);
        assert_eq!(Language::of(Path::new("Kustomization")), Language::Yaml);
        assert_eq!(Language::of(Path::new("setup.sh")), Language::Shell);
        assert_eq!(Language::of(Path::new("README.md")), Language::Shell);
    }
}
