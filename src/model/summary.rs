//! What a record on disk contributes to the workspace index, read cheaply for
//! indexing a workspace at start-up: of a block-style YAML record only the top-level
//! sections the summary reads (`id`, `title`, `secondary_ids`, `related`) are
//! parsed, with the same parser, and their spans mapped back to the file. Most of a
//! record's bytes (its results, outcomes and arms) are never parsed.
//!
//! The result must be exactly the whole record's summary (`whole`), spans included,
//! so the sections are cut only where that is certain: every line of the record,
//! in every section, must belong to a small subset of block YAML that a line-by-line
//! check ([`certainly_plain`]) can tell parses without a syntax error, as one
//! mapping at column 0 whose entries are the `key:` lines at column 0, each value
//! ending before the next. That matters outside the kept sections too: the whole
//! parse recovers from a syntax error by blanking its line, which can join the lines
//! around it to a kept value, and it stops reading after a few errors. Anything
//! else — JSON, a root indented under a comment, document markers, directives,
//! anchors, aliases, tags, quoted or complex keys, multi-line plain, quoted or flow
//! values, tabs, a BOM, a lone `\r` — is read whole. `tests` compare the two on
//! every record the repository holds and on every input on which they once
//! differed (`tests/summary/`); the `check` fuzz target compares them on every
//! input. The language server's start-up indexing reaches it through
//! `engine::summarize_sections`.

use std::path::Path;

use crate::model::RecordSummary;
use crate::syntax::{self, Span, Syntax};

/// The top-level keys a summary reads (see `RecordSummary::build`).
const KEYS: [&str; 4] = ["id", "title", "secondary_ids", "related"];

/// The record's summary, read from as little of the text as it needs.
pub fn summarize(bytes: &[u8], path: &Path) -> RecordSummary {
    if Syntax::from_path(path) == Syntax::Yaml {
        if let Some(summary) = std::str::from_utf8(bytes).ok().and_then(from_sections) {
            return summary;
        }
    }
    whole(bytes, path)
}

/// The summary of the whole record, parsed (one that is not UTF-8 has none).
pub fn whole(bytes: &[u8], path: &Path) -> RecordSummary {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return RecordSummary::default();
    };
    let parsed = syntax::parse(text, Syntax::from_path(path));
    parsed
        .root
        .as_ref()
        .map(RecordSummary::build)
        .unwrap_or_default()
}

/// A kept section: where it starts in the fragment and in the file, and its length.
struct Piece {
    at: usize,
    from: usize,
    len: usize,
}

/// The top-level key of a line at column 0 (`key:` followed by a space or the
/// line's end); `None` when the line is anything else.
fn top_level_key(line: &str) -> Option<&str> {
    let end = line.find(':')?;
    let key = &line[..end];
    let after = line[end + 1..].chars().next();
    let plain = !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    (plain && matches!(after, None | Some(' ' | '\n' | '\r'))).then_some(key)
}

/// The summary from the kept sections alone; `None` where the text is not certainly
/// plain enough to cut into sections ([`certainly_plain`]) or the kept sections do
/// not parse cleanly (the caller reads it whole).
fn from_sections(text: &str) -> Option<RecordSummary> {
    if !certainly_plain(text) {
        return None;
    }
    let mut fragment = String::new();
    let mut pieces: Vec<Piece> = Vec::new();
    let mut keep = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let from = offset;
        offset += line.len();
        match line.as_bytes().first() {
            // Inside the current section: indented lines, blank lines, comments,
            // and a sequence's items at column 0 (`related:` then `- NCT…`).
            Some(b' ' | b'\n' | b'\r' | b'#') => {}
            Some(b'-') if matches!(line.as_bytes().get(1), None | Some(b' ' | b'\n' | b'\r')) => {}
            _ => keep = KEYS.contains(&top_level_key(line)?),
        }
        if keep {
            match pieces.last_mut() {
                Some(p) if p.from + p.len == from => p.len += line.len(),
                _ => pieces.push(Piece {
                    at: fragment.len(),
                    from,
                    len: line.len(),
                }),
            }
            fragment.push_str(line);
        }
    }
    // Nothing is added at the end: a kept section that ends the file is parsed
    // from the same bytes as in the file (with or without a final line break).
    let parsed = syntax::parse(&fragment, Syntax::Yaml);
    if !parsed.errors.is_empty() {
        return None;
    }
    let mut summary = parsed
        .root
        .as_ref()
        .map(RecordSummary::build)
        .unwrap_or_default();
    let map = |span: &mut Span| {
        let piece = pieces
            .iter()
            .rev()
            .find(|p| p.at <= span.start)
            .unwrap_or(&pieces[0]);
        let shift = |o: usize| o - piece.at + piece.from;
        *span = Span::new(shift(span.start), shift(span.end));
    };
    if pieces.is_empty() {
        return Some(summary);
    }
    for (_, span) in summary
        .id
        .iter_mut()
        .chain(summary.secondary.iter_mut())
        .chain(summary.related.iter_mut())
    {
        map(span);
    }
    Some(summary)
}

