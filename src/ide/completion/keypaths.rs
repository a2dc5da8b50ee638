//! Key paths (`not_stated` items, a discrepancy's `about`), from the schema's table
//! of key paths. In `not_stated`: first the required keys the record lacks (as
//! `TRF010` would name them, the conditionally required ones of an interventional
//! study included), then every other key path it does not give. In `about`: the key
//! paths the record gives. The record is read one top-level entry at a time.

use std::borrow::Cow;
use std::collections::HashMap;

use super::{Candidate, Ctx};
use crate::ide::context::Seg;
use crate::ide::ItemKind;
use crate::schema::KeyPathInfo;
use crate::syntax::{Node, ScalarKind};

/// Keys that are about the record itself, never a fact a source could leave open.
const NOT_FACTS: [&str; 3] = ["trf", "not_stated", "discrepancies"];

/// Whether the completion at `path` is of key paths, and which story.
pub(super) fn candidates(c: &Ctx, path: &[Seg]) -> Vec<Candidate> {
    let about = matches!(path.first(), Some(Seg::Key(k)) if k == "discrepancies");
    let mut record = Given::new(c);
    let interventional = record.text("study_type") == Some("INTERVENTIONAL".into());
    let paths = c.schema.keypaths();
    let listed = |p: &str| c.cur.items.iter().any(|i| i.trim() == p);
    let mut first = Vec::new();
    let mut rest = Vec::new();
    for info in paths.all() {
        let top = info.path.split('.').next().unwrap_or("");
        if NOT_FACTS.contains(&top) || listed(&info.path) {
            continue;
        }
        let given = record.gives(&info.path);
        if about {
            if given {
                first.push((info, "given in this record"));
            }
            continue;
        }
        if given {
            continue;
        }
        let parent = info.parent();
        let required = info.required || (info.conditional && interventional);
        if required && (parent.is_empty() || record.gives(parent)) {
            first.push((info, "required, not given"));
        } else {
            rest.push((info, "not given"));
        }
    }
    let mut out = Vec::new();
    for (group, list) in [("0", first), ("1", rest)] {
        for (i, (info, detail)) in list.into_iter().enumerate() {
            out.push(candidate(info, detail, format!("{group}{i:04}")));
        }
    }
    out
}

fn candidate(info: &KeyPathInfo, detail: &str, sort: String) -> Candidate {
    Candidate {
        label: info.path.clone(),
        kind: ItemKind::Key,
        name: None,
        detail: Some(detail.to_string()),
        documentation: info.description.clone(),
        value: info.path.clone(),
        sort,
        literal: false,
    }
}

/// The record's top-level entries, each parsed once when first asked.
struct Given<'c, 'a> {
    c: &'c Ctx<'a>,
    sections: HashMap<String, Option<Cow<'c, Node>>>,
}

impl<'c, 'a> Given<'c, 'a> {
    fn new(c: &'c Ctx<'a>) -> Self {
        Given {
            c,
            sections: HashMap::new(),
        }
    }

    fn section(&mut self, key: &str) -> Option<&Node> {
        let c = self.c;
        self.sections
            .entry(key.to_string())
            .or_insert_with(|| c.doc.section(key).map(|(n, _)| n))
            .as_deref()
    }

    fn text(&mut self, key: &str) -> Option<String> {
        self.section(key).and_then(Node::text).map(String::from)
    }

    /// Whether the record gives a value (not null) at the path.
    fn gives(&mut self, path: &str) -> bool {
        let mut segs = path.split('.');
        let Some(top) = segs.next() else {
            return false;
        };
        let Some(mut node) = self.section(top) else {
            return false;
        };
        for seg in segs {
            match node.get(seg) {
                Some(n) => node = n,
                None => return false,
            }
        }
        !node
            .as_scalar()
            .is_some_and(|s| s.kind == ScalarKind::Null && !s.quoted())
    }
}
