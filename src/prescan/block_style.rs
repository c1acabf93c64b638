//! A line-by-line validator for the plain block style that most bytes of a repository are
//! written in: generated CRDs, `ConfigMap`s, RBAC. It reads block mappings and block sequences
//! whose scalars are plain, quoted or block scalars, with comments and blank lines between.
//!
//! It answers `true` only when the event walk ([`super::validates_as_irrelevant`]) would too:
//! the document is valid YAML, has one root mapping whose `apiVersion` and `kind` are the ones
//! the text scan read, has no duplicate or non-string key, no alias, tag, pod template,
//! non-string label or annotation value, needle in a double-quoted scalar, or nesting at the
//! depth limit. On anything it does not fully understand (flow collections other than `[]`
//! and `{}`, escapes that could spell a needle or join lines, anchors, explicit indentation
//! indicators outside a mapping's values, a tab outside a comment or a scalar's text, a key it
//! cannot compare) it answers `false`, and the event walk decides.
//! Being conservative costs time, never a finding; the `prescan` fuzz target and
//! `tests/prescan.rs` check that a `true` here is never a `false` from the event walk.
//!
//! Why: by default every document no rule reads is still validated (WI000 covers them all),
//! and the event walk runs at about 110 MB/s per core; this reader settles about 90 % of those
//! bytes in real repositories, about nine times faster (criterion `parse/prescan/crd-block`).

use std::collections::HashSet;

use regex::Regex;
use saphyr_parser::ScalarStyle;

use super::text::{hex_escape, indentation, may_spell_a_needle};
use super::{Place, is_plain_string};

/// Whether `doc` is certainly valid, irrelevant YAML in the subset this module reads.
/// `expected` is the `apiVersion` and `kind` read from the column-0 lines; `needles` is given
/// when the document's text holds a needle, which a double-quoted scalar must then not hold.
pub fn validates(
    doc: &str,
    expected: (&str, &str),
    max_depth: usize,
    needles: Option<&Regex>,
) -> bool {
    if !characters_are_plain(doc) {
        return false;
    }
    // Line breaks found with the SIMD `memchr`, not one short search per line.
    let mut lines: Vec<&str> = Vec::new();
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', doc.as_bytes()).chain([doc.len()]) {
        let line = &doc[start..end];
        lines.push(line.strip_suffix('\r').unwrap_or(line));
        start = end + 1;
    }
    let mut walk = Walk {
        lines: &lines,
        at: 0,
        frames: Vec::new(),
        keys: Vec::new(),
        max_depth,
        needles,
        expected,
        confirmed: (false, false),
    };
    walk.run().is_some() && walk.confirmed == (true, true)
}

/// No character the YAML reader could stop at: C0 controls other than tab and line breaks,
/// DEL, C1 controls (NEL is a line break to YAML 1.1), line and paragraph separators, byte
/// order marks and non-characters; and no carriage return outside a CRLF pair.
fn characters_are_plain(doc: &str) -> bool {
    let bytes = doc.as_bytes();
    // Whole chunks without an early exit, which the compiler vectorizes.
    let control = bytes.chunks(64).any(|chunk| {
        let found = chunk.iter().fold(0u8, |found, &b| {
            found | u8::from((b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r') || b == 0x7F)
        });
        found != 0
    });
    if control {
        return false;
    }
    if memchr::memchr_iter(b'\r', bytes).any(|at| bytes.get(at + 1) != Some(&b'\n')) {
        return false;
    }
    doc.is_ascii()
        || !doc.chars().any(|c| {
            matches!(
                c,
                '\u{80}'
                    ..='\u{9F}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}'
            )
        })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Mapping,
    Sequence,
}

struct Frame<'d> {
    /// The column of the collection's keys or dashes.
    indent: usize,
    shape: Shape,
    place: Place,
    /// A sequence written at its parent key's column (`key:` then `- item`): a key at that
    /// column ends it.
    flush: bool,
    /// Where this mapping's keys start in `Walk::keys`.
    keys_from: usize,
    /// A big mapping's keys, hashed instead of compared one by one.
    many_keys: Option<HashSet<&'d str>>,
}

/// After this many keys a mapping's duplicate check hashes (`ConfigMap`s with thousands of keys).
const FEW_KEYS: usize = 16;

/// What an entry's value was.
enum Value<'d> {
    /// Nothing on the line: a nested collection follows, or the value is null.
    Open,
    /// A scalar (or `[]`/`{}`) that ended on its line, or continued over lines already read.
    Done,
    /// A one-line scalar, with its decoded text when the decoding is certain (for the root's
    /// `apiVersion` and `kind`) and its style.
    Scalar(Option<&'d str>, ScalarStyle),
}

struct Walk<'l, 'd, 'r> {
    lines: &'l [&'d str],
    /// The next line to read.
    at: usize,
    frames: Vec<Frame<'d>>,
    keys: Vec<&'d str>,
    max_depth: usize,
    needles: Option<&'r Regex>,
    expected: (&'r str, &'r str),
    confirmed: (bool, bool),
}

