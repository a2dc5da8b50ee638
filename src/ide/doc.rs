//! The document as completion, hover and `symbol_at` read it: only the top-level
//! entries they need are parsed, and in a long list (`results`) only the item at
//! the cursor, so that a keystroke or a hover in a long record does not parse all
//! of it. A YAML top-level entry is a `key:` line at column 0 and the indented lines
//! below it; a JSON one is found by a scan of the root object's brackets and
//! strings. (A JSON document that does not parse is read again by the YAML parser,
//! several times over: parsing a slice keeps that cheap too.)

use std::borrow::Cow;

use super::context;
use crate::model::ids::{self, LocalKind, Step};
use crate::syntax::{self, Entry, Node, NodeKind, ScalarKind, ScalarStyle, Span, Syntax};

pub struct Doc<'t> {
    text: &'t str,
    syntax: Syntax,
}

impl<'t> Doc<'t> {
    pub fn new(text: &'t str, syntax: Syntax) -> Doc<'t> {
        Doc { text, syntax }
    }

    /// A top-level entry's value, and the offset its spans count from.
    pub fn section(&self, key: &str) -> Option<(Cow<'_, Node>, usize)> {
        match self.syntax {
            Syntax::Yaml => {
                let (start, slice) = context::yaml_section(self.text, key)?;
                let NodeKind::Map(entries) = syntax::parse(slice, Syntax::Yaml).root?.kind else {
                    return None;
                };
                let value = entries
                    .into_iter()
                    .find(|e| e.key_text() == Some(key))?
                    .value;
                Some((Cow::Owned(value), start))
            }
            Syntax::Json => {
                let e = json_entries(self.text).into_iter().find(|e| e.key == key)?;
                Some((Cow::Owned(parse_json_lenient(self.text, e.value, 0)?), 0))
            }
        }
    }

    /// The root mapping holding `offset`: for YAML, a mapping of just the top-level
    /// entry around it; and the offset its spans count from.
    ///
    /// In a list (`results:`, which may be most of the record), only the item around
    /// `offset` is parsed, as the one item of its list.
    pub fn around(&self, offset: usize) -> Option<(Cow<'_, Node>, usize)> {
        match self.syntax {
            Syntax::Yaml => {
                let (start, slice) = yaml_entry_at(self.text, offset)?;
                if let Some(item) = self.item_at(start, slice, offset) {
                    return Some(item);
                }
                Some((Cow::Owned(syntax::parse(slice, Syntax::Yaml).root?), start))
            }
            Syntax::Json => Some((Cow::Owned(json_around(self.text, offset)?), 0)),
        }
    }

    /// The list item of the top-level entry `slice` (at `start`) holding `offset`,
    /// as `{key: [item]}` with spans counted from the item's start.
    fn item_at(&self, start: usize, slice: &str, offset: usize) -> Option<(Cow<'_, Node>, usize)> {
        let key_end = slice.find(':')?;
        let key = slice[..key_end].trim_end();
        let (item_start, item) = yaml_item_at(slice, offset.checked_sub(start)?)?;
        let root = syntax::parse(item, Syntax::Yaml).root?;
        root.as_seq()?;
        let entry = Entry {
            // Never at the cursor: the item is.
            key: Node::scalar(
                key,
                ScalarKind::Str,
                ScalarStyle::Plain,
                Span::empty(usize::MAX),
            ),
            value: root,
        };
        let map = Node::map(vec![entry], Span::new(0, item.len()));
        Some((Cow::Owned(map), start + item_start))
    }

    /// The entries of `kind` (with or without an id), in order: the items of the list
    /// the id table says defines them (`arms`, or every arm's `cohorts`).
    fn entries(&self, kind: LocalKind) -> Vec<Node> {
        let path = kind.definition_place().path;
        let Some((Step::Key(top), below)) = path.split_first() else {
            return Vec::new();
        };
        // The entry is the item that holds the `id`.
        let below = below.strip_suffix(&[Step::Key("id")]).unwrap_or(below);
        let Some((section, _)) = self.section(top) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        ids::each_at(&section, below, &mut |n| out.push(n.clone()));
        out
    }

    /// The entries of `kind` with an id, in order.
    pub fn definitions(&self, kind: LocalKind) -> Vec<(String, Node)> {
        self.entries(kind)
            .into_iter()
            .filter_map(|item| {
                let id = item.get("id")?.text()?.to_string();
                (!id.is_empty()).then_some((id, item))
            })
            .collect()
    }

    pub fn definition(&self, kind: LocalKind, id: &str) -> Option<Node> {
        self.entries(kind)
            .into_iter()
            .find(|item| item.get("id").and_then(Node::text) == Some(id))
    }

    /// How many references name this local id.
    pub fn references(&self, kind: LocalKind, id: &str) -> usize {
        let mut count = 0;
        for place in ids::references_of(kind) {
            let Some((Step::Key(top), below)) = place.path.split_first() else {
                continue;
            };
            if let Some((section, _)) = self.section(top) {
                ids::each_at(&section, below, &mut |n| {
                    count += usize::from(n.text() == Some(id));
                });
            }
        }
        count
    }
}

/// The whole record, for the features that read all of it (occurrences, outline,
/// folding, links). A JSON document that is not valid JSON is read entry by entry
/// from its root object, so that one broken entry (an unclosed bracket) does not
/// take the others with it; anything else is parsed as usual.
pub fn record(text: &str, syntax: Syntax) -> Option<Node> {
    let text = &*crate::ide::lf_lines(text);
    if syntax == Syntax::Json {
        let body = text.strip_prefix('\u{feff}').unwrap_or(text);
        if serde_json::from_str::<serde::de::IgnoredAny>(body).is_err() {
            let entries: Vec<Entry> = json_entries(text)
                .into_iter()
                .map(|e| Entry {
                    key: Node::scalar(
                        e.key,
                        ScalarKind::Str,
                        ScalarStyle::DoubleQuoted,
                        e.key_span,
                    ),
                    value: parse_json_lenient(text, e.value, 0)
                        .unwrap_or_else(|| Node::null(e.value)),
                })
                .collect();
            if !entries.is_empty() {
                return Some(Node::map(entries, Span::new(0, text.len())));
            }
        }
    }
    syntax::parse(text, syntax).root
}

/// An entry of a JSON document's root object.
struct JsonEntry {
    key: String,
    /// With its quotes.
    key_span: Span,
    value: Span,
}

fn skip_blanks(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\r' | b'\n' | b',') {
        i += 1;
    }
    i
}

