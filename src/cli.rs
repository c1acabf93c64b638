//! The command line: argument parsing (clap derive), and running a command to an exit code.
//! Exit codes: 0 nothing at or above `--fail-on`; 1 findings at or above it; 2 usage error,
//! unreadable input, or failure to write output.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::{
    BufferedStandardStream, ColorChoice, NoColor, WriteColor,
};
use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::iter::{IntoParallelIterator, ParallelIterator};

use std::sync::Arc;

use crate::baseline::Baseline;
use crate::config::{Config, FailOn, Overrides, Resolver};
use crate::discover;
use crate::engine::{self, Configs, Input, Options, Prescan, Report};
use crate::output;
use crate::registry::{self, RULES};

#[derive(Debug, Parser)]
#[command(
    name = "wilint",
    version,
    about = "Finds GKE Workload Identity mistakes in Kubernetes manifests, Helm charts, Terraform, shell scripts and Markdown guides",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint manifests, Terraform, scripts and guides (files, directories, or `-` for standard input).
    Check(CheckArgs),
    /// Record today's findings in a baseline file, so that `check --baseline` reports only
    /// new ones.
    Baseline(BaselineArgs),
    /// List every rule: code, name, default severity and summary.
    Rules,
    /// Explain one rule, by code (WI040) or name (hostnetwork-pod-with-wi).
    Rule {
        /// The rule's code or name.
        rule: String,
    },
    /// Print a shell completion script: `wilint completions bash > /etc/bash_completion.d/wilint`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `wilint man > wilint.1`.
    Man,
}

/// What to lint and how: shared by `check` and `baseline`.
#[derive(Debug, Args)]
// Independent command-line switches, not a state machine.
#[allow(clippy::struct_excessive_bools)]
pub struct InputArgs {
    /// Files or directories to lint; `-` reads standard input. Default: the current directory
    /// (unless `--helm` or `--kustomize` names what to lint).
    pub paths: Vec<PathBuf>,

    /// The name to show for standard input in diagnostics.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,

    /// Use this configuration file for every input (instead of each file's closest
    /// `wilint.toml` or `.wilint.toml`).
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,

    /// Ignore every configuration file.
    #[arg(long)]
    pub isolated: bool,

    /// Run only these rules (codes, names, prefixes like `WI04`, or `ALL`; comma-separated).
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub select: Option<Vec<String>>,

    /// Do not run these rules (comma-separated; added to the configuration's `ignore`).
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// Override a configuration key, as TOML: `--config-option 'project-id = "acme-prod"'`
    /// (repeatable).
    #[arg(long, value_name = "KEY=VALUE")]
    pub config_option: Vec<String>,

    /// Skip paths matching GLOB during directory walks (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Apply `--exclude` and the configuration's `exclude` to files named on the command line
    /// too (what pre-commit needs: it names every staged file).
    #[arg(long)]
    pub force_exclude: bool,

    /// Index every manifest under DIR, so that cross-object rules see the whole repository,
    /// but report only the files named on the command line.
    #[arg(long, value_name = "DIR")]
    pub project_root: Option<PathBuf>,

    #[command(flatten)]
    pub render: RenderArgs,

    /// The namespace that namespace-less objects are applied into (`kubectl apply -n`).
    #[arg(long, value_name = "NS")]
    pub default_namespace: Option<String>,

    /// Files larger than this many bytes are reported (WI000) instead of parsed.
    #[arg(long, value_name = "BYTES", default_value_t = 256 * 1024 * 1024)]
    pub max_file_size: u64,

    /// Do not parse documents whose text shows that no rule reads them (custom resource
    /// definitions, config maps, services… without Workload Identity content): slightly faster
    /// (by default they are only validated, cheaply), but a YAML syntax error inside such a
    /// document is no longer reported.
    #[arg(long)]
    pub skip_irrelevant: bool,

    /// Build the tree of every document, even those no rule can use (for benchmarks and
    /// for checking the pre-scan; the findings are the same).
    #[arg(long, hide = true)]
    pub no_prescan: bool,

    /// Keep every workload's tree until the end instead of checking and dropping each as it is
    /// parsed (for benchmarks and for checking streaming; the findings are the same).
    #[arg(long, hide = true)]
    pub no_stream: bool,

    /// Number of threads (default: one per core).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
}

