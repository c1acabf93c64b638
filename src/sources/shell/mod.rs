//! Commands as a source: shell scripts (`*.sh`, `*.bash`, `*.zsh`, or a shell shebang), the
//! shell blocks of Markdown guides (`sh`, `bash`, `shell`, `zsh`, `console`), and the command
//! lines of prose (`*.txt`, read when named). Each command's words are evaluated with what the
//! script has assigned before it ([`words`]); `gcloud` commands are lowered into grants,
//! clusters and node pools ([`gcloud`]), and every `gcloud` and `kubectl` command is a
//! [`Command`] fact of its own, for the rules on commands as written.

pub mod command_line;
pub mod gcloud;
pub mod markdown;
pub mod script;
pub mod words;

use std::ops::Range;
use std::sync::LazyLock;

use rayon::prelude::*;
use regex::Regex;

use self::command_line::CommandLine;
use self::words::{Vars, Word};
use crate::diagnostic::{Diagnostic, FileId, Label, Severity, Span};
use crate::facts::{Command, FactSet, Flag, Origin, Text};
use crate::grammar;
use crate::rules::wi000_invalid_yaml;
use crate::settings::{ClusterConfig, Placeholders, Unit};
use crate::source::{Files, SourceFile};
use crate::sources::Language;

/// How a file holds its commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A shell script: all of it.
    Script,
    /// A Markdown guide: its fenced shell blocks. Placeholders (`[PROJECT_ID]`,
    /// `<namespace>`, `PROJECT_ID`) are unknowns there, not mistakes.
    Markdown,
    /// Prose (an article saved as text): its lines that start with a command, and their
    /// continuation lines. Placeholders are unknowns, as in Markdown.
    Prose,
}

impl Kind {
    pub fn of_extension(extension: &str) -> Option<Kind> {
        match extension.to_ascii_lowercase().as_str() {
            "sh" | "bash" | "zsh" | "ksh" => Some(Kind::Script),
            "md" | "markdown" => Some(Kind::Markdown),
            "txt" => Some(Kind::Prose),
            _ => None,
        }
    }

    fn of(file: &SourceFile) -> Option<Kind> {
        let path = file
            .path
            .as_deref()
            .unwrap_or(std::path::Path::new(&file.name));
        match path.extension().and_then(|e| e.to_str()) {
            Some(extension) => Kind::of_extension(extension),
            None => has_shell_shebang(&file.text).then_some(Kind::Script),
        }
    }

    /// Whether the source writes placeholders on purpose.
    fn has_placeholders(self) -> bool {
        self != Kind::Script
    }
}

/// `#!/bin/sh`, `#!/usr/bin/env bash`, `#!/bin/zsh -e` …
pub fn has_shell_shebang(text: &str) -> bool {
    let Some(first) = text.strip_prefix("#!") else {
        return false;
    };
    let line = first.lines().next().unwrap_or("");
    let mut words = line.split_whitespace();
    let program = words.next().unwrap_or("").rsplit('/').next().unwrap_or("");
    let program = if program == "env" {
        words.find(|w| !w.starts_with('-')).unwrap_or("")
    } else {
        program
    };
    matches!(program, "sh" | "bash" | "zsh" | "ksh" | "dash" | "ash")
}

/// Whether a file is read as commands.
pub fn is_shell(file: &SourceFile) -> bool {
    Language::of_file(file) == Language::Shell
}

/// Whether a file is a guide (Markdown or prose), which writes placeholders on purpose.
pub fn is_guide(file: &SourceFile) -> bool {
    is_shell(file) && Kind::of(file).is_some_and(Kind::has_placeholders)
}

/// What the commands of a run state.
#[derive(Debug, Default)]
pub struct Lowered<'c> {
    pub facts: FactSet<'c>,
    pub diagnostics: Vec<Diagnostic>,
    /// The manifests these files hold, read as YAML: a guide's `yaml` and `json` blocks, and
    /// the literal here-documents of `kubectl apply|create|replace -f -` (file, byte range),
    /// in file order.
    pub manifests: Vec<(FileId, Range<usize>)>,
}

/// Where a file is, for lowering its commands.
pub struct Place<'c> {
    pub cluster: Option<&'c ClusterConfig>,
    pub unit: Unit,
    /// Whether the file's placeholders are findings (`placeholders`, or `guide-placeholders`
    /// for a guide).
    pub placeholders: Placeholders,
}

/// What one file lowers to: its facts, embedded manifests and diagnostics.
type PerFile<'c> = (FileId, FactSet<'c>, Vec<Range<usize>>, Vec<Diagnostic>);

