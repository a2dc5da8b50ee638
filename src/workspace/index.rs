//! The cross-record index: which records have which canonical registry ids. Built
//! once from every record's summary; the cross-record rules and the language server's
//! navigation query it for one record at a time.
//!
//! Summaries are kept behind an `Arc` each: the language server shares one summary
//! between its record of the file on disk and the index, and replacing one record's
//! summary touches that record only. An update (`insert`, `remove`) costs O(ids of
//! that record), never a scan of the workspace: removal finds the id entries to
//! drop through the removed summary's own ids.
//!
//! A record's path is held once, behind an `Arc`, however many maps name it (its
//! summary's entry and each of its id entries), and an id entry holds exactly the
//! records filed under it: a batch of 100,000 records keeps one path each, not three
//! (see docs/decisions.md, "Batch memory").

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::path::Path;
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
    pub primary: HashMap<Box<str>, Vec<Arc<Path>>>,
    /// Canonical id → the records that list it in `secondary_ids` (type REGISTRY).
    pub secondary: HashMap<Box<str>, Vec<Arc<Path>>>,
    /// Record → its summary (the key is the one copy of the record's path).
    pub records: HashMap<Arc<Path>, Arc<RecordSummary>>,
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

/// File `path` under `key`. A new entry holds room for its one record only (a
/// vector's first push reserves four): most ids name one record.
fn file(map: &mut HashMap<Box<str>, Vec<Arc<Path>>>, key: String, path: &Arc<Path>) {
    match map.entry(key.into_boxed_str()) {
        Entry::Occupied(mut e) => e.get_mut().push(path.clone()),
        Entry::Vacant(e) => {
            e.insert(vec![path.clone()]);
        }
    }
}

/// Drop `path` from the entry of `key` (and the entry once it is empty).
fn unfile(map: &mut HashMap<Box<str>, Vec<Arc<Path>>>, key: &str, path: &Path) {
    if let Some(paths) = map.get_mut(key) {
        paths.retain(|p| **p != *path);
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
        // The path's one copy: the one already held when the record is replaced.
        let path = match self.records.get_key_value(path) {
            Some((p, _)) => p.clone(),
            None => Arc::from(path),
        };
        self.insert_shared(path, summary);
    }

    /// [`WorkspaceIndex::insert`] with the path as the caller holds it already, so
    /// that the index shares the caller's copy rather than making its own.
    pub fn insert_shared(&mut self, path: Arc<Path>, summary: Arc<RecordSummary>) {
        self.remove(&path);
        let (primary, secondary) = keys(&summary);
        if let Some(c) = primary {
            file(&mut self.primary, c, &path);
        }
        for c in secondary {
            file(&mut self.secondary, c, &path);
        }
        self.records.insert(path, summary);
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
    ) -> impl Iterator<Item = &'s Path> {
        self.primary
            .get(canonical)
            .into_iter()
            .flatten()
            .map(|p| &**p)
            .filter(move |p| *p != except)
    }

    /// Records (other than `except`) that list this canonical id as a secondary id.
    pub fn with_secondary<'s>(
        &'s self,
        canonical: &str,
        except: &'s Path,
    ) -> impl Iterator<Item = &'s Path> {
        self.secondary
            .get(canonical)
            .into_iter()
            .flatten()
            .map(|p| &**p)
            .filter(move |p| *p != except)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Span;
    use std::path::PathBuf;

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
        let mut found: Vec<PathBuf> = index
            .with_id(id, Path::new("/none"))
            .map(Path::to_path_buf)
            .collect();
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
    fn a_records_path_is_held_once_and_shared_by_its_id_entries() {
        let mut index = WorkspaceIndex::default();
        let a = Path::new("/a");
        index.insert(a, summary("NCT00000001", &["NCT00000009"]));
        index.insert(a, summary("NCT00000002", &["NCT00000008"]));
        let (key, _) = index.records.get_key_value(a).unwrap();
        // The record's entry and its two id entries: one allocation.
        assert_eq!(Arc::strong_count(key), 3);
        assert!(Arc::ptr_eq(key, &index.primary["NCT00000002"][0]));
        assert_eq!(index.primary["NCT00000002"].capacity(), 1);
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
