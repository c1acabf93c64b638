//! Where a guide writes its commands: the fenced shell blocks of Markdown (pulldown-cmark
//! finds them, with byte offsets), and the command lines of prose.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

/// The languages of fenced blocks read as shell; `console` blocks hold prompts and output.
fn block_language(info: &str) -> Option<Block> {
    let language = info
        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match language.as_str() {
        "sh" | "bash" | "shell" | "zsh" | "ksh" => Some(Block::Script),
        "console" | "shell-session" | "shellsession" | "terminal" | "sh-session" => {
            Some(Block::Console)
        }
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    Script,
    Console,
}

/// The shell blocks of a Markdown text, each as the byte ranges the shell reads: the whole
/// content of a script block; in a `console` block, the command after each `$ ` prompt and
/// its continuation lines (output lines are skipped).
pub fn shell_blocks(text: &str) -> Vec<Vec<Range<usize>>> {
    let mut blocks = Vec::new();
    let mut current: Option<(Block, Vec<Range<usize>>)> = None;
    for (event, range) in Parser::new_ext(text, Options::empty()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                current = block_language(&info).map(|b| (b, Vec::new()));
            }
            Event::Text(_) => {
                if let Some((_, ranges)) = &mut current {
                    ranges.push(range);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((block, ranges)) = current.take() {
                    let ranges = match block {
                        Block::Script => ranges,
                        Block::Console => ranges
                            .into_iter()
                            .flat_map(|r| console_commands(text, r))
                            .collect(),
                    };
                    if !ranges.is_empty() {
                        blocks.push(ranges);
                    }
                }
            }
            _ => {}
        }
    }
    blocks
}

/// The fenced blocks tagged `yaml`, `yml` or `json` (manifests), each as one byte range: from
/// the start of its first line, so that a block indented in a list item is indented
/// uniformly. A block inside a block quote (its lines start with `>`) is not one range of
/// YAML, and is skipped.
pub fn manifest_blocks(text: &str) -> Vec<Range<usize>> {
    let mut blocks = Vec::new();
    let mut current: Option<Range<usize>> = None;
    let mut in_manifest = false;
    for (event, range) in Parser::new_ext(text, Options::empty()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let language = info
                    .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                in_manifest = matches!(language.as_str(), "yaml" | "yml" | "json");
                current = None;
            }
            Event::Text(_) if in_manifest => {
                current = Some(match current {
                    Some(block) => block.start..range.end,
                    None => range,
                });
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(block) = current.take().filter(|_| in_manifest) {
                    let line_start = text[..block.start].rfind('\n').map_or(0, |i| i + 1);
                    let prefix = &text[line_start..block.start];
                    if prefix.chars().all(|c| c == ' ') {
                        blocks.extend(
                            split_indented_documents(text, line_start..block.end, prefix.len())
                                .into_iter()
                                .filter(|doc| {
                                    looks_like_manifest(&text[doc.clone()], prefix.len())
                                }),
                        );
                    }
                }
                in_manifest = false;
            }
            _ => {}
        }
    }
    blocks
}

/// A block indented by `indent` split at its `---` lines (at that indentation, which the
/// document splitter, reading column 0, does not see).
pub fn split_indented_documents(
    text: &str,
    block: Range<usize>,
    indent: usize,
) -> Vec<Range<usize>> {
    if indent == 0 {
        return vec![block];
    }
    let mut documents = Vec::new();
    let mut start = block.start;
    let mut at = block.start;
    for line in text[block.clone()].split_inclusive('\n') {
        // Bytes, not a slice: a line of the block may have a wide character in its margin.
        let blank_margin = line.bytes().take(indent).all(|b| b == b' ');
        let content = line.get(indent..).unwrap_or("").trim_end();
        if blank_margin && content == "---" {
            documents.push(start..at);
            start = at + line.len();
        }
        at += line.len();
    }
    documents.push(start..block.end);
    documents.retain(|d| d.start < d.end);
    documents
}

/// Whether a guide's block is a manifest, not a snippet: it states an `apiVersion` and a
/// `kind` at its top level, elides nothing (`...` inside a mapping, `# ...`) and is no template
/// (`{{ }}`, `{% %}`). A guide shows command output, partial specs and templates in `yaml`
/// blocks too; they are not what anyone applies, and not findings.
fn looks_like_manifest(block: &str, indent: usize) -> bool {
    if block.contains("{{") || block.contains("{%") {
        return false;
    }
    if block.trim_start().starts_with(['{', '[']) {
        return block.contains("\"apiVersion\"") && block.contains("\"kind\"");
    }
    // Its first line is YAML (`cat x.yaml` pasted above the file's text is not).
    let first = block
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'));
    if !first.is_some_and(|l| l.contains(':') || l.starts_with("---")) {
        return false;
    }
    let mut api_version = false;
    let mut kind = false;
    for line in block.lines() {
        let content = line.trim_start();
        let depth = line.len() - content.len();
        if depth > indent && matches!(content.trim_end(), "..." | "…" | "# ..." | "# …") {
            return false;
        }
        if depth == indent {
            api_version |= content.starts_with("apiVersion:");
            kind |= content.starts_with("kind:");
        }
    }
    api_version && kind
}