/// `None` ends the walk: the document is outside the subset (or invalid).
type Step<T = ()> = Option<T>;

impl<'d> Walk<'_, 'd, '_> {
    fn run(&mut self) -> Step {
        // After `key:` with nothing on the line: the key's mapping column and the place of
        // the collection that may follow.
        let mut open: Option<(usize, Place)> = None;
        while self.at < self.lines.len() {
            let line = self.lines[self.at];
            self.at += 1;
            let indent = indentation(line);
            let rest = &line[indent..];
            if rest.is_empty() || rest.starts_with('#') {
                continue;
            }
            if rest.starts_with('\t') || (indent == 0 && is_marker_or_directive(rest)) {
                return None;
            }
            let is_dash = rest == "-" || rest.starts_with("- ");
            if let Some((column, place)) = open.take() {
                if indent > column || (indent == column && is_dash) {
                    let shape = if is_dash {
                        Shape::Sequence
                    } else {
                        Shape::Mapping
                    };
                    self.push(indent, shape, place, indent == column)?;
                } else if place == Place::StringMap {
                    return None; // A null label or annotation value.
                }
            }
            if self.frames.is_empty() {
                if indent != 0 || is_dash {
                    return None; // The root must be a block mapping at column 0.
                }
                self.push(0, Shape::Mapping, Place::Root, false)?;
            }
            self.close_to(indent, is_dash)?;
            open = if is_dash {
                self.sequence_entry(indent, rest)?
            } else {
                self.mapping_entry(rest)?
            };
        }
        match open {
            Some((_, Place::StringMap)) => None,
            _ if self.frames.is_empty() => None, // No root at all.
            _ => Some(()),
        }
    }

    /// Pops the collections that end before a line at `indent`; the one left must be the
    /// line's own.
    fn close_to(&mut self, indent: usize, is_dash: bool) -> Step {
        while let Some(top) = self.frames.last() {
            let ends = top.indent > indent
                || (top.indent == indent && top.shape == Shape::Sequence && top.flush && !is_dash);
            if !ends {
                break;
            }
            self.pop();
        }
        let top = self.frames.last()?;
        let fits = top.indent == indent
            && match top.shape {
                Shape::Mapping => !is_dash,
                Shape::Sequence => is_dash,
            };
        fits.then_some(())
    }

    fn push(&mut self, indent: usize, shape: Shape, place: Place, flush: bool) -> Step {
        if self.frames.len() + 1 >= self.max_depth {
            return None;
        }
        self.frames.push(Frame {
            indent,
            shape,
            place,
            flush,
            keys_from: self.keys.len(),
            many_keys: None,
        });
        Some(())
    }

    fn pop(&mut self) {
        if let Some(frame) = self.frames.pop() {
            self.keys.truncate(frame.keys_from);
        }
    }

    /// `- item` in the sequence on top: a scalar, or a mapping whose first key is on the
    /// dash's line.
    fn sequence_entry(&mut self, dash: usize, rest: &'d str) -> Step<Option<(usize, Place)>> {
        let item = rest.get(1..)?.trim_start_matches(' ');
        if item.is_empty() || item.starts_with('#') || item.starts_with('\t') {
            return None; // `-` alone: a nested block or null, left to the event walk.
        }
        let column = dash + (rest.len() - item.len());
        if looks_like_key(item) {
            self.push(column, Shape::Mapping, Place::Other, false)?;
            return self.mapping_entry(item);
        }
        // The sequence's items are in no place the event walk checks.
        // Continuation lines of the item: two columns past the dash, as written in practice
        // (one would do in YAML; the event walk reads anything less common).
        match self.value(item, dash + 2, None)? {
            Value::Open => None,
            Value::Done | Value::Scalar(..) => Some(None),
        }
    }

