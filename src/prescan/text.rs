//! Text-only checks for documents of kinds no rule reads: when the text alone shows that nothing
//! in a document can reach a rule, the pre-scan does not parse it at all (the event parser costs
//! as much as building the tree, and such documents are most of a real repository's bytes).
//!
//! Only the parts of a document that rules read whatever the kind matter here: the root keys
//! (an unusual one could hide the real `kind`), a pod template under the root or `spec`, and
//! the values of `metadata.labels` and `metadata.annotations` (WI010). Everything else is only
//! a needle away from a rule, and the needle search has run already. Any layout these checks
//! do not fully understand sends the document to the event parser: being conservative costs
//! time, never a finding.

use regex::Regex;
use saphyr_parser::ScalarStyle;

/// Whether the text shows that no rule can use this document (its kind is already known to be
/// irrelevant and it holds no needle).
pub fn plainly_irrelevant(doc: &str) -> bool {
    // Escapes can spell a needle (`\x5F`) or splice two lines into one; merge keys can bring
    // in labels or a template from an anchor.
    if escapes_may_spell_a_needle(doc) || memchr::memmem::find(doc.as_bytes(), b"<<").is_some() {
        return false;
    }
    // A lone carriage return is a line break to YAML but not to `lines()`.
    let bytes = doc.as_bytes();
    if memchr::memchr_iter(b'\r', bytes).any(|at| bytes.get(at + 1) != Some(&b'\n')) {
        return false;
    }
    let lines: Vec<&str> = doc.lines().collect();
    if lines.iter().any(|line| line.trim_end().ends_with('\\')) {
        return false;
    }
    let Some(root) = root_entries(&lines) else {
        return false;
    };
    root.iter().all(|&(at, key, value)| match key {
        "template" => false,
        // A pod template directly under `spec`.
        "spec" => {
            value.is_empty()
                && block_below(&lines, at, 0)
                    .is_some_and(|fields| fields.iter().all(|&(_, field, _)| field != "template"))
        }
        // Labels and annotations must be strings (WI010).
        "metadata" => {
            value.is_empty()
                && block_below(&lines, at, 0).is_some_and(|fields| {
                    fields
                        .iter()
                        .filter(|(_, field, _)| matches!(*field, "labels" | "annotations"))
                        .all(|&(at, _, value)| {
                            value.is_empty()
                                && block_below(&lines, at, indentation(lines[at])).is_some_and(
                                    |entries| {
                                        entries
                                            .iter()
                                            .all(|&(_, key, v)| key != "-" && is_string_value(v))
                                    },
                                )
                        })
                })
        }
        _ => true,
    })
}

/// Whether no needle of a document of a kind no rule reads can matter to a rule: `istio`
/// matters only in kinds the pre-scan keeps anyway (namespaces, `IstioOperator`s, Istio's API
/// groups, `ConfigMap`s) and in pod templates, which validation looks for, so the
/// `app: istio-pilot` labels of Istio's big CRDs do not cost them a tree; the other words
/// matter in the root `metadata:` block (annotations are read on every kind), and `wilint`
/// anywhere.
pub fn needles_only_outside_metadata(doc: &str, needles: &Regex) -> bool {
    let metadata = metadata_range(doc);
    needles.find_iter(doc).all(|found| match found.as_str() {
        "istio" => true,
        "wilint" => false,
        _ => metadata
            .as_ref()
            .is_none_or(|range| !range.contains(&found.start())),
    })
}

/// The byte range of the root `metadata:` block: from its line to the next column-0 line
/// that is not a comment (or the end).
fn metadata_range(doc: &str) -> Option<std::ops::Range<usize>> {
    let mut offset = 0;
    let mut start = None;
    for line in doc.split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        if indentation(line) > 0 || is_blank_or_comment(line) {
            continue;
        }
        match start {
            None if entry(line.trim_end()).is_some_and(|(key, _)| key == "metadata") => {
                start = Some(at);
            }
            Some(begin) => return Some(begin..at),
            None => {}
        }
    }
    start.map(|begin| begin..doc.len())
}

/// Whether a `\x`, `\u` or `\U` escape (which only double-quoted scalars decode) could spell
/// a character of a needle: an ASCII letter or digit, `.`, `_`, `{` or `@`. Descriptions of
/// generated CRDs are full of harmless ones such as `\u003c`.
fn escapes_may_spell_a_needle(doc: &str) -> bool {
    let mut rest = doc;
    while let Some(at) = rest.find('\\') {
        let after = &rest[at + 1..];
        let digits = match after.chars().next() {
            Some('x') => 2,
            Some('u') => 4,
            Some('U') => 8,
            // Any other escaped character, which may be more than one byte long.
            other => {
                rest = &after[other.map_or(0, char::len_utf8)..];
                continue;
            }
        };
        match after.get(1..).and_then(|hex| hex_escape(hex, digits)) {
            Some(c) if !may_spell_a_needle(c) => {}
            _ => return true, // A needle character, or not an escape this reader understands.
        }
        rest = &after[1 + digits..];
    }
    false
}

