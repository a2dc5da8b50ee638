//! The one table of where a record holds ids: which values define a local id
//! (`arms[].id`, …), which name one (a reference: `results[].arm`, …) and which hold
//! registry ids (`id`, `related[]`, …). The local-id index, the workspace summary,
//! the reference rules and the editor's navigation all read this table; nothing
//! else spells these paths out.

use crate::syntax::Node;

/// The kinds of local ids a record defines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LocalKind {
    Arm,
    Intervention,
    Outcome,
    Source,
    /// A cohort inside an arm (`arms[].cohorts[]`).
    Cohort,
}

impl LocalKind {
    pub const ALL: [LocalKind; 5] = [
        LocalKind::Arm,
        LocalKind::Intervention,
        LocalKind::Outcome,
        LocalKind::Source,
        LocalKind::Cohort,
    ];

    /// The list that defines ids of this kind: a top-level list, or `cohorts`
    /// inside each arm.
    pub fn list(self) -> &'static str {
        match self {
            LocalKind::Arm => "arms",
            LocalKind::Intervention => "interventions",
            LocalKind::Outcome => "outcomes",
            LocalKind::Source => "sources",
            LocalKind::Cohort => "cohorts",
        }
    }

    /// The place of the `id` that defines ids of this kind.
    pub fn definition_place(self) -> &'static IdPlace {
        ID_PLACES
            .iter()
            .find(|p| p.role == IdRole::Defines(self))
            .unwrap_or(&ID_PLACES[0])
    }

    /// The singular noun, for messages.
    pub fn noun(self) -> &'static str {
        match self {
            LocalKind::Arm => "arm",
            LocalKind::Intervention => "intervention",
            LocalKind::Outcome => "outcome",
            LocalKind::Source => "source",
            LocalKind::Cohort => "cohort",
        }
    }

    /// The noun's indefinite article.
    pub fn article(self) -> &'static str {
        match self {
            LocalKind::Arm | LocalKind::Intervention | LocalKind::Outcome => "an",
            LocalKind::Source | LocalKind::Cohort => "a",
        }
    }
}

/// Which registry id a place holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegistryPlace {
    /// The record's own `id`.
    Primary,
    /// A `secondary_ids` item's `id` (a registry id only when its `type` is
    /// `REGISTRY`: see [`secondary_is_registry`]).
    Secondary,
    /// A `related` item.
    Related,
    /// A source's `registry_id`.
    Source,
}

/// What the value at a place is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdRole {
    /// An entry's `id`: defines a local id.
    Defines(LocalKind),
    /// Names a local id (a reference).
    Names(LocalKind),
    /// A registry id.
    Registry(RegistryPlace),
}

/// One step of a place's path from the root.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Key(&'static str),
    /// Every item of a list.
    Item,
}

/// A place in a record that holds an id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdPlace {
    pub path: &'static [Step],
    pub role: IdRole,
}

use IdRole::{Defines, Names, Registry};
use LocalKind::{Arm, Cohort, Intervention, Outcome, Source};
use Step::{Item, Key};

/// Every place a record holds an id (format.md: `Ref(kind)`, `LocalId`,
/// `RegistryId`). Definitions come first, in the order of [`LocalKind::ALL`].
pub const ID_PLACES: &[IdPlace] = &[
    IdPlace {
        path: &[Key("arms"), Item, Key("id")],
        role: Defines(Arm),
    },
    IdPlace {
        path: &[Key("interventions"), Item, Key("id")],
        role: Defines(Intervention),
    },
    IdPlace {
        path: &[Key("outcomes"), Item, Key("id")],
        role: Defines(Outcome),
    },
    IdPlace {
        path: &[Key("sources"), Item, Key("id")],
        role: Defines(Source),
    },
    IdPlace {
        path: &[Key("arms"), Item, Key("cohorts"), Item, Key("id")],
        role: Defines(Cohort),
    },
    IdPlace {
        path: &[Key("arms"), Item, Key("interventions"), Item],
        role: Names(Intervention),
    },
    IdPlace {
        path: &[Key("results"), Item, Key("outcome")],
        role: Names(Outcome),
    },
    IdPlace {
        path: &[Key("results"), Item, Key("arm")],
        role: Names(Arm),
    },
    IdPlace {
        path: &[Key("results"), Item, Key("source")],
        role: Names(Source),
    },
    IdPlace {
        path: &[Key("results"), Item, Key("cohort")],
        role: Names(Cohort),
    },
    IdPlace {
        path: &[
            Key("discrepancies"),
            Item,
            Key("claims"),
            Item,
            Key("source"),
        ],
        role: Names(Source),
    },
    IdPlace {
        path: &[Key("id")],
        role: Registry(RegistryPlace::Primary),
    },
    IdPlace {
        path: &[Key("related"), Item],
        role: Registry(RegistryPlace::Related),
    },
    IdPlace {
        path: &[Key("secondary_ids"), Item, Key("id")],
        role: Registry(RegistryPlace::Secondary),
    },
    IdPlace {
        path: &[Key("sources"), Item, Key("registry_id")],
        role: Registry(RegistryPlace::Source),
    },
];

