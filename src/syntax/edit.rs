//! The one place that writes YAML or JSON text: every fix in the crate is made of
//! the [`TextEdit`]s built here. An edit starts from the tree (which knows each
//! node's scalar style, whether it sits in a flow collection, and the anchor an
//! alias copies), never from guesses about the raw bytes, and its result reads
//! back as exactly the intended value:
//!
//! - a string keeps its style where the new text can be written in it; a plain
//!   scalar that would read back as another type (`true`, `1.0`, `null`, `~`,
//!   `2024`) or that holds characters a plain scalar (or a flow collection) cannot
//!   (`: `, ` #`, `[ ] { } ,`, leading indicators, surrounding spaces, line
//!   breaks) is double-quoted with YAML escapes; in JSON a string is always a JSON
//!   string;
//! - a value reached through an alias is edited at its anchored node, never at the
//!   alias;
//! - removals take their line (block) or their comma (flow, JSON) with them, and
//!   are refused (`None`) where they cannot be done cleanly (text that defines an
//!   anchor, comments in the way, unusual layout).
//!
//! [`layout`] writes a whole document in the canonical layout (the formatter's
//! writer), by the same rule: every token is copied as written.

pub mod layout;

pub mod emit;

use std::ops::Range;

use super::{resolve_plain, Entry, Node, NodeKind, ScalarKind, ScalarStyle, Span, Syntax};

/// One replacement of a byte range of the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextEdit {
    pub span: Span,
    pub new_text: String,
}

impl TextEdit {
    pub fn new(span: Span, new_text: impl Into<String>) -> TextEdit {
        TextEdit {
            span,
            new_text: new_text.into(),
        }
    }
}

