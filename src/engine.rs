//! One lint run, in two phases: (1) read, split and parse every document in parallel, build
//! the objects and the index of the whole run; (2) run every rule on every object in parallel.
//! Diagnostics are then sorted, so output never depends on the thread count.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::baseline::Baseline;
use crate::config::{Config, Overrides, Resolver};
use crate::diagnostic::{Diagnostic, FileId, Label, Span};
use crate::discover::Notice;
use crate::facts::{Fact, FactCounts, FactSet};
use crate::graph::{self, IdentityGraph};
use crate::index::Index;
use crate::model::{DocumentPos, Object};
use crate::prescan;
pub use crate::read::Input;
use crate::read::{self, Loaded};
use crate::registry::{self, Context, Rule};
pub use crate::report::{Report, Streaming};
use crate::rules::wi000_invalid_yaml;
use crate::source::{self, Files, SourceFile};
use crate::sources::{self, shell, terraform};
use crate::sparse;
use crate::suppress::{self, Suppressed, Suppression};
use crate::yaml::{self, Limits};

/// Which configuration each file gets.
#[derive(Debug, Clone)]
pub enum Configs {
    /// One configuration for every file.
    Fixed(Arc<Config>),
    /// Each file's closest `wilint.toml` (see [`Resolver`]).
    Discovered(Arc<Resolver>),
}

impl Configs {
    fn for_path(&self, path: Option<&Path>) -> Result<Arc<Config>, String> {
        match self {
            Configs::Fixed(config) => Ok(Arc::clone(config)),
            Configs::Discovered(resolver) => resolver.for_path(path),
        }
    }
}

/// How much parsing the pre-scan saves on documents no rule reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prescan {
    /// Documents no rule reads get no tree, only a syntax check by the line reader or the
    /// event parser (the default: the findings are those of `Off`).
    On,
    /// Documents whose text alone shows that no rule reads them are not parsed at all, so a
    /// syntax error inside one is not reported (`--skip-irrelevant`).
    SkipIrrelevant,
    /// Every document gets its tree (the hidden `--no-prescan`, to prove that the pre-scan
    /// changes no finding).
    Off,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub configs: Configs,
    pub limits: Limits,
    /// Files larger than this are reported (WI000) and not parsed.
    pub max_file_size: u64,
    /// Findings recorded here are not reported (`--baseline`).
    pub baseline: Option<Arc<Baseline>>,
    /// The date suppressions' `until=` is compared with.
    pub today: suppress::Date,
    /// Rules run in addition to the built-in ones, whatever the configuration (tests use
    /// this to prove that a failing rule is contained).
    pub extra_rules: Vec<&'static dyn Rule>,
    /// What the pre-scan skips (see [`crate::prescan`]).
    pub prescan: Prescan,
    /// Stream the workloads: check each as it is parsed and drop its tree (the default;
    /// the hidden `--no-stream` keeps every tree, to prove that the findings are the same).
    pub stream: bool,
    /// The output shows source lines (the human format): the sparse files with findings are
    /// read again whole. Otherwise only their findings' lines and columns are kept, one file
    /// in memory at a time (see [`crate::sparse`]).
    pub shows_source: bool,
}

impl Default for Options {
    fn default() -> Self {
        let root = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        Options {
            configs: Configs::Fixed(Arc::new(
                Config::defaults(root, &Overrides::default())
                    .unwrap_or_else(|e| unreachable!("the default configuration is valid: {e}")),
            )),
            limits: Limits::default(),
            max_file_size: 256 * 1024 * 1024,
            baseline: None,
            today: suppress::today(),
            extra_rules: Vec::new(),
            prescan: Prescan::On,
            stream: true,
            shows_source: true,
        }
    }
}

impl Options {
    /// Options with one configuration for every file.
    pub fn with_config(config: Config) -> Self {
        Options {
            configs: Configs::Fixed(Arc::new(config)),
            ..Options::default()
        }
    }
}

pub fn run(inputs: Vec<Input>, options: &Options) -> Report {
    let mut report = Report::default();
    let timer = Timer::start();
    let loaded: Vec<Result<Loaded, Notice>> = inputs
        .into_par_iter()
        .map(|input| {
            read::load_input(input, options.max_file_size).map(|loaded| match options.prescan {
                // The pre-scan knows YAML: a Terraform file or a script is kept whole.
                _ if !sources::is_yaml(&loaded.file) => loaded,
                Prescan::On => prescan_file(loaded, options.limits, false, options.stream),
                Prescan::SkipIrrelevant => {
                    prescan_file(loaded, options.limits, true, options.stream)
                }
                Prescan::Off => loaded,
            })
        })
        .collect();
    timer.lap("  read and pre-scan");
    let mut diagnostics = Vec::new();
    let root = crate::paths::source_root();
    for item in loaded {
        match item {
            Ok(mut loaded) => {
                loaded.file.key = key_path(&loaded.file, &root);
                let id = report.files.add(loaded.file);
                if let Some(problem) = loaded.problem {
                    diagnostics.push(problem.into_diagnostic(id));
                }
            }
            Err(error) => report.errors.push(error),
        }
    }
    let configs: Vec<Arc<Config>> = report
        .files
        .iter()
        .map(|(_, file)| {
            options
                .configs
                .for_path(file.path.as_deref())
                .unwrap_or_else(|message| {
                    report.errors.push(Notice {
                        path: file.name.clone(),
                        message: format!("invalid configuration: {message}"),
                    });
                    Arc::new(
                        Config::defaults(PathBuf::from("."), &Overrides::default()).unwrap_or_else(
                            |e| unreachable!("the default configuration is valid: {e}"),
                        ),
                    )
                })
        })
        .collect();
    let configs = with_guide_placeholders(&report.files, configs);
    timer.lap("  file keys and configurations");
    let mut unparsable = vec![false; report.files.len()];
    for d in &diagnostics {
        unparsable[d.primary.span.file] = true;
    }
    timer.lap("read, decode and pre-scan");
    let analysis = analyze(&report.files, &configs, &unparsable, options);
    timer.lap("parse, index and rules");
    report.graph = analysis.graph;
    report.streaming = analysis.streaming;
    report.enabled_rules = analysis.enabled_rules;
    report.errors.extend(analysis.errors);
    report.changed_files.extend(analysis.changed_files);
    report.file_documents = analysis.documents;
    diagnostics.extend(analysis.diagnostics);

    let mut suppressions = analysis.suppressions;
    suppressions.extend(suppress::from_comments(&report.files));
    suppressions.sort_by_key(|s| (s.file, s.span.start));
    let mut suppressed = Vec::new();
    let own = suppress::apply(
        &report.files,
        &mut suppressions,
        &mut diagnostics,
        &mut suppressed,
        options.today,
    );
    diagnostics.extend(own.into_iter().filter(|d| {
        let config = &configs[d.primary.span.file];
        config.is_enabled_for(
            d.rule.code,
            report.files.get(d.primary.span.file).path.as_deref(),
        )
    }));
    // Before the baseline, whose fingerprints name the file a finding lands on.
    let landed = crate::landing::land(
        &mut report.files,
        diagnostics
            .iter_mut()
            .chain(suppressed.iter_mut().map(|(d, _)| d)),
        options.max_file_size,
    );
    for &id in &landed {
        let key = key_path(report.files.get(id), &root);
        report.files.get_mut(id).key = key;
    }
    report.landed_files = landed;
    if let Some(baseline) = &options.baseline {
        // The baseline matches findings that share a fingerprint in the order it sees them:
        // input order, whatever order the phases produced them in (streamed workloads' first).
        diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let (kept, matched, fixed) = baseline.filter(&report.files, diagnostics);
        diagnostics = kept;
        suppressed.extend(matched);
        report.baseline_fixed = Some(fixed);
    }

    timer.lap("suppressions and baseline");
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup_by(|a, b| a.sort_key() == b.sort_key());
    suppressed.sort_by(|a, b| a.0.sort_key().cmp(&b.0.sort_key()));
    read_files_shown(
        &mut report,
        &mut diagnostics,
        &mut suppressed,
        options.shows_source,
    );
    timer.lap("files with findings read again");
    report.diagnostics = diagnostics;
    report.suppressed = suppressed;
    report
}

