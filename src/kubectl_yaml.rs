//! YAML that kubectl applies and saphyr refuses. kubectl decodes with go-yaml, which does not
//! check the indentation of a flow construct's lines: a multi-line quoted scalar continued at
//! its key's column, or a flow sequence closed (`]`) at its key's column, are applied, while
//! saphyr stops with "invalid indentation". Real manifests do both (Argo CD's test data, Istio's
//! SPIRE sample). A linter must not call them invalid.
//!
//! When saphyr refuses a document for one of these reasons, the offending lines are indented a
//! little more in a copy of the text (spaces at the start of a line inside a quoted scalar or a
//! flow collection change no value: folding drops them, flow content ignores them) and the copy
//! is parsed again (by `yaml::load`, which drives this module), a bounded number of times. The
//! tree then maps its positions back to the original text. Anything else, or a copy that
//! still fails, keeps saphyr's own error.
//! `bench/kubectl_yaml.sh` measures the result against go-yaml on a corpus.

use crate::source;

/// Repairs tried on one document before its first error is reported.
pub const MAX_REPAIRS: usize = 64;

/// The messages of the checks go-yaml does not make.
const QUOTED: &str = "invalid indentation in quoted scalar";
const FLOW: &str = "invalid indentation";

/// Whether saphyr refused a text for indentation that go-yaml does not check.
pub fn is_repairable(message: &str) -> bool {
    message == QUOTED || message == FLOW
}

/// A copy of a text with spaces inserted at the start of some lines.
pub struct Copy {
    pub text: String,
    /// `(character index in the copy, how many)`, in order.
    inserted: Vec<(usize, usize)>,
}

impl Copy {
    pub fn new(text: &str) -> Self {
        Copy {
            text: text.to_string(),
            inserted: Vec::new(),
        }
    }

    /// Indents the line that saphyr's error (`message` at character `char_index` of the copy)
    /// is about; `false` when the error is not one go-yaml ignores, or no line can be found.
    pub fn repair(&mut self, message: &str, char_index: usize) -> bool {
        if !is_repairable(message) {
            return false;
        }
        let Some(fixes) = repair(&self.text, message, char_index) else {
            return false;
        };
        // From the last: an insertion moves only what follows it.
        for &(at, spaces) in fixes.iter().rev() {
            let char_at = self.text[..at].chars().count();
            self.text.insert_str(at, &" ".repeat(spaces));
            // Later insertions shift: keep the list ordered by position in the copy.
            let place = self.inserted.partition_point(|(i, _)| *i < char_at);
            self.inserted.insert(place, (char_at, spaces));
            for later in &mut self.inserted[place + 1..] {
                later.0 += spaces;
            }
        }
        true
    }

    /// The character index in the original text of index `i` of the copy.
    pub fn original_position(&self, i: usize) -> usize {
        original_position(&self.inserted, i)
    }
}

/// The character index in the original text of index `i` of the copy.
fn original_position(inserted: &[(usize, usize)], i: usize) -> usize {
    let mut shift = 0;
    for &(at, spaces) in inserted {
        if at >= i {
            break;
        }
        // An index inside inserted spaces maps to where they were inserted.
        shift += spaces.min(i - at);
    }
    i - shift
}

