//! Reading a `Quantity` from the tree (the string `"<number> <unit>"` or the mapping
//! `{value, unit}`) with where its unit is, and the edits (built by
//! [`crate::syntax::edit`]) that replace its unit or all of it.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::syntax::edit::Editor;
use crate::syntax::edit::TextEdit;
use crate::syntax::{Node, NodeKind, ScalarKind, Span};

/// The number of a quantity string, as the schema's pattern has it.
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$").expect("valid regex")
});

/// A quantity as written.
#[derive(Clone, Debug, PartialEq)]
pub struct Quantity<'a> {
    /// The whole value: the string, or the mapping.
    pub node: &'a Node,
    pub value: f64,
    /// The number as written (`2.59`, `1e9`).
    pub number: String,
    pub unit: String,
    pub form: Form<'a>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Form<'a> {
    /// `"2.59 L"`, with the byte range of the unit in the string's value.
    Text { unit: Range<usize> },
    /// `{value: 2.59, unit: L}`.
    Map { value: &'a Node, unit: &'a Node },
}

/// What a value in a `Quantity` slot turned out to be.
#[derive(Debug)]
pub enum Read<'a> {
    Quantity(Quantity<'a>),
    /// A number without a unit (`60`, `"2.59"`): `TRF204`.
    Bare {
        number: String,
    },
    /// Anything else: the schema reports it.
    Other,
}

impl<'a> Quantity<'a> {
    /// The quantity as text, `2.59 L`.
    pub fn display(&self) -> String {
        format!("{} {}", self.number, self.unit)
    }

    /// The node a finding about the unit is anchored on: the string, or the `unit`.
    pub fn unit_anchor(&self) -> Span {
        match &self.form {
            Form::Text { .. } => self.node.span,
            Form::Map { unit, .. } => unit.span,
        }
    }

    /// The node a finding about the number is anchored on: the string, or the `value`.
    pub fn value_anchor(&self) -> Span {
        match &self.form {
            Form::Text { .. } => self.node.span,
            Form::Map { value, .. } => value.span,
        }
    }
}

/// The number and the byte offset of the unit in `<number> +<unit>` (the unit starts
/// with a non-space character), as the schema's Quantity pattern reads it.
fn split_quantity(text: &str) -> Option<(&str, usize)> {
    let space = text.find(' ')?;
    let number = &text[..space];
    let unit_start = space + text[space..].len() - text[space..].trim_start_matches(' ').len();
    let rest = &text[unit_start..];
    (NUMBER.is_match(number) && rest.chars().next().is_some_and(|c| !c.is_whitespace()))
        .then_some((number, unit_start))
}

/// Read the value of a `Quantity` slot.
pub fn read(node: &Node) -> Read<'_> {
    match &node.kind {
        NodeKind::Scalar(s) => match s.kind {
            ScalarKind::Int(_) | ScalarKind::Float(_) => Read::Bare {
                number: s.text.clone(),
            },
            ScalarKind::Str => {
                let t = s.text.trim();
                if NUMBER.is_match(t) {
                    return Read::Bare {
                        number: t.to_string(),
                    };
                }
                // `<number> +<unit>`, split by hand (a capturing regex allocates on
                // every call, and this runs for every quantity of every record).
                let Some((number, unit_start)) = split_quantity(&s.text) else {
                    return Read::Other;
                };
                let Ok(value) = number.parse::<f64>() else {
                    return Read::Other;
                };
                let unit_text = s.text[unit_start..].trim_end();
                Read::Quantity(Quantity {
                    node,
                    value,
                    number: number.to_string(),
                    unit: unit_text.to_string(),
                    form: Form::Text {
                        unit: unit_start..unit_start + unit_text.len(),
                    },
                })
            }
            _ => Read::Other,
        },
        NodeKind::Map(_) => {
            let (Some(v), Some(u)) = (node.get("value"), node.get("unit")) else {
                return Read::Other;
            };
            let (Some(vs), Some(us)) = (v.as_scalar(), u.as_scalar()) else {
                return Read::Other;
            };
            let value = match vs.kind {
                ScalarKind::Int(i) => i as f64,
                ScalarKind::Float(f) => f,
                _ => return Read::Other,
            };
            if us.kind == ScalarKind::Null || us.text.is_empty() {
                return Read::Other;
            }
            Read::Quantity(Quantity {
                node,
                value,
                number: vs.text.clone(),
                unit: us.text.clone(),
                form: Form::Map { value: v, unit: u },
            })
        }
        NodeKind::Seq(_) => Read::Other,
    }
}

/// Edits that put `new_unit` in place of the quantity's unit, touching as little as
/// possible. Empty when no clean edit exists.
pub fn replace_unit(edit: &Editor, q: &Quantity, new_unit: &str) -> Vec<TextEdit> {
    let e = match &q.form {
        Form::Text { unit } => edit.replace_part(q.node, unit.clone(), new_unit),
        Form::Map { unit, .. } => edit.replace_scalar(unit, new_unit),
    };
    e.into_iter().collect()
}

