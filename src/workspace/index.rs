//! The cross-record index: which records have which canonical registry ids. Built
//! once from every record's summary; the cross-record rules and the language server's
//! navigation query it for one record at a time.
//!
//! Summaries are kept behind an `Arc` each: the language server shares one summary
//! between its record of the file on disk and the index, and replacing one record's
//! summary touches that record only. An update (`insert`, `remove`) costs O(ids of
//! that record), never a scan of the workspace: removal finds the id entries to
//! drop through the removed summary's own ids.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::ids;
use crate::model::RecordSummary;

/// A canonical registry id, or `None` when the text is not one.
pub fn canonical(id: &str) -> Option<String> {
    ids::canonical(id).map(|c| c.id)
}

#[derive(Clone, Debug, Default)]
pub struct WorkspaceIndex {
    /// Canonical primary id → the records that have it as `id`.
    pub primary: HashMap<String, Vec<PathBuf>>,
    /// Canonical id → the records that list it in `secondary_ids` (type REGISTRY).
    pub secondary: HashMap<String, Vec<PathBuf>>,
    /// Record → its summary.
    pub records: HashMap<PathBuf, Arc<RecordSummary>>,
}

/// The canonical ids a summary files itself under: its `id`, then its secondary ids.
fn keys(summary: &RecordSummary) -> (Option<String>, Vec<String>) {
    let primary = summary.id.as_ref().and_then(|(id, _)| canonical(id));
    let secondary = summary
        .secondary
        .iter()
        .filter_map(|(id, _)| canonical(id))
        .collect();
    (primary, secondary)
}

/// Drop `path` from the entry of `key` (and the entry once it is empty).
fn unfile(map: &mut HashMap<String, Vec<PathBuf>>, key: &str, path: &Path) {
    if let Some(paths) = map.get_mut(key) {
        paths.retain(|p| p != path);
        if paths.is_empty() {
            map.remove(key);
        }
    }
}

