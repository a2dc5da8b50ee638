//! Cross-record rules (TRF105, TRF108): every record a run was given, compared
//! through their summaries by canonical registry id.

use std::collections::HashMap;
use std::path::Path;

use super::Rule;
use crate::diagnostic::Diagnostic;
use crate::ids;
use crate::model::RecordSummary;
use crate::rule;

pub static RULES: &[Rule] = &[
    rule!(
        "TRF105",
        "duplicate-record",
        Error,
        "two records in the workspace describe the same trial"
    ),
    rule!(
        "TRF108",
        "related-not-recorded",
        Info,
        "a `related` trial is not recorded in the workspace"
    ),
];

fn canonical(id: &str) -> Option<String> {
    ids::canonical(id).map(|c| c.id)
}

fn shown(path: Option<&Path>) -> String {
    path.map_or_else(
        || "another record".to_string(),
        |p| format!("`{}`", p.display()),
    )
}

/// Diagnostics for each record, in the order given.
pub fn check(records: &[(Option<&Path>, &RecordSummary)]) -> Vec<Vec<Diagnostic>> {
    let mut out: Vec<Vec<Diagnostic>> = records.iter().map(|_| Vec::new()).collect();
    // Canonical primary id → records; canonical secondary registry id → records.
    let mut primary: HashMap<String, Vec<usize>> = HashMap::new();
    let mut secondary: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, (_, s)) in records.iter().enumerate() {
        if let Some(c) = s.id.as_ref().and_then(|(id, _)| canonical(id)) {
            primary.entry(c).or_default().push(i);
        }
        for (id, _) in &s.secondary {
            if let Some(c) = canonical(id) {
                secondary.entry(c).or_default().push(i);
            }
        }
    }
    for (i, (path, s)) in records.iter().enumerate() {
        let _ = path;
        let Some((raw, span)) = &s.id else { continue };
        let Some(c) = canonical(raw) else { continue };
        let mut others: Vec<String> = Vec::new();
        for &j in primary.get(&c).into_iter().flatten().filter(|&&j| j != i) {
            others.push(format!("{} (same `id`)", shown(records[j].0)));
        }
        for &j in secondary.get(&c).into_iter().flatten().filter(|&&j| j != i) {
            others.push(format!(
                "{} (lists `{c}` in `secondary_ids`)",
                shown(records[j].0)
            ));
        }
        // The other direction: this record's secondary id is another record's id.
        for (sid, _) in &s.secondary {
            if let Some(sc) = canonical(sid) {
                for &j in primary.get(&sc).into_iter().flatten().filter(|&&j| j != i) {
                    others.push(format!(
                        "{} (its `id` is this record's secondary id `{sc}`)",
                        shown(records[j].0)
                    ));
                }
            }
        }
        if !others.is_empty() {
            out[i].push(Diagnostic::new(
                "TRF105",
                *span,
                format!(
                    "this trial is also recorded in {}; keep one record per trial",
                    others.join(", ")
                ),
            ));
        }
    }
    // TRF108: related trials that no record describes.
    for (i, (_, s)) in records.iter().enumerate() {
        for (raw, span) in &s.related {
            let Some(c) = canonical(raw) else { continue };
            if !primary.contains_key(&c) && !secondary.contains_key(&c) {
                out[i].push(Diagnostic::new(
                    "TRF108",
                    *span,
                    format!("related trial `{c}` is not recorded in the workspace"),
                ));
            }
        }
    }
    out
}