/// The character that the `digits` hex digits at the start of `hex` spell in a `\x`, `\u` or
/// `\U` escape, as saphyr decodes it; `None` when they are not all hex digits (`+1` is not)
/// or spell no character.
pub(super) fn hex_escape(hex: &str, digits: usize) -> Option<char> {
    let hex = hex.get(..digits)?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
}

/// Whether a character an escape spells could be part of a needle: an ASCII letter or digit,
/// `.`, `_`, `{` or `@`.
pub(super) fn may_spell_a_needle(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '{' | '@')
}

/// The root keys: every column-0 line must be a plain key whose value ends on that line (or is
/// a block below it); `None` otherwise, since an unusual line could hide the real `kind`. An
/// indented line must belong to a block: one before the first key (an indented root, a flow
/// mapping) or after a key with a value on its line (a continued plain scalar, `kind: Config` +
/// `  List`) could change what the root is.
fn root_entries<'a>(lines: &[&'a str]) -> Option<Vec<(usize, &'a str, &'a str)>> {
    let mut entries = Vec::new();
    let mut takes_a_block = false;
    for (at, line) in lines.iter().enumerate() {
        if is_blank_or_comment(line) {
            continue;
        }
        if indentation(line) > 0 {
            if !takes_a_block {
                return None;
            }
            continue;
        }
        let (key, value) = entry(line)?;
        if !value_ends_on_line(value) {
            return None;
        }
        takes_a_block = value.is_empty() || value.starts_with(['|', '>']);
        entries.push((at, key, value));
    }
    Some(entries)
}

/// The entries of the block mapping below the line `lines[at]`, which is indented by
/// `indent`: the following lines at the indentation of the first deeper one. `None` unless each
/// of them is a plain `key: value` and no line of the block is less indented than the first.
fn block_below<'a>(
    lines: &[&'a str],
    at: usize,
    indent: usize,
) -> Option<Vec<(usize, &'a str, &'a str)>> {
    let mut entries = Vec::new();
    let mut entry_indent = None;
    for (offset, line) in lines[at + 1..].iter().enumerate() {
        if is_blank_or_comment(line) {
            continue;
        }
        let here = indentation(line);
        if here <= indent {
            break;
        }
        let first = *entry_indent.get_or_insert(here);
        if here < first {
            return None;
        }
        if here == first {
            let content = &line[here..];
            // `key:` then `- item` at the same indentation: an item of the previous key's
            // sequence, listed as `-` so that callers can tell.
            let (key, value) = match content.strip_prefix('-') {
                Some(item) if item.is_empty() || item.starts_with(' ') => ("-", item.trim()),
                _ => entry(content)?,
            };
            entries.push((at + 1 + offset, key, value));
        }
    }
    Some(entries)
}

/// A value written after `key: ` that is certainly a string.
fn is_string_value(value: &str) -> bool {
    match value.chars().next() {
        Some('"' | '\'' | '|' | '>') => true,
        Some('&' | '*' | '!' | '{' | '[' | '@' | '`' | '%') | None => false,
        Some(_) => super::is_plain_string(value, ScalarStyle::Plain),
    }
}

/// Whether a root value is complete on its line: empty (a block follows), a plain scalar, a
/// block scalar header, or a quoted scalar closed on the line.
fn value_ends_on_line(value: &str) -> bool {
    match value.chars().next() {
        Some(quote @ ('"' | '\'')) => closes_on_line(value, quote),
        Some('&' | '*' | '!' | '{' | '[' | '@' | '`' | '%' | '?' | '-') => false,
        // Empty (a block follows), a block scalar header, or a plain scalar.
        _ => true,
    }
}

/// Whether a quoted scalar that starts `value` ends on this line, with nothing but a comment
/// after it.
fn closes_on_line(value: &str, quote: char) -> bool {
    let mut chars = value.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\\' && quote == '"' {
            chars.next();
        } else if c == quote {
            if quote == '\'' && chars.peek().is_some_and(|(_, n)| *n == '\'') {
                chars.next();
                continue;
            }
            let rest = value[i + 1..].trim_start();
            return rest.is_empty() || rest.starts_with('#');
        }
    }
    false
}

/// `key: value` of a line that starts with a plain key (letters, digits and `-_./`), the value
/// without a trailing comment. `None` for anything else: quoted or complex keys, sequence
/// items, flow collections, a tab.
fn entry(line: &str) -> Option<(&str, &str)> {
    let (key, rest) = line.split_once(':')?;
    let plain_key = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
    if !plain_key || !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    let value = rest.trim();
    let value = if value.starts_with('#') {
        ""
    } else {
        // A comment starts at `#` after a space or a tab.
        let comment = value
            .match_indices('#')
            .map(|(at, _)| at)
            .find(|&at| value[..at].ends_with([' ', '\t']));
        match comment {
            Some(at) if !value.starts_with(['"', '\'']) => value[..at].trim_end(),
            _ => value,
        }
    };
    Some((key, value))
}

