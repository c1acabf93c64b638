//! What a Terraform expression is, as far as the configuration alone says: literals,
//! `"${…}"` templates, input variables with a default or a value from the directory's
//! `*.tfvars`, locals, the known attributes of `google_service_account` resources, and the
//! functions `format`, `join`, `lower` and `upper`. Anything else is unknown (`None`): a rule
//! never fires on a value the configuration does not state.

use std::collections::HashMap;
use std::ops::Range;

use hcl_edit::expr::{Expression, FuncCall, TraversalOperator};
use hcl_edit::structure::{Block, Body};
use hcl_edit::template::{Element, Template};

use crate::facts::GsaId;

/// How deep locals may refer to locals before the value counts as unknown (a cycle, or a
/// configuration no one writes by hand).
const MAX_DEPTH: usize = 32;

/// The declarations of one Terraform module (the `.tf` and `.tfvars` files of a directory),
/// borrowed from their parsed bodies.
#[derive(Default)]
pub struct Module<'b> {
    /// Input variables: `Some` when every way the directory sets it agrees on one value.
    variables: HashMap<&'b str, Option<String>>,
    locals: HashMap<&'b str, &'b Expression>,
    /// `resource` blocks by type and name.
    resources: HashMap<(&'b str, &'b str), &'b Block>,
    /// `data` blocks by type and name.
    data: HashMap<(&'b str, &'b str), &'b Block>,
    /// The `project` of the default `google` provider, when it states one.
    provider_project: Option<&'b Expression>,
}

/// What sets an input variable: its default, and each `*.tfvars` file's value.
#[derive(Default)]
struct VariableSources<'b> {
    default: Option<&'b Expression>,
    /// `terraform.tfvars` and `*.auto.tfvars`, which Terraform always loads (in name order,
    /// the last one wins).
    auto: Option<&'b Expression>,
    /// Other `*.tfvars`, each given with `-var-file` for some environment.
    chosen: Vec<&'b Expression>,
}

/// A parsed file of a module, with how Terraform treats it.
pub enum ModuleFile<'b> {
    Configuration(&'b Body),
    /// A `*.tfvars` file; `auto` when Terraform loads it without `-var-file`.
    Values {
        body: &'b Body,
        auto: bool,
    },
}

impl<'b> Module<'b> {
    /// The module of a directory's files (given in name order).
    pub fn new(files: &[ModuleFile<'b>]) -> Self {
        let mut module = Module::default();
        let mut sources: HashMap<&'b str, VariableSources<'b>> = HashMap::new();
        for file in files {
            match file {
                ModuleFile::Configuration(body) => module.declare(body, &mut sources),
                ModuleFile::Values { body, auto } => {
                    for attribute in body.attributes() {
                        let entry = sources.entry(attribute.key.as_str()).or_default();
                        if *auto {
                            entry.auto = Some(&attribute.value);
                        } else {
                            entry.chosen.push(&attribute.value);
                        }
                    }
                }
            }
        }
        // A variable's value is known when all that may set it agree: its default or the
        // loaded files' value, and every environment's file.
        let mut variables = HashMap::new();
        for (name, source) in sources {
            let base = source.auto.or(source.default);
            let candidates: Vec<Option<String>> = base
                .into_iter()
                .chain(source.chosen.iter().copied())
                .map(|expr| module.eval_at(expr, MAX_DEPTH))
                .collect();
            let value = match candidates.split_first() {
                Some((Some(first), rest)) if rest.iter().all(|v| v.as_ref() == Some(first)) => {
                    Some(first.clone())
                }
                _ => None,
            };
            variables.insert(name, value);
        }
        module.variables = variables;
        module
    }

    fn declare(&mut self, body: &'b Body, sources: &mut HashMap<&'b str, VariableSources<'b>>) {
        for block in body.blocks() {
            let labels: Vec<&str> = block
                .labels
                .iter()
                .map(hcl_edit::structure::BlockLabel::as_str)
                .collect();
            match (block.ident.as_str(), labels.as_slice()) {
                ("variable", [name]) => {
                    sources.entry(name).or_default().default =
                        block.body.get_attribute("default").map(|a| &a.value);
                }
                ("locals", []) => {
                    for attribute in block.body.attributes() {
                        self.locals.insert(attribute.key.as_str(), &attribute.value);
                    }
                }
                ("resource", [kind, name]) => {
                    self.resources.insert((kind, name), block);
                }
                ("data", [kind, name]) => {
                    self.data.insert((kind, name), block);
                }
                ("provider", ["google" | "google-beta"])
                    // An aliased provider serves only the resources that name it.
                    if block.body.get_attribute("alias").is_none() => {
                        self.provider_project =
                            block.body.get_attribute("project").map(|a| &a.value);
                    }
                _ => {}
            }
        }
    }

    /// The `resource` blocks of the module, by type and name.
    pub fn resource(&self, kind: &str, name: &str) -> Option<&'b Block> {
        self.resources.get(&(kind, name)).copied()
    }

