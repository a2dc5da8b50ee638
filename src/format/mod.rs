//! The formatter shared by `trls fmt` and the language server's formatting
//! requests: the canonical layout of `interfaces.md` (*Formatting*), decided here
//! and written by the edit layer ([`crate::syntax::edit::layout`]), never by
//! re-serialising the record.
//!
//! Keys go in the order the schema lists its properties (`schema/trf-1.schema.json`,
//! read generically through `$ref`, `allOf`/`anyOf`/`oneOf`, `if`/`then`/`else`
//! and `items`, so a key added to the schema is placed without a change here);
//! keys the schema does not know follow the known ones in their order.
//!
//! Every result is checked before it is returned: it must parse without errors,
//! hold the same values (every scalar with the same text and quoting, every alias
//! naming the same anchor), the same comments, and lay out to itself. A layout
//! that fails the check is refused with the reason, and nothing changes.

use crate::schema::Schema;
use crate::syntax::edit::layout::{self, KeyOrder, Options};
use crate::syntax::edit::TextEdit;
use crate::syntax::{parse, LineIndex, Node, NodeKind, Parsed, Span, Syntax, SyntaxErrorKind};

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use serde_json::Value;

/// Why a record was not formatted (nothing was changed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormatError {
    /// The record does not parse: line (1-based) and the parser's message.
    Syntax { line: usize, message: String },
    /// A layout the formatter does not change, or a result that failed the check.
    Layout(String),
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormatError::Syntax { line, message } => write!(
                f,
                "not formatted: the record does not parse (line {line}: {message})"
            ),
            FormatError::Layout(why) => write!(f, "not formatted: {why}"),
        }
    }
}

/// The schema's property order, as a cursor into the schema. What a schema node
/// says about its keys is worked out once per node and shared by every cursor
/// made from the same root (a record's mappings are many, the schema's few).
#[derive(Clone)]
pub struct SchemaOrder<'s> {
    root: &'s Value,
    at: Option<Rc<Keys<'s>>>,
    cache: Rc<RefCell<HashMap<*const Value, Rc<Keys<'s>>>>>,
}

/// The keys a schema node knows, merged over `$ref`s and combinators.
struct Keys<'s> {
    /// Property names in the schema's order (first occurrence).
    rank: HashMap<&'s str, usize>,
    /// Each property's schema (the first one found).
    props: HashMap<&'s str, &'s Value>,
    additional: Option<&'s Value>,
    items: Option<&'s Value>,
}

/// Follow `$ref`s and combinators so far at most.
const MAX_SCHEMA_DEPTH: usize = 16;

impl<'s> SchemaOrder<'s> {
    pub fn new(schema: &'s Value) -> Self {
        let cache = Rc::new(RefCell::new(HashMap::new()));
        let mut order = SchemaOrder {
            root: schema,
            at: None,
            cache,
        };
        order.at = order.keys(Some(schema));
        order
    }

    fn keys(&self, at: Option<&'s Value>) -> Option<Rc<Keys<'s>>> {
        let at = at?;
        if let Some(k) = self.cache.borrow().get(&(at as *const Value)) {
            return Some(k.clone());
        }
        let mut parts = Vec::new();
        self.gather(at, 0, &mut parts);
        let mut keys = Keys {
            rank: HashMap::new(),
            props: HashMap::new(),
            additional: None,
            items: None,
        };
        for p in parts {
            for (name, schema) in p
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let next = keys.rank.len();
                keys.rank.entry(name.as_str()).or_insert(next);
                keys.props.entry(name.as_str()).or_insert(schema);
            }
            if keys.additional.is_none() {
                keys.additional = p.get("additionalProperties").filter(|a| a.is_object());
            }
            if keys.items.is_none() {
                keys.items = p.get("items").filter(|i| i.is_object());
            }
        }
        let keys = Rc::new(keys);
        self.cache
            .borrow_mut()
            .insert(at as *const Value, keys.clone());
        Some(keys)
    }

    /// The object schemas that make up `v`: itself, what it `$ref`s, and the
    /// branches of its combinators, in the schema's order.
    fn gather(&self, v: &'s Value, depth: usize, out: &mut Vec<&'s Value>) {
        if depth > MAX_SCHEMA_DEPTH || !v.is_object() {
            return;
        }
        out.push(v);
        if let Some(target) = v
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|p| self.root.pointer(p))
        {
            self.gather(target, depth + 1, out);
        }
        for k in ["allOf", "anyOf", "oneOf"] {
            for branch in v.get(k).and_then(Value::as_array).into_iter().flatten() {
                self.gather(branch, depth + 1, out);
            }
        }
        for k in ["then", "else"] {
            if let Some(branch) = v.get(k) {
                self.gather(branch, depth + 1, out);
            }
        }
    }

    fn to(&self, at: Option<&'s Value>) -> Self {
        SchemaOrder {
            root: self.root,
            at: self.keys(at),
            cache: self.cache.clone(),
        }
    }
}

