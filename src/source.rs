//! Source files: their text, line table, and the split into YAML documents.
//!
//! Positions inside wilint are byte offsets into a file's text. Lines and columns are derived
//! here: lines are 1-based, columns are 1-based and count Unicode scalar values (characters),
//! which is what SARIF calls `unicodeCodePoints`.

use std::path::PathBuf;

use rayon::prelude::*;

use crate::diagnostic::{FileId, Span};
use crate::sparse::Sparse;

/// The tool that rendered a text wilint lints (`--helm`, `--kustomize`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenderTool {
    Helm,
    Kustomize,
}

/// Where a rendered text comes from: its findings are reported on the files of this
/// directory (see [`crate::landing`]), never on the rendered text, which no one can open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub tool: RenderTool,
    /// The chart or kustomization directory, as given.
    pub dir: PathBuf,
}

/// One input file (or standard input), already decoded as UTF-8.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as shown to users (relative as given on the command line).
    pub name: String,
    /// The path on disk, if any (standard input has none).
    pub path: Option<PathBuf>,
    /// The path relative to the repository root (the name for standard input): the part of
    /// fingerprints that does not depend on where wilint was run from.
    pub key: String,
    pub text: String,
    /// Built on first use: most files never need a line number (no finding), and the table
    /// costs 8 bytes per line.
    line_starts: std::sync::OnceLock<Vec<usize>>,
    /// Set by the pre-scan: for each non-blank document, in order, whether it was validated
    /// and needs no tree. Empty: parse every document.
    pub skip_documents: Vec<bool>,
    /// Documents of a file whose text the pre-scan dropped (no rule can use any of them).
    pub dropped_documents: usize,
    /// Set when `text` is empty and only the documents that need a tree are kept (see
    /// [`crate::sparse`]), until output reads the file again.
    pub sparse: Option<Sparse>,
    /// For a sparse file read again without its text: the line and column of each byte
    /// offset output shows.
    positions: std::collections::HashMap<usize, (usize, usize)>,
    /// Set for the output of `helm template` or `kustomize build`.
    pub rendered: Option<Rendered>,
}

impl SourceFile {
    pub fn new(name: String, path: Option<PathBuf>, text: String) -> Self {
        SourceFile {
            key: name.clone(),
            name,
            path,
            text,
            line_starts: std::sync::OnceLock::new(),
            skip_documents: Vec::new(),
            dropped_documents: 0,
            sparse: None,
            positions: std::collections::HashMap::new(),
            rendered: None,
        }
    }

    pub fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1))
                .collect()
        })
    }

    /// 0-based line index of a byte offset.
    pub fn line_index(&self, offset: usize) -> usize {
        match self.line_starts().binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next.saturating_sub(1),
        }
    }

    /// 1-based line and 1-based character column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        if self.sparse.is_some() {
            // Output asks only for the offsets it read the file again for.
            debug_assert!(
                self.positions.contains_key(&offset),
                "{}: {offset}",
                self.name
            );
            return self.positions.get(&offset).copied().unwrap_or((1, 1));
        }
        let offset = self.floor_char_boundary(offset.min(self.text.len()));
        let line = self.line_index(offset);
        let start = self.line_starts()[line];
        let column = self.text[start..offset].chars().count() + 1;
        (line + 1, column)
    }

    fn floor_char_boundary(&self, mut offset: usize) -> usize {
        while offset > 0 && !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

/// All files of one run, indexed by [`FileId`].
#[derive(Debug, Default)]
pub struct Files {
    files: Vec<SourceFile>,
}

impl Files {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        self.files.len() - 1
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id]
    }

    pub fn get_mut(&mut self, id: FileId) -> &mut SourceFile {
        &mut self.files[id]
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate()
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Reads again the sparse files among `shown` so that output can show the lines and
    /// columns of these byte offsets, and with `whole` the source lines too (the whole text is
    /// kept then; otherwise only the positions, one file's text in memory at a time). Returns
    /// the files whose text changed since, with the error.
    pub fn read_again(
        &mut self,
        shown: &std::collections::BTreeMap<FileId, Vec<usize>>,
        whole: bool,
    ) -> Vec<(FileId, String)> {
        self.files
            .par_iter_mut()
            .enumerate()
            .filter(|(id, file)| file.sparse.is_some() && shown.contains_key(id))
            .filter_map(|(id, file)| {
                let sparse = file.sparse.as_ref()?;
                let text = match crate::sparse::reread(file, sparse) {
                    Ok(text) => text,
                    Err(error) => return Some((id, error)),
                };
                if whole {
                    file.text = text;
                    file.sparse = None;
                    // (Lines of the empty text, had anything asked.)
                    file.line_starts = std::sync::OnceLock::new();
                } else {
                    let read = SourceFile::new(String::new(), None, text);
                    file.positions = shown[&id]
                        .iter()
                        .map(|&offset| (offset, read.line_col(offset)))
                        .collect();
                }
                None
            })
            .collect()
    }

    /// Start and end (line, column) of a span; the end column is exclusive, as in SARIF.
    pub fn span_positions(&self, span: Span) -> ((usize, usize), (usize, usize)) {
        let file = self.get(span.file);
        (file.line_col(span.start), file.line_col(span.end))
    }
}

