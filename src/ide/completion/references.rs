//! Ids at references: the record's own local ids of the kind a reference names (in a
//! result's `cohort`, the cohorts of its arm), and the workspace's record ids in
//! `related`.

use super::{Candidate, Ctx};
use crate::ide::tree;
use crate::ide::ItemKind;
use crate::ids;
use crate::model::LocalKind;
use crate::syntax::Node;

pub(super) fn local_ids(c: &Ctx, kind: LocalKind) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    let definitions = match kind {
        LocalKind::Cohort => cohorts(c),
        _ => c.doc.definitions(kind),
    };
    for (i, (id, item)) in definitions.into_iter().enumerate() {
        if c.cur.items.contains(&id) || out.iter().any(|o| o.label == id) {
            continue;
        }
        let (detail, md) = tree::summary(kind, &item);
        out.push(Candidate {
            label: id.clone(),
            kind: ItemKind::LocalId,
            name: detail.and_then(|d| super::readable(&id, &d)),
            detail: None,
            documentation: Some(md),
            value: id,
            sort: format!("{i:04}"),
            literal: false,
        });
    }
    out
}

/// The cohorts a result's `cohort` may name: those of the result's `arm` when it
/// names a known arm, else every arm's.
fn cohorts(c: &Ctx) -> Vec<(String, Node)> {
    let arm = c
        .cur
        .sibling("arm")
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .and_then(|a| c.doc.definition(LocalKind::Arm, a));
    let Some(arm) = arm else {
        return c.doc.definitions(LocalKind::Cohort);
    };
    arm.get("cohorts")
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .filter_map(|item| {
            let id = item.get("id")?.text()?.to_string();
            (!id.is_empty()).then(|| (id, item.clone()))
        })
        .collect()
}

fn canonical(id: &str) -> String {
    let id = id.trim();
    ids::canonical(id).map_or_else(|| id.to_string(), |c| c.id)
}

pub(super) fn record_ids(c: &Ctx) -> Vec<Candidate> {
    let own = c
        .doc
        .section("id")
        .and_then(|(n, _)| n.text().map(canonical));
    let listed: Vec<String> = c.cur.items.iter().map(|i| canonical(i)).collect();
    let mut out: Vec<Candidate> = Vec::new();
    for r in &c.ws.records {
        let Some((id, _)) = &r.summary.id else {
            continue;
        };
        let canon = canonical(id);
        if canon.is_empty()
            || Some(&canon) == own.as_ref()
            || listed.contains(&canon)
            || out.iter().any(|o| o.value == canon)
        {
            continue;
        }
        let registry = ids::canonical(&canon).and_then(|k| ids::registry(k.registry));
        let mut doc = match registry {
            Some(reg) => format!("{} record in this workspace", reg.name),
            None => "Record in this workspace".to_string(),
        };
        doc.push_str(&format!(": `{}`", r.path.display()));
        out.push(Candidate {
            label: canon.clone(),
            kind: ItemKind::RecordId,
            name: r
                .summary
                .title
                .as_deref()
                .and_then(|t| super::readable(&canon, t)),
            detail: None,
            documentation: Some(doc),
            value: canon.clone(),
            sort: canon,
            literal: false,
        });
    }
    out
}
