//! A command's words read as a command line: the program, its subcommands, its flags and
//! their values, and its positional arguments. A flag written with a typographic dash (`—
//! role`, `–role`: what a blog's editor makes of `--role`) is read as the flag it stands for
//! and remembered, for WI070.

use super::words::Word;

/// A flag as written, its dash repaired.
#[derive(Debug, Clone)]
pub struct ArgFlag {
    pub name: String,
    pub name_word: Word,
    pub value: Option<Word>,
    /// The typographic dash, where it is written and which.
    pub dash: Option<(std::ops::Range<usize>, char)>,
}

/// A command line: `words[0]` is the program.
#[derive(Debug, Clone, Default)]
pub struct CommandLine {
    pub program: String,
    /// The words that are neither flags nor flag values, in order (subcommands first).
    pub operands: Vec<Word>,
    pub flags: Vec<ArgFlag>,
}

/// Dashes that are not `-`: en dash, em dash, minus sign, hyphen, figure dash.
const TYPOGRAPHIC_DASHES: &[char] = &['\u{2013}', '\u{2014}', '\u{2212}', '\u{2010}', '\u{2012}'];

/// Wrappers that run the command of the words after them.
const WRAPPERS: &[&str] = &["sudo", "time", "command", "exec", "nohup", "env"];

/// Whether the flag `name` (dashes included) takes a value, when written without `=`.
pub type TakesValue = fn(&str) -> bool;

/// Reads `words` (a program with its arguments) as a command line; `takes_value` says which
/// flags written `--flag VALUE` consume the next word.
pub fn read(words: &[Word], takes_value: TakesValue) -> Option<CommandLine> {
    let mut rest = words;
    // `sudo gcloud …`, `env X=1 gcloud …`.
    while let Some(first) = rest.first() {
        let value = first.value();
        if WRAPPERS.contains(&value.as_str())
            || (value.contains('=') && !value.starts_with('-') && rest.len() > 1)
            || (value.starts_with('-') && rest.len() > 1 && is_wrapper_flag(words, rest))
        {
            rest = &rest[1..];
        } else {
            break;
        }
    }
    let (program, args) = rest.split_first()?;
    if program.has_unknowns() {
        return None;
    }
    let program = program
        .value()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let mut line = CommandLine {
        program,
        ..CommandLine::default()
    };
    let mut i = 0;
    let mut options_end = false;
    while i < args.len() {
        let word = &args[i];
        i += 1;
        let value = word.value();
        if options_end || word.has_unknowns() && !value.starts_with('-') {
            line.operands.push(word.clone());
            continue;
        }
        if value == "--" {
            options_end = true;
            continue;
        }
        // A typographic dash: alone before the flag's name (`— role`), or joined (`—role`).
        let mut dash = None;
        let (flag_word, flag_text) = if let Some(c) = value
            .chars()
            .next()
            .filter(|c| TYPOGRAPHIC_DASHES.contains(c))
        {
            let dashes_len: usize = value
                .chars()
                .take_while(|c| TYPOGRAPHIC_DASHES.contains(c) || *c == '-')
                .map(char::len_utf8)
                .sum();
            dash = Some((
                word.range.start..word.range.start + dashes_len.min(word.range.len()),
                c,
            ));
            if dashes_len == value.len() {
                // The name is the next word.
                match args.get(i) {
                    Some(next) if is_flag_name_start(&next.value()) => {
                        i += 1;
                        let joined = format!("--{}", next.value());
                        (next.clone(), joined)
                    }
                    _ => {
                        line.operands.push(word.clone());
                        continue;
                    }
                }
            } else {
                (word.tail(dashes_len), format!("--{}", &value[dashes_len..]))
            }
        } else if value.starts_with('-') && value.len() > 1 {
            (word.clone(), value.clone())
        } else {
            line.operands.push(word.clone());
            continue;
        };
        let (name, value_word) = if let Some(eq) = flag_text.find('=') {
            let in_word = flag_word.value().find('=').unwrap_or(0);
            (
                flag_text[..eq].to_string(),
                Some(flag_word.tail(in_word + 1)),
            )
        } else {
            let takes = takes_value(&flag_text);
            let next_is_value = args
                .get(i)
                .is_some_and(|next| !next.value().starts_with('-') || next.has_unknowns());
            if takes && next_is_value {
                i += 1;
                (flag_text.clone(), Some(args[i - 1].clone()))
            } else {
                (flag_text.clone(), None)
            }
        };
        let name_len = flag_word
            .value()
            .find('=')
            .unwrap_or(flag_word.value().len());
        line.flags.push(ArgFlag {
            name,
            name_word: flag_word.head(name_len),
            value: value_word,
            dash,
        });
    }
    Some(line)
}

/// `sudo -E gcloud`, `env -i gcloud`: a flag of a wrapper, not of the command.
fn is_wrapper_flag(all: &[Word], rest: &[Word]) -> bool {
    let before = all.len() - rest.len();
    before > 0 && WRAPPERS.contains(&all[before - 1].value().as_str())
}

fn is_flag_name_start(word: &str) -> bool {
    word.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && word
            .chars()
            .take_while(|c| *c != '=')
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::shell::script;
    use crate::sources::shell::words::Vars;

    fn line(script_text: &str) -> CommandLine {
        let mut vars = Vars::default();
        let commands = script::commands(script_text, None, &mut vars).expect("parsed");
        read(&commands[0].words, |flag| flag != "--quiet").expect("a command line")
    }

    #[test]
    fn flags_values_and_operands() {
        let l = line("sudo gcloud iam x --role=r --member \"m\" --quiet sa@p\n");
        assert_eq!(l.program, "gcloud");
        let ops: Vec<String> = l.operands.iter().map(Word::value).collect();
        assert_eq!(ops, vec!["iam", "x", "sa@p"]);
        let flags: Vec<(String, Option<String>)> = l
            .flags
            .iter()
            .map(|f| (f.name.clone(), f.value.as_ref().map(Word::value)))
            .collect();
        assert_eq!(
            flags,
            vec![
                ("--role".into(), Some("r".into())),
                ("--member".into(), Some("m".into())),
                ("--quiet".into(), None)
            ]
        );
    }

    #[test]
    fn typographic_dashes_are_repaired_and_remembered() {
        let text = "gcloud a \\\n \u{2014} role roles/x \\\n \u{2013}member=m\n";
        let l = line(text);
        let role = &l.flags[0];
        assert_eq!(role.name, "--role");
        assert_eq!(
            role.value.as_ref().map(Word::value).as_deref(),
            Some("roles/x")
        );
        let (range, c) = role.dash.clone().expect("a dash");
        assert_eq!(c, '\u{2014}');
        assert_eq!(&text[range], "\u{2014}");
        let member = &l.flags[1];
        assert_eq!(member.name, "--member");
        assert_eq!(member.value.as_ref().map(Word::value).as_deref(), Some("m"));
        assert_eq!(member.dash.as_ref().map(|d| d.1), Some('\u{2013}'));
    }
}
