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

use crate::syntax::{clamp_to_char_boundary, Span, Syntax};

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

// ---------------------------------------------------------------------------
// Lines

/// The line holding `offset`: (start, end without the line break).
fn line_at(text: &str, base: usize, offset: usize) -> (usize, usize) {
    let start = text[..offset].rfind('\n').map_or(base, |i| i + 1).max(base);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let end = if end > start && text.as_bytes()[end - 1] == b'\r' {
        end - 1
    } else {
        end
    };
    (start, end.max(start))
}

/// The line before the one starting at `start`.
fn prev_line(text: &str, base: usize, start: usize) -> Option<(usize, usize)> {
    if start <= base {
        return None;
    }
    Some(line_at(text, base, start - 1))
}

/// The line after the one ending at `end`.
fn next_line(text: &str, base: usize, end: usize) -> Option<(usize, usize)> {
    let nl = end + text[end..].find('\n')?;
    Some(line_at(text, base, nl + 1))
}

#[derive(Debug)]
enum LineKind<'a> {
    /// Nothing after the indentation and markers (or only a comment).
    Empty,
    /// A comment line.
    Comment,
    /// `---` or `...`.
    DocMarker,
    /// `key: value`; columns are byte offsets within the line.
    Key {
        key: String,
        /// Column just after the key's text (and closing quote).
        key_end: usize,
        /// Column of the `:`.
        colon: usize,
        /// Everything after the `:`.
        value: &'a str,
    },
    /// Content starting with `[` or `{`.
    Flow,
    /// Any other scalar.
    Text(&'a str),
}

#[derive(Debug)]
struct Parts<'a> {
    /// Columns of the `- ` markers.
    markers: Vec<usize>,
    /// Column where the content after the indentation and markers starts.
    content: usize,
    kind: LineKind<'a>,
}

impl Parts<'_> {
    /// The column of the line's first structure (marker or content).
    fn first(&self) -> usize {
        self.markers.first().copied().unwrap_or(self.content)
    }
}

fn is_blank_byte(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// A line indented beyond `col` (cheaply, before splitting it): it cannot be a
/// sibling or an ancestor of a node at `col`.
fn deeper(line: &str, col: usize) -> bool {
    line.len() > col && line.as_bytes()[..=col].iter().all(|b| *b == b' ')
}

fn split_line(line: &str) -> Parts<'_> {
    let b = line.as_bytes();
    let mut i = b.iter().take_while(|c| **c == b' ').count();
    if i == 0 && (line == "---" || line.starts_with("--- ") || line == "...") {
        return Parts {
            markers: Vec::new(),
            content: 0,
            kind: LineKind::DocMarker,
        };
    }
    let mut markers = Vec::new();
    while i < b.len() && b[i] == b'-' && (i + 1 == b.len() || is_blank_byte(b[i + 1])) {
        markers.push(i);
        i += 1;
        while i < b.len() && is_blank_byte(b[i]) {
            i += 1;
        }
    }
    let rest = &line[i..];
    let kind = if rest.trim().is_empty() {
        LineKind::Empty
    } else if rest.starts_with('#') {
        if markers.is_empty() {
            LineKind::Comment
        } else {
            LineKind::Empty
        }
    } else if rest.starts_with(['[', '{']) {
        LineKind::Flow
    } else {
        match find_key(rest) {
            Some((key, key_end, colon)) => LineKind::Key {
                key,
                key_end: i + key_end,
                colon: i + colon,
                value: &rest[colon + 1..],
            },
            None => LineKind::Text(rest),
        }
    };
    Parts {
        markers,
        content: i,
        kind,
    }
}

/// A block mapping key at the start of `rest`: (key, end of its text, colon).
fn find_key(rest: &str) -> Option<(String, usize, usize)> {
    let b = rest.as_bytes();
    match *b.first()? {
        q @ (b'"' | b'\'') => {
            let close = closing_quote(rest, 0, q)?;
            let mut j = close + 1;
            while j < b.len() && is_blank_byte(b[j]) {
                j += 1;
            }
            if b.get(j) == Some(&b':') && (j + 1 == b.len() || is_blank_byte(b[j + 1])) {
                Some((rest[1..close].to_string(), close + 1, j))
            } else {
                None
            }
        }
        b'[' | b'{' | b'#' | b'|' | b'>' | b'&' | b'*' | b'!' | b'?' | b'%' | b'@' | b'`' => None,
        _ => {
            for (i, c) in rest.char_indices() {
                match c {
                    ':' if i + 1 == b.len() || is_blank_byte(b[i + 1]) => {
                        let key = rest[..i].trim_end();
                        return (!key.is_empty()).then(|| (key.to_string(), key.len(), i));
                    }
                    '#' if i > 0 && is_blank_byte(b[i - 1]) => return None,
                    _ => {}
                }
            }
            None
        }
    }
}

/// The index of the quote closing the one at `open` on this line.
fn closing_quote(s: &str, open: usize, q: u8) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = open + 1;
    while i < b.len() {
        match b[i] {
            b'\\' if q == b'"' => i += 2,
            b'\n' => return None,
            c if c == q => {
                if q == b'\'' && b.get(i + 1) == Some(&b'\'') {
                    i += 2;
                } else {
                    return Some(i);
                }
            }
            _ => i += 1,
        }
    }
    None
}

