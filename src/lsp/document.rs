//! Open documents: the text and its line index (LSP's lines: `\n`, `\r\n`, `\r`),
//! incremental edits applied in arrival order, and cheap snapshots for requests
//! and checks.
//!
//! The text is a `String` behind an `Arc`: a snapshot is a reference count, and an
//! edit copies the text only while a snapshot of the previous version is still
//! alive. The line index is updated by the edit, never rebuilt from a rope with
//! another definition of a line.

use std::path::PathBuf;
use std::sync::Arc;

use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

use super::convert::{Encoding, Positions};
use crate::syntax::{LineIndex, Syntax};

pub struct Document {
    pub uri: Uri,
    pub path: Option<PathBuf>,
    pub syntax: Syntax,
    pub version: i32,
    text: Arc<String>,
    lines: Arc<LineIndex>,
}

impl Document {
    pub fn new(uri: Uri, version: i32, text: String) -> Document {
        let path = uri.to_file_path().map(|p| p.into_owned());
        let syntax = match &path {
            Some(p) => Syntax::from_path(p),
            None if uri.as_str().ends_with(".json") => Syntax::Json,
            None => Syntax::Yaml,
        };
        let lines = Arc::new(LineIndex::new(&text));
        Document {
            uri,
            path,
            syntax,
            version,
            text: Arc::new(text),
            lines,
        }
    }

    /// The current text (a snapshot: later edits do not change it).
    pub fn text(&self) -> Arc<String> {
        self.text.clone()
    }

    pub fn lines(&self) -> Arc<LineIndex> {
        self.lines.clone()
    }

    /// Apply a `didChange`. LSP versions increase but need not be consecutive, so
    /// changes apply in arrival order; only a version not greater than the current
    /// one is ignored. Returns whether the change was applied.
    pub fn change(
        &mut self,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        enc: Encoding,
    ) -> bool {
        if version <= self.version {
            return false;
        }
        for c in changes {
            self.apply(c, enc);
        }
        self.version = version;
        true
    }

    fn apply(&mut self, change: TextDocumentContentChangeEvent, enc: Encoding) {
        match change.range {
            None => {
                self.lines = Arc::new(LineIndex::new(&change.text));
                self.text = Arc::new(change.text);
            }
            Some(range) => {
                let span = Positions::new(&self.text, &self.lines, enc).span(range);
                let text = Arc::make_mut(&mut self.text);
                text.replace_range(span.start..span.end, &change.text);
                Arc::make_mut(&mut self.lines).edit(text, span.start, span.end, change.text.len());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{Position, Range};

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
        let mut d = Document::new(uri(), 1, "a: µ😀x\n".into());
        assert!(d.change(2, vec![edit(0, 6, 0, 7, "y")], Encoding::Utf16));
        assert_eq!(*d.text(), "a: µ😀y\n");
        assert!(d.change(3, vec![edit(0, 9, 0, 10, "z")], Encoding::Utf8));
        assert_eq!(*d.text(), "a: µ😀z\n");
    }

    #[test]
    fn changes_apply_in_arrival_order_and_versions_may_skip() {
        let mut d = Document::new(uri(), 1, "abc".into());
        assert!(d.change(3, vec![edit(0, 1, 0, 1, "3")], Encoding::Utf16));
        assert_eq!(*d.text(), "a3bc");
        // Not newer than the current version: ignored.
        assert!(!d.change(2, vec![edit(0, 0, 0, 0, "2")], Encoding::Utf16));
        assert!(!d.change(3, vec![edit(0, 0, 0, 0, "X")], Encoding::Utf16));
        assert_eq!(*d.text(), "a3bc");
        assert!(d.change(10, vec![edit(0, 0, 0, 0, "!")], Encoding::Utf16));
        assert_eq!((d.text().as_str(), d.version), ("!a3bc", 10));
    }

    #[test]
    fn unicode_separators_are_not_line_breaks() {
        for sep in ["\u{2028}", "\u{2029}", "\u{85}", "\u{b}", "\u{c}"] {
            let mut d = Document::new(uri(), 1, format!("a{sep}b\nc"));
            // Line 1 is `c`: an edit there must not land inside line 0.
            assert!(d.change(2, vec![edit(1, 0, 1, 1, "C")], Encoding::Utf16));
            assert_eq!(*d.text(), format!("a{sep}b\nC"), "{sep:?}");
        }
        let mut d = Document::new(uri(), 1, "a\rb\rc".into());
        assert!(d.change(2, vec![edit(2, 0, 2, 1, "C")], Encoding::Utf16));
        assert!(d.change(3, vec![edit(0, 1, 1, 0, "\r\n")], Encoding::Utf16));
        assert_eq!(*d.text(), "a\r\nb\rC");
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let mut d = Document::new(uri(), 1, "ab\ncd".into());
        d.change(2, vec![edit(9, 9, 12, 0, "!")], Encoding::Utf16);
        assert_eq!(*d.text(), "ab\ncd!");
    }
}
