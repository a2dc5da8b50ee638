//! The parsed tree as the editor features read it: what is at an offset and along
//! which path, which paths hold references and registry ids (asked of the id table,
//! `crate::model::ids`), and one-line summaries of local entries.

use super::context::Seg;
use crate::model::ids::{self, IdRole, LocalKind};
use crate::syntax::{Node, NodeKind, Span};

/// A key or scalar value at an offset.
pub struct Hit<'n> {
    /// From the root to the node (a key's path ends with the key).
    pub path: Vec<Seg>,
    pub node: &'n Node,
    pub is_key: bool,
    /// The collections from the root down to the one holding the node.
    pub parents: Vec<&'n Node>,
}

impl<'n> Hit<'n> {
    /// The mapping holding the node (a key's own mapping, or a value's).
    pub fn map(&self) -> Option<&'n Node> {
        self.parents
            .last()
            .copied()
            .filter(|p| p.as_map().is_some())
    }
}

/// The key or scalar value at `offset`.
pub fn locate(root: &Node, offset: usize) -> Option<Hit<'_>> {
    let mut node = root;
    let mut path = Vec::new();
    let mut parents = Vec::new();
    loop {
        match &node.kind {
            NodeKind::Scalar(_) => {
                return node.span.contains(offset).then_some(Hit {
                    path,
                    node,
                    is_key: false,
                    parents,
                });
            }
            NodeKind::Map(entries) => {
                if let Some(e) = entries.iter().find(|e| e.key.span.contains(offset)) {
                    parents.push(node);
                    path.push(Seg::Key(e.key_text().unwrap_or("").to_string()));
                    return Some(Hit {
                        path,
                        node: &e.key,
                        is_key: true,
                        parents,
                    });
                }
                let e = entries.iter().find(|e| e.value.span.contains(offset))?;
                parents.push(node);
                path.push(Seg::Key(e.key_text().unwrap_or("").to_string()));
                node = &e.value;
            }
            NodeKind::Seq(items) => {
                let item = items.iter().find(|n| n.span.contains(offset))?;
                parents.push(node);
                path.push(Seg::Item);
                node = item;
            }
        }
    }
}

/// A scalar's span without its quotes.
pub fn inner(text: &str, span: Span) -> Span {
    let s = text.get(span.start..span.end).unwrap_or("");
    let b = s.as_bytes();
    if b.len() >= 2 && (b[0] == b'"' || b[0] == b'\'') && b[b.len() - 1] == b[0] {
        Span::new(span.start + 1, span.end - 1)
    } else {
        span
    }
}

/// A path as the id table reads it.
fn steps(path: &[Seg]) -> impl Iterator<Item = Option<&str>> + Clone {
    path.iter().map(|s| match s {
        Seg::Key(k) => Some(k.as_str()),
        Seg::Item => None,
    })
}

/// What the value at this path is in the id table (`crate::model::ids`).
pub fn id_role(path: &[Seg]) -> Option<IdRole> {
    ids::role_at(steps(path))
}

/// The kind of local id a value at this path names.
pub fn reference_kind(path: &[Seg]) -> Option<LocalKind> {
    match id_role(path)? {
        IdRole::Names(kind) => Some(kind),
        _ => None,
    }
}

/// The kind of local id an entry's `id` at this path defines.
pub fn definition_kind(path: &[Seg]) -> Option<LocalKind> {
    match id_role(path)? {
        IdRole::Defines(kind) => Some(kind),
        _ => None,
    }
}

/// Paths that hold registry ids: the record's `id`, `related` items,
/// `secondary_ids[].id` and `sources[].registry_id`.
pub fn registry_position(path: &[Seg]) -> bool {
    matches!(id_role(path), Some(IdRole::Registry(_)))
}

/// A value's scalar text.
pub fn text_of<'n>(node: &'n Node, key: &str) -> Option<&'n str> {
    node.get(key)
        .and_then(Node::as_scalar)
        .map(|s| s.text.as_str())
        .filter(|t| !t.is_empty())
}

/// A local entry in one line (for a completion's detail) and in markdown (hover).
pub fn summary(kind: LocalKind, item: &Node) -> (Option<String>, String) {
    let id = text_of(item, "id").unwrap_or("?");
    let head = |t: Option<&str>| match t {
        Some(t) => format!("{} `{id}` · {t}", kind.noun()),
        None => format!("{} `{id}`", kind.noun()),
    };
    let mut md = vec![];
    let mut facts: Vec<String> = vec![];
    let mut fact = |label: &str, key: &str| {
        if let Some(v) = item.get(key) {
            let text = match &v.kind {
                NodeKind::Scalar(s) if !s.text.is_empty() => Some(s.text.clone()),
                NodeKind::Seq(items) => {
                    let names: Vec<String> = items
                        .iter()
                        .filter_map(Node::text)
                        .map(|t| format!("`{t}`"))
                        .collect();
                    (!names.is_empty()).then(|| names.join(", "))
                }
                NodeKind::Map(_) => {
                    let value = v.get("value").and_then(Node::text);
                    let unit = v.get("unit").and_then(Node::text);
                    match (value, unit) {
                        (Some(a), Some(b)) => Some(format!("{a} {b}")),
                        _ => None,
                    }
                }
                _ => None,
            };
            if let Some(t) = text {
                if t.starts_with('`') {
                    facts.push(format!("{label}: {t}"));
                } else {
                    facts.push(format!("{label}: `{t}`"));
                }
            }
        }
    };
    let (detail, body) = match kind {
        LocalKind::Arm => {
            fact("size", "size");
            fact("interventions", "interventions");
            (text_of(item, "label"), text_of(item, "description"))
        }
        LocalKind::Intervention => {
            fact("route", "route");
            fact("dose", "dose");
            if let Some(s) = item.get("schedule") {
                for (label, key) in [
                    ("doses", "doses"),
                    ("interval", "interval"),
                    ("duration", "duration"),
                ] {
                    if let Some(t) = text_of(s, key) {
                        facts.push(format!("{label}: `{t}`"));
                    }
                }
            }
            (text_of(item, "name"), None)
        }
        LocalKind::Outcome => {
            fact("quantity", "quantity");
            fact("unit", "unit");
            fact("time frame", "time_frame");
            (text_of(item, "title"), None)
        }
        LocalKind::Source => {
            for key in ["url", "doi", "pmid", "pmcid", "registry_id", "published"] {
                fact(key, key);
            }
            (text_of(item, "title").or(text_of(item, "publisher")), None)
        }
        LocalKind::Cohort => {
            fact("size", "size");
            fact("dose", "dose");
            fact("donor", "donor");
            (text_of(item, "label"), text_of(item, "description"))
        }
    };
    let type_key = match kind {
        LocalKind::Source => "kind",
        // A cohort has no type.
        LocalKind::Cohort => "",
        _ => "type",
    };
    md.push(head(text_of(item, type_key)));
    if let Some(d) = detail {
        md.push(d.to_string());
    }
    if let Some(b) = body {
        md.push(b.to_string());
    }
    if !facts.is_empty() {
        md.push(facts.join(" · "));
    }
    (detail.map(String::from), md.join("\n\n"))
}