/// Output shows the lines and columns of findings (and, with `whole`, their source lines): the
/// sparse files they are in are read again (see [`crate::sparse`]). The findings in a file
/// that changed since cannot be shown: they are dropped, with an error that says why.
fn read_files_shown(
    report: &mut Report,
    diagnostics: &mut Vec<Diagnostic>,
    suppressed: &mut Vec<(Diagnostic, Suppressed)>,
    whole: bool,
) {
    let mut shown: std::collections::BTreeMap<FileId, Vec<usize>> =
        std::collections::BTreeMap::new();
    for d in diagnostics.iter().chain(suppressed.iter().map(|(d, _)| d)) {
        for label in d.labels() {
            let offsets = shown.entry(label.span.file).or_default();
            offsets.extend([label.span.start, label.span.end]);
        }
    }
    let changed = report.files.read_again(&shown, whole);
    if changed.is_empty() {
        return;
    }
    for (id, message) in &changed {
        report.changed_files.insert(*id);
        report.errors.push(Notice {
            path: report.files.get(*id).name.clone(),
            message: format!("{message}; its findings are not shown"),
        });
    }
    let shows_changed = |d: &Diagnostic| {
        d.labels()
            .any(|l| changed.iter().any(|(id, _)| *id == l.span.file))
    };
    diagnostics.retain(|d| !shows_changed(d));
    suppressed.retain(|(d, _)| !shows_changed(d));
}

/// Phase timings on standard error when `WILINT_TIMINGS` is set (for benchmarks).
pub(crate) struct Timer(Option<std::cell::Cell<std::time::Instant>>);

impl Timer {
    pub(crate) fn start() -> Self {
        Timer(
            std::env::var_os("WILINT_TIMINGS")
                .map(|_| std::cell::Cell::new(std::time::Instant::now())),
        )
    }

    #[allow(clippy::print_stderr)]
    pub(crate) fn lap(&self, what: &str) {
        if let Some(last) = &self.0 {
            let now = std::time::Instant::now();
            eprintln!(
                "timing: {what}: {:.3} s{}",
                (now - last.get()).as_secs_f64(),
                memory_now()
            );
            last.set(now);
        }
    }
}

/// The resident memory now and at its peak so far, where the system says (Linux), to see which
/// phase holds the memory.
fn memory_now() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.trim().strip_suffix(" kB"))
            .and_then(|kb| kb.trim().parse::<u64>().ok())
            .map_or_else(|| "?".to_string(), |kb| (kb / 1024).to_string())
    };
    format!(
        " (RSS {} MiB, peak {} MiB)",
        field("VmRSS:"),
        field("VmHWM:")
    )
}

/// A file's path relative to the repository root, the stable part of fingerprints.
fn key_path(file: &SourceFile, root: &Path) -> String {
    file.path
        .as_ref()
        .map(|p| crate::paths::absolute(p))
        .and_then(|p| {
            p.strip_prefix(root)
                .ok()
                .map(|r| r.to_string_lossy().replace('\\', "/"))
        })
        .unwrap_or_else(|| file.name.clone())
}

/// What [`analyze`] found.
struct Analysis {
    enabled_rules: std::collections::BTreeSet<&'static str>,
    diagnostics: Vec<Diagnostic>,
    /// Documents linted in each file (parsed, validated or skipped by the pre-scan).
    documents: Vec<usize>,
    graph: IdentityGraph,
    /// The `wilint.dev/ignore` annotations of the objects.
    suppressions: Vec<Suppression>,
    /// Rules that panicked, and files that changed before they were read again, as errors
    /// (exit code 2).
    errors: Vec<Notice>,
    /// The files that changed before they were read again.
    changed_files: Vec<FileId>,
    streaming: Streaming,
}