impl<'a> codespan_reporting::files::Files<'a> for Files {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        self.files
            .get(id)
            .map(|f| f.name.as_str())
            .ok_or(codespan_reporting::files::Error::FileMissing)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        self.files
            .get(id)
            .map(|f| f.text.as_str())
            .ok_or(codespan_reporting::files::Error::FileMissing)
    }

    fn line_index(
        &'a self,
        id: FileId,
        byte_index: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        let file = self
            .files
            .get(id)
            .ok_or(codespan_reporting::files::Error::FileMissing)?;
        Ok(file.line_index(byte_index))
    }

    fn line_range(
        &'a self,
        id: FileId,
        line_index: usize,
    ) -> Result<std::ops::Range<usize>, codespan_reporting::files::Error> {
        let file = self
            .files
            .get(id)
            .ok_or(codespan_reporting::files::Error::FileMissing)?;
        let starts = file.line_starts();
        let len = file.text.len();
        if line_index >= starts.len() {
            // codespan asks for the line after the last one when a span ends at EOF.
            if line_index == starts.len() {
                return Ok(len..len);
            }
            return Err(codespan_reporting::files::Error::LineTooLarge {
                given: line_index,
                max: starts.len() - 1,
            });
        }
        let start = starts[line_index];
        let end = starts.get(line_index + 1).copied().unwrap_or(len);
        Ok(start..end)
    }
}

/// One YAML document of a file: the byte range of its text (after the `---` marker line) and
/// the Helm template it was rendered from, if a `# Source:` comment precedes its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRange {
    pub start: usize,
    pub end: usize,
    /// 0-based line of `start` in the file.
    pub first_line: usize,
    /// Byte range in the file of the template path named by a `# Source:` header.
    pub source_template: Option<std::ops::Range<usize>>,
}

/// Splits a YAML stream into documents at `---` / `...` markers in column 0, before any YAML
/// parsing, so that one broken document never hides its healthy neighbours.
///
/// A line that starts with `---` followed by end of line, a space or a tab is a document start
/// marker (YAML 1.2 `c-directives-end`); content after it on the same line belongs to the new
/// document. The YAML spec forbids such lines inside any scalar, so this split is exact.
pub fn split_documents(text: &str) -> Vec<DocumentRange> {
    if let Some(values) = split_json_stream(text) {
        return values;
    }
    let mut splitter = Splitter::default();
    // Lines are counted only up to each marker: most of a file is never looked at line by line.
    let mut counted_to = 0usize;
    let mut line_no = 0usize;
    for offset in marker_line_starts(text) {
        line_no += memchr::memchr_iter(b'\n', &text.as_bytes()[counted_to..offset]).count();
        counted_to = offset;
        let line_end = text[offset..]
            .find('\n')
            .map_or(text.len(), |i| offset + i + 1);
        splitter.line(text, offset, line_no, &text[offset..line_end]);
    }
    splitter.finish(text)
}