impl WorkspaceIndex {
    pub fn build<'a>(records: impl IntoIterator<Item = (&'a Path, &'a RecordSummary)>) -> Self {
        let mut index = WorkspaceIndex::default();
        for (path, summary) in records {
            index.insert(path, Arc::new(summary.clone()));
        }
        index
    }

    /// Record `path` with `summary` (replacing what it had).
    pub fn insert(&mut self, path: &Path, summary: Arc<RecordSummary>) {
        self.remove(path);
        let (primary, secondary) = keys(&summary);
        if let Some(c) = primary {
            self.primary.entry(c).or_default().push(path.to_path_buf());
        }
        for c in secondary {
            self.secondary
                .entry(c)
                .or_default()
                .push(path.to_path_buf());
        }
        self.records.insert(path.to_path_buf(), summary);
    }

    /// Replace the summary of a record already recorded under the same ids (only
    /// spans or texts no id entry depends on differ): the id entries stay as they are.
    /// Returns `false`, changing nothing, when the record is not there or its ids
    /// differ (then [`WorkspaceIndex::insert`] is the way).
    pub fn replace_same_ids(&mut self, path: &Path, summary: Arc<RecordSummary>) -> bool {
        match self.records.get_mut(path) {
            Some(old) if keys(old) == keys(&summary) => {
                *old = summary;
                true
            }
            _ => false,
        }
    }

    /// Forget a record: O(ids of that record).
    pub fn remove(&mut self, path: &Path) -> Option<Arc<RecordSummary>> {
        let old = self.records.remove(path)?;
        let (primary, secondary) = keys(&old);
        if let Some(c) = primary {
            unfile(&mut self.primary, &c, path);
        }
        for c in secondary {
            unfile(&mut self.secondary, &c, path);
        }
        Some(old)
    }

    /// Records (other than `except`) whose `id` is this canonical id.
    pub fn with_id<'s>(
        &'s self,
        canonical: &str,
        except: &'s Path,
    ) -> impl Iterator<Item = &'s PathBuf> {
        self.primary
            .get(canonical)
            .into_iter()
            .flatten()
            .filter(move |p| p.as_path() != except)
    }

    /// Records (other than `except`) that list this canonical id as a secondary id.
    pub fn with_secondary<'s>(
        &'s self,
        canonical: &str,
        except: &'s Path,
    ) -> impl Iterator<Item = &'s PathBuf> {
        self.secondary
            .get(canonical)
            .into_iter()
            .flatten()
            .filter(move |p| p.as_path() != except)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Span;

    fn summary(id: &str, secondary: &[&str]) -> Arc<RecordSummary> {
        Arc::new(RecordSummary {
            id: Some((id.into(), Span::new(4, 4 + id.len()))),
            title: None,
            secondary: secondary
                .iter()
                .map(|s| (s.to_string(), Span::empty(0)))
                .collect(),
            related: Vec::new(),
        })
    }

    fn ids_of(index: &WorkspaceIndex, id: &str) -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> = index.with_id(id, Path::new("/none")).cloned().collect();
        found.sort();
        found
    }

    #[test]
    fn removal_drops_only_that_records_entries() {
        let mut index = WorkspaceIndex::default();
        let (a, b, c) = (Path::new("/a"), Path::new("/b"), Path::new("/c"));
        index.insert(a, summary("NCT00000001", &["NCT00000009"]));
        index.insert(b, summary("NCT00000001", &["NCT00000009"]));
        index.insert(c, summary("NCT00000002", &[]));
        assert_eq!(ids_of(&index, "NCT00000001"), [a, b]);
        let removed = index.remove(a).expect("a was recorded");
        assert_eq!(removed.id.as_ref().unwrap().0, "NCT00000001");
        assert_eq!(ids_of(&index, "NCT00000001"), [b]);
        assert_eq!(
            index
                .with_secondary("NCT00000009", Path::new("/none"))
                .collect::<Vec<_>>(),
            [b]
        );
        index.remove(b);
        // Emptied entries go; the other record's stay.
        assert!(!index.primary.contains_key("NCT00000001"));
        assert!(!index.secondary.contains_key("NCT00000009"));
        assert_eq!(ids_of(&index, "NCT00000002"), [c]);
        assert_eq!(index.records.len(), 1);
        // Removing what is not there changes nothing.
        assert!(index.remove(a).is_none());
        assert_eq!(index.records.len(), 1);
    }

    #[test]
    fn reinserting_moves_a_record_to_its_new_ids() {
        let mut index = WorkspaceIndex::default();
        let a = Path::new("/a");
        index.insert(a, summary("NCT00000001", &["NCT00000009", "NCT00000009"]));
        index.insert(a, summary("NCT00000002", &[]));
        assert!(!index.primary.contains_key("NCT00000001"));
        assert!(index.secondary.is_empty());
        assert_eq!(ids_of(&index, "NCT00000002"), [a]);
    }

    #[test]
    fn a_non_canonical_id_is_removed_by_its_canonical_form() {
        let mut index = WorkspaceIndex::default();
        let a = Path::new("/a");
        // Written in lower case: filed (and unfiled) under the canonical id.
        index.insert(a, summary("nct00000001", &[]));
        let canonical_id = canonical("nct00000001").unwrap();
        assert_eq!(ids_of(&index, &canonical_id), [a]);
        index.remove(a);
        assert!(index.primary.is_empty());
    }

    #[test]
    fn replacing_with_the_same_ids_keeps_the_entries_and_refuses_new_ids() {
        let mut index = WorkspaceIndex::default();
        let a = Path::new("/a");
        index.insert(a, summary("NCT00000001", &[]));
        let mut moved = (*summary("NCT00000001", &[])).clone();
        moved.id.as_mut().unwrap().1 = Span::new(40, 51);
        assert!(index.replace_same_ids(a, Arc::new(moved)));
        assert_eq!(index.records[a].id.as_ref().unwrap().1, Span::new(40, 51));
        assert_eq!(ids_of(&index, "NCT00000001"), [a]);
        assert!(!index.replace_same_ids(a, summary("NCT00000003", &[])));
        assert_eq!(ids_of(&index, "NCT00000001"), [a]);
        assert!(!index.replace_same_ids(Path::new("/b"), summary("NCT00000001", &[])));
    }
}