/// Charts and kustomizations to render and lint.
#[derive(Debug, Args)]
#[command(next_help_heading = "Rendering")]
pub struct RenderArgs {
    /// Render this Helm chart with `helm template` and lint the result (repeatable; the
    /// `helm` on PATH, or `$WILINT_HELM`).
    #[arg(long, value_name = "CHART_DIR")]
    pub helm: Vec<PathBuf>,

    /// Render charts met during directory walks instead of skipping their templates.
    #[arg(long)]
    pub helm_auto: bool,

    /// Values file for `--helm` (repeatable, in order).
    #[arg(long, value_name = "FILE")]
    pub values: Vec<PathBuf>,

    /// Value for `--helm`, as `helm --set K=V` (repeatable).
    #[arg(long, value_name = "K=V")]
    pub set: Vec<String>,

    /// Release namespace for `--helm`.
    #[arg(long, value_name = "NS")]
    pub namespace: Option<String>,

    /// Release name for `--helm`.
    #[arg(long, value_name = "NAME", default_value = "release-name")]
    pub release: String,

    /// Build this kustomization (`kubectl kustomize`, `kustomize build`, or
    /// `$WILINT_KUSTOMIZE build`) and lint the result (repeatable).
    #[arg(long, value_name = "DIR")]
    pub kustomize: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Write the output to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Exit with 1 when a finding is at or above this severity [default: the configuration's
    /// `fail-on`, else warning].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,

    /// Exit with 0 even when there are findings (2 still means an error).
    #[arg(long)]
    pub exit_zero: bool,

    /// Report only findings that are not in this baseline file (see `wilint baseline`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// When to use colour (`NO_COLOR` is honoured by `auto`).
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,

    /// Print findings only: no summary line, no notes.
    #[arg(short, long)]
    pub quiet: bool,

    /// Also write SARIF 2.1.0 to FILE (for GitHub code scanning), whatever `--format` is.
    #[arg(long, value_name = "FILE")]
    pub sarif_file: Option<PathBuf>,

    /// Also write the markdown summary to FILE (e.g. `"$GITHUB_STEP_SUMMARY"`; appended to).
    #[arg(long, value_name = "FILE")]
    pub summary_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BaselineArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Where to write the baseline.
    #[arg(
        short,
        long,
        value_name = "FILE",
        default_value = ".wilint-baseline.json"
    )]
    pub output: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Pretty diagnostics pointing at the YAML node, with a summary.
    Human,
    /// One line per finding: `path:line:col: severity[CODE] message`.
    Concise,
    /// A JSON document (schema in the README).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub workflow commands: annotations on the pull request.
    Github,
    /// A markdown report with a findings table and the identity graph.
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Check(args) => check(&args),
        Command::Baseline(args) => baseline(&args),
        Command::Rules => print_stdout(&rules_table()),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "wilint", &mut script);
            print_stdout(&String::from_utf8_lossy(&script))
        }
        Command::Man => {
            let mut page = Vec::new();
            match clap_mangen::Man::new(Cli::command()).render(&mut page) {
                Ok(()) => print_stdout(&String::from_utf8_lossy(&page)),
                Err(error) => {
                    report_error(&format!("cannot render the man page: {error}"));
                    ExitCode::from(2)
                }
            }
        }
        Command::Rule { rule } => match rule_docs(&rule) {
            Ok(text) => print_stdout(&text),
            Err(message) => {
                report_error(&message);
                ExitCode::from(2)
            }
        },
    }
}

/// The `wilint rules` table.
pub fn rules_table() -> String {
    let mut out = String::new();
    let name_width = RULES.iter().map(|r| r.meta().name.len()).max().unwrap_or(0);
    for rule in RULES {
        let meta = rule.meta();
        let default = if meta.enabled_by_default {
            ""
        } else {
            " (off by default)"
        };
        let _ = writeln!(
            out,
            "{}  {:<name_width$}  {:<7}  {}{default}",
            meta.code,
            meta.name,
            meta.default_severity.to_string(),
            meta.summary
        );
    }
    out
}

