//! Where the cursor is, read from the text alone, so that it works while the user is
//! typing and the document does not parse: the key path from the root, whether the
//! cursor is at a key or a value, the word typed so far and the span a completion
//! replaces, and the entries beside it.
//!
//! YAML block structure is read by indentation and `- ` markers, scanning lines
//! upward (for the path and the keys above) and downward (for the keys below) from
//! the cursor's line; flow collections (`[…]`, `{…}`) and JSON are read by a bracket
//! and quote scanner running forward to the cursor. Every scan is linear in the text
//! it passes over, and only the cursor's own mapping or list is passed over in full.
//!
//! This file holds the answer ([`Cursor`]) and the entry points; [`lines`] reads one
//! YAML line at a time, [`yaml`] climbs and scans the block structure around the
//! cursor, [`word`] reads the word typed in a block value, and [`flow`] scans flow
//! collections and JSON.

mod flow;
mod lines;
mod word;
mod yaml;

use crate::syntax::{clamp_to_char_boundary, Span, Syntax};
use flow::json;
use yaml::yaml;

pub use lines::yaml_section;
pub use word::split_number;

/// One step of a path from the root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    /// An item of a list.
    Item,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// A key of the mapping at `path`.
    Key,
    /// The value at `path` (its last step is the key, or `Item` in a list).
    Value,
}

#[derive(Clone, Debug)]
pub struct Cursor {
    pub path: Vec<Seg>,
    pub slot: Slot,
    /// What was typed of the word before the cursor, without quotes. After a number
    /// (`mean: 2.5 m|`), the unit part only.
    pub word: String,
    /// The whole word around the cursor without quotes (the unit part after a number).
    pub word_span: Span,
    /// The whole key or value scalar around the cursor, with its quotes.
    pub scalar_span: Span,
    /// The scalar's opening quote.
    pub quote: Option<char>,
    /// The number before the word (`mean: 2.5 |`).
    pub number: Option<String>,
    /// The entries (key, scalar value) of the mapping holding the cursor's key;
    /// the key being typed is left out.
    pub siblings: Vec<(String, Option<String>)>,
    /// In a flow collection on a block line: the entries of the block mapping
    /// holding that line (a result's `outcome` for `mean: {value: 2, unit: |}`).
    pub outer_siblings: Vec<(String, Option<String>)>,
    /// The other items of the list, when the cursor is at a list item.
    pub items: Vec<String>,
    /// The cursor is on an empty list item (`- |`, `[a, |`).
    pub empty_item: bool,
    /// YAML block context: the column where the keys of the mapping at the cursor
    /// go (`Slot::Key`, an item's content), or the column of the key whose value
    /// the cursor is at.
    pub indent: usize,
    /// `Slot::Key`: a `:` already follows the key.
    pub colon_follows: bool,
    /// Text inserted here needs a leading space (`key:|`, `-|`).
    pub space_before: bool,
    /// A block key's value: the offset right after its `:`.
    pub after_colon: Option<usize>,
    /// Inside a flow collection (or JSON).
    pub flow: bool,
    /// Nothing but whitespace and comments before and after the cursor.
    pub empty_document: bool,
    pub syntax: Syntax,
}

impl Cursor {
    fn new(syntax: Syntax, path: Vec<Seg>, slot: Slot, at: usize) -> Cursor {
        Cursor {
            path,
            slot,
            word: String::new(),
            word_span: Span::empty(at),
            scalar_span: Span::empty(at),
            quote: None,
            number: None,
            siblings: Vec::new(),
            outer_siblings: Vec::new(),
            items: Vec::new(),
            empty_item: false,
            indent: 0,
            colon_follows: false,
            space_before: false,
            after_colon: None,
            flow: false,
            empty_document: false,
            syntax,
        }
    }

    /// A sibling's scalar value (or, in a flow collection, one of the block
    /// mapping around it).
    pub fn sibling(&self, key: &str) -> Option<&str> {
        self.siblings
            .iter()
            .chain(&self.outer_siblings)
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v.as_deref())
    }
}

/// The cursor's context, or `None` where nothing can be completed (inside a
/// comment, a block scalar, or after a closed collection).
pub fn cursor(text: &str, syntax: Syntax, offset: usize) -> Option<Cursor> {
    let offset = position(text, offset);
    let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
    match syntax {
        Syntax::Yaml => yaml(text, base, offset),
        Syntax::Json => json(text, base, offset),
    }
}

/// The offset as a position an editor can hold: on a char boundary, after a byte
/// order mark, and before (not inside) a CRLF line break.
pub fn position(text: &str, offset: usize) -> usize {
    let mut offset = clamp_to_char_boundary(text, offset);
    if text.starts_with('\u{feff}') {
        offset = offset.max(3);
    }
    let b = text.as_bytes();
    if offset > 0 && b[offset - 1] == b'\r' && b.get(offset) == Some(&b'\n') {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests;
