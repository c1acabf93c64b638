//! Helpers for the tests that lint whole corpora and compare two ways of running
//! (`tests/prescan.rs`, `tests/stream.rs`), and walk fixture trees (`tests/rules.rs`,
//! `tests/yaml_suite.rs`).

#![allow(dead_code, clippy::expect_used, clippy::print_stderr)] // Each test crate uses what it needs; tests fail by panicking and say what they skipped.

use std::path::{Path, PathBuf};

use globset::GlobSet;
use wilint::engine::Input;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir`, in subdirectories too, that `keep` accepts, sorted by path (a plain
/// walk, unlike [`files_under`]: nothing is skipped).
pub fn files_in(dir: &Path, keep: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(next) = dirs.pop() {
        for entry in std::fs::read_dir(&next).expect("directory") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if keep(&path) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The files wilint would lint under `dir`.
pub fn files_under(dir: &Path) -> Vec<Input> {
    wilint::discover::discover(&[dir.to_path_buf()], &GlobSet::empty())
        .files
        .into_iter()
        .map(Input::File)
        .collect()
}

/// Calls `check` with each part of the real corpora in `../shared/corpus` (public manifests,
/// Helm output, a large sample) and the files of its repositories, in order; skipped when this
/// checkout does not sit beside them.
pub fn each_shared_corpus_part(mut check: impl FnMut(&str, &[Input])) {
    let corpus = repo().join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("skipped: {} is not here", corpus.display());
        return;
    }
    for part in ["wi", "helm", "large-sample"] {
        let dir = corpus.join(part);
        if !dir.is_dir() {
            continue;
        }
        // Each repository of the corpus separately, as users lint them.
        let mut repos: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("read corpus")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir())
            .collect();
        repos.sort();
        if repos.is_empty() {
            repos.push(dir.clone());
        }
        let inputs: Vec<Input> = repos.iter().flat_map(|r| files_under(r)).collect();
        check(&format!("corpus/{part}"), &inputs);
    }
}
