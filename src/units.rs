//! Apply units: the files that are applied together, so that their namespace-less objects
//! share one "namespace the input is applied into" ([`Namespace::Applied`]). Objects of
//! different units never link by that namespace, and rules take evidence about a cluster
//! only from its own unit: a directory of unrelated applications is not one application.
//!
//! A file's unit is what the configuration says: the `[[cluster]]` whose `paths` match it, else
//! the first `apply-units` glob that matches it; else its directory (`kubectl apply -f DIR`).
//! Standard input and rendered output (a chart, a kustomization) are a unit each. A directory
//! with a kustomization file joins the unit of every directory it lists in `resources` or
//! `components` (or the deprecated `bases`), and of the directories of the files it lists.
//!
//! [`Namespace::Applied`]: crate::settings::Namespace::Applied

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::settings::Unit;
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
pub fn assign(files: &Files, configs: &[Arc<Config>]) -> Vec<Unit> {
    let mut merger = Merger::default();
    let mut file_ids = Vec::with_capacity(files.len());
    let mut kustomized: HashMap<PathBuf, bool> = HashMap::new();
    for (id, file) in files.iter() {
        let Some(path) = file.path.as_deref().filter(|_| file.rendered.is_none()) else {
            file_ids.push(merger.id(Key::File(id)));
            continue;
        };
        let absolute = crate::paths::absolute(path);
        let dir = absolute.parent().map(Path::to_path_buf).unwrap_or_default();
        // What the configuration says is applied together comes first; else the directory.
        let config = &configs[id];
        let own = if let Some(cluster) = config.cluster_for(path) {
            merger.id(Key::Cluster(config.path.clone(), cluster.name.clone()))
        } else if let Some(glob) = config.apply_unit_for(path) {
            merger.id(Key::Configured(config.path.clone(), glob))
        } else {
            merger.id(Key::Dir(dir.clone()))
        };
        file_ids.push(own);
        if !kustomized.contains_key(&dir) {
            let listed = kustomization_resources(&dir);
            kustomized.insert(dir.clone(), listed.is_some());
            for resource in listed.into_iter().flatten() {
                let resource = dir.join(resource);
                let resource_dir = if resource.is_dir() {
                    resource
                } else {
                    match resource.parent() {
                        Some(parent) => parent.to_path_buf(),
                        None => continue,
                    }
                };
                let listed = merger.id(Key::Dir(crate::paths::absolute(&resource_dir)));
                let here = merger.id(Key::Dir(dir.clone()));
                merger.merge(here, listed);
            }
        }
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

/// The local paths a directory's kustomization lists (`resources`, `components`, `bases`), or
/// `None` when
/// the directory has no kustomization file. Remote resources (URLs) are not units of the input.
fn kustomization_resources(dir: &Path) -> Option<Vec<String>> {
    let text = ["kustomization.yaml", "kustomization.yml", "Kustomization"]
        .iter()
        .find_map(|name| std::fs::read_to_string(dir.join(name)).ok())?;
    let mut listed = Vec::new();
    // A kustomization is small; a broken one lists nothing (WI000 reports it when linted).
    let Ok(roots) = crate::yaml::load(&text, crate::yaml::Limits::default()) else {
        return Some(listed);
    };
    for root in &roots {
        for key in ["resources", "bases", "components"] {
            let Some(items) = crate::yaml::get(root, key) else {
                continue;
            };
            for item in crate::yaml::items(items) {
                if let Some(path) = crate::yaml::as_str(item) {
                    if !path.contains("://") && !path.starts_with("github.com/") {
                        listed.push(path.to_string());
                    }
                }
            }
        }
    }
    Some(listed)
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
