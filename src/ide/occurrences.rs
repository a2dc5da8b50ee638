//! Go to definition, find references and rename within one document: local ids
//! (definitions and references) and registry ids (the record's `id`, `related`,
//! registry `secondary_ids`, sources' `registry_id`), compared in canonical form.
//! Which values are which is the id table's (`crate::model::ids`).

use super::doc::{self, Doc};
use super::tree;
use super::Symbol;
use crate::ids;
use crate::model::{self, IdRole, LocalIndex, RegistryPlace};
use crate::syntax::{clamp_to_char_boundary, Node, Span, Syntax};

/// A registry id in canonical spelling (as written when it is not recognised).
fn canonical(id: &str) -> String {
    let id = id.trim();
    ids::canonical(id).map_or_else(|| id.to_string(), |c| c.id)
}

/// Whether a `secondary_ids` item holds a registry id: its type says so, or (for
/// navigation, which is lenient) its id is recognisably one.
fn registry_secondary(item: &Node) -> bool {
    model::ids::secondary_is_registry(item)
        || item
            .get("id")
            .and_then(Node::text)
            .is_some_and(|id| ids::canonical(id).is_some())
}

/// The symbol under the cursor and its span (without quotes).
pub fn symbol_at(text: &str, syntax: Syntax, offset: usize) -> Option<(Symbol, Span)> {
    let text = &*crate::ide::lf_lines(text);
    let offset = clamp_to_char_boundary(text, offset);
    // Only the top-level entry under the cursor is parsed (YAML).
    let doc = Doc::new(text, syntax);
    let (root, base) = doc.around(offset)?;
    let hit = tree::locate(&root, offset.checked_sub(base)?)?;
    if hit.is_key {
        return None;
    }
    let value = hit.node.text()?;
    if value.trim().is_empty() {
        return None;
    }
    let span = tree::inner(
        text,
        Span::new(hit.node.span.start + base, hit.node.span.end + base),
    );
    if let Some(kind) = tree::definition_kind(&hit.path).or_else(|| tree::reference_kind(&hit.path))
    {
        return Some((Symbol::Local(kind, value.to_string()), span));
    }
    if let Some(IdRole::Registry(place)) = tree::id_role(&hit.path) {
        if place == RegistryPlace::Secondary && !hit.map().is_some_and(registry_secondary) {
            return None;
        }
        return Some((Symbol::Registry(canonical(value)), span));
    }
    None
}

/// Every occurrence of a symbol in this document, `true` for its definition.
pub fn occurrences(text: &str, syntax: Syntax, symbol: &Symbol) -> Vec<(Span, bool)> {
    let text = &*crate::ide::lf_lines(text);
    let Some(root) = doc::record(text, syntax) else {
        return Vec::new();
    };
    let root = &root;
    let mut out = Vec::new();
    match symbol {
        Symbol::Local(kind, id) => {
            let index = LocalIndex::build(root);
            for d in &index.definitions {
                if d.kind == *kind && d.id == *id {
                    out.push((tree::inner(text, d.span), true));
                }
            }
            for r in index.references_to(*kind, id) {
                out.push((tree::inner(text, r.span), false));
            }
        }
        Symbol::Registry(id) => model::ids::find_all(root, |found| {
            let IdRole::Registry(place) = found.place.role else {
                return;
            };
            if place == RegistryPlace::Secondary
                && !found.item.is_some_and(|(_, item)| registry_secondary(item))
            {
                return;
            }
            if found.node.text().is_some_and(|t| canonical(t) == *id) {
                out.push((
                    tree::inner(text, found.node.span),
                    place == RegistryPlace::Primary,
                ));
            }
        }),
    }
    out.sort_by_key(|(s, _)| *s);
    out.dedup();
    out
}

/// The span and text of the symbol under the cursor, if it can be renamed.
pub fn prepare_rename(text: &str, syntax: Syntax, offset: usize) -> Option<(Span, String)> {
    let text = &*crate::ide::lf_lines(text);
    let (_, span) = symbol_at(text, syntax, offset)?;
    Some((span, text.get(span.start..span.end)?.to_string()))
}
