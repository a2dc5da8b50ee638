//! Hover: a key's meaning from the schema, a term's label and definition, a unit's
//! meaning and dimension, a key path's fact, a local reference's target, a registry id's registry and
//! the workspace record with that id.

use super::completion::term_documentation;
use super::context::{self, split_number, Seg, Slot};
use super::doc::Doc;
use super::schema_walk;
use super::tree;
use super::unit_table;
use super::{HoverInfo, WorkspaceView};
use crate::ids;
use crate::model::LocalKind;
use crate::schema::Schema;
use crate::syntax::{clamp_to_char_boundary, Node, Span, Syntax};

struct Ctx<'a> {
    text: &'a str,
    schema: &'a Schema,
    ws: &'a WorkspaceView<'a>,
    doc: Doc<'a>,
    offset: usize,
}

pub fn hover(
    text: &str,
    syntax: Syntax,
    offset: usize,
    schema: &Schema,
    ws: &WorkspaceView,
) -> Option<HoverInfo> {
    let text = &*crate::ide::lf_lines(text);
    let offset = clamp_to_char_boundary(text, offset);
    let c = Ctx {
        text,
        schema,
        ws,
        doc: Doc::new(text, syntax),
        offset,
    };
    // Only the top-level entry under the cursor is parsed (YAML).
    if let Some((root, base)) = c.doc.around(offset) {
        let hit = offset
            .checked_sub(base)
            .and_then(|at| tree::locate(&root, at));
        if let Some(hit) = hit {
            let shifted = Span::new(hit.node.span.start + base, hit.node.span.end + base);
            // Without its quotes, unless the cursor is on one.
            let span = Some(tree::inner(text, shifted))
                .filter(|s| s.contains(offset))
                .unwrap_or(shifted);
            let siblings = if syntax == Syntax::Yaml && hit.path.len() == 1 {
                // The entry was parsed alone: its siblings come from the text.
                context::cursor(text, syntax, offset)
                    .map(|cur| cur.siblings)
                    .unwrap_or_default()
            } else {
                entries(hit.map())
            };
            let found = if hit.is_key {
                key(&c, &hit.path, &siblings, span)
            } else {
                let value = hit.node.text().unwrap_or("");
                value_hover(&c, &hit.path, value, span, &siblings, hit.map())
            };
            if found.is_some() {
                return found;
            }
        }
    }
    // The cursor's line did not parse (or not as it was meant): read it from the
    // text.
    let cur = context::cursor(text, syntax, offset)?;
    let word = text.get(cur.word_span.start..cur.word_span.end)?.trim();
    if word.is_empty() {
        return None;
    }
    match cur.slot {
        Slot::Key => {
            let mut path = cur.path.clone();
            path.push(Seg::Key(word.to_string()));
            key(&c, &path, &cur.siblings, cur.word_span)
        }
        Slot::Value if cur.number.is_some() => Some(unit(word, cur.word_span)),
        Slot::Value => value_hover(&c, &cur.path, word, cur.word_span, &cur.siblings, None),
    }
}

/// A mapping's entries as (key, scalar text).
fn entries(map: Option<&Node>) -> Vec<(String, Option<String>)> {
    map.and_then(Node::as_map)
        .unwrap_or(&[])
        .iter()
        .filter_map(|e| Some((e.key_text()?.to_string(), e.value.text().map(String::from))))
        .collect()
}