/// Where a line's comment starts: a `#` at the start or after a blank, outside
/// quotes.
fn comment_start(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            q @ (b'"' | b'\'') if i == 0 || !b[i - 1].is_ascii_alphanumeric() => {
                match closing_quote(line, i, q) {
                    Some(c) => i = c + 1,
                    None => return None,
                }
            }
            b'#' if i == 0 || is_blank_byte(b[i - 1]) => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// A block value as a simple scalar: quotes removed, comment cut. `None` for no
/// value or a collection.
fn scalar_value(raw: &str) -> Option<String> {
    let v = raw.trim();
    let first = *v.as_bytes().first()?;
    match first {
        b'#' | b'[' | b'{' | b'|' | b'>' | b'&' | b'*' | b'!' => None,
        q @ (b'"' | b'\'') => closing_quote(v, 0, q).map(|c| v[1..c].to_string()),
        _ => {
            let cut = v.find(" #").unwrap_or(v.len());
            Some(v[..cut].trim_end().to_string())
        }
    }
}

/// What a key line's value says about the lines below it.
#[derive(PartialEq)]
enum Below {
    /// Nothing (or an anchor, a tag, a comment): a collection follows.
    Collection,
    /// A block scalar's indicator: the lines below are text.
    Text,
    /// An inline value.
    Inline,
}

fn below(raw: &str) -> Below {
    let v = raw.trim();
    let v = if v.starts_with('#') {
        ""
    } else {
        v.split(" #").next().unwrap_or(v)
    };
    // Anchors and tags before the value do not count.
    let first = v
        .split_whitespace()
        .find(|w| !w.starts_with('&') && !w.starts_with('!'));
    match first {
        None => Below::Collection,
        Some(w)
            if w.starts_with(['|', '>'])
                && w[1..]
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '-' || c == '+') =>
        {
            Below::Text
        }
        Some(_) => Below::Inline,
    }
}

/// The text of a top-level YAML entry (`key:` at column 0 up to the next line at
/// column 0 that is not a list item or comment), with its offset.
pub fn yaml_section<'t>(text: &'t str, key: &str) -> Option<(usize, &'t str)> {
    let mut start = None;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let l = if pos == 0 {
            line.trim_start_matches('\u{feff}')
        } else {
            line
        };
        let first = l.bytes().next().unwrap_or(b' ');
        let top = !matches!(first, b' ' | b'\t' | b'#' | b'-' | b'\n' | b'\r');
        match start {
            Some(s) if top => return Some((s, &text[s..pos])),
            None if top => {
                if let Some(rest) = l.strip_prefix(key) {
                    let rest = rest.trim_start_matches([' ', '\t']);
                    if rest.starts_with(':') && rest[1..].starts_with([' ', '\t', '\n', '\r'])
                        || rest == ":"
                    {
                        start = Some(pos + (line.len() - l.len()));
                    }
                }
            }
            _ => {}
        }
        pos += line.len();
    }
    start.map(|s| (s, &text[s..]))
}

// ---------------------------------------------------------------------------
// YAML block context

/// What the upward scan found.
struct Climb {
    /// From the root.
    path: Vec<Seg>,
    siblings: Vec<(String, Option<String>)>,
    items: Vec<String>,
}

/// From a node at column `col` on the line starting at `start` (a mapping key, or
/// with `at_item` a list item), climb to the root. Collects the keys above at the
/// same column (`collect`) or the list's other items (`at_item`).
fn climb(
    text: &str,
    base: usize,
    start: usize,
    col: usize,
    at_item: bool,
    collect: bool,
) -> Option<Climb> {
    let mut rev: Vec<Seg> = Vec::new();
    let mut siblings = Vec::new();
    let mut items = Vec::new();
    let (mut indent, mut at_item, mut collect, mut collect_items) =
        (col, at_item, collect, at_item);
    let mut line = prev_line(text, base, start);
    while let Some((s, e)) = line {
        line = prev_line(text, base, s);
        if deeper(&text[s..e], indent) {
            continue;
        }
        let parts = split_line(&text[s..e]);
        if matches!(parts.kind, LineKind::Comment | LineKind::DocMarker)
            || (parts.markers.is_empty() && matches!(parts.kind, LineKind::Empty))
        {
            continue;
        }
        let c = parts.first();
        if c > indent {
            continue;
        }
        if c == indent {
            if at_item {
                if !parts.markers.is_empty() {
                    if collect_items && parts.markers.len() == 1 {
                        if let LineKind::Text(t) = parts.kind {
                            if let Some(v) = scalar_value(t) {
                                items.push(v);
                            }
                        }
                    }
                } else if let LineKind::Key { key, value, .. } = &parts.kind {
                    // A list at its key's own column: `arms:` above `- id: a`.
                    if below(value) == Below::Text {
                        return None;
                    }
                    rev.push(Seg::Key(key.clone()));
                    at_item = false;
                    collect = false;
                    collect_items = false;
                }
            } else if parts.markers.is_empty() {
                if let LineKind::Key { key, value, .. } = &parts.kind {
                    if collect {
                        siblings.push((key.clone(), scalar_value(value)));
                    }
                }
            }
            if indent == 0 && !at_item && !collect {
                break;
            }
            continue;
        }
        // c < indent: this line holds an ancestor.
        collect_items = false;
        match &parts.kind {
            LineKind::Key { key, value, .. } if parts.content < indent => {
                if below(value) == Below::Text {
                    return None;
                }
                rev.push(Seg::Key(key.clone()));
            }
            // The first key of the list item whose mapping holds the node.
            LineKind::Key { key, value, .. } if parts.content == indent && collect => {
                siblings.push((key.clone(), scalar_value(value)));
            }
            _ => {}
        }
        let inner: Vec<usize> = parts
            .markers
            .iter()
            .copied()
            .filter(|m| *m < indent)
            .collect();
        for _ in &inner {
            rev.push(Seg::Item);
        }
        collect = false;
        match inner.first() {
            Some(m) => {
                indent = *m;
                at_item = true;
            }
            None => {
                indent = parts.content.min(indent);
                at_item = false;
            }
        }
        if indent == 0 && !at_item {
            break;
        }
    }
    rev.reverse();
    Some(Climb {
        path: rev,
        siblings,
        items,
    })
}

