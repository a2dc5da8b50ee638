//! YAML and JSON into one spanned tree. Every key and value knows its byte range;
//! parsing is error-tolerant: syntax errors become `TRF001` findings and whatever
//! did parse is still returned for checking.

mod json;
mod text;
mod yaml;

pub use text::{clamp_to_char_boundary, LineIndex, Span};

use crate::codes::Code;
use crate::diagnostic::Diagnostic;

/// Deepest nesting of collections accepted from either syntax. Deeper input is a
/// syntax error rather than a risk to the stack.
pub const MAX_DEPTH: usize = 256;
/// Most nodes that alias expansion may add to one document (`TRF003` beyond).
pub const MAX_ALIAS_NODES: usize = 10_000;

/// The scalar's type as YAML 1.2's core schema (or JSON) reads it. Rules that judge
/// a scalar by its source text use [`Scalar::text`] instead.
#[derive(Clone, Debug, PartialEq)]
pub enum ScalarKind {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scalar {
    /// The value after escapes and folding; for plain scalars the source text.
    pub text: String,
    pub kind: ScalarKind,
    /// Written with quotes (or as a YAML block scalar): never read as a number.
    pub quoted: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    Map(Vec<Entry>),
    Seq(Vec<Node>),
    Scalar(Scalar),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

impl Entry {
    /// The key's text (keys that are not scalars have none).
    pub fn key_text(&self) -> Option<&str> {
        self.key.as_scalar().map(|s| s.text.as_str())
    }
}

impl Node {
    pub fn scalar(text: impl Into<String>, kind: ScalarKind, quoted: bool, span: Span) -> Node {
        Node {
            kind: NodeKind::Scalar(Scalar {
                text: text.into(),
                kind,
                quoted,
            }),
            span,
        }
    }
    pub fn null(span: Span) -> Node {
        Node::scalar("", ScalarKind::Null, false, span)
    }
    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.kind {
            NodeKind::Scalar(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.kind {
            NodeKind::Map(e) => Some(e),
            _ => None,
        }
    }
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Seq(items) => Some(items),
            _ => None,
        }
    }
    /// The first entry with this key; later duplicates are `TRF002` and ignored.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().find(|e| e.key_text() == Some(key))
    }
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }
    /// Scalar text of a string-ish value.
    pub fn text(&self) -> Option<&str> {
        self.as_scalar().map(|s| s.text.as_str())
    }

    /// The scalar node whose span is exactly `span`, searching this subtree.
    pub fn pointer_at(&self, span: Span) -> Option<&Node> {
        if self.span == span && self.as_scalar().is_some() {
            return Some(self);
        }
        if self.span.start > span.start || self.span.end < span.end {
            return None;
        }
        match &self.kind {
            NodeKind::Scalar(_) => None,
            NodeKind::Seq(items) => items.iter().find_map(|n| n.pointer_at(span)),
            NodeKind::Map(entries) => entries
                .iter()
                .find_map(|e| e.key.pointer_at(span).or_else(|| e.value.pointer_at(span))),
        }
    }

    /// Number of nodes in this subtree (keys included).
    pub fn count(&self) -> usize {
        match &self.kind {
            NodeKind::Scalar(_) => 1,
            NodeKind::Seq(items) => 1 + items.iter().map(Node::count).sum::<usize>(),
            NodeKind::Map(entries) => {
                1 + entries
                    .iter()
                    .map(|e| e.key.count() + e.value.count())
                    .sum::<usize>()
            }
        }
    }

    /// Resolve a JSON pointer (as the validator reports instance paths). Returns the
    /// node and, where the node is a mapping value, the entry's key node.
    pub fn pointer(&self, pointer: &str) -> Option<(&Node, Option<&Node>)> {
        let mut node = self;
        let mut key = None;
        if pointer.is_empty() {
            return Some((node, None));
        }
        for raw in pointer.strip_prefix('/')?.split('/') {
            let token = raw.replace("~1", "/").replace("~0", "~");
            match &node.kind {
                NodeKind::Map(_) => {
                    let entry = node.entry(&token)?;
                    key = Some(&entry.key);
                    node = &entry.value;
                }
                NodeKind::Seq(items) => {
                    node = items.get(token.parse::<usize>().ok()?)?;
                    key = None;
                }
                NodeKind::Scalar(_) => return None,
            }
        }
        Some((node, key))
    }

    /// The JSON value the validator sees: first occurrence of duplicate keys wins,
    /// scalars typed by YAML 1.2's core schema (or JSON).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.kind {
            NodeKind::Scalar(s) => match s.kind {
                ScalarKind::Null => Value::Null,
                ScalarKind::Bool(b) => Value::Bool(b),
                ScalarKind::Int(i) => Value::from(i),
                ScalarKind::Float(f) => serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .unwrap_or_else(|| Value::String(s.text.clone())),
                ScalarKind::Str => Value::String(s.text.clone()),
            },
            NodeKind::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeKind::Map(entries) => {
                let mut map = serde_json::Map::new();
                for e in entries {
                    if let Some(k) = e.key_text() {
                        if !map.contains_key(k) {
                            map.insert(k.to_string(), e.value.to_json());
                        }
                    }
                }
                Value::Object(map)
            }
        }
    }
}

/// A source comment (YAML only), kept for suppressions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    pub span: Span,
    /// Text after `#`.
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Yaml,
    Json,
}

