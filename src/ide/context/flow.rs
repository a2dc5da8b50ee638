//! Flow collections (`[…]`, `{…}`) and JSON: a bracket and quote scanner running
//! forward to the cursor, with recovery for unclosed collections and missing commas,
//! and the entries or items of the cursor's collection after it.

use super::lines::{closing_quote, is_blank_byte};
use super::word::quantity_word;
use super::{Cursor, Seg, Slot};
use crate::syntax::{Span, Syntax};

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
pub(super) fn flow_cursor(
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

pub(super) fn json(text: &str, base: usize, offset: usize) -> Option<Cursor> {
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
