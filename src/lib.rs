//! wilint: a fast linter for GKE Workload Identity misconfiguration in Kubernetes manifests,
//! Helm charts, Terraform, and the gcloud and kubectl commands of shell scripts and Markdown
//! guides.
//!
//! The pipeline: [`discover`] finds files, [`engine`] reads and splits them ([`source`]),
//! parses documents with spans ([`yaml`]), builds objects ([`model`]) and the run's
//! [`index`], runs every rule of the [`registry`], and [`output`] formats the report.

pub mod baseline;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod engine;
pub mod facts;
pub mod grammar;
pub mod graph;
pub mod index;
pub mod istio;
pub mod kcc;
pub mod kubectl_yaml;
pub mod landing;
pub mod model;
pub mod output;
pub mod paths;
pub mod prescan;
pub mod read;
pub mod registry;
pub mod render;
pub mod report;
pub mod rules;
pub mod settings;
pub mod source;
pub mod sources;
pub mod sparse;
pub mod suppress;
pub mod tree;
pub mod units;
pub mod yaml;

/// Lints one in-memory text as if it were a file named `name`.
pub fn lint_text(name: &str, text: &str, options: &engine::Options) -> engine::Report {
    engine::run(
        vec![engine::Input::Stdin {
            name: name.to_string(),
            bytes: text.as_bytes().to_vec(),
        }],
        options,
    )
}

/// Lints one in-memory text with default options and renders the findings as plain human
/// output (no colour, no summary line). Used by snapshot tests.
pub fn render_plain(name: &str, text: &str) -> String {
    let report = lint_text(name, text, &engine::Options::default());
    output::human::render_plain(&report.files, &report.diagnostics)
}
