//! Document highlights: every occurrence in this document of the id under the
//! cursor, its definition marked (a local id's entry `id`, the record's own `id`).

use super::occurrences::{occurrences, symbol_at};
use crate::syntax::{Span, Syntax};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Highlight {
    pub span: Span,
    /// The definition (LSP `Write`); a reference is `Read`.
    pub definition: bool,
}

/// The occurrences of the symbol at `offset`, in document order; none when the
/// cursor is not on a local or registry id.
pub fn highlights(text: &str, syntax: Syntax, offset: usize) -> Vec<Highlight> {
    let Some((symbol, _)) = symbol_at(text, syntax, offset) else {
        return Vec::new();
    };
    occurrences(text, syntax, &symbol)
        .into_iter()
        .map(|(span, definition)| Highlight { span, definition })
        .collect()
}