/// What a rule's panic said.
fn panic_message(payload: &Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

/// An internal error: rule `code` failed on an object (it panicked, saying `what`, or it read
/// what a streamed run no longer holds).
fn internal_error(object: &Object<'_>, code: &str, what: &str, files: &Files) -> Notice {
    let span = object.span(object.anchor());
    let line = object.doc.line_of(span.start);
    let at = format!("{}:{line}", files.get(span.file).name);
    internal_error_at(at, code, &object.display(), what)
}

/// The notice of a rule that panicked on `subject` (an object or a fact) at `at`
/// (`path:line`).
fn internal_error_at(at: String, code: &str, subject: &str, what: &str) -> Notice {
    Notice {
        path: at,
        message: format!(
            "internal error: rule {code} failed on {subject} ({what}); the other rules and documents were still linted. Please report this bug."
        ),
    }
}

/// Parses every document of `files` (except `skip`), builds the index and runs the rules each
/// file's configuration enables.
fn analyze(files: &Files, configs: &[Arc<Config>], skip: &[bool], options: &Options) -> Analysis {
    let timer = Timer::start();
    let places = file_places(files, configs);
    timer.lap("  clusters and apply units");
    let terraform = terraform::lower(files, |id| {
        let place = &places[id];
        (place.cluster, place.unit)
    });
    timer.lap("  terraform");
    let commands = shell::lower(files, |id| shell::Place {
        cluster: places[id].cluster,
        unit: places[id].unit,
        placeholders: configs[id].settings.placeholders,
    });
    timer.lap("  commands");
    let sources = Sources {
        places: &places,
        terraform: &terraform,
        commands: &commands,
        skip,
    };
    let positions = split(files, skip, &commands.manifests);
    let sparse_workloads: Vec<SparseWorkloads<'_>> = files
        .iter()
        .filter_map(|(id, file)| {
            let sparse = file.sparse.as_ref()?;
            let rereads = sparse.documents.iter().any(|doc| !doc.is_held());
            rereads.then_some((id, file, sparse))
        })
        .collect();
    timer.lap("  split");
    let streamed: Vec<bool> = positions
        .par_iter()
        .map(|pos| {
            // A sparse file's streamable workloads are the ones it does not hold.
            options.stream
                && files.get(pos.file).sparse.is_none()
                && prescan::streamable_workload(pos.text)
        })
        .collect();
    if !streamed.iter().any(|s| *s) && sparse_workloads.is_empty() {
        return analyze_whole(
            files,
            configs,
            options,
            &sources,
            &positions.iter().collect::<Vec<_>>(),
        );
    }
    if let Some(analysis) = analyze_streamed(
        files,
        configs,
        options,
        &sources,
        &positions,
        &streamed,
        &sparse_workloads,
    ) {
        return analysis;
    }
    // A document streamed as a workload held something else: lint the run whole, with the
    // workloads of sparse files read again, all at once.
    let (workloads, changed) = read_workloads(&sparse_workloads);
    let positions_read: Vec<DocumentPos<'_>> =
        workloads.iter().map(OwnedWorkload::position).collect();
    let mut all: Vec<&DocumentPos<'_>> = positions.iter().chain(&positions_read).collect();
    all.sort_by_key(|pos| (pos.file, pos.start));
    let mut analysis = analyze_whole(files, configs, options, &sources, &all);
    for (id, error) in changed {
        analysis.changed_files.push(id);
        analysis.errors.push(error);
    }
    analysis.streaming.fell_back = true;
    analysis
}

/// A sparse file whose streamed workloads are read again from disk.
type SparseWorkloads<'f> = (FileId, &'f SourceFile, &'f sparse::Sparse);

/// A file that changed before it was read again, with its error.
type Changed = (FileId, Notice);

/// The workloads of sparse files, read again (what a run linted whole needs at once), and the
/// files that changed since.
fn read_workloads(sparse_workloads: &[SparseWorkloads<'_>]) -> (Vec<OwnedWorkload>, Vec<Changed>) {
    let read: Vec<Result<Vec<OwnedWorkload>, Changed>> = sparse_workloads
        .par_iter()
        .map(|&(id, file, sparse)| {
            let text = read_again(file, sparse).map_err(|e| (id, e))?;
            Ok(workloads_read_again(id, sparse, &text)
                .map(|pos| OwnedWorkload::of(&pos))
                .collect())
        })
        .collect();
    let mut workloads = Vec::new();
    let mut errors = Vec::new();
    for item in read {
        match item {
            Ok(found) => workloads.extend(found),
            Err(error) => errors.push(error),
        }
    }
    (workloads, errors)
}

/// A sparse file's text read again, or the error that says it changed.
fn read_again(file: &SourceFile, sparse: &sparse::Sparse) -> Result<String, Notice> {
    sparse::reread(file, sparse).map_err(|message| Notice {
        path: file.name.clone(),
        message: format!("{message}; its workloads were not linted"),
    })
}

/// The positions of the workloads of a sparse file in its `text`, read again.
fn workloads_read_again<'t>(
    id: FileId,
    sparse: &'t sparse::Sparse,
    text: &'t str,
) -> impl Iterator<Item = DocumentPos<'t>> {
    sparse
        .documents
        .iter()
        .filter(move |doc| !doc.is_held())
        .map(move |doc| sparse::position(id, &doc.range, &text[doc.range.start..doc.range.end]))
}

/// A workload document whose text a streamed run owns: one kept to the end (parsed again
/// then), or one read again from disk.
struct OwnedWorkload {
    file: FileId,
    start: usize,
    first_line: usize,
    text: String,
    source_template: Option<String>,
}

impl OwnedWorkload {
    fn of(pos: &DocumentPos<'_>) -> Self {
        OwnedWorkload {
            file: pos.file,
            start: pos.start,
            first_line: pos.first_line,
            text: pos.text.to_string(),
            source_template: pos.source_template.map(str::to_string),
        }
    }

    fn position(&self) -> DocumentPos<'_> {
        DocumentPos::new(
            self.file,
            &self.text,
            self.start,
            self.source_template.as_deref(),
            self.first_line,
        )
    }
}

