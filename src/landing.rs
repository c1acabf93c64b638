//! Findings in rendered output (`--helm`, `--kustomize`, `--helm-auto`) moved onto files of
//! the repository, so that code-scanning alerts, GitHub annotations and editor links land on a
//! file someone can open, never on the rendered text.
//!
//! Helm writes `# Source: CHART/templates/x.yaml` before each document it renders: the
//! template is that path with the chart's name replaced by the chart's directory. A label goes
//! to the line of its key in the template when exactly one line has that key (or, of several,
//! exactly one has the rendered line's text); failing that, to the closest enclosing key that
//! is unique; failing that, to the template's first line. Text with no template on disk
//! (kustomize's output, a document without `# Source:`, a packaged subchart) lands on the first
//! line of the chart's `Chart.yaml` or of the kustomization file. Every moved finding keeps
//! where it was in the rendered text ([`RenderedAt`]), which output shows: a template rarely
//! shows the values that make the finding.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use crate::diagnostic::{Diagnostic, FileId, Label, RenderedAt, Span};
use crate::read;
use crate::source::{self, DocumentRange, Files, RenderTool, SourceFile};

/// Moves every label of `diagnostics` that points into rendered text; returns the files it
/// added to `files` (templates, charts' `Chart.yaml`, kustomization files), which were not
/// linted themselves.
pub fn land<'d>(
    files: &mut Files,
    diagnostics: impl Iterator<Item = &'d mut Diagnostic>,
    max_file_size: u64,
) -> BTreeSet<FileId> {
    let mut lander = Lander {
        max_file_size,
        loaded: HashMap::new(),
        documents: HashMap::new(),
        added: BTreeSet::new(),
    };
    for diagnostic in diagnostics {
        let primary = diagnostic.primary.span;
        if files.get(primary.file).rendered.is_none() {
            if diagnostic.secondary.iter().all(|l| !is_rendered(files, l)) {
                continue;
            }
        } else {
            diagnostic.rendered = Some(rendered_at(files.get(primary.file), primary.start));
        }
        lander.land_label(files, &mut diagnostic.primary);
        for label in &mut diagnostic.secondary {
            lander.land_label(files, label);
        }
    }
    lander.added
}

fn is_rendered(files: &Files, label: &Label) -> bool {
    files.get(label.span.file).rendered.is_some()
}

fn rendered_at(file: &SourceFile, offset: usize) -> RenderedAt {
    let (line, column) = file.line_col(offset);
    let text = &file.text;
    let start = text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    RenderedAt {
        output: file.name.clone(),
        line,
        column,
        excerpt: shorten(text[start..end].trim(), 80),
    }
}

fn shorten(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

struct Lander {
    max_file_size: u64,
    /// The files read so far, by path (`None`: missing or unreadable).
    loaded: HashMap<PathBuf, Option<FileId>>,
    /// The documents of each rendered text.
    documents: HashMap<FileId, Vec<DocumentRange>>,
    added: BTreeSet<FileId>,
}

/// How closely a label could be placed in a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placed {
    /// On the line of its own key (or item).
    Exactly,
    /// On an enclosing key: the key itself comes from a value (`toYaml`) or is ambiguous.
    Inside,
    /// On the template's first line.
    InTemplate,
}

