//! The canonical layout of a whole document, written from the spanned tree (the
//! formatter's writer; `crate::format` decides nothing here but the key order it
//! passes in). Nothing is re-serialised: every scalar, key, alias, anchor, tag,
//! block-scalar header and comment is copied from the source as written; only the
//! whitespace between them, the order of mapping entries and (for long flow
//! collections and lists of mappings) flow versus block style change.
//!
//! YAML: two-space indentation, list items indented under their key (`key:` then
//! `  - item`), keys in the caller's order (unknown keys after the known ones, in
//! their order), block style for the top level and for lists of mappings, flow
//! collections kept where they fit in [`Options::width`] characters on one line
//! (`{a: 1, b: [x, y]}`, one space after each `:` and `,`, keys in order) and kept
//! as written where they hold a comment, one blank line around a top-level section
//! that holds a block list and no other blank lines (block scalars keep theirs),
//! comments moved with the key or item they stand above (or kept at the end of the
//! collection they close; those above the first key stay on top), trailing
//! comments two spaces after their line.
//!
//! JSON: two-space indentation, one member or item per line, `[]` and `{}` for
//! empty collections, the same key order.
//!
//! The writer refuses (`Err`, with the reason) layouts it does not know how to
//! keep, rather than guess: the caller then changes nothing.

use std::collections::HashMap;

use super::super::{Comment, LineIndex, Node, NodeKind, Parsed, ScalarStyle, Span, Syntax};

/// The caller's canonical key order, as a cursor that follows the tree down.
pub trait KeyOrder: Sized {
    /// The order inside the value of `key` (of a mapping ordered by `self`).
    fn key(&self, key: &str) -> Self;
    /// The order inside an item of a list ordered by `self`.
    fn item(&self) -> Self;
    /// Where `key` goes among this mapping's keys; `None` for a key the order does
    /// not know (it goes after the known ones).
    fn rank(&self, key: &str) -> Option<usize>;
}

/// Layout choices the caller may make.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Keep the top-level entries in their order (range formatting: moving a whole
    /// section would edit outside the range).
    pub keep_top_order: bool,
    /// A flow collection is kept on its line up to this many columns.
    pub width: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            keep_top_order: false,
            width: 80,
        }
    }
}

/// A laid-out document: its text, and for each top-level entry (in output order)
/// where its key line starts in the source and in the output (none when the
/// document is laid out as one piece: a YAML record written as a flow mapping or
/// with its keys right of column 0).
#[derive(Debug)]
pub struct Layout {
    pub text: String,
    pub sections: Vec<(usize, usize)>,
}

/// The canonical layout of `text` (parsed as `parsed`, which must be free of
/// syntax errors: the caller checks). An empty document is returned unchanged.
pub fn layout<O: KeyOrder>(
    text: &str,
    parsed: &Parsed,
    order: &O,
    options: &Options,
) -> Result<Layout, String> {
    let Some(root) = &parsed.root else {
        return Ok(Layout {
            text: text.to_string(),
            sections: Vec::new(),
        });
    };
    if root.as_map().is_none() || root.alias.is_some() {
        return Err("the document is not a mapping of keys".into());
    }
    if text.contains('\r') && text.replace("\r\n", "").contains('\r') {
        return Err("the file has lone CR line ends".into());
    }
    match parsed.syntax {
        Syntax::Json => Ok(json_document(text, root, order, options)),
        Syntax::Yaml => Yaml::new(text, parsed, options).document(root, order),
    }
}

/// Entry indices of a mapping in canonical order: known keys by rank, unknown ones
/// after them, each in source order (stable).
pub fn ordered<O: KeyOrder>(entries: &[super::super::Entry], order: &O) -> Vec<usize> {
    let mut idx: Vec<(usize, usize)> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            (
                e.key_text()
                    .and_then(|k| order.rank(k))
                    .unwrap_or(usize::MAX),
                i,
            )
        })
        .collect();
    idx.sort();
    idx.into_iter().map(|(_, i)| i).collect()
}

