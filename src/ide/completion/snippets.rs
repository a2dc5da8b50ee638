//! Snippets: a new list item of mappings (on an empty `- ` line, at a list key, on
//! a blank line under one, or inline) with its required fields as tab stops, and a
//! whole record for an empty document.

use super::Ctx;
use crate::ide::context::Seg;
use crate::ide::schema_walk::{self, Prop};
use crate::ide::tree;
use crate::ide::{Completion, ItemKind};
use crate::syntax::{Span, Syntax};

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Layout {
    /// On an empty `- ` line: the first key inline, the rest below it.
    Item,
    /// At the value of a list key in YAML block style: a new line, `- `, the item.
    ListValue,
    /// On a blank line under a list key: `- ` and the item.
    NewItem,
    /// Inline `{…}` (JSON, YAML flow).
    Flow,
}

/// Escape snippet syntax in placeholder text.
fn esc(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('$', "\\$")
        .replace('}', "\\}")
}

fn esc_choice(s: &str) -> String {
    esc(s).replace(',', "\\,").replace('|', "\\|")
}

/// The keys a new mapping is written with: the required ones, then the first of an
/// "at least one of" group.
fn fields<'s>(prop: &Prop<'s>) -> Vec<&'s str> {
    let mut keys = schema_walk::required(prop, &[]);
    let one_of = schema_walk::one_of_required(prop);
    if !one_of.iter().any(|k| keys.contains(k)) {
        keys.extend(one_of.first());
    }
    keys
}

/// The noun of a mapping's definition: `arm`, `secondary id`.
fn noun(prop: &Prop) -> String {
    prop.node
        .get("title")
        .and_then(|t| t.as_str())
        .or(prop.def)
        .unwrap_or("item")
        .to_lowercase()
}

/// A scalar field's value as snippet text: a tab stop (a choice of terms or ids, or
/// a placeholder) or a constant. Nested mappings and lists of mappings are laid out
/// by the caller.
fn field(c: &Ctx, owner: &str, key: &str, prop: &Prop, n: &mut usize, json: bool) -> String {
    let q = |s: String| if json { format!("\"{s}\"") } else { s };
    if let Some(k) = prop.node.get("const") {
        return k.to_string();
    }
    *n += 1;
    let i = *n;
    // A reference: the ids this record defines.
    let owner_list = match owner {
        "result" => Some("results"),
        "arm" => Some("arms"),
        _ => None,
    };
    if let Some(list) = owner_list {
        let path = [Seg::Key(list.into()), Seg::Item, Seg::Key(key.into())];
        if let Some(kind) = tree::reference_kind(&path) {
            let ids: Vec<String> = c
                .doc
                .definitions(kind)
                .iter()
                .map(|(id, _)| esc_choice(id))
                .collect();
            if !ids.is_empty() {
                return q(format!("${{{i}|{}|}}", ids.join(",")));
            }
            return q(format!("${{{i}:{}-id}}", kind.noun()));
        }
    }
    if let Some(v) = schema_walk::vocabulary(c.schema, prop) {
        let terms: Vec<String> = v.terms.iter().map(|t| esc_choice(&t.id)).collect();
        return q(format!("${{{i}|{}|}}", terms.join(",")));
    }
    if let Some(first) = schema_walk::constants(prop).first() {
        return q(format!("${{{i}:{}}}", esc(first)));
    }
    let placeholder = match prop.def {
        Some("LocalId") if key == "id" => Some(format!("{}-id", owner.replace(' ', "-"))),
        Some("RegistryId") => Some("NCT00000000".to_string()),
        Some("Date") => Some("YYYY-MM-DD".to_string()),
        Some("Url") => Some("https://".to_string()),
        _ => None,
    };
    match (placeholder, schema_walk::type_name(prop)) {
        (Some(p), _) => q(format!("${{{i}:{}}}", esc(&p))),
        (None, Some("integer" | "number")) => format!("${{{i}:0}}"),
        (None, Some("boolean")) => format!("${{{i}|true,false|}}"),
        (None, Some("array")) => {
            if json {
                format!("[\"${{{i}}}\"]")
            } else {
                format!("[${{{i}}}]")
            }
        }
        _ => q(format!("${{{i}}}")),
    }
}

fn list_of_objects<'s>(c: &Ctx<'s>, prop: &Prop<'s>) -> Option<Prop<'s>> {
    if schema_walk::type_name(prop) != Some("array") {
        return None;
    }
    let item = schema_walk::child(c.schema, prop, &Seg::Item)?;
    schema_walk::is_object(c.schema, &item).then_some(item)
}

fn is_mapping(c: &Ctx, prop: &Prop) -> bool {
    schema_walk::type_name(prop) == Some("object") && !schema_walk::is_quantity(c.schema, prop)
}