impl Lander {
    fn land_label(&mut self, files: &mut Files, label: &mut Label) {
        let rendered_file = label.span.file;
        let Some(from) = files.get(rendered_file).rendered.clone() else {
            return;
        };
        let file = files.get(rendered_file);
        let documents = self
            .documents
            .entry(rendered_file)
            .or_insert_with(|| source::split_documents(&file.text));
        let document = documents
            .iter()
            .rfind(|d| d.start <= label.span.start)
            .cloned();
        let template = match (from.tool, &document) {
            (RenderTool::Helm, Some(doc)) => doc
                .source_template
                .clone()
                .and_then(|range| helm_template_path(&from.dir, &file.text[range])),
            _ => None,
        };
        let (doc_start, doc_end) = document.map_or((0, file.text.len()), |d| (d.start, d.end));
        let chain = enclosing_lines(
            &file.text[doc_start..doc_end],
            label.span.start.saturating_sub(doc_start),
        );
        let label_text = file
            .text
            .get(label.span.start..label.span.end)
            .unwrap_or("")
            .to_string();
        let line = file.line_col(label.span.start).0;

        if let Some(id) = template.and_then(|path| self.load(files, &path)) {
            let text = &files.get(id).text;
            let (range, placed) = locate(text, &chain, &label_text)
                .unwrap_or_else(|| (first_line(text), Placed::InTemplate));
            label.span = Span {
                file: id,
                start: range.start,
                end: range.end,
            };
            match placed {
                Placed::Exactly => {}
                Placed::Inside => label.message.push_str(" (rendered inside this key)"),
                Placed::InTemplate => label.message.push_str(&format!(
                    " (rendered from this template, line {line} of its output)"
                )),
            }
            return;
        }
        let fallback = match from.tool {
            RenderTool::Helm => vec![from.dir.join("Chart.yaml")],
            RenderTool::Kustomize => ["kustomization.yaml", "kustomization.yml", "Kustomization"]
                .iter()
                .map(|name| from.dir.join(name))
                .collect(),
        };
        // With no file of the repository to land on, the label stays where it is.
        if let Some(id) = fallback.iter().find_map(|path| self.load(files, path)) {
            let range = first_line(&files.get(id).text);
            label.span = Span {
                file: id,
                start: range.start,
                end: range.end,
            };
            label
                .message
                .push_str(&format!(" (line {line} of its rendered output)"));
        }
    }

    /// Reads a file of the repository once; `None` when it is missing, not a regular file,
    /// over the size limit or not text.
    fn load(&mut self, files: &mut Files, path: &Path) -> Option<FileId> {
        if let Some(id) = self.loaded.get(path) {
            return *id;
        }
        let id = std::fs::metadata(path)
            .ok()
            .filter(|meta| meta.is_file() && meta.len() <= self.max_file_size)
            .and_then(|_| std::fs::read(path).ok())
            .map(read::decode)
            .filter(|(_, problem)| problem.is_none())
            .map(|(text, _)| {
                let name = read::display_name(path);
                files.add(SourceFile::new(name, Some(path.to_path_buf()), text))
            });
        if let Some(id) = id {
            self.added.insert(id);
        }
        self.loaded.insert(path.to_path_buf(), id);
        id
    }
}

/// The template a `# Source:` header names: `CHART/templates/x.yaml` (or
/// `CHART/charts/SUB/templates/x.yaml`) with `CHART`, the chart's name, replaced by its
/// directory. A header that climbs out of the chart names no template.
fn helm_template_path(chart_dir: &Path, source: &str) -> Option<PathBuf> {
    let (_chart_name, inside) = source.trim().split_once('/')?;
    let inside = Path::new(inside);
    let stays_inside = inside
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    stays_inside.then(|| chart_dir.join(inside))
}

/// One line of YAML as the locator compares it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct LineShape {
    /// The mapping key the line starts (after any `- ` item markers), unquoted.
    key: Option<String>,
    /// The line without its indentation and item markers.
    content: String,
}

fn is_item(line: &str) -> bool {
    let rest = line.trim_start_matches(' ');
    rest == "-" || rest.starts_with("- ")
}

/// A line without its indentation and `- ` item markers.
fn content_of(line: &str) -> &str {
    let mut content = line.trim();
    while let Some(rest) = content.strip_prefix("- ") {
        content = rest.trim_start();
    }
    content
}

fn shape(line: &str) -> LineShape {
    let content = content_of(line);
    LineShape {
        key: key_of(content),
        content: content.to_string(),
    }
}

