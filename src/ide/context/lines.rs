//! Reading YAML one line at a time: the lines around an offset, a line split into
//! its `- ` markers and its content (a key, a flow collection, a scalar, a comment),
//! quotes and comments on a line, and a top-level entry's text.

/// The line holding `offset`: (start, end without the line break).
pub(super) fn line_at(text: &str, base: usize, offset: usize) -> (usize, usize) {
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
pub(super) fn prev_line(text: &str, base: usize, start: usize) -> Option<(usize, usize)> {
    if start <= base {
        return None;
    }
    Some(line_at(text, base, start - 1))
}

/// The line after the one ending at `end`.
pub(super) fn next_line(text: &str, base: usize, end: usize) -> Option<(usize, usize)> {
    let nl = end + text[end..].find('\n')?;
    Some(line_at(text, base, nl + 1))
}

#[derive(Debug)]
pub(super) enum LineKind<'a> {
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
pub(super) struct Parts<'a> {
    /// Columns of the `- ` markers.
    pub(super) markers: Vec<usize>,
    /// Column where the content after the indentation and markers starts.
    pub(super) content: usize,
    pub(super) kind: LineKind<'a>,
}

impl Parts<'_> {
    /// The column of the line's first structure (marker or content).
    pub(super) fn first(&self) -> usize {
        self.markers.first().copied().unwrap_or(self.content)
    }
}

pub(super) fn is_blank_byte(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// A line indented beyond `col` (cheaply, before splitting it): it cannot be a
/// sibling or an ancestor of a node at `col`.
pub(super) fn deeper(line: &str, col: usize) -> bool {
    line.len() > col && line.as_bytes()[..=col].iter().all(|b| *b == b' ')
}

pub(super) fn split_line(line: &str) -> Parts<'_> {
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
pub(super) fn find_key(rest: &str) -> Option<(String, usize, usize)> {
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
pub(super) fn closing_quote(s: &str, open: usize, q: u8) -> Option<usize> {
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
pub(super) fn comment_start(line: &str) -> Option<usize> {
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
pub(super) fn scalar_value(raw: &str) -> Option<String> {
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
pub(super) enum Below {
    /// Nothing (or an anchor, a tag, a comment): a collection follows.
    Collection,
    /// A block scalar's indicator: the lines below are text.
    Text,
    /// An inline value.
    Inline,
}

pub(super) fn below(raw: &str) -> Below {
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
