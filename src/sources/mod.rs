//! The languages wilint reads, each lowered into the facts of [`crate::facts`]. YAML
//! manifests are still read by the modules at the crate root (`source`, `yaml`, `model`,
//! `kcc`); Terraform lives here, the first source of the new layout (issue #18).

use std::path::Path;

pub mod terraform;

/// The language of a file, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    /// Kubernetes manifests (YAML or JSON), rendered charts and kustomizations.
    #[default]
    Yaml,
    /// Terraform configuration (`*.tf`) and variable values (`*.tfvars`).
    Terraform,
}

impl Language {
    pub fn of(path: &Path) -> Language {
        match path.extension().and_then(|e| e.to_str()) {
            Some("tf" | "tfvars") => Language::Terraform,
            _ => Language::Yaml,
        }
    }
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
    }
}
