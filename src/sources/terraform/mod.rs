//! Terraform as a source: the `*.tf` and `*.tfvars` files of a run, parsed with hcl-edit
//! (which keeps byte spans), grouped into modules by directory, evaluated as far as the
//! configuration states (see [`eval`]), and lowered into grant facts. Syntax errors are WI000
//! findings; the trees are dropped once lowered.

pub mod eval;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body};
use rayon::prelude::*;

use self::eval::{Module, ModuleFile};
use crate::diagnostic::{Diagnostic, FileId, Label, Span};
use crate::facts::{
    Authority, Cluster, FactSet, Grant, NodePool, Origin, Target, Text, UnknownGrant,
};
use crate::grammar::WiMember;
use crate::rules::wi000_invalid_yaml;
use crate::settings::{ClusterConfig, Unit};
use crate::source::{Files, SourceFile};
use crate::sources::Language;

/// What the Terraform files of a run state.
#[derive(Debug, Default)]
pub struct Lowered<'c> {
    pub facts: FactSet<'c>,
    /// WI000 for each file that does not parse.
    pub diagnostics: Vec<Diagnostic>,
}

/// Whether a file is Terraform, by its path, or by its name when it has none (standard input
/// named `main.tf`; plain standard input is read as YAML).
pub fn is_terraform(file: &SourceFile) -> bool {
    let path = file.path.as_deref().unwrap_or(Path::new(&file.name));
    Language::of(path) == Language::Terraform
}

/// Lowers every Terraform file of `files`; `place` gives a file's `[[cluster]]` and apply
/// unit.
pub fn lower<'c>(
    files: &Files,
    place: impl Fn(FileId) -> (Option<&'c ClusterConfig>, Unit) + Sync,
) -> Lowered<'c> {
    let terraform: Vec<(FileId, &SourceFile)> = files
        .iter()
        .filter(|(_, file)| is_terraform(file))
        .collect();
    if terraform.is_empty() {
        return Lowered::default();
    }
    let parsed: Vec<(FileId, &SourceFile, Parsed)> = terraform
        .par_iter()
        .map(|&(id, file)| (id, file, parse(id, &file.text)))
        .collect();
    let mut lowered = Lowered::default();
    // A module is a directory; its files in name order (the order Terraform loads them).
    let mut modules: BTreeMap<&Path, Vec<(FileId, &SourceFile, &Body)>> = BTreeMap::new();
    for (id, file, result) in &parsed {
        match result {
            Ok(body) => {
                let dir = file
                    .path
                    .as_deref()
                    .and_then(Path::parent)
                    .unwrap_or(Path::new(""));
                modules.entry(dir).or_default().push((*id, file, body));
            }
            Err(diagnostic) => lowered.diagnostics.push((**diagnostic).clone()),
        }
    }
    let per_module: Vec<FactSet<'c>> = modules
        .into_par_iter()
        .map(|(_, mut members)| {
            members.sort_by(|a, b| a.1.path.cmp(&b.1.path));
            lower_module(&members, &place)
        })
        .collect();
    // Modules in path order, their files in name order, blocks in file order: input order
    // whatever the thread count.
    for more in per_module {
        lowered.facts.extend(more);
    }
    lowered
}

/// The body of a file, or its WI000.
type Parsed = Result<Body, Box<Diagnostic>>;

/// Parses one file.
fn parse(file: FileId, text: &str) -> Parsed {
    hcl_edit::parser::parse_body(text).map_err(|error| {
        Box::new({
            let mut at = error.location().offset().min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let width = text[at..]
                .chars()
                .next()
                .filter(|c| *c != '\n' && *c != '\r')
                .map_or(0, char::len_utf8);
            Diagnostic::new(
            &wi000_invalid_yaml::META,
            format!("invalid Terraform: {}", error.message()),
            Label::new(
                Span {
                    file,
                    start: at,
                    end: at + width,
                },
                "parsing failed here",
            ),
        )
        .with_help(
            "fix the HCL syntax (`terraform validate` says more); the other files are still linted",
        )
        })
    })
}