/// The end of the JSON string whose quote is at `i` (after its closing quote, or
/// at the end of its line when it is not closed).
fn json_string_end(b: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'"' => return j + 1,
            b'\n' => return j,
            _ => j += 1,
        }
    }
    b.len()
}

/// The text between a JSON string's quotes: from after the quote at `i` to
/// `end` ([`json_string_end`]), without the closing quote when there is one. An
/// unclosed string ends at its line's end, which may follow a multi-byte
/// character: never cut one (issue 8.5, `{"µ` + newline).
fn string_body(text: &str, i: usize, end: usize) -> &str {
    let body = text.get(i + 1..end.max(i + 1)).unwrap_or("");
    if end > i + 1 && text.as_bytes().get(end - 1) == Some(&b'"') {
        body.strip_suffix('"').unwrap_or(body)
    } else {
        body
    }
}

/// The end of the JSON value starting at `i`.
fn json_value_end(b: &[u8], i: usize) -> usize {
    match b.get(i) {
        Some(b'"') => json_string_end(b, i),
        Some(b'{' | b'[') => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = json_string_end(b, j);
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return j + 1;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            b.len()
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']' | b'\n' | b'\r' | b' ' | b'\t')
            {
                j += 1;
            }
            j.max((i + 1).min(b.len()))
        }
    }
}