    /// `key: value` in the mapping on top.
    fn mapping_entry(&mut self, rest: &'d str) -> Step<Option<(usize, Place)>> {
        let (key, after) = split_key(rest, self.needles)?;
        self.insert_key(key)?;
        let frame = self.frames.last()?;
        let (column, place) = (frame.indent, frame.place);
        let child = match (place, key) {
            (Place::Root, "metadata") => Place::Metadata,
            (Place::Root, "spec") => Place::Spec,
            // A pod template may be inside: rules read it.
            (Place::Root | Place::Spec, "template") => return None,
            (Place::Metadata, "labels" | "annotations") => Place::StringMap,
            _ => Place::Other,
        };
        match self.value(after, column + 1, Some(column))? {
            Value::Open if place == Place::StringMap => None,
            Value::Open => Some(Some((column, child))),
            Value::Done => (place != Place::StringMap && child != Place::StringMap).then_some(None),
            Value::Scalar(text, style) => {
                let string =
                    style != ScalarStyle::Plain || text.is_some_and(|t| is_plain_string(t, style));
                if place == Place::StringMap && !string {
                    return None; // A label or annotation value that may not be a string.
                }
                if place == Place::Root {
                    let slot = match key {
                        "apiVersion" => Some((&mut self.confirmed.0, self.expected.0)),
                        "kind" => Some((&mut self.confirmed.1, self.expected.1)),
                        _ => None,
                    };
                    if let Some((slot, want)) = slot {
                        *slot = text == Some(want);
                    }
                }
                Some(None)
            }
        }
    }

    /// Records a key of the mapping on top; `None` if it may repeat one.
    fn insert_key(&mut self, key: &'d str) -> Step {
        let frame = self.frames.last_mut()?;
        if let Some(many) = &mut frame.many_keys {
            return many.insert(key).then_some(());
        }
        let keys = &self.keys[frame.keys_from..];
        if keys.contains(&key) {
            return None;
        }
        if keys.len() >= FEW_KEYS {
            let mut many: HashSet<&'d str> = keys.iter().copied().collect();
            many.insert(key);
            frame.many_keys = Some(many);
        } else {
            self.keys.push(key);
        }
        Some(())
    }