fn lower_module<'c>(
    members: &[(FileId, &SourceFile, &Body)],
    place: &(impl Fn(FileId) -> (Option<&'c ClusterConfig>, Unit) + Sync),
) -> FactSet<'c> {
    let module_files: Vec<ModuleFile<'_>> = members
        .iter()
        .map(|(_, file, body)| {
            let name = file
                .path
                .as_deref()
                .and_then(Path::file_name)
                .and_then(|n| n.to_str())
                .unwrap_or("");
            if Path::new(name).extension().is_some_and(|e| e == "tfvars") {
                let auto = name == "terraform.tfvars" || name.ends_with(".auto.tfvars");
                ModuleFile::Values { body, auto }
            } else {
                ModuleFile::Configuration(body)
            }
        })
        .collect();
    let module = Module::new(&module_files);
    let mut lowered = FactSet::default();
    let configurations: Vec<(FileCx<'_, '_, 'c>, &Body)> = members
        .iter()
        .zip(&module_files)
        .filter(|(_, module_file)| matches!(module_file, ModuleFile::Configuration(_)))
        .map(|(&(id, file, body), _)| {
            let (cluster, unit) = place(id);
            let cx = FileCx {
                module: &module,
                file: id,
                text: &file.text,
                cluster,
                unit,
            };
            (cx, body)
        })
        .collect();
    // Clusters first: node pools of any file of the module refer to them.
    for (cx, body) in &configurations {
        for block in body.blocks() {
            cx.lower_resource(block, &mut lowered);
            cx.lower_cluster(block, &mut lowered);
        }
    }
    for (cx, body) in &configurations {
        for block in body.blocks() {
            cx.lower_node_pool(block, &mut lowered);
        }
    }
    lowered
}

/// What lowering the resources of one file needs.
struct FileCx<'m, 'b, 'c> {
    module: &'m Module<'b>,
    file: FileId,
    text: &'m str,
    cluster: Option<&'c ClusterConfig>,
    unit: Unit,
}

/// What an IAM resource type grants on, and how much of the policy it states.
fn iam_resource(kind: &str) -> Option<(Scope, Authority)> {
    let (base, authority) = if let Some(base) = kind.strip_suffix("_iam_member") {
        (base, Authority::Additive)
    } else if let Some(base) = kind.strip_suffix("_iam_binding") {
        (base, Authority::Role)
    } else if let Some(base) = kind.strip_suffix("_iam_policy") {
        (base, Authority::Policy)
    } else {
        return None;
    };
    let scope = match base {
        "google_service_account" => Scope::ServiceAccount,
        "google_project" => Scope::Container("project"),
        "google_folder" => Scope::Container("folder"),
        "google_organization" => Scope::Container("organization"),
        _ if base.starts_with("google_") => Scope::Other,
        _ => return None,
    };
    Some((scope, authority))
}

#[derive(Clone, Copy)]
enum Scope {
    ServiceAccount,
    Container(&'static str),
    Other,
}

impl<'c> FileCx<'_, '_, 'c> {
    /// The start of the file: where a fact points when the parser gave no span.
    fn nowhere(&self) -> Span {
        Span {
            file: self.file,
            start: 0,
            end: 0,
        }
    }

    fn span(&self, range: Option<Range<usize>>, fallback: Span) -> Span {
        range
            .filter(|r| r.end <= self.text.len() && r.start <= r.end)
            .map_or(fallback, |r| Span {
                file: self.file,
                start: r.start,
                end: r.end,
            })
    }

    /// An expression as a fact, when the configuration states its value.
    fn text(&self, expr: &Expression, fallback: Span) -> Option<Text> {
        let value = self.module.eval(expr)?;
        Some(self.text_of(expr, value, fallback))
    }

    /// A member as a fact, when the configuration states enough of it to be a Workload
    /// Identity member, or all of it.
    fn member_text(&self, expr: &Expression, fallback: Span) -> Option<Text> {
        let (value, unknown) = self.module.eval_partial(expr)?;
        if !unknown.is_empty() && WiMember::parse_partial(&value, &unknown).is_none() {
            return None;
        }
        Some(self.text_of(expr, value, fallback).with_unknown(unknown))
    }

    fn text_of(&self, expr: &Expression, value: String, fallback: Span) -> Text {
        let span = self.span(expr.span(), fallback);
        // A plain string literal without escapes: parts of the value have exact spans.
        let source = &self.text[span.start..span.end];
        let literal = matches!(expr, Expression::String(_))
            && source.len() == value.len() + 2
            && source.get(1..source.len() - 1) == Some(value.as_str());
        Text::new(value, span, literal.then_some(span.start + 1))
    }

