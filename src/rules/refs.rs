//! References between a record's own entries (TRF106, TRF107, TRF109, TRF113), judged on the
//! shared local-id index (`crate::model::LocalIndex`, built from the id table) that
//! also serves navigation. Linear in the record: every lookup is by id. A reference
//! inside a list shared through a YAML alias has the anchored list's span: it is
//! reported (and fixed, at the anchor) once.

use std::collections::{HashMap, HashSet};

use super::schema::nearest;
use super::Context;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Fix};
use crate::model::{self, IdRole, LocalKind, Record};
use crate::schema::normalize;
use crate::syntax::{Node, Span};

pub fn check(cx: &Context) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let index = cx.index;
    // TRF106: every occurrence after the first, the first as related information.
    // Cohort ids are unique among all arms' cohorts, and distinct from every arm id.
    for d in &index.definitions {
        if let Some(first) = index.definition(d.kind, &d.id).filter(|f| f.span != d.span) {
            let message = if d.kind == LocalKind::Cohort {
                format!(
                    "`{}` is already the id of a cohort; cohort ids must be unique among all \
                     arms' cohorts",
                    d.id
                )
            } else {
                format!(
                    "`{}` is already the id of {} {} in `{}`; ids in a list must be unique",
                    d.id,
                    d.kind.article(),
                    d.kind.noun(),
                    d.kind.list()
                )
            };
            out.push(
                Diagnostic::new(Code::DuplicateLocalId, d.span, message)
                    .with_related(first.span, format!("first `{}` is here", d.id)),
            );
        } else if d.kind == LocalKind::Cohort {
            if let Some(arm) = index.definition(LocalKind::Arm, &d.id) {
                out.push(
                    Diagnostic::new(
                        Code::DuplicateLocalId,
                        d.span,
                        format!(
                            "`{}` is already the id of an arm; a cohort's id must differ from \
                             every arm id",
                            d.id
                        ),
                    )
                    .with_related(arm.span, format!("arm `{}` is here", d.id)),
                );
            }
        }
    }
    // TRF107: the nearest id of the right kind, if any, as the fix.
    // Each kind's ids and each misspelling's suggestion are worked out once, so a
    // long list costs its length, not its length squared (issue 8.7).
    let mut meant: HashSet<(LocalKind, String)> = HashSet::new();
    let mut ids_of: HashMap<LocalKind, Suggester> = HashMap::new();
    let mut suggested: HashMap<(LocalKind, &str), Option<&str>> = HashMap::new();
    let mut budget = SUGGESTION_BUDGET;
    // The reference values by span (not `pointer_at`, a walk per reference), found
    // once and only when some reference is unknown.
    let mut nodes: Option<HashMap<Span, &Node>> = None;
    let mut reported: HashSet<Span> = HashSet::new();
    for r in &index.references {
        if index.definition(r.kind, &r.id).is_some() || !reported.insert(r.span) {
            continue;
        }
        let suggester = ids_of
            .entry(r.kind)
            .or_insert_with(|| Suggester::new(index.definitions_of(r.kind).map(|d| d.id.as_str())));
        let suggestion = *suggested
            .entry((r.kind, r.id.as_str()))
            .or_insert_with(|| suggester.nearest(&r.id, &mut budget));
        let ids = &suggester.ids;
        let node = nodes
            .get_or_insert_with(|| {
                let mut nodes = HashMap::new();
                model::ids::find_all(cx.root, |found| {
                    if matches!(found.place.role, IdRole::Names(_)) {
                        nodes.insert(found.node.span, found.node);
                    }
                });
                nodes
            })
            .get(&r.span)
            .copied();
        let d = match suggestion {
            Some(s) => {
                meant.insert((r.kind, s.to_string()));
                Diagnostic::new(
                    Code::UnknownReference,
                    r.span,
                    format!("unknown {} `{}`; did you mean `{s}`?", r.kind.noun(), r.id),
                )
                .with_fix(
                    node.and_then(|n| cx.editor().replace_scalar(n, s))
                        .map(|e| Fix::new(format!("replace with `{s}`"), vec![e], true)),
                )
            }
            None if ids.is_empty() => Diagnostic::new(
                Code::UnknownReference,
                r.span,
                format!(
                    "unknown {} `{}`: the record has no `{}`",
                    r.kind.noun(),
                    r.id,
                    r.kind.list()
                ),
            ),
            None => Diagnostic::new(
                Code::UnknownReference,
                r.span,
                format!(
                    "unknown {} `{}`; the {} ids are {}",
                    r.kind.noun(),
                    r.id,
                    r.kind.noun(),
                    listed(ids)
                ),
            ),
        };
        out.push(d);
    }
    // TRF109: an intervention no arm lists. Only when the record has arms at all.
    if Record::new(cx.root).has_list(LocalKind::Arm.list()) {
        for d in index.definitions_of(LocalKind::Intervention) {
            let first = index
                .definition(LocalKind::Intervention, &d.id)
                .map(|f| f.span)
                == Some(d.span);
            // Unused only because a reference to it is misspelt: that is TRF107's finding.
            let misspelt = meant.contains(&(LocalKind::Intervention, d.id.clone()));
            if first
                && !misspelt
                && index
                    .references_to(LocalKind::Intervention, &d.id)
                    .next()
                    .is_none()
            {
                out.push(Diagnostic::new(
                    Code::UnusedIntervention,
                    d.span,
                    format!("intervention `{}` is not given in any arm; add it to an arm's `interventions` or remove it", d.id),
                ));
            }
        }
    }
    cohort_of_another_arm(cx, &mut out);
    out
}