/// The root object's entries, by a scan of strings and brackets (it forgives what
/// does not parse).
fn json_entries(text: &str) -> Vec<JsonEntry> {
    let start = skip_blanks(
        text.as_bytes(),
        if text.starts_with('\u{feff}') { 3 } else { 0 },
    );
    json_object_entries(text, Span::new(start, text.len()))
}

/// The entries of the JSON object at `span`.
fn json_object_entries(text: &str, span: Span) -> Vec<JsonEntry> {
    let b = &text.as_bytes()[..span.end.min(text.len())];
    let mut out = Vec::new();
    let mut i = span.start;
    if b.get(i) != Some(&b'{') {
        return out;
    }
    i += 1;
    loop {
        i = skip_blanks(b, i);
        match b.get(i) {
            Some(b'"') => {}
            Some(b'}') | None => break,
            // Not a key: skip the value it starts.
            Some(_) => {
                i = json_value_end(b, i).max(i + 1);
                continue;
            }
        }
        let key_end = json_string_end(b, i);
        let key_span = Span::new(i, key_end);
        let key = string_body(text, i, key_end).to_string();
        let mut j = key_end;
        while j < b.len() && matches!(b[j], b' ' | b'\t' | b'\r' | b'\n') {
            j += 1;
        }
        if b.get(j) != Some(&b':') {
            i = j;
            continue;
        }
        j = skip_blanks(b, j + 1);
        let end = json_value_end(b, j);
        out.push(JsonEntry {
            key,
            key_span,
            value: Span::new(j, end),
        });
        i = end.max(j + 1);
    }
    out
}

/// The elements of the JSON array at `span`.
fn json_elements(text: &str, span: Span) -> Vec<Span> {
    let b = &text.as_bytes()[..span.end];
    let mut out = Vec::new();
    if b.get(span.start) != Some(&b'[') {
        return out;
    }
    let mut i = span.start + 1;
    loop {
        i = skip_blanks(b, i);
        match b.get(i) {
            Some(b']') | None => break,
            Some(_) => {
                let end = json_value_end(b, i).max(i + 1);
                out.push(Span::new(i, end));
                i = end;
            }
        }
    }
    out
}

/// Every span in a tree moved by `by`.
fn shift(node: &mut Node, by: usize) {
    node.span = Span::new(node.span.start + by, node.span.end + by);
    match &mut node.kind {
        NodeKind::Map(entries) => {
            for e in entries {
                shift(&mut e.key, by);
                shift(&mut e.value, by);
            }
        }
        NodeKind::Seq(items) => items.iter_mut().for_each(|n| shift(n, by)),
        NodeKind::Scalar(_) => {}
    }
}

/// A slice of a JSON document parsed alone, with spans into the document.
fn parse_json_slice(text: &str, span: Span) -> Option<Node> {
    let slice = text.get(span.start..span.end)?;
    let mut node = syntax::parse(slice, Syntax::Json).root?;
    shift(&mut node, span.start);
    Some(node)
}

/// How deep [`parse_json_lenient`] goes element by element: a record's values are
/// at most four levels down (root, list, item, quantity mapping). Each level scans
/// to its value's end, which for unclosed brackets is the end of the document.
const LENIENT_DEPTH: usize = 4;

/// A JSON value that may not parse: read as a whole when it is valid JSON, else
/// list element by element and object entry by entry (what one unclosed bracket
/// would otherwise swallow).
fn parse_json_lenient(text: &str, span: Span, depth: usize) -> Option<Node> {
    let slice = text.get(span.start..span.end)?;
    let first = slice.as_bytes().first().copied();
    if depth >= LENIENT_DEPTH
        || !matches!(first, Some(b'[' | b'{'))
        || serde_json::from_str::<serde::de::IgnoredAny>(slice).is_ok()
    {
        return parse_json_slice(text, span);
    }
    let kind = if first == Some(b'[') {
        NodeKind::Seq(
            json_elements(text, span)
                .into_iter()
                .filter_map(|s| parse_json_lenient(text, s, depth + 1))
                .collect(),
        )
    } else {
        NodeKind::Map(
            json_object_entries(text, span)
                .into_iter()
                .map(|e| Entry {
                    key: Node::scalar(
                        e.key,
                        ScalarKind::Str,
                        ScalarStyle::DoubleQuoted,
                        e.key_span,
                    ),
                    value: parse_json_lenient(text, e.value, depth + 1)
                        .unwrap_or_else(|| Node::null(e.value)),
                })
                .collect(),
        )
    };
    Some(Node::new(kind, span))
}

