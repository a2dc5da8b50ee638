//! The spanned tree as an instance the JSON Schema validator reads in place
//! (jsonschema's `json::Json` traits), so that a record is judged without first
//! being copied into `serde_json` values: that copy, its hashing and its drop were
//! about a seventh of a check's instructions, and a second copy of a large file in
//! memory.
//!
//! The view answers as [`Node::to_json`] would: scalars by their YAML 1.2
//! core-schema kind, a float that is not finite as its text, keys that are not
//! scalars left out. One difference: `to_json` keeps the first of duplicate keys,
//! and this view has them all. A tree with duplicate keys (a syntax error) must be
//! judged on the `serde_json` copy; [`judged_in_place`] says which trees may be.

use std::borrow::Cow;

use jsonschema::json::{Array, Json, JsonNumber, Node as JsonNode, NodeIdentity, Object};
use jsonschema::JsonType;
use serde_json::Value;

use super::{Entry, Node, NodeKind, ScalarKind, Span};

/// The representation: instances are `&Node`.
pub struct Tree;

/// Scratch for property names judged as strings (`propertyNames`).
#[derive(Default)]
pub struct NameBuffer(Option<Node>);

impl Json for Tree {
    type Node<'a> = &'a Node;
    type PreparedKey = String;
    type StringBuffer = NameBuffer;
    // Lookups scan a mapping's entries; a record's mappings are short, and a pass
    // over its members costs no more than a few lookups.
    const KEYS_PER_LOOKUP: usize = 4;

    fn prepare_key(key: &str) -> String {
        key.to_string()
    }

    fn with_string_node<T>(buffer: &mut NameBuffer, string: &str, f: impl FnOnce(&Node) -> T) -> T {
        let node = buffer.0.insert(Node::new(
            NodeKind::Scalar(super::Scalar {
                text: string.to_string(),
                kind: ScalarKind::Str,
                style: super::ScalarStyle::DoubleQuoted,
            }),
            Span::empty(0),
        ));
        f(node)
    }
}

/// A number as the tree holds it: an integer, or a finite float.
pub enum Number {
    Int(i64),
    Float(f64),
}

impl JsonNumber for Number {
    fn as_u64(&self) -> Option<u64> {
        match *self {
            Number::Int(i) => u64::try_from(i).ok(),
            Number::Float(_) => None,
        }
    }

    fn as_i64(&self) -> Option<i64> {
        match *self {
            Number::Int(i) => Some(i),
            Number::Float(_) => None,
        }
    }

    fn as_f64(&self) -> Option<f64> {
        Some(match *self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        })
    }

    fn as_str(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_number().to_string())
    }

    fn to_number(&self) -> Cow<'_, serde_json::Number> {
        Cow::Owned(match *self {
            Number::Int(i) => serde_json::Number::from(i),
            // Only finite floats are numbers here (see `as_number`).
            Number::Float(f) => {
                serde_json::Number::from_f64(f).unwrap_or_else(|| serde_json::Number::from(0))
            }
        })
    }

    fn is_written_as_integer(&self) -> bool {
        // As serde_json holds it: an `Int` is an integer, a float is not.
        matches!(self, Number::Int(_))
    }
}

fn number(node: &Node) -> Option<Number> {
    match &node.kind {
        NodeKind::Scalar(s) => match s.kind {
            ScalarKind::Int(i) => Some(Number::Int(i)),
            ScalarKind::Float(f) if f.is_finite() => Some(Number::Float(f)),
            _ => None,
        },
        _ => None,
    }
}

impl<'a> JsonNode<'a, Tree> for &'a Node {
    type Object = Members<'a>;
    type Array = &'a [Node];
    type Number = Number;

    fn as_object(&self) -> Option<Members<'a>> {
        match &self.kind {
            NodeKind::Map(entries) => Some(Members(entries)),
            _ => None,
        }
    }

    fn as_array(&self) -> Option<&'a [Node]> {
        match &self.kind {
            NodeKind::Seq(items) => Some(items),
            _ => None,
        }
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        match &self.kind {
            NodeKind::Scalar(s) => match s.kind {
                ScalarKind::Str => Some(Cow::Borrowed(&s.text)),
                ScalarKind::Float(f) if !f.is_finite() => Some(Cow::Borrowed(&s.text)),
                _ => None,
            },
            _ => None,
        }
    }

    fn as_number(&self) -> Option<Number> {
        number(self)
    }

    fn as_boolean(&self) -> Option<bool> {
        match &self.kind {
            NodeKind::Scalar(s) => match s.kind {
                ScalarKind::Bool(b) => Some(b),
                _ => None,
            },
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar(s) if s.kind == ScalarKind::Null)
    }

    fn json_type(&self) -> JsonType {
        match &self.kind {
            NodeKind::Map(_) => JsonType::Object,
            NodeKind::Seq(_) => JsonType::Array,
            NodeKind::Scalar(s) => match s.kind {
                ScalarKind::Null => JsonType::Null,
                ScalarKind::Bool(_) => JsonType::Boolean,
                ScalarKind::Int(_) => JsonType::Number,
                ScalarKind::Float(f) if f.is_finite() => JsonType::Number,
                ScalarKind::Float(_) | ScalarKind::Str => JsonType::String,
            },
        }
    }

    fn to_value(&self) -> Cow<'a, Value> {
        Cow::Owned(self.to_json())
    }

    fn identity(&self) -> Option<NodeIdentity> {
        Some(NodeIdentity::new(std::ptr::from_ref::<Node>(*self) as usize))
    }
}

/// Whether a parse's tree may be validated in place: it has no syntax error (so no
/// duplicate key, see the module header).
pub fn judged_in_place(parsed: &super::Parsed) -> bool {
    parsed.errors.is_empty()
}

/// A mapping's entries with a scalar key.
#[derive(Clone, Copy)]
pub struct Members<'a>(&'a [Entry]);

impl<'a> Object<'a, Tree> for Members<'a> {
    type Node = &'a Node;
    type MemberName = &'a str;
    type MembersIter = MembersIter<'a>;

    fn len(&self) -> usize {
        self.members().count()
    }

    fn get(&self, key: &String) -> Option<&'a Node> {
        self.0
            .iter()
            .find(|e| e.key_text() == Some(key))
            .map(|e| &e.value)
    }

    fn members(&self) -> MembersIter<'a> {
        MembersIter { all: *self, at: 0 }
    }
}

pub struct MembersIter<'a> {
    all: Members<'a>,
    at: usize,
}

impl<'a> Iterator for MembersIter<'a> {
    type Item = (&'a str, &'a Node);

    fn next(&mut self) -> Option<Self::Item> {
        let entries = self.all.0;
        while let Some(e) = entries.get(self.at) {
            self.at += 1;
            if let Some(key) = e.key_text() {
                return Some((key, &e.value));
            }
        }
        None
    }
}

impl<'a> Array<'a, Tree> for &'a [Node] {
    type Node = &'a Node;
    type ElementsIter = std::slice::Iter<'a, Node>;

    fn len(&self) -> usize {
        <[Node]>::len(self)
    }

    fn elements(&self) -> std::slice::Iter<'a, Node> {
        self.iter()
    }
}
