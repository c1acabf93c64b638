//! Absolute paths without system calls per file.
//!
//! `canonicalize` resolves every component with `readlink`: on a repository of thousands of
//! files it was a sixth of a run's time. Lexical normalisation is enough to relate a file to
//! its configuration and to the repository root.

use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

/// The working directory, read once: wilint never changes it, and a run asks for it several
/// times per file.
fn working_directory() -> Option<&'static Path> {
    static CWD: OnceLock<Option<PathBuf>> = OnceLock::new();
    CWD.get_or_init(|| std::env::current_dir().ok()).as_deref()
}

/// `path` made absolute against the working directory, with `.` and `..` folded lexically
/// (symbolic links are not resolved).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        working_directory().map_or_else(|| path.to_path_buf(), |cwd| cwd.join(path))
    };
    let mut normal = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other.as_os_str()),
        }
    }
    normal
}

/// Where relative URIs are rooted: the git top-level above the working directory, else the
/// working directory itself.
pub fn source_root() -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let cwd = cwd.canonicalize().unwrap_or(cwd);
    cwd.ancestors()
        .find(|dir| dir.join(".git").exists())
        .map_or_else(|| cwd.clone(), Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_dots_lexically() {
        assert_eq!(
            absolute(Path::new("/a/./b/../c.yaml")),
            Path::new("/a/c.yaml")
        );
        assert_eq!(absolute(Path::new("/../x")), Path::new("/x"));
        let cwd = std::env::current_dir().expect("cwd");
        assert_eq!(absolute(Path::new("x/../y")), cwd.join("y"));
    }
}