/// Whether the whole text is certainly one block mapping at column 0 whose entries
/// are exactly its `key:` lines at column 0, each value confined to the lines before
/// the next such line, and which parses without a syntax error. It is a small,
/// deliberately strict subset of block YAML, checked line by line without the
/// parser: nested block mappings and lists (lists also at their key's indentation),
/// plain keys, one-line plain, quoted and flow values, and `|`/`>` block scalars.
/// Anything else (anchors, aliases, tags, directives and document markers,
/// multi-line plain, quoted or flow values, complex or quoted keys, tabs, a BOM,
/// control characters, a lone `\r`, a line indented where no value may start) is
/// not certain, and the caller reads the record whole. Syntax errors matter even in
/// a section the summary does not read: the whole parse recovers by blanking the
/// line of an error and may then read the lines around it differently.
fn certainly_plain(text: &str) -> bool {
    let bytes = text.as_bytes();
    let lone_cr = bytes
        .iter()
        .enumerate()
        .any(|(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
    let odd = |c: char| {
        (c < ' ' && c != '\n' && c != '\r')
            || ('\u{7f}'..='\u{9f}').contains(&c)
            || matches!(
                c,
                '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
            )
    };
    if lone_cr || text.chars().any(odd) {
        return false;
    }
    let mut lines = Lines::default();
    text.split('\n')
        .all(|line| lines.line(line.strip_suffix('\r').unwrap_or(line)))
        && lines.started
}

/// How deep block collections may nest before the checker gives up (the parser's
/// own limit is far above).
const MAX_LEVELS: usize = 64;

#[derive(Clone, Copy, PartialEq)]
enum Owner {
    /// A `key:` with no value on its line, in a mapping at this column.
    Key,
    /// A `-` with no value on its line, in a list at this column.
    Item,
}

#[derive(Clone, Copy)]
struct Level {
    indent: usize,
    seq: bool,
}

/// A `|` or `>` block scalar being read: the column of what owns it, and the
/// indentation of its content once its first line is seen.
#[derive(Clone, Copy)]
struct Block {
    parent: usize,
    content: Option<usize>,
}

#[derive(Default)]
struct Lines {
    started: bool,
    stack: Vec<Level>,
    /// A value that may start on a later, more indented line: its owner's column.
    pending: Option<(usize, Owner)>,
    block: Option<Block>,
}

impl Lines {
    /// Take one line (without its line break); `false` when it is not certain.
    fn line(&mut self, line: &str) -> bool {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent..];
        if let Some(block) = &mut self.block {
            match block.content {
                // All-space lines before the content could be more indented than it.
                None if rest.is_empty() => return indent == 0,
                None if indent > block.parent => {
                    block.content = Some(indent);
                    return true;
                }
                Some(c) if rest.is_empty() || indent >= c => return true,
                _ => {}
            }
            // The scalar ends here; a comment ending it must not be indented past
            // its owner (where the parser might read it otherwise).
            let parent = block.parent;
            self.block = None;
            if rest.starts_with('#') && indent > parent {
                return false;
            }
        }
        if rest.is_empty() || rest.starts_with('#') {
            return true;
        }
        if !self.started {
            // The first line with content is a key at column 0: the root is a
            // block mapping at column 0.
            if indent != 0 || top_level_key(line).is_none() {
                return false;
            }
            self.started = true;
            self.stack.push(Level {
                indent: 0,
                seq: false,
            });
            return self.content(rest, 0);
        }
        let item = is_item(rest);
        match self.pending.take() {
            Some((col, _)) if indent > col => {
                self.stack.push(Level { indent, seq: item });
                return self.stack.len() <= MAX_LEVELS && self.content(rest, indent);
            }
            // `key:` then its list's items at the key's own indentation.
            Some((col, Owner::Key)) if indent == col && item => {
                self.stack.push(Level { indent, seq: true });
                return self.content(rest, indent);
            }
            _ => {}
        }
        while self.stack.last().is_some_and(|l| l.indent > indent) {
            self.stack.pop();
        }
        let n = self.stack.len();
        // A list at its key's indentation ends at the next key.
        if n >= 2 && !item {
            let (outer, inner) = (self.stack[n - 2], self.stack[n - 1]);
            if inner.seq && !outer.seq && inner.indent == indent && outer.indent == indent {
                self.stack.pop();
            }
        }
        match self.stack.last() {
            Some(l) if l.indent == indent && l.seq == item => {}
            _ => return false,
        }
        if indent == 0 && top_level_key(line).is_none() && !item {
            return false;
        }
        self.content(rest, indent)
    }

    /// The content of a line at column `col`: an entry of the mapping or an item of
    /// the list at the top of the stack (already checked to be the right kind).
    fn content(&mut self, rest: &str, col: usize) -> bool {
        if is_item(rest) {
            let after = &rest[1..];
            let gap = after.len() - after.trim_start_matches(' ').len();
            let value = &after[gap..];
            let at = col + 1 + gap;
            if value.is_empty() || value.starts_with('#') {
                self.pending = Some((col, Owner::Item));
                return true;
            }
            if is_item(value) || key_of(value).is_some() {
                self.stack.push(Level {
                    indent: at,
                    seq: is_item(value),
                });
                return self.stack.len() <= MAX_LEVELS && self.content(value, at);
            }
            return self.value(value, col);
        }
        let Some(key) = key_of(rest) else {
            return false;
        };
        let after = &rest[key.len() + 1..];
        let value = after.trim_start_matches(' ');
        if value.is_empty() || value.starts_with('#') {
            self.pending = Some((col, Owner::Key));
            return true;
        }
        self.value(value, col)
    }

    /// A value written on its key's or item's line; `parent` is the owner's column.
    fn value(&mut self, value: &str, parent: usize) -> bool {
        let mut s = Scan::new(value);
        let ok = match value.as_bytes()[0] {
            b'|' | b'>' => {
                s.i = 1;
                if matches!(s.peek(), Some(b'+' | b'-')) {
                    s.i += 1;
                }
                self.block = Some(Block {
                    parent,
                    content: None,
                });
                true
            }
            b'"' | b'\'' | b'[' | b'{' => s.node(0),
            _ => s.block_plain(),
        };
        ok && s.end()
    }
}

/// A list item: `-` then a space or the line's end.
fn is_item(rest: &str) -> bool {
    rest.starts_with('-') && matches!(rest.as_bytes().get(1), None | Some(b' '))
}

/// The key of `key:` (then a space or the line's end) at the start of `rest`.
fn key_of(rest: &str) -> Option<&str> {
    let end = rest.find(':')?;
    let key = &rest[..end];
    let plain = (1..=200).contains(&key.len())
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    (plain && matches!(rest.as_bytes().get(end + 1), None | Some(b' '))).then_some(key)
}

/// A cursor over one value's text.
struct Scan<'t> {
    t: &'t [u8],
    i: usize,
}