/// The number of spaces a line starts with (YAML indents with spaces only).
pub(super) fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_blank_or_comment(line: &str) -> bool {
    let content = line.trim_start_matches([' ', '\t']);
    content.is_empty() || content.starts_with('#')
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "apiVersion: v1\nkind: ConfigMap\n";

    fn irrelevant(rest: &str) -> bool {
        plainly_irrelevant(&format!("{HEAD}{rest}"))
    }

    #[test]
    fn plain_documents_need_no_parse() {
        assert!(irrelevant(
            "metadata:\n  name: a\n  labels:\n    app: web\n    tier: \"1\"\n  annotations:\n    note: |\n      true\n    other: 'yes'\ndata:\n  x: |\n    kind: Pod\n    template: x\n"
        ));
        assert!(irrelevant(
            "metadata:\n  name: a\nspec:\n  versions:\n    - name: v1\n      template: not a pod template\n"
        ));
        assert!(irrelevant(
            "data:\n  a: \"quoted # not a comment\"  # comment\n"
        ));
        // Compact sequences, and escapes that cannot spell a needle.
        assert!(irrelevant(
            "spec:\n  versions:\n  - name: v1\n    template: x\n  - name: v2\ndata:\n  d: \"\\u003c\\x20\\n\"\n"
        ));
    }

    #[test]
    fn what_a_rule_could_read_goes_to_the_parser() {
        for rest in [
            // WI010: values that YAML reads as booleans, numbers or null.
            "metadata:\n  labels:\n    enabled: true\n",
            "metadata:\n  annotations:\n    replicas: 3\n",
            "metadata:\n  annotations:\n    empty:\n",
            "metadata:\n  labels: {a: b}\n",
            "metadata:\n  labels:\n    \"quoted: key\": true\n",
            "metadata:\n  labels:\n      deep: a\n    shallow: true\n",
            "metadata:\n  labels:\n    a: *alias\n",
            "metadata: {name: a, labels: {x: true}}\n",
            // A pod template under the root or spec, however it is written.
            "spec:\n  template:\n    spec:\n      containers: []\n",
            "spec:\n  replicas: 1\n  template: {}\n",
            "template:\n  spec: {}\n",
            "spec: {template: {}}\n",
            "spec:\n  <<: *base\n",
            // Layouts that could hide the real kind or a needle.
            "x: \"\nkind: ServiceAccount\n\"\n",
            "\"kind\": ServiceAccount\n",
            "x: [a,\nb]\n",
            "data:\n  k: \"GOOGLE\\x5FAPPLICATION_CREDENTIALS\"\n",
            "data:\n  k: \"\\u0069stio\"\n",
            "data:\n  k: \"\\uZZZZ\"\n",
            "data:\n  k: \"\\é then \\x5F\"\n",
            "metadata:\n  labels:\n    a: b\n    - c\n",
            "data:\n  k: \"GOOGLE_APPLICATION_\\\n    CREDENTIALS\"\n",
            "\tx: y\n",
            // Found in review: a continued root value, an indented flow root, a lone carriage
            // return, a tab before a comment.
            "items:\n  - {kind: ConfigMap, metadata: {labels: {a: true}}}\nx: Config\n  List\n",
            " {x: {\nkind: Secret\n  }}\n",
            "metadata:\n  name: a\r  labels:\r    enabled: true\n",
            "metadata:\n  labels:\n    enabled: true\t# tab before the comment\n",
        ] {
            assert!(!irrelevant(rest), "{rest:?}");
        }
    }

    #[test]
    fn needles_count_in_metadata_only() {
        let needles = Regex::new("iam\\.gke\\.io|istio|wilint").expect("pattern");
        let doc = |rest: &str| format!("apiVersion: example.com/v1\nkind: Widget\n{rest}");
        for outside in [
            "metadata:\n  name: a\nspec:\n  description: set iam.gke.io/gcp-service-account\n",
            "spec:\n  istio: true\n",
            "metadata:\n  name: a\nspec: {}\n# istio, after the block\n",
            // No rule reads `istio` in the metadata of a kind it does not read.
            "metadata:\n  labels:\n    app: istio-pilot\n  name: gateways.networking.istio.io\n",
        ] {
            assert!(
                needles_only_outside_metadata(&doc(outside), &needles),
                "{outside:?}"
            );
        }
        for inside in [
            "metadata:\n  annotations:\n    iam.gke.io/gcp-service-account: x\n",
            "metadata:\n  name: a\n  # iam.gke.io\nspec: {}\n",
            // A column-0 comment does not end the block: counted in, to be safe.
            "metadata:\n  name: a\n# iam.gke.io\nspec: {}\n",
            "spec:\n  note: wilint\n",
        ] {
            assert!(
                !needles_only_outside_metadata(&doc(inside), &needles),
                "{inside:?}"
            );
        }
    }
}
