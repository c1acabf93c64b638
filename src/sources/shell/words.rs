//! Shell words as values: what a word of a command expands to, as far as the script states it.
//! A variable assigned a literal value earlier in the script is substituted; anything else
//! (an unset or computed variable, `$(…)`, `$1`) stays unknown, spelled as written, so that no
//! rule takes it for a value.

use std::collections::HashMap;
use std::ops::Range;

use tree_sitter::Node;

use crate::diagnostic::Span;
use crate::facts::Text;

/// A part of a word's value.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Piece {
    text: String,
    /// Byte offset in the file where `text` is written verbatim, if it is.
    at: Option<usize>,
    /// Whether the script leaves this part unknown.
    unknown: bool,
}

/// The value of one shell word, piece by piece, with where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pieces: Vec<Piece>,
    /// The bytes of the file the word covers.
    pub range: Range<usize>,
}

impl Word {
    /// A word written verbatim at `at` (a test, or a word made of a known literal).
    pub fn literal(text: &str, at: usize) -> Word {
        Word {
            pieces: vec![Piece {
                text: text.to_string(),
                at: Some(at),
                unknown: false,
            }],
            range: at..at + text.len(),
        }
    }

    /// The value, unknown parts spelled as written.
    pub fn value(&self) -> String {
        self.pieces.iter().map(|p| p.text.as_str()).collect()
    }

    /// Whether some part of the value is unknown.
    pub fn has_unknowns(&self) -> bool {
        self.pieces.iter().any(|p| p.unknown)
    }

    /// The byte ranges of the value that are unknown.
    pub fn unknown_ranges(&self) -> Vec<Range<usize>> {
        let mut at = 0;
        let mut ranges = Vec::new();
        for piece in &self.pieces {
            if piece.unknown {
                ranges.push(at..at + piece.text.len());
            }
            at += piece.text.len();
        }
        ranges
    }

    /// The word from byte `from` of its value on (`--flag=VALUE` after the `=`).
    #[must_use]
    pub fn tail(&self, from: usize) -> Word {
        let mut pieces = Vec::new();
        let mut at = 0;
        // Where the tail starts in the file when a verbatim piece ends right before it (the
        // `--flag=` before a `"$VALUE"`, whose expansion is written elsewhere).
        let mut boundary = None;
        for piece in &self.pieces {
            let end = at + piece.text.len();
            if end == from {
                boundary = piece.at.map(|a| a + piece.text.len());
            }
            if end > from {
                let skip = from.saturating_sub(at);
                if piece.text.is_char_boundary(skip) {
                    pieces.push(Piece {
                        text: piece.text[skip..].to_string(),
                        at: piece.at.map(|a| a + skip),
                        unknown: piece.unknown,
                    });
                }
            }
            at = end;
        }
        let start = pieces
            .first()
            .and_then(|p| p.at)
            .or(boundary)
            .unwrap_or(self.range.start)
            .min(self.range.end);
        Word {
            pieces,
            range: start..self.range.end,
        }
    }

    /// The word with its first `len` bytes only (`--flag` of `--flag=VALUE`).
    #[must_use]
    pub fn head(&self, len: usize) -> Word {
        let mut pieces = Vec::new();
        let mut at = 0;
        for piece in &self.pieces {
            if at >= len {
                break;
            }
            let keep = (len - at).min(piece.text.len());
            if piece.text.is_char_boundary(keep) {
                pieces.push(Piece {
                    text: piece.text[..keep].to_string(),
                    at: piece.at,
                    unknown: piece.unknown,
                });
            }
            at += piece.text.len();
        }
        let end = match pieces.last() {
            Some(Piece {
                at: Some(at), text, ..
            }) => at + text.len(),
            _ => self.range.end,
        };
        Word {
            pieces,
            range: self.range.start..end.max(self.range.start),
        }
    }

    /// Where the value is written verbatim, when every piece is and they follow each other.
    fn literal_at(&self) -> Option<usize> {
        let first = self.pieces.first()?.at?;
        let mut next = first;
        for piece in &self.pieces {
            if piece.at != Some(next) {
                return None;
            }
            next += piece.text.len();
        }
        Some(first)
    }

    /// The word as a fact of file `file`; `extra_unknown` adds ranges of the value the
    /// source means as placeholders (a Markdown guide's `[PROJECT_ID]`).
    pub fn text(&self, file: usize, extra_unknown: &[Range<usize>]) -> Text {
        let span = Span {
            file,
            start: self.range.start,
            end: self.range.end,
        };
        let mut unknown = self.unknown_ranges();
        unknown.extend(extra_unknown.iter().cloned());
        unknown.sort_by_key(|r| (r.start, r.end));
        // Overlapping ranges merged: a placeholder inside an unknown expansion is one unknown.
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(unknown.len());
        for range in unknown {
            match merged.last_mut() {
                Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
                _ => merged.push(range),
            }
        }
        let unknown = merged;
        Text::new(self.value(), span, self.literal_at()).with_unknown(unknown)
    }
}