fn line_break(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

// ---------------------------------------------------------------------------- JSON

fn json_document<O: KeyOrder>(text: &str, root: &Node, order: &O, options: &Options) -> Layout {
    let nl = line_break(text);
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    if text.starts_with('\u{feff}') {
        out.push('\u{feff}');
    }
    let mut sections = Vec::new();
    let lines = LineIndex::new(text);
    let entries = root.as_map().unwrap_or_default();
    if entries.is_empty() {
        out.push_str("{}");
    } else {
        out.push('{');
        out.push_str(nl);
        let idx: Vec<usize> = if options.keep_top_order {
            (0..entries.len()).collect()
        } else {
            ordered(entries, order)
        };
        for (n, &i) in idx.iter().enumerate() {
            let e = &entries[i];
            let key_line = lines.line_start(lines.line_of(e.key.span.start));
            sections.push((key_line, out.len()));
            pad(&mut out, 2);
            out.push_str(&text[e.key.span.start..e.key.span.end]);
            out.push_str(": ");
            let inner = e.key_text().map_or_else(|| order.key(""), |k| order.key(k));
            json_value(text, &e.value, 2, &inner, nl, &mut out);
            if n + 1 < idx.len() {
                out.push(',');
            }
            out.push_str(nl);
        }
        out.push('}');
    }
    out.push_str(nl);
    Layout {
        text: out,
        sections,
    }
}

fn json_value<O: KeyOrder>(
    text: &str,
    node: &Node,
    indent: usize,
    order: &O,
    nl: &str,
    out: &mut String,
) {
    match &node.kind {
        NodeKind::Scalar(_) => out.push_str(&text[node.span.start..node.span.end]),
        NodeKind::Map(entries) if entries.is_empty() => out.push_str("{}"),
        NodeKind::Seq(items) if items.is_empty() => out.push_str("[]"),
        NodeKind::Map(entries) => {
            out.push('{');
            out.push_str(nl);
            let idx = ordered(entries, order);
            for (n, &i) in idx.iter().enumerate() {
                let e = &entries[i];
                pad(out, indent + 2);
                out.push_str(&text[e.key.span.start..e.key.span.end]);
                out.push_str(": ");
                let inner = order.key(e.key_text().unwrap_or(""));
                json_value(text, &e.value, indent + 2, &inner, nl, out);
                if n + 1 < idx.len() {
                    out.push(',');
                }
                out.push_str(nl);
            }
            pad(out, indent);
            out.push('}');
        }
        NodeKind::Seq(items) => {
            out.push('[');
            out.push_str(nl);
            let inner = order.item();
            for (n, item) in items.iter().enumerate() {
                pad(out, indent + 2);
                json_value(text, item, indent + 2, &inner, nl, out);
                if n + 1 < items.len() {
                    out.push(',');
                }
                out.push_str(nl);
            }
            pad(out, indent);
            out.push(']');
        }
    }
}

// ---------------------------------------------------------------------------- YAML

/// No order: for measuring a flow collection's length.
struct Unordered;

impl KeyOrder for Unordered {
    fn key(&self, _: &str) -> Self {
        Unordered
    }
    fn item(&self) -> Self {
        Unordered
    }
    fn rank(&self, _: &str) -> Option<usize> {
        None
    }
}

/// A key or list item of a block collection, in document order.
struct Unit {
    /// The key's first byte, or the item's `-`.
    start: usize,
    col: usize,
    /// The collection it belongs to (index into `Yaml::colls`).
    coll: usize,
}

struct Coll {
    parent: Option<usize>,
    /// Column of its keys or `-`s.
    child_col: usize,
    /// The collection node's span start (its identity for trailing comments).
    at: usize,
}

/// What stands between a key's `:` (or an item's `-`) and its value.
#[derive(Default)]
struct Gap<'t> {
    props: Vec<&'t str>,
    header: Option<(usize, &'t str)>,
    /// Comments (their indices) on the way.
    comments: Vec<usize>,
}

struct Yaml<'t> {
    text: &'t str,
    lines: LineIndex,
    nl: &'static str,
    width: usize,
    keep_top_order: bool,
    out: String,
    comments: &'t [Comment],
    done: Vec<bool>,
    /// Own-line comments by the unit (start offset) they stand above.
    leading: HashMap<usize, Vec<usize>>,
    /// Own-line comments closing a collection (by its span start).
    closing: HashMap<usize, Vec<usize>>,
    /// Comments after the last unit of the document at column 0.
    tail: Vec<usize>,
    /// Comments above the first key.
    header: Vec<usize>,
    /// Comments that follow content on their line, by the line's start.
    same_line: HashMap<usize, usize>,
}

type R = Result<(), String>;

fn unsupported(what: &str) -> String {
    format!("{what} is a layout the formatter does not change")
}

impl<'t> Yaml<'t> {
    fn new(text: &'t str, parsed: &'t Parsed, options: &Options) -> Self {
        Yaml {
            text,
            lines: LineIndex::new(text),
            nl: line_break(text),
            width: options.width,
            keep_top_order: options.keep_top_order,
            out: String::with_capacity(text.len() + text.len() / 4),
            comments: &parsed.comments,
            done: vec![false; parsed.comments.len()],
            leading: HashMap::new(),
            closing: HashMap::new(),
            tail: Vec::new(),
            header: Vec::new(),
            same_line: HashMap::new(),
        }
    }

    fn line_start(&self, at: usize) -> usize {
        self.lines
            .line_start(self.lines.line_of(at.min(self.text.len())))
    }

    /// The offset of the `\n` ending the line at `at` (or the text's end).
    fn line_end(&self, at: usize) -> usize {
        let line = self.lines.line_of(at.min(self.text.len()));
        if line + 1 < self.lines.line_count() {
            self.lines.line_start(line + 1) - 1
        } else {
            self.text.len()
        }
    }

    fn col(&self, at: usize) -> usize {
        let start = self.line_start(at);
        let bom = if start == 0 && self.text.starts_with('\u{feff}') {
            3
        } else {
            0
        };
        self.text[(start + bom).min(at)..at].chars().count()
    }