    /// The value after `key:` or `- `; a continuation or block scalar's text must be indented
    /// at least `min_indent`. `mapping` is the column of the mapping whose value this is, from
    /// which a block scalar's explicit indentation indicator counts.
    fn value(
        &mut self,
        after: &'d str,
        min_indent: usize,
        mapping: Option<usize>,
    ) -> Step<Value<'d>> {
        // `after` is empty or starts with a space (see `split_key` and `sequence_entry`), so
        // a `#` here starts a comment.
        let value = after.trim_start_matches(' ');
        if value.is_empty() || value.starts_with('#') {
            return Some(Value::Open);
        }
        let first = value.as_bytes()[0];
        match first {
            b'[' | b'{' => {
                let close = if first == b'[' { "]" } else { "}" };
                let rest = value[1..].strip_prefix(close)?;
                ends_cleanly(rest)?;
                // `[]` and `{}` are collections to the event walk: they count towards depth.
                (self.frames.len() + 1 < self.max_depth).then_some(Value::Done)
            }
            b'|' | b'>' => {
                let (indicator, header) = block_scalar_header(&value[1..]);
                ends_cleanly(header)?;
                match indicator {
                    None => self.block_scalar(min_indent)?,
                    Some(indicator) => self.indented_block_scalar(mapping?, indicator)?,
                }
                Some(Value::Scalar(None, ScalarStyle::Literal))
            }
            b'"' | b'\'' => {
                let quote = first as char;
                let (text, rest) = self.quoted(&value[1..], quote, min_indent)?;
                ends_cleanly(rest)?;
                let style = if quote == '"' {
                    ScalarStyle::DoubleQuoted
                } else {
                    ScalarStyle::SingleQuoted
                };
                Some(Value::Scalar(text, style))
            }
            _ => {
                let text = plain_on_line(value)?;
                // A comment ends the scalar: a deeper line after it is an error.
                let commented = text.len() != value.trim_end_matches(' ').len();
                match self.plain_continues(min_indent)? {
                    true if commented => None,
                    true => Some(Value::Done),
                    false => Some(Value::Scalar(Some(text), ScalarStyle::Plain)),
                }
            }
        }
    }

    /// The text of a quoted scalar that starts after its opening quote, possibly over several
    /// lines (each indented at least `min_indent`), and the rest of the line it closes on.
    /// The text is given only when it is on one line and needs no decoding.
    fn quoted(
        &mut self,
        mut text: &'d str,
        quote: char,
        min_indent: usize,
    ) -> Step<(Option<&'d str>, &'d str)> {
        let mut one_line = true;
        let mut escaped = false;
        loop {
            let end = closing_quote(text, quote);
            let content = &text[..end.unwrap_or(text.len())];
            if quote == '"' && content.contains('\\') {
                if !escapes_are_harmless(content) {
                    return None;
                }
                escaped = true;
            }
            if self
                .needles
                .is_some_and(|n| quote == '"' && n.is_match(text))
            {
                return None; // A needle in a double-quoted scalar sends it to the tree.
            }
            if let Some(end) = end {
                let decoded = (one_line && !escaped && !(quote == '\'' && content.contains("''")))
                    .then_some(content);
                return Some((decoded, &text[end + 1..]));
            }
            // The scalar goes on: the next line must be indented (or blank).
            let next = *self.lines.get(self.at)?;
            self.at += 1;
            let indent = indentation(next);
            let rest = &next[indent..];
            if rest.starts_with('\t') || (!rest.is_empty() && indent < min_indent) {
                return None;
            }
            text = rest;
            one_line = false;
        }
    }

    /// Skips a block scalar's text (`|` or `>` already read), whose indentation is that of
    /// its first non-blank line and must be at least `min_indent`.
    fn block_scalar(&mut self, min_indent: usize) -> Step {
        let mut widest_blank = 0;
        let mut content_indent = None;
        while let Some(&line) = self.lines.get(self.at) {
            let indent = indentation(line);
            let blank = indent == line.len();
            match content_indent {
                None if blank => widest_blank = widest_blank.max(indent),
                None => {
                    if indent < min_indent {
                        break; // An empty block scalar.
                    }
                    if line[indent..].starts_with('\t') || widest_blank > indent {
                        return None;
                    }
                    content_indent = Some(indent);
                }
                Some(wanted) if !blank && indent < wanted => break,
                Some(_) => {}
            }
            self.at += 1;
        }
        // Spaces on the blank lines of an empty block scalar: left to the event walk.
        (content_indent.is_some() || widest_blank == 0).then_some(())
    }

    /// Skips the text of a block scalar with an explicit indentation indicator (`|2-`, which
    /// generators write for text that starts with spaces): as the event walk reads it, its
    /// lines are indented `mapping + indicator`, the column of the mapping plus the indicator.
    /// Its first line must not be less indented than that yet deeper than the mapping; an
    /// empty one is left to the event walk.
    fn indented_block_scalar(&mut self, mapping: usize, indicator: usize) -> Step {
        let wanted = mapping + indicator;
        let mut has_text = false;
        while let Some(&line) = self.lines.get(self.at) {
            let indent = indentation(line);
            let blank = indent == line.len();
            if !blank && indent < wanted {
                if !has_text && indent > mapping {
                    return None; // A wrongly indented first line.
                }
                break;
            }
            has_text |= !blank;
            self.at += 1;
        }
        has_text.then_some(())
    }

    /// Whether a plain scalar goes on over the next lines (each more indented than its
    /// entry's column and itself plain text); `None` if a deeper line is anything else.
    fn plain_continues(&mut self, min_indent: usize) -> Step<bool> {
        let mut continued = false;
        let mut at = self.at;
        while let Some(&line) = self.lines.get(at) {
            let indent = indentation(line);
            let rest = &line[indent..];
            if rest.is_empty() {
                at += 1;
                continue;
            }
            if indent < min_indent || rest.starts_with('#') {
                break;
            }
            // Inside a scalar, indicators are text (`"2m"`, `(e.g.`), except a comment's `#`;
            // `- `, `? ` and `: ` are left to the event walk all the same.
            let indicator = matches!(
                rest.as_bytes(),
                [b'-' | b'?' | b':', b' ', ..] | [b'-' | b'?' | b':']
            );
            if indicator || rest.starts_with('\t') {
                return None;
            }
            if continuation_text(rest)?.len() != rest.trim_end_matches(' ').len() {
                return None; // A comment ends the scalar: a deeper line after it is an error.
            }
            continued = true;
            at += 1;
            self.at = at;
        }
        Some(continued)
    }
}