impl<'t> Scan<'t> {
    fn new(t: &'t str) -> Self {
        Scan {
            t: t.as_bytes(),
            i: 0,
        }
    }
    fn peek(&self) -> Option<u8> {
        self.t.get(self.i).copied()
    }
    fn spaces(&mut self) -> usize {
        let from = self.i;
        while self.peek() == Some(b' ') {
            self.i += 1;
        }
        self.i - from
    }
    /// Only spaces, then the line's end or a comment after a space.
    fn end(&mut self) -> bool {
        let gap = self.spaces();
        match self.peek() {
            None => true,
            Some(b'#') => gap > 0,
            _ => false,
        }
    }
    /// Whether the next byte may start a plain scalar here (`-` only before a
    /// digit or a dot, as in `-1.5`).
    fn plain_start(&self) -> bool {
        match self.peek() {
            None => false,
            Some(b'-') => matches!(self.t.get(self.i + 1), Some(b'0'..=b'9' | b'.')),
            Some(b) => !b"?:,[]{}#&*!|>'\"%@` ".contains(&b),
        }
    }
    /// A plain scalar in block context: up to the line's end or a comment; no
    /// `: ` (or a final `:`) inside.
    fn block_plain(&mut self) -> bool {
        if !self.plain_start() {
            return false;
        }
        while let Some(b) = self.peek() {
            match b {
                b':' if matches!(self.t.get(self.i + 1), None | Some(b' ')) => return false,
                b' ' if self.t.get(self.i + 1) == Some(&b'#') => return true,
                _ => self.i += 1,
            }
        }
        true
    }
    /// A quoted scalar, or a flow collection closed on this line, `depth` deep.
    fn node(&mut self, depth: usize) -> bool {
        match self.peek() {
            Some(b'"') => self.double(),
            Some(b'\'') => self.single(),
            Some(open @ (b'[' | b'{')) if depth < 16 => {
                self.i += 1;
                let close = if open == b'[' { b']' } else { b'}' };
                self.spaces();
                if self.peek() == Some(close) {
                    self.i += 1;
                    return true;
                }
                loop {
                    if open == b'{' && !self.pair(depth) {
                        return false;
                    }
                    if open == b'[' && !self.flow_node(depth) {
                        return false;
                    }
                    self.spaces();
                    match self.peek() {
                        Some(b',') => {
                            self.i += 1;
                            self.spaces();
                            if self.peek() == Some(close) {
                                self.i += 1;
                                return true;
                            }
                        }
                        Some(b) if b == close => {
                            self.i += 1;
                            return true;
                        }
                        _ => return false,
                    }
                }
            }
            _ => false,
        }
    }
    /// `key: value` in a flow mapping (a plain key, a space after the colon).
    fn pair(&mut self, depth: usize) -> bool {
        let from = self.i;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            self.i += 1;
        }
        if self.i == from || self.i - from > 200 || self.peek() != Some(b':') {
            return false;
        }
        self.i += 1;
        self.spaces() > 0 && self.flow_node(depth)
    }
    /// A value inside a flow collection.
    fn flow_node(&mut self, depth: usize) -> bool {
        match self.peek() {
            Some(b'"' | b'\'' | b'[' | b'{') => self.node(depth + 1),
            _ if self.plain_start() => {
                // Plain text up to `,` or a closing bracket; no `#`, no opening
                // bracket, and `:` only before text (`https://…`).
                while let Some(b) = self.peek() {
                    match b {
                        b',' | b']' | b'}' => break,
                        b':' if !matches!(
                            self.t.get(self.i + 1),
                            Some(c) if !b" ,[]{}".contains(c)
                        ) =>
                        {
                            return false
                        }
                        b'#' | b'[' | b'{' => return false,
                        _ => self.i += 1,
                    }
                }
                true
            }
            _ => false,
        }
    }
    /// `"…"` closed on this line, its escapes well-formed (no surrogate halves).
    fn double(&mut self) -> bool {
        self.i += 1;
        while let Some(b) = self.peek() {
            self.i += 1;
            match b {
                b'"' => return true,
                b'\\' => {
                    let Some(e) = self.peek() else {
                        return false;
                    };
                    self.i += 1;
                    let digits = match e {
                        b'x' => 2,
                        b'u' => 4,
                        b'U' => 8,
                        _ if b"0abtnvfre /\\\"N_LP".contains(&e) => 0,
                        _ => return false,
                    };
                    if digits > 0 {
                        let hex = self.t.get(self.i..self.i + digits);
                        let code = hex
                            .and_then(|h| std::str::from_utf8(h).ok())
                            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
                            .and_then(|h| u32::from_str_radix(h, 16).ok());
                        // A code point, not half of a surrogate pair.
                        if code.and_then(char::from_u32).is_none() {
                            return false;
                        }
                        self.i += digits;
                    }
                }
                _ => {}
            }
        }
        false
    }
    /// `'…'` closed on this line (`''` is a quote inside).
    fn single(&mut self) -> bool {
        self.i += 1;
        while let Some(b) = self.peek() {
            self.i += 1;
            if b == b'\'' {
                if self.peek() == Some(b'\'') {
                    self.i += 1;
                } else {
                    return true;
                }
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn records(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                records(&p, out);
            } else if [".trial.yaml", ".trial.yml", ".trial.json"]
                .iter()
                .any(|e| p.to_string_lossy().ends_with(e))
            {
                out.push(p);
            }
        }
    }

    #[test]
    fn the_summary_is_the_engines_for_every_record_in_the_repository() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut found = Vec::new();
        for dir in ["examples", "tests"] {
            records(&root.join(dir), &mut found);
        }
        assert!(found.len() > 100, "{} records", found.len());
        let mut cut = 0;
        for path in &found {
            let bytes = std::fs::read(path).unwrap();
            assert_eq!(
                summarize(&bytes, path),
                whole(&bytes, path),
                "{}",
                path.display()
            );
            cut += std::str::from_utf8(&bytes)
                .ok()
                .and_then(from_sections)
                .is_some() as usize;
        }
        assert!(
            cut > found.len() / 2,
            "only {cut} of {} read in sections",
            found.len()
        );
    }

    #[test]
    fn sections_at_column_zero_and_what_is_read_whole() {
        let path = Path::new("/w/a.trial.yaml");
        let text = "trf: 1\n# note\nid: NCT00000001\nresults:\n  - {outcome: x}\nsecondary_ids:\n- {id: NCT00000002, type: REGISTRY}\ntitle: |\n  A title\nrelated: [NCT00000003]";
        let cut = from_sections(text).expect("plain enough");
        assert_eq!(cut, whole(text.as_bytes(), path));
        let id = cut.id.as_ref().unwrap();
        assert_eq!(&text[id.1.start..id.1.end], "NCT00000001");
        let rel = &cut.related[0];
        assert_eq!(&text[rel.1.start..rel.1.end], "NCT00000003");
        // Cut: what ordinary records hold (comments, lists at their key's
        // indentation and under it, flow lists and mappings with quoted text, block
        // scalars, CRLF line ends).
        for text in [
            "# c\ntrf: 1\nid: NCT00000001  # own\nphases: [PHASE1, PHASE2]\n",
            "id: NCT00000001\narms:\n  - id: a\n    label: 'it''s'\n    interventions: [x]\n  -\n    id: b\n",
            "id: NCT00000001\nsponsors:\n- { name: \"A, Ltd\", class: INDUSTRY }\nrelated:\n- NCT00000002\n",
            "title: >-\n  A\n\n  B\nnotes: |\n    x: [\n# c\nid: NCT00000001\n",
            "id: NCT00000001\r\ntitle: x\r\nurl: https://example.org/a#b\r\n",
        ] {
            assert!(from_sections(text).is_some(), "{text}");
            assert_eq!(summarize(text.as_bytes(), path), whole(text.as_bytes(), path), "{text}");
        }
        // Not cut: flow style, quoted keys, document markers, aliases, bad syntax
        // (in a kept section or elsewhere), a root indented under a comment, a lone
        // CR (a line break to YAML), tabs, a BOM, values running on over lines.
        for text in [
            "{trf: 1, id: NCT00000001}\n",
            "\"id\": NCT00000001\n",
            "---\nid: NCT00000001\n",
            "x: &a NCT00000001\nrelated: [*a]\n",
            "id: [NCT00000001\n",
            "title: A\nstatus: @x\n  continued\nid: NCT00000001\n",
            "# c\n  id: NCT00000001\n",
            "trf: 1\rid: NCT00000001\n",
            "id: NCT00000001\nx:\n\ty: 1\n",
            "\u{feff}id: NCT00000001\n",
            "x: [a,\nid: NCT00000001]\n",
            "x: \"a\nid: NCT00000001\"\n",
            "title: a\n  b\nid: NCT00000001\n",
            "x:\n  a: 1\n  foo\nid: NCT00000001\n",
            "x: \"\\ud800\"\nid: NCT00000001\n",
            "? id\n: NCT00000001\n",
        ] {
            assert!(from_sections(text).is_none(), "{text}");
            assert_eq!(
                summarize(text.as_bytes(), path),
                whole(text.as_bytes(), path),
                "{text}"
            );
        }
    }
}
