//! Reading a `Quantity` from the tree (the string `"<number> <unit>"` or the mapping
//! `{value, unit}`) with the spans of its number and unit, and writing edits that
//! replace its unit or all of it without breaking the YAML or JSON around it.

use std::sync::LazyLock;

use regex::Regex;

use crate::diagnostic::TextEdit;
use crate::syntax::{resolve_plain, Node, NodeKind, ScalarKind, Span, Syntax};

/// The number of a quantity string, as the schema's pattern has it.
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$").expect("valid regex")
});

/// How the value is written, which decides how an edit must look.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// A YAML plain scalar; `flow` when inside `[...]` or `{...}`.
    Plain { flow: bool },
    /// Quoted with `'` or `"` (JSON strings are `"`).
    Quoted(char),
    /// Anything whose source is not simply its text (block scalars, escapes, folded
    /// lines, aliases): only the whole node can be replaced.
    Opaque,
}

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
    /// `"2.59 L"`: the style of the string, and where its unit is in the source when
    /// it can be edited on its own.
    Text {
        style: Style,
        unit_span: Option<Span>,
    },
    /// `{value: 2.59, unit: L}`.
    Map {
        value: &'a Node,
        unit: &'a Node,
        value_style: Style,
        unit_style: Style,
    },
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

/// The style of a scalar node: how its source relates to its text.
pub fn style(text: &str, node: &Node, flow: bool) -> Style {
    let Some(s) = node.as_scalar() else {
        return Style::Opaque;
    };
    let Some(src) = text.get(node.span.start..node.span.end) else {
        return Style::Opaque;
    };
    if !s.quoted {
        return if src == s.text {
            Style::Plain { flow }
        } else {
            Style::Opaque
        };
    }
    match src.chars().next() {
        Some(q @ ('"' | '\'')) if src.len() >= 2 && src.ends_with(q) => {
            let inner = &src[1..src.len() - 1];
            let escaped = match q {
                '"' => inner.contains('\\'),
                _ => inner.contains("''"),
            };
            let clean = inner == s.text && !inner.contains('\n') && !escaped;
            if clean {
                Style::Quoted(q)
            } else {
                Style::Opaque
            }
        }
        _ => Style::Opaque,
    }
}

/// Whether a node is written in flow style (`{...}` or `[...]`), so plain scalars inside
/// it may not hold flow indicators.
pub fn is_flow(text: &str, node: &Node) -> bool {
    matches!(node.kind, NodeKind::Map(_) | NodeKind::Seq(_))
        && matches!(text.as_bytes().get(node.span.start), Some(b'{' | b'['))
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

/// Read the value of a `Quantity` slot. `flow` says whether its parent collection is
/// written in flow style.
pub fn read<'a>(text: &str, node: &'a Node, flow: bool) -> Read<'a> {
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
                let st = style(text, node, flow);
                let offset = match st {
                    Style::Plain { .. } => Some(node.span.start),
                    Style::Quoted(_) => Some(node.span.start + 1),
                    Style::Opaque => None,
                };
                Read::Quantity(Quantity {
                    node,
                    value,
                    number: number.to_string(),
                    unit: unit_text.to_string(),
                    form: Form::Text {
                        style: st,
                        unit_span: offset
                            .map(|o| Span::new(o + unit_start, o + unit_start + unit_text.len())),
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
            let inner_flow = is_flow(text, node);
            Read::Quantity(Quantity {
                node,
                value,
                number: vs.text.clone(),
                unit: us.text.clone(),
                form: Form::Map {
                    value: v,
                    unit: u,
                    value_style: style(text, v, inner_flow),
                    unit_style: style(text, u, inner_flow),
                },
            })
        }
        NodeKind::Seq(_) => Read::Other,
    }
}

/// Whether `s` can be written as a YAML plain scalar and read back as the same text.
pub fn plain_ok(s: &str, flow: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let dash_number = first == '-' && s.len() > 1 && !s[1..].starts_with(' ');
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) && !dash_number {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') || s != s.trim() {
        return false;
    }
    if flow && s.contains(['[', ']', '{', '}', ',']) {
        return false;
    }
    resolve_plain(s) == ScalarKind::Str
}