/// Whether a line is `---`, `...` or a `%` directive, which the splitter handles.
fn is_marker_or_directive(line: &str) -> bool {
    line.starts_with("---") || line.starts_with("...") || line.starts_with('%')
}

/// Whether a sequence item starts with a key (`- name: x`): a quoted scalar followed by `:`,
/// or a plain one with `: ` (or a final `:`) before any comment.
fn looks_like_key(item: &str) -> bool {
    if let q @ (b'"' | b'\'') = item.as_bytes()[0] {
        return closing_quote(&item[1..], q as char)
            .is_some_and(|end| item[end + 2..].starts_with(':'));
    }
    let text = match item.find(" #") {
        Some(at) => &item[..at],
        None => item,
    };
    text.contains(": ") || text.trim_end_matches(' ').ends_with(':')
}

/// The key of `key: value` (or `key:`) and what follows the `:`. Keys are plain
/// `[A-Za-z_/][A-Za-z0-9_./-]*` words that are certainly strings, or quoted keys without
/// escapes; anything else is left to the event walk.
fn split_key<'d>(rest: &'d str, needles: Option<&Regex>) -> Step<(&'d str, &'d str)> {
    let bytes = rest.as_bytes();
    let (key, after) = match bytes[0] {
        q @ (b'"' | b'\'') => {
            let end = closing_quote(&rest[1..], q as char)? + 1;
            let key = &rest[1..end];
            let bad = (q == b'"' && key.contains('\\'))
                || (q == b'\'' && key.contains("''"))
                || (q == b'"' && needles.is_some_and(|n| n.is_match(key)));
            if bad {
                return None;
            }
            (key, rest[end + 1..].strip_prefix(':')?)
        }
        first if first.is_ascii_alphabetic() || first == b'_' || first == b'/' => {
            let end = bytes
                .iter()
                .position(|&b| !(b.is_ascii_alphanumeric() || b"_./-".contains(&b)))?;
            let key = &rest[..end];
            if !is_plain_string(key, ScalarStyle::Plain) {
                return None; // `true:`, `null:`: compared by value, left to the event walk.
            }
            (key, rest[end..].strip_prefix(':')?)
        }
        _ => return None,
    };
    // A long key is no longer an implicit key to the reader; real ones are short.
    if key.len() > 256 || !(after.is_empty() || after.starts_with(' ')) {
        return None;
    }
    Some((key, after))
}

/// Where the closing quote of a quoted scalar is in `text` (which starts after the opening
/// one), on this line: `''` is an escaped quote in single quotes, and a backslash escapes the
/// next character in double quotes.
fn closing_quote(text: &str, quote: char) -> Option<usize> {
    let mut from = 0;
    loop {
        let end = from
            + if quote == '"' {
                memchr::memchr2(b'"', b'\\', &text.as_bytes()[from..])?
            } else {
                memchr::memchr(b'\'', &text.as_bytes()[from..])?
            };
        match text.as_bytes()[end] {
            b'\\' => from = end + 2,
            b'\'' if text[end + 1..].starts_with('\'') => from = end + 2,
            _ => return Some(end),
        }
        if from > text.len() {
            return None;
        }
    }
}

/// Whether the escapes of a double-quoted scalar's text on one line are valid, and none can
/// spell a character of a needle (a letter, digit, `.`, `_`, `{` or `@`), so that the raw text
/// shows every needle the decoded value holds. The escapes are saphyr's; a backslash at the
/// end of the line (an escaped line break, which joins the lines) is left to the event walk.
fn escapes_are_harmless(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(found) = memchr::memchr(b'\\', &bytes[from..]) {
        let at = from + found;
        let digits = match bytes.get(at + 1) {
            Some(
                b'0' | b'a' | b'b' | b't' | b'\t' | b'n' | b'v' | b'f' | b'r' | b'e' | b' ' | b'"'
                | b'/' | b'\\' | b'N' | b'_' | b'L' | b'P',
            ) => 0,
            Some(b'x') => 2,
            Some(b'u') => 4,
            Some(b'U') => 8,
            _ => return false,
        };
        if digits > 0 {
            let decoded = text.get(at + 2..).and_then(|hex| hex_escape(hex, digits));
            if decoded.is_none_or(may_spell_a_needle) {
                return false;
            }
        }
        from = at + 2 + digits;
    }
    true
}