impl KeyOrder for SchemaOrder<'_> {
    fn key(&self, key: &str) -> Self {
        let found = self
            .at
            .as_ref()
            .and_then(|k| k.props.get(key).copied().or(k.additional));
        self.to(found)
    }

    fn item(&self) -> Self {
        self.to(self.at.as_ref().and_then(|k| k.items))
    }

    fn rank(&self, key: &str) -> Option<usize> {
        self.at.as_ref()?.rank.get(key).copied()
    }
}

/// A formatted record.
#[derive(Debug)]
pub struct Formatted {
    pub text: String,
    pub changed: bool,
}

fn parsed_ok(text: &str, syntax: Syntax) -> Result<Parsed, FormatError> {
    let parsed = parse(text, syntax);
    if let Some(e) = parsed
        .errors
        .iter()
        .find(|e| !matches!(e.kind, SyntaxErrorKind::DuplicateKey { .. }))
    {
        let line = LineIndex::new(text).line_of(e.span.start) + 1;
        return Err(FormatError::Syntax {
            line,
            message: e.message.clone(),
        });
    }
    Ok(parsed)
}

const ALIAS_FIRST: &str = "the schema's key order would put an alias before its anchor";

/// Lay out, then check the result (see the module docs). Where the schema's order
/// would put an alias before its anchor, the top-level sections keep their order.
fn checked_layout(
    text: &str,
    syntax: Syntax,
    schema: &Schema,
    options: &Options,
) -> Result<layout::Layout, FormatError> {
    match attempt(text, syntax, schema, options) {
        Err(FormatError::Layout(why)) if why == ALIAS_FIRST && !options.keep_top_order => {
            let keep = Options {
                keep_top_order: true,
                ..*options
            };
            attempt(text, syntax, schema, &keep)
        }
        other => other,
    }
}

fn attempt(
    text: &str,
    syntax: Syntax,
    schema: &Schema,
    options: &Options,
) -> Result<layout::Layout, FormatError> {
    let order = SchemaOrder::new(schema.json());
    let before = parsed_ok(text, syntax)?;
    let out = layout::layout(text, &before, &order, options).map_err(FormatError::Layout)?;
    if out.text == text {
        return Ok(out);
    }
    let refuse = |why: &str| {
        FormatError::Layout(format!(
            "the formatter could not lay this record out safely ({why}); please report it"
        ))
    };
    let after = parse(&out.text, syntax);
    let not_duplicate =
        |e: &&crate::syntax::SyntaxError| !matches!(e.kind, SyntaxErrorKind::DuplicateKey { .. });
    if let Some(e) = after.errors.iter().find(not_duplicate) {
        if e.message.contains("unknown anchor") {
            return Err(FormatError::Layout(ALIAS_FIRST.into()));
        }
        return Err(refuse("its layout does not parse"));
    }
    let sort_top = !options.keep_top_order;
    let same = match (&before.root, &after.root) {
        (Some(a), Some(b)) => same_tree(a, b, &order, sort_top),
        (None, None) => true,
        _ => false,
    };
    if !same {
        return Err(refuse("a value would change"));
    }
    if comment_texts(&before, text) != comment_texts(&after, &out.text) {
        return Err(refuse("a comment would be lost"));
    }
    let again =
        layout::layout(&out.text, &after, &order, options).map_err(|_| refuse("unstable"))?;
    if again.text != out.text {
        return Err(refuse("formatting it again would change it"));
    }
    Ok(out)
}

/// Same values, key for key (entries compared in canonical order; the top level
/// in source order when `sort_top` is false), scalars by text, style and type,
/// aliases by the anchor they name.
fn same_tree<O: KeyOrder>(a: &Node, b: &Node, order: &O, sort_top: bool) -> bool {
    match (&a.alias, &b.alias) {
        (Some(x), Some(y)) => return x.name == y.name,
        (None, None) => {}
        _ => return false,
    }
    match (&a.kind, &b.kind) {
        (NodeKind::Scalar(x), NodeKind::Scalar(y)) => {
            x.text == y.text
                && x.style == y.style
                && format!("{:?}", x.kind) == format!("{:?}", y.kind)
        }
        (NodeKind::Seq(x), NodeKind::Seq(y)) => {
            let inner = order.item();
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_tree(p, q, &inner, true))
        }
        (NodeKind::Map(x), NodeKind::Map(y)) => {
            if x.len() != y.len() {
                return false;
            }
            let (ix, iy): (Vec<usize>, Vec<usize>) = if sort_top {
                (layout::ordered(x, order), layout::ordered(y, order))
            } else {
                ((0..x.len()).collect(), (0..y.len()).collect())
            };
            ix.iter().zip(&iy).all(|(&i, &j)| {
                let (p, q) = (&x[i], &y[j]);
                let inner = order.key(p.key_text().unwrap_or(""));
                same_tree(&p.key, &q.key, order, true)
                    && same_tree(&p.value, &q.value, &inner, true)
            })
        }
        _ => false,
    }
}