/// A stream of JSON objects (`{…}\n{…}`), which kubectl reads as one document each (its
/// decoder takes a stream that starts with `{` for JSON): their ranges, if the text is one of
/// two or more objects and nothing else. One object, or anything else, is split as YAML.
fn split_json_stream(text: &str) -> Option<Vec<DocumentRange>> {
    // Somewhere `}` is followed by `{` (JSON Lines, or objects one after another): a single
    // object, pretty-printed or not, never costs the scan below.
    if !text.trim_start().starts_with('{') || !closes_then_opens(text.as_bytes()) {
        return None;
    }
    let bytes = text.as_bytes();
    let mut values = Vec::new();
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let (mut start, mut start_line, mut line) = (None, 0, 0);
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'\n' => line += 1,
            b'"' if depth > 0 => in_string = true,
            b'{' | b'[' => {
                if depth == 0 {
                    if b == b'[' {
                        return None;
                    }
                    start = Some(i);
                    start_line = line;
                }
                depth += 1;
            }
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    values.push(DocumentRange {
                        start: start?,
                        end: i + 1,
                        first_line: start_line,
                        source_template: None,
                    });
                }
            }
            b' ' | b'\t' | b'\r' => {}
            _ if depth == 0 => return None,
            _ => {}
        }
    }
    (depth == 0 && values.len() > 1).then_some(values)
}

/// Whether some `}` is followed, after white space only, by `{`.
fn closes_then_opens(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'}', bytes).any(|close| {
        bytes[close + 1..]
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|&b| b == b'{')
    })
}

/// The documents found so far, fed one line at a time (only marker lines change anything).
#[derive(Default)]
struct Splitter {
    docs: Vec<DocumentRange>,
    doc_start: usize,
    doc_first_line: usize,
    /// Whether the current document was explicitly ended with `...`.
    ended: bool,
    /// Whether a `---` has opened a document: directives may follow only a `...` then.
    opened: bool,
}

impl Splitter {
    /// The line `line` (with its line break) starts at byte `offset` and is line `line_no`.
    fn line(&mut self, text: &str, offset: usize, line_no: usize, line: &str) {
        let bare = line.trim_end_matches(['\n', '\r']);
        if let Some(rest) = marker_rest(bare, "---") {
            // Directives (`%YAML`, `%TAG`) before the marker belong to the document it starts:
            // its tag handles are declared there.
            let prelude = (self.ended || self.docs.is_empty() && !self.opened)
                && is_directive_prelude(&text[self.doc_start.min(offset)..offset]);
            if prelude {
                self.ended = false;
                return;
            }
            if offset > self.doc_start || self.ended {
                self.push(text, offset);
            }
            // Content on the marker line (`--- {a: 1}`, `--- &a key: v`) belongs to the new
            // document, which then starts with the marker so that the parser judges it as
            // YAML does (a block mapping may not start there). Otherwise the document begins
            // right after `---`; line bookkeeping keeps the marker's line either way.
            let content = rest.trim_start();
            self.doc_start = if content.is_empty() || content.starts_with('#') {
                offset + (bare.len() - rest.len())
            } else {
                offset
            };
            self.doc_first_line = line_no;
            self.ended = false;
            self.opened = true;
        } else if marker_rest(bare, "...").is_some_and(|rest| {
            // Only a comment may follow `...`; other content makes the line no marker, and
            // the parser reports it.
            let rest = rest.trim_start();
            rest.is_empty() || rest.starts_with('#')
        }) {
            self.push(text, offset);
            self.doc_start = offset + line.len();
            self.doc_first_line = line_no + 1;
            self.ended = true;
        }
    }

    fn finish(mut self, text: &str) -> Vec<DocumentRange> {
        if self.doc_start < text.len() || self.docs.is_empty() {
            self.push(text, text.len());
        }
        self.docs
    }

    /// Ends the current document at `end`.
    fn push(&mut self, text: &str, end: usize) {
        let start = self.doc_start.min(end);
        self.docs.push(DocumentRange {
            start,
            end,
            first_line: self.doc_first_line,
            source_template: helm_source(&text[start..end]).map(|r| start + r.start..start + r.end),
        });
    }
}

/// The byte offsets, in order, of the lines that start with `---` or `...`: the only lines
/// that can be markers, found with a SIMD substring search instead of a walk over every line.
fn marker_line_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    let first = (text.starts_with("---") || text.starts_with("...")).then_some(0);
    let mut dashes = memchr::memmem::find_iter(bytes, b"\n---")
        .map(|i| i + 1)
        .peekable();
    let mut dots = memchr::memmem::find_iter(bytes, b"\n...")
        .map(|i| i + 1)
        .peekable();
    let rest = std::iter::from_fn(move || match (dashes.peek(), dots.peek()) {
        (Some(&d), Some(&p)) if p < d => dots.next(),
        (Some(_), _) => dashes.next(),
        (None, _) => dots.next(),
    });
    first.into_iter().chain(rest)
}

