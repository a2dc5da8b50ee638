//! Strict JSON into the spanned tree, through jsonc-parser with every relaxation
//! off. On a syntax error the text is read again as YAML (a superset of JSON's flow
//! syntax that tolerates the usual slips: trailing commas, single quotes), so what
//! did parse is still checked. Strings are `DoubleQuoted`, numbers and words
//! `Plain`, objects and arrays `Flow`.

use jsonc_parser::ast::{ObjectPropName, Value};
use jsonc_parser::{CollectOptions, ParseOptions};

use super::{
    CollectionStyle, Entry, Node, NodeKind, Parsed, ScalarKind, ScalarStyle, Span, Syntax,
    SyntaxError, SyntaxErrorKind, MAX_DEPTH,
};

pub(super) fn parse(text: &str) -> Parsed {
    let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &text[base..];
    if let Some(at) = too_deep(body) {
        return Parsed {
            errors: vec![SyntaxError::new(
                SyntaxErrorKind::Invalid,
                Span::empty(at + base),
                format!("invalid JSON: nesting deeper than {MAX_DEPTH} levels"),
            )],
            damaged: vec![Span::new(base, text.len())],
            ..Parsed::empty(Syntax::Json)
        };
    }
    let options = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    match jsonc_parser::parse_to_ast(body, &CollectOptions::default(), &options) {
        Ok(result) => Parsed {
            root: result.value.as_ref().map(|v| convert(v, base)),
            ..Parsed::empty(Syntax::Json)
        },
        Err(e) => {
            let range = e.range();
            let span = Span::new(range.start + base, range.end + base);
            let error = SyntaxError::new(
                SyntaxErrorKind::Invalid,
                span,
                format!("invalid JSON: {}", e.kind()),
            );
            let mut recovered = super::yaml::parse(text);
            recovered.syntax = Syntax::Json;
            let yaml_ok = !recovered
                .errors
                .iter()
                .any(|d| d.kind == SyntaxErrorKind::Invalid);
            recovered
                .errors
                .retain(|d| d.kind != SyntaxErrorKind::Invalid);
            recovered.errors.insert(0, error);
            recovered.comments.clear();
            if yaml_ok {
                recovered.damaged = vec![span];
            } else {
                recovered.damaged.push(Span::new(span.start, text.len()));
            }
            recovered
        }
    }
}

/// Offset of the first bracket that opens a collection deeper than [`MAX_DEPTH`].
fn too_deep(text: &str) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Every JSON node is flow: collections are bracketed, and scalars sit in them.
fn convert(value: &Value, base: usize) -> Node {
    convert_node(value, base).with_style(CollectionStyle::Flow)
}

fn convert_node(value: &Value, base: usize) -> Node {
    let span = |r: jsonc_parser::common::Range| Span::new(r.start + base, r.end + base);
    match value {
        Value::StringLit(s) => Node::scalar(
            s.value.to_string(),
            ScalarKind::Str,
            ScalarStyle::DoubleQuoted,
            span(s.range),
        ),
        Value::NumberLit(n) => {
            let kind = match n.value.parse::<i64>() {
                Ok(i) => ScalarKind::Int(i),
                Err(_) => n
                    .value
                    .parse::<f64>()
                    .map_or(ScalarKind::Str, ScalarKind::Float),
            };
            Node::scalar(n.value, kind, ScalarStyle::Plain, span(n.range))
        }
        Value::BooleanLit(b) => {
            let text = if b.value { "true" } else { "false" };
            Node::scalar(
                text,
                ScalarKind::Bool(b.value),
                ScalarStyle::Plain,
                span(b.range),
            )
        }
        Value::NullKeyword(n) => {
            Node::scalar("null", ScalarKind::Null, ScalarStyle::Plain, span(n.range))
        }
        Value::Array(a) => Node::new(
            NodeKind::Seq(a.elements.iter().map(|v| convert(v, base)).collect()),
            span(a.range),
        ),
        Value::Object(o) => Node::new(
            NodeKind::Map(
                o.properties
                    .iter()
                    .map(|p| {
                        let key = match &p.name {
                            ObjectPropName::String(s) => Node::scalar(
                                s.value.to_string(),
                                ScalarKind::Str,
                                ScalarStyle::DoubleQuoted,
                                span(s.range),
                            ),
                            ObjectPropName::Word(w) => Node::scalar(
                                w.value,
                                ScalarKind::Str,
                                ScalarStyle::Plain,
                                span(w.range),
                            ),
                        }
                        .with_style(CollectionStyle::Flow);
                        Entry {
                            key,
                            value: convert(&p.value, base),
                        }
                    })
                    .collect(),
            ),
            span(o.range),
        ),
    }
}