/// TRF113: a result's `cohort` that belongs to another arm than the result's `arm`
/// (anchored on `cohort`, the cohort's arm as related information). Cohorts are
/// indexed by id once; each result is one lookup.
fn cohort_of_another_arm(cx: &Context, out: &mut Vec<Diagnostic>) {
    let record = Record::new(cx.root);
    // Cohort id → (its arm's id, that id's span), first definition wins (TRF106).
    let mut arm_of: HashMap<&str, (&str, Span)> = HashMap::new();
    for arm in record.arms() {
        let Some(id_node) = arm.get("id") else {
            continue;
        };
        let Some(arm_id) = id_node.text() else {
            continue;
        };
        for cohort in arm.cohorts() {
            if let Some(c) = cohort.id() {
                arm_of.entry(c).or_insert((arm_id, id_node.span));
            }
        }
    }
    if arm_of.is_empty() {
        return;
    }
    for result in record.results() {
        let (Some(node), Some(arm)) = (result.get("cohort"), result.arm()) else {
            continue;
        };
        let Some(cohort) = node.text() else {
            continue;
        };
        let Some(&(owner, owner_span)) = arm_of.get(cohort) else {
            continue;
        };
        if owner != arm {
            out.push(
                Diagnostic::new(
                    Code::CohortOfAnotherArm,
                    node.span,
                    format!(
                        "cohort `{cohort}` is a cohort of arm `{owner}`, but this result is of \
                         arm `{arm}`; name a cohort of arm `{arm}`, or set `arm: {owner}`"
                    ),
                )
                .with_related(
                    owner_span,
                    format!("cohort `{cohort}` belongs to arm `{owner}`"),
                ),
            );
        }
    }
}

/// How many ids a message lists before "and N more".
const LISTED: usize = 20;

fn listed(ids: &[&str]) -> String {
    let mut out = ids
        .iter()
        .take(LISTED)
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if ids.len() > LISTED {
        out.push_str(&format!(" and {} more", ids.len() - LISTED));
    }
    out
}

/// Edit-distance comparisons a record's misspelt references may cost in all. Past
/// it, only ids equal up to case and separators are suggested: a hostile record of
/// many misspelt references to many ids stays linear (see docs/decisions.md).
const SUGGESTION_BUDGET: usize = 100_000;

/// The ids of one kind, ready for [`nearest`]'s question without comparing every
/// reference with every id: ids by normalised form (distance 0) and by length (an
/// edit distance of at most 2 needs a length within 2).
struct Suggester<'i> {
    ids: Vec<&'i str>,
    normalized: HashMap<String, usize>,
    by_len: HashMap<usize, Vec<usize>>,
}

impl<'i> Suggester<'i> {
    fn new(ids: impl Iterator<Item = &'i str>) -> Self {
        let ids: Vec<&str> = ids.collect();
        let mut normalized = HashMap::new();
        let mut by_len: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, id) in ids.iter().enumerate() {
            normalized.entry(normalize(id)).or_insert(i);
            by_len.entry(id.chars().count()).or_default().push(i);
        }
        Suggester {
            ids,
            normalized,
            by_len,
        }
    }

    /// What `nearest(value, ids)` answers: the first id at the least distance.
    fn nearest(&self, value: &str, budget: &mut usize) -> Option<&'i str> {
        if value.len() <= 2 {
            return None;
        }
        // Distance 0, the least there is: the first id equal up to case and
        // separators.
        if let Some(&i) = self.normalized.get(&normalize(value)) {
            return Some(self.ids[i]);
        }
        let len = value.chars().count();
        let lengths = || (len.saturating_sub(2)..=len + 2).filter_map(|l| self.by_len.get(&l));
        // Counted before anything is gathered: past the budget, every further
        // reference costs five lookups, not a copy of the candidates (which made a
        // record of 70,000 dangling references quadratic).
        let count: usize = lengths().map(Vec::len).sum();
        if count > *budget {
            return None;
        }
        *budget -= count;
        let mut near: Vec<usize> = lengths().flatten().copied().collect();
        near.sort_unstable();
        nearest(value, near.iter().map(|&i| self.ids[i]))
    }
}