/// A mapping's required fields in YAML block style at `indent`; the first on the
/// current line when `first_inline`.
fn block(c: &Ctx, prop: &Prop, indent: usize, first_inline: bool, n: &mut usize) -> String {
    let owner = noun(prop);
    let pad = " ".repeat(indent);
    let mut out = String::new();
    for (j, key) in fields(prop).into_iter().enumerate() {
        if j > 0 || !first_inline {
            out.push('\n');
            out.push_str(&pad);
        }
        out.push_str(key);
        out.push(':');
        let Some(p) = schema_walk::child(c.schema, prop, &Seg::Key(key.into())) else {
            out.push_str(&format!(" ${{{}}}", {
                *n += 1;
                *n
            }));
            continue;
        };
        if let Some(item) = list_of_objects(c, &p) {
            out.push('\n');
            out.push_str(&pad);
            out.push_str("  - ");
            out.push_str(&block(c, &item, indent + 4, true, n));
        } else if is_mapping(c, &p) {
            out.push_str(&block(c, &p, indent + 2, false, n));
        } else {
            out.push(' ');
            out.push_str(&field(c, &owner, key, &p, n, false));
        }
    }
    out
}

/// A mapping's required fields inline: `{"id": "…", …}` or `{ id: …, … }`.
fn inline(c: &Ctx, prop: &Prop, json: bool, n: &mut usize) -> String {
    let owner = noun(prop);
    let mut parts = Vec::new();
    for key in fields(prop) {
        let value = match schema_walk::child(c.schema, prop, &Seg::Key(key.into())) {
            Some(p) => {
                if let Some(item) = list_of_objects(c, &p) {
                    format!("[{}]", inline(c, &item, json, n))
                } else if is_mapping(c, &p) {
                    inline(c, &p, json, n)
                } else {
                    field(c, &owner, key, &p, n, json)
                }
            }
            None => {
                *n += 1;
                format!("${{{}}}", *n)
            }
        };
        if json {
            parts.push(format!("\"{key}\": {value}"));
        } else {
            parts.push(format!("{key}: {value}"));
        }
    }
    if json {
        format!("{{{}}}", parts.join(", "))
    } else {
        format!("{{ {} }}", parts.join(", "))
    }
}

pub(super) fn item_snippet(c: &Ctx, item: &Prop, layout: Layout, wrap: bool) -> Option<Completion> {
    let cur = c.cur;
    let required = fields(item);
    if required.is_empty() {
        return None;
    }
    let noun = noun(item);
    let mut n = 0;
    let (insert, replace) = match layout {
        Layout::Item => {
            let lead = if cur.space_before { " " } else { "" };
            (
                format!("{lead}{}", block(c, item, cur.indent, true, &mut n)),
                cur.scalar_span,
            )
        }
        Layout::NewItem => (
            format!("- {}", block(c, item, cur.indent + 2, true, &mut n)),
            cur.scalar_span,
        ),
        Layout::ListValue => {
            let pad = " ".repeat(cur.indent + 2);
            let body = block(c, item, cur.indent + 4, true, &mut n);
            let start = cur.after_colon.unwrap_or(cur.scalar_span.start);
            (
                format!("\n{pad}- {body}"),
                Span::new(start, cur.scalar_span.end),
            )
        }
        Layout::Flow => {
            let json = cur.syntax == Syntax::Json;
            let body = inline(c, item, json, &mut n);
            let lead = if cur.space_before { " " } else { "" };
            let body = if wrap { format!("[{body}]") } else { body };
            (format!("{lead}{body}"), cur.scalar_span)
        }
    };
    Some(Completion {
        label: format!("new {noun}"),
        kind: ItemKind::Snippet,
        label_detail: None,
        detail: Some(format!("{} with {}", noun, required.join(", "))),
        documentation: item.description().map(String::from),
        insert,
        snippet: true,
        replace,
        sort: "0".into(),
    })
}

/// A whole record with its required keys, for an empty document.
pub(super) fn skeleton(c: &Ctx) -> Completion {
    let root = Prop::root(c.schema);
    let mut n = 0;
    let insert = match c.cur.syntax {
        Syntax::Yaml => block(c, &root, 0, true, &mut n),
        Syntax::Json => {
            let mut lines = Vec::new();
            for key in fields(&root) {
                let value = match schema_walk::child(c.schema, &root, &Seg::Key(key.into())) {
                    Some(p) => {
                        if let Some(item) = list_of_objects(c, &p) {
                            format!("[{}]", inline(c, &item, true, &mut n))
                        } else if is_mapping(c, &p) {
                            inline(c, &p, true, &mut n)
                        } else {
                            field(c, "record", key, &p, &mut n, true)
                        }
                    }
                    None => String::new(),
                };
                lines.push(format!("  \"{key}\": {value}"));
            }
            format!("{{\n{}\n}}", lines.join(",\n"))
        }
    };
    Completion {
        label: "new trial record".into(),
        kind: ItemKind::Snippet,
        label_detail: None,
        detail: Some("a TRF 1 record with its required keys".into()),
        documentation: Prop::root(c.schema).description().map(String::from),
        insert,
        snippet: true,
        replace: c.cur.scalar_span,
        sort: "0".into(),
    }
}
