//! Inlay hints: after a result's quantity written in another unit than its
//! outcome's `unit`, the value in the outcome's unit (`6600 /uL` → `6.6 10*9/L`,
//! converted by `crate::units`); after a local reference, the label of what it
//! names (`arm: exo` → `Exos Localized Treatment Group`). Read off the whole
//! record (a YAML document with a broken line is read around it), so a hint
//! follows its referenced entry as soon as that entry changes.

use std::collections::HashMap;

use super::context::Seg;
use super::doc;
use super::schema_walk;
use super::tree;
use crate::model::ids::{self, IdRole, LocalKind};
use crate::model::Record;
use crate::schema::Schema;
use crate::syntax::{Node, Span, Syntax};
use crate::units::{self, quantity};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HintKind {
    /// A quantity in its outcome's unit.
    Conversion,
    /// The label of the entry a reference names.
    Label,
}

#[derive(Clone, Debug, PartialEq)]
pub struct InlayHint {
    /// Where the hint is shown: right after the value it is about.
    pub offset: usize,
    pub label: String,
    pub kind: HintKind,
    /// What the hint says, in a sentence.
    pub tooltip: String,
}

/// The longest label shown (in characters); a longer one ends in `…`.
const MAX_LABEL: usize = 48;

fn shorten(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= MAX_LABEL {
        return s;
    }
    let cut: String = s.chars().take(MAX_LABEL - 1).collect();
    format!("{}…", cut.trim_end())
}

/// The end of a value without trailing whitespace (block nodes run on to the next
/// line's indentation).
fn end_of(text: &str, span: Span) -> usize {
    let s = text.get(span.start..span.end).unwrap_or("");
    span.start + s.trim_end().len()
}

/// The hints whose position lies in `range`, in document order.
pub fn inlay_hints(text: &str, syntax: Syntax, schema: &Schema, range: Span) -> Vec<InlayHint> {
    let text = &*crate::ide::lf_lines(text);
    let Some(root) = doc::record(text, syntax) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    conversions(text, &root, schema, &mut out);
    labels(text, &root, &mut out);
    out.retain(|h| range.contains(h.offset) && text.is_char_boundary(h.offset));
    out.sort_by_key(|h| h.offset);
    out
}

/// The keys of a result that hold a quantity of its outcome (the schema's
/// `Quantity` properties of `Result`: `mean`, `sd`, …; not `timepoint`).
fn statistic_keys(schema: &Schema) -> Vec<&str> {
    let path = [Seg::Key("results".into()), Seg::Item];
    let Some(result) = schema_walk::at(schema, &path) else {
        return Vec::new();
    };
    schema_walk::properties(schema, &result)
        .into_iter()
        .filter(|(_, p)| p.def == Some("Quantity"))
        .map(|(k, _)| k)
        .collect()
}

fn conversions(text: &str, root: &Node, schema: &Schema, out: &mut Vec<InlayHint>) {
    let record = Record::new(root);
    // Outcome id → its unit and quantity (the first outcome of an id).
    let mut outcomes: HashMap<&str, (&str, Option<&units::QuantityKind>)> = HashMap::new();
    for o in record.outcomes() {
        let (Some(id), Some(unit)) = (o.id(), o.unit().and_then(Node::text)) else {
            continue;
        };
        let unit = unit.trim();
        if unit.is_empty() {
            continue;
        }
        let kind = o.quantity().and_then(units::quantity_kind);
        outcomes.entry(id).or_insert((unit, kind));
    }
    if outcomes.is_empty() {
        return;
    }
    let keys = statistic_keys(schema);
    for r in record.results() {
        let Some(outcome) = r.outcome() else { continue };
        let Some(&(unit, kind)) = outcomes.get(outcome) else {
            continue;
        };
        for key in &keys {
            let Some(node) = r.get(key) else { continue };
            let quantity::Read::Quantity(q) = quantity::read(node) else {
                continue;
            };
            if q.unit == unit || !q.value.is_finite() {
                continue;
            }
            let converted = match kind {
                Some(k) => k.convert(q.value, &q.unit, unit),
                None => units::convert(q.value, &q.unit, unit, None),
            };
            let Some(v) = converted else { continue };
            let end = match &q.form {
                quantity::Form::Text { .. } => end_of(text, node.span),
                quantity::Form::Map { value, unit } => {
                    // After the mapping's last character when it is `{…}`.
                    if node.is_flow() {
                        end_of(text, node.span)
                    } else {
                        end_of(text, value.span).max(end_of(text, unit.span))
                    }
                }
            };
            let shown = format!("{} {unit}", units::format_number(v));
            out.push(InlayHint {
                offset: end,
                label: format!("= {shown}"),
                kind: HintKind::Conversion,
                tooltip: format!(
                    "{} is {shown}, in the unit of outcome `{outcome}`",
                    q.display()
                ),
            });
        }
    }
}

/// The label of a local entry: an arm's `label`, an intervention's `name`, an
/// outcome's or a source's `title` (the editor's one-line summary of it).
fn label_of(kind: LocalKind, item: &Node) -> Option<String> {
    tree::summary(kind, item).0
}

fn labels(text: &str, root: &Node, out: &mut Vec<InlayHint>) {
    // (kind, id) → the first entry defining it.
    let mut defined: HashMap<(LocalKind, &str), &Node> = HashMap::new();
    let mut references: Vec<(LocalKind, &Node)> = Vec::new();
    ids::find_all(root, |found| match found.place.role {
        IdRole::Defines(kind) => {
            if let (Some(id), Some((_, item))) = (found.node.text(), found.item) {
                defined.entry((kind, id)).or_insert(item);
            }
        }
        IdRole::Names(kind) => references.push((kind, found.node)),
        IdRole::Registry(_) => {}
    });
    // One label per entry, however often it is named.
    let mut cache: HashMap<(LocalKind, &str), Option<String>> = HashMap::new();
    for (kind, node) in references {
        let Some(id) = node.text().filter(|t| !t.is_empty()) else {
            continue;
        };
        let Some(item) = defined.get(&(kind, id)) else {
            continue;
        };
        let label = cache
            .entry((kind, id))
            .or_insert_with(|| label_of(kind, item).map(|l| shorten(&l)));
        let Some(label) = label.clone().filter(|l| !l.is_empty() && l != id) else {
            continue;
        };
        out.push(InlayHint {
            offset: end_of(text, node.span),
            tooltip: format!("{} `{id}`: {label}", kind.noun()),
            label,
            kind: HintKind::Label,
        });
    }
}
