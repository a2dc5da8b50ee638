//! The language server's document store under random incremental edits, against a
//! reference string edited by an independent reading of LSP positions (lines end at
//! `\n`, `\r\n` or `\r`; nothing else, not U+2028, U+2029, U+0085, VT or FF). After
//! every change the store's text equals the reference and its line index equals one
//! built afresh. Versions go up by random steps, sometimes back (ignored).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent, Uri};
use trls::lsp::convert::Encoding;
use trls::lsp::document::Document;
use trls::syntax::LineIndex;

/// Pieces the edits insert: line ends of every kind and the separators LSP does not
/// count, multi-byte and astral characters.
const PIECES: &[&str] = &[
    "a", "\n", "\r\n", "\r", "\u{2028}", "\u{2029}", "\u{85}", "\u{b}", "\u{c}", "µ", "间",
    "😀", "key: value\n", "  - id: x\r\n", "", "\r\r\n\n",
];

/// LSP lines of a text: (start, end of content) byte offsets.
fn lines(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\n' => {
                out.push((start, i));
                start = i + 1;
            }
            b'\r' => {
                out.push((start, i));
                if b.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push((start, b.len()));
    out
}

/// The reference reading of a position: past the last line is the end of the text,
/// a column past the line's content its end, inside a character that character.
fn offset(text: &str, pos: Position, utf16: bool) -> usize {
    let ls = lines(text);
    let Some(&(start, end)) = ls.get(pos.line as usize) else {
        return text.len();
    };
    let mut units = 0usize;
    for (i, c) in text[start..end].char_indices() {
        units += if utf16 { c.len_utf16() } else { c.len_utf8() };
        if units > pos.character as usize {
            return start + i;
        }
    }
    end
}

fuzz_target!(|data: &[u8]| {
    let mut bytes = data.iter().copied();
    let mut next = move || bytes.next();
    let Some(first) = next() else { return };
    let utf16 = first & 1 == 0;
    let enc = if utf16 { Encoding::Utf16 } else { Encoding::Utf8 };
    let mut reference = String::new();
    for _ in 0..(first >> 1) % 8 {
        reference.push_str(PIECES[next().unwrap_or(0) as usize % PIECES.len()]);
    }
    let uri: Uri = "file:///fuzz.trial.yaml".parse().unwrap();
    let mut version = 1;
    let mut doc = Document::new(uri, version, reference.clone());
    while let (Some(a), Some(b), Some(c), Some(d), Some(e)) = (next(), next(), next(), next(), next()) {
        let n = lines(&reference).len() as u32;
        let start = Position::new(u32::from(a) % (n + 1), u32::from(b) % 12);
        let end = if c & 0x80 == 0 {
            start
        } else {
            Position::new(u32::from(c & 0x7f) % (n + 1), u32::from(d) % 12)
        };
        let insert = PIECES[e as usize % PIECES.len()];
        let step = i32::from(d % 4) - 1; // -1 (stale, ignored), 0 (same, ignored), 1, 2
        let whole = e % 29 == 0;
        let change = TextDocumentContentChangeEvent {
            range: (!whole).then(|| Range::new(start, end)),
            range_length: None,
            text: insert.to_string(),
        };
        let applied = doc.change(version + step, vec![change], enc);
        assert_eq!(applied, step > 0, "version {} after {version}", version + step);
        if applied {
            version += step;
            if whole {
                reference = insert.to_string();
            } else {
                let s = offset(&reference, start, utf16);
                let t = offset(&reference, end, utf16).max(s);
                reference.replace_range(s..t, insert);
            }
        }
        assert_eq!(doc.text().as_str(), reference, "the store's copy drifted");
        let fresh = LineIndex::new(&reference);
        let ours = doc.lines();
        assert_eq!(ours.line_count(), fresh.line_count());
        for l in 0..fresh.line_count() {
            assert_eq!(ours.line_start(l), fresh.line_start(l), "line {l}");
        }
        assert_eq!(ours.line_count(), lines(&reference).len(), "not LSP's lines");
    }
});