/// The root object with the scalar entries parsed (for the siblings of a key) and
/// the entry holding `offset` (narrowed to the array element holding it).
fn json_around(text: &str, offset: usize) -> Option<Node> {
    let entries = json_entries(text);
    let mut out = Vec::with_capacity(entries.len());
    let mut found = false;
    for e in entries {
        let key = Node::scalar(
            e.key.clone(),
            ScalarKind::Str,
            ScalarStyle::DoubleQuoted,
            e.key_span,
        );
        let first = text.as_bytes().get(e.value.start).copied();
        let in_key = !found && e.key_span.contains(offset);
        let in_value = !found && !in_key && e.value.contains(offset);
        found |= in_key || in_value;
        let collection = matches!(first, Some(b'[' | b'{'));
        let value = if in_value && first == Some(b'[') {
            let items = json_elements(text, e.value)
                .into_iter()
                .filter(|s| s.contains(offset))
                .take(1)
                .filter_map(|s| parse_json_lenient(text, s, 0))
                .collect();
            Node::seq(items, e.value)
        } else if in_value || !collection {
            parse_json_lenient(text, e.value, 0).unwrap_or_else(|| Node::null(e.value))
        } else {
            // Not needed: a placeholder that holds no offset.
            Node::null(Span::empty(e.value.start))
        };
        out.push(Entry { key, value });
    }
    Some(Node::map(out, Span::new(0, text.len())))
}

/// Whether a line starts a top-level entry (or ends one): text at column 0 that is
/// not a list item, a comment or a blank.
fn is_top(line: &str) -> bool {
    !matches!(
        line.bytes().next().unwrap_or(b' '),
        b' ' | b'\t' | b'#' | b'-' | b'\n' | b'\r'
    )
}

/// The top-level YAML entry whose lines hold `offset`, with its start.
fn yaml_entry_at(text: &str, offset: usize) -> Option<(usize, &str)> {
    let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
    // Back to the line that starts the entry.
    let mut start = text[..offset].rfind('\n').map_or(base, |i| i + 1).max(base);
    loop {
        let end = text[start..]
            .find('\n')
            .map_or(text.len(), |i| start + i + 1);
        let line = &text[start..end];
        if is_top(line) && !line.starts_with("---") && !line.starts_with("...") {
            break;
        }
        if start <= base {
            return None;
        }
        start = text[..start - 1]
            .rfind('\n')
            .map_or(base, |i| i + 1)
            .max(base);
    }
    // On to the next one.
    let mut end = text[start..]
        .find('\n')
        .map_or(text.len(), |i| start + i + 1);
    while end < text.len() {
        let next = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
        if is_top(&text[end..next]) {
            break;
        }
        end = next;
    }
    Some((start, &text[start..end]))
}

