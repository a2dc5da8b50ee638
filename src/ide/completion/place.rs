//! Placing a value: quoted as the syntax at the cursor needs, replacing the scalar
//! (or only the unit after a number), or wrapped as a list or a list item.

use super::{Candidate, Ctx};
use crate::ide::context::Cursor;
use crate::ide::Completion;
use crate::syntax::{Span, Syntax};

/// Whether a YAML plain scalar cannot hold this text (the edit layer's rule).
fn yaml_needs_quotes(v: &str, flow: bool) -> bool {
    !crate::syntax::edit::plain_ok(v, flow)
}

/// A quoted scalar's span from just after its opening quote (through the closing
/// one, if any).
pub(super) fn after_quote(cur: &Cursor) -> Span {
    let s = cur.scalar_span;
    Span::new((s.start + 1).min(s.end), s.end)
}

/// How a value is written where the cursor is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Wrap {
    /// As it is.
    Plain,
    /// As a one-item flow list (`[X]`): the value of a list key.
    List,
    /// As a block list item (`- X`): a blank line under a list key.
    Item,
}

/// A candidate as a completion at the cursor: quoted as the syntax needs, replacing
/// the whole scalar (or only the unit after a number, `partial`), or wrapped.
pub(super) fn place(c: &Ctx, cand: Candidate, wrap: Wrap, partial: bool) -> Completion {
    let cur = c.cur;
    let (insert, replace) = if partial {
        (cand.value.clone(), cur.word_span)
    } else if let (Some(q), Wrap::Plain, false) = (cur.quote, wrap, cand.literal) {
        // Inside quotes: the value and the closing quote, from after the opening
        // one, so that the editor filters by the word typed.
        let escaped = match q {
            '\'' => cand.value.replace('\'', "''"),
            _ => {
                let json = serde_json::to_string(&cand.value).unwrap_or_default();
                json[1..json.len() - 1].to_string()
            }
        };
        (format!("{escaped}{q}"), after_quote(cur))
    } else {
        let quoted = if cand.literal {
            cand.value.clone()
        } else {
            match cur.syntax {
                Syntax::Json => serde_json::to_string(&cand.value).unwrap_or_default(),
                Syntax::Yaml => match cur.quote {
                    Some(q) if wrap == Wrap::Plain => format!("{q}{}{q}", cand.value),
                    _ if yaml_needs_quotes(&cand.value, cur.flow || wrap == Wrap::List) => {
                        serde_json::to_string(&cand.value).unwrap_or_default()
                    }
                    _ => cand.value.clone(),
                },
            }
        };
        let value = match wrap {
            Wrap::Plain => quoted,
            Wrap::List => format!("[{quoted}]"),
            Wrap::Item => format!("- {quoted}"),
        };
        let lead = if cur.space_before { " " } else { "" };
        (format!("{lead}{value}"), cur.scalar_span)
    };
    Completion {
        label: cand.label,
        kind: cand.kind,
        label_detail: cand.name,
        detail: cand.detail,
        documentation: cand.documentation,
        insert,
        snippet: false,
        replace,
        sort: cand.sort,
    }
}
