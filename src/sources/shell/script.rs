//! A shell script (or the shell parts of a guide) as the commands it runs, in order, each word
//! evaluated with the variables the script has assigned by then. Parsed with tree-sitter-bash:
//! its parser recovers from errors, so one broken line costs only the commands it touches,
//! and it keeps the byte offsets of every node.

use std::ops::Range;

use tree_sitter::{Node, Parser, Point};

use super::words::{self, Vars, Word};

/// One simple command: its words (the program first), where it is, and the here-document it
/// reads as standard input, if any (`kubectl apply -f - <<EOF`).
#[derive(Debug, Clone)]
pub struct ShellCommand {
    pub words: Vec<Word>,
    pub range: Range<usize>,
    pub heredoc: Option<Heredoc>,
}

/// A here-document's body, and whether the shell passes it as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    pub body: Range<usize>,
    /// Its delimiter is quoted (`<<'EOF'`), or it holds nothing the shell expands (`$`,
    /// `` ` ``) and no tab that `<<-` strips: its text is what the command reads.
    pub literal: bool,
}

/// What could not be read, for a note: a script tree-sitter cannot parse at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unread {
    /// The parser gave up (it should not: it recovers from errors).
    NoTree,
}

/// The commands of `text` (the parts of it in `ranges`, or all of it), in order. `vars` holds
/// what earlier parts assigned (a guide's earlier blocks) and what this part assigns after.
pub fn commands(
    text: &str,
    ranges: Option<&[Range<usize>]>,
    vars: &mut Vars,
) -> Result<Vec<ShellCommand>, Unread> {
    commands_parsed_as(text, text, ranges, vars).map(|parsed| parsed.commands)
}

/// The commands of a text, and where the parser first found something it could not read.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub commands: Vec<ShellCommand>,
    /// The first syntax error (an unterminated quote or here-document, a stray `)`): the
    /// commands around it are skipped, the others read.
    pub first_error: Option<Range<usize>>,
}

/// The commands of `text`, parsed as `parse_as`: a copy of it with the same length, where
/// what the parser would misread is masked (a guide's `<namespace>`, a redirection to shell).
/// The words are read from `text`, at the offsets the parser found.
pub fn commands_parsed_as(
    text: &str,
    parse_as: &str,
    ranges: Option<&[Range<usize>]>,
    vars: &mut Vars,
) -> Result<Parsed, Unread> {
    if parse_as.len() != text.len() {
        return Err(Unread::NoTree);
    }
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_bash::LANGUAGE.into())
        .map_err(|_| Unread::NoTree)?;
    if let Some(ranges) = ranges {
        let lines = LineTable::new(text);
        let included: Vec<tree_sitter::Range> = ranges
            .iter()
            .filter(|r| r.start < r.end)
            .map(|r| tree_sitter::Range {
                start_byte: r.start,
                end_byte: r.end,
                start_point: lines.point(r.start),
                end_point: lines.point(r.end),
            })
            .collect();
        if included.is_empty() {
            return Ok(Parsed::default());
        }
        parser
            .set_included_ranges(&included)
            .map_err(|_| Unread::NoTree)?;
    }
    let tree = parser.parse(parse_as, None).ok_or(Unread::NoTree)?;
    let mut out = Vec::new();
    walk(tree.root_node(), text, vars, &mut out);
    Ok(Parsed {
        commands: out,
        first_error: first_error(tree.root_node()),
    })
}

/// The first node, in source order, that is an error or a missing token.
fn first_error(root: Node<'_>) -> Option<Range<usize>> {
    if !root.has_error() {
        return None;
    }
    let mut node = root;
    // Descend into the first child that holds an error, until the error itself.
    loop {
        if node.is_error() || node.is_missing() {
            return Some(node.byte_range());
        }
        let mut cursor = node.walk();
        let next = node
            .children(&mut cursor)
            .find(|c| c.has_error() || c.is_missing());
        node = next?;
    }
}

/// Kinds whose body may not run, or runs in a subshell: an assignment there is known only if
/// it agrees with the value before.
fn is_conditional(kind: &str) -> bool {
    matches!(
        kind,
        "if_statement"
            | "elif_clause"
            | "else_clause"
            | "case_statement"
            | "case_item"
            | "while_statement"
            | "for_statement"
            | "c_style_for_statement"
            | "function_definition"
            | "subshell"
            | "command_substitution"
            | "process_substitution"
            | "pipeline"
            | "list"
            | "negated_command"
    )
}