/// Where to insert spaces, and how many, to get past the error in `text`: `(byte offset,
/// count)` in order, every line of a quoted scalar at once.
fn repair(text: &str, message: &str, char_index: usize) -> Option<Vec<(usize, usize)>> {
    let at = text
        .char_indices()
        .nth(char_index)
        .map_or(text.len(), |(b, _)| b);
    let lines: Vec<(usize, &str)> = source::line_offsets(text).collect();
    let line_of = |offset: usize| lines.partition_point(|(start, _)| *start <= offset) - 1;
    if message == QUOTED {
        // `at` is the opening quote: every continuation line up to the closing quote must be
        // indented past the column of the key (or item) whose value the scalar is.
        let first = line_of(at);
        let required = content_column(lines[first].1) + 1;
        let close = closing_quote(text, at)?;
        let last = line_of(close);
        let fixes: Vec<(usize, usize)> = lines[first + 1..=last]
            .iter()
            .filter(|(_, line)| !line.trim().is_empty() && source::indentation(line) < required)
            .map(|(start, line)| (*start, required - source::indentation(line)))
            .collect();
        return (!fixes.is_empty()).then_some(fixes);
    }
    // A flow construct's line (often the closing `]` or `}`) at or left of its key's column:
    // indent it past the column of the closest line above that is not indented more. Only
    // inside a flow collection: a block key out of place is an error for go-yaml too.
    if !inside_flow(&text[..at]) {
        return None;
    }
    let line = line_of(at);
    let (start, text_line) = lines[line];
    let column = at - start;
    let indent = source::indentation(text_line);
    let owner = lines[..line]
        .iter()
        .rev()
        .find(|(_, l)| !source::is_blank_or_comment(l) && source::indentation(l) <= indent)?;
    let required = content_column(owner.1) + 1;
    (required > column).then(|| vec![(start, required - column)])
}

/// Whether the end of `text` is inside a flow collection (`[`, `{` left open), quoted scalars
/// and comments aside.
fn inside_flow(text: &str) -> bool {
    let mut depth = 0usize;
    let mut quote = None;
    let mut previous = '\n';
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some('"'), '\\') => {
                chars.next();
            }
            (Some(q), c) if c == q => {
                if q == '\'' && chars.peek() == Some(&'\'') {
                    chars.next();
                } else {
                    quote = None;
                }
            }
            // A quote opens a quoted scalar only where a scalar can start (`don't` in a plain
            // scalar opens nothing).
            (None, '"' | '\'') if previous.is_whitespace() || "[{,:-".contains(previous) => {
                quote = Some(c);
            }
            (None, '#') if previous.is_whitespace() => {
                for rest in chars.by_ref() {
                    if rest == '\n' {
                        break;
                    }
                }
                // The comment ends with its line.
                previous = '\n';
                continue;
            }
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        previous = c;
    }
    depth > 0
}

/// The column where a line's content starts, after its indentation and `- ` item markers.
fn content_column(line: &str) -> usize {
    let mut rest = line.trim_start_matches(' ');
    while let Some(after) = rest.strip_prefix("- ") {
        rest = after.trim_start_matches(' ');
    }
    line.len() - rest.len()
}

/// The byte offset of the quote that closes the quoted scalar opening at `open`.
fn closing_quote(text: &str, open: usize) -> Option<usize> {
    let quote = text[open..].chars().next()?;
    let mut chars = text[open + 1..].char_indices();
    while let Some((i, c)) = chars.next() {
        match (quote, c) {
            ('\'', '\'') => {
                // `''` is an escaped quote.
                if text[open + 1 + i + 1..].starts_with('\'') {
                    chars.next();
                } else {
                    return Some(open + 1 + i);
                }
            }
            ('"', '\\') => {
                chars.next();
            }
            ('"', '"') => return Some(open + 1 + i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flow_context_is_told_from_block_context() {
        assert!(inside_flow("a: [1,\n"));
        assert!(!inside_flow("a: [1]\nb: '[' # [\n"));
        assert!(inside_flow("a: {b: \"]\", c: 'it''s [',\n"));
        assert!(inside_flow("note: don't\nx: [\n"));
    }

    #[test]
    fn positions_inside_inserted_spaces_map_to_the_insertion_point() {
        let inserted = vec![(3, 2), (10, 1)];
        assert_eq!(original_position(&inserted, 2), 2);
        assert_eq!(original_position(&inserted, 4), 3);
        assert_eq!(original_position(&inserted, 5), 3);
        assert_eq!(original_position(&inserted, 9), 7);
        assert_eq!(original_position(&inserted, 11), 8);
    }

    #[test]
    fn only_the_lines_at_fault_are_indented() {
        let mut copy = Copy::new("x:\n  args: [\n    \"a\",\n  ]\n");
        let at = copy.text.find(']').expect("]");
        assert!(copy.repair(FLOW, at));
        assert_eq!(copy.text, "x:\n  args: [\n    \"a\",\n   ]\n");
        assert!(!copy.repair("did not find expected key", 0));
    }
}
