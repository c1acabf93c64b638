//! Apply units: the files that are applied together, so that their namespace-less objects
//! share one "namespace the input is applied into" ([`Namespace::Applied`]). Objects of
//! different units never link by that namespace, and rules take evidence about a cluster
//! only from its own unit: a directory of unrelated applications is not one application.
//!
//! A file's unit is what the configuration says: the `[[cluster]]` whose `paths` match it, else
//! the first `apply-units` glob that matches it; else its directory (`kubectl apply -f DIR`).
//! Standard input and rendered output (a chart, a kustomization) are a unit each. A directory
//! whose kustomization file is among the inputs joins the unit of every directory it lists in
//! `resources` or `components` (or the deprecated `bases`), and of the directories of the files
//! it lists. A base shared by overlays therefore joins them all into one unit: a known limit
//! (see `assign`); lint each overlay rendered (`--kustomize`) to keep them apart.
//!
//! [`Namespace::Applied`]: crate::settings::Namespace::Applied

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::settings::{ClusterConfig, Unit};
use crate::source::Files;

/// What files are merged by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    /// A file with no directory: standard input or rendered output.
    File(usize),
    Dir(PathBuf),
    /// A `[[cluster]]` of a configuration file (its path, its name).
    Cluster(Option<PathBuf>, String),
    /// One `apply-units` glob of a configuration file (its path, the glob's position).
    Configured(Option<PathBuf>, usize),
}

/// Union-find over keys, in the order they are first met (so unit numbers are deterministic).
#[derive(Default)]
struct Merger {
    ids: HashMap<Key, usize>,
    parent: Vec<usize>,
}

impl Merger {
    fn id(&mut self, key: Key) -> usize {
        let next = self.parent.len();
        let id = *self.ids.entry(key).or_insert(next);
        if id == next {
            self.parent.push(id);
        }
        id
    }

    fn root(&mut self, mut id: usize) -> usize {
        while self.parent[id] != id {
            self.parent[id] = self.parent[self.parent[id]];
            id = self.parent[id];
        }
        id
    }

    fn merge(&mut self, a: usize, b: usize) {
        let (a, b) = (self.root(a), self.root(b));
        // The smaller id stays the root: the first key met names the unit.
        if a != b {
            let (low, high) = if a < b { (a, b) } else { (b, a) };
            self.parent[high] = low;
        }
    }
}

/// The unit of each file, by file id.
pub fn assign(
    files: &Files,
    configs: &[Arc<Config>],
    clusters: &[Option<&ClusterConfig>],
) -> Vec<Unit> {
    let mut merger = Merger::default();
    let mut file_ids = Vec::with_capacity(files.len());
    // The kustomizations among the inputs (a walk lints `kustomization.yaml`): probing every
    // directory for one cost a twentieth of a run on a corpus of 4,000 files.
    let mut kustomizations: HashMap<PathBuf, &Path> = files
        .iter()
        .filter_map(|(_, file)| file.path.as_deref().filter(|_| file.rendered.is_none()))
        .filter(|path| {
            path.file_name()
                .is_some_and(|n| KUSTOMIZATION_FILES.iter().any(|k| n == *k))
        })
        .filter_map(|path| {
            let dir = crate::paths::absolute(path).parent()?.to_path_buf();
            Some((dir, path))
        })
        .collect();
    // Directories as written (most files share one with their neighbours): made absolute
    // once each.
    let mut dirs: HashMap<&Path, usize> = HashMap::new();
    // (the unit of a kustomization's directory, a directory it lists), merged at the end.
    let mut edges: Vec<(usize, PathBuf)> = Vec::new();
    for (id, file) in files.iter() {
        let Some(path) = file.path.as_deref().filter(|_| file.rendered.is_none()) else {
            file_ids.push(merger.id(Key::File(id)));
            continue;
        };
        let parent = path.parent().unwrap_or(Path::new(""));
        let dir_id = if let Some(&dir_id) = dirs.get(parent) {
            dir_id
        } else {
            let dir = crate::paths::absolute(parent);
            let dir_id = merger.id(Key::Dir(dir.clone()));
            dirs.insert(parent, dir_id);
            // Each kustomization once, when its directory is first met.
            if let Some(kustomization) = kustomizations.remove(&dir) {
                for listed in listed_dirs(&dir, kustomization) {
                    edges.push((dir_id, listed));
                }
            }
            dir_id
        };
        // What the configuration says is applied together comes first; else the directory.
        let config = &configs[id];
        let own = if let Some(cluster) = clusters[id] {
            merger.id(Key::Cluster(config.path.clone(), cluster.name.clone()))
        } else if let Some(glob) = config.apply_unit_for(path) {
            merger.id(Key::Configured(config.path.clone(), glob))
        } else {
            dir_id
        };
        file_ids.push(own);
    }
    // A directory that several kustomizations list (a base shared by overlays) joins each of
    // them, so they join each other: one unit per file cannot say "applied with A, and
    // separately with B". Leaving the base out of every unit was worse: its KSAs went missing
    // for every workload that a kustomization applies with them (Argo CD's manifests).
    for (lister, listed) in edges {
        let listed = merger.id(Key::Dir(listed));
        merger.merge(lister, listed);
    }
    // Dense unit numbers, in the order of each unit's first key.
    let mut numbers: HashMap<usize, u32> = HashMap::new();
    file_ids
        .into_iter()
        .map(|id| {
            let root = merger.root(id);
            let next = u32::try_from(numbers.len()).unwrap_or(u32::MAX);
            Unit(*numbers.entry(root).or_insert(next))
        })
        .collect()
}

/// The directories a kustomization lists: those of its `resources` (a directory, or a file's
/// directory), absolute.
fn listed_dirs(dir: &Path, kustomization: &Path) -> Vec<PathBuf> {
    kustomization_resources(kustomization)
        .into_iter()
        .filter_map(|resource| {
            let resource = dir.join(resource);
            let listed = if resource.is_dir() {
                resource
            } else {
                resource.parent()?.to_path_buf()
            };
            Some(crate::paths::absolute(&listed))
        })
        .collect()
}

/// The names of a kustomization file.
const KUSTOMIZATION_FILES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// The local paths a kustomization file lists (`resources`, `components`, `bases`). Remote
/// resources (URLs) are not units of the input; a file that cannot be read or parsed lists
/// nothing (WI000 reports it, as it is linted).
fn kustomization_resources(path: &Path) -> Vec<String> {
    let mut listed = Vec::new();
    let Ok(text) = std::fs::read_to_string(path) else {
        return listed;
    };
    let Ok(roots) = crate::yaml::load(&text, crate::yaml::Limits::default()) else {
        return listed;
    };
    for root in &roots {
        for key in ["resources", "bases", "components"] {
            let Some(items) = crate::yaml::get(root, key) else {
                continue;
            };
            for item in crate::yaml::items(items) {
                if let Some(path) = crate::yaml::as_str(item)
                    && !path.contains("://")
                    && !path.starts_with("github.com/")
                {
                    listed.push(path.to_string());
                }
            }
        }
    }
    listed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_keys_share_the_first_keys_root() {
        let mut merger = Merger::default();
        let a = merger.id(Key::Dir("a".into()));
        let b = merger.id(Key::Dir("b".into()));
        let c = merger.id(Key::Dir("c".into()));
        merger.merge(c, b);
        assert_eq!(merger.root(b), b);
        assert_eq!(merger.root(c), b);
        merger.merge(b, a);
        assert_eq!(merger.root(c), a);
        assert_eq!(merger.id(Key::Dir("c".into())), c);
    }
}
