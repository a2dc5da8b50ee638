//! The cursor in YAML block structure: climbing from the cursor's line to the root
//! (the path, the keys and items above), scanning down for the keys and items below,
//! and a line inside a flow collection opened on an earlier line.

use super::flow::{flow_cursor, Mode};
use super::lines::{
    below, closing_quote, comment_start, deeper, is_blank_byte, line_at, next_line, prev_line,
    scalar_value, split_line, Below, LineKind,
};
use super::word::value_word;
use super::{Cursor, Seg, Slot};
use crate::syntax::{Span, Syntax};

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

pub(super) fn yaml(text: &str, base: usize, offset: usize) -> Option<Cursor> {
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