    fn lower_resource(&self, block: &Block, out: &mut FactSet<'c>) {
        let [kind_label, name_label] = block.labels.as_slice() else {
            return;
        };
        if block.ident.as_str() != "resource" {
            return;
        }
        let (kind, name) = (kind_label.as_str(), name_label.as_str());
        let Some((scope, authority)) = iam_resource(kind) else {
            return;
        };
        let whole = self.span(block.span(), self.nowhere());
        let kind_span = self.span(kind_label.span(), whole);
        let origin = Origin {
            file: self.file,
            display: format!("{kind}.{name}"),
            anchor: self.span(name_label.span(), whole),
            position: (self.file, whole.start, whole.start),
            unit: self.unit,
            cluster: self.cluster,
            key: format!("terraform/{kind}/-/{name}"),
            language: Language::Terraform,
        };
        let attribute = |key: &str| block.body.get_attribute(key).map(|a| &a.value);
        let target_expr = match scope {
            Scope::ServiceAccount => attribute("service_account_id"),
            _ => None,
        };
        let target = match scope {
            Scope::ServiceAccount => {
                Target::ServiceAccount(target_expr.and_then(|e| self.module.gsa_of(e)))
            }
            Scope::Container(container) => Target::Container {
                container,
                span: kind_span,
            },
            Scope::Other => Target::Other,
        };
        let target_named = target_expr.and_then(|e| self.text(e, whole));
        let target_shown = target_named.as_ref().map(|t| t.value.clone());
        // Each role with the expressions of its members (`None`: a list the configuration
        // does not state).
        let mut bindings: Vec<(Option<&Expression>, Option<Vec<&Expression>>)> = Vec::new();
        match authority {
            Authority::Additive => {
                bindings.push((attribute("role"), attribute("member").map(|m| vec![m])));
            }
            Authority::Role => {
                bindings.push((attribute("role"), attribute("members").and_then(array)));
            }
            Authority::Policy => {
                // `policy_data = data.google_iam_policy.NAME.policy_data`.
                let policy = attribute("policy_data")
                    .and_then(eval::traversal_path)
                    .and_then(|path| match path.as_slice() {
                        ["data", "google_iam_policy", name, "policy_data"] => {
                            self.module.data("google_iam_policy", name)
                        }
                        _ => None,
                    });
                match policy {
                    Some(policy) => {
                        for binding in policy.body.get_blocks("binding") {
                            let get = |key: &str| binding.body.get_attribute(key).map(|a| &a.value);
                            bindings.push((get("role"), get("members").and_then(array)));
                        }
                    }
                    None => bindings.push((None, None)),
                }
            }
        }
        for (role, members) in bindings {
            let role_text = role.and_then(|r| self.text(r, whole));
            let unknown = || UnknownGrant {
                origin: origin.clone(),
                role: role_text.as_ref().map(|r| r.value.clone()),
                target: target.clone(),
            };
            let Some(members) = members else {
                out.unknown_grants.push(unknown());
                continue;
            };
            for member in members {
                let Some(member) = self.member_text(member, whole) else {
                    out.unknown_grants.push(unknown());
                    continue;
                };
                out.grants.push(Grant {
                    origin: origin.clone(),
                    wi: WiMember::parse_partial(&member.value, member.unknown()),
                    member,
                    role: role_text.clone(),
                    target: target.clone(),
                    target_named: target_named.clone(),
                    target_shown: target_shown.clone(),
                    authority,
                });
            }
        }
    }
}

impl<'c> FileCx<'_, '_, 'c> {
    fn origin(
        &self,
        block: &Block,
        display: String,
        key: String,
        anchor: Option<Span>,
    ) -> Origin<'c> {
        let whole = self.span(block.span(), self.nowhere());
        Origin {
            file: self.file,
            display,
            anchor: anchor.unwrap_or(whole),
            position: (self.file, whole.start, whole.start),
            unit: self.unit,
            cluster: self.cluster,
            key,
            language: Language::Terraform,
        }
    }

    /// The workload metadata mode of a `node_config` block: `workload_metadata_config`'s
    /// `mode`, or its deprecated `node_metadata`.
    fn metadata_mode(&self, node_config: Option<&Block>) -> Option<Text> {
        let config = node_config?
            .body
            .get_blocks("workload_metadata_config")
            .next()?;
        let attribute = config
            .body
            .get_attribute("mode")
            .or_else(|| config.body.get_attribute("node_metadata"))?;
        self.text(
            &attribute.value,
            self.span(attribute.span(), self.nowhere()),
        )
    }