impl Syntax {
    /// By file name: `.json` is JSON, everything else YAML.
    pub fn from_path(path: &std::path::Path) -> Syntax {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("json") => Syntax::Json,
            _ => Syntax::Yaml,
        }
    }
}

/// The result of parsing one document.
#[derive(Debug, Default)]
pub struct Parsed {
    /// `None` for an empty document.
    pub root: Option<Node>,
    pub comments: Vec<Comment>,
    /// TRF001, TRF002, TRF003.
    pub diagnostics: Vec<Diagnostic>,
    /// Regions the parser could not read. A mapping overlapping one is incomplete,
    /// so missing-key checks skip it.
    pub damaged: Vec<Span>,
}

impl Parsed {
    pub fn is_damaged(&self, span: Span) -> bool {
        self.damaged
            .iter()
            .any(|d| d.start <= span.end && span.start <= d.end)
    }
}

/// Parse a document. Never panics; every problem becomes a diagnostic.
pub fn parse(text: &str, syntax: Syntax) -> Parsed {
    let mut parsed = match syntax {
        Syntax::Yaml => yaml::parse(text),
        Syntax::Json => json::parse(text),
    };
    if let Some(root) = &parsed.root {
        duplicate_keys(root, &mut parsed.diagnostics);
    }
    parsed
}

/// `TRF002` on every later occurrence of a key, the first as related information.
fn duplicate_keys(node: &Node, out: &mut Vec<Diagnostic>) {
    match &node.kind {
        NodeKind::Map(entries) => {
            for (i, e) in entries.iter().enumerate() {
                if let Some(k) = e.key_text() {
                    if let Some(first) = entries[..i].iter().find(|p| p.key_text() == Some(k)) {
                        out.push(
                            Diagnostic::new(
                                Code::DuplicateKey,
                                e.key.span,
                                format!(
                                    "duplicate key `{k}`; the first occurrence is the one checked"
                                ),
                            )
                            .with_related(first.key.span, format!("first `{k}` is here")),
                        );
                    }
                }
                duplicate_keys(&e.value, out);
            }
        }
        NodeKind::Seq(items) => items.iter().for_each(|n| duplicate_keys(n, out)),
        NodeKind::Scalar(_) => {}
    }
}

/// Resolve a YAML plain scalar by the YAML 1.2 core schema. Hand-written because it
/// is a dozen lines of the spec (10.3.2) and no crate exposes just this.
pub fn resolve_plain(text: &str) -> ScalarKind {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return ScalarKind::Null,
        "true" | "True" | "TRUE" => return ScalarKind::Bool(true),
        "false" | "False" | "FALSE" => return ScalarKind::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return ScalarKind::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return ScalarKind::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return ScalarKind::Float(f64::NAN),
        _ => {}
    }
    let bytes = text.as_bytes();
    let digits =
        |s: &[u8], radix: u32| !s.is_empty() && s.iter().all(|b| (*b as char).is_digit(radix));
    if let Some(oct) = text.strip_prefix("0o") {
        if digits(oct.as_bytes(), 8) {
            return i64::from_str_radix(oct, 8).map_or(ScalarKind::Str, ScalarKind::Int);
        }
    }
    if let Some(hex) = text.strip_prefix("0x") {
        if digits(hex.as_bytes(), 16) {
            return i64::from_str_radix(hex, 16).map_or(ScalarKind::Str, ScalarKind::Int);
        }
    }
    let unsigned = match bytes.first() {
        Some(b'-' | b'+') => &bytes[1..],
        _ => bytes,
    };
    if digits(unsigned, 10) {
        return match text.parse::<i64>() {
            Ok(i) => ScalarKind::Int(i),
            Err(_) => text
                .parse::<f64>()
                .map_or(ScalarKind::Str, ScalarKind::Float),
        };
    }
    if is_core_float(unsigned) {
        if let Ok(f) = text.parse::<f64>() {
            return ScalarKind::Float(f);
        }
    }
    ScalarKind::Str
}

/// `( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
fn is_core_float(s: &[u8]) -> bool {
    let mut i = 0;
    let int_digits = s.iter().take_while(|b| b.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if s.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = s[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(s.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exp = s[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == s.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_schema_keeps_yaml11_words_as_strings() {
        for s in [
            "no",
            "yes",
            "on",
            "off",
            "y",
            "N",
            "2025-05-30",
            "10.1038/x",
            "1_000",
        ] {
            assert_eq!(resolve_plain(s), ScalarKind::Str, "{s}");
        }
        assert_eq!(resolve_plain("2024"), ScalarKind::Int(2024));
        assert_eq!(resolve_plain("-3"), ScalarKind::Int(-3));
        assert_eq!(resolve_plain("2.59"), ScalarKind::Float(2.59));
        assert_eq!(resolve_plain("1e9"), ScalarKind::Float(1e9));
        assert_eq!(resolve_plain(".5"), ScalarKind::Float(0.5));
        assert_eq!(resolve_plain("0x1F"), ScalarKind::Int(31));
        assert_eq!(resolve_plain("false"), ScalarKind::Bool(false));
        assert_eq!(resolve_plain("~"), ScalarKind::Null);
        assert_eq!(resolve_plain("1."), ScalarKind::Float(1.0));
        assert_eq!(resolve_plain("."), ScalarKind::Str);
        assert_eq!(resolve_plain("1e"), ScalarKind::Str);
    }
}