/// A depth-first walk in source order, without recursion (nesting costs nothing to write).
fn walk(root: Node<'_>, text: &str, vars: &mut Vars, out: &mut Vec<ShellCommand>) {
    // (node, inside a conditional context)
    let mut stack: Vec<(Node<'_>, bool)> = vec![(root, false)];
    while let Some((node, conditional)) = stack.pop() {
        let conditional = conditional || is_conditional(node.kind());
        match node.kind() {
            "variable_assignment" => {
                let in_command = node.parent().is_some_and(|p| p.kind() == "command");
                if !in_command {
                    assign(node, text, vars, conditional);
                }
            }
            "declaration_command" => declare(node, text, vars, conditional),
            "for_statement" => {
                if let Some(variable) = node.child_by_field_name("variable") {
                    vars.assign(source(variable, text), None, true);
                }
            }
            "command" => {
                if let Some(command) = command(node, text, vars) {
                    after_command(&command, text, vars);
                    out.push(command);
                }
            }
            _ => {}
        }
        let mut cursor = node.walk();
        let children: Vec<Node<'_>> = node.children(&mut cursor).collect();
        for child in children.into_iter().rev() {
            // An assignment's value and a command's words are read above; their command
            // substitutions still hold commands.
            stack.push((child, conditional));
        }
    }
}

fn source<'t>(node: Node<'_>, text: &'t str) -> &'t str {
    text.get(node.byte_range()).unwrap_or("")
}

fn assign(node: Node<'_>, text: &str, vars: &mut Vars, conditional: bool) {
    let Some(name) = node.child_by_field_name("name") else {
        return;
    };
    let name = source(name, text);
    let value = match node.child_by_field_name("value") {
        None => Some(String::new()),
        Some(value) if value.kind() == "array" => None,
        Some(value) => {
            let word = words::eval(value, text, vars);
            (!word.has_unknowns()).then(|| word.value())
        }
    };
    vars.assign(name, value, conditional);
}

/// `export NAME=value`, `declare`, `local`, `readonly`: their assignments; `export $(…)`
/// may assign anything.
fn declare(node: Node<'_>, text: &str, vars: &mut Vars, conditional: bool) {
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        match child.kind() {
            "variable_assignment" => assign(child, text, vars, conditional),
            "variable_name" | "word" | "export" | "declare" | "local" | "readonly" | "typeset" => {}
            k if k.starts_with('-') => {}
            _ => vars.forget_all(),
        }
    }
}

/// What a command does to the variables: `read NAME` and `source FILE` assign what the script
/// does not state.
fn after_command(command: &ShellCommand, _text: &str, vars: &mut Vars) {
    let Some(program) = command.words.first().map(Word::value) else {
        return;
    };
    match program.as_str() {
        "source" | "." | "eval" | "set" if program != "set" || sets_allexport(command) => {
            vars.forget_all();
        }
        "read" | "mapfile" | "readarray" | "getopts" => {
            for word in &command.words[1..] {
                let name = word.value();
                if !name.starts_with('-') {
                    vars.assign(&name, None, true);
                }
            }
        }
        _ => {}
    }
}

fn sets_allexport(command: &ShellCommand) -> bool {
    command
        .words
        .iter()
        .any(|w| w.value() == "-a" || w.value() == "allexport")
}

/// A simple command's words, or `None` when the parser found an error inside it (its words
/// cannot be trusted) or its program is not a plain word.
fn command(node: Node<'_>, text: &str, vars: &Vars) -> Option<ShellCommand> {
    if node.has_error() {
        return None;
    }
    let name = node.child_by_field_name("name")?;
    let mut words = vec![words::eval(name, text, vars)];
    let mut cursor = node.walk();
    for argument in node.children_by_field_name("argument", &mut cursor) {
        words.push(words::eval(argument, text, vars));
    }
    Some(ShellCommand {
        words,
        range: node.byte_range(),
        heredoc: heredoc_of(node, text),
    })
}

/// The here-document a command reads: its own (`cmd <<EOF`), or that of a `cat` piped into
/// it (`cat <<EOF | kubectl apply -f -`).
fn heredoc_of(command: Node<'_>, text: &str) -> Option<Heredoc> {
    let own = |statement: Node<'_>| -> Option<Heredoc> {
        let mut cursor = statement.walk();
        let redirect = statement
            .children(&mut cursor)
            .find(|c| c.kind() == "heredoc_redirect")?;
        let mut cursor = redirect.walk();
        let children: Vec<Node<'_>> = redirect.children(&mut cursor).collect();
        let body = children.iter().find(|c| c.kind() == "heredoc_body")?;
        let start = children
            .iter()
            .find(|c| c.kind() == "heredoc_start")
            .map_or("", |n| source(*n, text));
        let quoted = start.contains(['\'', '"', '\\']);
        let strips_tabs = children.first().is_some_and(|c| source(*c, text) == "<<-");
        let body_text = source(*body, text);
        let literal = (quoted || !body_text.contains(['$', '`']))
            // tree-sitter starts the body after the tabs `<<-` strips from its first line.
            && !(strips_tabs
                && (text.get(..body.start_byte()).is_some_and(|t| t.ends_with('\t')) || body_text.contains("\n\t")));
        Some(Heredoc {
            body: body.byte_range(),
            literal,
        })
    };
    let parent = command.parent()?;
    if parent.kind() == "redirected_statement" {
        return own(parent);
    }
    // `cat <<EOF | kubectl apply -f -`: tree-sitter-bash hangs the rest of the pipeline
    // under the here-document's redirect, after its start marker.
    if parent.kind() == "pipeline" {
        let redirect = parent.parent()?;
        let statement = redirect.parent()?;
        if redirect.kind() != "heredoc_redirect" || statement.kind() != "redirected_statement" {
            return None;
        }
        let first = statement.child_by_field_name("body")?;
        let program = first.child_by_field_name("name")?;
        if source(program, text) != "cat" {
            return None;
        }
        return own(statement);
    }
    None
}