/// The `wilint rule CODE` text, or an error with a suggestion.
pub fn rule_docs(code_or_name: &str) -> Result<String, String> {
    match registry::find_meta(code_or_name) {
        Some(meta) => Ok(format!(
            "# {} ({})\n\nDefault severity: {}.\n\n{}",
            meta.name,
            meta.code,
            meta.default_severity,
            meta.docs.trim_end()
        ) + "\n"),
        None => Err(match registry::suggest(code_or_name) {
            Some(suggestion) => {
                format!("unknown rule `{code_or_name}`; did you mean `{suggestion}`?")
            }
            None => format!("unknown rule `{code_or_name}`; `wilint rules` lists them all"),
        }),
    }
}

/// Finds and lints the inputs. Errors that stop the run (a bad configuration, a bad glob)
/// are reported here and returned as `Err(exit code)`.
/// `shows_source`: the output shows source lines (the human format), so the files with
/// findings are read again whole, not only for their findings' lines and columns.
fn lint(
    input: &InputArgs,
    baseline: Option<Arc<Baseline>>,
    shows_source: bool,
) -> Result<(Report, Arc<Config>), ExitCode> {
    let timer = engine::Timer::start();
    let fail = |message: &str| {
        report_error(message);
        ExitCode::from(2)
    };
    if let Some(threads) = input.threads {
        if threads == 0 {
            return Err(fail("--threads must be at least 1"));
        }
        // Only fails if a pool exists already, which cannot happen in the binary.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global();
    }
    let exclude = build_globs(&input.exclude).map_err(|m| fail(&m))?;
    let overrides = Overrides {
        select: input.select.clone(),
        ignore: input.ignore.clone(),
        options: input.config_option.clone(),
        default_namespace: input.default_namespace.clone(),
    };
    let resolver = Resolver::new(input.config.as_deref(), input.isolated, overrides)
        .map_err(|m| fail(&format!("invalid configuration: {m}")))?;
    // The configuration of the working directory decides run-wide settings (fail-on), and
    // is checked first so that a broken file stops the run with its own message.
    let root_config = resolver
        .for_path(None)
        .map_err(|m| fail(&format!("invalid configuration: {m}")))?;
    let resolver = Arc::new(resolver);

    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    let mut notices = Vec::new();
    let render = &input.render;
    let default_paths = [PathBuf::from(".")];
    let paths: &[PathBuf] =
        if input.paths.is_empty() && render.helm.is_empty() && render.kustomize.is_empty() {
            &default_paths
        } else {
            &input.paths
        };
    let (stdin_paths, disk_paths): (Vec<&PathBuf>, Vec<&PathBuf>) =
        paths.iter().partition(|p| p.as_os_str() == "-");
    if !stdin_paths.is_empty() {
        let mut bytes = Vec::new();
        if let Err(error) = io::stdin().lock().read_to_end(&mut bytes) {
            return Err(fail(&format!("<stdin>: {error}")));
        }
        let name = input
            .stdin_filename
            .clone()
            .unwrap_or_else(|| "<stdin>".to_string());
        inputs.push(Input::Stdin { name, bytes });
    }
    let disk_paths: Vec<PathBuf> = disk_paths.into_iter().cloned().collect();
    if !disk_paths.is_empty() {
        let mut found = discover::discover(&disk_paths, &exclude);
        // A file named explicitly is linted (unless --force-exclude); walked files honour
        // each configuration's `exclude`.
        // In parallel: resolving each file's configuration is a few microseconds per file.
        found.files = std::mem::take(&mut found.files)
            .into_par_iter()
            .filter(|file| {
                let named = disk_paths.contains(file);
                let excluded = || {
                    discover::is_excluded(file, &exclude)
                        || resolver
                            .for_path(Some(file))
                            .is_ok_and(|config| config.excludes(file))
                };
                if named && !input.force_exclude {
                    true
                } else {
                    !excluded()
                }
            })
            .collect();
        for chart in &found.charts {
            if render.helm_auto {
                inputs.push(helm_input(render, chart).map_err(|m| fail(&m))?);
            } else {
                let templated = found.templated.iter().filter(|(of, _)| of == chart).count();
                let skipped = match templated {
                    0 => "its unrendered templates/".to_string(),
                    1 => "its unrendered templates/ and 1 templated file outside it".to_string(),
                    n => format!("its unrendered templates/ and {n} templated files outside it"),
                };
                let chart = chart.display();
                notices.push(discover::Notice {
                    path: chart.to_string(),
                    message: format!(
                        "Helm chart: skipped {skipped}; lint it rendered with `wilint check --helm {chart}` (or `--helm-auto`), or `helm template {chart} | wilint check -`"
                    ),
                });
            }
        }
        if render.kustomize.is_empty() {
            for dir in &found.kustomizations {
                let dir = dir.display();
                notices.push(discover::Notice {
                    path: dir.to_string(),
                    message: format!(
                        "kustomization: its files are linted as written, without its patches and namespace; lint what it builds with `wilint check --kustomize {dir}`"
                    ),
                });
            }
        }
        inputs.extend(found.files.into_iter().map(Input::File));
        errors.extend(found.errors);
        notices.extend(found.notices);
    }
    for chart in &render.helm {
        inputs.push(helm_input(render, chart).map_err(|m| fail(&m))?);
    }
    for dir in &render.kustomize {
        inputs.push(crate::render::kustomize_build(dir).map_err(|m| fail(&m))?);
    }
    // With --project-root, the rest of the repository is context: indexed, not reported.
    let reported = match &input.project_root {
        None => None,
        Some(root) => {
            let named: HashSet<PathBuf> = inputs
                .iter()
                .filter_map(|i| match i {
                    Input::File(path) => Some(crate::paths::absolute(path)),
                    Input::Stdin { .. } | Input::Rendered { .. } => None,
                })
                .collect();
            let context = discover::discover(std::slice::from_ref(root), &exclude);
            notices.extend(context.errors.into_iter().map(context_only));
            for file in context.files {
                let excluded = resolver
                    .for_path(Some(&file))
                    .is_ok_and(|config| config.excludes(&file));
                if !excluded && !named.contains(&crate::paths::absolute(&file)) {
                    inputs.push(Input::File(file));
                }
            }
            Some(named)
        }
    };

    let options = Options {
        configs: Configs::Discovered(resolver),
        max_file_size: input.max_file_size,
        prescan: if input.no_prescan {
            Prescan::Off
        } else if input.skip_irrelevant {
            Prescan::SkipIrrelevant
        } else {
            Prescan::On
        },
        stream: !input.no_stream,
        baseline,
        shows_source,
        ..Options::default()
    };
    timer.lap("discover and configure");
    let mut report = engine::run(inputs, &options);
    if let Some(named) = reported {
        report_only(&mut report, &named);
    }
    report.errors.splice(0..0, errors);
    report.notices.splice(0..0, notices);
    Ok((report, root_config))
}