/// `s` as a string scalar in the given syntax: plain where it can be, else quoted.
fn scalar_text(s: &str, syntax: Syntax, prefer: Style) -> String {
    let dq = || format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    match (syntax, prefer) {
        (Syntax::Json, _) => dq(),
        (Syntax::Yaml, Style::Quoted('\'')) => format!("'{}'", s.replace('\'', "''")),
        (Syntax::Yaml, Style::Quoted(_)) => dq(),
        (Syntax::Yaml, Style::Plain { flow }) if plain_ok(s, flow) => s.to_string(),
        (Syntax::Yaml, _) => dq(),
    }
}

/// Text to put inside existing quotes of the given kind.
fn inside_quotes(s: &str, q: char) -> String {
    if q == '\'' {
        s.replace('\'', "''")
    } else {
        s.replace('\\', "\\\\").replace('"', "\\\"")
    }
}

/// Replace a string scalar node (keeping its quotes, adding them where the new text
/// needs them).
pub fn replace_scalar(syntax: Syntax, node: &Node, style: Style, new: &str) -> TextEdit {
    TextEdit {
        span: node.span,
        new_text: scalar_text(new, syntax, style),
    }
}

/// Replace a number scalar node (a JSON or YAML number, written plain).
fn replace_number(node: &Node, new: &str) -> TextEdit {
    TextEdit {
        span: node.span,
        new_text: new.to_string(),
    }
}

/// Edits that put `new_unit` in place of the quantity's unit, touching as little as
/// possible.
pub fn replace_unit(syntax: Syntax, q: &Quantity, new_unit: &str) -> Vec<TextEdit> {
    match &q.form {
        Form::Text { style, unit_span } => {
            let whole = format!("{} {}", q.number, new_unit);
            match (style, unit_span) {
                (Style::Quoted(c), Some(span)) => vec![TextEdit {
                    span: *span,
                    new_text: inside_quotes(new_unit, *c),
                }],
                (Style::Plain { flow }, Some(span))
                    if syntax == Syntax::Yaml && plain_ok(&whole, *flow) =>
                {
                    vec![TextEdit {
                        span: *span,
                        new_text: new_unit.to_string(),
                    }]
                }
                _ => vec![replace_scalar(syntax, q.node, *style, &whole)],
            }
        }
        Form::Map {
            unit, unit_style, ..
        } => vec![replace_scalar(syntax, unit, *unit_style, new_unit)],
    }
}

/// Edits that rewrite the whole quantity as `number unit`.
pub fn replace_quantity(syntax: Syntax, q: &Quantity, number: &str, unit: &str) -> Vec<TextEdit> {
    match &q.form {
        Form::Text { style, .. } => {
            vec![replace_scalar(
                syntax,
                q.node,
                *style,
                &format!("{number} {unit}"),
            )]
        }
        Form::Map {
            value,
            unit: unit_node,
            unit_style,
            ..
        } => {
            let mut edits = vec![replace_number(value, number)];
            if q.unit != unit {
                edits.push(replace_scalar(syntax, unit_node, *unit_style, unit));
            }
            edits.sort_by_key(|e| e.span.start);
            edits
        }
    }
}