/// The place of a path given as its steps (`Some(key)`, `None` for a list item).
pub fn place_at<'a, I>(path: I) -> Option<&'static IdPlace>
where
    I: IntoIterator<Item = Option<&'a str>>,
    I::IntoIter: Clone,
{
    let path = path.into_iter();
    ID_PLACES.iter().find(|place| {
        let mut steps = path.clone();
        place.path.iter().all(|step| match (step, steps.next()) {
            (Key(k), Some(Some(s))) => *k == s,
            (Item, Some(None)) => true,
            _ => false,
        }) && steps.next().is_none()
    })
}

/// The role of the value at a path (see [`place_at`]).
pub fn role_at<'a, I>(path: I) -> Option<IdRole>
where
    I: IntoIterator<Item = Option<&'a str>>,
    I::IntoIter: Clone,
{
    place_at(path).map(|p| p.role)
}

/// A value found at a place.
#[derive(Clone, Copy, Debug)]
pub struct Found<'n> {
    pub place: &'static IdPlace,
    /// The value (any node: the reader decides what a non-scalar means).
    pub node: &'n Node,
    /// The innermost list item on the way, with its position (an arm for
    /// `arms[].id`, a secondary id for `secondary_ids[].id`).
    pub item: Option<(usize, &'n Node)>,
}

/// Every value at one place, in document order of its list.
pub fn find_at<'n>(root: &'n Node, place: &'static IdPlace, f: &mut impl FnMut(Found<'n>)) {
    fn walk<'n>(
        node: &'n Node,
        steps: &[Step],
        item: Option<(usize, &'n Node)>,
        place: &'static IdPlace,
        f: &mut impl FnMut(Found<'n>),
    ) {
        match steps.split_first() {
            None => f(Found { place, node, item }),
            Some((Key(k), rest)) => {
                if let Some(v) = node.get(k) {
                    walk(v, rest, item, place, f);
                }
            }
            Some((Item, rest)) => {
                for (i, n) in node.as_seq().unwrap_or(&[]).iter().enumerate() {
                    walk(n, rest, Some((i, n)), place, f);
                }
            }
        }
    }
    walk(root, place.path, None, place, f);
}

/// Every value along `steps` from `node` (a place's path, or the rest of it below
/// a section already in hand).
pub fn each_at<'n>(node: &'n Node, steps: &[Step], f: &mut impl FnMut(&'n Node)) {
    match steps.split_first() {
        None => f(node),
        Some((Key(k), rest)) => {
            if let Some(v) = node.get(k) {
                each_at(v, rest, f);
            }
        }
        Some((Item, rest)) => {
            for n in node.as_seq().unwrap_or(&[]) {
                each_at(n, rest, f);
            }
        }
    }
}

/// The places that name ids of this kind.
pub fn references_of(kind: LocalKind) -> impl Iterator<Item = &'static IdPlace> {
    ID_PLACES.iter().filter(move |p| p.role == Names(kind))
}

/// Every value at every place, place by place in the table's order.
pub fn find_all<'n>(root: &'n Node, mut f: impl FnMut(Found<'n>)) {
    for place in ID_PLACES {
        find_at(root, place, &mut f);
    }
}

/// Whether a `secondary_ids` item holds a registry id: its `type` is `REGISTRY`.
pub fn secondary_is_registry(item: &Node) -> bool {
    item.get("type").and_then(Node::text) == Some("REGISTRY")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_find_their_place() {
        let role = |p: &[Option<&str>]| role_at(p.iter().copied());
        assert_eq!(
            role(&[Some("results"), None, Some("arm")]),
            Some(Names(Arm))
        );
        assert_eq!(role(&[Some("arms"), None, Some("id")]), Some(Defines(Arm)));
        assert_eq!(
            role(&[Some("arms"), None, Some("interventions"), None]),
            Some(Names(Intervention))
        );
        assert_eq!(
            role(&[
                Some("discrepancies"),
                None,
                Some("claims"),
                None,
                Some("source")
            ]),
            Some(Names(Source))
        );
        assert_eq!(role(&[Some("id")]), Some(Registry(RegistryPlace::Primary)));
        assert_eq!(role(&[Some("results"), None]), None);
        assert_eq!(role(&[Some("results"), None, Some("arm"), None]), None);
        assert_eq!(role(&[]), None);
    }

    #[test]
    fn every_kind_is_defined_in_its_list() {
        for kind in LocalKind::ALL {
            let place = ID_PLACES.iter().find(|p| p.role == Defines(kind)).unwrap();
            assert_eq!(kind.definition_place(), place);
            assert_eq!(
                place.path[place.path.len() - 3..],
                [Key(kind.list()), Item, Key("id")]
            );
        }
        assert_eq!(
            Cohort.definition_place().path,
            &[Key("arms"), Item, Key("cohorts"), Item, Key("id")]
        );
    }

    #[test]
    fn cohorts_are_defined_in_arms_and_named_by_results() {
        let role = |p: &[Option<&str>]| role_at(p.iter().copied());
        assert_eq!(
            role(&[Some("arms"), None, Some("cohorts"), None, Some("id")]),
            Some(Defines(Cohort))
        );
        assert_eq!(
            role(&[Some("results"), None, Some("cohort")]),
            Some(Names(Cohort))
        );
        assert_eq!(role(&[Some("arms"), None, Some("cohorts"), None]), None);
    }
}