/// The key a line's content starts: `name` of `name: x`, `a/b` of `"a/b": x`.
fn key_of(content: &str) -> Option<String> {
    let key = if let Some(quote @ ('"' | '\'')) = content.chars().next() {
        let close = content[1..].find(quote)? + 1;
        let after = content[close + 1..].trim_start();
        if !after.starts_with(':') {
            return None;
        }
        &content[1..close]
    } else {
        let colon = content
            .match_indices(':')
            .find(|(i, _)| {
                content[i + 1..]
                    .chars()
                    .next()
                    .is_none_or(|c| c == ' ' || c == '\t')
            })?
            .0;
        content[..colon].trim_end()
    };
    (!key.is_empty() && !key.contains("{{")).then(|| key.to_string())
}

/// The line at `offset` in a document's text, then each enclosing line (its parent key, the
/// parent's parent, up to the top level), by indentation.
fn enclosing_lines(text: &str, offset: usize) -> Vec<LineShape> {
    let offset = offset.min(text.len());
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let lines: Vec<&str> = text[..line_end].split('\n').collect();
    let Some((last, above)) = lines.split_last() else {
        return Vec::new();
    };
    let mut chain = vec![shape(last)];
    let (mut indent, mut item) = (source::indentation(last), is_item(last));
    for line in above.iter().rev() {
        if source::is_blank_or_comment(line) {
            continue;
        }
        let (line_indent, line_item) = (source::indentation(line), is_item(line));
        // A compact sequence (`key:` then `- item` at the same indentation) belongs to the key.
        if line_indent < indent || (line_indent == indent && item && !line_item) {
            chain.push(shape(line));
            (indent, item) = (line_indent, line_item);
            if indent == 0 && !item {
                break;
            }
        }
    }
    chain
}

/// The range of the line in `template` that the innermost line of `chain` it can place
/// unambiguously comes from, and how close that is.
fn locate(template: &str, chain: &[LineShape], label_text: &str) -> Option<(Range<usize>, Placed)> {
    let lines: Vec<(usize, &str)> = source::line_offsets(template)
        .filter(|(_, line)| !source::is_blank_or_comment(line) && !line.trim().starts_with("{{"))
        .collect();
    for (depth, wanted) in chain.iter().enumerate() {
        let same_key: Vec<&(usize, &str)> = lines
            .iter()
            .filter(|(_, line)| {
                let found = shape(line);
                match &wanted.key {
                    Some(key) => found.key.as_deref() == Some(key),
                    None => found.content == wanted.content,
                }
            })
            .collect();
        let unique = match same_key.as_slice() {
            [one] => Some(**one),
            [] => None,
            several => {
                let same_text: Vec<_> = several
                    .iter()
                    .filter(|(_, line)| shape(line).content == wanted.content)
                    .collect();
                match same_text.as_slice() {
                    [one] => Some(***one),
                    _ => None,
                }
            }
        };
        let Some((start, line)) = unique else {
            continue;
        };
        let content_end = start + line.trim_end().len();
        let content_start = content_end - content_of(line).len();
        if depth == 0 && !label_text.is_empty() && !label_text.contains('\n') {
            let content = &template[content_start..content_end];
            let mut found = content.match_indices(label_text);
            if let (Some((at, _)), None) = (found.next(), found.next()) {
                let at = content_start + at;
                return Some((at..at + label_text.len(), Placed::Exactly));
            }
        }
        let placed = if depth == 0 {
            Placed::Exactly
        } else {
            Placed::Inside
        };
        return Some((content_start..content_end, placed));
    }
    None
}

