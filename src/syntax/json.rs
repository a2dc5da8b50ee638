//! Strict JSON into the spanned tree, through jsonc-parser with every relaxation
//! off. On a syntax error the text is read again as YAML (a superset of JSON's flow
//! syntax that tolerates the usual slips: trailing commas, single quotes), so what
//! did parse is still checked.

use jsonc_parser::ast::{ObjectPropName, Value};
use jsonc_parser::{CollectOptions, ParseOptions};

use super::{Entry, Node, NodeKind, Parsed, ScalarKind, Span, MAX_DEPTH};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;

pub(super) fn parse(text: &str) -> Parsed {
    let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &text[base..];
    if let Some(at) = too_deep(body) {
        return Parsed {
            diagnostics: vec![Diagnostic::new(
                Code::InvalidSyntax,
                Span::empty(at + base),
                format!("invalid JSON: nesting deeper than {MAX_DEPTH} levels"),
            )],
            damaged: vec![Span::new(base, text.len())],
            ..Parsed::default()
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
            ..Parsed::default()
        },
        Err(e) => {
            let range = e.range();
            let span = Span::new(range.start + base, range.end + base);
            let error = Diagnostic::new(
                Code::InvalidSyntax,
                span,
                format!("invalid JSON: {}", e.kind()),
            );
            let mut recovered = super::yaml::parse(text);
            let yaml_ok = !recovered
                .diagnostics
                .iter()
                .any(|d| d.code == Code::InvalidSyntax);
            recovered
                .diagnostics
                .retain(|d| d.code != Code::InvalidSyntax);
            recovered.diagnostics.insert(0, error);
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

fn convert(value: &Value, base: usize) -> Node {
    let span = |r: jsonc_parser::common::Range| Span::new(r.start + base, r.end + base);
    match value {
        Value::StringLit(s) => {
            Node::scalar(s.value.to_string(), ScalarKind::Str, true, span(s.range))
        }
        Value::NumberLit(n) => {
            let kind = match n.value.parse::<i64>() {
                Ok(i) => ScalarKind::Int(i),
                Err(_) => n
                    .value
                    .parse::<f64>()
                    .map_or(ScalarKind::Str, ScalarKind::Float),
            };
            Node::scalar(n.value, kind, false, span(n.range))
        }
        Value::BooleanLit(b) => {
            let text = if b.value { "true" } else { "false" };
            Node::scalar(text, ScalarKind::Bool(b.value), false, span(b.range))
        }
        Value::NullKeyword(n) => Node::scalar("null", ScalarKind::Null, false, span(n.range)),
        Value::Array(a) => Node {
            kind: NodeKind::Seq(a.elements.iter().map(|v| convert(v, base)).collect()),
            span: span(a.range),
        },
        Value::Object(o) => Node {
            kind: NodeKind::Map(
                o.properties
                    .iter()
                    .map(|p| {
                        let key = match &p.name {
                            ObjectPropName::String(s) => Node::scalar(
                                s.value.to_string(),
                                ScalarKind::Str,
                                true,
                                span(s.range),
                            ),
                            ObjectPropName::Word(w) => {
                                Node::scalar(w.value, ScalarKind::Str, false, span(w.range))
                            }
                        };
                        Entry {
                            key,
                            value: convert(&p.value, base),
                        }
                    })
                    .collect(),
            ),
            span: span(o.range),
        },
    }
}
