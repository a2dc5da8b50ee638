//! The cross-record index: which records have which canonical registry ids. Built
//! once from every record's summary; the cross-record rules and the language server's
//! navigation query it for one record at a time.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

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
    pub records: HashMap<PathBuf, RecordSummary>,
}

impl WorkspaceIndex {
    pub fn build<'a>(records: impl IntoIterator<Item = (&'a Path, &'a RecordSummary)>) -> Self {
        let mut index = WorkspaceIndex::default();
        for (path, summary) in records {
            index.insert(path, summary.clone());
        }
        index
    }

    pub fn insert(&mut self, path: &Path, summary: RecordSummary) {
        self.remove(path);
        if let Some(c) = summary.id.as_ref().and_then(|(id, _)| canonical(id)) {
            self.primary.entry(c).or_default().push(path.to_path_buf());
        }
        for (id, _) in &summary.secondary {
            if let Some(c) = canonical(id) {
                self.secondary
                    .entry(c)
                    .or_default()
                    .push(path.to_path_buf());
            }
        }
        self.records.insert(path.to_path_buf(), summary);
    }

    pub fn remove(&mut self, path: &Path) {
        if self.records.remove(path).is_none() {
            return;
        }
        for map in [&mut self.primary, &mut self.secondary] {
            map.retain(|_, paths| {
                paths.retain(|p| p != path);
                !paths.is_empty()
            });
        }
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