/// Whether the text before a `---` marker holds directives and nothing else but blank lines
/// and comments.
fn is_directive_prelude(text: &str) -> bool {
    let mut directives = false;
    for line in text.lines() {
        let content = line.trim_start();
        if line.starts_with('%') {
            directives = true;
        } else if !(content.is_empty() || content.starts_with('#')) {
            return false;
        }
    }
    directives
}

/// If `line` is the marker followed by nothing, a space or a tab, the rest of the line.
fn marker_rest<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(marker)?;
    if rest.is_empty() || rest.starts_with([' ', '\t']) {
        Some(rest)
    } else {
        None
    }
}

/// The template named by a `# Source: chart/templates/x.yaml` comment among the leading
/// comment lines of a document (what `helm template` writes after each `---`), as a byte range
/// of `doc`.
fn helm_source(doc: &str) -> Option<std::ops::Range<usize>> {
    let mut offset = 0;
    for line in doc.split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let content = line.trim();
        if content.is_empty() {
            continue;
        }
        let comment = content.strip_prefix('#')?;
        if let Some(source) = comment.trim_start().strip_prefix("Source:") {
            let source = source.trim();
            if !source.is_empty() {
                // `source` is a subslice of `line`: find where it starts.
                let at = line_start + (source.as_ptr() as usize - line.as_ptr() as usize);
                return Some(at..at + source.len());
            }
        }
    }
    None
}

/// The lines of a text without their line breaks, each with the byte offset where it starts.
pub fn line_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0;
    text.split_inclusive('\n').map(move |line| {
        let at = start;
        start += line.len();
        (at, line.trim_end_matches(['\n', '\r']))
    })
}

/// Whether a document has no content at all (only blank lines and comments).
pub fn is_blank_document(doc: &str) -> bool {
    doc.lines().all(is_blank_or_comment)
}

/// Whether a line holds nothing but white space or a comment.
pub fn is_blank_or_comment(line: &str) -> bool {
    let rest = line.trim();
    rest.is_empty() || rest.starts_with('#')
}