/// The command parts of a console transcript: after `$ ` (or `% `, `# ` is a comment), and
/// the lines continued by a trailing backslash.
fn console_commands(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut continued = false;
    let mut at = range.start;
    let Some(content) = text.get(range.clone()) else {
        return out;
    };
    for line in content.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        if continued {
            out.push(start..start + line.len());
            continued = body.ends_with('\\');
            continue;
        }
        let indent = body.len() - body.trim_start().len();
        let trimmed = body.trim_start();
        if let Some(command) = trimmed
            .strip_prefix("$ ")
            .or_else(|| trimmed.strip_prefix("% "))
        {
            let from = start + indent + (trimmed.len() - command.len());
            out.push(from..start + line.len());
            continued = body.ends_with('\\');
        }
    }
    out
}

/// The programs whose lines prose is read for.
const PROSE_COMMANDS: &[&str] = &["gcloud ", "kubectl ", "export ", "sudo "];

/// The command lines of prose: lines that start with a command (or an assignment such as
/// `PROJECT_ID=acme`), and the lines a trailing backslash continues.
pub fn prose_command_lines(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut continued = false;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim_start();
        let starts_command =
            PROSE_COMMANDS.iter().any(|p| trimmed.starts_with(p)) || is_assignment(trimmed);
        if continued || starts_command {
            out.push(start..start + line.len());
            continued = body.ends_with('\\');
        }
    }
    out
}

fn is_assignment(line: &str) -> bool {
    let Some((name, _)) = line.split_once('=') else {
        return false;
    };
    !name.is_empty()
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_uppercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_blocks_are_whole_and_uniformly_indented() {
        let text = "# Guide\n\n```yaml\napiVersion: v1\nkind: A\n```\n\n```yaml\nkind: Output\n```\n\n```yaml\napiVersion: v1\nkind: A\nx: 1\n```\n\n1. Apply:\n\n   ```yml\n   apiVersion: v1\n   kind: B\n   ---\n   apiVersion: v1\n   kind: C\n   ```\n\n```yaml\ncat x.yaml\napiVersion: v1\nkind: X\n```\n\n```yaml\napiVersion: v1\nkind: Deployment\nspec:\n  ...\n```\n\n> ```yaml\n> kind: C\n> ```\n\n```sh\nkind: D\n```\n";
        let blocks: Vec<&str> = manifest_blocks(text)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(
            blocks,
            vec![
                "apiVersion: v1\nkind: A\n",
                "apiVersion: v1\nkind: A\nx: 1\n",
                "   apiVersion: v1\n   kind: B\n",
                "   apiVersion: v1\n   kind: C\n"
            ]
        );
    }

    #[test]
    fn a_wide_character_in_an_indented_block_margin_is_no_slice_point() {
        // Found by the lint_commands fuzz target: `é` straddles the block's indentation.
        let text = "  apiVersion: v1\n é---\n  ---\n  kind: A\n";
        let documents: Vec<&str> = split_indented_documents(text, 0..text.len(), 2)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(documents, vec!["  apiVersion: v1\n é---\n", "  kind: A\n"]);
    }

    #[test]
    fn fenced_shell_blocks_only() {
        let text = "# Guide\n\n```bash\ngcloud a\n```\n\n```yaml\nkind: x\n```\n\n    indented\n\n```console\n$ gcloud b \\\n  --c\noutput line\n$ kubectl d\n```\n";
        let blocks = shell_blocks(text);
        assert_eq!(blocks.len(), 2);
        let read: Vec<Vec<&str>> = blocks
            .iter()
            .map(|b| b.iter().map(|r| &text[r.clone()]).collect())
            .collect();
        assert_eq!(read[0], vec!["gcloud a\n"]);
        assert_eq!(read[1], vec!["gcloud b \\\n", "  --c\n", "kubectl d\n"]);
    }

    #[test]
    fn prose_lines_that_run_commands() {
        let text =
            "Create it:\n\ngcloud iam x \\\n  --role r\nthen\nexport P=1\nPROJECT_ID=a\nNot=this\n";
        let lines: Vec<&str> = prose_command_lines(text)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(
            lines,
            vec![
                "gcloud iam x \\\n",
                "  --role r\n",
                "export P=1\n",
                "PROJECT_ID=a\n"
            ]
        );
    }
}
