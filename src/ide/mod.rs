//! Editor features as pure functions of a document's text and the workspace view:
//! completion, hover, navigation, outline, folding and links; and the presentation
//! features (inlay hints, semantic tokens, code lens, selection ranges, highlights). They return byte spans;
//! the language server converts them to positions in the negotiated encoding. None of
//! them checks anything: diagnostics come from the engine. Every function is total:
//! any text, any offset (clamped to a char boundary), YAML or JSON.
//!
//! Choices where the specification is silent:
//!
//! - Completion reads the cursor's context from the text (module `context`), never from
//!   the parsed tree, so it works while the document does not parse. Facts from
//!   elsewhere in the record (local ids, an outcome's quantity) come from parsing
//!   only the top-level entry that holds them; hover and `symbol_at` parse only the
//!   entry (in a list, the item) under the cursor. A keystroke in a long record
//!   costs about what the cursor's own mapping costs.
//! - Completion returns every candidate and lets the editor filter by the word in
//!   the replace range. Multi-line snippets carry their full indentation (send them
//!   with `InsertTextMode::AsIs`).
//! - Units: a curated list per dimension (module `unit_table`). In a result, the unit
//!   the outcome declares comes first, then the canonical unit of its quantity, then
//!   the rest of that dimension; without a quantity, every listed unit. A unit that
//!   needs quoting in YAML (`{score}`, `%`, `[IU]/L`) is inserted quoted.
//! - A new list item's snippet holds the item's required keys and the first key of
//!   an "at least one of" group (`mean`, `url`); references are choices of the ids
//!   the record defines.
//! - Folding starts on the key's line; the YAML root mapping is not folded (it is
//!   the whole file), the JSON root object is.
//! - `PUBLICATION` ids link to PubMed, PubMed Central or doi.org; other registry ids
//!   to their registry's record page. Registry ids are compared in the form
//!   `ids::canonical` gives; one it does not recognise is compared as written.

mod completion;
mod context;
mod doc;
mod highlight;
mod hover;
mod ignore;
mod inlay;
mod lens;
mod occurrences;
mod outline;
mod schema_walk;
mod selection;
mod semantic;
mod tree;
mod unit_table;

use std::path::Path;

pub use completion::completion;
pub use highlight::{highlights, Highlight};
pub use hover::hover;
pub use ignore::ignore_edit;
pub use inlay::{inlay_hints, HintKind, InlayHint};
pub use lens::{code_lenses, Lens};
pub use occurrences::{occurrences, prepare_rename, symbol_at};
pub use outline::{document_links, document_symbols, folding_ranges};
pub use selection::selection_ranges;
pub use semantic::{semantic_tokens, Token, TokenKind};

/// The text as the editor features read it: a lone CR, a line end to LSP and to
/// YAML, becomes LF. Byte for byte, so every offset and span stays the text's; the
/// features' line scanning then needs to know only `\n` (and `\r\n`).
pub(crate) fn lf_lines(text: &str) -> std::borrow::Cow<'_, str> {
    let b = text.as_bytes();
    let lone = |i: usize| b[i] == b'\r' && b.get(i + 1) != Some(&b'\n');
    if !(0..b.len()).any(lone) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = b.to_vec();
    for (i, c) in out.iter_mut().enumerate() {
        if *c == b'\r' && b.get(i + 1) != Some(&b'\n') {
            *c = b'\n';
        }
    }
    // Only ASCII bytes were replaced by ASCII bytes.
    std::borrow::Cow::Owned(String::from_utf8(out).unwrap_or_else(|_| text.to_string()))
}

use crate::model::{LocalKind, RecordSummary};
use crate::syntax::Span;

/// One record of the workspace, as the editor features see it.
#[derive(Clone, Copy, Debug)]
pub struct RecordRef<'a> {
    pub path: &'a Path,
    pub summary: &'a RecordSummary,
}

/// Every record of the workspace (open documents and files on disk).
#[derive(Clone, Debug, Default)]
pub struct WorkspaceView<'a> {
    pub records: Vec<RecordRef<'a>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    /// A mapping key.
    Key,
    /// A controlled-vocabulary term.
    Term,
    /// A UCUM unit.
    Unit,
    /// A local id (arm, intervention, outcome, source).
    LocalId,
    /// The registry id of a workspace record.
    RecordId,
    /// A new list item (a whole arm, source, ...).
    Snippet,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Completion {
    pub label: String,
    pub kind: ItemKind,
    /// The readable name shown beside the label (a term's label, a local id's
    /// label, a record's title, a unit's meaning); `None` where it would only
    /// repeat the label.
    pub label_detail: Option<String>,
    /// One line about the item (a key's type, a snippet's keys); never a repeat of
    /// the label or of `label_detail`.
    pub detail: Option<String>,
    /// Markdown (a term's definition, a key's description).
    pub documentation: Option<String>,
    /// Text to insert; an LSP snippet (`$1`, `${1:label}`) when `snippet`. A
    /// multi-line insert carries the full indentation of its lines: send it with
    /// `InsertTextMode::AsIs`, or the editor indents its lines a second time.
    pub insert: String,
    pub snippet: bool,
    /// The range the insertion replaces (the word being typed).
    pub replace: Span,
    /// Sort key: required keys first, then the rest.
    pub sort: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct HoverInfo {
    pub markdown: String,
    pub span: Span,
}

/// What a name at the cursor refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Symbol {
    Local(LocalKind, String),
    /// A registry id, in canonical spelling.
    Registry(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutlineKind {
    Record,
    Arm,
    Intervention,
    Outcome,
    Result,
    Source,
    /// A cohort, inside its arm.
    Cohort,
    Section,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OutlineItem {
    pub name: String,
    pub detail: Option<String>,
    pub kind: OutlineKind,
    /// The whole entry.
    pub span: Span,
    /// What to select (its id or key).
    pub selection: Span,
    pub children: Vec<OutlineItem>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub span: Span,
    pub target: String,
}