/// Edits that rewrite the whole quantity as `number unit`. Empty when no clean edit
/// exists.
pub fn replace_quantity(edit: &Editor, q: &Quantity, number: &str, unit: &str) -> Vec<TextEdit> {
    match &q.form {
        Form::Text { .. } => edit
            .replace_scalar(q.node, &format!("{number} {unit}"))
            .into_iter()
            .collect(),
        Form::Map {
            value,
            unit: unit_node,
        } => {
            let Some(v) = edit.replace_literal(value, number) else {
                return Vec::new();
            };
            let mut edits = vec![v];
            if q.unit != unit {
                match edit.replace_scalar(unit_node, unit) {
                    Some(u) => edits.push(u),
                    None => return Vec::new(),
                }
            }
            edits.sort_by_key(|e| e.span.start);
            edits
        }
    }
}

/// The edit that gives a bare number (`mean: 2.59`, `mean: "2.59"`) a unit.
pub fn append_unit(edit: &Editor, node: &Node, number: &str, unit: &str) -> Vec<TextEdit> {
    edit.replace_scalar(node, &format!("{number} {unit}"))
        .into_iter()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::edit::apply;
    use crate::syntax::{parse, Syntax};

    fn root(text: &str) -> Node {
        parse(text, Syntax::Yaml).root.unwrap()
    }

    fn quantity(node: &Node) -> Quantity<'_> {
        match read(node) {
            Read::Quantity(q) => q,
            other => panic!("not a quantity: {other:?}"),
        }
    }

    fn yaml(text: &str) -> Editor<'_> {
        Editor::new(text, Syntax::Yaml)
    }

    #[test]
    fn reads_plain_quoted_and_map_quantities() {
        let text =
            "a: 2.59 L\nb: \"60 10*6{cells}\"\nc: {value: 18, unit: a}\nd: '1e9 {particles}'\n";
        let r = root(text);
        let a = quantity(r.get("a").unwrap());
        assert_eq!(
            (a.value, a.unit.as_str(), a.number.as_str()),
            (2.59, "L", "2.59")
        );
        let b = quantity(r.get("b").unwrap());
        let Form::Text { unit } = b.form else {
            panic!()
        };
        assert_eq!(&b.node.text().unwrap()[unit], "10*6{cells}");
        let c = quantity(r.get("c").unwrap());
        assert_eq!((c.value, c.unit.as_str()), (18.0, "a"));
        let d = quantity(r.get("d").unwrap());
        assert_eq!(d.value, 1e9);
    }

    #[test]
    fn bare_numbers_and_other_values() {
        let text = "a: 60\nb: \"2.59\"\nc: lots\nd: [1]\ne: 2.5L\n";
        let r = root(text);
        assert!(matches!(read(r.get("a").unwrap()), Read::Bare { .. }));
        assert!(matches!(read(r.get("b").unwrap()), Read::Bare { .. }));
        for k in ["c", "d", "e"] {
            assert!(matches!(read(r.get(k).unwrap()), Read::Other), "{k}");
        }
    }

    #[test]
    fn escaped_strings_are_replaced_whole() {
        let text = "a: \"2.59 \\u004C\"\n";
        let r = root(text);
        let q = quantity(r.get("a").unwrap());
        assert_eq!(q.unit, "L");
        let edits = replace_unit(&yaml(text), &q, "mL");
        assert_eq!(apply(text, &edits), "a: \"2.59 mL\"\n");
    }

    #[test]
    fn unit_edits_keep_the_yaml_valid() {
        let text = "a: 2.59 µmol/L\nb: {mean: 5 IU/L}\nc: \"5 IU/L\"\nd: {value: 5, unit: IU/L}\n";
        let r = root(text);
        let e = yaml(text);
        let a = quantity(r.get("a").unwrap());
        assert_eq!(
            apply(text, &replace_unit(&e, &a, "umol/L")),
            text.replace("µmol/L", "umol/L")
        );
        let b = quantity(r.get("b").unwrap().get("mean").unwrap());
        assert_eq!(
            apply(text, &replace_unit(&e, &b, "[IU]/L")),
            text.replace("{mean: 5 IU/L}", "{mean: \"5 [IU]/L\"}")
        );
        let c = quantity(r.get("c").unwrap());
        assert_eq!(
            apply(text, &replace_unit(&e, &c, "[IU]/L")),
            text.replace("\"5 IU/L\"", "\"5 [IU]/L\"")
        );
        let d = quantity(r.get("d").unwrap());
        assert_eq!(
            apply(text, &replace_unit(&e, &d, "[IU]/L")),
            text.replace("unit: IU/L}", "unit: \"[IU]/L\"}")
        );
    }

    #[test]
    fn whole_quantity_edits() {
        let text = "a: 2590 mL\nb: {value: 2590, unit: mL}\n";
        let r = root(text);
        let e = yaml(text);
        let a = quantity(r.get("a").unwrap());
        assert_eq!(
            apply(text, &replace_quantity(&e, &a, "2.59", "L")),
            "a: 2.59 L\nb: {value: 2590, unit: mL}\n"
        );
        let b = quantity(r.get("b").unwrap());
        assert_eq!(
            apply(text, &replace_quantity(&e, &b, "2.59", "L")),
            "a: 2590 mL\nb: {value: 2.59, unit: L}\n"
        );
    }
}