/// Every document of `files` (except `skip`) held in memory, in input order: split in
/// parallel, so that one big stream uses every core too. (A sparse file's workloads are read
/// again when streamed.)
fn split<'f>(
    files: &'f Files,
    skip: &[bool],
    embedded: &[(FileId, Range<usize>)],
) -> Vec<DocumentPos<'f>> {
    let to_split: Vec<(FileId, &SourceFile)> = files
        .iter()
        .filter(|(id, file)| !skip[*id] && sources::is_yaml(file))
        .collect();
    let per_file: Vec<Vec<DocumentPos<'_>>> = to_split
        .par_iter()
        .map(|&(id, file)| {
            if let Some(sparse) = &file.sparse {
                return sparse
                    .documents
                    .iter()
                    .filter_map(|doc| doc.held_position(id))
                    .collect();
            }
            source::split_documents(&file.text)
                .into_iter()
                .filter(|range| !source::is_blank_document(&file.text[range.start..range.end]))
                .enumerate()
                .filter(|(n, _)| !file.skip_documents.get(*n).copied().unwrap_or(false))
                .map(|(_, range)| {
                    let template = range.source_template.clone().map(|r| &file.text[r]);
                    DocumentPos::new(
                        id,
                        &file.text[range.start..range.end],
                        range.start,
                        template,
                        range.first_line,
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let mut embedded_positions: Vec<DocumentPos<'_>> = embedded
        .iter()
        .filter(|(id, _)| !skip[*id])
        .flat_map(|(id, region)| embedded_documents(*id, files.get(*id), region.clone()))
        .collect();
    // Exactly sized, like the object list.
    let mut positions =
        Vec::with_capacity(per_file.iter().map(Vec::len).sum::<usize>() + embedded_positions.len());
    positions.extend(per_file.into_iter().flatten());
    if !embedded_positions.is_empty() {
        positions.append(&mut embedded_positions);
        positions.sort_by_key(|pos| (pos.file, pos.start));
    }
    positions
}

/// The documents of a manifest embedded in a script or a guide (a here-document, a `yaml`
/// block), at their place in the file.
fn embedded_documents(id: FileId, file: &SourceFile, region: Range<usize>) -> Vec<DocumentPos<'_>> {
    let Some(text) = file.text.get(region.clone()) else {
        return Vec::new();
    };
    let first_line = file.line_index(region.start);
    source::split_documents(text)
        .into_iter()
        .filter(|range| !source::is_blank_document(&text[range.start..range.end]))
        .map(|range| {
            DocumentPos::new(
                id,
                &text[range.start..range.end],
                region.start + range.start,
                None,
                first_line + range.first_line,
            )
        })
        .collect()
}

/// What the rules need to know of a run, besides its objects and index.
struct RuleSet<'c> {
    files: &'c Files,
    configs: &'c [Arc<Config>],
    /// The rules of each file, by file id.
    enabled: Vec<Arc<[&'static dyn Rule]>>,
    extra: &'c [&'static dyn Rule],
}

/// An internal error, with the position of its object for ordering.
type Crash = ((FileId, usize, usize), Notice);

/// What the rules found on one object.
struct Checked {
    diagnostics: Vec<Diagnostic>,
    crashes: Vec<Crash>,
    /// The first rule that read what a streamed index lacks (see [`crate::index::Streamed`]).
    read_incomplete: Option<&'static str>,
}

impl RuleSet<'_> {
    /// Every enabled rule on one object: each is contained, so that a bug in one does not cost
    /// the findings of the others.
    fn check(&self, object: &Object<'_>, index: &Index<'_, '_>) -> Checked {
        let config = &self.configs[object.doc.file];
        let cx = Context {
            object,
            index,
            settings: &config.settings,
        };
        let mut out = Vec::new();
        let mut crashes = Vec::new();
        let mut read_incomplete = None;
        let rules = self.enabled[object.doc.file].iter().copied();
        for rule in rules.chain(self.extra.iter().copied()) {
            crate::index::take_incomplete_read();
            let mut found = Vec::new();
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                rule.check(&cx, &mut found);
                for &fact in index.facts_of(object) {
                    registry::check_fact(rule, fact, index, &config.settings, &mut found);
                }
            }));
            // What a rule found from what the index lacks is not reported: the object is
            // checked again once it is known, or (at the end) the read is an internal error.
            let incomplete = crate::index::take_incomplete_read();
            if incomplete {
                read_incomplete = read_incomplete.or(Some(rule.meta().code));
            }
            match outcome {
                Ok(()) if incomplete => {}
                Ok(()) => out.extend(found),
                Err(payload) => {
                    let what = panic_message(&payload);
                    let notice = internal_error(object, rule.meta().code, &what, self.files);
                    crashes.push((object.position(), notice));
                }
            }
        }
        let key = object.key();
        let span_of = |node: &yaml::Node<'_>| {
            let span = object.span(node);
            span.start..span.end
        };
        for diagnostic in &mut out {
            if let Some(severity) = config.severity_override(diagnostic.rule.code) {
                diagnostic.severity = severity;
            }
            diagnostic.source_template = object.doc.source_template.map(str::to_string);
            diagnostic.object_key = Some(key.clone());
            let target = diagnostic.primary.span;
            diagnostic.node_path = Some(yaml::path_to(
                object.node,
                target.start..target.end,
                &span_of,
            ));
        }
        Checked {
            diagnostics: out,
            crashes,
            read_incomplete,
        }
    }

    /// The rules on the facts that no object states (Terraform's, the commands'), in
    /// parallel, each rule contained like the rules on an object.
    fn check_lowered(
        &self,
        facts: &FactSet<'_>,
        from: FactCounts,
        index: &Index<'_, '_>,
    ) -> (Vec<Diagnostic>, Vec<Crash>) {
        let lowered: Vec<Fact<'_, '_>> = facts.facts_from(from).collect();
        let found: Vec<(Vec<Diagnostic>, Vec<Crash>)> = lowered
            .par_iter()
            .map(|&fact| {
                let origin = fact.origin();
                let file = origin.file;
                let config = &self.configs[file];
                let mut out = Vec::new();
                let mut crashes = Vec::new();
                for rule in self.enabled[file].iter().chain(self.extra).copied() {
                    let mut found = Vec::new();
                    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        registry::check_fact(rule, fact, index, &config.settings, &mut found);
                    }));
                    match outcome {
                        Ok(()) => out.extend(found),
                        Err(payload) => {
                            let (line, _) = self.files.get(file).line_col(origin.anchor.start);
                            let at = format!("{}:{line}", self.files.get(file).name);
                            let what = panic_message(&payload);
                            let notice =
                                internal_error_at(at, rule.meta().code, &origin.display, &what);
                            crashes.push((origin.position, notice));
                        }
                    }
                }
                for diagnostic in &mut out {
                    if let Some(severity) = config.severity_override(diagnostic.rule.code) {
                        diagnostic.severity = severity;
                    }
                    diagnostic.object_key = Some(origin.key.clone());
                }
                (out, crashes)
            })
            .collect();
        let mut diagnostics = Vec::new();
        let mut crashes = Vec::new();
        for (more, more_crashes) in found {
            diagnostics.extend(more);
            crashes.extend(more_crashes);
        }
        (diagnostics, crashes)
    }

    /// The rules on every object, in parallel; a read of what the index lacks is an internal
    /// error here (the last phase of a streamed run must have everything its rules read).
    fn check_all(
        &self,
        objects: &[Object<'_>],
        index: &Index<'_, '_>,
    ) -> (Vec<Diagnostic>, Vec<Crash>) {
        let found: Vec<Checked> = objects
            .par_iter()
            .map(|object| {
                let mut checked = self.check(object, index);
                if let Some(code) = checked.read_incomplete {
                    let what = "it read workloads that a streamed run no longer holds";
                    let notice = internal_error(object, code, what, self.files);
                    checked.crashes.push((object.position(), notice));
                }
                checked
            })
            .collect();
        let mut diagnostics = Vec::new();
        let mut crashes = Vec::new();
        for checked in found {
            diagnostics.extend(checked.diagnostics);
            crashes.extend(checked.crashes);
        }
        (diagnostics, crashes)
    }
}

/// The trees of documents, in parallel, in their order.
fn parse_documents<'t>(
    positions: &[&'t DocumentPos<'t>],
    limits: Limits,
) -> Vec<Result<Vec<yaml::Node<'t>>, yaml::LoadFailure>> {
    positions
        .par_iter()
        .map(|pos| yaml::load(pos.text, limits))
        .collect()
}

