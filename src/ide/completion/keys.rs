//! Keys: the properties the schema allows in the mapping at the cursor, required
//! ones first, those already written left out.

use super::place::after_quote;
use super::Ctx;
use crate::ide::context::Seg;
use crate::ide::schema_walk::{self, Prop};
use crate::ide::tree;
use crate::ide::{Completion, ItemKind};
use crate::syntax::Syntax;

pub(super) fn keys(c: &Ctx, prop: &Prop, out: &mut Vec<Completion>) {
    let cur = c.cur;
    let required = schema_walk::required(prop, &cur.siblings);
    let one_of = schema_walk::one_of_required(prop);
    for (i, (name, p)) in schema_walk::properties(c.schema, prop)
        .into_iter()
        .enumerate()
    {
        if cur.siblings.iter().any(|(k, _)| k == name) {
            continue;
        }
        let group = if required.contains(&name) {
            0
        } else if one_of.contains(&name) {
            1
        } else {
            2
        };
        let colon = if cur.colon_follows { "" } else { ": " };
        let lead = if cur.space_before { " " } else { "" };
        let (insert, replace) = match (cur.quote, cur.syntax) {
            // Inside quotes: from after the opening one, so that the editor filters
            // by the word typed.
            (Some(q), _) => (format!("{name}{q}{colon}"), after_quote(cur)),
            (None, Syntax::Yaml) => (format!("{lead}{name}{colon}"), cur.scalar_span),
            (None, Syntax::Json) => (format!("\"{name}\"{colon}"), cur.scalar_span),
        };
        let mut path = cur.path.clone();
        path.push(Seg::Key(name.to_string()));
        let detail = match tree::reference_kind(&path) {
            Some(kind) => format!("{} id", kind.noun()),
            None => {
                path.push(Seg::Item);
                match tree::reference_kind(&path) {
                    Some(kind) => format!("list of {} ids", kind.noun()),
                    None => schema_walk::short_type(c.schema, &p),
                }
            }
        };
        out.push(Completion {
            label: name.to_string(),
            kind: ItemKind::Key,
            label_detail: None,
            detail: Some(detail),
            documentation: p.description().map(String::from),
            insert,
            snippet: false,
            replace,
            sort: format!("{group}{i:03}"),
        });
    }
}
