//! Values: what fits at a value or a new list item — vocabulary terms (with their
//! documentation), enum values, constants and booleans, or the story that knows the
//! value (ids, units, snippets).

use super::keys::keys;
use super::markers::marker_candidates;
use super::place::{place, Wrap};
use super::references::{local_ids, record_ids};
use super::snippets::{item_snippet, Layout};
use super::units::unit_candidates;
use super::{Candidate, Ctx};
use crate::ide::context::Seg;
use crate::ide::schema_walk::{self, Prop};
use crate::ide::tree;
use crate::ide::unit_table;
use crate::ide::{Completion, ItemKind};
use crate::schema::{Term, Vocabulary};
use crate::syntax::Syntax;

pub(super) fn values(c: &Ctx, out: &mut Vec<Completion>) {
    let cur = c.cur;
    let path = &cur.path;
    let Some(prop) = schema_walk::at(c.schema, path) else {
        return;
    };
    let at_item = path.last() == Some(&Seg::Item);

    // A new item of a list of mappings: its keys, and the whole item as a snippet.
    if at_item && schema_walk::is_object(c.schema, &prop) {
        if !cur.flow {
            keys(c, &prop, out);
        }
        let layout = if cur.flow { Layout::Flow } else { Layout::Item };
        if cur.siblings.is_empty() || cur.flow {
            out.extend(item_snippet(c, &prop, layout, false));
        }
        return;
    }

    // The value of a list key (`arms: |`, `phases: |`).
    if schema_walk::type_name(&prop) == Some("array") && !at_item {
        if !cur.word.is_empty() {
            return;
        }
        let Some(item) = schema_walk::child(c.schema, &prop, &Seg::Item) else {
            return;
        };
        if schema_walk::is_object(c.schema, &item) {
            let layout = if cur.flow {
                Layout::Flow
            } else {
                Layout::ListValue
            };
            out.extend(item_snippet(c, &item, layout, cur.flow));
            return;
        }
        let mut item_path = path.clone();
        item_path.push(Seg::Item);
        for cand in scalar_candidates(c, &item_path, &item) {
            out.push(place(c, cand, Wrap::List, false));
        }
        return;
    }

    if schema_walk::is_quantity(c.schema, &prop) && prop.def != Some("Unit") && cur.number.is_some()
    {
        for cand in unit_candidates(c) {
            out.push(place(c, cand, Wrap::Plain, true));
        }
        return;
    }
    for cand in scalar_candidates(c, path, &prop) {
        out.push(place(c, cand, Wrap::Plain, false));
    }
}

/// A blank line under a list key, before its `- `: a new item, with its marker.
pub(super) fn new_item(c: &Ctx, list: &Prop, out: &mut Vec<Completion>) {
    let cur = c.cur;
    if cur.flow || cur.syntax != Syntax::Yaml || !cur.word.is_empty() {
        return;
    }
    let Some(item) = schema_walk::child(c.schema, list, &Seg::Item) else {
        return;
    };
    if schema_walk::is_object(c.schema, &item) {
        out.extend(item_snippet(c, &item, Layout::NewItem, false));
        return;
    }
    let mut path = cur.path.clone();
    path.push(Seg::Item);
    for cand in scalar_candidates(c, &path, &item) {
        out.push(place(c, cand, Wrap::Item, false));
    }
}

