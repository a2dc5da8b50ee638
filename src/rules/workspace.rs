//! Cross-record rules (TRF105, TRF108): one record judged against the workspace
//! index of every record a run was given (or the editor's workspace).

use std::path::Path;

use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::model::RecordSummary;
use crate::workspace::index::{canonical, WorkspaceIndex};

fn shown(path: &Path) -> String {
    format!("`{}`", path.display())
}

/// The cross-record diagnostics of the record at `path`, judged by `summary` against
/// the other records of the index (whether or not the index holds `path` too).
pub fn check(path: &Path, summary: &RecordSummary, index: &WorkspaceIndex) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some((raw, span)) = &summary.id {
        if let Some(c) = canonical(raw) {
            let mut others: Vec<String> = Vec::new();
            for p in index.with_id(&c, path) {
                others.push(format!("{} (same `id`)", shown(p)));
            }
            for p in index.with_secondary(&c, path) {
                others.push(format!("{} (lists `{c}` in `secondary_ids`)", shown(p)));
            }
            // The other direction: this record's secondary id is another record's id.
            for (sid, _) in &summary.secondary {
                if let Some(sc) = canonical(sid) {
                    for p in index.with_id(&sc, path) {
                        others.push(format!(
                            "{} (its `id` is this record's secondary id `{sc}`)",
                            shown(p)
                        ));
                    }
                }
            }
            if !others.is_empty() {
                out.push(Diagnostic::new(
                    Code::DuplicateRecord,
                    *span,
                    format!(
                        "this trial is also recorded in {}; keep one record per trial",
                        others.join(", ")
                    ),
                ));
            }
        }
    }
    // This record as `summary` has it now; the index's entry for `path` (which may be
    // older, in the editor) is never consulted.
    let own: Vec<String> = summary
        .id
        .iter()
        .chain(&summary.secondary)
        .filter_map(|(id, _)| canonical(id))
        .collect();
    for (raw, span) in &summary.related {
        let Some(c) = canonical(raw) else { continue };
        let recorded = own.contains(&c)
            || index.with_id(&c, path).next().is_some()
            || index.with_secondary(&c, path).next().is_some();
        if !recorded {
            out.push(Diagnostic::new(
                Code::RelatedNotRecorded,
                *span,
                format!("related trial `{c}` is not recorded in the workspace"),
            ));
        }
    }
    out
}