/// The keys (at column `col`) or list items (markers at `col`, with `items`) below
/// the line ending at `end`, up to the end of their collection.
fn scan_down(
    text: &str,
    base: usize,
    end: usize,
    col: usize,
    items: bool,
) -> (Vec<(String, Option<String>)>, Vec<String>) {
    let (mut keys, mut values) = (Vec::new(), Vec::new());
    let mut line = next_line(text, base, end);
    while let Some((s, e)) = line {
        line = next_line(text, base, e);
        if deeper(&text[s..e], col) {
            continue;
        }
        let parts = split_line(&text[s..e]);
        if matches!(parts.kind, LineKind::Comment)
            || (parts.markers.is_empty() && matches!(parts.kind, LineKind::Empty))
        {
            continue;
        }
        if matches!(parts.kind, LineKind::DocMarker) {
            break;
        }
        let c = parts.first();
        if c > col {
            continue;
        }
        if c < col {
            break;
        }
        if items {
            if parts.markers.is_empty() {
                break;
            }
            if parts.markers.len() == 1 {
                if let LineKind::Text(t) = parts.kind {
                    values.extend(scalar_value(t));
                }
            }
        } else if parts.markers.is_empty() {
            if let LineKind::Key { key, value, .. } = &parts.kind {
                keys.push((key.clone(), scalar_value(value)));
            }
        }
    }
    (keys, values)
}

fn yaml(text: &str, base: usize, offset: usize) -> Option<Cursor> {
    let (ls, le) = line_at(text, base, offset);
    let cur = offset.min(le) - ls;
    if let Some(c) = yaml_flow_continuation(text, base, ls, offset) {
        return c;
    }
    let line = &text[ls..le];
    let parts = split_line(line);
    let mut empty_document = false;
    let blank = line.trim().is_empty();
    if blank {
        empty_document = text[base..].lines().all(|l| {
            let t = l.trim();
            t.is_empty() || t.starts_with('#') || t == "---"
        });
    }
    match &parts.kind {
        LineKind::DocMarker => return None,
        LineKind::Comment if cur > parts.content => return None,
        _ => {}
    }
    // In the indentation or the list markers of a line that has content, or in its
    // trailing comment: nothing to complete.
    if !blank {
        let on_marker = parts.markers.first().is_some_and(|m| cur <= *m);
        let before_content =
            cur < parts.content && !matches!(parts.kind, LineKind::Empty | LineKind::Comment);
        if cur < parts.first() || on_marker || before_content {
            return None;
        }
    }
    if comment_start(line).is_some_and(|c| cur > c) {
        return None;
    }
    let markers: Vec<usize> = parts.markers.iter().copied().filter(|m| *m < cur).collect();
    let inner_items = markers.len();
    let content_empty = matches!(parts.kind, LineKind::Empty | LineKind::Comment) || blank;

    // The climb starts at the outermost marker of this line, or at its content.
    let (col, at_item) = match markers.first() {
        Some(m) => (*m, true),
        None if content_empty => (cur, false),
        None => (parts.content, false),
    };
    let collect_up = markers.is_empty();
    let climb = climb(text, base, ls, col, at_item, collect_up)?;
    let mut path = climb.path;
    path.extend(std::iter::repeat_n(Seg::Item, inner_items));
    let key_col = if content_empty && markers.is_empty() {
        cur
    } else {
        parts.content
    };
    let (down_keys, _) = scan_down(text, base, le, key_col, false);
    let mut siblings = climb.siblings;
    siblings.extend(down_keys);
    let items = || {
        let mut items = climb.items.clone();
        if let Some(m) = markers.first() {
            items.extend(scan_down(text, base, le, *m, true).1);
        }
        items
    };

    if content_empty {
        let at = offset.min(le);
        let mut c = if inner_items > 0 {
            let mut c = Cursor::new(Syntax::Yaml, path, Slot::Value, at);
            c.empty_item = true;
            c.items = items();
            c
        } else {
            Cursor::new(Syntax::Yaml, path, Slot::Key, at)
        };
        c.siblings = siblings;
        c.space_before = cur > 0 && line.as_bytes()[cur - 1] == b'-';
        c.indent = cur + usize::from(c.space_before);
        c.empty_document = empty_document;
        return Some(c);
    }

    match &parts.kind {
        LineKind::Key {
            key,
            key_end,
            colon,
            value,
        } => {
            if cur <= *colon {
                // At the key.
                let mut c = Cursor::new(Syntax::Yaml, path, Slot::Key, offset);
                let start = ls + parts.content;
                c.scalar_span = Span::new(start, ls + key_end);
                let quoted = line.as_bytes()[parts.content];
                if quoted == b'"' || quoted == b'\'' {
                    c.quote = Some(quoted as char);
                    c.word_span = Span::new(start + 1, ls + key_end - 1);
                } else {
                    c.word_span = c.scalar_span;
                }
                let before_end = offset.clamp(c.word_span.start, c.word_span.end);
                c.word = text[c.word_span.start..before_end].to_string();
                c.colon_follows = true;
                c.siblings = siblings;
                c.indent = parts.content;
                if inner_items > 0 {
                    c.items = items();
                }
                return Some(c);
            }
            path.push(Seg::Key(key.clone()));
            let value_col = colon + 1;
            let v_off = value.len() - value.trim_start().len();
            let value_start = ls + value_col + v_off;
            if value.trim_start().starts_with(['[', '{']) && offset > value_start {
                let mut c = flow_cursor(text, value_start, offset, Mode::Yaml, path)?;
                c.indent = parts.content;
                c.outer_siblings = siblings;
                return Some(c);
            }
            let mut c = Cursor::new(Syntax::Yaml, path, Slot::Value, offset);
            c.siblings = siblings;
            c.indent = parts.content;
            c.after_colon = Some(ls + value_col);
            c.space_before = cur == value_col;
            if below(value) == Below::Text && offset > value_start {
                return None;
            }
            value_word(text, &mut c, value_start.min(offset), le, offset);
            Some(c)
        }
        LineKind::Flow => {
            let mut c = flow_cursor(text, ls + parts.content, offset, Mode::Yaml, path)?;
            c.indent = parts.content;
            c.outer_siblings = siblings;
            Some(c)
        }
        LineKind::Text(_) => {
            let start = ls + parts.content;
            let slot = if inner_items > 0 {
                Slot::Value
            } else {
                Slot::Key
            };
            let mut c = Cursor::new(Syntax::Yaml, path, slot, offset);
            c.siblings = siblings;
            c.indent = parts.content;
            if inner_items > 0 {
                c.items = items();
            }
            value_word(text, &mut c, start, le, offset);
            Some(c)
        }
        _ => None,
    }
}