/// Lowers the commands of every script, guide and prose file of `files`; `place` gives a
/// file's `[[cluster]]`, apply unit and placeholder setting.
pub fn lower<'c>(files: &Files, place: impl Fn(FileId) -> Place<'c> + Sync) -> Lowered<'c> {
    let shell: Vec<(FileId, &SourceFile, Kind)> = files
        .iter()
        .filter(|(_, file)| is_shell(file))
        .filter_map(|(id, file)| Some((id, file, Kind::of(file)?)))
        .collect();
    let per_file: Vec<PerFile<'c>> = shell
        .par_iter()
        .map(|&(id, file, kind)| {
            let place = place(id);
            let cx = FileCx {
                file: id,
                text: &file.text,
                kind,
                cluster: place.cluster,
                unit: place.unit,
                placeholders: place.placeholders,
            };
            // A bug in reading one file's commands costs that file, not the run.
            let (facts, manifests, diagnostics) =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| lower_file(&cx)))
                    .unwrap_or_else(|payload| {
                        (
                            FactSet::default(),
                            Vec::new(),
                            vec![unreadable(&cx, &*payload)],
                        )
                    });
            (id, facts, manifests, diagnostics)
        })
        .collect();
    let mut lowered = Lowered::default();
    for (id, facts, manifests, diagnostics) in per_file {
        lowered.facts.extend(facts);
        lowered.diagnostics.extend(diagnostics);
        lowered
            .manifests
            .extend(manifests.into_iter().map(|range| (id, range)));
    }
    lowered
}

/// One file being lowered.
pub struct FileCx<'t, 'c> {
    pub file: FileId,
    pub text: &'t str,
    pub kind: Kind,
    pub cluster: Option<&'c ClusterConfig>,
    pub unit: Unit,
    pub placeholders: Placeholders,
}

impl FileCx<'_, '_> {
    /// A word as a fact: placeholders are unknown where they are allowed (in a guide, unless
    /// configured otherwise), so that no rule reads them as values.
    pub fn text(&self, word: &Word) -> Text {
        let value = word.value();
        let placeholders = if self.placeholders == Placeholders::Allow {
            placeholder_ranges(&value)
        } else {
            Vec::new()
        };
        word.text(self.file, &placeholders)
    }

    fn span(&self, range: Range<usize>) -> Span {
        Span {
            file: self.file,
            start: range.start,
            end: range.end,
        }
    }

    fn line_of(&self, offset: usize) -> usize {
        1 + memchr::memchr_iter(b'\n', &self.text.as_bytes()[..offset.min(self.text.len())]).count()
    }
}

/// Byte ranges of a value that a guide means as placeholders (`[PROJECT_ID]`, `<namespace>`,
/// `KSA_NAME`, `YOUR_PROJECT`): what WI004 would call one, so that a guide's placeholders are
/// unknown to every rule rather than findings.
pub fn placeholder_ranges(value: &str) -> Vec<Range<usize>> {
    grammar::find_placeholders(value)
        .into_iter()
        .map(|p| p.range)
        .collect()
}

/// `<namespace>` reads as a redirection in shell: in a copy of a guide given to the parser,
/// its angle brackets become `_`, at the same offsets (words are read from the original).
fn mask_angle_placeholders(text: &str) -> std::borrow::Cow<'_, str> {
    static ANGLE: LazyLock<Regex> = LazyLock::new(|| {
        #[allow(clippy::expect_used)] // A constant pattern, covered by tests.
        Regex::new(r"(^|[^<])(<[A-Za-z][A-Za-z0-9_.-]*>)").expect("valid regex")
    });
    if !text.contains('<') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    for caps in ANGLE.captures_iter(text) {
        if let Some(m) = caps.get(2) {
            bytes[m.start()] = b'_';
            bytes[m.end() - 1] = b'_';
        }
    }
    // Only ASCII bytes were replaced by ASCII bytes.
    std::borrow::Cow::Owned(String::from_utf8(bytes).unwrap_or_else(|_| text.to_string()))
}

