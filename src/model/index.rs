//! The local-id index (definitions and references of arms, interventions, outcomes,
//! sources and cohorts, looked up by id in constant time) and the summary a record
//! contributes to the workspace index, both read off the id table
//! ([`super::ids::ID_PLACES`]).

use std::collections::HashMap;

use super::ids::{self, IdRole, LocalKind, RegistryPlace};
use crate::syntax::{Node, Span};

/// An entry of `arms`, `interventions`, `outcomes` or `sources` with its `id`.
#[derive(Clone, Debug, PartialEq)]
pub struct Definition {
    pub kind: LocalKind,
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
    pub kind: LocalKind,
    pub id: String,
    pub span: Span,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct LocalIndex {
    /// In the order of [`LocalKind::ALL`], each kind in list order.
    pub definitions: Vec<Definition>,
    pub references: Vec<Reference>,
    /// Per kind: id → the positions in `definitions` that define it, in order.
    defined: [HashMap<String, Vec<usize>>; LocalKind::ALL.len()],
    /// Per kind: positions in `definitions`.
    of_kind: [Vec<usize>; LocalKind::ALL.len()],
    /// Per kind: id → positions in `references`.
    named: [HashMap<String, Vec<usize>>; LocalKind::ALL.len()],
}

fn slot(kind: LocalKind) -> usize {
    kind as usize
}

impl LocalIndex {
    pub fn build(root: &Node) -> LocalIndex {
        let mut index = LocalIndex::default();
        ids::find_all(root, |found| match found.place.role {
            IdRole::Defines(kind) => {
                let (Some(text), Some((i, item))) = (found.node.text(), found.item) else {
                    return;
                };
                let at = index.definitions.len();
                index.defined[slot(kind)]
                    .entry(text.to_string())
                    .or_default()
                    .push(at);
                index.of_kind[slot(kind)].push(at);
                index.definitions.push(Definition {
                    kind,
                    id: text.to_string(),
                    span: found.node.span,
                    item: item.span,
                    index: i,
                });
            }
            IdRole::Names(kind) => {
                let Some(s) = found.node.as_scalar() else {
                    return;
                };
                let at = index.references.len();
                index.named[slot(kind)]
                    .entry(s.text.clone())
                    .or_default()
                    .push(at);
                index.references.push(Reference {
                    kind,
                    id: s.text.clone(),
                    span: found.node.span,
                });
            }
            IdRole::Registry(_) => {}
        });
        index
    }

    /// The first definition of an id of this kind.
    pub fn definition(&self, kind: LocalKind, id: &str) -> Option<&Definition> {
        self.definitions_with(kind, id).next()
    }

    /// Every definition of an id of this kind (more than one is `TRF106`).
    pub fn definitions_with<'s>(
        &'s self,
        kind: LocalKind,
        id: &str,
    ) -> impl Iterator<Item = &'s Definition> {
        self.defined[slot(kind)]
            .get(id)
            .into_iter()
            .flatten()
            .map(|&i| &self.definitions[i])
    }

    pub fn definitions_of(&self, kind: LocalKind) -> impl Iterator<Item = &Definition> {
        self.of_kind[slot(kind)]
            .iter()
            .map(|&i| &self.definitions[i])
    }

    pub fn references_to<'s>(
        &'s self,
        kind: LocalKind,
        id: &str,
    ) -> impl Iterator<Item = &'s Reference> {
        self.named[slot(kind)]
            .get(id)
            .into_iter()
            .flatten()
            .map(|&i| &self.references[i])
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
    /// Whether two summaries state the same cross-record facts: the same ids, title
    /// and related ids, wherever they are written. An edit elsewhere in a record moves
    /// its spans but changes none of these, and then nothing another record is judged
    /// by has changed.
    pub fn same_facts(&self, other: &RecordSummary) -> bool {
        fn texts(v: &[(String, Span)]) -> impl Iterator<Item = &str> {
            v.iter().map(|(t, _)| t.as_str())
        }
        self.id.as_ref().map(|(t, _)| t) == other.id.as_ref().map(|(t, _)| t)
            && self.title == other.title
            && texts(&self.secondary).eq(texts(&other.secondary))
            && texts(&self.related).eq(texts(&other.related))
    }

    /// Only what the cross-record rules read (`rules::workspace`): the ids and
    /// related ids with their spans, without the title (which only an editor's
    /// workspace symbols show), and no room reserved beyond the lists' lengths. A
    /// batch holds one per record until its cross-record phase.
    pub fn for_cross_record(self) -> RecordSummary {
        let RecordSummary {
            id,
            mut secondary,
            mut related,
            ..
        } = self;
        secondary.shrink_to_fit();
        related.shrink_to_fit();
        RecordSummary {
            id,
            title: None,
            secondary,
            related,
        }
    }

    pub fn build(root: &Node) -> RecordSummary {
        let mut summary = RecordSummary {
            title: root.get("title").and_then(Node::text).map(String::from),
            ..RecordSummary::default()
        };
        ids::find_all(root, |found| {
            let IdRole::Registry(place) = found.place.role else {
                return;
            };
            let Some(text) = found.node.text() else {
                return;
            };
            let value = (text.to_string(), found.node.span);
            match place {
                RegistryPlace::Primary => summary.id = Some(value),
                RegistryPlace::Secondary => {
                    if found
                        .item
                        .is_some_and(|(_, item)| ids::secondary_is_registry(item))
                    {
                        summary.secondary.push(value);
                    }
                }
                RegistryPlace::Related => summary.related.push(value),
                // Not one of the record's own ids.
                RegistryPlace::Source => {}
            }
        });
        summary
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_facts_ignores_spans_only() {
        let a = RecordSummary {
            id: Some(("NCT00000001".into(), Span::new(4, 15))),
            title: Some("A".into()),
            secondary: vec![("NCT00000002".into(), Span::new(30, 41))],
            related: vec![("NCT00000003".into(), Span::new(50, 61))],
        };
        let mut moved = a.clone();
        moved.id = Some(("NCT00000001".into(), Span::new(5, 16)));
        moved.secondary[0].1 = Span::new(31, 42);
        moved.related[0].1 = Span::new(51, 62);
        assert!(a.same_facts(&moved));
        assert_ne!(a, moved);
        let mut other = a.clone();
        other.secondary[0].0 = "NCT00000004".into();
        assert!(!a.same_facts(&other));
        let mut other = a.clone();
        other.related.push(("NCT00000005".into(), Span::empty(0)));
        assert!(!a.same_facts(&other));
        let mut other = a.clone();
        other.title = None;
        assert!(!a.same_facts(&other));
        let mut other = a.clone();
        other.id = None;
        assert!(!a.same_facts(&other));
    }
}