/// The objects of one parsed document, each with the `[[cluster]]` its file deploys to.
fn document_objects<'t>(
    pos: &'t DocumentPos<'t>,
    roots: &'t [yaml::Node<'t>],
    configs: &[Arc<Config>],
    places: &[FilePlace<'t>],
) -> Vec<Object<'t>> {
    let mut objects = Vec::new();
    let place = &places[pos.file];
    for root in roots {
        Object::from_document(
            pos,
            root,
            &configs[pos.file].settings,
            place.unit,
            &mut objects,
        );
    }
    // A pushed Vec starts with room for four objects; most documents hold one.
    objects.shrink_to_fit();
    for object in &mut objects {
        object.cluster = place.cluster;
    }
    objects
}

/// The objects of parsed documents, in input order (a WI000 for each that did not load).
fn build_objects<'t>(
    positions: &[&'t DocumentPos<'t>],
    parsed: &'t [Result<Vec<yaml::Node<'t>>, yaml::LoadFailure>],
    configs: &[Arc<Config>],
    places: &[FilePlace<'t>],
) -> (Vec<Object<'t>>, Vec<Diagnostic>) {
    // Objects per document in parallel, then in input order.
    let built: Vec<Result<Vec<Object<'_>>, Box<Diagnostic>>> = positions
        .par_iter()
        .zip(parsed)
        .map(|(pos, result)| match result {
            Ok(roots) => Ok(document_objects(pos, roots, configs, places)),
            Err(failure) => Err(Box::new(parse_failure(pos, failure))),
        })
        .collect();
    let mut diagnostics = Vec::new();
    // Exactly sized: growing by doubling held up to twice the objects at the peak.
    let count = built.iter().map(|b| b.as_ref().map_or(0, Vec::len)).sum();
    let mut objects = Vec::with_capacity(count);
    for item in built {
        match item {
            Ok(found) => objects.extend(found),
            Err(diagnostic) => diagnostics.push(*diagnostic),
        }
    }
    (objects, diagnostics)
}

/// Where a file is applied: the `[[cluster]]` it deploys to (its `paths`), for cross-cluster
/// rules, and its apply unit (see [`crate::units`]).
struct FilePlace<'c> {
    cluster: Option<&'c crate::settings::ClusterConfig>,
    unit: crate::settings::Unit,
}

fn file_places<'c>(files: &Files, configs: &'c [Arc<Config>]) -> Vec<FilePlace<'c>> {
    let clusters: Vec<Option<&crate::settings::ClusterConfig>> = files
        .iter()
        .map(|(id, file)| {
            let path = file.path.as_deref()?;
            configs[id].cluster_for(path)
        })
        .collect();
    let units = crate::units::assign(files, configs, &clusters);
    clusters
        .into_iter()
        .zip(units)
        .map(|(cluster, unit)| FilePlace { cluster, unit })
        .collect()
}

/// What every phase of an analysis shares: where each file is applied, and what the
/// sources other than YAML state (lowered once, whatever phases follow).
struct Sources<'p, 'c> {
    places: &'p [FilePlace<'c>],
    terraform: &'p terraform::Lowered<'c>,
    commands: &'p shell::Lowered<'c>,
    skip: &'p [bool],
}

impl<'c> Sources<'_, 'c> {
    /// The Google-side facts of the run: the Config Connector objects', then Terraform's and
    /// the commands' (from the returned counts on: no object states them), with Terraform's
    /// syntax errors added to `diagnostics`.
    fn facts(
        &self,
        objects: &[Object<'c>],
        diagnostics: &mut Vec<Diagnostic>,
    ) -> (FactSet<'c>, FactCounts) {
        let mut facts = crate::kcc::lower_all(objects);
        let from = facts.counts();
        facts.extend(self.terraform.facts.clone());
        facts.extend(self.commands.facts.clone());
        let skip = self.skip;
        diagnostics.extend(
            self.terraform
                .diagnostics
                .iter()
                .chain(&self.commands.diagnostics)
                .filter(|d| !skip[d.primary.span.file])
                .cloned(),
        );
        (facts, from)
    }
}