/// The facts of one file's commands, and the byte ranges of the manifests it holds.
fn lower_file<'c>(cx: &FileCx<'_, 'c>) -> (FactSet<'c>, Vec<Range<usize>>, Vec<Diagnostic>) {
    let parts: Vec<Option<Vec<Range<usize>>>> = match cx.kind {
        Kind::Script => vec![None],
        Kind::Markdown => markdown::shell_blocks(cx.text)
            .into_iter()
            .map(Some)
            .collect(),
        Kind::Prose => vec![Some(markdown::prose_command_lines(cx.text))],
    };
    let parsed_text = if cx.kind.has_placeholders() {
        mask_angle_placeholders(cx.text)
    } else {
        std::borrow::Cow::Borrowed(cx.text)
    };
    let mut vars = Vars::default();
    let mut state = gcloud::State::default();
    let mut out = FactSet::default();
    let mut manifests = Vec::new();
    let mut diagnostics = Vec::new();
    for ranges in parts {
        let Ok(parsed) =
            script::commands_parsed_as(cx.text, &parsed_text, ranges.as_deref(), &mut vars)
        else {
            continue;
        };
        // Guides put output and `<a placeholder with spaces>` in shell blocks: only a
        // script's syntax is worth a note.
        if let Some(error) = parsed.first_error
            && cx.kind == Kind::Script
            && diagnostics.is_empty()
        {
            diagnostics.push(syntax_note(cx, error));
        }
        for shell_command in parsed.commands {
            let Some(line) = command_line::read(&shell_command.words, gcloud::takes_value) else {
                continue;
            };
            if !matches!(line.program.as_str(), "gcloud" | "kubectl") {
                continue;
            }
            let command = command_fact(cx, &line, shell_command.range.clone());
            if line.program == "gcloud" {
                gcloud::lower(cx, &line, &command, &mut state, &mut out);
            }
            if let Some(heredoc) = &shell_command.heredoc
                && heredoc.literal
                && applies_stdin(&line)
            {
                let body = from_line_start(cx.text, heredoc.body.clone());
                // In a Markdown list item, the whole here-document is indented, its `---`
                // lines too.
                let indent = heredoc.body.start - body.start;
                if cx.kind == Kind::Markdown && indent > 0 {
                    manifests.extend(markdown::split_indented_documents(cx.text, body, indent));
                } else {
                    manifests.push(body);
                }
            }
            out.commands.push(command);
        }
    }
    if cx.kind == Kind::Markdown {
        manifests.extend(markdown::manifest_blocks(cx.text));
        manifests.sort_by_key(|r| (r.start, r.end));
    }
    (out, manifests, diagnostics)
}

/// A note for the first part of a file the shell grammar could not read. tree-sitter-bash
/// recovers, so the rest is read; it is no validator either, so this is not an error.
fn syntax_note(cx: &FileCx<'_, '_>, error: Range<usize>) -> Diagnostic {
    let end = if error.is_empty() {
        // A missing token: point at the character there, if any.
        error.start
            + cx.text[error.start..]
                .chars()
                .next()
                .filter(|c| *c != '\n')
                .map_or(0, char::len_utf8)
    } else {
        let line_end = cx.text[error.start..]
            .find('\n')
            .map_or(cx.text.len(), |i| error.start + i);
        error.end.min(line_end).max(error.start)
    };
    Diagnostic::new(
        &wi000_invalid_yaml::META,
        "shell syntax wilint cannot read: the commands there are skipped".to_string(),
        Label::new(cx.span(error.start..end), "cannot read from here"),
    )
    .with_severity(Severity::Note)
    .with_note(
        "an unterminated quote or here-document, or syntax the bash grammar does not know; the other commands of the file are read",
    )
}

/// The error of a file whose reading panicked: wilint's bug, said at the file's first line.
fn unreadable(cx: &FileCx<'_, '_>, payload: &(dyn std::any::Any + Send)) -> Diagnostic {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
    let first_line = cx.text.find('\n').unwrap_or(cx.text.len());
    Diagnostic::new(
        &wi000_invalid_yaml::META,
        format!("internal error: wilint failed reading this file's commands ({what})"),
        Label::new(cx.span(0..first_line), "not read"),
    )
    .with_note("the other files were still linted. Please report this bug.")
}

/// A range widened to the start of its first line when only spaces precede it there: a
/// here-document in a Markdown list item starts after the item's indentation, its other
/// lines do not.
fn from_line_start(text: &str, range: Range<usize>) -> Range<usize> {
    let line_start = text
        .get(..range.start)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    match text.get(line_start..range.start) {
        Some(prefix) if prefix.chars().all(|c| c == ' ') => line_start..range.end,
        _ => range,
    }
}