    fn src(&self, span: Span) -> &'t str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// Comments whose start lies in `span` are part of text copied as written.
    fn copied(&mut self, span: Span) {
        let from = self.comments.partition_point(|c| c.span.start < span.start);
        for i in from..self.comments.len() {
            if self.comments[i].span.start >= span.end {
                break;
            }
            self.done[i] = true;
        }
    }

    fn has_comment(&self, span: Span) -> bool {
        let from = self.comments.partition_point(|c| c.span.start < span.start);
        self.comments
            .get(from)
            .is_some_and(|c| c.span.start < span.end)
    }

    fn comment_at(&self, at: usize) -> Option<usize> {
        let i = self.comments.partition_point(|c| c.span.start < at);
        (self.comments.get(i)?.span.start == at).then_some(i)
    }

    // -- comment placement ---------------------------------------------------------

    fn collect_units(
        &self,
        root: &Node,
        units: &mut Vec<Unit>,
        colls: &mut Vec<Coll>,
        flows: &mut Vec<Span>,
    ) -> R {
        // (node, parent collection); iterative, children pushed in reverse so
        // that units come out in document order.
        let mut stack: Vec<(&Node, Option<usize>)> = vec![(root, None)];
        while let Some((node, parent)) = stack.pop() {
            if node.alias.is_some() {
                continue;
            }
            if node.is_flow() {
                flows.push(node.span);
                continue;
            }
            match &node.kind {
                NodeKind::Map(entries) if !entries.is_empty() => {
                    let id = colls.len();
                    colls.push(Coll {
                        parent,
                        child_col: self.col(entries[0].key.span.start),
                        at: node.span.start,
                    });
                    for e in entries {
                        stack.push((&e.value, Some(id)));
                        units.push(Unit {
                            start: e.key.span.start,
                            col: self.col(e.key.span.start),
                            coll: id,
                        });
                    }
                }
                NodeKind::Seq(items) if !items.is_empty() => {
                    let id = colls.len();
                    let first = self.dash(&items[0])?;
                    colls.push(Coll {
                        parent,
                        child_col: self.col(first),
                        at: node.span.start,
                    });
                    for item in items {
                        let dash = self.dash(item)?;
                        stack.push((item, Some(id)));
                        units.push(Unit {
                            start: dash,
                            col: self.col(dash),
                            coll: id,
                        });
                    }
                }
                _ => {}
            }
        }
        units.sort_by_key(|u| u.start);
        flows.sort_by_key(|s| s.start);
        Ok(())
    }

    /// Attach every comment to what it stays with (see the module docs).
    fn place_comments(&mut self, root: &Node) -> R {
        let mut units = Vec::new();
        let mut colls = Vec::new();
        let mut flows = Vec::new();
        self.collect_units(root, &mut units, &mut colls, &mut flows)?;
        for (i, c) in self.comments.iter().enumerate() {
            // Inside a flow collection: copied with it (or it stays flow).
            let f = flows.partition_point(|f| f.start <= c.span.start);
            if f > 0 && flows[f - 1].end > c.span.start {
                continue;
            }
            let ls = self.line_start(c.span.start);
            let before = &self.text[ls..c.span.start];
            if !before.trim_start_matches('\u{feff}').trim().is_empty() {
                self.same_line.insert(ls, i);
                continue;
            }
            let col = self.col(c.span.start);
            let next = units.partition_point(|u| u.start < c.span.start);
            let prev = next.checked_sub(1).map(|p| &units[p]);
            if prev.is_none() {
                // Above the first key: the document's header, which stays on top.
                self.header.push(i);
                continue;
            }
            let leading_of = units.get(next).filter(|u| col <= u.col);
            if let Some(u) = leading_of {
                self.leading.entry(u.start).or_default().push(i);
                continue;
            }
            // More indented than what follows: it closes a collection that holds
            // the unit before it (the innermost whose keys are not right of it).
            let mut at = prev.map(|p| p.coll);
            let mut closed = None;
            while let Some(k) = at {
                // Never the document's own mapping: a comment stays in the section
                // it stands in (range formatting relies on it).
                if colls[k].parent.is_none() {
                    break;
                }
                if colls[k].child_col <= col {
                    closed = Some(colls[k].at);
                    break;
                }
                at = colls[k].parent;
            }
            match (closed, units.get(next)) {
                (Some(k), _) => self.closing.entry(k).or_default().push(i),
                (None, Some(u)) => self.leading.entry(u.start).or_default().push(i),
                (None, None) => self.tail.push(i),
            }
        }
        Ok(())
    }

    /// Own-line comments, each on its line at `indent`.
    fn comment_lines(&mut self, list: Option<Vec<usize>>, indent: usize) {
        for i in list.unwrap_or_default() {
            if self.done[i] {
                continue;
            }
            self.done[i] = true;
            pad(&mut self.out, indent);
            let c = self.comments[i].span;
            self.out.push_str(self.src(c).trim_end());
            self.out.push_str(self.nl);
        }
    }