/// What the script has assigned so far: a variable's known value, or `None` when it was
/// assigned something the script does not state.
#[derive(Debug, Default, Clone)]
pub struct Vars {
    values: HashMap<String, Option<String>>,
}

impl Vars {
    /// Records `name=value`; `conditional` when the assignment may not run (inside `if`, a
    /// loop, a function): the variable is then known only if every path agrees.
    pub fn assign(&mut self, name: &str, value: Option<String>, conditional: bool) {
        let value = if conditional {
            match (self.values.get(name), value) {
                (Some(Some(old)), Some(new)) if *old == new => Some(new),
                _ => None,
            }
        } else {
            value
        };
        self.values.insert(name.to_string(), value);
    }

    /// After `source`, `eval` or `set -a`: every variable may have changed.
    pub fn forget_all(&mut self) {
        for value in self.values.values_mut() {
            *value = None;
        }
    }

    /// The known value of a variable.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name)?.as_deref()
    }
}

/// The value of a word-like node (`word`, `string`, `raw_string`, `concatenation`, an
/// expansion …).
pub fn eval(node: Node<'_>, src: &str, vars: &Vars) -> Word {
    let mut pieces = Vec::new();
    push_node(node, src, vars, &mut pieces, 0);
    let range = node.start_byte()..node.end_byte();
    Word { pieces, range }
}

/// Deeper than this, a word is unknown: nesting costs nothing to write.
const MAX_DEPTH: usize = 64;

fn source(node: Node<'_>, src: &str) -> String {
    src.get(node.byte_range()).unwrap_or("").to_string()
}

fn unknown(node: Node<'_>, src: &str) -> Piece {
    Piece {
        text: source(node, src),
        at: Some(node.start_byte()),
        unknown: true,
    }
}

fn push_node(node: Node<'_>, src: &str, vars: &Vars, out: &mut Vec<Piece>, depth: usize) {
    if depth > MAX_DEPTH {
        out.push(unknown(node, src));
        return;
    }
    match node.kind() {
        "word" | "number" => push_unquoted(node.start_byte(), &source(node, src), out),
        "raw_string" => {
            let text = source(node, src);
            let inner = text
                .strip_prefix('\'')
                .and_then(|t| t.strip_suffix('\''))
                .unwrap_or(&text);
            out.push(Piece {
                text: inner.to_string(),
                at: Some(node.start_byte() + 1),
                unknown: false,
            });
        }
        "string" => push_double_quoted(node, src, vars, out, depth),
        "concatenation" => {
            let mut cursor = node.walk();
            let mut at = node.start_byte();
            for child in node.children(&mut cursor) {
                if child.start_byte() > at {
                    // Text between children (tree-sitter leaves some punctuation bare).
                    let gap = src.get(at..child.start_byte()).unwrap_or("");
                    push_unquoted(at, gap, out);
                }
                push_node(child, src, vars, out, depth + 1);
                at = child.end_byte();
            }
            if node.end_byte() > at {
                push_unquoted(at, src.get(at..node.end_byte()).unwrap_or(""), out);
            }
        }
        "simple_expansion" | "expansion" => out.push(expand(node, src, vars)),
        // A command's name wraps the word it is.
        "command_name" if node.named_child_count() == 1 => {
            if let Some(child) = node.named_child(0) {
                push_node(child, src, vars, out, depth + 1);
            }
        }
        _ => out.push(unknown(node, src)),
    }
}

/// An unquoted word: backslashes escape the next character.
fn push_unquoted(at: usize, text: &str, out: &mut Vec<Piece>) {
    if !text.contains('\\') {
        out.push(Piece {
            text: text.to_string(),
            at: Some(at),
            unknown: false,
        });
        return;
    }
    let mut value = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('\n') | None => {}
                Some(next) => value.push(next),
            }
        } else {
            value.push(c);
        }
    }
    out.push(Piece {
        text: value,
        at: None,
        unknown: false,
    });
}

/// `"…"`: expansions inside are read, the rest is text (`\"`, `\\`, `\$`, `` \` `` escaped).
fn push_double_quoted(node: Node<'_>, src: &str, vars: &Vars, out: &mut Vec<Piece>, depth: usize) {
    let (start, end) = (node.start_byte() + 1, node.end_byte().saturating_sub(1));
    let mut at = start;
    let mut cursor = node.walk();
    let literal = |from: usize, to: usize, out: &mut Vec<Piece>| {
        let Some(text) = src.get(from..to) else {
            return;
        };
        if text.is_empty() {
            return;
        }
        if !text.contains('\\') {
            out.push(Piece {
                text: text.to_string(),
                at: Some(from),
                unknown: false,
            });
            return;
        }
        let mut value = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, chars.peek()) {
                ('\\', Some('"' | '\\' | '$' | '`')) => {
                    value.extend(chars.next());
                }
                ('\\', Some('\n')) => {
                    chars.next();
                }
                _ => value.push(c),
            }
        }
        out.push(Piece {
            text: value,
            at: None,
            unknown: false,
        });
    };
    for child in node.children(&mut cursor) {
        match child.kind() {
            "\"" | "string_content" => continue,
            _ => {}
        }
        if child.start_byte() < start || child.end_byte() > end {
            continue;
        }
        literal(at, child.start_byte(), out);
        push_node(child, src, vars, out, depth + 1);
        at = child.end_byte();
    }
    literal(at, end.max(at), out);
}

