//! Writing a new YAML document from a tree of values: what `trls import` drafts.
//! Part of the edit layer, the only code that writes YAML text. The layout is the
//! canonical one of interfaces.md (*Formatting*): two-space indentation, block
//! style for the top level and for lists of mappings, short lists of scalars in
//! flow style, one blank line before each top-level section that holds a list.

use super::{double_quoted, plain_ok};

/// A value to write.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A string, written plain where it reads back as the same string, else
    /// double-quoted; a string with line breaks is a literal block.
    Str(String),
    /// Text written exactly as given, plain: a number, a date, `true`.
    Lit(String),
    Map(Vec<Entry>),
    List(Vec<Value>),
}

/// A mapping entry: its key, its value, a comment at the end of its line and
/// comment lines before it.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: String,
    pub value: Value,
    pub comment: Option<String>,
    pub before: Vec<String>,
}

impl Entry {
    pub fn new(key: &str, value: Value) -> Entry {
        Entry {
            key: key.to_string(),
            value,
            comment: None,
            before: Vec::new(),
        }
    }
    pub fn with_comment(mut self, comment: impl Into<String>) -> Entry {
        self.comment = Some(comment.into());
        self
    }
    pub fn with_before(mut self, line: impl Into<String>) -> Entry {
        self.before.push(line.into());
        self
    }
}

/// Longest flow list of scalars (beyond it, a block list).
const FLOW_WIDTH: usize = 72;

/// The document: `header` comment lines, then the top-level mapping.
pub fn yaml_document(header: &[String], entries: &[Entry]) -> String {
    let mut out = String::new();
    for line in header {
        push_comment(&mut out, "", line);
    }
    for (i, entry) in entries.iter().enumerate() {
        let holds_list = matches!(&entry.value, Value::List(items) if flow(items).is_none());
        if i > 0 && holds_list {
            out.push('\n');
        }
        write_entry(&mut out, entry, 0);
        if holds_list && i + 1 < entries.len() {
            out.push('\n');
        }
    }
    // One blank line at most between sections.
    while out.contains("\n\n\n") {
        out = out.replace("\n\n\n", "\n\n");
    }
    out
}

fn push_comment(out: &mut String, indent: &str, text: &str) {
    for line in text.lines() {
        out.push_str(indent);
        out.push('#');
        if !line.is_empty() {
            out.push(' ');
            out.push_str(line);
        }
        out.push('\n');
    }
    if text.is_empty() {
        out.push_str(indent);
        out.push_str("#\n");
    }
}

fn trailing(comment: &Option<String>) -> String {
    match comment {
        // One line only: a comment's line breaks would end it.
        Some(c) => format!("  # {}", c.replace(['\n', '\r'], " ")),
        None => String::new(),
    }
}

fn key_text(key: &str) -> String {
    if plain_ok(key, false) {
        key.to_string()
    } else {
        double_quoted(key)
    }
}

/// A scalar written on one line (in a flow collection when `in_flow`), or `None`
/// for a value that is not a one-line scalar.
fn inline(value: &Value, in_flow: bool) -> Option<String> {
    match value {
        Value::Lit(t) => Some(t.clone()),
        Value::Str(s) if s.contains('\n') && !in_flow => None,
        Value::Str(s) => Some(if plain_ok(s, in_flow) {
            s.clone()
        } else {
            double_quoted(s)
        }),
        Value::Map(_) | Value::List(_) => None,
    }
}

/// A list of scalars in flow style, when it is short enough.
fn flow(items: &[Value]) -> Option<String> {
    let parts: Option<Vec<String>> = items.iter().map(|v| inline(v, true)).collect();
    let text = format!("[{}]", parts?.join(", "));
    (text.chars().count() <= FLOW_WIDTH).then_some(text)
}

fn write_entry(out: &mut String, entry: &Entry, depth: usize) {
    let indent = "  ".repeat(depth);
    for line in &entry.before {
        push_comment(out, &indent, line);
    }
    let key = key_text(&entry.key);
    match &entry.value {
        Value::Map(entries) if entries.is_empty() => {
            out.push_str(&format!(
                "{indent}{key}: {{}}{}\n",
                trailing(&entry.comment)
            ));
        }
        Value::Map(entries) => {
            out.push_str(&format!("{indent}{key}:{}\n", trailing(&entry.comment)));
            for e in entries {
                write_entry(out, e, depth + 1);
            }
        }
        Value::List(items) => match flow(items) {
            Some(text) => {
                out.push_str(&format!(
                    "{indent}{key}: {text}{}\n",
                    trailing(&entry.comment)
                ));
            }
            None => {
                out.push_str(&format!("{indent}{key}:{}\n", trailing(&entry.comment)));
                for item in items {
                    write_item(out, item, depth + 1);
                }
            }
        },
        Value::Str(s) if s.contains('\n') => {
            out.push_str(&format!(
                "{indent}{key}: {}{}\n",
                block_header(s),
                trailing(&entry.comment)
            ));
            write_block(out, s, depth + 1);
        }
        scalar => {
            let text = inline(scalar, false).unwrap_or_default();
            out.push_str(&format!(
                "{indent}{key}: {text}{}\n",
                trailing(&entry.comment)
            ));
        }
    }
}