/// Every scalar value that fits at `path`.
fn scalar_candidates(c: &Ctx, path: &[Seg], prop: &Prop) -> Vec<Candidate> {
    let cur = c.cur;
    if let Some(kind) = tree::reference_kind(path) {
        return local_ids(c, kind);
    }
    if path == [Seg::Key("related".into()), Seg::Item] {
        return record_ids(c);
    }
    if prop.def == Some("KeyPath") {
        return super::keypaths::candidates(c, path);
    }
    if prop.def == Some("Unit") {
        return unit_candidates(c);
    }
    // A source's registry record is usually the record's own.
    if path
        == [
            Seg::Key("sources".into()),
            Seg::Item,
            Seg::Key("registry_id".into()),
        ]
    {
        let own = c
            .doc
            .section("id")
            .and_then(|(n, _)| n.text().map(String::from));
        return own
            .filter(|id| !id.is_empty())
            .map(|id| Candidate {
                label: id.clone(),
                kind: ItemKind::RecordId,
                name: None,
                detail: Some("this record's id".into()),
                documentation: None,
                value: id,
                sort: "000".into(),
                literal: false,
            })
            .into_iter()
            .collect();
    }
    let listed = |id: &str| cur.items.iter().any(|i| i == id);
    let mut out = Vec::new();
    if let Some(v) = schema_walk::vocabulary(c.schema, prop) {
        if v.open {
            return marker_candidates(c, path, v);
        }
        for (i, t) in v.terms.iter().enumerate() {
            if listed(&t.id) {
                continue;
            }
            out.push(Candidate {
                label: t.id.clone(),
                kind: ItemKind::Term,
                name: super::readable(&t.id, &t.label),
                detail: None,
                documentation: Some(term_documentation(v, t)),
                value: t.id.clone(),
                sort: format!("{i:03}"),
                literal: false,
            });
        }
        return out;
    }
    for (i, v) in schema_walk::enum_values(prop).into_iter().enumerate() {
        out.push(Candidate {
            label: v.clone(),
            kind: ItemKind::Term,
            name: None,
            detail: None,
            documentation: None,
            value: v,
            sort: format!("{i:03}"),
            literal: false,
        });
    }
    let is_const = prop.node.get("const").is_some();
    for v in schema_walk::constants(prop) {
        let literal = is_const && prop.node.get("const").is_some_and(|k| !k.is_string());
        out.push(Candidate {
            label: v.clone(),
            kind: ItemKind::Term,
            name: None,
            detail: prop
                .description()
                .map(|_| schema_walk::short_type(c.schema, prop)),
            documentation: prop.description().map(String::from),
            value: v,
            sort: "000".into(),
            literal,
        });
    }
    if schema_walk::type_name(prop) == Some("boolean") {
        for (i, v) in ["true", "false"].into_iter().enumerate() {
            out.push(Candidate {
                label: v.into(),
                kind: ItemKind::Term,
                name: None,
                detail: Some("boolean".into()),
                documentation: None,
                value: v.into(),
                sort: format!("{i:03}"),
                literal: true,
            });
        }
    }
    out
}

/// A term's documentation: its definition, and what else its vocabulary knows.
pub(in crate::ide) fn term_documentation(v: &Vocabulary, t: &Term) -> String {
    let mut doc = t.definition.clone();
    match (&t.nci, t.nci_term()) {
        (Some(code), Some(term)) => doc.push_str(&format!("\n\nNCI Thesaurus: {term} ({code})")),
        (Some(code), None) => doc.push_str(&format!("\n\nNCI code {code}")),
        _ => {}
    }
    if let Some(class) = t.class() {
        let name = v.class_label(class).unwrap_or(class);
        doc.push_str(&format!("\n\nClass: {name}"));
        if !t.aliases.is_empty() {
            doc.push_str(&format!("; also written {}", t.aliases.join(", ")));
        }
    }
    if v.name == "QuantityKind" {
        let s = |k: &str| t.extra.get(k).and_then(|v| v.as_str());
        if let (Some(dim), Some(unit)) = (s("dimension"), s("canonical_unit")) {
            doc.push_str(&format!(
                "\n\nDimension: {} · canonical unit `{unit}`",
                unit_table::dimension_label(dim)
            ));
            if let Some([lo, hi]) = t
                .extra
                .get("range")
                .and_then(|r| r.as_array())
                .map(Vec::as_slice)
            {
                doc.push_str(&format!(" · plausible range {lo}–{hi} {unit}"));
            }
        }
    }
    if v.name == "Registry" {
        let examples: Vec<String> = t
            .extra
            .get("examples")
            .and_then(|e| e.as_array())
            .into_iter()
            .flatten()
            .filter_map(|e| e.as_str())
            .map(|e| format!("`{e}`"))
            .collect();
        if !examples.is_empty() {
            doc.push_str(&format!("\n\nIds look like {}", examples.join(", ")));
        }
    }
    doc
}