/// Fill the word and spans of a block value starting at `start` on a line ending at
/// `end`, with the cursor at `offset`.
fn value_word(text: &str, c: &mut Cursor, start: usize, end: usize, offset: usize) {
    let b = text.as_bytes();
    // Inside quotes (a cursor at the opening quote is before the scalar).
    if start < end && offset > start && (b[start] == b'"' || b[start] == b'\'') {
        let q = b[start];
        let close = closing_quote(&text[..end], start, q);
        c.quote = Some(q as char);
        let inner_end = close.unwrap_or(end);
        c.scalar_span = Span::new(start, close.map_or(end, |i| i + 1));
        let inner = Span::new(start + 1, inner_end);
        let before = &text[inner.start.min(offset)..offset.clamp(inner.start, inner.end)];
        quantity_word(c, before, inner.start, inner, offset);
        return;
    }
    // A plain scalar runs to a comment or the end of the line.
    let line = &text[start..end];
    let stop = line.find(" #").map_or(end, |i| start + i);
    let value_end = start + text[start..stop].trim_end().len();
    let value_end = value_end.max(offset.min(end)).max(start);
    c.scalar_span = Span::new(start, value_end);
    let before = &text[start..offset.clamp(start, value_end)];
    quantity_word(c, before, start, c.scalar_span, offset);
}

/// Split what was typed into a number and the unit word after it, when it has that
/// shape (`2.5 m`); else the whole text is the word.
fn quantity_word(c: &mut Cursor, before: &str, start: usize, whole: Span, offset: usize) {
    if let Some((number, unit_at)) = split_number(before) {
        c.number = Some(number.to_string());
        c.word = before[unit_at..].to_string();
        let unit_start = start + unit_at;
        // The unit runs to the next blank.
        let rest_end = whole.end.max(offset);
        c.word_span = Span::new(unit_start, rest_end);
    } else {
        c.word = before.to_string();
        c.word_span = whole;
    }
}

/// `2.5 m` → ("2.5", index of `m`); requires blanks after the number.
pub fn split_number(s: &str) -> Option<(&str, usize)> {
    let t = s.trim_start();
    let lead = s.len() - t.len();
    let b = t.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'-' | b'+')) {
        i += 1;
    }
    let digits_start = i;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
        i += 1;
    }
    if i == digits_start || !b[digits_start..i].iter().any(u8::is_ascii_digit) {
        return None;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if matches!(b.get(j), Some(b'-' | b'+')) {
            j += 1;
        }
        let exp = b[j..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp > 0 {
            i = j + exp;
        }
    }
    let num_end = i;
    while i < b.len() && b[i] == b' ' {
        i += 1;
    }
    if i == num_end {
        return None;
    }
    Some((&t[..num_end], lead + i))
}

/// A line inside a flow collection opened on an earlier line (`phases: [PHASE1,`
/// above). `Some(None)`: inside one, but nothing to complete.
fn yaml_flow_continuation(
    text: &str,
    base: usize,
    ls: usize,
    offset: usize,
) -> Option<Option<Cursor>> {
    let mut line = prev_line(text, base, ls);
    let mut steps = 0;
    while let Some((s, e)) = line {
        line = prev_line(text, base, s);
        let l = &text[s..e];
        let t = l.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        steps += 1;
        if steps > 200 {
            return None;
        }
        // Only a line that leaves a collection open continues it.
        let t = t.split(" #").next().unwrap_or(t).trim_end();
        if !t.ends_with([',', '[', '{']) {
            return None;
        }
        let parts = split_line(l);
        let open = match &parts.kind {
            LineKind::Key { value, colon, .. } if value.trim_start().starts_with(['[', '{']) => {
                Some(s + colon + 1 + (value.len() - value.trim_start().len()))
            }
            LineKind::Flow => Some(s + parts.content),
            _ => None,
        };
        if let Some(open) = open {
            if !flow_open_at_end(text, open, e) {
                return None;
            }
            let (col, at_item) = match parts.markers.first() {
                Some(m) => (*m, true),
                None => (parts.content, false),
            };
            let Some(climb) = climb(text, base, s, col, at_item, false) else {
                return Some(None);
            };
            let mut path = climb.path;
            path.extend(std::iter::repeat_n(Seg::Item, parts.markers.len()));
            if let LineKind::Key { key, .. } = &parts.kind {
                path.push(Seg::Key(key.clone()));
            }
            return Some(
                flow_cursor(text, open, offset, Mode::Yaml, path).map(|mut c| {
                    c.indent = parts.content;
                    c
                }),
            );
        }
    }
    None
}