fn key(
    c: &Ctx,
    path: &[Seg],
    siblings: &[(String, Option<String>)],
    span: Span,
) -> Option<HoverInfo> {
    let Some(Seg::Key(name)) = path.last() else {
        return None;
    };
    let parent = schema_walk::at(c.schema, &path[..path.len() - 1])?;
    let prop = schema_walk::child(c.schema, &parent, path.last()?)?;
    let mut head = format!(
        "**`{name}`** · {}",
        schema_walk::short_type(c.schema, &prop)
    );
    if schema_walk::required(&parent, siblings).contains(&name.as_str()) {
        head.push_str(" · required");
    } else if schema_walk::one_of_required(&parent).contains(&name.as_str()) {
        let group: Vec<String> = schema_walk::one_of_required(&parent)
            .iter()
            .map(|k| format!("`{k}`"))
            .collect();
        head.push_str(&format!(
            " · at least one of {} is required",
            group.join(", ")
        ));
    }
    let mut md = vec![head];
    if let Some(d) = prop.description() {
        md.push(d.to_string());
    }
    let vocab = schema_walk::vocabulary(c.schema, &prop).or_else(|| {
        schema_walk::child(c.schema, &prop, &Seg::Item)
            .and_then(|i| schema_walk::vocabulary(c.schema, &i))
    });
    if let Some(v) = vocab.filter(|v| v.open) {
        md.push(format!(
            "Any marker name; completion offers the {} markers trls knows, with their class.",
            v.terms.len()
        ));
    } else if let Some(v) = vocab {
        if v.terms.len() <= 12 {
            let ids: Vec<String> = v.terms.iter().map(|t| format!("`{}`", t.id)).collect();
            md.push(format!("One of {}.", ids.join(", ")));
        } else {
            md.push(format!(
                "One of the {} terms of *{}* (completion lists them).",
                v.terms.len(),
                v.title
            ));
        }
    }
    Some(HoverInfo {
        markdown: md.join("\n\n"),
        span,
    })
}

fn value_hover(
    c: &Ctx,
    path: &[Seg],
    value: &str,
    span: Span,
    siblings: &[(String, Option<String>)],
    map: Option<&Node>,
) -> Option<HoverInfo> {
    let hover = |markdown: String| Some(HoverInfo { markdown, span });
    if let Some(kind) = tree::reference_kind(path) {
        return hover(reference(c, kind, value));
    }
    if let Some(kind) = tree::definition_kind(path) {
        if let Some(md) = definition(c, kind, value) {
            return hover(md);
        }
    }
    if tree::registry_position(path) {
        let secondary = path.first() == Some(&Seg::Key("secondary_ids".into()));
        let is_registry = !secondary
            || map.and_then(|m| tree::text_of(m, "type")) == Some("REGISTRY")
            || siblings
                .iter()
                .any(|(k, v)| k == "type" && v.as_deref() == Some("REGISTRY"))
            || ids::canonical(value).is_some();
        if is_registry {
            let related = path.first() == Some(&Seg::Key("related".into()));
            return hover(registry(c, value, related));
        }
    }
    let prop = schema_walk::at(c.schema, path)?;
    if prop.def == Some("Unit") {
        return Some(unit(value, span));
    }
    if prop.def == Some("KeyPath") {
        return hover(key_path(c, value.trim()));
    }
    if schema_walk::is_quantity(c.schema, &prop) {
        // The unit part of `2.59 L`, read from the source.
        let source = c.text.get(span.start..span.end).unwrap_or("");
        if let Some((_, at)) = split_number(source) {
            let unit_span = Span::new(span.start + at, span.start + source.trim_end().len());
            if c.offset >= unit_span.start && unit_span.end > unit_span.start {
                let u = c.text.get(unit_span.start..unit_span.end).unwrap_or("");
                return Some(unit(u, unit_span));
            }
        }
    }
    let vocab = schema_walk::vocabulary(c.schema, &prop);
    if let Some(v) = vocab.filter(|v| v.open) {
        // A marker: any spelling of a known one, or one trls does not judge.
        let Some(t) = v.marker(value) else {
            return hover(format!(
                "`{}` · {}\n\nNot a marker trls knows: accepted as written, without a class.",
                value.trim(),
                v.title
            ));
        };
        return hover(format!(
            "**{}** (`{}`) · {}\n\n{}",
            t.label,
            t.id,
            v.title,
            term_documentation(v, t)
        ));
    }
    if let Some(v) = vocab {
        let t = v.term(value)?;
        // The term, then its readable name unless that only repeats it.
        let mut md = match super::completion::readable(&t.id, &t.label) {
            Some(name) => format!("**`{}`** · {name} · {}", t.id, v.title),
            None => format!("**`{}`** · {}", t.id, v.title),
        };
        md.push_str("\n\n");
        md.push_str(&term_documentation(v, t));
        return hover(md);
    }
    // Any other value: what its key (or its list's key) means.
    match path.last() {
        Some(Seg::Key(_)) => key(c, path, siblings, span),
        Some(Seg::Item) if matches!(path.get(path.len().wrapping_sub(2)), Some(Seg::Key(_))) => {
            key(c, &path[..path.len() - 1], &[], span)
        }
        _ => None,
    }
}

