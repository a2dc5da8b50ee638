//! References between a record's own entries (TRF106, TRF107, TRF109), judged on the
//! shared local-id index (`crate::model::LocalIndex`) that also serves navigation.
//! A reference inside a list shared through a YAML alias has the anchored list's
//! span: it is reported (and fixed, at the anchor) once.

use std::collections::{HashMap, HashSet};

use super::schema::nearest;
use super::Context;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Fix};
use crate::model::Kind;

pub fn check(cx: &Context) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let index = cx.index;
    // TRF106: every occurrence after the first, the first as related information.
    let mut firsts: HashMap<(Kind, &str), &crate::model::Definition> = HashMap::new();
    for d in &index.definitions {
        if let Some(first) = firsts.get(&(d.kind, d.id.as_str())).copied() {
            out.push(
                Diagnostic::new(
                    Code::DuplicateLocalId,
                    d.span,
                    format!(
                        "`{}` is already the id of {} {} in `{}`; ids in a list must be unique",
                        d.id,
                        article(d.kind),
                        d.kind.noun(),
                        d.kind.list()
                    ),
                )
                .with_related(first.span, format!("first `{}` is here", d.id)),
            );
        } else {
            firsts.insert((d.kind, d.id.as_str()), d);
        }
    }
    // TRF107: the nearest id of the right kind, if any, as the fix.
    let mut meant: Vec<(Kind, String)> = Vec::new();
    let mut reported: HashSet<crate::syntax::Span> = HashSet::new();
    for r in &index.references {
        if index.definition(r.kind, &r.id).is_some() || !reported.insert(r.span) {
            continue;
        }
        let ids: Vec<&str> = index
            .definitions_of(r.kind)
            .map(|d| d.id.as_str())
            .collect();
        let node = cx.root.pointer_at(r.span);
        let d = match nearest(&r.id, ids.iter().copied()) {
            Some(s) => {
                meant.push((r.kind, s.to_string()));
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
                    ids.iter()
                        .map(|i| format!("`{i}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
        };
        out.push(d);
    }
    // TRF109: an intervention no arm lists. Only when the record has arms at all.
    if cx.root.get("arms").and_then(|a| a.as_seq()).is_some() {
        for d in index.definitions_of(Kind::Intervention) {
            let first = index.definition(Kind::Intervention, &d.id).map(|f| f.span) == Some(d.span);
            // Unused only because a reference to it is misspelt: that is TRF107's finding.
            let misspelt = meant
                .iter()
                .any(|(k, id)| *k == Kind::Intervention && *id == d.id);
            if first
                && !misspelt
                && index
                    .references_to(Kind::Intervention, &d.id)
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
    out
}

fn article(kind: Kind) -> &'static str {
    match kind {
        Kind::Arm | Kind::Intervention | Kind::Outcome => "an",
        Kind::Source => "a",
    }
}
