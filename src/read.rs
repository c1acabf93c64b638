//! Reading one input: its bytes from disk or standard input, decoded to text (UTF-8, or
//! UTF-16 with a byte order mark), or the problem that stops it from being parsed.

use std::path::PathBuf;

use crate::diagnostic::{Diagnostic, FileId, Label, Span};
use crate::discover::{self, Notice};
use crate::rules::wi000_invalid_yaml;
use crate::source::SourceFile;

/// Where a run's text comes from.
#[derive(Debug, Clone)]
pub enum Input {
    File(PathBuf),
    /// Standard input, already read, shown under `name`.
    Stdin {
        name: String,
        bytes: Vec<u8>,
    },
    /// The output of a rendering tool, shown under `name`.
    Rendered {
        name: String,
        bytes: Vec<u8>,
        from: crate::source::Rendered,
    },
}

/// A file read from disk or stdin, with a problem that stops it from being parsed.
pub struct Loaded {
    pub file: SourceFile,
    pub problem: Option<FileProblem>,
    /// A regular file, which can be read again (see [`crate::sparse`]): not standard input,
    /// nor a pipe such as the `/dev/fd/63` of `wilint check <(helm template …)`.
    pub readable_again: bool,
}

/// Why a whole file is WI000: its byte offset and the message.
pub struct FileProblem {
    offset: usize,
    message: String,
    help: String,
}

impl FileProblem {
    pub fn into_diagnostic(self, file: FileId) -> Diagnostic {
        let span = Span {
            file,
            start: self.offset,
            end: self.offset,
        };
        Diagnostic::new(
            &wi000_invalid_yaml::META,
            self.message,
            Label::new(span, "here"),
        )
        .with_help(self.help)
    }
}

/// Reads one input; a file over `max_file_size` bytes is a problem, not read.
pub fn load_input(input: Input, max_file_size: u64) -> Result<Loaded, Notice> {
    let mut rendered = None;
    let (name, path, bytes, regular) = match input {
        Input::Stdin { name, bytes } => (name, None, bytes, false),
        Input::Rendered { name, bytes, from } => {
            rendered = Some(from);
            (name, None, bytes, false)
        }
        Input::File(path) => {
            let name = display_name(&path);
            let error = |e: &std::io::Error| Notice {
                path: name.clone(),
                message: discover::describe_io_error(e),
            };
            let meta = std::fs::metadata(&path).map_err(|e| error(&e))?;
            if meta.is_dir() {
                return Err(Notice {
                    path: name,
                    message: "is a directory".to_string(),
                });
            }
            if meta.len() > max_file_size {
                let problem = FileProblem {
                    offset: 0,
                    message: format!(
                        "file is {} bytes, over the limit of {max_file_size} bytes; not parsed",
                        meta.len()
                    ),
                    help: "split the stream, or raise the limit with `--max-file-size`".to_string(),
                };
                return Ok(Loaded {
                    file: SourceFile::new(name, Some(path), String::new()),
                    problem: Some(problem),
                    readable_again: false,
                });
            }
            let bytes = std::fs::read(&path).map_err(|e| error(&e))?;
            // On macOS `/dev/stdin` redirected from a file is a regular file, but opening it
            // again shares the read position: nothing under /dev or /proc is read twice.
            let special = path.starts_with("/dev") || path.starts_with("/proc");
            (name, Some(path), bytes, meta.is_file() && !special)
        }
    };
    let (text, problem) = decode(bytes);
    let mut file = SourceFile::new(name, path, text);
    file.rendered = rendered;
    Ok(Loaded {
        file,
        readable_again: regular && problem.is_none(),
        problem,
    })
}

pub fn display_name(path: &std::path::Path) -> String {
    let shown = path.strip_prefix("./").unwrap_or(path);
    shown.display().to_string()
}

/// Decodes a file's bytes: UTF-8 (a BOM is dropped), or UTF-16 with a BOM. Anything else is
/// reported once for the whole file, with the position of the first bad byte; the text is then
/// what could be decoded.
pub fn decode(bytes: Vec<u8>) -> (String, Option<FileProblem>) {
    let utf16 = match bytes.get(..2) {
        Some([0xFF, 0xFE]) => Some(u16::from_le_bytes as fn([u8; 2]) -> u16),
        Some([0xFE, 0xFF]) => Some(u16::from_be_bytes as fn([u8; 2]) -> u16),
        _ => None,
    };
    if let Some(read_unit) = utf16 {
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|c| read_unit([c[0], *c.get(1).unwrap_or(&0)]))
            .collect();
        return match String::from_utf16(&units) {
            Ok(text) => (text, None),
            Err(_) => (
                String::new(),
                Some(FileProblem {
                    offset: 0,
                    message: "file starts with a UTF-16 byte order mark but is not valid UTF-16"
                        .to_string(),
                    help: "save the file as UTF-8".to_string(),
                }),
            ),
        };
    }
    if let Some(nul) = memchr::memchr(0, &bytes) {
        let text = String::from_utf8_lossy(&bytes[..nul]).into_owned();
        let offset = text.len();
        let problem = FileProblem {
            offset,
            message: "binary file: it contains a NUL byte; not parsed".to_string(),
            help: "Kubernetes manifests are UTF-8 text; exclude this file with `--exclude`"
                .to_string(),
        };
        return (text, Some(problem));
    }
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(error) => {
            let offset = error.utf8_error().valid_up_to();
            let bad = error.as_bytes()[offset];
            let text = String::from_utf8_lossy(error.as_bytes()).into_owned();
            let problem = FileProblem {
                offset,
                message: format!("not UTF-8 text: invalid byte 0x{bad:02X}; not parsed"),
                help: "Kubernetes manifests are UTF-8; convert the file, e.g. `iconv -f latin1 -t utf-8`"
                    .to_string(),
            };
            (text, Some(problem))
        }
    }
}
