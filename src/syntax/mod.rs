//! YAML and JSON into one spanned tree. Every key and value knows its byte range
//! and how it was written (scalar and collection style, and the alias it was
//! reached through); parsing is error-tolerant: syntax errors are returned beside
//! the tree as [`SyntaxError`]s (the engine turns them into `TRF001`–`TRF003`) and
//! whatever did parse is still returned for checking.
//!
//! This module is a leaf: it imports nothing else of the crate. [`edit`] is the one
//! place that writes YAML or JSON text.

pub mod edit;
pub mod instance;
mod json;
mod text;
mod yaml;

use std::collections::HashMap;

pub use text::{clamp_to_char_boundary, LineIndex, Span};

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

/// How a scalar was written. JSON strings are `DoubleQuoted`; JSON numbers, `true`,
/// `false` and `null` are `Plain`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    /// `|` block scalar.
    Literal,
    /// `>` block scalar.
    Folded,
}

/// How a mapping or a list was written: indented lines, or `{...}` / `[...]`
/// (every JSON object and array is `Flow`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CollectionStyle {
    #[default]
    Block,
    Flow,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scalar {
    /// The value after escapes and folding; for plain scalars the source text.
    pub text: String,
    pub kind: ScalarKind,
    pub style: ScalarStyle,
}