    fn lower_cluster(&self, block: &Block, out: &mut FactSet<'c>) {
        let Some(name) = resource_of(block, "google_container_cluster") else {
            return;
        };
        let address = format!("google_container_cluster.{name}");
        let name_span = block.labels.get(1).and_then(hcl_edit::Span::span);
        let anchor = name_span.map(|r| self.span(Some(r), self.nowhere()));
        let body = &block.body;
        let config = body.get_blocks("workload_identity_config").next();
        let pool_attribute = config.and_then(|c| c.body.get_attribute("workload_pool"));
        let identity_namespace = config.and_then(|c| c.body.get_attribute("identity_namespace"));
        let autopilot = match body.get_attribute("enable_autopilot") {
            None => Some(false),
            Some(a) => a
                .value
                .as_bool()
                .or_else(|| match self.module.eval(&a.value).as_deref() {
                    Some("true") => Some(true),
                    Some("false") => Some(false),
                    _ => None,
                }),
        };
        let fallback = anchor.unwrap_or(Span {
            file: self.file,
            start: 0,
            end: 0,
        });
        let cluster = Cluster {
            origin: self.origin(
                block,
                address.clone(),
                format!("terraform/google_container_cluster/-/{name}"),
                anchor,
            ),
            name: body
                .get_attribute("name")
                .and_then(|a| self.module.eval(&a.value)),
            has_workload_pool: pool_attribute.is_some() || identity_namespace.is_some(),
            workload_pool: pool_attribute.and_then(|a| self.text(&a.value, fallback)),
            identity_namespace: identity_namespace.map(|a| self.span(a.key.span(), fallback)),
            autopilot,
            project: body
                .get_attribute("project")
                .and_then(|a| self.module.eval(&a.value)),
            node_metadata: self.metadata_mode(body.get_blocks("node_config").next()),
        };
        out.clusters.push(cluster);
        let position = out.clusters.len() - 1;
        // Its `node_pool` blocks.
        for (i, pool) in body.get_blocks("node_pool").enumerate() {
            let pool_name = pool
                .body
                .get_attribute("name")
                .and_then(|a| self.module.eval(&a.value));
            let display = match &pool_name {
                Some(n) => format!("node pool \"{n}\" of {address}"),
                None => format!("node pool {i} of {address}"),
            };
            let pool_anchor = self.span(pool.ident.span(), fallback);
            out.node_pools.push(NodePool {
                origin: self.origin(
                    pool,
                    display,
                    format!("terraform/google_container_cluster/-/{name}/node_pool/{i}"),
                    Some(pool_anchor),
                ),
                names: pool_name.into_iter().collect(),
                cluster: Some(position),
                metadata_mode: self.metadata_mode(pool.body.get_blocks("node_config").next()),
            });
        }
    }

    fn lower_node_pool(&self, block: &Block, out: &mut FactSet<'c>) {
        let Some(name) = resource_of(block, "google_container_node_pool") else {
            return;
        };
        let body = &block.body;
        let anchor = block
            .labels
            .get(1)
            .and_then(hcl_edit::Span::span)
            .map(|r| self.span(Some(r), self.nowhere()));
        // `cluster = google_container_cluster.NAME.id` (or `.name`), or the cluster's name.
        let cluster = body.get_attribute("cluster").and_then(|a| {
            if let Some(["google_container_cluster", resource, ..]) =
                eval::traversal_path(&a.value).as_deref()
            {
                let address = format!("google_container_cluster.{resource}");
                return out
                    .clusters
                    .iter()
                    .position(|c| c.origin.display == address);
            }
            let value = self.module.eval(&a.value)?;
            let short = value.rsplit('/').next().unwrap_or(&value);
            out.clusters
                .iter()
                .position(|c| c.name.as_deref() == Some(short))
        });
        let pool_name = body
            .get_attribute("name")
            .and_then(|a| self.module.eval(&a.value));
        out.node_pools.push(NodePool {
            origin: self.origin(
                block,
                format!("google_container_node_pool.{name}"),
                format!("terraform/google_container_node_pool/-/{name}"),
                anchor,
            ),
            names: pool_name.into_iter().collect(),
            cluster,
            metadata_mode: self.metadata_mode(body.get_blocks("node_config").next()),
        });
    }
}

/// The name of a `resource "KIND" "NAME"` block of this kind.
fn resource_of<'b>(block: &'b Block, kind: &str) -> Option<&'b str> {
    match block.labels.as_slice() {
        [k, name] if block.ident.as_str() == "resource" && k.as_str() == kind => {
            Some(name.as_str())
        }
        _ => None,
    }
}

