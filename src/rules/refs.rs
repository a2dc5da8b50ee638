//! References between a record's own entries (TRF106, TRF107, TRF109), judged on the
//! shared local-id index (`crate::model::LocalIndex`) that also serves navigation.

use super::schema::{nearest, replace_keeping_quotes};
use super::Context;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Fix};
use crate::model::Kind;

pub fn check(cx: &Context) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let index = cx.index;
    // TRF106: every occurrence after the first, the first as related information.
    for (i, d) in index.definitions.iter().enumerate() {
        if let Some(first) = index.definitions[..i]
            .iter()
            .find(|f| f.kind == d.kind && f.id == d.id)
        {
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
        }
    }
    // TRF107: the nearest id of the right kind, if any, as the fix.
    let mut meant: Vec<(Kind, String)> = Vec::new();
    for r in &index.references {
        if index.definition(r.kind, &r.id).is_some() {
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
                .with_fix(node.map(|n| Fix {
                    title: format!("replace with `{s}`"),
                    edits: vec![replace_keeping_quotes(cx.text, n, s)],
                    safe: true,
                }))
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