/// A key path (`not_stated`, a discrepancy's `about`): what the fact it names is.
fn key_path(c: &Ctx, path: &str) -> String {
    use crate::schema::Resolution;
    match c.schema.keypaths().resolve(path) {
        Resolution::Valid(info) => {
            let mut head = format!("**`{path}`** · key path");
            if info.required {
                head.push_str(" · required");
            } else if info.conditional {
                head.push_str(" · required in some records");
            }
            match &info.description {
                Some(d) => format!("{head}\n\n{d}"),
                None => head,
            }
        }
        Resolution::ThroughList { list, .. } => format!(
            "`{path}` is not a key path: `{list}` is a list, and a key path goes through no list."
        ),
        Resolution::Unknown {
            suggestion: Some(s),
            ..
        } => format!("`{path}` is not a key path of TRF 1; did you mean `{s}`?"),
        Resolution::Unknown { .. } => format!("`{path}` is not a key path of TRF 1."),
    }
}

fn unit(symbol: &str, span: Span) -> HoverInfo {
    let mut markdown = match unit_table::lookup(symbol) {
        Some(u) => format!(
            "**`{symbol}`** · {} (UCUM)\n\nDimension: {}",
            u.meaning,
            unit_table::dimensions_text(u)
        ),
        None => format!("UCUM unit `{symbol}`"),
    };
    if symbol.contains('{') && unit_table::lookup(symbol).is_none() {
        markdown.push_str(
            "\n\nThe part in braces is an annotation: it names what is counted and \
             does not change the unit's dimension.",
        );
    }
    HoverInfo { markdown, span }
}

fn reference(c: &Ctx, kind: LocalKind, id: &str) -> String {
    if let Some(item) = c.doc.definition(kind, id) {
        return tree::summary(kind, &item).1;
    }
    let known: Vec<String> = c
        .doc
        .definitions(kind)
        .into_iter()
        .map(|(i, _)| format!("`{i}`"))
        .collect();
    let mut md = format!("No {} `{id}` is defined in this record.", kind.noun());
    if !known.is_empty() {
        md.push_str(&format!(
            "\n\nDefined {}s: {}",
            kind.noun(),
            known.join(", ")
        ));
    }
    md
}

fn definition(c: &Ctx, kind: LocalKind, id: &str) -> Option<String> {
    let item = c.doc.definition(kind, id)?;
    let mut md = tree::summary(kind, &item).1;
    md.push_str(&match c.doc.references(kind, id) {
        0 => "\n\nNot referenced in this record.".to_string(),
        1 => "\n\nReferenced once in this record.".to_string(),
        n => format!("\n\nReferenced {n} times in this record."),
    });
    Some(md)
}

fn canonical(id: &str) -> String {
    let id = id.trim();
    ids::canonical(id).map_or_else(|| id.to_string(), |c| c.id)
}

fn registry(c: &Ctx, id: &str, related: bool) -> String {
    let id = id.trim();
    let mut md = Vec::new();
    match ids::canonical(id) {
        Some(canon) => {
            let reg = ids::registry(canon.registry);
            let name = reg.map_or(canon.registry, |r| r.name.as_str());
            md.push(format!("**`{}`** · {name}", canon.id));
            if let Some(url) = reg.and_then(|r| r.url(&canon.id)) {
                md.push(format!("[Record page]({url})"));
            }
        }
        None => {
            let matching = ids::matching(id);
            if matching.is_empty() {
                md.push(format!("`{id}` is not in the format of any registry."));
            } else {
                let names: Vec<&str> = matching.iter().map(|r| r.name.as_str()).collect();
                md.push(format!(
                    "`{id}` fits the formats of several registries: {}.",
                    names.join(", ")
                ));
            }
        }
    }
    let canon = canonical(id);
    let records: Vec<String> =
        c.ws.records
            .iter()
            .filter(|r| {
                r.summary
                    .id
                    .as_ref()
                    .is_some_and(|(rid, _)| canonical(rid) == canon)
            })
            .take(5)
            .map(|r| match &r.summary.title {
                Some(t) => format!("Workspace record: *{}* (`{}`)", t, r.path.display()),
                None => format!("Workspace record: `{}`", r.path.display()),
            })
            .collect();
    if records.is_empty() && related {
        md.push("No record with this id in the workspace.".to_string());
    }
    md.extend(records);
    md.join("\n\n")
}