impl Scalar {
    /// Written with quotes (or as a YAML block scalar): never read as a number.
    pub fn quoted(&self) -> bool {
        self.style != ScalarStyle::Plain
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    Map(Vec<Entry>),
    Seq(Vec<Node>),
    Scalar(Scalar),
}

/// Where a node reached through a YAML alias (`*name`) was defined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alias {
    /// The anchor's name, without `&`.
    pub name: String,
    /// The `&name` token.
    pub anchor: Span,
    /// The anchored node's own span: where an edit of this value must go.
    pub target: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    /// For a node reached through an alias, the `*name` token; the nodes inside it
    /// keep the spans of the anchored text.
    pub span: Span,
    /// Block or flow: for a mapping or list how it is written; for a scalar, the
    /// style of the collection it sits in (plain text in a flow collection may not
    /// hold `, [ ] { }`).
    pub style: CollectionStyle,
    /// Set when this node is an alias's copy of an anchored node.
    pub alias: Option<Box<Alias>>,
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
    /// A node written in block style, not reached through an alias.
    pub fn new(kind: NodeKind, span: Span) -> Node {
        Node {
            kind,
            span,
            style: CollectionStyle::Block,
            alias: None,
        }
    }
    pub fn map(entries: Vec<Entry>, span: Span) -> Node {
        Node::new(NodeKind::Map(entries), span)
    }
    pub fn seq(items: Vec<Node>, span: Span) -> Node {
        Node::new(NodeKind::Seq(items), span)
    }
    pub fn scalar(
        text: impl Into<String>,
        kind: ScalarKind,
        style: ScalarStyle,
        span: Span,
    ) -> Node {
        Node::new(
            NodeKind::Scalar(Scalar {
                text: text.into(),
                kind,
                style,
            }),
            span,
        )
    }
    pub fn null(span: Span) -> Node {
        Node::scalar("", ScalarKind::Null, ScalarStyle::Plain, span)
    }
    pub fn with_style(mut self, style: CollectionStyle) -> Node {
        self.style = style;
        self
    }
    pub fn is_flow(&self) -> bool {
        self.style == CollectionStyle::Flow
    }
    /// The span of the text that defines this value: the anchored node for an
    /// alias, else the node itself. Findings about the value and edits of it go here.
    pub fn source_span(&self) -> Span {
        self.alias.as_ref().map_or(self.span, |a| a.target)
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
                let mut map = serde_json::Map::with_capacity(entries.len());
                for e in entries {
                    if let Some(k) = e.key_text() {
                        // One hash per key; a later duplicate is left out.
                        if let serde_json::map::Entry::Vacant(slot) = map.entry(k) {
                            slot.insert(e.value.to_json());
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

/// A `# trls: ignore` directive, as written (the one reader of its form, for the
/// suppressions the checks honour and the editor's "ignore this" edit).
#[derive(Debug, PartialEq, Eq)]
pub struct IgnoreDirective<'c> {
    /// The codes of `ignore[A, B]`, trimmed, as written; `None` for a bare
    /// `ignore` (or `ignore because ...`), which silences every rule on its line.
    pub codes: Option<Vec<&'c str>>,
    /// What follows the code list's `]` (empty when there is no list).
    pub rest: &'c str,
}

impl Comment {
    /// Whether the comment is a `trls:` directive of any kind (cheap: tells a batch
    /// whether a record needs its line index for suppressions at all).
    pub fn is_directive(&self) -> bool {
        self.text.trim().starts_with("trls:")
    }

    /// The comment as a `trls: ignore` directive; `None` when it is not one.
    pub fn ignore_directive(&self) -> Option<IgnoreDirective<'_>> {
        let rest = self.text.trim().strip_prefix("trls:")?.trim_start();
        let rest = rest.strip_prefix("ignore")?.trim_start();
        let Some(list) = rest.strip_prefix('[') else {
            return Some(IgnoreDirective {
                codes: None,
                rest: "",
            });
        };
        // An unclosed list lists what it holds.
        let (list, rest) = list.split_once(']').unwrap_or((list, ""));
        let codes = list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        Some(IgnoreDirective {
            codes: Some(codes),
            rest,
        })
    }
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

/// What kind of problem a [`SyntaxError`] is (the engine's `TRF001`, `TRF002`,
/// `TRF003`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyntaxErrorKind {
    /// The text is not valid YAML or JSON.
    Invalid,
    /// A later occurrence of `key` in one mapping; `first` is the first one's key.
    DuplicateKey { key: String, first: Span },
    /// Valid YAML that a record may not use (custom tags, several documents, alias
    /// expansion beyond the limit, non-scalar keys).
    Unsupported,
}

/// A problem found while parsing, with the words a curator reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub kind: SyntaxErrorKind,
    pub span: Span,
    pub message: String,
}

impl SyntaxError {
    pub fn new(kind: SyntaxErrorKind, span: Span, message: impl Into<String>) -> SyntaxError {
        SyntaxError {
            kind,
            span,
            message: message.into(),
        }
    }
}

/// The result of parsing one document.
#[derive(Debug)]
pub struct Parsed {
    /// `None` for an empty document.
    pub root: Option<Node>,
    /// The syntax the document was read as (and is written back in by [`edit`]).
    pub syntax: Syntax,
    pub comments: Vec<Comment>,
    pub errors: Vec<SyntaxError>,
    /// Regions the parser could not read. A mapping overlapping one is incomplete,
    /// so missing-key checks skip it.
    pub damaged: Vec<Span>,
}

impl Default for Parsed {
    fn default() -> Self {
        Parsed::empty(Syntax::Yaml)
    }
}

impl Parsed {
    pub fn empty(syntax: Syntax) -> Parsed {
        Parsed {
            root: None,
            syntax,
            comments: Vec::new(),
            errors: Vec::new(),
            damaged: Vec::new(),
        }
    }
    pub fn is_damaged(&self, span: Span) -> bool {
        self.damaged
            .iter()
            .any(|d| d.start <= span.end && span.start <= d.end)
    }
}

/// Parse a document. Never panics; every problem becomes a [`SyntaxError`].
pub fn parse(text: &str, syntax: Syntax) -> Parsed {
    let mut parsed = match syntax {
        Syntax::Yaml => yaml::parse(text),
        Syntax::Json => json::parse(text),
    };
    parsed.syntax = syntax;
    if let Some(root) = &parsed.root {
        duplicate_keys(root, &mut parsed.errors);
    }
    parsed
}

/// Every later occurrence of a key in a mapping. One hash set per mapping, so
/// linear in the number of keys. Nodes copied by an alias are the anchored node's
/// (already reported there) and are not walked again.
fn duplicate_keys(node: &Node, out: &mut Vec<SyntaxError>) {
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        if node.alias.is_some() {
            continue;
        }
        match &node.kind {
            NodeKind::Map(entries) => {
                // A record's mappings are small: there a scan of the keys before is
                // cheaper than hashing; a long mapping gets a hash map (linear).
                let small = entries.len() <= 16;
                let mut first: HashMap<&str, Span> = HashMap::new();
                for (i, e) in entries.iter().enumerate() {
                    if let Some(k) = e.key_text() {
                        let before = if small {
                            entries[..i]
                                .iter()
                                .find(|p| p.key_text() == Some(k))
                                .map(|p| p.key.span)
                        } else {
                            first.get(k).copied()
                        };
                        match before {
                            Some(at) => out.push(SyntaxError::new(
                                SyntaxErrorKind::DuplicateKey {
                                    key: k.to_string(),
                                    first: at,
                                },
                                e.key.span,
                                format!(
                                    "duplicate key `{k}`; the first occurrence is the one checked"
                                ),
                            )),
                            None if !small => {
                                first.insert(k, e.key.span);
                            }
                            None => {}
                        }
                    }
                }
                stack.extend(entries.iter().rev().map(|e| &e.value));
            }
            NodeKind::Seq(items) => stack.extend(items.iter().rev()),
            NodeKind::Scalar(_) => {}
        }
    }
}

/// The line (0-based) a comment directive such as `# trls: ignore[...]` applies to:
/// its own line when it trails content, else the next line with content (comment
/// lines and blank lines skipped).
pub fn directive_line(text: &str, lines: &LineIndex, comment: Span) -> usize {
    let line = lines.line_of(comment.start);
    let before = text
        .get(lines.line_start(line)..comment.start)
        .unwrap_or("");
    if !before.trim().is_empty() {
        return line;
    }
    let mut next = line + 1;
    while next < lines.line_count() {
        let t = lines.line_text(text, next).trim();
        if !t.is_empty() && !t.starts_with('#') {
            break;
        }
        next += 1;
    }
    next
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
    fn ignore_directives_are_read_in_every_spelling() {
        let read = |text: &str| {
            let c = Comment {
                span: Span::empty(0),
                text: text.to_string(),
            };
            c.ignore_directive()
                .map(|d| (d.codes.map(|c| c.join("|")), d.rest.to_string()))
        };
        let some = |codes: &str, rest: &str| Some((Some(codes.to_string()), rest.to_string()));
        assert_eq!(
            read(" trls: ignore[TRF013, trf203] by hand"),
            some("TRF013|trf203", " by hand")
        );
        assert_eq!(read("trls:ignore [TRF013]"), some("TRF013", ""));
        assert_eq!(read(" trls: ignore[TRF013, TRF2"), some("TRF013|TRF2", ""));
        assert_eq!(
            read(" trls: ignore because it is so"),
            Some((None, String::new()))
        );
        assert_eq!(read(" trls: format off"), None);
        assert_eq!(read(" ignore[TRF013]"), None);
    }

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