/// The edit that gives a bare number (`mean: 2.59`, `mean: "2.59"`) a unit.
pub fn append_unit(
    syntax: Syntax,
    node: &Node,
    style: Style,
    number: &str,
    unit: &str,
) -> TextEdit {
    replace_scalar(syntax, node, style, &format!("{number} {unit}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn root(text: &str) -> Node {
        parse(text, Syntax::Yaml).root.unwrap()
    }

    fn apply(text: &str, edits: &[TextEdit]) -> String {
        let mut out = text.to_string();
        let mut edits = edits.to_vec();
        edits.sort_by_key(|e| std::cmp::Reverse(e.span.start));
        for e in edits {
            out.replace_range(e.span.start..e.span.end, &e.new_text);
        }
        out
    }

    fn quantity<'a>(text: &str, node: &'a Node, flow: bool) -> Quantity<'a> {
        match read(text, node, flow) {
            Read::Quantity(q) => q,
            other => panic!("not a quantity: {other:?}"),
        }
    }

    #[test]
    fn reads_plain_quoted_and_map_quantities() {
        let text =
            "a: 2.59 L\nb: \"60 10*6{cells}\"\nc: {value: 18, unit: a}\nd: '1e9 {particles}'\n";
        let r = root(text);
        let a = quantity(text, r.get("a").unwrap(), false);
        assert_eq!(
            (a.value, a.unit.as_str(), a.number.as_str()),
            (2.59, "L", "2.59")
        );
        let Form::Text {
            unit_span: Some(s), ..
        } = a.form
        else {
            panic!()
        };
        assert_eq!(&text[s.start..s.end], "L");
        let b = quantity(text, r.get("b").unwrap(), false);
        let Form::Text {
            unit_span: Some(s),
            style,
        } = b.form
        else {
            panic!()
        };
        assert_eq!(style, Style::Quoted('"'));
        assert_eq!(&text[s.start..s.end], "10*6{cells}");
        let c = quantity(text, r.get("c").unwrap(), false);
        assert_eq!((c.value, c.unit.as_str()), (18.0, "a"));
        let d = quantity(text, r.get("d").unwrap(), false);
        assert_eq!(d.value, 1e9);
    }

    #[test]
    fn bare_numbers_and_other_values() {
        let text = "a: 60\nb: \"2.59\"\nc: lots\nd: [1]\ne: 2.5L\n";
        let r = root(text);
        assert!(matches!(
            read(text, r.get("a").unwrap(), false),
            Read::Bare { .. }
        ));
        assert!(matches!(
            read(text, r.get("b").unwrap(), false),
            Read::Bare { .. }
        ));
        for k in ["c", "d", "e"] {
            assert!(
                matches!(read(text, r.get(k).unwrap(), false), Read::Other),
                "{k}"
            );
        }
    }

    #[test]
    fn escaped_strings_are_replaced_whole() {
        let text = "a: \"2.59 \\u004C\"\n";
        let r = root(text);
        let q = quantity(text, r.get("a").unwrap(), false);
        assert_eq!(q.unit, "L");
        let edits = replace_unit(Syntax::Yaml, &q, "mL");
        assert_eq!(apply(text, &edits), "a: \"2.59 mL\"\n");
    }

    #[test]
    fn unit_edits_keep_the_yaml_valid() {
        let text = "a: 2.59 µmol/L\nb: {mean: 5 IU/L}\nc: \"5 IU/L\"\nd: {value: 5, unit: IU/L}\n";
        let r = root(text);
        let a = quantity(text, r.get("a").unwrap(), false);
        assert_eq!(
            apply(text, &replace_unit(Syntax::Yaml, &a, "umol/L")),
            text.replace("µmol/L", "umol/L")
        );
        let b_parent = r.get("b").unwrap();
        let b = quantity(text, b_parent.get("mean").unwrap(), is_flow(text, b_parent));
        assert_eq!(
            apply(text, &replace_unit(Syntax::Yaml, &b, "[IU]/L")),
            text.replace("{mean: 5 IU/L}", "{mean: \"5 [IU]/L\"}")
        );
        let c = quantity(text, r.get("c").unwrap(), false);
        assert_eq!(
            apply(text, &replace_unit(Syntax::Yaml, &c, "[IU]/L")),
            text.replace("\"5 IU/L\"", "\"5 [IU]/L\"")
        );
        let d = quantity(text, r.get("d").unwrap(), false);
        assert_eq!(
            apply(text, &replace_unit(Syntax::Yaml, &d, "[IU]/L")),
            text.replace("unit: IU/L}", "unit: \"[IU]/L\"}")
        );
    }

    #[test]
    fn whole_quantity_edits() {
        let text = "a: 2590 mL\nb: {value: 2590, unit: mL}\n";
        let r = root(text);
        let a = quantity(text, r.get("a").unwrap(), false);
        assert_eq!(
            apply(text, &replace_quantity(Syntax::Yaml, &a, "2.59", "L")),
            "a: 2.59 L\nb: {value: 2590, unit: mL}\n"
        );
        let b = quantity(text, r.get("b").unwrap(), false);
        assert_eq!(
            apply(text, &replace_quantity(Syntax::Yaml, &b, "2.59", "L")),
            "a: 2590 mL\nb: {value: 2.59, unit: L}\n"
        );
    }

    #[test]
    fn plain_scalars_that_would_change_meaning_are_quoted() {
        assert!(plain_ok("2.59 L", false));
        assert!(plain_ok("8 {score}", false));
        assert!(!plain_ok("8 {score}", true));
        assert!(!plain_ok("{score}", false));
        assert!(!plain_ok("%", false));
        assert!(!plain_ok("1", false));
        assert!(!plain_ok("[IU]/L", false));
        assert!(plain_ok("U/L", true));
    }
}