/// In a top-level entry's text, the block list item holding `offset` (both
/// relative to the entry): from its `- ` line to the next line at or left of the
/// marker's column.
fn yaml_item_at(entry: &str, offset: usize) -> Option<(usize, &str)> {
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let content = |l: &str| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#')
    };
    // The items' column: the first content line below the key.
    let body = entry.find('\n')? + 1;
    let first = entry[body..].split_inclusive('\n').find(|l| content(l))?;
    let col = indent(first);
    if !first[col..].starts_with("- ") && first[col..].trim_end() != "-" {
        return None;
    }
    let offset = offset.min(entry.len());
    if offset < body {
        return None;
    }
    // Up to the item's marker.
    let mut start = entry[..offset].rfind('\n').map_or(0, |i| i + 1);
    loop {
        let line_end = entry[start..].find('\n').map_or(entry.len(), |i| start + i);
        let line = &entry[start..line_end];
        if content(line) && indent(line) <= col {
            if indent(line) == col
                && (line[col..].starts_with("- ") || line[col..].trim_end() == "-")
            {
                break;
            }
            return None;
        }
        if start <= body {
            return None;
        }
        start = entry[..start - 1].rfind('\n').map_or(0, |i| i + 1);
    }
    // Down to the next line at or left of it.
    let mut end = entry[start..]
        .find('\n')
        .map_or(entry.len(), |i| start + i + 1);
    while end < entry.len() {
        let next = entry[end..].find('\n').map_or(entry.len(), |i| end + i + 1);
        let line = &entry[end..next];
        if content(line) && indent(line) <= col {
            break;
        }
        end = next;
    }
    (offset < end || end == entry.len()).then(|| (start, &entry[start..end]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_runs_from_its_marker_to_the_next_line_at_its_column() {
        let entry = "results:\n  - outcome: a\n    # c\n    arm: b\n  - outcome: c\n";
        let at = entry.find("arm").unwrap();
        let (start, item) = yaml_item_at(entry, at).unwrap();
        assert_eq!(item, "  - outcome: a\n    # c\n    arm: b\n");
        assert_eq!(&entry[start..start + 4], "  - ");
        let last = yaml_item_at(entry, entry.len() - 2).unwrap().1;
        assert_eq!(last, "  - outcome: c\n");
        assert!(yaml_item_at(entry, 3).is_none(), "on the key");
        assert!(
            yaml_item_at("product:\n  name: x\n", 12).is_none(),
            "not a list"
        );
    }

    #[test]
    fn entries_run_from_their_key_to_the_next_top_level_line() {
        let text = "# c\ntrf: 1\narms:\n- id: a\n  # x\n  type: B\nstatus: X\n";
        let at = text.find("type").unwrap();
        let (start, slice) = yaml_entry_at(text, at).unwrap();
        assert_eq!(&text[start..start + 5], "arms:");
        assert_eq!(slice, "arms:\n- id: a\n  # x\n  type: B\n");
        assert!(
            yaml_entry_at(text, 1).is_none(),
            "a comment above every key"
        );
        let (_, last) = yaml_entry_at(text, text.len()).unwrap();
        assert_eq!(last, "status: X\n");
    }

    #[test]
    fn json_entries_and_elements_forgive_what_does_not_parse() {
        let text = "{\"a\": 1, \"b\": [{\"x\": \"]\"}, {\"y\": 2}], \"c\": {\"d\": [";
        let keys: Vec<String> = json_entries(text).into_iter().map(|e| e.key).collect();
        assert_eq!(keys, ["a", "b", "c"]);
        let b = &json_entries(text)[1];
        let items: Vec<&str> = json_elements(text, b.value)
            .into_iter()
            .map(|s| &text[s.start..s.end])
            .collect();
        assert_eq!(items, ["{\"x\": \"]\"}", "{\"y\": 2}"]);
        let doc = Doc::new(text, Syntax::Json);
        let (a, _) = doc.section("a").unwrap();
        assert_eq!(a.text(), Some("1"));
        let at = text.find("\"y").unwrap();
        let (root, base) = doc.around(at).unwrap();
        let hit = crate::ide::tree::locate(&root, at - base).unwrap();
        assert!(hit.is_key);
        assert_eq!(&text[hit.node.span.start..hit.node.span.end], "\"y\"");
    }

    #[test]
    fn sections_are_found_by_their_key() {
        let text = "\u{feff}id: NCT1\nids: x\narms:\n  - id: a\nresults:\n";
        let doc = Doc::new(text, Syntax::Yaml);
        let (id, at) = doc.section("id").unwrap();
        assert_eq!((id.text(), at), (Some("NCT1"), 3));
        assert_eq!(doc.definitions(LocalKind::Arm).len(), 1);
        assert!(doc.section("result").is_none());
        assert!(doc.section("results").is_some());
    }
}