    fn leading_of(&mut self, start: usize, indent: usize) {
        let list = self.leading.remove(&start);
        self.comment_lines(list, indent);
    }

    /// A comment after `end` on its line, two spaces after the content.
    fn trail(&mut self, end: usize) {
        if let Some(i) = self.take_trail(end) {
            self.out.push_str("  ");
            self.out
                .push_str(self.src(self.comments[i].span).trim_end());
        }
    }

    /// The comment after `end` on its line, if not yet written (now it is).
    fn take_trail(&mut self, end: usize) -> Option<usize> {
        let ls = self.line_start(end);
        let &i = self.same_line.get(&ls)?;
        let c = self.comments[i].span;
        let after = !self.done[i]
            && c.start >= end
            && self.text[end..c.start].chars().all(char::is_whitespace);
        self.done[i] |= after;
        after.then_some(i)
    }

    /// A flow collection laid out as block: the comment after its closing bracket
    /// goes on its own line at `indent` (before the collection's first line).
    fn flow_trail_above(&mut self, node: &Node, indent: usize) {
        if node.is_flow() {
            let c = self.take_trail(node.span.end);
            self.done_comment_lines(c, indent);
        }
    }

    fn done_comment_lines(&mut self, c: Option<usize>, indent: usize) {
        if let Some(i) = c {
            pad(&mut self.out, indent);
            self.out
                .push_str(self.src(self.comments[i].span).trim_end());
            self.out.push_str(self.nl);
        }
    }

    fn gap_comments(&mut self, gap: &Gap) {
        for &i in &gap.comments {
            if !self.done[i] {
                self.done[i] = true;
                self.out.push_str("  ");
                self.out
                    .push_str(self.src(self.comments[i].span).trim_end());
            }
        }
    }

    // -- reading the source between tokens ------------------------------------------

