//! Code lens: on every entry that defines a local id (arms, interventions,
//! outcomes, sources, and whatever the id table adds, such as cohorts), how many
//! values name it and where they are.

use super::doc;
use super::tree;
use crate::model::{LocalIndex, LocalKind};
use crate::syntax::{Span, Syntax};

#[derive(Clone, Debug, PartialEq)]
pub struct Lens {
    pub kind: LocalKind,
    pub id: String,
    /// The `id` value (without quotes).
    pub span: Span,
    /// Every value naming it, in document order (without quotes).
    pub references: Vec<Span>,
}

impl Lens {
    /// "1 reference", "3 references".
    pub fn title(&self) -> String {
        match self.references.len() {
            1 => "1 reference".to_string(),
            n => format!("{n} references"),
        }
    }
}

/// One lens per definition, in document order.
pub fn code_lenses(text: &str, syntax: Syntax) -> Vec<Lens> {
    let text = &*crate::ide::lf_lines(text);
    let Some(root) = doc::record(text, syntax) else {
        return Vec::new();
    };
    let index = LocalIndex::build(&root);
    let mut out: Vec<Lens> = index
        .definitions
        .iter()
        .filter(|d| !d.id.is_empty())
        .map(|d| {
            let mut references: Vec<Span> = index
                .references_to(d.kind, &d.id)
                .map(|r| tree::inner(text, r.span))
                .collect();
            references.sort();
            Lens {
                kind: d.kind,
                id: d.id.clone(),
                span: tree::inner(text, d.span),
                references,
            }
        })
        .collect();
    out.sort_by_key(|l| l.span);
    out
}