fn write_item(out: &mut String, item: &Value, depth: usize) {
    let indent = "  ".repeat(depth);
    match item {
        Value::Map(entries) if !entries.is_empty() => {
            // The first entry on the dash's line, the rest below it.
            let mut first = String::new();
            write_entry(&mut first, &entries[0], depth + 1);
            let first = first.trim_start_matches(' ');
            // Comment lines before the first entry go above the dash.
            out.push_str(&format!("{indent}- {first}"));
            for e in &entries[1..] {
                write_entry(out, e, depth + 1);
            }
        }
        Value::Map(_) => out.push_str(&format!("{indent}- {{}}\n")),
        Value::List(items) => match flow(items) {
            Some(text) => out.push_str(&format!("{indent}- {text}\n")),
            None => {
                out.push_str(&format!("{indent}-\n"));
                for i in items {
                    write_item(out, i, depth + 1);
                }
            }
        },
        Value::Str(s) if s.contains('\n') => {
            out.push_str(&format!("{indent}- {}\n", block_header(s)));
            write_block(out, s, depth + 1);
        }
        scalar => {
            let text = inline(scalar, false).unwrap_or_default();
            out.push_str(&format!("{indent}- {text}\n"));
        }
    }
}

/// The header of a literal block holding `s`: `|` keeps one final line break,
/// `|-` none, `|+` all; an indentation indicator when the first line starts with
/// a space.
fn block_header(s: &str) -> String {
    let indicator = if s.starts_with(' ') { "2" } else { "" };
    let trimmed = s.trim_end_matches('\n');
    let chomp = match s.len() - trimmed.len() {
        0 => "-",
        1 => "",
        _ => "+",
    };
    format!("|{indicator}{chomp}")
}

fn write_block(out: &mut String, s: &str, depth: usize) {
    let indent = "  ".repeat(depth);
    let body = s.trim_end_matches('\n');
    for line in body.split('\n') {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            out.push('\n');
        } else {
            out.push_str(&indent);
            out.push_str(line);
            out.push('\n');
        }
    }
    // `|+` keeps the extra final line breaks.
    for _ in 1..(s.len() - body.len()) {
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{parse, Syntax};

    fn s(v: &str) -> Value {
        Value::Str(v.to_string())
    }

    #[test]
    fn documents_read_back_as_written() {
        let doc = vec![
            Entry::new("trf", Value::Lit("1".into())),
            Entry::new("title", s("A: tricky # title")),
            Entry::new("phases", Value::List(vec![s("PHASE1"), s("PHASE2")])),
            Entry::new(
                "dates",
                Value::Map(vec![
                    Entry::new("start", Value::Lit("2013-07".into())).with_comment("ACTUAL"),
                    Entry::new("updated", Value::Lit("2017-08-14".into())),
                ]),
            ),
            Entry::new(
                "arms",
                Value::List(vec![Value::Map(vec![
                    Entry::new("id", s("hmsc")),
                    Entry::new("label", s("one, two")),
                    Entry::new("interventions", Value::List(vec![s("hmsc")])),
                ])]),
            )
            .with_before("check: the arms' doses are in their descriptions"),
            Entry::new("notes", s("first line\n  second, indented\n\nlast")),
            Entry::new("criteria", s(" leading space\nnext\n")),
        ];
        let text = yaml_document(&["NCT01775774.trial.yaml".into()], &doc);
        let parsed = parse(&text, Syntax::Yaml);
        assert!(parsed.errors.is_empty(), "{text}\n{:?}", parsed.errors);
        let root = parsed.root.unwrap();
        assert_eq!(
            root.get("title").and_then(|n| n.text()),
            Some("A: tricky # title")
        );
        let arm = &root.get("arms").unwrap().as_seq().unwrap()[0];
        assert_eq!(arm.get("label").and_then(|n| n.text()), Some("one, two"));
        assert_eq!(
            root.get("notes").and_then(|n| n.text()),
            Some("first line\n  second, indented\n\nlast")
        );
        assert_eq!(
            root.get("criteria").and_then(|n| n.text()),
            Some(" leading space\nnext\n")
        );
        assert!(text.contains("start: 2013-07  # ACTUAL\n"), "{text}");
        assert!(text.contains("\n\n# check: the arms'"), "{text}");
        assert!(text.contains("# check: the arms'"), "{text}");
        assert!(text.starts_with("# NCT01775774.trial.yaml\n"), "{text}");
    }
}