/// The items of an array literal (`None` for anything else: a variable, a `concat`).
fn array(expr: &Expression) -> Option<Vec<&Expression>> {
    match expr {
        Expression::Array(items) => Some(items.iter().collect()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lowered(files: &[(&str, &str)]) -> (Files, Lowered<'static>) {
        let mut all = Files::default();
        for (path, text) in files {
            all.add(SourceFile::new(
                (*path).to_string(),
                Some(std::path::PathBuf::from(path)),
                (*text).to_string(),
            ));
        }
        let lowered = lower(&all, |_| (None, Unit::default()));
        (all, lowered)
    }

    #[test]
    fn members_roles_and_targets_with_exact_spans() {
        let text = r#"
resource "google_service_account" "app" {
  account_id = "app-gsa"
  project    = "acme-prod"
}
resource "google_service_account_iam_member" "wi" {
  service_account_id = google_service_account.app.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:acme-prod.svc.id.goog[payments/web]"
}
resource "google_service_account_iam_binding" "both" {
  service_account_id = "projects/acme-prod/serviceAccounts/x@acme-prod.iam.gserviceaccount.com"
  role               = "roles/iam.workloadIdentityUser"
  members            = ["serviceAccount:acme-prod.svc.id.goog[a/b]", var.unknown]
}
"#;
        let (files, lowered) = lowered(&[("infra/iam.tf", text)]);
        assert!(lowered.diagnostics.is_empty());
        assert_eq!(lowered.facts.grants.len(), 2);
        let wi = &lowered.facts.grants[0];
        assert_eq!(wi.origin.display, "google_service_account_iam_member.wi");
        let source = &files.get(0).text;
        let member = &source[wi.member.span.start..wi.member.span.end];
        assert_eq!(
            member,
            "\"serviceAccount:acme-prod.svc.id.goog[payments/web]\""
        );
        let ns = wi.member.span_within(37..45);
        assert_eq!(&source[ns.start..ns.end], "payments");
        assert_eq!(wi.gsa().map(|g| g.account.as_str()), Some("app-gsa"));
        assert_eq!(wi.authority, Authority::Additive);
        let binding = &lowered.facts.grants[1];
        assert_eq!(binding.authority, Authority::Role);
        assert_eq!(binding.gsa().map(|g| g.account.as_str()), Some("x"));
        // The member it cannot know is an unknown grant, not a malformed one.
        assert_eq!(lowered.facts.unknown_grants.len(), 1);
    }

    #[test]
    fn policies_through_their_data_source_and_whole_project_grants() {
        let text = r#"
data "google_iam_policy" "wi" {
  binding {
    role    = "roles/iam.workloadIdentityUser"
    members = ["serviceAccount:p-123456.svc.id.goog[ns/ksa]"]
  }
}
resource "google_service_account_iam_policy" "wi" {
  service_account_id = "gsa@p-123456.iam.gserviceaccount.com"
  policy_data        = data.google_iam_policy.wi.policy_data
}
resource "google_project_iam_member" "wide" {
  project = "p-123456"
  role    = "roles/iam.workloadIdentityUser"
  member  = "serviceAccount:p-123456.svc.id.goog[ns/ksa]"
}
"#;
        let (_, lowered) = lowered(&[("iam.tf", text)]);
        assert_eq!(lowered.facts.grants.len(), 2);
        assert_eq!(lowered.facts.grants[0].authority, Authority::Policy);
        assert!(matches!(
            lowered.facts.grants[1].target,
            Target::Container {
                container: "project",
                ..
            }
        ));
    }

    #[test]
    fn a_syntax_error_is_wi000_at_its_place_and_other_files_still_lower() {
        let good = "resource \"google_project_iam_member\" \"m\" {\n  role = \"roles/viewer\"\n  member = \"user:a@b.c\"\n}\n";
        let (files, lowered) =
            lowered(&[("bad.tf", "resource \"x\" {\n  a = \n"), ("good.tf", good)]);
        assert_eq!(lowered.diagnostics.len(), 1);
        let d = &lowered.diagnostics[0];
        assert_eq!(d.rule.code, "WI000");
        assert!(d.message.starts_with("invalid Terraform"), "{}", d.message);
        assert_eq!(files.get(d.primary.span.file).name, "bad.tf");
        assert_eq!(lowered.facts.grants.len(), 1);
    }

    #[test]
    fn hostile_input_never_panics() {
        let deep = format!("x = {}1{}\n", "[".repeat(5000), "]".repeat(5000));
        let inputs = [
            deep.as_str(),
            "x = <<EOT\nunterminated\n",
            "x = \"${\"\n",
            "\u{feff}x = 1\n",
            "resource \"google_project_iam_member\" \"m\" { member = \"%{ for x in y }${x}%{ endfor }\" }\n",
            "é = \"\u{1F600}\"\n",
        ];
        for input in inputs {
            let _ = lowered(&[("hostile.tf", input)]);
        }
    }
}