/// Apply non-overlapping edits (in any order) to a text. Edits that overlap an
/// earlier one or do not fall on char boundaries are skipped.
pub fn apply(text: &str, edits: &[TextEdit]) -> String {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in sorted {
        if e.span.start < at
            || e.span.end > text.len()
            || !text.is_char_boundary(e.span.start)
            || !text.is_char_boundary(e.span.end)
        {
            continue;
        }
        out.push_str(&text[at..e.span.start]);
        out.push_str(&e.new_text);
        at = e.span.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Builds edits of one document, in the syntax it was parsed as.
#[derive(Clone, Copy, Debug)]
pub struct Editor<'t> {
    text: &'t str,
    syntax: Syntax,
}

impl<'t> Editor<'t> {
    pub fn new(text: &'t str, syntax: Syntax) -> Self {
        Editor { text, syntax }
    }

    pub fn syntax(&self) -> Syntax {
        self.syntax
    }

    fn src(&self, span: Span) -> Option<&'t str> {
        self.text.get(span.start..span.end)
    }

    /// Replace a scalar with the string `new`, keeping its style where `new` can be
    /// written in it (through an alias: at the anchored scalar).
    pub fn replace_scalar(&self, node: &Node, new: &str) -> Option<TextEdit> {
        let s = node.as_scalar()?;
        let span = node.source_span();
        self.src(span)?;
        let in_flow = node.is_flow();
        if self.syntax == Syntax::Json {
            return Some(TextEdit::new(span, json_string(new)));
        }
        let new_text = match s.style {
            ScalarStyle::Plain if plain_ok(new, in_flow) => new.to_string(),
            ScalarStyle::SingleQuoted if single_ok(new) => single_quoted(new),
            ScalarStyle::Literal | ScalarStyle::Folded => {
                return Some(TextEdit::new(self.block_span(span)?, double_quoted(new)));
            }
            _ => double_quoted(new),
        };
        Some(TextEdit::new(span, new_text))
    }

    /// Replace a scalar with a bare literal: a number, `true`, `false` or `null`,
    /// written plain. `None` if `literal` would not read back as one in this syntax.
    pub fn replace_literal(&self, node: &Node, literal: &str) -> Option<TextEdit> {
        node.as_scalar()?;
        let ok = match self.syntax {
            Syntax::Json => {
                literal != "NaN"
                    && serde_json::from_str::<serde_json::Value>(literal)
                        .is_ok_and(|v| !v.is_string() && !v.is_array() && !v.is_object())
                    && literal.trim() == literal
            }
            Syntax::Yaml => {
                !matches!(resolve_plain(literal), ScalarKind::Str) && !literal.is_empty()
            }
        };
        if !ok {
            return None;
        }
        let span = node.source_span();
        match node.as_scalar()?.style {
            ScalarStyle::Literal | ScalarStyle::Folded => {
                Some(TextEdit::new(self.block_span(span)?, literal))
            }
            _ => Some(TextEdit::new(span, literal)),
        }
    }

    /// Replace a list with a flow list of the strings `items` (`[PHASE1, PHASE2]`;
    /// JSON: `["PHASE1", "PHASE2"]`). A block list becomes a flow list on its own
    /// lines' place, which reads back the same.
    pub fn replace_list(&self, node: &Node, items: &[&str]) -> Option<TextEdit> {
        node.as_seq()?;
        let span = node.source_span();
        let source = self.src(span)?;
        let written: Vec<String> = items
            .iter()
            .map(|i| match self.syntax {
                Syntax::Json => json_string(i),
                Syntax::Yaml => yaml_string(i, true),
            })
            .collect();
        // A block list's span ends at its last item: keep what follows it.
        let end = span.start + source.trim_end().len();
        Some(TextEdit::new(
            Span::new(span.start, end),
            format!("[{}]", written.join(", ")),
        ))
    }

    /// Replace the part `range` (byte offsets into the scalar's value) of a string
    /// scalar with `new`. Where the value's text stands in the source as written
    /// (no escapes or folding) and the result keeps its style, only that part is
    /// rewritten; otherwise the whole scalar is.
    pub fn replace_part(&self, node: &Node, range: Range<usize>, new: &str) -> Option<TextEdit> {
        let s = node.as_scalar()?;
        let value = &s.text;
        if range.start > range.end
            || range.end > value.len()
            || !value.is_char_boundary(range.start)
            || !value.is_char_boundary(range.end)
        {
            return None;
        }
        let whole = format!("{}{new}{}", &value[..range.start], &value[range.end..]);
        let span = node.source_span();
        let src = self.src(span)?;
        let inner = match (self.syntax, s.style) {
            (Syntax::Yaml, ScalarStyle::Plain) if plain_ok(&whole, node.is_flow()) => {
                Some((0, new.to_string()))
            }
            (Syntax::Yaml, ScalarStyle::SingleQuoted) if single_ok(&whole) => {
                Some((1, new.replace('\'', "''")))
            }
            (_, ScalarStyle::DoubleQuoted) => {
                let q = if self.syntax == Syntax::Json {
                    json_string(new)
                } else {
                    double_quoted(new)
                };
                Some((1, q[1..q.len() - 1].to_string()))
            }
            _ => None,
        };
        if let Some((open, part)) = inner {
            // The source between the quotes is the value itself: offsets carry over.
            let body = src.get(open..src.len() - open);
            if src.len() >= 2 * open && body == Some(value.as_str()) {
                let at = span.start + open;
                return Some(TextEdit::new(
                    Span::new(at + range.start, at + range.end),
                    part,
                ));
            }
        }
        self.replace_scalar(node, &whole)
    }

    /// Rename a mapping key, keeping its style where the new name allows.
    pub fn rename_key(&self, entry: &Entry, new: &str) -> Option<TextEdit> {
        self.replace_scalar(&entry.key, new)
    }

    /// Delete item `index` of a list, with its line (block list) or its comma (flow
    /// list, JSON). The last item of a flow list leaves `[]`.
    pub fn remove_item(&self, seq: &Node, index: usize) -> Option<TextEdit> {
        let items = seq.as_seq()?;
        let item = items.get(index)?;
        let bounds = seq.source_span();
        if !(bounds.start <= item.span.start && item.span.end <= bounds.end) {
            return None;
        }
        let edit = if seq.is_flow() {
            let spans: Vec<Span> = items.iter().map(|n| n.span).collect();
            self.remove_flow_member(bounds, &spans, index, "[]")?
        } else {
            let start = self.dash_line_start(item.span.start)?;
            let end = self.line_end(item.span.end)?;
            TextEdit::new(Span::new(start, end), "")
        };
        self.keeps_anchors(&edit).then_some(edit)
    }

    /// Keep only the items whose `keep` is true, in one edit per removed run (a
    /// flow list is rewritten, its items' text kept as written).
    pub fn retain_items(&self, seq: &Node, keep: &[bool]) -> Option<Vec<TextEdit>> {
        let items = seq.as_seq()?;
        if keep.len() != items.len() {
            return None;
        }
        if keep.iter().all(|k| *k) {
            return Some(Vec::new());
        }
        let bounds = seq.source_span();
        if seq.is_flow() {
            // Whatever lies between the items (comments) would be lost.
            let mut at = bounds.start + 1;
            for n in items {
                let gap = self.text.get(at..n.span.start)?;
                if gap.contains('#') || !(bounds.start <= n.span.start && n.span.end <= bounds.end)
                {
                    return None;
                }
                at = n.span.end;
            }
            let kept: Vec<&str> = items
                .iter()
                .zip(keep)
                .filter(|(_, k)| **k)
                .map(|(n, _)| self.src(n.span))
                .collect::<Option<_>>()?;
            let edit = TextEdit::new(bounds, format!("[{}]", kept.join(", ")));
            return self.keeps_anchors(&edit).then_some(vec![edit]);
        }
        let mut edits = Vec::new();
        for (i, _) in keep.iter().enumerate().filter(|(_, k)| !**k) {
            let edit = self.remove_item(seq, i)?;
            edits.push(edit);
        }
        Some(edits)
    }

    /// Delete entry `index` of a mapping: its lines (block) or the entry and its
    /// comma (flow, JSON). The last entry of a flow mapping leaves `{}`.
    pub fn remove_entry(&self, map: &Node, index: usize) -> Option<TextEdit> {
        let entries = map.as_map()?;
        let entry = entries.get(index)?;
        let bounds = map.source_span();
        let edit = if map.is_flow() {
            let spans: Vec<Span> = entries
                .iter()
                .map(|e| e.key.span.cover(e.value.span))
                .collect();
            self.remove_flow_member(bounds, &spans, index, "{}")?
        } else {
            let key_start = entry.key.span.start;
            let start = self.line_start(key_start);
            if !self.text.get(start..key_start)?.chars().all(|c| c == ' ') {
                return None;
            }
            let end = self.line_end(entry.value.span.end.max(entry.key.span.end))?;
            TextEdit::new(Span::new(start, end), "")
        };
        self.keeps_anchors(&edit).then_some(edit)
    }

    /// Replace a list with an empty flow list `[]` (at its anchor, if an alias).
    pub fn clear_list(&self, seq: &Node) -> Option<TextEdit> {
        seq.as_seq()?;
        let edit = TextEdit::new(seq.source_span(), "[]");
        self.keeps_anchors(&edit).then_some(edit)
    }

    /// Insert `key: value` (a string value) into a mapping, after the last entry
    /// whose key comes before `key` in `order` (at the start if none does).
    pub fn insert_entry(
        &self,
        map: &Node,
        key: &str,
        value: &str,
        order: &[&str],
    ) -> Option<TextEdit> {
        let entries = map.as_map()?;
        let rank = |k: &str| order.iter().position(|o| *o == k);
        let mine = rank(key);
        let after = entries
            .iter()
            .rposition(|e| match (e.key_text().and_then(rank), mine) {
                (Some(r), Some(m)) => r < m,
                (Some(_), None) => true,
                _ => false,
            });
        let bounds = map.source_span();
        if map.is_flow() {
            let (k, v) = match self.syntax {
                Syntax::Json => (json_string(key), json_string(value)),
                Syntax::Yaml => (yaml_string(key, true), yaml_string(value, true)),
            };
            let member = format!("{k}: {v}");
            return Some(match (after, entries.first()) {
                (_, None) => TextEdit::new(bounds, format!("{{{member}}}")),
                (Some(i), _) => {
                    let e = &entries[i];
                    TextEdit::new(
                        Span::empty(e.key.span.end.max(e.value.span.end)),
                        format!(", {member}"),
                    )
                }
                (None, Some(first)) => {
                    TextEdit::new(Span::empty(first.key.span.start), format!("{member}, "))
                }
            });
        }
        if self.syntax == Syntax::Json {
            return None;
        }
        let first = entries.first()?;
        let line_start = self.line_start(first.key.span.start);
        let indent = self.text.get(line_start..first.key.span.start)?;
        let column = indent.chars().count();
        let pad = " ".repeat(column);
        let member = format!("{}: {}", yaml_string(key, false), yaml_string(value, false));
        match after {
            Some(i) => {
                let e = &entries[i];
                let end = self.line_end(e.key.span.end.max(e.value.span.end))?;
                // Before the line break that ends the entry's last line.
                let body = self.text.get(..end)?;
                let (at, nl) = if body.ends_with("\r\n") {
                    (end - 2, "\r\n")
                } else if body.ends_with('\n') {
                    (end - 1, "\n")
                } else {
                    (end, "\n")
                };
                Some(TextEdit::new(Span::empty(at), format!("{nl}{pad}{member}")))
            }
            None if indent.chars().all(|c| c == ' ') => Some(TextEdit::new(
                Span::empty(line_start),
                format!("{pad}{member}\n"),
            )),
            // The first key follows `- ` on its line.
            None => Some(TextEdit::new(
                Span::empty(first.key.span.start),
                format!("{member}\n{pad}"),
            )),
        }
    }

    /// Delete a comment: its whole line when it stands alone on it, else the comment
    /// and the spaces before it.
    pub fn remove_comment(&self, comment: Span) -> TextEdit {
        let start = self.line_start(comment.start);
        let before = self.text.get(start..comment.start).unwrap_or("");
        if before.trim().is_empty() {
            let end = self.text[comment.end.min(self.text.len())..]
                .find('\n')
                .map_or(self.text.len(), |i| comment.end + i + 1);
            TextEdit::new(Span::new(start, end), "")
        } else {
            let ws = before.len() - before.trim_end().len();
            TextEdit::new(Span::new(comment.start - ws, comment.end), "")
        }
    }

    /// A member of a flow collection deleted with one comma: the following one, or
    /// for the last member the preceding one; the only member leaves `empty`.
    fn remove_flow_member(
        &self,
        bounds: Span,
        spans: &[Span],
        index: usize,
        empty: &str,
    ) -> Option<TextEdit> {
        // A member starts after the `[`, `{` or `,` before it: properties such as
        // `&anchor` written before its span belong to it.
        let member_start = |at: usize| {
            let before = self.text.get(bounds.start..at).unwrap_or("");
            before.rfind([',', '[', '{']).map_or(at, |i| {
                let gap = &before[i + 1..];
                bounds.start + i + 1 + (gap.len() - gap.trim_start().len())
            })
        };
        let spans: Vec<Span> = spans
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let floor = if i == 0 {
                    bounds.start + 1
                } else {
                    spans[i - 1].end
                };
                Span::new(member_start(s.start).max(floor), s.end)
            })
            .collect();
        let item = spans.get(index)?;
        let between = |a: usize, b: usize| {
            self.text.get(a..b).is_some_and(|s| {
                s.chars().all(|c| c.is_whitespace() || c == ',') && s.matches(',').count() == 1
            })
        };
        if let Some(next) = spans.get(index + 1) {
            between(item.end, next.start)
                .then(|| TextEdit::new(Span::new(item.start, next.start), ""))
        } else if index > 0 {
            let prev = spans[index - 1];
            between(prev.end, item.start).then(|| TextEdit::new(Span::new(prev.end, item.end), ""))
        } else {
            // The only member: nothing but it (and blanks) between the brackets.
            let open = self.text.get(bounds.start + 1..item.start)?;
            let close = self.text.get(item.end..bounds.end.checked_sub(1)?)?;
            (open.trim().is_empty() && close.trim().trim_end_matches(',').trim().is_empty())
                .then(|| TextEdit::new(bounds, empty))
        }
    }

    /// Removing text that defines an anchor could break an alias elsewhere.
    fn keeps_anchors(&self, edit: &TextEdit) -> bool {
        self.syntax == Syntax::Json || self.src(edit.span).is_some_and(|s| !s.contains('&'))
    }

    fn line_start(&self, at: usize) -> usize {
        self.text
            .get(..at)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |i| i + 1)
    }

    /// The start of the line holding the `-` that introduces a block list item at
    /// `item_start`, if that line holds nothing else before it.
    fn dash_line_start(&self, item_start: usize) -> Option<usize> {
        let before = self.text.get(..item_start)?;
        let dash = before.trim_end_matches([' ', '\t']);
        if !dash.ends_with('-') {
            return None;
        }
        let dash_at = dash.len() - 1;
        let start = self.line_start(dash_at);
        self.text[start..dash_at]
            .chars()
            .all(|c| c == ' ')
            .then_some(start)
    }

    /// The offset just past the line break ending the line at `at` (allowing only
    /// spaces and a comment before it), or the end of the text.
    fn line_end(&self, at: usize) -> Option<usize> {
        let rest = self.text.get(at..)?;
        let line = rest.split('\n').next().unwrap_or("");
        let content = line.trim_end_matches('\r').trim_start_matches([' ', '\t']);
        if !(content.is_empty() || content.starts_with('#')) {
            return None;
        }
        Some((at + line.len() + 1).min(self.text.len()))
    }

    /// A block scalar from its `|` or `>` to the end of its content (the line
    /// breaks after it stay).
    fn block_span(&self, span: Span) -> Option<Span> {
        let header = self.block_header(span)?;
        let content = self.src(span)?.trim_end_matches(['\n', '\r', ' ', '\t']);
        Some(Span::new(header, span.start + content.len()))
    }

    /// The offset of the `|` or `>` that opens the block scalar whose content is at
    /// `span` (its header line ends before the content).
    fn block_header(&self, span: Span) -> Option<usize> {
        let before = self.text.get(..span.start)?;
        // The content starts on a line after the header; with an empty block
        // scalar the span may sit right after the header.
        let search_end = before.trim_end_matches([' ', '\t', '\n', '\r']).len();
        let head = &before[..search_end];
        let line = self.line_start(search_end);
        let header_line = head.get(line..)?;
        let pos = header_line.rfind(['|', '>'])?;
        let after = &header_line[pos + 1..];
        let tail = after.split('#').next().unwrap_or("").trim();
        let header_ok = tail
            .chars()
            .all(|c| c.is_ascii_digit() || c == '+' || c == '-');
        let indicator_ok = after.trim_start().is_empty()
            || after.starts_with([' ', '\t', '+', '-'])
            || after.starts_with(|c: char| c.is_ascii_digit());
        (header_ok && indicator_ok).then_some(line + pos)
    }
}

