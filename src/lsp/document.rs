//! Open documents: text in a rope, incremental edits applied strictly in version
//! order, and conversions between LSP positions (UTF-8 or UTF-16) and byte offsets.

use std::collections::BTreeMap;
use std::path::PathBuf;

use ropey::Rope;
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent, Uri};

use crate::syntax::{clamp_to_char_boundary, LineIndex, Span, Syntax};

/// The negotiated position encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

pub struct Document {
    pub uri: Uri,
    pub path: Option<PathBuf>,
    pub syntax: Syntax,
    pub version: i32,
    rope: Rope,
    /// Changes that arrived ahead of a missing earlier version.
    pending: BTreeMap<i32, Vec<TextDocumentContentChangeEvent>>,
}

impl Document {
    pub fn new(uri: Uri, version: i32, text: &str) -> Document {
        let path = uri.to_file_path().map(|p| p.into_owned());
        let syntax = match &path {
            Some(p) => Syntax::from_path(p),
            None if uri.as_str().ends_with(".json") => Syntax::Json,
            None => Syntax::Yaml,
        };
        Document {
            uri,
            path,
            syntax,
            version,
            rope: Rope::from_str(text),
            pending: BTreeMap::new(),
        }
    }

    pub fn text(&self) -> String {
        self.rope.to_string()
    }

    /// Apply a `didChange`. Changes are applied in version order: one that arrives
    /// early waits for its predecessor; a stale one is ignored. Returns whether the
    /// text changed.
    pub fn change(
        &mut self,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        enc: Encoding,
    ) -> bool {
        if version <= self.version {
            return false;
        }
        self.pending.insert(version, changes);
        // Clients number versions consecutively; an edit that skips ahead waits for
        // its predecessor. If a further edit arrives while the gap is still open, the
        // client skips numbers, and everything pending is applied in order (waiting
        // longer would lose edits).
        let flush = self.pending.len() >= 2;
        let mut changed = false;
        while let Some(entry) = self.pending.first_entry() {
            let v = *entry.key();
            if v > self.version + 1 && !flush {
                break;
            }
            for c in entry.remove() {
                self.apply(c, enc);
            }
            self.version = v;
            changed = true;
        }
        changed
    }

    fn apply(&mut self, change: TextDocumentContentChangeEvent, enc: Encoding) {
        match change.range {
            None => self.rope = Rope::from_str(&change.text),
            Some(range) => {
                let start = self.char_at(range.start, enc);
                let end = self.char_at(range.end, enc).max(start);
                self.rope.remove(start..end);
                self.rope.insert(start, &change.text);
            }
        }
    }

    /// The char index of a position, clamped into the document.
    fn char_at(&self, pos: Position, enc: Encoding) -> usize {
        let line = pos.line as usize;
        if line >= self.rope.len_lines() {
            return self.rope.len_chars();
        }
        let start = self.rope.line_to_char(line);
        let slice = self.rope.line(line);
        let mut len = slice.len_chars();
        // Positions past the end of a line mean its end (before the break).
        while len > 0 && matches!(slice.char(len - 1), '\n' | '\r') {
            len -= 1;
        }
        let col = pos.character as usize;
        match enc {
            Encoding::Utf16 => {
                let base = self.rope.char_to_utf16_cu(start);
                let end = self.rope.char_to_utf16_cu(start + len);
                self.rope.utf16_cu_to_char((base + col).min(end))
            }
            Encoding::Utf8 => {
                let base = self.rope.char_to_byte(start);
                let end = self.rope.char_to_byte(start + len);
                self.rope.byte_to_char((base + col).min(end))
            }
        }
    }
}

/// Positions of one text snapshot: byte offsets ↔ LSP positions.
pub struct Positions<'t> {
    pub text: &'t str,
    pub lines: LineIndex,
    pub enc: Encoding,
}

impl<'t> Positions<'t> {
    pub fn new(text: &'t str, enc: Encoding) -> Self {
        Positions {
            text,
            lines: LineIndex::new(text),
            enc,
        }
    }