    /// The `data` blocks of the module, by type and name.
    pub fn data(&self, kind: &str, name: &str) -> Option<&'b Block> {
        self.data.get(&(kind, name)).copied()
    }

    /// The value of an expression, when the configuration states it.
    pub fn eval(&self, expr: &Expression) -> Option<String> {
        self.eval_at(expr, MAX_DEPTH)
    }

    /// The value of an expression, with the interpolations of a template that the
    /// configuration leaves unknown spelled as written (`${var.project_id}`), and their ranges
    /// in the value. `None` when nothing of it is known, or a directive decides it.
    pub fn eval_partial(&self, expr: &Expression) -> Option<(String, Vec<Range<usize>>)> {
        let template = match expr {
            Expression::StringTemplate(template) => &**template,
            Expression::HeredocTemplate(heredoc) => &heredoc.template,
            _ => return self.eval(expr).map(|value| (value, Vec::new())),
        };
        let mut value = String::new();
        let mut unknown = Vec::new();
        for element in template {
            match element {
                Element::Literal(literal) => value.push_str(literal.value()),
                Element::Interpolation(interpolation) => {
                    if let Some(known) = self.eval_at(&interpolation.expr, MAX_DEPTH) {
                        value.push_str(&known);
                    } else {
                        let start = value.len();
                        value.push_str("${");
                        value.push_str(interpolation.expr.to_string().trim());
                        value.push('}');
                        unknown.push(start..value.len());
                    }
                }
                Element::Directive(_) => return None,
            }
        }
        let known = value.len()
            - unknown
                .iter()
                .map(std::iter::ExactSizeIterator::len)
                .sum::<usize>();
        (known > 0).then_some((value, unknown))
    }

    fn eval_at(&self, expr: &Expression, depth: usize) -> Option<String> {
        let depth = depth.checked_sub(1)?;
        match expr {
            Expression::String(s) => Some(s.value().clone()),
            Expression::Number(n) => Some(n.value().to_string()),
            Expression::Bool(b) => Some(b.value().to_string()),
            Expression::StringTemplate(template) => self.template(template, depth),
            Expression::HeredocTemplate(heredoc) => self.template(&heredoc.template, depth),
            Expression::Parenthesis(inner) => self.eval_at(inner.inner(), depth),
            Expression::Traversal(_) => self.reference(expr, depth),
            Expression::FuncCall(call) => self.call(call, depth),
            _ => None,
        }
    }

    fn template(&self, template: &Template, depth: usize) -> Option<String> {
        let mut out = String::new();
        for element in template {
            match element {
                Element::Literal(literal) => out.push_str(literal.value()),
                Element::Interpolation(interpolation) => {
                    out.push_str(&self.eval_at(&interpolation.expr, depth)?);
                }
                // `%{ if }` and `%{ for }` decide at plan time.
                Element::Directive(_) => return None,
            }
        }
        Some(out)
    }

    /// `var.X`, `local.X`, or an attribute of a `google_service_account` of the module.
    fn reference(&self, expr: &Expression, depth: usize) -> Option<String> {
        let path = traversal_path(expr)?;
        match path.as_slice() {
            ["var", name] => self.variables.get(name).cloned().flatten(),
            ["local", name] => self.eval_at(self.locals.get(name)?, depth),
            ["google_service_account", name, attribute] => {
                let block = self.resource("google_service_account", name)?;
                self.service_account_attribute(block, attribute, depth)
            }
            _ => None,
        }
    }

    fn service_account_attribute(
        &self,
        block: &Block,
        attribute: &str,
        depth: usize,
    ) -> Option<String> {
        let account = || self.eval_at(&block.body.get_attribute("account_id")?.value, depth);
        let project = || self.project_of(block, depth);
        let email = || {
            Some(format!(
                "{}@{}.iam.gserviceaccount.com",
                account()?,
                project()?
            ))
        };
        match attribute {
            "account_id" => account(),
            "project" => project(),
            "email" => email(),
            "member" => Some(format!("serviceAccount:{}", email()?)),
            "name" | "id" => Some(format!(
                "projects/{}/serviceAccounts/{}",
                project()?,
                email()?
            )),
            _ => None,
        }
    }

    /// A resource's `project`, else the default provider's.
    fn project_of(&self, block: &Block, depth: usize) -> Option<String> {
        match block.body.get_attribute("project") {
            Some(project) => self.eval_at(&project.value, depth),
            None => self.eval_at(self.provider_project?, depth),
        }
    }

    fn call(&self, call: &FuncCall, depth: usize) -> Option<String> {
        let name = call.name.name.as_str();
        if !call.name.namespace.is_empty() {
            return None;
        }
        let args: Vec<&Expression> = call.args.iter().collect();
        match (name, args.as_slice()) {
            ("lower", [arg]) => Some(self.eval_at(arg, depth)?.to_lowercase()),
            ("upper", [arg]) => Some(self.eval_at(arg, depth)?.to_uppercase()),
            ("join", [separator, list]) => {
                let separator = self.eval_at(separator, depth)?;
                let Expression::Array(items) = list else {
                    return None;
                };
                let items: Option<Vec<String>> =
                    items.iter().map(|item| self.eval_at(item, depth)).collect();
                Some(items?.join(&separator))
            }
            ("format", [spec, rest @ ..]) => {
                let spec = self.eval_at(spec, depth)?;
                let values: Option<Vec<String>> =
                    rest.iter().map(|arg| self.eval_at(arg, depth)).collect();
                format(&spec, &values?)
            }
            _ => None,
        }
    }

    /// The GSA a `service_account_id` names: a `google_service_account` of the module (its
    /// account ID, and its project when stated), or a string that is an e-mail or
    /// `projects/P/serviceAccounts/EMAIL`. `None`: the configuration does not say.
    pub fn gsa_of(&self, expr: &Expression) -> Option<GsaId> {
        if let Some(path) = traversal_path(expr)
            && let ["google_service_account", name, _] = path.as_slice()
        {
            let block = self.resource("google_service_account", name)?;
            let account = self.eval(&block.body.get_attribute("account_id")?.value)?;
            return Some(GsaId {
                account,
                project: self.project_of(block, MAX_DEPTH),
            });
        }
        let value = self.eval(expr)?;
        let email = value.rsplit('/').next().unwrap_or(&value);
        GsaId::from_email(email).or_else(|| {
            Some(GsaId {
                account: email.split('@').next().unwrap_or(email).to_string(),
                project: None,
            })
        })
    }
}