/// Whether `s` can be written as a YAML plain scalar (in a flow collection when
/// `in_flow`) and read back as the same string.
pub fn plain_ok(s: &str, in_flow: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    // `-5 mg` is a plain string; `- x`, `-x` and `--` are better quoted.
    let dash_number = first == '-' && s[1..].starts_with(|c: char| c.is_ascii_digit() || c == '.');
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) && !dash_number {
        return false;
    }
    if s != s.trim() || s.starts_with(char::is_whitespace) {
        return false;
    }
    if s.contains(": ")
        || s.contains(" #")
        || s.contains(":\t")
        || s.contains("\t#")
        || s.ends_with(':')
    {
        return false;
    }
    if s.chars()
        .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{feff}'))
    {
        return false;
    }
    if in_flow && s.contains(['[', ']', '{', '}', ',', ':']) {
        return false;
    }
    if s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    resolve_plain(s) == ScalarKind::Str
}

/// Whether `s` can be single-quoted on one line (no line breaks or other
/// characters that need escapes).
fn single_ok(s: &str) -> bool {
    !s.chars()
        .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{feff}'))
        && s.trim() == s
}

fn single_quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A YAML double-quoted scalar reading back as exactly `s`.
pub fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            '\u{feff}' => out.push_str("\\uFEFF"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A JSON string reading back as exactly `s`.
pub fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| double_quoted(s))
}

/// `s` as a YAML string scalar: plain where it can be, else double-quoted.
pub fn yaml_string(s: &str, in_flow: bool) -> String {
    if plain_ok(s, in_flow) {
        s.to_string()
    } else {
        double_quoted(s)
    }
}

/// Whether a node's text (and kind) equals the string `want` (test helper shared
/// by this module's tests and callers' own).
pub fn reads_as_string(node: &Node, want: &str) -> bool {
    matches!(&node.kind, NodeKind::Scalar(s) if s.text == want && s.kind == ScalarKind::Str)
}

mod comments;

#[cfg(test)]
mod tests;