    pub fn position(&self, offset: usize) -> Position {
        let offset = clamp_to_char_boundary(self.text, offset);
        let line = self.lines.line_of(offset);
        let start = self.lines.line_start(line);
        let col = match self.enc {
            Encoding::Utf8 => offset - start,
            Encoding::Utf16 => self.text[start..offset].chars().map(char::len_utf16).sum(),
        };
        Position::new(line as u32, col as u32)
    }

    pub fn range(&self, span: Span) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    /// The byte offset of a position, clamped into the text.
    pub fn offset(&self, pos: Position) -> usize {
        let line = pos.line as usize;
        if line >= self.lines.line_count() {
            return self.text.len();
        }
        let start = self.lines.line_start(line);
        let content = self.lines.line_text(self.text, line);
        let col = pos.character as usize;
        match self.enc {
            Encoding::Utf8 => clamp_to_char_boundary(self.text, start + col.min(content.len())),
            Encoding::Utf16 => {
                let mut units = 0;
                for (i, c) in content.char_indices() {
                    if units >= col {
                        return start + i;
                    }
                    units += c.len_utf16();
                }
                start + content.len()
            }
        }
    }

    pub fn span(&self, range: Range) -> Span {
        Span::new(self.offset(range.start), self.offset(range.end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri() -> Uri {
        "file:///tmp/x.trial.yaml".parse().unwrap()
    }

    fn edit(l0: u32, c0: u32, l1: u32, c1: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l0, c0), Position::new(l1, c1))),
            range_length: None,
            text: text.into(),
        }
    }

    #[test]
    fn utf16_and_utf8_edits_after_non_ascii() {
        // `µ` is 2 UTF-8 bytes and 1 UTF-16 unit; `😀` is 4 bytes and 2 units.
        let mut d = Document::new(uri(), 1, "a: µ😀x\n");
        assert!(d.change(2, vec![edit(0, 6, 0, 7, "y")], Encoding::Utf16));
        assert_eq!(d.text(), "a: µ😀y\n");
        assert!(d.change(3, vec![edit(0, 9, 0, 10, "z")], Encoding::Utf8));
        assert_eq!(d.text(), "a: µ😀z\n");
    }

    #[test]
    fn changes_apply_in_version_order() {
        let mut d = Document::new(uri(), 1, "abc");
        // Version 3 (insert at 1) arrives before 2 (insert at 0): it waits.
        assert!(!d.change(3, vec![edit(0, 1, 0, 1, "3")], Encoding::Utf16));
        assert_eq!(d.text(), "abc");
        assert!(d.change(2, vec![edit(0, 0, 0, 0, "2")], Encoding::Utf16));
        assert_eq!(d.text(), "23abc");
        assert_eq!(d.version, 3);
        // A stale version is ignored.
        assert!(!d.change(2, vec![edit(0, 0, 0, 0, "X")], Encoding::Utf16));
        assert_eq!(d.text(), "23abc");
        // A client that skips numbers: the early edit is applied once another arrives.
        assert!(!d.change(5, vec![edit(0, 0, 0, 0, "5")], Encoding::Utf16));
        assert!(d.change(7, vec![edit(0, 0, 0, 0, "7")], Encoding::Utf16));
        assert_eq!(d.text(), "7523abc");
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let mut d = Document::new(uri(), 1, "ab\ncd");
        d.change(2, vec![edit(9, 9, 12, 0, "!")], Encoding::Utf16);
        assert_eq!(d.text(), "ab\ncd!");
        let text = "间充质 x";
        let p = Positions::new(text, Encoding::Utf16);
        assert_eq!(p.position(text.find('x').unwrap()), Position::new(0, 4));
        assert_eq!(p.offset(Position::new(0, 4)), text.find('x').unwrap());
        assert_eq!(p.offset(Position::new(7, 0)), text.len());
        let p8 = Positions::new(text, Encoding::Utf8);
        assert_eq!(p8.position(text.find('x').unwrap()), Position::new(0, 10));
    }
}
