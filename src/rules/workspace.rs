//! Cross-record rules (TRF105, TRF108): one record judged against the workspace
//! index of every record a run was given (or the editor's workspace).

use std::path::Path;

use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Related};
use crate::model::RecordSummary;
use crate::syntax::Span;
use crate::workspace::index::{canonical, WorkspaceIndex};

/// The cross-record diagnostics of the record at `path`, judged by `summary` against
/// the other records of the index (whether or not the index holds `path` too).
/// TRF105 names each other record as a related location: the `id` or the
/// `secondary_ids` entry that makes it the same trial.
pub fn check(path: &Path, summary: &RecordSummary, index: &WorkspaceIndex) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some((raw, span)) = &summary.id {
        if let Some(c) = canonical(raw) {
            let mut others: Vec<Related> = Vec::new();
            let mut related = |p: &Path, span: Option<Span>, message: String| {
                others.push(Related {
                    path: Some(p.to_path_buf()),
                    span: span.unwrap_or_default(),
                    message,
                });
            };
            let id_span = |p: &Path| {
                index
                    .records
                    .get(p)
                    .and_then(|s| s.id.as_ref())
                    .map(|(_, s)| *s)
            };
            for p in index.with_id(&c, path) {
                related(
                    p,
                    id_span(p),
                    "also recorded here, with the same `id`".into(),
                );
            }
            for p in index.with_secondary(&c, path) {
                let entry = index.records.get(p).and_then(|s| {
                    s.secondary
                        .iter()
                        .find(|(id, _)| canonical(id).as_deref() == Some(&c))
                        .map(|(_, s)| *s)
                });
                related(
                    p,
                    entry,
                    format!("also recorded here, listing `{c}` in `secondary_ids`"),
                );
            }
            // The other direction: this record's secondary id is another record's id.
            for (sid, _) in &summary.secondary {
                if let Some(sc) = canonical(sid) {
                    for p in index.with_id(&sc, path) {
                        related(
                            p,
                            id_span(p),
                            format!("also recorded here, with this record's secondary id `{sc}` as its `id`"),
                        );
                    }
                }
            }
            if !others.is_empty() {
                let where_ = match others.len() {
                    1 => "another record".to_string(),
                    n => format!("{n} other records"),
                };
                let mut d = Diagnostic::new(
                    Code::DuplicateRecord,
                    *span,
                    format!("this trial is also recorded in {where_}; keep one record per trial"),
                );
                d.related = others;
                out.push(d);
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
