//! Walking the merged JSON Schema along a key path: `$ref`, `properties`, `items`
//! and the conditional branches (`if`/`then`/`else`, `allOf`, `anyOf`) that
//! `Quantity` and `timepoint` are written with.

use crate::schema::deref;
use serde_json::Value;

use super::context::Seg;
use crate::schema::{Schema, Vocabulary};

/// A subschema reached along a path.
#[derive(Clone, Copy, Debug)]
pub struct Prop<'s> {
    /// As written where it was reached (a property may be a `$ref` with its own
    /// description).
    pub raw: &'s Value,
    /// With `$ref` followed.
    pub node: &'s Value,
    /// The last `$defs` entry followed.
    pub def: Option<&'s str>,
}

impl<'s> Prop<'s> {
    pub fn root(schema: &'s Schema) -> Prop<'s> {
        let json = schema.json();
        Prop {
            raw: json,
            node: json,
            def: None,
        }
    }

    fn of(root: &'s Value, raw: &'s Value) -> Prop<'s> {
        let (node, def) = deref(root, raw);
        Prop { raw, node, def }
    }

    /// The description where it was reached, else the definition's.
    pub fn description(&self) -> Option<&'s str> {
        self.raw
            .get("description")
            .or_else(|| self.node.get("description"))
            .and_then(Value::as_str)
    }
}

/// The schema and its conditional branches, each with `$ref` followed.
fn branches<'s>(
    root: &'s Value,
    v: &'s Value,
    out: &mut Vec<(&'s Value, Option<&'s str>)>,
    depth: usize,
) {
    let (node, def) = deref(root, v);
    out.push((node, def));
    if depth > 4 {
        return;
    }
    for k in ["then", "else"] {
        if let Some(b) = node.get(k) {
            branches(root, b, out, depth + 1);
        }
    }
    for k in ["allOf", "anyOf", "oneOf"] {
        for b in node.get(k).and_then(Value::as_array).into_iter().flatten() {
            branches(root, b, out, depth + 1);
        }
    }
}

fn all<'s>(root: &'s Value, prop: &Prop<'s>) -> Vec<(&'s Value, Option<&'s str>)> {
    let mut out = Vec::new();
    branches(root, prop.raw, &mut out, 0);
    out
}

/// One step down.
pub fn child<'s>(schema: &'s Schema, prop: &Prop<'s>, seg: &Seg) -> Option<Prop<'s>> {
    let root = schema.json();
    for (b, _) in all(root, prop) {
        let next = match seg {
            Seg::Key(k) => b.get("properties").and_then(|p| p.get(k.as_str())),
            Seg::Item => b.get("items"),
        };
        if let Some(n) = next {
            return Some(Prop::of(root, n));
        }
    }
    None
}

/// The subschema at a path from the root.
pub fn at<'s>(schema: &'s Schema, path: &[Seg]) -> Option<Prop<'s>> {
    let mut prop = Prop::root(schema);
    for seg in path {
        prop = child(schema, &prop, seg)?;
    }
    Some(prop)
}

/// The keys a mapping may have, in schema order.
pub fn properties<'s>(schema: &'s Schema, prop: &Prop<'s>) -> Vec<(&'s str, Prop<'s>)> {
    let root = schema.json();
    let mut out: Vec<(&str, Prop)> = Vec::new();
    for (b, _) in all(root, prop) {
        if let Some(props) = b.get("properties").and_then(Value::as_object) {
            for (k, v) in props {
                if !out.iter().any(|(n, _)| n == k) {
                    out.push((k.as_str(), Prop::of(root, v)));
                }
            }
        }
    }
    out
}

