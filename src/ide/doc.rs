//! The document as completion and hover read it: for YAML, only the top-level
//! entries they need are parsed (a top-level entry is a `key:` line at column 0 and
//! the indented lines below it), so that a keystroke or a hover in a long record
//! does not parse all of it. JSON is parsed whole, once.

use std::borrow::Cow;
use std::cell::OnceCell;

use super::context;
use crate::model::Kind;
use crate::syntax::{self, Entry, Node, NodeKind, Parsed, ScalarKind, Span, Syntax};

pub struct Doc<'t> {
    text: &'t str,
    syntax: Syntax,
    whole: OnceCell<Parsed>,
}

impl<'t> Doc<'t> {
    pub fn new(text: &'t str, syntax: Syntax) -> Doc<'t> {
        Doc {
            text,
            syntax,
            whole: OnceCell::new(),
        }
    }

    fn whole(&self) -> Option<&Node> {
        self.whole
            .get_or_init(|| syntax::parse(self.text, self.syntax))
            .root
            .as_ref()
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
            Syntax::Json => Some((Cow::Borrowed(self.whole()?.get(key)?), 0)),
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
            Syntax::Json => Some((Cow::Borrowed(self.whole()?), 0)),
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
            key: Node::scalar(key, ScalarKind::Str, false, Span::empty(usize::MAX)),
            value: root,
        };
        let map = Node {
            kind: NodeKind::Map(vec![entry]),
            span: Span::new(0, item.len()),
        };
        Some((Cow::Owned(map), start + item_start))
    }

    /// The entries of `kind` with an id, in order.
    pub fn definitions(&self, kind: Kind) -> Vec<(String, Node)> {
        let Some((list, _)) = self.section(kind.list()) else {
            return Vec::new();
        };
        list.as_seq()
            .unwrap_or(&[])
            .iter()
            .filter_map(|item| {
                let id = item.get("id")?.text()?.to_string();
                (!id.is_empty()).then(|| (id, item.clone()))
            })
            .collect()
    }

    pub fn definition(&self, kind: Kind, id: &str) -> Option<Node> {
        let (list, _) = self.section(kind.list())?;
        list.as_seq()?
            .iter()
            .find(|item| item.get("id").and_then(Node::text) == Some(id))
            .cloned()
    }

    /// How many references name this local id.
    pub fn references(&self, kind: Kind, id: &str) -> usize {
        let names = |n: &Node| n.text() == Some(id);
        match kind {
            Kind::Intervention => self.section("arms").map_or(0, |(arms, _)| {
                arms.as_seq()
                    .unwrap_or(&[])
                    .iter()
                    .filter_map(|a| a.get("interventions")?.as_seq())
                    .flatten()
                    .filter(|n| names(n))
                    .count()
            }),
            _ => {
                let key = match kind {
                    Kind::Outcome => "outcome",
                    Kind::Arm => "arm",
                    _ => "source",
                };
                self.section("results").map_or(0, |(results, _)| {
                    results
                        .as_seq()
                        .unwrap_or(&[])
                        .iter()
                        .filter_map(|r| r.get(key))
                        .filter(|n| names(n))
                        .count()
                })
            }
        }
    }
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
    fn sections_are_found_by_their_key() {
        let text = "\u{feff}id: NCT1\nids: x\narms:\n  - id: a\nresults:\n";
        let doc = Doc::new(text, Syntax::Yaml);
        let (id, at) = doc.section("id").unwrap();
        assert_eq!((id.text(), at), (Some("NCT1"), 3));
        assert_eq!(doc.definitions(Kind::Arm).len(), 1);
        assert!(doc.section("result").is_none());
        assert!(doc.section("results").is_some());
    }
}