/// Nothing but spaces and perhaps a comment (separated by a space) after a value.
fn ends_cleanly(rest: &str) -> Step {
    let trimmed = rest.trim_start_matches(' ');
    (trimmed.is_empty() || (trimmed.starts_with('#') && trimmed.len() < rest.len())).then_some(())
}

/// A plain scalar's text on its line, without a trailing comment or spaces; `None` if it
/// does not start like a plain scalar or holds `: ` or a tab, or ends with `:`.
fn plain_on_line(value: &str) -> Step<&str> {
    let bytes = value.as_bytes();
    let starts_plain = match bytes[0] {
        b'-' => bytes.get(1).is_some_and(|b| *b != b' '),
        b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|'
        | b'>' | b'\'' | b'"' | b'%' | b'@' | b'`' | b' ' | b'\t' => false,
        _ => true,
    };
    if starts_plain {
        continuation_text(value)
    } else {
        None
    }
}

/// The text of a line of a plain scalar (its first or a later one), without a trailing
/// comment or spaces; `None` if it holds `: ` or a tab, or ends with `:`.
fn continuation_text(value: &str) -> Step<&str> {
    let bytes = value.as_bytes();
    if memchr::memchr(b'\t', bytes).is_some() {
        return None;
    }
    let text = match memchr::memmem::find(bytes, b" #") {
        Some(at) => &value[..at],
        None => value,
    }
    .trim_end_matches(' ');
    if memchr::memmem::find(text.as_bytes(), b": ").is_some() || text.ends_with(':') {
        return None;
    }
    Some(text)
}