/// Whether the flow collection opened at `open` is still open at `end`.
fn flow_open_at_end(text: &str, open: usize, end: usize) -> bool {
    let mut depth = 0usize;
    let b = text.as_bytes();
    let mut i = open;
    while i < end {
        match b[i] {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return false;
                }
            }
            q @ (b'"' | b'\'') => match closing_quote(&text[..end], i, q) {
                Some(c) => i = c,
                None => return depth > 0,
            },
            b'#' if i > 0 && is_blank_byte(b[i - 1]) => break,
            _ => {}
        }
        i += 1;
    }
    depth > 0
}

// ---------------------------------------------------------------------------
// Flow collections and JSON

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Mode {
    Json,
    Yaml,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum State {
    Key,
    Colon,
    Value,
    After,
}

/// A scalar the scanner passed: where it is, not yet copied out.
#[derive(Clone, Copy, Debug, Default)]
struct Tok {
    span: Span,
    /// The quote it was written with.
    quote: Option<u8>,
}

impl Tok {
    fn text(self, src: &str) -> String {
        let s = src.get(self.span.start..self.span.end).unwrap_or("");
        match self.quote {
            Some(q) => unescape(s, q),
            None => s.to_string(),
        }
    }
}

#[derive(Debug)]
enum FrameSeg {
    Key(Tok),
    Item,
}

#[derive(Debug)]
struct Frame {
    /// How this collection is reached from its parent.
    seg: Option<FrameSeg>,
    map: bool,
    state: State,
    key: Option<Tok>,
    entries: Vec<(Tok, Option<Tok>)>,
    items: Vec<Tok>,
}

impl Frame {
    fn new(seg: Option<FrameSeg>, map: bool) -> Frame {
        Frame {
            seg,
            map,
            state: if map { State::Key } else { State::Value },
            key: None,
            entries: Vec::new(),
            items: Vec::new(),
        }
    }

    fn scalar(&mut self, s: Tok) {
        if self.map {
            match self.state {
                State::Key | State::After | State::Colon => {
                    self.key = Some(s);
                    self.state = State::Colon;
                }
                State::Value => {
                    let k = self.key.take().unwrap_or_default();
                    self.entries.push((k, Some(s)));
                    self.state = State::After;
                }
            }
        } else {
            self.items.push(s);
            self.state = State::After;
        }
    }
}

/// The token the cursor is in.
struct Token {
    start: usize,
    end: usize,
    quote: Option<char>,
    inner: Span,
}

struct Scan {
    frames: Vec<Frame>,
    token: Option<Token>,
    /// End of the last token before the cursor.
    last_end: usize,
}

/// The end of a bare word starting at `i`.
fn bare_end(text: &str, i: usize, mode: Mode) -> usize {
    let b = text.as_bytes();
    let mut j = i;
    match mode {
        Mode::Json => {
            while j < b.len()
                && !matches!(
                    b[j],
                    b' ' | b'\t' | b'\r' | b'\n' | b',' | b':' | b'[' | b']' | b'{' | b'}' | b'"'
                )
            {
                j += 1;
            }
            j
        }
        Mode::Yaml => {
            while j < b.len() {
                match b[j] {
                    b',' | b'[' | b']' | b'{' | b'}' | b'\r' | b'\n' => break,
                    b':' if j + 1 >= b.len()
                        || matches!(
                            b[j + 1],
                            b' ' | b'\t' | b'\r' | b'\n' | b',' | b']' | b'}'
                        ) =>
                    {
                        break
                    }
                    b'#' if j > i && is_blank_byte(b[j - 1]) => break,
                    _ => j += 1,
                }
            }
            i + text[i..j].trim_end().len()
        }
    }
}

/// Scan a flow collection (or a JSON document) from `from` to the cursor.
fn scan_flow(text: &str, from: usize, cursor: usize, mode: Mode) -> Option<Scan> {
    let b = text.as_bytes();
    let mut frames: Vec<Frame> = Vec::new();
    let mut i = from;
    let mut last_end = from;
    while i < cursor {
        match b[i] {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'#' if mode == Mode::Yaml => {
                let nl = text[i..].find('\n').map_or(text.len(), |n| i + n);
                if nl >= cursor {
                    return None;
                }
                i = nl;
            }
            c @ (b'{' | b'[') => {
                let seg = match frames.last_mut() {
                    None => None,
                    Some(f) if f.map => {
                        let k = f.key.take().unwrap_or_default();
                        f.entries.push((k, None));
                        f.state = State::After;
                        Some(FrameSeg::Key(k))
                    }
                    Some(f) => {
                        f.state = State::After;
                        Some(FrameSeg::Item)
                    }
                };
                frames.push(Frame::new(seg, c == b'{'));
                i += 1;
                last_end = i;
            }
            c @ (b'}' | b']') => {
                // A closer pops up to the collection of its kind (an unclosed
                // bracket inside is forgiven), or one collection if there is none.
                let map = c == b'}';
                match frames.iter().rposition(|f| f.map == map) {
                    Some(at) => frames.truncate(at),
                    None => {
                        frames.pop();
                    }
                }
                if frames.is_empty() {
                    return None;
                }
                i += 1;
                last_end = i;
            }
            b':' => {
                // In JSON a `:` inside a list means the list was never closed: its
                // last item is the key of the mapping around it.
                if mode == Mode::Json && frames.last().is_some_and(|f| !f.map) {
                    if let Some(at) = frames.iter().rposition(|f| f.map) {
                        let key = frames.last_mut().and_then(|f| f.items.pop());
                        frames.truncate(at + 1);
                        if let Some(f) = frames.last_mut() {
                            f.key = key;
                        }
                    }
                }
                if let Some(f) = frames.last_mut() {
                    if f.map {
                        f.state = State::Value;
                    }
                }
                i += 1;
                last_end = i;
            }
            b',' => {
                if let Some(f) = frames.last_mut() {
                    if f.map {
                        f.state = State::Key;
                        f.key = None;
                    } else {
                        f.state = State::Value;
                    }
                }
                i += 1;
                last_end = i;
            }
            q @ (b'"' | b'\'') if q == b'"' || mode == Mode::Yaml => {
                // `closing_quote` stops at the line's end; only an unterminated
                // string needs to know where that is.
                let close = closing_quote(text, i, q);
                let line_end = match close {
                    Some(c) => c,
                    None => text[i..].find('\n').map_or(text.len(), |n| i + n),
                };
                match close {
                    Some(cl) if cl < cursor => {
                        if let Some(f) = frames.last_mut() {
                            f.scalar(Tok {
                                span: Span::new(i + 1, cl),
                                quote: Some(q),
                            });
                        }
                        i = cl + 1;
                        last_end = i;
                    }
                    None if line_end < cursor => {
                        // An unterminated string on an earlier line: up to its end.
                        if let Some(f) = frames.last_mut() {
                            let inner = text[i + 1..line_end].trim_end_matches('\r');
                            f.scalar(Tok {
                                span: Span::new(i + 1, i + 1 + inner.len()),
                                quote: Some(q),
                            });
                        }
                        i = line_end;
                        last_end = i;
                    }
                    _ => {
                        let inner_end = close.unwrap_or(line_end);
                        let inner_end = if close.is_none() {
                            i + 1 + text[i + 1..inner_end].trim_end_matches('\r').len()
                        } else {
                            inner_end
                        };
                        return Some(Scan {
                            frames,
                            token: Some(Token {
                                start: i,
                                end: close.map_or(inner_end, |c| c + 1),
                                quote: Some(q as char),
                                inner: Span::new(i + 1, inner_end),
                            }),
                            last_end,
                        });
                    }
                }
            }
            _ => {
                let end = next_boundary(text, bare_end(text, i, mode).max(i + 1));
                if end >= cursor {
                    return Some(Scan {
                        frames,
                        token: Some(Token {
                            start: i,
                            end,
                            quote: None,
                            inner: Span::new(i, end),
                        }),
                        last_end,
                    });
                }
                if let Some(f) = frames.last_mut() {
                    f.scalar(Tok {
                        span: Span::new(i, end),
                        quote: None,
                    });
                }
                i = end;
                last_end = i;
            }
        }
    }
    Some(Scan {
        frames,
        token: None,
        last_end,
    })
}

fn next_boundary(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

fn unescape(s: &str, q: u8) -> String {
    if q == b'\'' {
        return s.replace("''", "'");
    }
    if !s.contains('\\') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(o) => out.push(o),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The keys (map) or items (list) of the collection the cursor is in that come
/// after it, up to its end.
fn rest_of_collection(
    text: &str,
    from: usize,
    mode: Mode,
    map: bool,
) -> (Vec<(String, Option<String>)>, Vec<String>) {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut state = State::After;
    let mut key: Option<String> = None;
    let (mut keys, mut items) = (Vec::new(), Vec::new());
    let mut i = from;
    while i < b.len() {
        let mut word: Option<String> = None;
        match b[i] {
            b'\n' if mode == Mode::Yaml => {
                // A YAML flow collection goes on after a line only if it says so.
                let line_start = text[..i].rfind('\n').map_or(0, |n| n + 1);
                let t = text[line_start..i].trim_end();
                let t = t.split(" #").next().unwrap_or(t).trim_end();
                if !t.ends_with([',', '[', '{']) {
                    break;
                }
                i += 1;
            }
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'#' if mode == Mode::Yaml => {
                i = text[i..].find('\n').map_or(text.len(), |n| i + n);
            }
            b'{' | b'[' => {
                if depth == 0 && map {
                    if let Some(k) = key.take() {
                        keys.push((k, None));
                    }
                    state = State::After;
                }
                depth += 1;
                i += 1;
            }
            b'}' | b']' => {
                if depth == 0 {
                    break;
                }
                depth -= 1;
                i += 1;
            }
            b':' => {
                if depth == 0 && map {
                    state = State::Value;
                }
                i += 1;
            }
            b',' => {
                if depth == 0 && map {
                    if let Some(k) = key.take() {
                        keys.push((k, None));
                    }
                    state = State::Key;
                }
                i += 1;
            }
            q @ (b'"' | b'\'') if q == b'"' || mode == Mode::Yaml => {
                let close = closing_quote(text, i, q)
                    .unwrap_or_else(|| text[i..].find('\n').map_or(text.len(), |n| i + n));
                word = Some(unescape(&text[i + 1..close.max(i + 1)], q));
                i = (close + 1).min(text.len());
            }
            _ => {
                let end = next_boundary(text, bare_end(text, i, mode).max(i + 1));
                word = Some(text[i..end].to_string());
                i = end;
            }
        }
        if let (Some(w), 0) = (word, depth) {
            if !map {
                items.push(w);
            } else if state == State::Value {
                if let Some(k) = key.take() {
                    keys.push((k, Some(w)));
                }
                state = State::After;
            } else {
                if let Some(k) = key.take() {
                    keys.push((k, None));
                }
                key = Some(w);
                state = State::Colon;
            }
        }
    }
    if let Some(k) = key {
        if map {
            keys.push((k, None));
        }
    }
    (keys, items)
}

/// The cursor inside a flow collection opened at `open` (or a JSON document).
fn flow_cursor(
    text: &str,
    open: usize,
    offset: usize,
    mode: Mode,
    mut path: Vec<Seg>,
) -> Option<Cursor> {
    let scan = scan_flow(text, open, offset, mode)?;
    let syntax = if mode == Mode::Json {
        Syntax::Json
    } else {
        Syntax::Yaml
    };
    let top = scan.frames.last()?;
    path.extend(scan.frames.iter().filter_map(|f| match f.seg {
        Some(FrameSeg::Key(k)) => Some(Seg::Key(k.text(text))),
        Some(FrameSeg::Item) => Some(Seg::Item),
        None => None,
    }));
    let gap = scan.token.is_none() && scan.last_end < offset;
    let slot = match (top.map, top.state) {
        (true, State::Key) => Slot::Key,
        (true, State::After) if gap || scan.token.is_some() => Slot::Key,
        (true, State::Value) => Slot::Value,
        (false, State::Value) => Slot::Value,
        (false, State::After) if gap || scan.token.is_some() => Slot::Value,
        _ => return None,
    };
    let mut c = Cursor::new(syntax, path, slot, offset);
    c.flow = true;
    match slot {
        Slot::Value if top.map => {
            c.path
                .push(Seg::Key(top.key.map(|k| k.text(text)).unwrap_or_default()));
        }
        Slot::Value => c.path.push(Seg::Item),
        Slot::Key => {}
    }
    let after = scan.token.as_ref().map_or(offset, |t| t.end);
    let (rest_keys, rest_items) = rest_of_collection(text, after, mode, top.map);
    if top.map {
        c.siblings = top
            .entries
            .iter()
            .map(|(k, v)| (k.text(text), v.map(|v| v.text(text))))
            .collect();
        c.siblings.extend(rest_keys);
    } else {
        c.items = top.items.iter().map(|t| t.text(text)).collect();
        c.items.extend(rest_items);
    }
    match &scan.token {
        Some(t) => {
            c.quote = t.quote;
            c.scalar_span = Span::new(t.start, t.end);
            let before_end = offset.clamp(t.inner.start, t.inner.end);
            let before = &text[t.inner.start..before_end];
            if slot == Slot::Value {
                quantity_word(&mut c, before, t.inner.start, t.inner, offset);
                if c.number.is_some() {
                    c.word_span.end = c.word_span.end.min(t.inner.end).max(c.word_span.start);
                }
            } else {
                c.word = before.to_string();
                c.word_span = t.inner;
            }
            if slot == Slot::Key {
                let rest = text[t.end..].trim_start_matches([' ', '\t']);
                c.colon_follows = rest.starts_with(':');
            }
        }
        None => {
            c.empty_item = slot == Slot::Value && !top.map;
            if mode == Mode::Yaml && offset > 0 && text.as_bytes()[offset - 1] == b':' {
                c.space_before = true;
            }
        }
    }
    Some(c)
}

fn json(text: &str, base: usize, offset: usize) -> Option<Cursor> {
    let first = text[base..]
        .find(|c: char| !c.is_whitespace())
        .map(|i| base + i);
    match first {
        None => {
            let mut c = Cursor::new(Syntax::Json, Vec::new(), Slot::Key, offset);
            c.empty_document = true;
            c.flow = true;
            Some(c)
        }
        // Before the document's first bracket.
        Some(f) if f >= offset => None,
        Some(f) => flow_cursor(text, f, offset, Mode::Json, Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cursor's context in a text with `‸` marking the cursor.
    fn at(text: &str, syntax: Syntax) -> Option<Cursor> {
        let offset = text.find('‸').expect("marker");
        cursor(&text.replace('‸', ""), syntax, offset)
    }

    fn path(c: &Cursor) -> String {
        c.path
            .iter()
            .map(|s| match s {
                Seg::Key(k) => k.as_str(),
                Seg::Item => "[]",
            })
            .collect::<Vec<_>>()
            .join(".")
    }

    fn keys(c: &Cursor) -> Vec<&str> {
        c.siblings.iter().map(|(k, _)| k.as_str()).collect()
    }

    #[test]
    fn yaml_block_paths_slots_and_words() {
        let c = at(
            "arms:\n  - id: a\n    type: X\n    la‸\n    size: 2\n",
            Syntax::Yaml,
        )
        .unwrap();
        assert_eq!(
            (path(&c), c.slot, c.word.as_str()),
            ("arms.[]".into(), Slot::Key, "la")
        );
        assert_eq!(keys(&c), ["type", "id", "size"]);

        let c = at("arms:\n- id: a\n  type: EXP‸ERIMENTAL # c\n", Syntax::Yaml).unwrap();
        assert_eq!(
            (path(&c), c.slot, c.word.as_str()),
            ("arms.[].type".into(), Slot::Value, "EXP")
        );
        assert_eq!(c.scalar_span, Span::new(22, 34));

        let c = at("results:\n  - outcome: x\n    mean: 2.5 m‸\n", Syntax::Yaml).unwrap();
        assert_eq!((c.number.as_deref(), c.word.as_str()), (Some("2.5"), "m"));
        assert_eq!(c.sibling("outcome"), Some("x"));

        let c = at(
            "a:\n  b:\n    - c: 1\n      d:\n        - ‸\n",
            Syntax::Yaml,
        )
        .unwrap();
        assert_eq!(
            (path(&c), c.slot, c.empty_item),
            ("a.b.[].d.[]".into(), Slot::Value, true)
        );

        let c = at("notes: |\n  text\n  more ‸\n", Syntax::Yaml);
        assert!(c.is_none(), "inside a block scalar");
        let c = at("trf: 1 # a ‸ comment\n", Syntax::Yaml);
        assert!(c.is_none(), "inside a comment");
    }

    #[test]
    fn yaml_flow_collections_on_one_line_and_across_lines() {
        let c = at("arms:\n  - interventions: [a, ‸]\n", Syntax::Yaml).unwrap();
        assert_eq!(
            (path(&c), c.slot),
            ("arms.[].interventions.[]".into(), Slot::Value)
        );
        assert_eq!(c.items, ["a"]);

        let c = at("x: 1\nenrollment: {count: 3, t‸ }\n", Syntax::Yaml).unwrap();
        assert_eq!(
            (path(&c), c.slot, c.word.as_str()),
            ("enrollment".into(), Slot::Key, "t")
        );
        assert_eq!(keys(&c), ["count"]);

        let c = at("phases: [\n  PHASE1,\n  PH‸\n]\n", Syntax::Yaml).unwrap();
        assert_eq!((path(&c), c.word.as_str()), ("phases.[]".into(), "PH"));

        // An unclosed bracket above does not swallow the lines below it.
        let c = at("conditions: [a\nstatus: R‸\n", Syntax::Yaml).unwrap();
        assert_eq!((path(&c), c.word.as_str()), ("status".into(), "R"));
        let c = at("phases: [PHASE1] ‸\n", Syntax::Yaml);
        assert!(c.is_none(), "after a closed collection");
    }

    #[test]
    fn json_paths_with_recovery() {
        let c = at("{\"a\": [1, {\"b\": \"x\", \"‸\"}]}", Syntax::Json).unwrap();
        assert_eq!((path(&c), c.slot), ("a.[]".into(), Slot::Key));
        assert_eq!(keys(&c), ["b"]);
        assert_eq!(c.scalar_span, Span::new(21, 23));

        // An unclosed list: the `:` after its last item shows it ended there.
        let c = at("{\"c\": [\"x\",\n \"route\": \"IN‸", Syntax::Json).unwrap();
        assert_eq!(
            (path(&c), c.word.as_str(), c.quote),
            ("route".into(), "IN", Some('"'))
        );

        // A missing comma does not hide the next key.
        let c = at("{\"a\": 1\n \"b‸\": 2}", Syntax::Json).unwrap();
        assert_eq!(
            (path(&c), c.slot, c.colon_follows),
            ("".into(), Slot::Key, true)
        );

        assert!(at("{\"a\": 1}\n‸", Syntax::Json).is_none());
        assert!(at("  ‸  ", Syntax::Json).unwrap().empty_document);
    }

    #[test]
    fn small_readers() {
        assert_eq!(split_number("2.5 mL"), Some(("2.5", 4)));
        assert_eq!(split_number("  -1e9  x"), Some(("-1e9", 8)));
        assert_eq!(split_number("10*9/L"), None);
        assert_eq!(split_number("2.5"), None);
        assert_eq!(split_number(". x"), None);
        assert_eq!(find_key("id: a"), Some(("id".into(), 2, 2)));
        assert_eq!(find_key("\"a b\" : c"), Some(("a b".into(), 5, 6)));
        assert_eq!(find_key("url: https://x.org"), Some(("url".into(), 3, 3)));
        assert_eq!(find_key("https://x.org"), None);
        assert_eq!(find_key("a # b: c"), None);
        assert!(below(" |-") == Below::Text);
        assert!(below(" >2 # c") == Below::Text);
        assert!(below(" &anchor") == Below::Collection);
        assert!(below(" # c") == Below::Collection);
        assert!(below(" |x|") == Below::Inline);
        let p = split_line("  - - key: v");
        assert_eq!((p.markers, p.content), (vec![2, 4], 6));
        assert!(matches!(split_line("---").kind, LineKind::DocMarker));
        assert_eq!(comment_start("a: \"x # y\" # z"), Some(11));
        assert_eq!(comment_start("url: http://x.org/#frag"), None);
        assert_eq!(comment_start("title: O'Brien # c"), Some(15));
        assert_eq!(
            yaml_section("a: 1\nab:\n  - x\nc: 2\n", "ab"),
            Some((5, "ab:\n  - x\n"))
        );
    }
}
