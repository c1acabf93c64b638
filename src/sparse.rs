//! Sparse sources, so that memory does not grow with the corpus: once the pre-scan has
//! decided which documents of a file need a tree, a file read from disk keeps in memory only
//! the documents that are not workloads (the index is made of them), and nothing of the
//! documents no rule reads. The workloads a run streams are read again from disk when their
//! turn comes, and output reads again the whole text of the files with findings.
//!
//! A file read again must be the file read first: every document kept is compared with it,
//! and every workload with the digest taken at the first read. A file that changed in between
//! is an error (exit code 2), never a finding at the wrong place.

use std::hash::{DefaultHasher, Hash, Hasher};

use crate::diagnostic::FileId;
use crate::model::DocumentPos;
use crate::source::{DocumentRange, SourceFile};

/// What a sparse file keeps of its text.
#[derive(Debug)]
pub struct Sparse {
    /// The byte length of the whole text.
    pub len: usize,
    /// The documents that need a tree, in order.
    pub documents: Vec<SparseDocument>,
}

/// One document of a sparse file that needs a tree.
#[derive(Debug)]
pub struct SparseDocument {
    pub range: DocumentRange,
    pub content: Content,
}

#[derive(Debug)]
pub enum Content {
    /// Kept in memory: the document's text.
    Held(String),
    /// A workload that a streamed run reads again when its turn comes: the digest of its text.
    Reread(u64),
}

/// The digest that tells a workload read again from the one read first.
pub fn digest(text: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

impl SparseDocument {
    /// Whether its text is held (not a workload to read again).
    pub fn is_held(&self) -> bool {
        matches!(self.content, Content::Held(_))
    }

    /// The position of a held document (none for a workload to read again).
    pub fn held_position(&self, file: FileId) -> Option<DocumentPos<'_>> {
        match &self.content {
            Content::Held(text) => Some(position(file, &self.range, text)),
            Content::Reread(_) => None,
        }
    }

    /// Whether `text` (the whole file) still has this document.
    fn is_in(&self, text: &str) -> bool {
        let Some(now) = text.get(self.range.start..self.range.end) else {
            return false;
        };
        match &self.content {
            Content::Held(held) => now == held,
            Content::Reread(digest_then) => digest(now) == *digest_then,
        }
    }
}

/// The position of the document at `range`, whose text (and only that) is `text`.
pub fn position<'t>(file: FileId, range: &DocumentRange, text: &'t str) -> DocumentPos<'t> {
    let template = range
        .source_template
        .as_ref()
        .and_then(|template| text.get(template.start - range.start..template.end - range.start));
    DocumentPos::new(file, text, range.start, template, range.first_line)
}

/// The whole text of a sparse file, read again from disk, if it is still the text read first.
/// The error says why not, for a [`crate::discover::Notice`] on the file.
pub fn reread(file: &SourceFile, sparse: &Sparse) -> Result<String, String> {
    let changed = || "changed while wilint was reading it; run wilint again".to_string();
    let path = file.path.as_ref().ok_or_else(changed)?;
    let bytes = std::fs::read(path).map_err(|e| crate::discover::describe_io_error(&e))?;
    let (text, problem) = crate::read::decode(bytes);
    let same = problem.is_none()
        && text.len() == sparse.len
        && sparse.documents.iter().all(|doc| doc.is_in(&text));
    if same { Ok(text) } else { Err(changed()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sparse_file(dir: &std::path::Path, text: &str) -> (SourceFile, Sparse) {
        let path = dir.join("a.yaml");
        std::fs::write(&path, text).unwrap();
        let ranges = crate::source::split_documents(text);
        let documents = ranges
            .into_iter()
            .enumerate()
            .map(|(n, range)| {
                let doc = &text[range.start..range.end];
                let content = if n == 0 {
                    Content::Held(doc.to_string())
                } else {
                    Content::Reread(digest(doc))
                };
                SparseDocument { range, content }
            })
            .collect();
        let file = SourceFile::new("a.yaml".to_string(), Some(path), String::new());
        let sparse = Sparse {
            len: text.len(),
            documents,
        };
        (file, sparse)
    }

    const TEXT: &str = "kind: ServiceAccount\n---\n# Source: c/t.yaml\nkind: Pod\n";

    #[test]
    fn an_unchanged_file_is_read_again_whole() {
        let dir = tempfile::tempdir().unwrap();
        let (file, sparse) = sparse_file(dir.path(), TEXT);
        assert_eq!(reread(&file, &sparse).unwrap(), TEXT);
        let held = sparse.documents[0].held_position(0).unwrap();
        assert_eq!(held.text, "kind: ServiceAccount\n");
        assert!(sparse.documents[1].held_position(0).is_none());
        let text = reread(&file, &sparse).unwrap();
        let doc = &sparse.documents[1];
        let pos = position(0, &doc.range, &text[doc.range.start..doc.range.end]);
        assert_eq!(pos.source_template, Some("c/t.yaml"));
        assert_eq!(pos.line_of(pos.start + pos.text.find("kind").unwrap()), 4);
    }

    #[test]
    fn a_changed_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let (file, sparse) = sparse_file(dir.path(), TEXT);
        for changed in [
            TEXT.replace("Pod", "Job"), // a workload: same length
            TEXT.replace("ServiceAccount", "ServiceAccounx"), // a held document
            format!("{TEXT}\n"),        // the length
            String::new(),
        ] {
            std::fs::write(file.path.as_ref().unwrap(), &changed).unwrap();
            let error = reread(&file, &sparse).unwrap_err();
            assert!(
                error.contains("changed while wilint was reading it"),
                "{error}"
            );
        }
        std::fs::remove_file(file.path.as_ref().unwrap()).unwrap();
        assert!(reread(&file, &sparse).is_err());
    }
}
