//! The record model the rules and the language server share: the local-id index
//! (definitions and references of arms, interventions, outcomes and sources) and the
//! summary a record contributes to the workspace index.

use crate::syntax::{Node, Span};

/// The kinds of local ids a record defines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Arm,
    Intervention,
    Outcome,
    Source,
}

impl Kind {
    /// The top-level list that defines ids of this kind.
    pub fn list(self) -> &'static str {
        match self {
            Kind::Arm => "arms",
            Kind::Intervention => "interventions",
            Kind::Outcome => "outcomes",
            Kind::Source => "sources",
        }
    }
    /// The singular noun, for messages.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Arm => "arm",
            Kind::Intervention => "intervention",
            Kind::Outcome => "outcome",
            Kind::Source => "source",
        }
    }
    pub const ALL: [Kind; 4] = [Kind::Arm, Kind::Intervention, Kind::Outcome, Kind::Source];
}

/// An entry of `arms`, `interventions`, `outcomes` or `sources` with its `id`.
#[derive(Clone, Debug, PartialEq)]
pub struct Definition {
    pub kind: Kind,
    pub id: String,
    /// The `id` value.
    pub span: Span,
    /// The whole list item.
    pub item: Span,
    /// Position in its list.
    pub index: usize,
}

/// A value that names a local id: an arm's `interventions` item, a result's
/// `outcome`, `arm` or `source`.
#[derive(Clone, Debug, PartialEq)]
pub struct Reference {
    pub kind: Kind,
    pub id: String,
    pub span: Span,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct LocalIndex {
    pub definitions: Vec<Definition>,
    pub references: Vec<Reference>,
}

impl LocalIndex {
    pub fn build(root: &Node) -> LocalIndex {
        let mut index = LocalIndex::default();
        for kind in Kind::ALL {
            for (i, item) in root
                .get(kind.list())
                .and_then(Node::as_seq)
                .unwrap_or(&[])
                .iter()
                .enumerate()
            {
                if let Some(id) = item.get("id") {
                    if let Some(text) = id.text() {
                        index.definitions.push(Definition {
                            kind,
                            id: text.to_string(),
                            span: id.span,
                            item: item.span,
                            index: i,
                        });
                    }
                }
            }
        }
        let mut refer = |kind: Kind, node: &Node| {
            if let Some(s) = node.as_scalar() {
                index.references.push(Reference {
                    kind,
                    id: s.text.clone(),
                    span: node.span,
                });
            }
        };
        for arm in root.get("arms").and_then(Node::as_seq).unwrap_or(&[]) {
            for r in arm
                .get("interventions")
                .and_then(Node::as_seq)
                .unwrap_or(&[])
            {
                refer(Kind::Intervention, r);
            }
        }
        for result in root.get("results").and_then(Node::as_seq).unwrap_or(&[]) {
            for (key, kind) in [
                ("outcome", Kind::Outcome),
                ("arm", Kind::Arm),
                ("source", Kind::Source),
            ] {
                if let Some(n) = result.get(key) {
                    refer(kind, n);
                }
            }
        }
        index
    }

    /// The first definition of an id of this kind.
    pub fn definition(&self, kind: Kind, id: &str) -> Option<&Definition> {
        self.definitions
            .iter()
            .find(|d| d.kind == kind && d.id == id)
    }

    pub fn definitions_of(&self, kind: Kind) -> impl Iterator<Item = &Definition> {
        self.definitions.iter().filter(move |d| d.kind == kind)
    }

    pub fn references_to<'s>(
        &'s self,
        kind: Kind,
        id: &'s str,
    ) -> impl Iterator<Item = &'s Reference> {
        self.references
            .iter()
            .filter(move |r| r.kind == kind && r.id == id)
    }
}

/// What one record contributes to the workspace: its ids and links, with spans.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RecordSummary {
    /// `id` as written.
    pub id: Option<(String, Span)>,
    pub title: Option<String>,
    /// `secondary_ids` items of type `REGISTRY`.
    pub secondary: Vec<(String, Span)>,
    /// `related` items.
    pub related: Vec<(String, Span)>,
}

impl RecordSummary {
    pub fn build(root: &Node) -> RecordSummary {
        let text = |n: &Node| n.text().map(|t| (t.to_string(), n.span));
        RecordSummary {
            id: root.get("id").and_then(text),
            title: root.get("title").and_then(Node::text).map(String::from),
            secondary: root
                .get("secondary_ids")
                .and_then(Node::as_seq)
                .unwrap_or(&[])
                .iter()
                .filter(|s| s.get("type").and_then(Node::text) == Some("REGISTRY"))
                .filter_map(|s| s.get("id").and_then(text))
                .collect(),
            related: root
                .get("related")
                .and_then(Node::as_seq)
                .unwrap_or(&[])
                .iter()
                .filter_map(text)
                .collect(),
        }
    }
}
