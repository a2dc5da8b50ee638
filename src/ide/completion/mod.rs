//! Completion: keys valid at the cursor, vocabulary terms, units fitting the
//! outcome's quantity, local ids at references, workspace record ids in `related`,
//! and snippets for a new list item or a whole record. The cursor's context comes
//! from the text ([`super::context`]), so this works while the document does not
//! parse; other parts of the record (local ids, an outcome's quantity) are read
//! from the top-level entries that hold them ([`super::doc`]).
//!
//! This file finds what the cursor is at and hands it to one story: [`keys`],
//! [`values`] (terms, enums, constants, booleans), [`units`], [`references`]
//! (local and record ids), [`keypaths`] (`not_stated`, a discrepancy's `about`),
//! [`snippets`] (a new item or a whole record); [`place`]
//! quotes and places a value where the cursor is.

mod keypaths;
mod keys;
mod markers;
mod place;
mod references;
mod snippets;
mod units;
mod values;

use super::context::{self, Cursor, Slot};
use super::doc::Doc;
use super::schema_walk;
use super::{Completion, ItemKind, WorkspaceView};
use crate::schema::Schema;
use crate::syntax::Syntax;
use keys::keys;
use snippets::skeleton;
use values::{new_item, values};

pub(super) use values::term_documentation;

struct Ctx<'a> {
    schema: &'a Schema,
    ws: &'a WorkspaceView<'a>,
    cur: &'a Cursor,
    doc: Doc<'a>,
    offset: usize,
}

/// A value to offer, before quoting and placing.
struct Candidate {
    label: String,
    kind: ItemKind,
    /// The readable name beside the label (see [`readable`]).
    name: Option<String>,
    detail: Option<String>,
    documentation: Option<String>,
    value: String,
    sort: String,
    /// Inserted as is (a number or boolean), never quoted.
    literal: bool,
}

/// A readable name to show beside `id`, unless it only repeats it: compared
/// case-insensitively and ignoring everything but letters and digits, so
/// `Intravenous` beside `INTRAVENOUS` and `Not yet recruiting` beside
/// `NOT_YET_RECRUITING` are dropped, `Respiratory (inhalation)` beside
/// `INHALATION` is kept.
pub(in crate::ide) fn readable(id: &str, name: &str) -> Option<String> {
    let fold = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let name = name.trim();
    (!name.is_empty() && fold(id) != fold(name)).then(|| name.to_string())
}

/// Completions at `offset`. Never fails: nothing to offer is an empty list.
pub fn completion(
    text: &str,
    syntax: Syntax,
    offset: usize,
    schema: &Schema,
    ws: &WorkspaceView,
) -> Vec<Completion> {
    let text = &*crate::ide::lf_lines(text);
    let offset = context::position(text, offset);
    let Some(cur) = context::cursor(text, syntax, offset) else {
        return Vec::new();
    };
    let c = Ctx {
        schema,
        ws,
        cur: &cur,
        doc: Doc::new(text, syntax),
        offset,
    };
    let mut out = Vec::new();
    if cur.empty_document && cur.path.is_empty() {
        out.push(skeleton(&c));
        if syntax == Syntax::Json {
            return out;
        }
    }
    match cur.slot {
        Slot::Key => {
            if let Some(prop) = schema_walk::at(schema, &cur.path) {
                if schema_walk::type_name(&prop) == Some("array") {
                    new_item(&c, &prop, &mut out);
                } else {
                    keys(&c, &prop, &mut out);
                }
            }
        }
        Slot::Value => values(&c, &mut out),
    }
    out
}