/// The canonical layout of a record (`trls fmt`).
pub fn format(text: &str, syntax: Syntax, schema: &Schema) -> Result<Formatted, FormatError> {
    let out = checked_layout(text, syntax, schema, &Options::default())?;
    Ok(Formatted {
        changed: out.text != text,
        text: out.text,
    })
}

/// The edit turning `old` into `new`: their common first and last lines left out.
/// Empty when they are equal.
pub fn edits_between(old: &str, new: &str) -> Vec<TextEdit> {
    if old == new {
        return Vec::new();
    }
    let mut pre = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    pre = old[..pre].rfind('\n').map_or(0, |i| i + 1);
    let max_suf = (old.len() - pre).min(new.len() - pre);
    let mut suf = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_suf)
        .take_while(|(a, b)| a == b)
        .count();
    // Back to the start of a line (just after a line break) in both.
    while suf > 0 && old.len() - suf > pre && old.as_bytes()[old.len() - suf - 1] != b'\n' {
        suf -= 1;
    }
    vec![TextEdit::new(
        Span::new(pre, old.len() - suf),
        &new[pre..new.len() - suf],
    )]
}

/// The edits of document formatting: empty when the record is formatted.
pub fn document_edits(
    text: &str,
    syntax: Syntax,
    schema: &Schema,
) -> Result<Vec<TextEdit>, FormatError> {
    let f = format(text, syntax, schema)?;
    Ok(edits_between(text, &f.text))
}

/// The edits of range formatting: every top-level section the range touches is
/// laid out whole; the sections keep their order (moving one would edit outside
/// the range).
pub fn range_edits(
    text: &str,
    syntax: Syntax,
    schema: &Schema,
    range: Span,
) -> Result<Vec<TextEdit>, FormatError> {
    let options = Options {
        keep_top_order: true,
        ..Options::default()
    };
    let out = checked_layout(text, syntax, schema, &options)?;
    if out.text == text {
        return Ok(Vec::new());
    }
    // Pieces from one key line to the next, in the source and in the output.
    let mut cuts: Vec<(usize, usize)> = vec![(0, 0)];
    cuts.extend(out.sections.iter().skip(1).copied());
    cuts.push((text.len(), out.text.len()));
    let increasing = cuts.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 <= w[1].1);
    if !increasing {
        // Sections that share a line: the range is the whole document.
        return Ok(edits_between(text, &out.text));
    }
    let mut edits = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let last = b.0 == text.len();
        let touched = a.0 <= range.end && (range.start < b.0 || (last && range.start <= b.0));
        if !touched {
            continue;
        }
        let old = &text[a.0..b.0];
        let new = &out.text[a.1..b.1];
        for mut e in edits_between(old, new) {
            e.span = Span::new(e.span.start + a.0, e.span.end + a.0);
            edits.push(e);
        }
    }
    // The sections laid out among the others: the same values and comments, or
    // (should a section depend on its neighbours) the whole document.
    let partial = crate::syntax::edit::apply(text, &edits);
    let (before, after) = (parse(text, syntax), parse(&partial, syntax));
    let order = SchemaOrder::new(schema.json());
    let same = after.errors.len() == before.errors.len()
        && match (&before.root, &after.root) {
            (Some(a), Some(b)) => same_tree(a, b, &order, false),
            _ => false,
        }
        && comment_texts(&before, text) == comment_texts(&after, &partial);
    if !same {
        return Ok(edits_between(text, &out.text));
    }
    Ok(edits)
}

fn comment_texts(p: &Parsed, text: &str) -> Vec<String> {
    let mut v: Vec<String> = p
        .comments
        .iter()
        .map(|c| {
            text.get(c.span.start..c.span.end)
                .unwrap_or("")
                .trim()
                .to_string()
        })
        .collect();
    v.sort();
    v
}

#[cfg(test)]
mod tests;