    /// The tokens in `from..to`: properties, a block scalar header, comments.
    fn gap(&self, from: usize, to: usize) -> Result<Gap<'t>, String> {
        let mut gap = Gap::default();
        let s = self.text.get(from..to).ok_or("a value out of place")?;
        let mut i = 0;
        let b = s.as_bytes();
        while i < b.len() {
            match b[i] {
                b' ' | b'\t' | b'\n' | b'\r' => i += 1,
                b'#' => {
                    let at = from + i;
                    let c = self
                        .comment_at(at)
                        .ok_or_else(|| unsupported("a `#` that is no comment"))?;
                    gap.comments.push(c);
                    i = self.comments[c].span.end - from;
                }
                c => {
                    let end = s[i..]
                        .find([' ', '\t', '\n', '\r'])
                        .map_or(s.len(), |e| i + e);
                    let token = &s[i..end];
                    match c {
                        b'&' | b'!' if gap.header.is_none() => gap.props.push(token),
                        b'|' | b'>' if gap.header.is_none() => gap.header = Some((from + i, token)),
                        _ => return Err(unsupported(&format!("`{token}` before a value"))),
                    }
                    i = end;
                }
            }
        }
        Ok(gap)
    }

    /// The `-` of a block list item.
    fn dash(&self, item: &Node) -> Result<usize, String> {
        let text = self.text.as_bytes();
        let mut p = item.span.start;
        if matches!(
            item.as_scalar().map(|s| s.style),
            Some(ScalarStyle::Literal | ScalarStyle::Folded)
        ) && item.alias.is_none()
        {
            // The content starts on a line after the `- |` header.
            let header_end = self.line_start(p).saturating_sub(1);
            let ls = self.line_start(header_end);
            p = match self.comment_at_line(ls, header_end) {
                Some(c) => self.comments[c].span.start,
                None => header_end,
            };
        }
        loop {
            while p > 0 && matches!(text[p - 1], b' ' | b'\t' | b'\r') {
                p -= 1;
            }
            if p > 0 && text[p - 1] == b'-' && (p == 1 || text[p - 2].is_ascii_whitespace()) {
                return Ok(p - 1);
            }
            let run = self.text[..p]
                .rfind([' ', '\t', '\n', '\r'])
                .map_or(0, |i| i + 1);
            let token = &self.text[run..p];
            if run < p && token.starts_with(['&', '!', '|', '>']) {
                p = run;
                continue;
            }
            return Err(unsupported("a list item whose `-` is not on its line"));
        }
    }

    /// Before comments are placed: a comment on line `ls` (ending by `end`).
    fn comment_at_line(&self, ls: usize, end: usize) -> Option<usize> {
        let i = self.comments.partition_point(|c| c.span.start < ls);
        self.comments
            .get(i)
            .filter(|c| c.span.start <= end)
            .map(|_| i)
    }

    /// The `:` after a key, and what stands between it and the value.
    fn after_key(&self, key: &Node, value: &Node) -> Result<(usize, Gap<'t>), String> {
        let t = self.text.as_bytes();
        let mut p = key.span.end;
        while p < t.len() && matches!(t[p], b' ' | b'\t') {
            p += 1;
        }
        if t.get(p) != Some(&b':') {
            return Err(unsupported("a key without its `:` after it"));
        }
        let colon = p;
        let line_end = self.line_end(colon + 1).max(colon + 1);
        let block_scalar = value.alias.is_none()
            && matches!(
                value.as_scalar().map(|s| s.style),
                Some(ScalarStyle::Literal | ScalarStyle::Folded)
            );
        let to = if value.span.start == value.span.end && value.alias.is_none() {
            // An empty value: what follows on the key's line.
            line_end
        } else if value.span.start > line_end && !block_scalar {
            // The value starts on a later line: what stands between is the key
            // line's (properties, a comment) and own-line comments (placed).
            line_end
        } else {
            value.span.start
        };
        if to < colon + 1 {
            return Err(unsupported("a value before its key's `:`"));
        }
        Ok((colon, self.gap(colon + 1, to)?))
    }

    // -- writing --------------------------------------------------------------------

    fn document<O: KeyOrder>(mut self, root: &Node, order: &O) -> Result<Layout, String> {
        self.place_comments(root)?;
        let entries = root.as_map().unwrap_or_default();
        if self.text.starts_with('\u{feff}') {
            self.out.push('\u{feff}');
        }
        // What precedes the first key: comments (placed) and `---` / directives.
        let first = entries
            .first()
            .map_or(root.span.start, |e| e.key.span.start);
        let pre = self.line_start(first);
        for line in self.text[..pre].trim_start_matches('\u{feff}').lines() {
            let l = line.trim();
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            if l == "---" || l.starts_with('%') {
                self.out.push_str(l);
                self.out.push_str(self.nl);
            } else {
                return Err(unsupported(&format!("`{l}` before the first key")));
            }
        }
        if root.is_flow() && self.has_comment(root.span) {
            return Err(unsupported(
                "a record written as a flow mapping with comments",
            ));
        }
        // After the root: only comments and blanks.
        // (The rest of the root's last line is its own: `key:` of an empty value, a
        // comment, a closing `}`.)
        let after = self.src(Span::new(self.line_end(root.span.end), self.text.len()));
        let mut rest = after;
        while let Some(line) = rest.lines().next() {
            let l = line.trim();
            if !(l.is_empty() || l.starts_with('#') || l == "}") {
                return Err(unsupported(&format!("`{l}` after the last key")));
            }
            rest = &rest[line.len()..];
            rest = rest.trim_start_matches(['\n', '\r']);
        }
        let header = std::mem::take(&mut self.header);
        self.comment_lines(Some(header), 0);
        let idx: Vec<usize> = if self.keep_top_order {
            (0..entries.len()).collect()
        } else {
            ordered(entries, order)
        };
        let mut sections = Vec::new();
        let mut last_list = false;
        let mut last_keeps = false;
        for (n, &i) in idx.iter().enumerate() {
            let e = &entries[i];
            let list = self.block_list(&e.value);
            // (After a `|+` block scalar a blank line would be part of its value.)
            if n > 0 && (list || last_list) && !last_keeps {
                self.out.push_str(self.nl);
            }
            last_list = list;
            last_keeps = self.ends_with_keep(&e.value, &order.key(e.key_text().unwrap_or("")));
            self.leading_of(e.key.span.start, 0);
            sections.push((self.line_start(e.key.span.start), self.out.len()));
            let inner = order.key(e.key_text().unwrap_or(""));
            self.entry(e, 0, &inner)?;
        }
        if root.is_flow()
            || entries
                .first()
                .is_some_and(|e| self.col(e.key.span.start) != 0)
        {
            // Laid out as block (or moved to column 0), the mapping is one piece:
            // its sections are not independent (a section alone would be block
            // among flow text, or at another column than its neighbours).
            sections.clear();
        }
        let closing = self.closing.remove(&root.span.start);
        self.comment_lines(closing, 0);
        let tail = std::mem::take(&mut self.tail);
        self.comment_lines(Some(tail), 0);
        if let Some(i) = self.done.iter().position(|d| !d) {
            let at = self.comments[i].span.start;
            return Err(unsupported(&format!(
                "the comment at byte {at} (`{}`)",
                self.src(self.comments[i].span).trim()
            )));
        }
        Ok(Layout {
            text: self.out,
            sections,
        })
    }

    /// Whether the last thing written of a value is a `|+` / `>+` block scalar.
    fn ends_with_keep<O: KeyOrder>(&self, node: &Node, order: &O) -> bool {
        let mut node = node;
        let mut order_at = None::<O>;
        for _ in 0..=super::super::MAX_DEPTH {
            if node.alias.is_some() || node.is_flow() {
                return false;
            }
            let o = order_at.as_ref().unwrap_or(order);
            match &node.kind {
                NodeKind::Scalar(s) => {
                    if !matches!(s.style, ScalarStyle::Literal | ScalarStyle::Folded) {
                        return false;
                    }
                    // The header is on the last non-blank line before the content.
                    let before = self.text[..node.span.start].trim_end();
                    let line = &before[self.line_start(before.len())..];
                    return line
                        .find([' ', '\t'])
                        .and_then(|_| line.split([' ', '\t']).find(|t| t.starts_with(['|', '>'])))
                        .is_some_and(|h| h.contains('+'));
                }
                NodeKind::Map(entries) => match ordered(entries, o).last() {
                    Some(&i) => {
                        let next = o.key(entries[i].key_text().unwrap_or(""));
                        node = &entries[i].value;
                        order_at = Some(next);
                    }
                    None => return false,
                },
                NodeKind::Seq(items) => match items.last() {
                    Some(last) => {
                        let next = o.item();
                        node = last;
                        order_at = Some(next);
                    }
                    None => return false,
                },
            }
        }
        false
    }

    /// Whether a value is written as a block list (after layout).
    fn block_list(&self, node: &Node) -> bool {
        node.alias.is_none()
            && matches!(&node.kind, NodeKind::Seq(items) if !items.is_empty())
            && !self.stays_flow(node)
    }

    /// A flow collection stays flow when it holds a comment, or fits on its line
    /// and is not a list of mappings. Block collections are block.
    fn stays_flow(&self, node: &Node) -> bool {
        if !node.is_flow() || node.alias.is_some() {
            return false;
        }
        if self.has_comment(node.span) {
            return true;
        }
        let empty = match &node.kind {
            NodeKind::Seq(items) => items.is_empty(),
            NodeKind::Map(entries) => entries.is_empty(),
            NodeKind::Scalar(_) => true,
        };
        if empty {
            return true;
        }
        let list_of_maps = node.as_seq().is_some_and(|items| {
            items
                .iter()
                .all(|i| i.alias.is_none() && i.as_map().is_some_and(|m| !m.is_empty()))
        });
        let src = self.src(node.span);
        if list_of_maps || src.contains('\n') || src.len() > 4 * self.width {
            return false;
        }
        // Judged by the text it is written as (the order does not change its length).
        let mut one_line = String::new();
        match self.flow_text(node, &Unordered, &mut one_line) {
            Ok(()) => one_line.chars().count() <= self.width,
            Err(_) => true,
        }
    }

    /// A flow collection on one line, its keys in order, one space after each `:`
    /// and `,`, every scalar, alias and property as written.
    fn flow_text<O: KeyOrder>(&self, node: &Node, order: &O, out: &mut String) -> R {
        if node.alias.is_some() {
            out.push_str(self.src(node.span));
            return Ok(());
        }
        match &node.kind {
            NodeKind::Scalar(_) => {
                let src = self.src(node.span);
                if src.contains('\n') {
                    return Err(unsupported(
                        "a scalar over several lines in a flow collection",
                    ));
                }
                out.push_str(src);
            }
            NodeKind::Map(entries) => {
                out.push('{');
                for (n, &i) in ordered(entries, order).iter().enumerate() {
                    let e = &entries[i];
                    if n > 0 {
                        out.push_str(", ");
                    }
                    let before = self.text[..e.key.span.start].trim_end_matches([' ', '\t']);
                    if e.key.as_scalar().is_none() || !before.ends_with(['{', ',', '[']) {
                        return Err(unsupported("a flow key with properties"));
                    }
                    out.push_str(self.src(e.key.span));
                    let (_, gap) = self.after_key(&e.key, &e.value)?;
                    if !gap.comments.is_empty() || gap.header.is_some() {
                        return Err(unsupported("a flow entry with a comment"));
                    }
                    out.push(':');
                    for p in &gap.props {
                        out.push(' ');
                        out.push_str(p);
                    }
                    if e.value.alias.is_some() || e.value.span.start < e.value.span.end {
                        out.push(' ');
                        self.flow_text(&e.value, &order.key(e.key_text().unwrap_or("")), out)?;
                    }
                }
                out.push('}');
            }
            NodeKind::Seq(items) => {
                out.push('[');
                let inner = order.item();
                for (n, item) in items.iter().enumerate() {
                    if n > 0 {
                        out.push_str(", ");
                    }
                    let gap = self.flow_gap(node, n)?;
                    if !gap.comments.is_empty() || gap.header.is_some() {
                        return Err(unsupported("a flow item with a comment"));
                    }
                    for p in &gap.props {
                        out.push_str(p);
                        out.push(' ');
                    }
                    self.flow_text(item, &inner, out)?;
                }
                out.push(']');
            }
        }
        Ok(())
    }

    /// The text of a scalar or a kept flow collection, its continuation lines
    /// indented at `indent` (their leading blanks are not content).
    fn inline(&mut self, node: &Node, indent: usize) {
        let span = node.span;
        self.copied(span);
        let src = self.src(span);
        let mut lines = src.split('\n');
        if let Some(first) = lines.next() {
            self.out.push_str(first.trim_end_matches('\r'));
        }
        for line in lines {
            self.out.push_str(self.nl);
            let body = line.trim_end_matches('\r').trim_start_matches([' ', '\t']);
            if !body.is_empty() {
                pad(&mut self.out, indent);
                self.out.push_str(body);
            }
        }
    }

    fn props(&mut self, gap: &Gap) {
        for p in &gap.props {
            self.out.push(' ');
            self.out.push_str(p);
        }
    }

    /// `key: value` at `indent` (the key's line already indented).
    fn entry<O: KeyOrder>(&mut self, e: &super::super::Entry, indent: usize, order: &O) -> R {
        if e.key.as_scalar().is_none() || e.key.alias.is_some() {
            return Err(unsupported("a key that is not a scalar"));
        }
        let key_src = self.src(e.key.span);
        if key_src.contains('\n') {
            return Err(unsupported("a key over several lines"));
        }
        // Nothing but indentation, `- `, `{` or `,` before the key.
        let before = self.text[..e.key.span.start]
            .trim_end_matches([' ', '\t'])
            .trim_start_matches('\u{feff}');
        if !(before.is_empty() || before.ends_with(['\n', '-', '{', ','])) {
            return Err(unsupported("a key with an anchor or a tag"));
        }
        self.out.push_str(key_src);
        let (_, gap) = self.after_key(&e.key, &e.value)?;
        self.out.push(':');
        self.value(&e.value, gap, indent, order)
    }

    /// What follows `key:` or `-`: the value (with its properties and comments)
    /// and the line break(s).
    fn value<O: KeyOrder>(&mut self, v: &Node, gap: Gap<'t>, indent: usize, order: &O) -> R {
        let child = indent + 2;
        if v.alias.is_some() {
            self.props(&gap);
            self.out.push(' ');
            self.inline(v, child);
            self.gap_comments(&gap);
            self.trail(v.span.end);
            self.out.push_str(self.nl);
            return Ok(());
        }
        match &v.kind {
            NodeKind::Scalar(s)
                if matches!(s.style, ScalarStyle::Literal | ScalarStyle::Folded) =>
            {
                let Some((at, header)) = gap.header else {
                    return Err(unsupported("a block scalar without its header"));
                };
                self.props(&gap);
                self.out.push(' ');
                self.out.push_str(header);
                self.gap_comments(&gap);
                self.out.push_str(self.nl);
                self.block_content(v, at, header, child)
            }
            NodeKind::Scalar(_) if v.span.start == v.span.end => {
                self.props(&gap);
                self.gap_comments(&gap);
                self.trail(v.span.end);
                self.out.push_str(self.nl);
                Ok(())
            }
            NodeKind::Scalar(_) => {
                self.props(&gap);
                if gap.comments.is_empty() {
                    self.out.push(' ');
                } else {
                    self.gap_comments(&gap);
                    self.out.push_str(self.nl);
                    pad(&mut self.out, child);
                }
                self.inline(v, child);
                self.trail(v.span.end);
                self.out.push_str(self.nl);
                Ok(())
            }
            _ if self.stays_flow(v) => {
                self.props(&gap);
                if gap.comments.is_empty() {
                    self.out.push(' ');
                } else {
                    self.gap_comments(&gap);
                    self.out.push_str(self.nl);
                    pad(&mut self.out, child);
                }
                if self.has_comment(v.span) {
                    // As written (its comments inside).
                    self.inline(v, child);
                } else {
                    let mut one_line = String::new();
                    self.flow_text(v, order, &mut one_line)?;
                    self.out.push_str(&one_line);
                }
                self.trail(v.span.end);
                self.out.push_str(self.nl);
                Ok(())
            }
            NodeKind::Map(_) | NodeKind::Seq(_) => {
                self.props(&gap);
                self.gap_comments(&gap);
                if v.is_flow() {
                    // Laid out as block: the comment after it goes on the key line.
                    self.trail(v.span.end);
                }
                self.out.push_str(self.nl);
                self.collection(v, child, order)
            }
        }
    }

    /// A block mapping or list (or a flow one laid out as block) at `indent`.
    fn collection<O: KeyOrder>(&mut self, v: &Node, indent: usize, order: &O) -> R {
        match &v.kind {
            NodeKind::Map(entries) => {
                for &i in &ordered(entries, order) {
                    let e = &entries[i];
                    self.leading_of(e.key.span.start, indent);
                    pad(&mut self.out, indent);
                    let inner = order.key(e.key_text().unwrap_or(""));
                    self.entry(e, indent, &inner)?;
                }
            }
            NodeKind::Seq(items) => {
                let inner = order.item();
                for n in 0..items.len() {
                    self.item(v, n, indent, &inner, false)?;
                }
            }
            NodeKind::Scalar(_) => return Err(unsupported("a scalar where a collection was")),
        }
        let closing = self.closing.remove(&v.span.start);
        self.comment_lines(closing, indent);
        Ok(())
    }

    /// `- item` at `indent` (`inline`: after the `- ` of the list holding this one).
    fn item<O: KeyOrder>(
        &mut self,
        seq: &Node,
        n: usize,
        indent: usize,
        order: &O,
        inline: bool,
    ) -> R {
        let Some(item) = seq.as_seq().and_then(|items| items.get(n)) else {
            return Err(unsupported("a list item out of place"));
        };
        let (start, gap) = if seq.is_flow() {
            (item.span.start, self.flow_gap(seq, n)?)
        } else {
            let dash = self.dash(item)?;
            let to = if matches!(
                item.as_scalar().map(|s| s.style),
                Some(ScalarStyle::Literal | ScalarStyle::Folded)
            ) && item.alias.is_none()
            {
                self.line_start(item.span.start)
                    .saturating_sub(1)
                    .max(dash + 1)
            } else {
                item.span.start
            };
            (dash, self.gap(dash + 1, to)?)
        };
        self.leading_of(start, indent);
        let map = item.as_map().filter(|m| {
            item.alias.is_none() && !m.is_empty() && !self.stays_flow(item) && gap.props.is_empty()
        });
        if let Some(entries) = map {
            // The first key goes on the `-` line; comments above it go above that.
            let idx = ordered(entries, order);
            let first = &entries[idx[0]];
            self.leading_of(first.key.span.start, indent);
            if !inline {
                self.flow_trail_above(item, indent);
                pad(&mut self.out, indent);
            }
            self.out.push_str("- ");
            self.gap_comments_refuse(&gap)?;
            for (n, &i) in idx.iter().enumerate() {
                let e = &entries[i];
                if n > 0 {
                    self.leading_of(e.key.span.start, indent + 2);
                    pad(&mut self.out, indent + 2);
                }
                let inner = order.key(e.key_text().unwrap_or(""));
                self.entry(e, indent + 2, &inner)?;
            }
            let closing = self.closing.remove(&item.span.start);
            self.comment_lines(closing, indent + 2);
            return Ok(());
        }
        let list = item.as_seq().filter(|l| {
            item.alias.is_none()
                && !l.is_empty()
                && !self.stays_flow(item)
                && gap.props.is_empty()
                && gap.comments.is_empty()
        });
        if !inline {
            if list.is_some() {
                self.flow_trail_above(item, indent);
            }
            pad(&mut self.out, indent);
        }
        if let Some(list) = list {
            // A list in a list: its first item on this `-` line (`- - x`).
            self.out.push_str("- ");
            let inner = order.item();
            for k in 0..list.len() {
                self.item(item, k, indent + 2, &inner, k == 0)?;
            }
            let closing = self.closing.remove(&item.span.start);
            self.comment_lines(closing, indent + 2);
            return Ok(());
        }
        self.out.push('-');
        self.value(item, gap, indent, order)
    }

    fn gap_comments_refuse(&self, gap: &Gap) -> R {
        if gap.comments.is_empty() {
            Ok(())
        } else {
            Err(unsupported("a comment between `-` and its mapping"))
        }
    }

    /// Properties before an item of a flow list (after its `[` or `,`).
    fn flow_gap(&self, seq: &Node, pos: usize) -> Result<Gap<'t>, String> {
        let items = seq.as_seq().unwrap_or_default();
        let Some(item) = items.get(pos) else {
            return Err(unsupported("a list item out of place"));
        };
        let from = if pos == 0 {
            seq.span.start + 1
        } else {
            items[pos - 1].span.end
        };
        let s = self.text.get(from..item.span.start).unwrap_or("");
        let skip = s.find([',', '[']).map_or(0, |i| i + 1);
        self.gap(from + skip, item.span.start)
    }

    /// The lines of a block scalar, re-indented at `indent` (or, with an explicit
    /// indentation indicator, shifted as its key moved).
    fn block_content(&mut self, v: &Node, header_at: usize, header: &str, indent: usize) -> R {
        self.copied(v.span);
        let content_start = (self.line_end(header_at) + 1).min(self.text.len());
        let end = v.span.end.max(content_start);
        let body = &self.text[content_start..end];
        let mut lines: Vec<&str> = body.split('\n').map(|l| l.trim_end_matches('\r')).collect();
        // The text after the last line break is the next line's indentation.
        if lines.last().is_some_and(|l| l.trim().is_empty()) {
            lines.pop();
        }
        let keep = header.contains('+');
        if !keep {
            while lines.last().is_some_and(|l| l.trim().is_empty()) {
                lines.pop();
            }
        }
        let lead = |l: &str| l.len() - l.trim_start_matches(' ').len();
        if header.bytes().any(|b| b.is_ascii_digit()) {
            // Its content's indentation is relative to the parent's; not moved.
            return Err(unsupported(&format!(
                "a block scalar with an indentation indicator (`{header}`)"
            )));
        }
        let old_base = lines
            .iter()
            .find(|l| !l.trim().is_empty())
            .map_or(0, |l| lead(l));
        let new_base = indent;
        for l in lines {
            if l.trim().is_empty() && l.len() <= old_base {
                self.out.push_str(self.nl);
                continue;
            }
            if lead(l) < old_base.min(l.len()) {
                return Err(unsupported("a block scalar line left of its indentation"));
            }
            pad(&mut self.out, new_base);
            self.out.push_str(&l[old_base.min(l.len())..]);
            self.out.push_str(self.nl);
        }
        Ok(())
    }
}