/// `a.b.c` (with `[0]` indexes skipped: a counted resource's instances share their
/// attributes' spelling), as names; `None` for anything else.
pub fn traversal_path(expr: &Expression) -> Option<Vec<&str>> {
    let Expression::Traversal(traversal) = expr else {
        return None;
    };
    let Expression::Variable(root) = &traversal.expr else {
        return None;
    };
    let mut path = vec![root.as_str()];
    for operator in &traversal.operators {
        match operator.value() {
            TraversalOperator::GetAttr(name) => path.push(name.as_str()),
            TraversalOperator::Index(_) | TraversalOperator::LegacyIndex(_) => {}
            _ => return None,
        }
    }
    Some(path)
}

/// Terraform's `format` for the verbs configurations use with strings (`%s`, `%d`, `%v`,
/// `%%`); `None` for any other verb or a count that does not match.
fn format(spec: &str, values: &[String]) -> Option<String> {
    let mut out = String::new();
    let mut values = values.iter();
    let mut chars = spec.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '%' => out.push('%'),
            's' | 'd' | 'v' => out.push_str(values.next()?),
            _ => return None,
        }
    }
    values.next().is_none().then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Body {
        hcl_edit::parser::parse_body(text).expect("valid HCL")
    }

    fn value_of(module: &Module<'_>, body: &Body, name: &str) -> Option<String> {
        let locals = body.get_blocks("locals").next().expect("a locals block");
        module.eval(&locals.body.get_attribute(name).expect("the local").value)
    }

    #[test]
    fn literals_templates_variables_locals_and_functions() {
        let body = parse(
            r#"
variable "project" { default = "acme-prod" }
variable "ns" {}
locals {
  ksa    = "web"
  member = "serviceAccount:${var.project}.svc.id.goog[payments/${local.ksa}]"
  joined = join(":", ["serviceAccount", format("%s.svc.id.goog[%s/%s]", var.project, "a", local.ksa)])
  upper  = lower("ACME")
  broken = "${var.ns}/x"
  cycle  = local.cycle
  chosen = var.env
  dir    = "%{ if true }x%{ endif }"
}
"#,
        );
        let values = parse("env = \"prod\"\n");
        let module = Module::new(&[
            ModuleFile::Configuration(&body),
            ModuleFile::Values {
                body: &values,
                auto: false,
            },
        ]);
        assert_eq!(
            value_of(&module, &body, "member").as_deref(),
            Some("serviceAccount:acme-prod.svc.id.goog[payments/web]")
        );
        assert_eq!(
            value_of(&module, &body, "joined").as_deref(),
            Some("serviceAccount:acme-prod.svc.id.goog[a/web]")
        );
        assert_eq!(value_of(&module, &body, "upper").as_deref(), Some("acme"));
        // No default and no value: unknown, and so is all that uses it.
        assert_eq!(value_of(&module, &body, "broken"), None);
        assert_eq!(value_of(&module, &body, "cycle"), None);
        assert_eq!(value_of(&module, &body, "dir"), None);
        // One environment's file sets it: its value.
        assert_eq!(value_of(&module, &body, "chosen").as_deref(), Some("prod"));
    }

    #[test]
    fn environments_that_disagree_leave_a_variable_unknown() {
        let body = parse("variable \"env\" {}\nlocals { x = var.env }\n");
        let (dev, prod) = (parse("env = \"dev\"\n"), parse("env = \"prod\"\n"));
        let module = Module::new(&[
            ModuleFile::Configuration(&body),
            ModuleFile::Values {
                body: &dev,
                auto: false,
            },
            ModuleFile::Values {
                body: &prod,
                auto: false,
            },
        ]);
        assert_eq!(value_of(&module, &body, "x"), None);
        let auto = parse("env = \"shared\"\n");
        let module = Module::new(&[
            ModuleFile::Configuration(&body),
            ModuleFile::Values {
                body: &auto,
                auto: true,
            },
        ]);
        assert_eq!(value_of(&module, &body, "x").as_deref(), Some("shared"));
    }

    #[test]
    fn service_account_attributes_and_targets() {
        let body = parse(
            r#"
provider "google" { project = "acme-prod" }
resource "google_service_account" "app" { account_id = "app-gsa" }
resource "google_service_account" "other" {
  account_id = "other"
  project    = var.unknown
}
locals {
  email  = google_service_account.app.email
  name   = google_service_account.app[0].name
  member = google_service_account.app.member
  lost   = google_service_account.other.email
}
"#,
        );
        let module = Module::new(&[ModuleFile::Configuration(&body)]);
        assert_eq!(
            value_of(&module, &body, "email").as_deref(),
            Some("app-gsa@acme-prod.iam.gserviceaccount.com")
        );
        assert_eq!(
            value_of(&module, &body, "name").as_deref(),
            Some("projects/acme-prod/serviceAccounts/app-gsa@acme-prod.iam.gserviceaccount.com")
        );
        assert_eq!(
            value_of(&module, &body, "member").as_deref(),
            Some("serviceAccount:app-gsa@acme-prod.iam.gserviceaccount.com")
        );
        assert_eq!(value_of(&module, &body, "lost"), None);
        let target = parse("x = google_service_account.other.name\n");
        let expr = &target.get_attribute("x").expect("x").value;
        assert_eq!(
            module.gsa_of(expr),
            Some(GsaId {
                account: "other".into(),
                project: None
            })
        );
    }

    #[test]
    fn unknown_interpolations_are_spelled_as_written() {
        let body = parse(
            r#"
locals {
  member = "serviceAccount:${var.project_id}.svc.id.goog[payments/${local.ksa}]"
  ksa    = "web"
  none   = "${var.a}${var.b}"
}
"#,
        );
        let module = Module::new(&[ModuleFile::Configuration(&body)]);
        let locals = body.get_blocks("locals").next().expect("locals");
        let expr = |name: &str| &locals.body.get_attribute(name).expect("local").value;
        let (value, unknown) = module.eval_partial(expr("member")).expect("partly known");
        assert_eq!(
            value,
            "serviceAccount:${var.project_id}.svc.id.goog[payments/web]"
        );
        assert_eq!(&value[unknown[0].clone()], "${var.project_id}");
        assert_eq!(module.eval_partial(expr("none")), None);
    }

    #[test]
    fn format_verbs() {
        assert_eq!(
            format("%s-%d%%", &["a".into(), "1".into()]).as_deref(),
            Some("a-1%")
        );
        assert_eq!(format("%s", &[]), None);
        assert_eq!(format("%q", &["a".into()]), None);
        assert_eq!(format("x", &["extra".into()]), None);
    }
}