/// Whether a simple `if` (`properties: {k: {const: v}}`, `required`) holds for the
/// entries beside the cursor.
fn holds(cond: &Value, siblings: &[(String, Option<String>)]) -> bool {
    let value = |k: &str| siblings.iter().find(|(n, _)| n == k).map(|(_, v)| v);
    if let Some(req) = cond.get("required").and_then(Value::as_array) {
        if !req
            .iter()
            .filter_map(Value::as_str)
            .all(|k| value(k).is_some())
        {
            return false;
        }
    }
    let Some(props) = cond.get("properties").and_then(Value::as_object) else {
        return false;
    };
    props.iter().all(|(k, c)| {
        let Some(expected) = c.get("const") else {
            return false;
        };
        let expected = match expected {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        matches!(value(k), Some(Some(v)) if *v == expected)
    })
}

/// Required keys, including those a condition on the entries beside makes required
/// (`phases` once `study_type: INTERVENTIONAL`).
pub fn required<'s>(prop: &Prop<'s>, siblings: &[(String, Option<String>)]) -> Vec<&'s str> {
    let mut out: Vec<&str> = Vec::new();
    let mut add = |v: Option<&'s Value>| {
        for k in v
            .and_then(|r| r.get("required"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !out.contains(&k) {
                out.push(k);
            }
        }
    };
    let node = prop.node;
    add(Some(node));
    let mut conditionals: Vec<&Value> = vec![node];
    conditionals.extend(
        node.get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten(),
    );
    for c in conditionals {
        if let Some(cond) = c.get("if") {
            if holds(cond, siblings) {
                add(c.get("then"));
            }
        }
    }
    out
}

/// Keys of which at least one is required (`mean`/`median`/`value`; a source's
/// locators).
pub fn one_of_required<'s>(prop: &Prop<'s>) -> Vec<&'s str> {
    prop.node
        .get("anyOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|b| b.get("required").and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

pub fn vocabulary<'s>(schema: &'s Schema, prop: &Prop<'s>) -> Option<&'s Vocabulary> {
    let name = prop.node.get("x-trls-vocabulary").and_then(Value::as_str)?;
    schema.vocabulary(name)
}

/// An `enum` that is not a vocabulary.
pub fn enum_values<'s>(prop: &Prop<'s>) -> Vec<String> {
    prop.node
        .get("enum")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

/// Constant values the schema names: `const`, and the `if: {const: …}` of
/// `timepoint` (`baseline`).
pub fn constants<'s>(prop: &Prop<'s>) -> Vec<String> {
    let mut out = Vec::new();
    for v in [
        prop.node.get("const"),
        prop.node.get("if").and_then(|i| i.get("const")),
    ]
    .into_iter()
    .flatten()
    {
        out.push(match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        });
    }
    out
}

pub fn type_name<'s>(prop: &Prop<'s>) -> Option<&'s str> {
    prop.node.get("type").and_then(Value::as_str)
}

/// Whether values here are `Quantity`s (directly or in a branch, as `timepoint`).
pub fn is_quantity(schema: &Schema, prop: &Prop) -> bool {
    all(schema.json(), prop)
        .iter()
        .any(|(_, d)| *d == Some("Quantity"))
}

pub fn is_object(schema: &Schema, prop: &Prop) -> bool {
    type_name(prop) == Some("object") || !properties(schema, prop).is_empty()
}

/// A short type for a completion's detail: `Route of administration`, `list of Arm`,
/// `string`.
pub fn short_type(schema: &Schema, prop: &Prop) -> String {
    if let Some(c) = prop.node.get("const") {
        return format!("`{c}`");
    }
    if let Some(def) = prop.def {
        return prop
            .node
            .get("title")
            .and_then(Value::as_str)
            .unwrap_or(def)
            .to_string();
    }
    match type_name(prop) {
        Some("array") => match child(schema, prop, &Seg::Item) {
            Some(item) => format!("list of {}", short_type(schema, &item)),
            None => "list".into(),
        },
        Some("object") => "mapping".into(),
        Some(t) => t.to_string(),
        None => prop
            .node
            .get("x-trls-expected")
            .and_then(Value::as_str)
            .unwrap_or("value")
            .to_string(),
    }
}
