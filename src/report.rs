//! What a run produced, for the output formats and the CLI: findings, notices and errors,
//! the files they point into, and the identity graph.

use crate::diagnostic::{Diagnostic, FileId};
use crate::discover::Notice;
use crate::graph::IdentityGraph;
use crate::source::Files;
use crate::suppress::Suppressed;

/// Everything a run produced.
#[derive(Debug, Default)]
pub struct Report {
    pub files: Files,
    /// Reported findings, sorted by file, position and code.
    pub diagnostics: Vec<Diagnostic>,
    /// Findings not reported because a suppression or the baseline covers them (sorted).
    pub suppressed: Vec<(Diagnostic, Suppressed)>,
    /// With `--baseline`: how many baseline entries matched nothing (fixed since).
    pub baseline_fixed: Option<usize>,
    pub notices: Vec<Notice>,
    /// Inputs that could not be read, configurations that are invalid (exit code 2).
    pub errors: Vec<Notice>,
    /// The documents of each file, by file id (parsed, validated or skipped by the pre-scan).
    pub file_documents: Vec<usize>,
    /// With `--project-root`: the files read only as context, whose findings are not reported
    /// and which the summary does not count.
    pub context_files: std::collections::BTreeSet<FileId>,
    /// Files of the repository that findings in rendered output were moved onto (see
    /// [`crate::landing`]): shown, not linted, so the summary does not count them.
    pub landed_files: std::collections::BTreeSet<FileId>,
    pub graph: IdentityGraph,
    /// Codes of the rules enabled for at least one file of the run.
    pub enabled_rules: std::collections::BTreeSet<&'static str>,
    /// How the workloads were streamed.
    pub streaming: Streaming,
    /// Files that changed before wilint read them again (see [`crate::sparse`]): each has an
    /// error, which stays an error even for a `--project-root` context file, because the
    /// findings of other files may depend on it.
    pub changed_files: std::collections::BTreeSet<FileId>,
}

/// How a run streamed its workloads (see `engine::Options::stream`), for tests and timings.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Streaming {
    /// Workload documents checked as they were parsed, their trees dropped.
    pub dropped: usize,
    /// Workload documents kept to the end: a rule read what was not known yet, or WI046
    /// reports them.
    pub kept: usize,
    /// A document taken for a workload held something else, so the run was linted whole.
    pub fell_back: bool,
}