/// `kubectl apply|create|replace -f -` (or `--filename=-`): the command applies its
/// standard input. (tree-sitter-bash drops a lone `-` before `<<EOF`, so `-f` without a
/// value counts too.)
fn applies_stdin(line: &CommandLine) -> bool {
    let verb = line.operands.first().map(Word::value);
    line.program == "kubectl"
        && matches!(verb.as_deref(), Some("apply" | "create" | "replace"))
        && line
            .flags
            .iter()
            .filter(|f| f.name == "-f" || f.name == "--filename")
            .any(|f| f.value.as_ref().is_none_or(|v| v.value() == "-"))
}

/// The number of operands that name the command (`gcloud container clusters create`): those
/// of a command wilint reads, or else the leading ones made of lowercase letters, digits and
/// dashes, at most three (four after `alpha` or `beta`).
fn path_len(line: &CommandLine) -> usize {
    if line.program == "gcloud"
        && let Some(len) = gcloud::command_path_len(line)
    {
        return len;
    }
    let skip = usize::from(
        line.operands
            .first()
            .is_some_and(|w| matches!(w.value().as_str(), "alpha" | "beta")),
    );
    let max = if line.program == "kubectl" { 2 } else { 3 } + skip;
    line.operands
        .iter()
        .take(max)
        .take_while(|w| {
            let v = w.value();
            !w.has_unknowns()
                && !v.is_empty()
                && v.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
        .count()
}

fn command_fact<'c>(cx: &FileCx<'_, 'c>, line: &CommandLine, range: Range<usize>) -> Command<'c> {
    let named = path_len(line);
    let mut path = vec![line.program.clone()];
    path.extend(line.operands[..named].iter().map(Word::value));
    let anchor = line.operands[..named]
        .last()
        .map_or(range.start..range.start + line.program.len(), |w| {
            w.range.clone()
        });
    let subject = line.operands.get(named).filter(|w| !w.has_unknowns());
    let display = match subject {
        Some(subject) if subject.value().len() <= 64 => {
            format!("`{} {}`", path.join(" "), subject.value())
        }
        _ => format!("`{}`", path.join(" ")),
    };
    let line_number = cx.line_of(range.start);
    let origin = Origin {
        file: cx.file,
        display,
        anchor: cx.span(anchor),
        position: (cx.file, range.start, range.start),
        unit: cx.unit,
        cluster: cx.cluster,
        key: format!("command/{}/-/{line_number}", path.join("/")),
        language: Language::Shell,
    };
    let flags = line
        .flags
        .iter()
        .map(|flag| Flag {
            name: flag.name.clone(),
            span: cx.span(flag.name_word.range.clone()),
            value: flag.value.as_ref().map(|v| cx.text(v)),
            dash: flag
                .dash
                .as_ref()
                .map(|(range, c)| (cx.span(range.clone()), *c)),
        })
        .collect();
    Command {
        origin,
        path,
        flags,
        positionals: line.operands[named..].iter().map(|w| cx.text(w)).collect(),
    }
}

/// Whether a text is wholly stated (no unknown part): what may name a thing.
pub fn is_known(text: &Text) -> bool {
    !text.has_unknowns()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shebangs() {
        assert!(has_shell_shebang("#!/bin/bash\necho"));
        assert!(has_shell_shebang("#!/usr/bin/env -S bash -e\n"));
        assert!(has_shell_shebang("#!/bin/sh"));
        assert!(!has_shell_shebang("#!/usr/bin/env python3\n"));
        assert!(!has_shell_shebang("apiVersion: v1\n"));
    }

    #[test]
    fn placeholders_of_guides() {
        let value = "serviceAccount:[PROJECT_ID].svc.id.goog[<ns>/KSA_NAME]";
        let found: Vec<&str> = placeholder_ranges(value)
            .into_iter()
            .map(|r| &value[r])
            .collect();
        assert_eq!(found, vec!["[PROJECT_ID]", "<ns>", "KSA_NAME"]);
        let found: Vec<&str> = placeholder_ranges("x.svc.id.goog[NAMESPACE/app]")
            .into_iter()
            .map(|r| &"x.svc.id.goog[NAMESPACE/app]"[r])
            .collect();
        assert_eq!(found, vec!["NAMESPACE"]);
        assert!(placeholder_ranges("serviceAccount:acme.svc.id.goog[default/default]").is_empty());
    }

    #[test]
    fn angle_placeholders_are_masked_at_the_same_offsets() {
        let text = "kubectl create namespace <namespace>\ncat <<EOF\n";
        let masked = mask_angle_placeholders(text);
        assert_eq!(masked.len(), text.len());
        assert!(masked.contains("_namespace_"));
        assert!(masked.contains("<<EOF"));
    }
}
