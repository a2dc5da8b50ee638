//! Semantic tokens: what a value is, so that an editor colours it apart from free
//! text: vocabulary terms, registry ids, local ids (definitions and references),
//! units, numbers and dates. Keys, comments and free text are left to the editor's
//! grammar. Each value is classified by the id table (`crate::model::ids`) and by
//! the schema at its path, in one walk of the record.

use super::context::Seg;
use super::doc;
use super::schema_walk::{self, Prop};
use super::tree;
use crate::ids;
use crate::model::{self, IdRole, RegistryPlace};
use crate::schema::Schema;
use crate::syntax::{Node, NodeKind, ScalarKind, ScalarStyle, Span, Syntax};
use crate::units::quantity;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TokenKind {
    /// A controlled-vocabulary term (`INTRAVENOUS`) or another value the schema
    /// names (`baseline`).
    Term,
    /// A registry id (`NCT06853522`).
    RegistryId,
    /// An entry's `id`: defines a local id.
    LocalDefinition,
    /// A value naming a local id.
    LocalReference,
    /// A UCUM unit (an outcome's `unit`, the unit of a quantity).
    Unit,
    /// A number (a plain number, the number of a quantity).
    Number,
    /// A calendar date (`2025-05-30`, `2025-05`, `2025`).
    Date,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// On one line, without quotes.
    pub span: Span,
    pub kind: TokenKind,
}

/// Every token of the document, in order, none overlapping another and none
/// spanning lines.
pub fn semantic_tokens(text: &str, syntax: Syntax, schema: &Schema) -> Vec<Token> {
    let text = &*crate::ide::lf_lines(text);
    let Some(root) = doc::record(text, syntax) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut path = Vec::new();
    walk(
        &mut Walk {
            text,
            schema,
            out: &mut out,
        },
        &root,
        Some(Prop::root(schema)),
        None,
        &mut path,
    );
    out.sort_by_key(|t| (t.span.start, t.span.end));
    let mut end = 0;
    out.retain(|t| {
        let keep = t.span.start >= end
            && t.span.start < t.span.end
            && t.span.end <= text.len()
            && text.is_char_boundary(t.span.start)
            && text.is_char_boundary(t.span.end)
            && !text[t.span.start..t.span.end].contains(['\n', '\r']);
        if keep {
            end = t.span.end;
        }
        keep
    });
    out
}

struct Walk<'a> {
    text: &'a str,
    schema: &'a Schema,
    out: &'a mut Vec<Token>,
}

fn walk(w: &mut Walk, node: &Node, prop: Option<Prop>, parent: Option<&Node>, path: &mut Vec<Seg>) {
    // A value reached through an alias is the anchored text's: coloured there.
    if node.alias.is_some() {
        return;
    }
    match &node.kind {
        NodeKind::Map(entries) => {
            for e in entries {
                let Some(k) = e.key_text() else { continue };
                let seg = Seg::Key(k.to_string());
                let child = prop
                    .as_ref()
                    .and_then(|p| schema_walk::child(w.schema, p, &seg));
                path.push(seg);
                walk(w, &e.value, child, Some(node), path);
                path.pop();
            }
        }
        NodeKind::Seq(items) => {
            let child = prop
                .as_ref()
                .and_then(|p| schema_walk::child(w.schema, p, &Seg::Item));
            path.push(Seg::Item);
            for item in items {
                walk(w, item, child, Some(node), path);
            }
            path.pop();
        }
        NodeKind::Scalar(s) => {
            if s.kind == ScalarKind::Null || s.text.is_empty() {
                return;
            }
            let span = tree::inner(w.text, node.span);
            if let Some(kind) = classify(w, node, prop.as_ref(), parent, path) {
                w.out.push(Token { span, kind });
            } else if prop
                .as_ref()
                .is_some_and(|p| schema_walk::is_quantity(w.schema, p))
            {
                quantity_parts(w, node, span);
            }
        }
    }
}

/// Whether a `secondary_ids` item holds a registry id (leniently, as navigation
/// reads it: its type says so, or its id is recognisably one).
fn registry_secondary(item: Option<&Node>, value: &str) -> bool {
    item.is_some_and(model::ids::secondary_is_registry) || ids::canonical(value).is_some()
}

fn classify(
    w: &Walk,
    node: &Node,
    prop: Option<&Prop>,
    parent: Option<&Node>,
    path: &[Seg],
) -> Option<TokenKind> {
    let s = node.as_scalar()?;
    match tree::id_role(path) {
        Some(IdRole::Defines(_)) => return Some(TokenKind::LocalDefinition),
        Some(IdRole::Names(_)) => return Some(TokenKind::LocalReference),
        Some(IdRole::Registry(place)) => {
            if place != RegistryPlace::Secondary || registry_secondary(parent, &s.text) {
                return Some(TokenKind::RegistryId);
            }
            return None;
        }
        None => {}
    }
    let number = matches!(s.kind, ScalarKind::Int(_) | ScalarKind::Float(_))
        && s.style == ScalarStyle::Plain;
    let Some(prop) = prop else {
        return number.then_some(TokenKind::Number);
    };
    if prop.def == Some("Date") {
        return Some(TokenKind::Date);
    }
    if prop.def == Some("Unit") {
        return Some(TokenKind::Unit);
    }
    if s.kind == ScalarKind::Str {
        let text = s.text.as_str();
        let term = schema_walk::vocabulary(w.schema, prop).is_some_and(|v| v.term(text).is_some())
            || schema_walk::enum_values(prop).iter().any(|v| v == text)
            || schema_walk::constants(prop).iter().any(|v| v == text);
        if term {
            return Some(TokenKind::Term);
        }
    }
    number.then_some(TokenKind::Number)
}

/// The number and the unit of a quantity written as one string (`2.59 L`), when
/// the string's source text is its value (no escapes).
fn quantity_parts(w: &mut Walk, node: &Node, span: Span) {
    let quantity::Read::Quantity(q) = quantity::read(node) else {
        return;
    };
    let quantity::Form::Text { unit } = &q.form else {
        return;
    };
    let Some(s) = node.as_scalar() else { return };
    if w.text.get(span.start..span.end) != Some(s.text.as_str()) {
        return;
    }
    let number = Span::new(span.start, span.start + q.number.len());
    w.out.push(Token {
        span: number,
        kind: TokenKind::Number,
    });
    w.out.push(Token {
        span: Span::new(span.start + unit.start, span.start + unit.end),
        kind: TokenKind::Unit,
    });
}
