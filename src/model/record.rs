//! Typed views over a record's tree: a [`Record`] and its entries ([`Arm`],
//! [`Cohort`], [`Intervention`], [`Outcome`], [`ResultItem`], [`Source`], [`SecondaryId`]). Each
//! view borrows its node (its span is the node's), costs nothing to build and reads
//! the format's keys (format.md) so that no reader spells them out again. A key that
//! is missing, or a list that is not a list, reads as absent or empty: judging the
//! shape is the schema's job.

use crate::syntax::{Node, Span};

/// The items of the list at `key` of a mapping (none when missing or not a list).
fn items<'n>(node: &'n Node, key: &str) -> &'n [Node] {
    node.get(key).and_then(Node::as_seq).unwrap_or(&[])
}

/// A record: the document's root mapping.
#[derive(Clone, Copy, Debug)]
pub struct Record<'n> {
    pub node: &'n Node,
}

macro_rules! view {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug)]
        pub struct $name<'n> {
            pub node: &'n Node,
        }

        impl<'n> $name<'n> {
            pub fn new(node: &'n Node) -> Self {
                $name { node }
            }
            pub fn span(&self) -> Span {
                self.node.span
            }
            /// The value at `key`.
            pub fn get(&self, key: &str) -> Option<&'n Node> {
                self.node.get(key)
            }
            /// The scalar text at `key`.
            pub fn text(&self, key: &str) -> Option<&'n str> {
                self.node.get(key).and_then(Node::text)
            }
        }
    };
}

view!(
    /// An `arms` item.
    Arm
);
view!(
    /// An `interventions` item.
    Intervention
);
view!(
    /// An `outcomes` item.
    Outcome
);
view!(
    /// A `results` item.
    ResultItem
);
view!(
    /// A `sources` item.
    Source
);
view!(
    /// An arm's `cohorts` item.
    Cohort
);
view!(
    /// A `secondary_ids` item.
    SecondaryId
);

impl<'n> Record<'n> {
    pub fn new(node: &'n Node) -> Self {
        Record { node }
    }
    /// The record's own registry id (`id`).
    pub fn id(&self) -> Option<&'n Node> {
        self.node.get("id")
    }
    pub fn title(&self) -> Option<&'n str> {
        self.node.get("title").and_then(Node::text)
    }
    /// Whether the record has a list at `key` (`arms: []` counts, `arms:` does not).
    pub fn has_list(&self, key: &str) -> bool {
        self.node.get(key).and_then(Node::as_seq).is_some()
    }
    pub fn arms(&self) -> impl Iterator<Item = Arm<'n>> {
        items(self.node, "arms").iter().map(Arm::new)
    }
    pub fn interventions(&self) -> impl Iterator<Item = Intervention<'n>> {
        items(self.node, "interventions")
            .iter()
            .map(Intervention::new)
    }
    pub fn outcomes(&self) -> impl Iterator<Item = Outcome<'n>> {
        items(self.node, "outcomes").iter().map(Outcome::new)
    }
    pub fn results(&self) -> impl Iterator<Item = ResultItem<'n>> {
        items(self.node, "results").iter().map(ResultItem::new)
    }
    pub fn sources(&self) -> impl Iterator<Item = Source<'n>> {
        items(self.node, "sources").iter().map(Source::new)
    }
    pub fn secondary_ids(&self) -> impl Iterator<Item = SecondaryId<'n>> {
        items(self.node, "secondary_ids")
            .iter()
            .map(SecondaryId::new)
    }
    /// `related` items.
    pub fn related(&self) -> &'n [Node] {
        items(self.node, "related")
    }
    /// The items of any top-level list.
    pub fn list(&self, key: &str) -> &'n [Node] {
        items(self.node, key)
    }
}

impl<'n> Arm<'n> {
    pub fn id(&self) -> Option<&'n str> {
        self.text("id")
    }
    /// The `interventions` it lists (references).
    pub fn interventions(&self) -> &'n [Node] {
        items(self.node, "interventions")
    }
    /// Its `cohorts`.
    pub fn cohorts(&self) -> impl Iterator<Item = Cohort<'n>> {
        items(self.node, "cohorts").iter().map(Cohort::new)
    }
    /// Its `size` value.
    pub fn size(&self) -> Option<&'n Node> {
        self.get("size")
    }
}

impl<'n> Cohort<'n> {
    pub fn id(&self) -> Option<&'n str> {
        self.text("id")
    }
    /// Its `size` value.
    pub fn size(&self) -> Option<&'n Node> {
        self.get("size")
    }
    /// Its `dose` value.
    pub fn dose(&self) -> Option<&'n Node> {
        self.get("dose")
    }
}

impl<'n> Intervention<'n> {
    pub fn id(&self) -> Option<&'n str> {
        self.text("id")
    }
    pub fn dose(&self) -> Option<&'n Node> {
        self.get("dose")
    }
    pub fn schedule(&self) -> Option<&'n Node> {
        self.get("schedule")
    }
}

impl<'n> Outcome<'n> {
    pub fn id(&self) -> Option<&'n str> {
        self.text("id")
    }
    pub fn title(&self) -> Option<&'n str> {
        self.text("title")
    }
    /// The `QuantityKind` it measures, as written.
    pub fn quantity(&self) -> Option<&'n str> {
        self.text("quantity")
    }
    /// The `unit` value.
    pub fn unit(&self) -> Option<&'n Node> {
        self.get("unit")
    }
}

impl<'n> ResultItem<'n> {
    /// The outcome it reports (a reference).
    pub fn outcome(&self) -> Option<&'n str> {
        self.text("outcome")
    }
    /// The arm it reports (a reference).
    pub fn arm(&self) -> Option<&'n str> {
        self.text("arm")
    }
    /// The cohort of that arm it reports (a reference).
    pub fn cohort(&self) -> Option<&'n str> {
        self.text("cohort")
    }
    pub fn timepoint(&self) -> Option<&'n Node> {
        self.get("timepoint")
    }
}

impl<'n> Source<'n> {
    pub fn id(&self) -> Option<&'n str> {
        self.text("id")
    }
    pub fn registry_id(&self) -> Option<&'n Node> {
        self.get("registry_id")
    }
}

impl<'n> SecondaryId<'n> {
    pub fn id(&self) -> Option<&'n Node> {
        self.get("id")
    }
    /// Its `type` is `REGISTRY`: the id is a registry id.
    pub fn is_registry(&self) -> bool {
        super::ids::secondary_is_registry(self.node)
    }
}