/// Keeps the findings of the named files (and of standard input and rendered charts): the
/// other files were only context for cross-object rules.
fn report_only(report: &mut Report, named: &HashSet<PathBuf>) {
    let is_named = |file: &crate::source::SourceFile| {
        file.path
            .as_ref()
            .is_none_or(|path| named.contains(&crate::paths::absolute(path)))
    };
    report.context_files = report
        .files
        .iter()
        .filter(|(id, file)| !is_named(file) && !report.landed_files.contains(id))
        .map(|(id, _)| id)
        .collect();
    let context = &report.context_files;
    report
        .diagnostics
        .retain(|d| !context.contains(&d.primary.span.file));
    report
        .suppressed
        .retain(|(d, _)| !context.contains(&d.primary.span.file));
    // A context file that cannot be read (or has a bad configuration) must not fail a commit
    // of other files: say so, as a note. One that changed while wilint read it stays an error:
    // the named files' findings may depend on it (run again).
    let changed: HashSet<&str> = report
        .changed_files
        .iter()
        .map(|&id| report.files.get(id).name.as_str())
        .collect();
    let (context, own): (Vec<_>, Vec<_>) = std::mem::take(&mut report.errors)
        .into_iter()
        .partition(|e| {
            let path = Path::new(&e.path);
            path.exists()
                && !named.contains(&crate::paths::absolute(path))
                && !changed.contains(e.path.as_str())
        });
    report.errors = own;
    report.notices.extend(context.into_iter().map(context_only));
}

/// An error about a `--project-root` context file, demoted to a note.
fn context_only(error: discover::Notice) -> discover::Notice {
    discover::Notice {
        message: format!("(context only, not reported) {}", error.message),
        ..error
    }
}

fn helm_input(render: &RenderArgs, chart: &Path) -> Result<Input, String> {
    crate::render::helm_template(&crate::render::HelmRequest {
        chart,
        release: &render.release,
        namespace: render.namespace.as_deref(),
        values: &render.values,
        set: &render.set,
    })
}