/// A block scalar's header after `|` or `>`: its explicit indentation indicator (1 to 9),
/// if any, and the rest of the line. Chomping (`-`, `+`) may come before or after the
/// indicator.
fn block_scalar_header(header: &str) -> (Option<usize>, &str) {
    fn chomping(text: &str) -> Option<&str> {
        text.strip_prefix(['-', '+'])
    }
    let indicator = |text: &str| match text.as_bytes().first() {
        Some(&digit @ b'1'..=b'9') => Some(usize::from(digit - b'0')),
        _ => None,
    };
    if let Some(rest) = chomping(header) {
        return match indicator(rest) {
            Some(n) => (Some(n), &rest[1..]),
            None => (None, rest),
        };
    }
    match indicator(header) {
        Some(n) => (Some(n), chomping(&header[1..]).unwrap_or(&header[1..])),
        None => (None, header),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::Limits;

    fn fast(body: &str) -> bool {
        let doc = format!("apiVersion: v1\nkind: ConfigMap\n{body}");
        validates(&doc, ("v1", "ConfigMap"), 64, None)
    }

    #[test]
    fn reads_the_common_block_style() {
        assert!(fast(
            "metadata:\n  name: a\n  labels:\n    app: web\ndata:\n  x: |\n    kind: Pod\n\n    more\n  z: >-\n    folded\n"
        ));
        assert!(fast(
            "spec:\n  versions:\n  - name: v1\n    served: true\n    schema:\n      openAPIV3Schema:\n        type: object\n        required:\n        - spec\n        properties: {}\n  - name: v2\n"
        ));
        assert!(fast(
            "# comment\ndata:\n  # inside\n  a: 'it''s'  # trailing\n  b: \"quoted\"\n  c: http://x:80/a#b\n  d: -1\n"
        ));
        assert!(fast(
            "description: 'a long text\n  continued on the next line'\nother: a plain text\n  continued too\n"
        ));
        assert!(fast("data:\r\n  a: b\r\n"));
        assert!(fast("items:\n- a\n- b: c\n  d: e\nnext: x\n"));
        assert!(fast(
            "spec:\n  description: \"a\\nb \\\"quoted\\\" \\u003c\\t\\\\ \\/\n    c\\x20d\"\n  b: c\n"
        ));
    }

    #[test]
    fn reads_explicit_indentation_indicators_of_mapping_values() {
        // Counted from the mapping's column: 2 + 2 here, so the text keeps its leading spaces.
        for body in [
            "data:\n  a: |2-\n        indented text\n    more\n\n  b: c\n",
            "data:\n  a: >+1\n     x\n  b: |-3\n      y\n",
            "a: |1\n x\nb: c\n",
            "list:\n- name: a\n  text: |2\n      x\n- b\n",
        ] {
            assert!(fast(body), "{body:?}");
            let doc = format!("apiVersion: v1\nkind: ConfigMap\n{body}");
            let expected = ("v1", "ConfigMap");
            assert!(
                super::super::validates_as_irrelevant(&doc, Limits::default(), expected),
                "{body:?}"
            );
        }
    }

    #[test]
    fn leaves_everything_else_to_the_event_walk() {
        for body in [
            "data:\n  a: 1\n  a: 2\n",               // duplicate key
            "data:\n  1: a\n",                       // key compared by value
            "data:\n  a: &x b\n",                    // anchor
            "data:\n  a: !!str b\n",                 // tag
            "data: {a: 1}\n",                        // flow mapping
            "data:\n  a: b: c\n",                    // invalid
            "data:\n  a: b\n    c: d\n",             // invalid indentation
            "data:\n   a: b\n  c: d\n",              // invalid indentation
            "data:\n\ta: b\n",                       // tab indentation
            "data:\n  a: \"x\\x69y\"\n",             // an escape that spells a letter
            "data:\n  a: \"x\\qy\"\n",               // an unknown escape
            "data:\n  a: \"x\\\n    y\"\n",          // an escaped line break
            "data:\n  a: \"x\\u00\"\n",              // a short escape
            "data:\n  a: \"\\uD800\"\n",             // not a character
            "data:\n  \"a\\n\": x\n",                // an escape in a key
            "data:\n  a: 'unterminated\n",           // unterminated
            "list:\n- |2\n    x\n",                  // indentation indicator in a sequence
            "data:\n  a: |2\n   x\n",                // wrongly indented first line
            "data:\n  a: |0\n    x\n",               // indicator 0
            "data:\n  a: |12\n    x\n",              // two digits
            "data:\n  a: |2-\n\n  b: c\n",           // empty
            "data:\n  a: |2\n\tx\n",                 // tab
            "metadata:\n  labels:\n    on: \"x\"\n", // key may be a boolean
            "metadata:\n  labels:\n    a: true\n",   // non-string label value
            "metadata:\n  annotations:\n    a:\n",   // null annotation value
            "metadata:\n  labels: []\n  annotations:\n    a: {}\n",
            "spec:\n  template:\n    spec: {}\n", // pod template
            "---\ndata: {}\n",                    // a second document
            "data:\n  a: x\u{85}y\n",             // NEL
            "data:\n  a: b\rc: d\n",              // lone carriage return
            "data:\n  a: 'x'y\n",                 // text after a quoted scalar
            "data:\n  a: |\n      x\n    y\n",    // less indented block text
            "data:\n  a: x # comment\n   y\n",    // text after a comment
            "list:\n- x # comment\n   y\n",
        ] {
            assert!(!fast(body), "{body:?}");
        }
    }

    #[test]
    fn confirms_the_type_read_from_the_text() {
        let doc = "apiVersion: v1\nkind: ConfigMap\n";
        assert!(validates(doc, ("v1", "ConfigMap"), 64, None));
        assert!(!validates(doc, ("v1", "Secret"), 64, None));
        assert!(!validates(
            "apiVersion: v1\n",
            ("v1", "ConfigMap"),
            64,
            None
        ));
        assert!(validates(
            "\"apiVersion\": 'v1'\nkind: \"ConfigMap\"\n",
            ("v1", "ConfigMap"),
            64,
            None
        ));
    }

    #[test]
    fn checks_double_quoted_scalars_for_needles() {
        let needles = Regex::new("istio").unwrap_or_else(|e| unreachable!("{e}"));
        let doc = "apiVersion: v1\nkind: Foo\nspec:\n  a: \"istio\"\n";
        assert!(validates(doc, ("v1", "Foo"), 64, None));
        assert!(!validates(doc, ("v1", "Foo"), 64, Some(&needles)));
        let single = "apiVersion: v1\nkind: Foo\nspec:\n  a: 'istio'\n";
        assert!(validates(single, ("v1", "Foo"), 64, Some(&needles)));
    }

    #[test]
    fn respects_the_depth_limit() {
        let mut doc = String::from("apiVersion: v1\nkind: Foo\n");
        for depth in 0..10 {
            doc.push_str(&format!("{}k{depth}:\n", "  ".repeat(depth)));
        }
        doc.push_str(&format!("{}leaf: x\n", "  ".repeat(10)));
        assert!(validates(&doc, ("v1", "Foo"), 64, None));
        assert!(!validates(&doc, ("v1", "Foo"), 8, None));
    }
}
