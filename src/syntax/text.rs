//! Byte spans and the byte-offset → line/column index shared by every shell.

/// A byte range `start..end` into the document text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start,
            end: end.max(start),
        }
    }
    pub fn empty(at: usize) -> Self {
        Span { start: at, end: at }
    }
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
    pub fn contains(self, offset: usize) -> bool {
        self.start <= offset && offset <= self.end
    }
}

/// Maps byte offsets to 0-based lines and to columns in Unicode scalar values
/// (the command line) or UTF-16 code units (the language server's default).
///
/// A line ends at `\n`, `\r\n` or a lone `\r`: the Language Server Protocol's
/// definition, used by every shell so that the editor, the server and the command
/// line agree. U+2028, U+2029, U+0085, VT and FF are ordinary characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

/// Whether a line starts at byte `at` (`0 < at <= text.len()`).
fn starts_line(bytes: &[u8], at: usize) -> bool {
    match bytes[at - 1] {
        b'\n' => true,
        b'\r' => bytes.get(at) != Some(&b'\n'),
        _ => false,
    }
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        // Most files have no CR at all: then the fast `\n` search says it all.
        if !bytes.contains(&b'\r') {
            line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
            return LineIndex { line_starts };
        }
        for (i, &b) in bytes.iter().enumerate() {
            if (b == b'\n' || b == b'\r') && starts_line(bytes, i + 1) {
                line_starts.push(i + 1);
            }
        }
        LineIndex { line_starts }
    }

    /// Update the index after `old_start..old_end` of the previous text was replaced
    /// by `new_len` bytes, giving `text`. Costs the length of the inserted text plus
    /// a shift of the later line starts, not a rescan of the document.
    pub fn edit(&mut self, text: &str, start: usize, old_end: usize, new_len: usize) {
        let bytes = text.as_bytes();
        // A line start `s` depends on the bytes at `s - 1` and `s` only, so the
        // starts in `start..=old_end` (old text) are the only ones that can change.
        let lo = self.line_starts.partition_point(|&s| s < start.max(1));
        let hi = self.line_starts.partition_point(|&s| s <= old_end);
        let lo = lo.min(hi);
        let fresh: Vec<usize> = (start.max(1)..=(start + new_len).min(bytes.len()))
            .filter(|&s| starts_line(bytes, s))
            .collect();
        for s in &mut self.line_starts[hi..] {
            *s = *s - old_end + start + new_len;
        }
        self.line_starts.splice(lo..hi, fresh);
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where 0-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts[line.min(self.line_starts.len() - 1)]
    }

    /// 0-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset) - 1
    }

    /// The text of 0-based `line` without its line break.
    pub fn line_text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let start = self.line_start(line);
        let end = self
            .line_starts
            .get(line + 1)
            .copied()
            .unwrap_or(text.len());
        let line = text.get(start..end).unwrap_or("");
        line.strip_suffix("\r\n")
            .or_else(|| line.strip_suffix('\n'))
            .or_else(|| line.strip_suffix('\r'))
            .unwrap_or(line)
    }

    /// 0-based (line, column) with the column counted in Unicode scalar values.
    /// A byte order mark at the start of the file is not counted.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = clamp_to_char_boundary(text, offset);
        let line = self.line_of(offset);
        let mut start = self.line_starts[line];
        if line == 0 && text.starts_with('\u{feff}') {
            start = start.max(3).min(offset);
        }
        let col = text[start..offset].chars().count();
        (line, col)
    }

    /// 0-based (line, column) with the column counted in UTF-16 code units.
    pub fn line_col_utf16(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = clamp_to_char_boundary(text, offset);
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let col = text[start..offset].chars().map(char::len_utf16).sum();
        (line, col)
    }
}

/// The nearest char boundary at or before `offset`, within the text.
pub fn clamp_to_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_scalar_values_not_bytes() {
        let text = "title: 间充质干细胞 x\nb: 1\n";
        let idx = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(idx.line_col(text, x), (0, 14));
        assert_eq!(idx.line_col(text, text.find('b').unwrap()), (1, 0));
    }

    #[test]
    fn utf16_counts_surrogate_pairs() {
        let text = "a: 😀x";
        let idx = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(idx.line_col(text, x), (0, 4));
        assert_eq!(idx.line_col_utf16(text, x), (0, 5));
    }

    #[test]
    fn lines_end_at_lf_crlf_and_lone_cr_only() {
        let text = "a\rb\r\nc\nd\u{2028}e\u{2029}f\u{85}g\u{b}h\u{c}i";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 4);
        assert_eq!(idx.line_col(text, text.find('b').unwrap()), (1, 0));
        assert_eq!(idx.line_col(text, text.find('d').unwrap()), (3, 0));
        assert_eq!(idx.line_text(text, 0), "a");
        assert_eq!(idx.line_text(text, 1), "b");
        assert_eq!(idx.line_col(text, text.find('i').unwrap()), (3, 10));
        // CR-only files: every line counted.
        let cr = "trf: 1\rid: x\rtitle: y\r";
        let idx = LineIndex::new(cr);
        assert_eq!(idx.line_count(), 4);
        assert_eq!(idx.line_col(cr, cr.find("title").unwrap()), (2, 0));
    }

    #[test]
    fn incremental_edits_agree_with_a_rebuild() {
        // A small deterministic generator: edits at every kind of boundary,
        // including ones that join or split `\r\n`.
        let pieces = ["\r", "\n", "\r\n", "x", "\u{2028}", "µ", ""];
        let mut text = String::from("a\r\nb\rc\n");
        let mut idx = LineIndex::new(&text);
        let mut seed: u64 = 0x9e3779b97f4a7c15;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n.max(1) as u64) as usize
        };
        for _ in 0..2000 {
            let bounds: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            let a = bounds[next(bounds.len())];
            let b = bounds[next(bounds.len())];
            let (start, end) = (a.min(b), a.max(b).min(a.min(b) + 4));
            let end = (start..=end)
                .rev()
                .find(|&i| text.is_char_boundary(i))
                .unwrap();
            let new: String = (0..next(3)).map(|_| pieces[next(pieces.len())]).collect();
            text.replace_range(start..end, &new);
            idx.edit(&text, start, end, new.len());
            assert_eq!(idx, LineIndex::new(&text), "{text:?}");
        }
    }

    #[test]
    fn bom_is_not_a_column() {
        let text = "\u{feff}trf: 1";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 3), (0, 0));
        assert_eq!(idx.line_col(text, 6), (0, 3));
    }
}