/// Byte offset → (row, column) for tree-sitter's included ranges.
struct LineTable {
    starts: Vec<usize>,
}

impl LineTable {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineTable { starts }
    }

    fn point(&self, offset: usize) -> Point {
        let row = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        Point {
            row,
            column: offset - self.starts[row],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(script: &str) -> Vec<Vec<String>> {
        let mut vars = Vars::default();
        commands(script, None, &mut vars)
            .expect("parsed")
            .iter()
            .map(|c| c.words.iter().map(Word::value).collect())
            .collect()
    }

    #[test]
    fn assignments_flow_in_order() {
        let script = "export PROJECT_ID=acme\nNS=pay\ngcloud a \"$PROJECT_ID\" $NS \\\n  --x=$LATER\nLATER=1\n";
        assert_eq!(
            values(script),
            vec![vec!["gcloud", "a", "acme", "pay", "--x=$LATER"]]
        );
    }

    #[test]
    fn conditional_and_computed_assignments_are_unknown() {
        let script =
            "if x; then P=a; fi\nQ=$(id)\nR=(a b)\nfor S in a; do :; done\necho $P $Q $R $S\n";
        let all = values(script);
        let echo = all.last().expect("echo");
        assert_eq!(echo, &vec!["echo", "$P", "$Q", "$R", "$S"]);
    }

    #[test]
    fn source_forgets_what_was_known() {
        let all = values("P=a\nsource env.sh\necho $P\n");
        assert_eq!(all.last().expect("echo"), &vec!["echo", "$P"]);
    }

    #[test]
    fn commands_inside_substitutions_are_read() {
        let all = values("SA=$(gcloud iam service-accounts create x --format=value)\n");
        assert_eq!(all[0][0], "gcloud");
    }

    #[test]
    fn the_first_syntax_error_is_found() {
        let mut vars = Vars::default();
        let script = "echo ok\ngcloud a \"unterminated\n";
        let parsed = commands_parsed_as(script, script, None, &mut vars).expect("parsed");
        let at = parsed.first_error.expect("an error").start;
        assert!(at >= script.find("gcloud").expect("gcloud"), "{at}");
        let fine = commands_parsed_as("echo a\n", "echo a\n", None, &mut vars).expect("parsed");
        assert_eq!(fine.first_error, None);
    }

    #[test]
    fn heredocs_that_expand_are_not_literal() {
        let script = "kubectl apply -f - <<EOF\nname: $NAME\nEOF\nkubectl apply -f - <<'EOF'\nname: $NAME\nEOF\nkubectl apply -f - <<-EOF\n\tname: x\nEOF\n";
        let mut vars = Vars::default();
        let found = commands(script, None, &mut vars).expect("parsed");
        let literal: Vec<bool> = found
            .iter()
            .filter_map(|c| c.heredoc.as_ref().map(|h| h.literal))
            .collect();
        assert_eq!(literal, vec![false, true, false]);
    }

    #[test]
    fn heredocs_are_attached_to_their_command() {
        let script = "kubectl apply -f - <<EOF\nkind: ServiceAccount\nEOF\ncat <<'X' | kubectl apply -f -\nkind: Namespace\nX\n";
        let mut vars = Vars::default();
        let found = commands(script, None, &mut vars).expect("parsed");
        let kubectl: Vec<_> = found
            .iter()
            .filter(|c| c.words[0].value() == "kubectl")
            .collect();
        assert_eq!(kubectl.len(), 2);
        for command in kubectl {
            let heredoc = command.heredoc.clone().expect("a heredoc");
            assert!(script[heredoc.body].contains("kind:"));
            assert!(heredoc.literal);
        }
    }

    #[test]
    fn included_ranges_read_only_those_parts() {
        let text = "prose `x`\n```sh\necho a\n```\nmore\n```sh\necho b\n```\n";
        let a = text.find("echo a").expect("a");
        let b = text.find("echo b").expect("b");
        let mut vars = Vars::default();
        let found = commands(text, Some(&[a..a + 7, b..b + 7]), &mut vars).expect("parsed");
        let all: Vec<String> = found.iter().map(|c| c.words[1].value()).collect();
        assert_eq!(all, vec!["a", "b"]);
        assert_eq!(found[1].words[1].range.start, b + 5);
    }

    #[test]
    fn broken_and_hostile_scripts_do_not_panic() {
        let deep = format!("echo {}x{}\n", "$(".repeat(3000), ")".repeat(3000));
        for script in [
            "echo \"unterminated\n",
            "cat <<EOF\nno end",
            deep.as_str(),
            "\u{feff}gcloud \u{2014} role x\n",
            "",
        ] {
            let mut vars = Vars::default();
            let _ = commands(script, None, &mut vars);
        }
        let long = format!("echo {}\n", "a".repeat(5_000_000));
        let mut vars = Vars::default();
        let found = commands(&long, None, &mut vars).expect("parsed");
        assert_eq!(found.len(), 1);
    }
}