/// The spaces a line is indented by.
pub fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The split that `split_documents` replaced, kept as its oracle: every line is fed to
    /// the splitter, not only the lines the marker search finds.
    fn split_by_lines(text: &str) -> Vec<DocumentRange> {
        let mut splitter = Splitter::default();
        let mut offset = 0;
        for (line_no, line) in text.split_inclusive('\n').enumerate() {
            splitter.line(text, offset, line_no, line);
            offset += line.len();
        }
        splitter.finish(text)
    }

    #[test]
    fn marker_search_splits_exactly_like_a_walk_over_lines() {
        let cases = [
            "",
            "---",
            "...",
            "---\n",
            "a: 1\n---\nb: 2\n...\n---\nc: 3",
            "--- {a: 1}\n--- # c\n---x\n----\n...x\n... \n...\n---\t\n",
            "a: |\n  ---\n  ...\n---\r\nb: 2\r\n...\r\n",
            "...\n...\n---\n---\n",
            "x\n\n\n---\n\n\n...\n\n\nlast",
            "# Source: c/templates/a.yaml\n---\n# Source: c/templates/b.yaml\nkind: A\n",
            "%YAML 1.2\n---\na\n...\n%TAG ! x:\n--- !a b\n... x\n",
        ];
        for case in cases {
            assert_eq!(split_documents(case), split_by_lines(case), "{case:?}");
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
        let mut stack = vec![root];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("testdata").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if let Ok(text) = std::fs::read_to_string(&path) {
                    assert_eq!(split_documents(&text), split_by_lines(&text), "{path:?}");
                }
            }
        }
    }

    fn texts(input: &str) -> Vec<&str> {
        split_documents(input)
            .iter()
            .map(|d| &input[d.start..d.end])
            .collect()
    }

    #[test]
    fn splits_on_markers_only_in_column_zero() {
        let input = "a: 1\n---\nb: |\n  ---\n  x\n--- \nc: 3\n";
        assert_eq!(
            texts(input),
            vec!["a: 1\n", "\nb: |\n  ---\n  x\n", " \nc: 3\n"]
        );
    }

    #[test]
    fn leading_marker_gives_no_empty_document() {
        let docs = split_documents("---\na: 1\n");
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].first_line, 0);
    }

    #[test]
    fn dashes_followed_by_text_are_not_a_marker() {
        assert_eq!(texts("a: 1\n----\n---x\n"), vec!["a: 1\n----\n---x\n"]);
    }

    #[test]
    fn document_end_marker_closes_a_document() {
        let input = "a: 1\n...\nb: 2\n";
        assert_eq!(texts(input), vec!["a: 1\n", "b: 2\n"]);
    }

    #[test]
    fn inline_content_after_marker_belongs_to_the_new_document() {
        let input = "--- {a: 1}\n--- [b]\n--- # comment\nc: 1\n";
        assert_eq!(
            texts(input),
            vec!["--- {a: 1}\n", "--- [b]\n", " # comment\nc: 1\n"]
        );
    }

    #[test]
    fn directives_belong_to_the_document_they_precede() {
        let input = "%TAG ! tag:example.com,2000:\n--- !foo a\n...\n# c\n%YAML 1.2\n---\nb: 1\n";
        assert_eq!(
            texts(input),
            vec![
                "%TAG ! tag:example.com,2000:\n--- !foo a\n",
                "# c\n%YAML 1.2\n---\nb: 1\n"
            ]
        );
        // Inside a document (no `...` before it) a `%` line is content, not a directive.
        assert_eq!(
            texts("---\n%YAML 1.2\n---\nb: 1\n"),
            vec!["\n%YAML 1.2\n", "\nb: 1\n"]
        );
        assert_eq!(
            texts("a: 1\n%x\n---\nb: 1\n"),
            vec!["a: 1\n%x\n", "\nb: 1\n"]
        );
    }

    #[test]
    fn a_stream_of_json_objects_is_one_document_each() {
        let input = "{\"kind\": \"A\", \"s\": \"}{\\\"\"}\n  {\"kind\": [\"B\"]}\n";
        assert_eq!(
            texts(input),
            vec![
                "{\"kind\": \"A\", \"s\": \"}{\\\"\"}",
                "{\"kind\": [\"B\"]}"
            ]
        );
        assert_eq!(split_documents(input)[1].first_line, 1);
        // One object, or objects with anything else around them, split as YAML.
        assert_eq!(texts("{\"a\": 1}\n"), vec!["{\"a\": 1}\n"]);
        assert_eq!(texts("{\"a\": 1}\nb: 2\n"), vec!["{\"a\": 1}\nb: 2\n"]);
        assert_eq!(texts("{\"a\": 1} # c\n{}\n"), vec!["{\"a\": 1} # c\n{}\n"]);
    }

    #[test]
    fn content_after_a_document_end_marker_is_no_marker() {
        assert_eq!(
            texts("key: value\n... invalid\n"),
            vec!["key: value\n... invalid\n"]
        );
        assert_eq!(texts("a: 1\n... # c\nb: 2\n"), vec!["a: 1\n", "b: 2\n"]);
    }

    #[test]
    fn crlf_line_endings() {
        let input = "a: 1\r\n---\r\nb: 2\r\n";
        assert_eq!(texts(input), vec!["a: 1\r\n", "\r\nb: 2\r\n"]);
    }

    #[test]
    fn helm_source_comment_is_attached() {
        let input = "---\n# Source: app/templates/sa.yaml\napiVersion: v1\n";
        let docs = split_documents(input);
        let range = docs[0].source_template.clone().expect("source");
        assert_eq!(&input[range], "app/templates/sa.yaml");
    }

    #[test]
    fn source_comment_after_content_is_not_a_header() {
        let input = "a: 1\n# Source: x.yaml\n";
        assert_eq!(split_documents(input)[0].source_template, None);
    }

    #[test]
    fn line_col_counts_characters() {
        let file = SourceFile::new("f".into(), None, "é: 1\nab: ü\n".into());
        // "ü" starts at byte 10 (é is 2 bytes): line 2, column 5.
        assert_eq!(file.line_col(10), (2, 5));
        assert_eq!(file.line_col(0), (1, 1));
        // A byte offset inside a multi-byte character is floored to its start.
        assert_eq!(file.line_col(1), (1, 1));
    }
}