fn print_notices_and_errors(report: &Report, quiet: bool) {
    if !quiet {
        for notice in &report.notices {
            report_note(&format!("{}: {}", notice.path, notice.message));
        }
        if let Some(fixed) = report.baseline_fixed.filter(|n| *n > 0) {
            report_note(&format!(
                "{fixed} baseline {} (fixed); run `wilint baseline` to shrink the file",
                if fixed == 1 {
                    "entry no longer matches"
                } else {
                    "entries no longer match"
                }
            ));
        }
    }
    for error in &report.errors {
        report_error(&format!("{}: {}", error.path, error.message));
    }
}

fn baseline(args: &BaselineArgs) -> ExitCode {
    let (report, _) = match lint(&args.input, None, false) {
        Ok(found) => found,
        Err(code) => return code,
    };
    print_notices_and_errors(&report, false);
    let text = crate::baseline::render(&report.files, &report.diagnostics);
    if let Err(e) = write_atomically(&args.output, text.as_bytes()) {
        report_error(&format!("cannot write {}: {e}", args.output.display()));
        return ExitCode::from(2);
    }
    report_note(&format!(
        "recorded {} in {}",
        if report.diagnostics.len() == 1 {
            "1 finding".to_string()
        } else {
            format!("{} findings", report.diagnostics.len())
        },
        args.output.display()
    ));
    if report.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

fn check(args: &CheckArgs) -> ExitCode {
    let started = Instant::now();
    let baseline = match &args.baseline {
        Some(path) => match Baseline::load(path) {
            Ok(baseline) => Some(Arc::new(baseline)),
            Err(message) => {
                report_error(&message);
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    let shows_source = matches!(args.format, Format::Human);
    let (report, root_config) = match lint(&args.input, baseline, shows_source) {
        Ok(found) => found,
        Err(code) => return code,
    };
    let timer = engine::Timer::start();
    print_notices_and_errors(&report, args.quiet);

    let fail_on = args
        .fail_on
        .or(root_config.fail_on)
        .unwrap_or(FailOn::Warning);
    let code = match exit_code(&report, fail_on) {
        1 if args.exit_zero => 0,
        code => code,
    };
    let elapsed = started.elapsed();
    if let Some(path) = &args.sarif_file {
        let mut buffer = Vec::new();
        let written = output::sarif::write(&mut buffer, &report, code_number(code))
            .and_then(|()| write_atomically(path, &buffer));
        if let Err(e) = written {
            report_error(&format!("cannot write {}: {e}", path.display()));
            return ExitCode::from(2);
        }
    }
    if let Some(path) = &args.summary_file {
        let mut buffer = Vec::new();
        let written =
            output::markdown::write(&mut buffer, &report).and_then(|()| append(path, &buffer));
        if let Err(e) = written {
            report_error(&format!("cannot write {}: {e}", path.display()));
            return ExitCode::from(2);
        }
    }
    let written = if let Some(path) = &args.output {
        let mut buffer = NoColor::new(Vec::new());
        render(args, &report, &mut buffer, Some(elapsed), code)
            .and_then(|()| write_atomically(path, &buffer.into_inner()))
            .map_err(|e| format!("{}: {e}", path.display()))
    } else {
        // Buffered: JSON and SARIF are written token by token.
        let mut stdout = BufferedStandardStream::stdout(color_choice(args.color));
        render(args, &report, &mut stdout, Some(elapsed), code)
            .and_then(|()| stdout.flush())
            .map_err(|e| e.to_string())
    };
    match written {
        Ok(()) => {}
        // A closed pipe (`wilint check | head -1`) is the reader's choice, not an error.
        Err(message) if message.contains("Broken pipe") => {}
        Err(message) => {
            report_error(&format!("cannot write output: {message}"));
            return ExitCode::from(2);
        }
    }
    timer.lap("output");
    ExitCode::from(code)
}

fn render(
    args: &CheckArgs,
    report: &Report,
    writer: &mut dyn WriteColor,
    elapsed: Option<std::time::Duration>,
    code: u8,
) -> io::Result<()> {
    match args.format {
        Format::Human => {
            if args.quiet {
                for diagnostic in &report.diagnostics {
                    output::human::emit(writer, &report.files, diagnostic)?;
                }
                Ok(())
            } else {
                output::human::write(writer, report, elapsed)
            }
        }
        Format::Concise => output::concise::write(writer, report),
        Format::Json => output::json::write(writer, report),
        Format::Sarif => output::sarif::write(writer, report, code_number(code)),
        Format::Github => output::github::write(writer, report),
        Format::Markdown => output::markdown::write(writer, report),
    }
}

/// 2 when an input could not be read; else 1 when a finding reaches the threshold; else 0.
pub fn exit_code(report: &Report, fail_on: FailOn) -> u8 {
    if !report.errors.is_empty() {
        return 2;
    }
    let failed = fail_on
        .threshold()
        .is_some_and(|t| report.diagnostics.iter().any(|d| d.severity >= t));
    u8::from(failed)
}

fn code_number(code: u8) -> i32 {
    i32::from(code)
}

/// Appends to a file (the job summary file is shared by every step of a job).
fn append(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(bytes)
}

fn build_globs(patterns: &[String]) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = Glob::new(pattern).map_err(|e| format!("invalid --exclude glob: {e}"))?;
        builder.add(glob);
    }
    builder
        .build()
        .map_err(|e| format!("invalid --exclude glob: {e}"))
}

fn color_choice(when: ColorWhen) -> ColorChoice {
    match when {
        ColorWhen::Always => ColorChoice::Always,
        ColorWhen::Never => ColorChoice::Never,
        ColorWhen::Auto => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            if no_color || !io::stdout().is_terminal() {
                ColorChoice::Never
            } else {
                ColorChoice::Auto
            }
        }
    }
}

/// Writes to a temporary file beside `path`, then renames it over `path`, so that a failed
/// write (full disk) never leaves a truncated file that looks complete.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    // A device or a pipe (`-o /dev/null`, `/dev/stdout`, a FIFO) is written in place: renaming
    // over it would replace the device node with a regular file.
    if std::fs::metadata(path).is_ok_and(|meta| !meta.is_file()) {
        let mut file = std::fs::OpenOptions::new().write(true).open(path)?;
        return file.write_all(bytes).and_then(|()| file.flush());
    }
    // Through a symbolic link, replace the file it points at and keep the link.
    let resolved;
    let path = if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        resolved = path.canonicalize()?;
        resolved.as_path()
    } else {
        path
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .ok_or_else(|| io::Error::other("not a file name"))?;
    let temporary = dir.join(format!(
        ".{}.wilint-{}.tmp",
        file_name.to_string_lossy(),
        std::process::id()
    ));
    let result = std::fs::File::create(&temporary)
        .and_then(|mut file| {
            file.write_all(bytes)?;
            file.sync_all()
        })
        .and_then(|()| std::fs::rename(&temporary, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

#[allow(clippy::print_stderr)]
fn report_error(message: &str) {
    eprintln!("error: {message}");
}

#[allow(clippy::print_stderr)]
fn report_note(message: &str) {
    eprintln!("note: {message}");
}

fn print_stdout(text: &str) -> ExitCode {
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            report_error(&format!("cannot write output: {e}"));
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::Notice;
    use crate::source::SourceFile;

    /// Found in review: a `--project-root` context file that changed while wilint read it
    /// dropped a named file's finding (one with a label in it), and its error became a note,
    /// so the run passed. It stays an error; one that only cannot be read becomes a note.
    #[test]
    fn a_context_file_that_changed_stays_an_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut report = Report::default();
        for name in ["named.yaml", "changed.yaml", "unreadable.yaml"] {
            let path = dir.path().join(name);
            std::fs::write(&path, "kind: Pod\n").expect("write");
            let shown = path.display().to_string();
            let id = report
                .files
                .add(SourceFile::new(shown.clone(), Some(path), String::new()));
            if name != "named.yaml" {
                report.errors.push(Notice {
                    path: shown,
                    message: "trouble".to_string(),
                });
            }
            if name == "changed.yaml" {
                report.changed_files.insert(id);
            }
        }
        let named: HashSet<PathBuf> = [crate::paths::absolute(&dir.path().join("named.yaml"))]
            .into_iter()
            .collect();
        report_only(&mut report, &named);
        let errors: Vec<&str> = report.errors.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].ends_with("changed.yaml"), "{errors:?}");
        assert_eq!(report.notices.len(), 1);
        assert!(report.notices[0].path.ends_with("unreadable.yaml"));
    }
}