/// `$NAME`, `${NAME}`: the known value, else unknown. `${NAME:-default}` and other operators
/// are unknown unless `NAME` is known and not empty (then the operator changes nothing, for
/// the default forms).
fn expand(node: Node<'_>, src: &str, vars: &Vars) -> Piece {
    let text = source(node, src);
    let inner = text
        .strip_prefix("${")
        .and_then(|t| t.strip_suffix('}'))
        .or_else(|| text.strip_prefix('$'))
        .unwrap_or("");
    let name_len = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(inner.len());
    let (name, rest) = inner.split_at(name_len);
    let keeps_value = rest.is_empty()
        || ([":-", "-", ":=", "="].iter().any(|op| rest.starts_with(op)) && !name.is_empty());
    let is_name = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    match vars.get(name) {
        Some(value) if is_name && keeps_value && (rest.is_empty() || !value.is_empty()) => Piece {
            text: value.to_string(),
            at: None,
            unknown: false,
        },
        _ => unknown(node, src),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value of the first argument of the first command of `script`.
    fn first_arg(script: &str, vars: &Vars) -> Word {
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&tree_sitter_bash::LANGUAGE.into())
            .expect("bash grammar");
        let tree = parser.parse(script, None).expect("a tree");
        let mut cursor = tree.root_node().walk();
        let mut stack = vec![tree.root_node()];
        while let Some(node) = stack.pop() {
            if node.kind() == "command" {
                let arg = node
                    .children_by_field_name("argument", &mut cursor)
                    .next()
                    .expect("an argument");
                return eval(arg, script, vars);
            }
            let mut c = node.walk();
            let children: Vec<_> = node.children(&mut c).collect();
            stack.extend(children.into_iter().rev());
        }
        panic!("no command in {script}");
    }

    #[test]
    fn literal_words_keep_their_place() {
        let word = first_arg("echo 'a b'", &Vars::default());
        assert_eq!(word.value(), "a b");
        let text = word.text(0, &[]);
        assert_eq!(text.span_within(0..1).start, 6);
        let word = first_arg("echo \"x:$NS.y\"", &Vars::default());
        assert_eq!(word.value(), "x:$NS.y");
        assert_eq!(word.unknown_ranges(), vec![2..5]);
        // Unknowns are spelled as written: the value is still where the source writes it.
        assert_eq!(word.text(0, &[]).span_within(2..5).start, 8);
    }

    #[test]
    fn known_variables_are_substituted() {
        let mut vars = Vars::default();
        vars.assign("P", Some("acme".into()), false);
        let word = first_arg("echo \"${P}.svc.id.goog[${NS}/x]\"", &vars);
        assert_eq!(word.value(), "acme.svc.id.goog[${NS}/x]");
        assert_eq!(word.unknown_ranges(), vec![17..22]);
        let word = first_arg("echo ${P:-other}", &vars);
        assert_eq!(word.value(), "acme");
        let word = first_arg("echo ${P/a/b} $(id) $1", &vars);
        assert!(word.has_unknowns());
    }

    #[test]
    fn conditional_assignments_are_known_only_when_every_path_agrees() {
        let mut vars = Vars::default();
        vars.assign("P", Some("a".into()), false);
        vars.assign("P", Some("a".into()), true);
        assert_eq!(vars.get("P"), Some("a"));
        vars.assign("P", Some("b".into()), true);
        assert_eq!(vars.get("P"), None);
        vars.assign("Q", Some("q".into()), false);
        vars.forget_all();
        assert_eq!(vars.get("Q"), None);
    }

    #[test]
    fn a_tail_after_a_verbatim_prefix_starts_there() {
        let mut vars = Vars::default();
        // Unknown, `$P` is where it is written; known, its value is written elsewhere, and
        // the tail starts after `--pool=`, at the quote.
        let word = first_arg("x --pool=\"$P\".svc.id.goog\n", &vars);
        assert_eq!(word.tail("--pool=".len()).range, 10..word.range.end);
        vars.assign("P", Some("acme".to_string()), false);
        let word = first_arg("x --pool=\"$P\".svc.id.goog\n", &vars);
        let tail = word.tail("--pool=".len());
        assert_eq!(tail.range, 9..word.range.end);
        assert_eq!(tail.value(), "acme.svc.id.goog");
    }

    #[test]
    fn escapes_and_concatenations() {
        let word = first_arg("echo --member=\"a\\\"b\"'c'", &Vars::default());
        assert_eq!(word.value(), "--member=a\"bc");
        let tail = word.tail("--member=".len());
        assert_eq!(tail.value(), "a\"bc");
        let word = first_arg("echo --role=roles/x", &Vars::default());
        let tail = word.tail("--role=".len());
        assert_eq!(tail.range, 12..19);
        assert_eq!(word.head("--role".len()).value(), "--role");
    }
}