/// Every document parsed and kept until the rules have run: the index sees every object.
fn analyze_whole(
    files: &Files,
    configs: &[Arc<Config>],
    options: &Options,
    sources: &Sources<'_, '_>,
    positions: &[&DocumentPos<'_>],
) -> Analysis {
    let timer = Timer::start();
    let parsed = parse_documents(positions, options.limits);
    timer.lap("  parse");
    let (objects, mut diagnostics) = build_objects(positions, &parsed, configs, sources.places);
    timer.lap("  objects");
    let (facts, from_lowered) = sources.facts(&objects, &mut diagnostics);
    let index = Index::build(&objects, &facts);
    timer.lap("  index");
    let rules = RuleSet {
        files,
        configs,
        enabled: enabled_rules(files, configs),
        extra: &options.extra_rules,
    };
    let (found, mut crashes) = rules.check_all(&objects, &index);
    diagnostics.extend(found);
    let (found, more_crashes) = rules.check_lowered(&facts, from_lowered, &index);
    timer.lap("  rules");
    diagnostics.extend(found);
    crashes.extend(more_crashes);
    crashes.sort_by_key(|(at, _)| *at);
    let analysis = Analysis {
        enabled_rules: enabled_codes(&rules.enabled),
        errors: crashes.into_iter().map(|(_, notice)| notice).collect(),
        changed_files: Vec::new(),
        diagnostics,
        documents: documents_per_file(files, positions.iter().map(|pos| pos.file)),
        graph: IdentityGraph::build(&objects, &index, []),
        suppressions: objects.iter().flat_map(suppress::from_object).collect(),
        streaming: Streaming::default(),
    };
    // Freeing millions of nodes is serial work otherwise (4 % of a run on the real corpus).
    drop(index);
    drop(objects);
    parsed.into_par_iter().for_each(drop);
    analysis
}

/// What the rest of a streamed run needs of the workloads whose trees are dropped.
#[derive(Default)]
struct WorkloadFacts {
    diagnostics: Vec<Diagnostic>,
    crashes: Vec<Crash>,
    /// The KSAs their pods run as.
    used_ksas: Vec<(crate::settings::Namespace, String)>,
    edges: Vec<graph::Edge>,
    suppressions: Vec<Suppression>,
}

impl WorkloadFacts {
    fn add(&mut self, other: WorkloadFacts) {
        self.diagnostics.extend(other.diagnostics);
        self.crashes.extend(other.crashes);
        self.used_ksas.extend(other.used_ksas);
        self.edges.extend(other.edges);
        self.suppressions.extend(other.suppressions);
    }
}

/// A streamed workload document, once its rules have run.
enum Outcome {
    /// Its tree is dropped; this is what the rest of the run needs of it.
    Done(WorkloadFacts),
    /// Kept for the last phase, and parsed again then: a rule read what the index lacked, or
    /// WI046 reports it.
    Kept(OwnedWorkload),
    /// It held an object that is not a plain workload: the run is linted whole instead.
    NotAWorkload,
}

/// Parses one workload document, runs its rules on the partial index and drops its tree,
/// unless it must be kept (see [`Outcome`]).
fn stream_workload<'t>(
    pos: &'t DocumentPos<'t>,
    options: &Options,
    places: &[FilePlace<'t>],
    rules: &RuleSet<'_>,
    index: &Index<'_, '_>,
) -> Outcome {
    let roots = match yaml::load(pos.text, options.limits) {
        Ok(roots) => roots,
        Err(failure) => {
            return Outcome::Done(WorkloadFacts {
                diagnostics: vec![parse_failure(pos, &failure)],
                ..WorkloadFacts::default()
            });
        }
    };
    let found = document_objects(pos, &roots, rules.configs, places);
    if !found.iter().all(adds_only_a_workload) {
        return Outcome::NotAWorkload;
    }
    let mut facts = WorkloadFacts::default();
    for object in &found {
        let checked = rules.check(object, index);
        let wi046_reads_it =
            crate::rules::wi046_egress_policy_blocks_metadata::reports_on(object, index);
        if checked.read_incomplete.is_some() || wi046_reads_it {
            return Outcome::Kept(OwnedWorkload::of(pos));
        }
        facts.diagnostics.extend(checked.diagnostics);
        facts.crashes.extend(checked.crashes);
        facts.used_ksas.extend(
            object
                .pod_templates()
                .iter()
                .map(|template| (object.namespace.clone(), template.ksa_name().to_string())),
        );
        facts.edges.extend(graph::object_edges(object));
        facts.suppressions.extend(suppress::from_object(object));
    }
    Outcome::Done(facts)
}

/// Whether all that an object adds to the index is a workload's (its pod templates, its kind):
/// what a streamed index may lack (see [`crate::index::Streamed`]).
fn adds_only_a_workload(object: &Object<'_>) -> bool {
    crate::index::is_streamed_kind(object.api_group(), object.kind)
        && !crate::istio::shows_injection(object)
        && !crate::istio::installs_cni(object)
        && crate::kcc::member_bindings(object).is_empty()
}

/// A streamed run: the documents that are not workloads are parsed and indexed first; then
/// each workload is parsed, checked and dropped (in parallel), keeping only compact facts, so
/// that the workloads' trees never all stay in memory at once (nor the texts of sparse files'
/// workloads, read again from disk one file at a time); then the rules of the first objects,
/// and of the few workloads kept, run on an index that knows every KSA a pod runs as.
/// `None` if a document taken for a workload held something else.
fn analyze_streamed(
    files: &Files,
    configs: &[Arc<Config>],
    options: &Options,
    sources: &Sources<'_, '_>,
    positions: &[DocumentPos<'_>],
    streamed: &[bool],
    sparse_workloads: &[SparseWorkloads<'_>],
) -> Option<Analysis> {
    let timer = Timer::start();
    let first: Vec<&DocumentPos<'_>> = positions
        .iter()
        .zip(streamed)
        .filter(|(_, s)| !**s)
        .map(|(pos, _)| pos)
        .collect();
    let parsed = parse_documents(&first, options.limits);
    timer.lap("  parse (not workloads)");
    let places = sources.places;
    let (objects, mut diagnostics) = build_objects(&first, &parsed, configs, places);
    let rules = RuleSet {
        files,
        configs,
        enabled: enabled_rules(files, configs),
        extra: &options.extra_rules,
    };
    let (stated, from_lowered) = sources.facts(&objects, &mut diagnostics);
    let index = Index::build_streamed(&objects, &stated, crate::index::Streamed::Partial, []);
    timer.lap("  objects and index (not workloads)");
    let mut outcomes: Vec<Outcome> = positions
        .par_iter()
        .zip(streamed)
        .filter(|(_, s)| **s)
        .map(|(pos, _)| stream_workload(pos, options, places, &rules, &index))
        .collect();
    let mut documents_read_again = Vec::new();
    let mut errors = Vec::new();
    let mut changed_files = Vec::new();
    let from_disk: Vec<Result<(FileId, Vec<Outcome>), Changed>> = sparse_workloads
        .par_iter()
        .map(|&(id, file, sparse)| {
            let text = read_again(file, sparse).map_err(|e| (id, e))?;
            let workloads: Vec<DocumentPos<'_>> = workloads_read_again(id, sparse, &text).collect();
            let outcomes = workloads
                .par_iter()
                .map(|pos| stream_workload(pos, options, places, &rules, &index))
                .collect();
            Ok((id, outcomes))
        })
        .collect();
    for item in from_disk {
        match item {
            Ok((id, more)) => {
                documents_read_again.extend(std::iter::repeat_n(id, more.len()));
                outcomes.extend(more);
            }
            Err((id, error)) => {
                changed_files.push(id);
                errors.push(error);
            }
        }
    }
    let outcomes_kept = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::Kept(..)))
        .count();
    let outcomes_dropped = outcomes.len() - outcomes_kept;
    timer.lap(&format!(
        "  workloads streamed ({outcomes_dropped} dropped, {outcomes_kept} kept)"
    ));
    if outcomes.iter().any(|o| matches!(o, Outcome::NotAWorkload)) {
        return None;
    }
    drop(index);
    let mut facts = WorkloadFacts {
        diagnostics,
        ..WorkloadFacts::default()
    };
    let mut kept = Vec::new();
    for outcome in outcomes {
        match outcome {
            Outcome::Done(more) => facts.add(more),
            Outcome::Kept(workload) => kept.push(workload),
            Outcome::NotAWorkload => {}
        }
    }
    let WorkloadFacts {
        mut diagnostics,
        mut crashes,
        used_ksas,
        edges,
        mut suppressions,
    } = facts;
    let kept_positions: Vec<DocumentPos<'_>> = kept.iter().map(OwnedWorkload::position).collect();
    let kept_positions: Vec<&DocumentPos<'_>> = kept_positions.iter().collect();
    let kept_parsed = parse_documents(&kept_positions, options.limits);
    // (They loaded once, so they load again: no diagnostics.)
    let (kept_objects, more_diagnostics) =
        build_objects(&kept_positions, &kept_parsed, configs, places);
    diagnostics.extend(more_diagnostics);
    let mut all = Vec::with_capacity(objects.len() + kept_objects.len());
    all.extend(objects);
    all.extend(kept_objects);
    // Input order, as an unstreamed run has it (stable: a List's items keep theirs).
    all.sort_by_key(|o| (o.doc.file, o.doc.start));
    let index = Index::build_streamed(&all, &stated, crate::index::Streamed::Final, used_ksas);
    // What streamed workloads found held unless a workload seen after them ran as a KSA.
    diagnostics.retain(|d| {
        d.unless_used
            .as_ref()
            .is_none_or(|(ns, name)| index.usage(ns, name) != crate::index::Usage::Used)
    });
    let (found, more_crashes) = rules.check_all(&all, &index);
    diagnostics.extend(found);
    crashes.extend(more_crashes);
    let (found, more_crashes) = rules.check_lowered(&stated, from_lowered, &index);
    timer.lap("  rules (not workloads, and workloads kept)");
    diagnostics.extend(found);
    crashes.extend(more_crashes);
    crashes.sort_by_key(|(at, _)| *at);
    suppressions.extend(all.iter().flat_map(suppress::from_object));
    suppressions.sort_by_key(|s| (s.file, s.span.start));
    errors.splice(0..0, crashes.into_iter().map(|(_, notice)| notice));
    let parsed_in_memory = positions.iter().map(|pos| pos.file);
    let analysis = Analysis {
        enabled_rules: enabled_codes(&rules.enabled),
        errors,
        changed_files,
        diagnostics,
        documents: documents_per_file(files, parsed_in_memory.chain(documents_read_again)),
        graph: IdentityGraph::build(&all, &index, edges),
        suppressions,
        streaming: Streaming {
            dropped: outcomes_dropped,
            kept: kept.len(),
            fell_back: false,
        },
    };
    drop(index);
    drop(all);
    kept_parsed.into_par_iter().for_each(drop);
    parsed.into_par_iter().for_each(drop);
    Some(analysis)
}

/// The rules each file's configuration enables, decided once per file, not per object. The
/// files of a configuration without per-file ignores share one list: a list per file took
/// 13 MiB for the 13,000 files of the generated 100 MiB corpus.
/// The configurations of guides (Markdown, prose) with their `guide-placeholders` as
/// `placeholders`: a guide writes `[PROJECT_ID]` for its reader to replace.
fn with_guide_placeholders(files: &Files, configs: Vec<Arc<Config>>) -> Vec<Arc<Config>> {
    let mut derived: std::collections::HashMap<*const Config, Arc<Config>> =
        std::collections::HashMap::new();
    files
        .iter()
        .zip(configs)
        .map(|((_, file), config)| {
            let settings = &config.settings;
            if settings.placeholders == settings.guide_placeholders || !shell::is_guide(file) {
                return config;
            }
            let guide = derived.entry(Arc::as_ptr(&config)).or_insert_with(|| {
                let mut guide = Config::clone(&config);
                guide.settings.placeholders = guide.settings.guide_placeholders;
                Arc::new(guide)
            });
            Arc::clone(guide)
        })
        .collect()
}

fn enabled_rules(files: &Files, configs: &[Arc<Config>]) -> Vec<Arc<[&'static dyn Rule]>> {
    let mut shared: std::collections::HashMap<*const Config, Arc<[&'static dyn Rule]>> =
        std::collections::HashMap::new();
    files
        .iter()
        .map(|(id, file)| {
            let config = &configs[id];
            if config.has_per_file_ignores() {
                Arc::from(config.rules_for(file.path.as_deref()))
            } else {
                let rules = shared
                    .entry(Arc::as_ptr(config))
                    .or_insert_with(|| Arc::from(config.rules_for(None)));
                Arc::clone(rules)
            }
        })
        .collect()
}

/// The codes of the rules enabled for some file (each shared list read once).
fn enabled_codes(enabled: &[Arc<[&'static dyn Rule]>]) -> std::collections::BTreeSet<&'static str> {
    let mut codes = std::collections::BTreeSet::new();
    let mut seen = std::collections::HashSet::new();
    for rules in enabled {
        if seen.insert(Arc::as_ptr(rules).cast::<()>()) {
            codes.extend(rules.iter().map(|rule| rule.meta().code));
        }
    }
    codes
}

/// The documents of each file: those parsed (`parsed` names each one's file), and those the
/// pre-scan handled without a tree (validated or skipped), which count as checked.
fn documents_per_file(files: &Files, parsed: impl Iterator<Item = FileId>) -> Vec<usize> {
    let mut counts: Vec<usize> = files
        .iter()
        .map(|(_, f)| f.dropped_documents + f.skip_documents.iter().filter(|s| **s).count())
        .collect();
    for file in parsed {
        counts[file] += 1;
    }
    counts
}

/// Runs the pre-scan on a loaded file: marks the documents that need no tree, and keeps of the
/// text only what rules read. A file none of whose documents (nor suppression comments) can
/// matter keeps nothing; a regular file keeps only the documents that need a tree, and
/// not even those when they are workloads a streamed run reads again (see [`crate::sparse`]).
fn prescan_file(mut loaded: Loaded, limits: Limits, skip_irrelevant: bool, stream: bool) -> Loaded {
    if loaded.problem.is_some() {
        return loaded;
    }
    let text = &loaded.file.text;
    // A suppression comment may name WI000 for a document that would go unparsed: it would
    // then count as unused (WI092). Such files are validated whole, and kept whole: comments
    // are read from the whole text.
    let mentions_wilint = prescan::mentions_wilint(text);
    let skip_irrelevant = skip_irrelevant && !mentions_wilint;
    let ranges: Vec<source::DocumentRange> = source::split_documents(text)
        .into_iter()
        .filter(|range| !source::is_blank_document(&text[range.start..range.end]))
        .collect();
    let (skip, reread): (Vec<bool>, Vec<bool>) = ranges
        .par_iter()
        .map(|range| {
            let doc = &text[range.start..range.end];
            let skip = prescan::classify(doc, limits, skip_irrelevant) != prescan::Verdict::Tree;
            (skip, !skip && stream && prescan::streamable_workload(doc))
        })
        .unzip();
    if skip.iter().all(|s| *s) && !mentions_wilint {
        let file = &loaded.file;
        let mut dropped = SourceFile::new(file.name.clone(), file.path.clone(), String::new());
        dropped.dropped_documents = skip.len();
        loaded.file = dropped;
        return loaded;
    }
    let saves = skip.iter().chain(&reread).any(|s| *s);
    if saves && loaded.readable_again && !mentions_wilint {
        let documents = ranges
            .into_iter()
            .zip(skip.iter().zip(reread))
            .filter(|(_, (skip, _))| !**skip)
            .map(|(range, (_, reread))| {
                let doc = &text[range.start..range.end];
                let content = if reread {
                    sparse::Content::Reread(sparse::digest(doc))
                } else {
                    sparse::Content::Held(doc.to_string())
                };
                sparse::SparseDocument { range, content }
            })
            .collect();
        loaded.file.sparse = Some(sparse::Sparse {
            len: text.len(),
            documents,
        });
        loaded.file.text = String::new();
    }
    if skip.iter().any(|s| *s) {
        loaded.file.skip_documents = skip;
    }
    loaded
}

/// WI000 for an unrendered Helm/Go template: one diagnostic at its first `{{ … }}` outside a
/// quoted scalar, with the advice to render it, not the parser's confusion. A `{{` inside
/// quotes is valid YAML (`description: '{{ $labels.pod }} is down'` in a `PrometheusRule`), so
/// a document whose only ones are quoted gets the parser's own message and position.
fn template_diagnostic(pos: &DocumentPos<'_>) -> Option<Diagnostic> {
    let start = memchr::memmem::find_iter(pos.text.as_bytes(), b"{{").find(|&at| {
        let line_start = pos.text[..at].rfind('\n').map_or(0, |nl| nl + 1);
        !opens_quoted_scalar(&pos.text[line_start..at])
    })?;
    let end = pos.text[start..]
        .find("}}")
        .map_or(start + 2, |i| start + i + 2);
    let end = pos.text[start..end].find('\n').map_or(end, |nl| start + nl);
    let span = Span {
        file: pos.file,
        start: pos.start + start,
        end: pos.start + end,
    };
    Some(
        Diagnostic::new(
            &wi000_invalid_yaml::META,
            "unrendered Helm/Go template: this document is not YAML until it is rendered",
            Label::new(span, "template expression"),
        )
        .with_help("render it first and lint the output: `helm template CHART | wilint check -`"),
    )
}

/// Whether a line that starts with `prefix` is inside a one-line quoted scalar where `prefix`
/// ends. A quote opens a scalar only where a scalar can start (after indentation, `: `, `- `,
/// `[`, `{` or `,`), so the apostrophe of `it's` does not.
fn opens_quoted_scalar(prefix: &str) -> bool {
    let mut quote = None;
    let mut previous = None; // The last character outside quotes that is not a space.
    let mut chars = prefix.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            None if matches!(c, '"' | '\'')
                && matches!(previous, None | Some(':' | '-' | '[' | '{' | ',')) =>
            {
                quote = Some(c);
            }
            None if c != ' ' => previous = Some(c),
            Some('"') if c == '\\' => {
                chars.next();
            }
            Some(q) if c == q => {
                if q == '\'' && chars.peek() == Some(&'\'') {
                    chars.next();
                } else {
                    quote = None;
                    previous = Some(c);
                }
            }
            _ => {}
        }
    }
    quote.is_some()
}

/// WI000 for a document that did not load; a template gets [`template_diagnostic`].
fn parse_failure(pos: &DocumentPos<'_>, failure: &yaml::LoadFailure) -> Diagnostic {
    if let Some(template) = template_diagnostic(pos) {
        return template;
    }
    let at = pos.span_of_chars(failure.char_index, failure.char_index);
    // Point at one character where possible, so the caret is visible.
    let text = &pos.text[at.start - pos.start..];
    let width = text
        .chars()
        .next()
        .filter(|c| *c != '\n' && *c != '\r')
        .map_or(0, char::len_utf8);
    let span = Span {
        end: at.start + width,
        ..at
    };
    let help = if failure.message.contains("duplicate") {
        "remove or rename one of the duplicate keys"
    } else if failure.message.contains("tab") {
        "indent YAML with spaces, not tabs"
    } else if failure.message.contains("nesting") || failure.message.contains("alias") {
        "this document exceeds wilint's resource limits; real manifests never need this"
    } else {
        "fix the YAML syntax; the other documents of this file are still linted"
    };
    let mut diagnostic = Diagnostic::new(
        &wi000_invalid_yaml::META,
        format!("invalid YAML: {}", failure.message),
        Label::new(span, "parsing failed here"),
    )
    .with_help(help);
    if failure.message == crate::tree::DUPLICATE_KEY {
        diagnostic = diagnostic.with_note(
            "Kubernetes refuses duplicate fields (`kubectl apply` validates them strictly), and tools disagree on which value wins",
        );
    }
    diagnostic
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_in_a_file_changed_since_it_was_read_are_dropped_with_an_error() {
        // Output that shows source lines keeps the text read again; other output only the
        // positions of its findings.
        for whole in [true, false] {
            let dir = tempfile::tempdir().unwrap();
            let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: é\n";
            // Read and pre-scanned as a run does: the Pod is a workload, read again when
            // streamed.
            let mut report = Report::default();
            for name in ["same.yaml", "changed.yaml"] {
                let path = dir.path().join(name);
                std::fs::write(&path, text).unwrap();
                let loaded = read::load_input(Input::File(path), u64::MAX).unwrap();
                let loaded = prescan_file(loaded, Limits::default(), false, true);
                assert!(loaded.file.sparse.is_some() && loaded.file.text.is_empty());
                report.files.add(loaded.file);
            }
            std::fs::write(dir.path().join("changed.yaml"), text.replace('é', "e")).unwrap();
            let finding = |file| {
                let kind = Span {
                    file,
                    start: 15,
                    end: 24,
                };
                let name = Span {
                    file,
                    start: text.find('é').unwrap(),
                    end: text.len() - 1,
                };
                Diagnostic::new(&wi000_invalid_yaml::META, "x", Label::new(kind, "here"))
                    .with_secondary(Label::new(name, "and here"))
            };
            let mut diagnostics = vec![finding(0), finding(1)];
            let mut suppressed = vec![(
                finding(1),
                Suppressed {
                    kind: "inSource",
                    justification: String::new(),
                },
            )];
            read_files_shown(&mut report, &mut diagnostics, &mut suppressed, whole);
            assert_eq!(diagnostics.len(), 1);
            assert_eq!(diagnostics[0].primary.span.file, 0);
            assert!(suppressed.is_empty());
            let expected_text = if whole { text } else { "" };
            assert_eq!(report.files.get(0).text, expected_text);
            let files = &report.files;
            assert_eq!(
                files.span_positions(diagnostics[0].primary.span),
                ((2, 1), (2, 10))
            );
            assert_eq!(
                files.span_positions(diagnostics[0].secondary[0].span),
                ((4, 9), (4, 10))
            );
            assert_eq!(report.errors.len(), 1);
            let error = &report.errors[0];
            assert!(error.path.ends_with("changed.yaml"), "{}", error.path);
            assert!(
                error
                    .message
                    .contains("changed while wilint was reading it"),
                "{}",
                error.message
            );
        }
    }

    #[test]
    fn template_braces_inside_quotes_are_text() {
        assert!(opens_quoted_scalar("  description: '"));
        assert!(opens_quoted_scalar("  description: 'it''s "));
        assert!(opens_quoted_scalar("  - \"a \\\" b "));
        assert!(opens_quoted_scalar("  args: [\"x\", '"));
        assert!(!opens_quoted_scalar("  name: "));
        assert!(!opens_quoted_scalar("  description: 'closed' and "));
        assert!(!opens_quoted_scalar("  description: it's "));
        assert!(!opens_quoted_scalar(""));
    }
}