/// The first line with content (not a comment, if any), for a label that can be placed
/// nowhere closer.
fn first_line(text: &str) -> Range<usize> {
    source::line_offsets(text)
        .find(|(_, line)| !source::is_blank_or_comment(line))
        .or_else(|| source::line_offsets(text).find(|(_, line)| !line.trim().is_empty()))
        .map_or(0..0, |(start, line)| {
            let lead = line.len() - line.trim_start().len();
            start + lead..start + line.trim_end().len()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = "\
{{- if .Values.serviceAccount.create }}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include \"app.name\" . }}
  annotations:
    {{- toYaml .Values.annotations | nindent 4 }}
spec:
  template:
    spec:
      hostNetwork: {{ .Values.hostNetwork }}
      containers:
        - name: app
          image: app
        - name: sidecar
          image: sidecar
";

    fn chain_at(rendered: &str, needle: &str) -> Vec<LineShape> {
        enclosing_lines(rendered, rendered.find(needle).expect("needle"))
    }

    fn placed(rendered: &str, needle: &str, label: &str) -> Option<(String, Placed)> {
        locate(TEMPLATE, &chain_at(rendered, needle), label)
            .map(|(range, how)| (TEMPLATE[range].to_string(), how))
    }

    const RENDERED: &str = "\
apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
  annotations:
    iam.gke.io/gcp-service-account: app@p.iam.gserviceaccount.com
spec:
  template:
    spec:
      hostNetwork: true
      containers:
        - name: app
          image: app
        - name: sidecar
          image: sidecar
";

    #[test]
    fn a_key_on_one_line_of_the_template_is_placed_exactly() {
        assert_eq!(
            placed(RENDERED, "hostNetwork", "true"),
            Some((
                "hostNetwork: {{ .Values.hostNetwork }}".to_string(),
                Placed::Exactly
            ))
        );
        assert_eq!(
            placed(RENDERED, "ServiceAccount", "ServiceAccount"),
            Some(("ServiceAccount".to_string(), Placed::Exactly))
        );
    }

    #[test]
    fn a_key_written_by_to_yaml_lands_on_its_parent() {
        assert_eq!(
            placed(RENDERED, "iam.gke.io", "app@p.iam.gserviceaccount.com"),
            Some(("annotations:".to_string(), Placed::Inside))
        );
    }

    #[test]
    fn repeated_keys_are_told_apart_by_their_text_or_not_placed() {
        assert_eq!(
            placed(RENDERED, "image: sidecar", "sidecar"),
            Some(("sidecar".to_string(), Placed::Exactly))
        );
        // A repeated key whose rendered text is in no line goes to the enclosing item.
        let rendered = RENDERED.replace("image: sidecar", "image: other");
        assert_eq!(
            placed(&rendered, "image: other", "other"),
            Some(("name: sidecar".to_string(), Placed::Inside))
        );
    }

    #[test]
    fn the_chain_follows_indentation_and_compact_sequences() {
        let text = "a:\n  b:\n  - c: 1\n    d: 2\n";
        let keys: Vec<_> = chain_at(text, "d: 2")
            .into_iter()
            .map(|l| l.key.unwrap_or_default())
            .collect();
        assert_eq!(keys, ["d", "c", "b", "a"]);
    }

    #[test]
    fn keys_are_read_as_yaml_writes_them() {
        assert_eq!(key_of("name: x"), Some("name".into()));
        assert_eq!(key_of("\"a/b:c\": x"), Some("a/b:c".into()));
        assert_eq!(key_of("image: gcr.io/x:1"), Some("image".into()));
        assert_eq!(key_of("http://x"), None);
        assert_eq!(key_of("{{ $k }}: v"), None);
        assert_eq!(key_of("plain"), None);
    }

    #[test]
    fn source_headers_resolve_inside_the_chart_only() {
        let dir = Path::new("charts/app");
        assert_eq!(
            helm_template_path(dir, "app/templates/sa.yaml"),
            Some(PathBuf::from("charts/app/templates/sa.yaml"))
        );
        assert_eq!(
            helm_template_path(dir, "app/charts/sub/templates/x.yaml"),
            Some(PathBuf::from("charts/app/charts/sub/templates/x.yaml"))
        );
        assert_eq!(helm_template_path(dir, "app/../../etc/passwd"), None);
        assert_eq!(helm_template_path(dir, "app"), None);
    }

    #[test]
    fn the_first_line_skips_blank_lines() {
        assert_eq!(
            &"\n\n  kind: A \n"[first_line("\n\n  kind: A \n")],
            "kind: A"
        );
        assert_eq!(&"# c\nkind: A\n"[first_line("# c\nkind: A\n")], "kind: A");
        assert_eq!(&"# only\n"[first_line("# only\n")], "# only");
        assert_eq!(first_line(""), 0..0);
    }
}
