//! YAML (one document, YAML 1.2 core schema) into the spanned tree.
//!
//! granit-parser stops at the first syntax error inside a document. To keep
//! checking the rest of the file (as an editor user expects), the line holding the
//! error is blanked with spaces (byte offsets stay valid) and the text parsed again,
//! a bounded number of times. Every error found is a `TRF001`; blanked lines are
//! marked damaged so that their mapping is not also reported as missing keys.
//!
//! Each node keeps its scalar or collection style; a node reached through an alias
//! is a copy of the anchored node carrying the alias's span and an [`Alias`] naming
//! the anchor, so that edits go to the anchored text.

use std::borrow::Cow;
use std::collections::HashMap;

use granit_parser::{Event, Marker, Parser, ScalarStyle, StructureStyle, Tag};

use super::{
    resolve_plain, Alias, CollectionStyle, Comment, Entry, Node, NodeKind, Parsed, ScalarKind,
    Span, Syntax, SyntaxError, SyntaxErrorKind, MAX_ALIAS_NODES, MAX_DEPTH,
};

/// How many syntax errors one file may report before the rest is left unread.
const MAX_RECOVERIES: usize = 8;

pub(super) fn parse(text: &str) -> Parsed {
    let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut work: Cow<str> = Cow::Borrowed(&text[base..]);
    let mut errors = Vec::new();
    let mut damaged = Vec::new();
    let mut blanked_lines: Vec<usize> = Vec::new();
    loop {
        let mut out = Builder::new(&work, base).run();
        let Some((offset, message)) = out.error.take() else {
            return out.finish(errors, damaged);
        };
        let mut at = offset.min(work.len());
        // The scanner meets a tab of indentation while reading what comes before
        // it, and says so there: name the tab, on its own line.
        let tab = message
            .contains("tab")
            .then(|| tab_indent_from(&work, work[..at].rfind('\n').map_or(0, |i| i + 1)))
            .flatten();
        if let Some(tab) = &tab {
            at = tab.start;
            errors.push(SyntaxError::new(
                SyntaxErrorKind::Invalid,
                Span::new(tab.start + base, tab.end + base),
                "invalid YAML: a tab indents this line; YAML indents with spaces only, so replace the tab with spaces",
            ));
        } else {
            errors.push(SyntaxError::new(
                SyntaxErrorKind::Invalid,
                Span::empty(at + base),
                format!("invalid YAML: {message}"),
            ));
        }
        let line_start = work[..at].rfind('\n').map_or(0, |i| i + 1);
        let line_end = work[at..].find('\n').map_or(work.len(), |i| at + i);
        let stuck = blanked_lines.contains(&line_start) || line_start == line_end;
        if stuck || errors.len() >= MAX_RECOVERIES {
            damaged.push(Span::new(at + base, text.len()));
            return out.finish(errors, damaged);
        }
        blanked_lines.push(line_start);
        // A tab-indented line belongs to the mapping above it, whose span ends
        // before the line: the damage reaches back to that mapping's last text, so
        // its keys on the line are not reported missing.
        let from = if tab.is_some() {
            work[..line_start].trim_end().len()
        } else {
            line_start
        };
        damaged.push(Span::new(from + base, line_end + base));
        let mut bytes = work.into_owned().into_bytes();
        for b in &mut bytes[line_start..line_end] {
            if *b != b'\r' {
                *b = b' ';
            }
        }
        // Only whole lines were overwritten with ASCII, so this cannot fail.
        work = Cow::Owned(String::from_utf8(bytes).unwrap_or_default());
    }
}

/// The tabs in the indentation of the first line at or after `from` (a line
/// start) whose indentation holds one and that has content (not only a comment).
fn tab_indent_from(text: &str, from: usize) -> Option<std::ops::Range<usize>> {
    let mut start = from;
    for line in text[from..].split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        let rest = line[indent..].trim_end();
        if line[..indent].contains('\t') && !rest.is_empty() && !rest.starts_with('#') {
            let first = line[..indent].find('\t').unwrap_or(0);
            let last = line[..indent].rfind('\t').unwrap_or(first);
            return Some(start + first..start + last + 1);
        }
        start += line.len();
    }
    None
}

enum FrameKind {
    Map {
        entries: Vec<Entry>,
        key: Option<Node>,
    },
    Seq(Vec<Node>),
}

struct Frame {
    kind: FrameKind,
    start: usize,
    anchor: usize,
    /// Opened with `[` or `{`.
    flow: bool,
}

/// What an anchor id stands for: the anchored node, its size, and its `&name`.
struct Anchored {
    node: Node,
    count: usize,
    name: Option<(String, Span)>,
}

struct Builder<'t> {
    text: &'t str,
    base: usize,
    stack: Vec<Frame>,
    root: Option<Node>,
    anchors: HashMap<usize, Anchored>,
    /// Names of anchors whose node is still open (collections), by id.
    names: HashMap<usize, (String, Span)>,
    alias_nodes: usize,
    diagnostics: Vec<SyntaxError>,
    comments: Vec<Comment>,
    documents: usize,
    error: Option<(usize, String)>,
}

struct Built {
    root: Option<Node>,
    diagnostics: Vec<SyntaxError>,
    comments: Vec<Comment>,
    error: Option<(usize, String)>,
}

impl Built {
    fn finish(self, mut errors: Vec<SyntaxError>, damaged: Vec<Span>) -> Parsed {
        errors.extend(self.diagnostics);
        Parsed {
            root: self.root,
            syntax: Syntax::Yaml,
            comments: self.comments,
            errors,
            damaged,
        }
    }
}

impl<'t> Builder<'t> {
    fn new(text: &'t str, base: usize) -> Self {
        Builder {
            text,
            base,
            stack: Vec::new(),
            root: None,
            anchors: HashMap::new(),
            names: HashMap::new(),
            alias_nodes: 0,
            diagnostics: Vec::new(),
            comments: Vec::new(),
            documents: 0,
            error: None,
        }
    }

    fn offset(&self, m: &Marker) -> usize {
        match m.byte_offset() {
            Some(b) => b,
            None => self
                .text
                .char_indices()
                .nth(m.index())
                .map_or(self.text.len(), |(b, _)| b),
        }
    }

    fn span(&self, s: &granit_parser::Span) -> Span {
        Span::new(
            self.offset(&s.start) + self.base,
            self.offset(&s.end) + self.base,
        )
    }

    fn run(mut self) -> Built {
        let mut options = granit_parser::Options::default();
        options.flow_nesting_limit = MAX_DEPTH;
        options.block_nesting_limit = MAX_DEPTH;
        options.emit_anchor_events = true;
        let mut parser = Parser::new_from_str_with_options(self.text, options);
        while let Some(next) = parser.next_event() {
            match next {
                Ok((event, span)) => {
                    if !self.event(event, &span) {
                        break;
                    }
                }
                Err(e) => {
                    let at = self.offset(e.marker());
                    // Inside a flow collection opened on an earlier line, the real
                    // mistake is usually that bracket: it swallowed what followed.
                    let line_start = self.text[..at.min(self.text.len())]
                        .rfind('\n')
                        .map_or(0, |i| i + 1);
                    let open = self
                        .stack
                        .iter()
                        .rev()
                        .find(|f| f.flow && f.start - self.base < line_start);
                    let message = describe(&e);
                    self.error = Some(match open {
                        Some(f) => {
                            let b = self.text.as_bytes()[f.start - self.base] as char;
                            (f.start - self.base, format!("this `{b}` is never closed"))
                        }
                        None if message.contains("quoted scalar") => {
                            match unclosed_quote(self.text, at) {
                                Some((q, c)) => (q, format!("this `{c}` is never closed")),
                                None => (at, message),
                            }
                        }
                        None => (at, message),
                    });
                    break;
                }
            }
        }
        // Collections left open by an error reach up to it: they are incomplete.
        let cut = self
            .error
            .as_ref()
            .map(|(at, _)| Span::empty(*at + self.base));
        while let Some(frame) = self.stack.pop() {
            let (mut node, _) = self.close(frame, cut);
            if let Some(c) = cut {
                node.span.end = node.span.end.max(c.end);
            }
            self.place((node, 0));
        }
        Built {
            root: self.root,
            diagnostics: self.diagnostics,
            comments: self.comments,
            error: self.error,
        }
    }

    /// Handle one event; `false` stops reading.
    fn event(&mut self, event: Event, gspan: &granit_parser::Span) -> bool {
        let span = self.span(gspan);
        match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
            Event::DocumentStart(..) => {
                self.documents += 1;
                if self.documents > 1 {
                    self.diagnostics.push(SyntaxError::new(
                        SyntaxErrorKind::Unsupported,
                        Span::new(span.start, span.start + 3.min(self.text.len() + self.base - span.start)),
                        "a second YAML document starts here; a record file holds exactly one document",
                    ));
                    return false;
                }
            }
            Event::Comment(text, _) => self.comments.push(Comment {
                span,
                text: text.into_owned(),
            }),
            Event::Anchor(id, name) => {
                let named = (name.into_owned(), span);
                match self.anchors.get_mut(&id) {
                    Some(a) => a.name = Some(named),
                    None => {
                        self.names.insert(id, named);
                    }
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                let style = match style {
                    ScalarStyle::Plain => super::ScalarStyle::Plain,
                    ScalarStyle::SingleQuoted => super::ScalarStyle::SingleQuoted,
                    ScalarStyle::DoubleQuoted => super::ScalarStyle::DoubleQuoted,
                    ScalarStyle::Literal => super::ScalarStyle::Literal,
                    _ => super::ScalarStyle::Folded,
                };
                let kind = match style {
                    super::ScalarStyle::Plain => resolve_plain(&value),
                    _ => ScalarKind::Str,
                };
                let kind = match tag.as_deref() {
                    Some(t) => self.tagged(t, gspan, kind, &value),
                    None => kind,
                };
                // An empty value (`status:`) has no text, whatever the parser calls it.
                let text = if span.start == span.end && style == super::ScalarStyle::Plain {
                    String::new()
                } else {
                    value.into_owned()
                };
                let node = Node::scalar(text, kind, style, span);
                self.complete(node, anchor);
            }
            Event::SequenceStart(style, anchor, tag) => {
                if let Some(t) = tag.as_deref() {
                    self.tagged(t, gspan, ScalarKind::Null, "");
                }
                self.open(FrameKind::Seq(Vec::new()), span.start, anchor, style);
            }
            Event::MappingStart(style, anchor, tag) => {
                if let Some(t) = tag.as_deref() {
                    self.tagged(t, gspan, ScalarKind::Null, "");
                }
                let kind = FrameKind::Map {
                    entries: Vec::new(),
                    key: None,
                };
                self.open(kind, span.start, anchor, style);
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(frame) = self.stack.pop() {
                    let closed = self.close(frame, Some(span));
                    self.complete_closed(closed);
                }
            }
            Event::Alias(id) => {
                let node = match self.anchors.get(&id) {
                    Some(a) if self.alias_nodes + a.count <= MAX_ALIAS_NODES => {
                        self.alias_nodes += a.count;
                        let mut node = a.node.clone();
                        let (name, anchor) = a.name.clone().unwrap_or_default();
                        let target = node.source_span();
                        node.span = span;
                        node.alias = Some(Box::new(Alias {
                            name,
                            anchor,
                            target,
                        }));
                        node
                    }
                    _ => {
                        // Reported once, on the first alias over the limit.
                        if self.alias_nodes <= MAX_ALIAS_NODES {
                            self.alias_nodes = MAX_ALIAS_NODES + 1;
                            self.diagnostics.push(SyntaxError::new(
                                SyntaxErrorKind::Unsupported,
                                span,
                                format!(
                                    "this alias would expand the document beyond {MAX_ALIAS_NODES} nodes; it and any later alias are not expanded"
                                ),
                            ));
                        }
                        Node::null(span)
                    }
                };
                self.complete(node, 0);
            }
            _ => {}
        }
        true
    }
}

impl Builder<'_> {
    fn open(&mut self, kind: FrameKind, start: usize, anchor: usize, style: StructureStyle) {
        let flow = style == StructureStyle::Flow;
        self.stack.push(Frame {
            kind,
            start,
            anchor,
            flow,
        });
    }

    /// Core-schema tags (`!!str`, `!!int`, ...) are honoured; any other tag is `TRF003`.
    fn tagged(
        &mut self,
        tag: &Tag,
        gspan: &granit_parser::Span,
        kind: ScalarKind,
        value: &str,
    ) -> ScalarKind {
        match tag.core_suffix() {
            Some("str") => ScalarKind::Str,
            Some("int" | "float" | "bool" | "null") => match resolve_plain(value) {
                ScalarKind::Str => kind,
                k => k,
            },
            Some(_) => kind,
            None => {
                let span = gspan
                    .tag_span()
                    .map_or_else(|| self.span(gspan), |t| self.span(&t));
                self.diagnostics.push(SyntaxError::new(
                    SyntaxErrorKind::Unsupported,
                    span,
                    format!(
                        "custom tag `{}` is not supported in a trial record; remove it",
                        tag.original()
                    ),
                ));
                kind
            }
        }
    }

    /// Turn a finished (or, after an error, abandoned) frame into a node.
    fn close(&mut self, frame: Frame, end: Option<Span>) -> (Node, usize) {
        let (kind, last_end) = match frame.kind {
            FrameKind::Seq(items) => {
                let last = items.last().map(|n| n.span.end);
                (NodeKind::Seq(items), last)
            }
            // A key whose value never arrived (syntax error) is dropped.
            FrameKind::Map { entries, .. } => {
                let last = entries.last().map(|e| e.value.span.end.max(e.key.span.end));
                (NodeKind::Map(entries), last)
            }
        };
        // Block collections end with their last child; flow ones at their bracket.
        let end = match (last_end, end) {
            (Some(l), Some(e))
                if e.end > l
                    && self
                        .text
                        .as_bytes()
                        .get(e.end.saturating_sub(self.base + 1))
                        .is_some_and(|b| *b == b']' || *b == b'}') =>
            {
                e.end
            }
            (Some(l), _) => l,
            (None, Some(e)) => e.end,
            (None, None) => frame.start,
        };
        let style = if frame.flow {
            CollectionStyle::Flow
        } else {
            CollectionStyle::Block
        };
        (
            Node::new(kind, Span::new(frame.start, end)).with_style(style),
            frame.anchor,
        )
    }

    fn complete_closed(&mut self, (node, anchor): (Node, usize)) {
        self.complete(node, anchor);
    }

    fn complete(&mut self, mut node: Node, anchor: usize) {
        // A scalar remembers whether it sits in a flow collection; an alias's copy
        // keeps its anchor's, where edits of it go.
        if node.as_scalar().is_some() && node.alias.is_none() {
            if let Some(f) = self.stack.last() {
                if f.flow {
                    node.style = CollectionStyle::Flow;
                }
            }
        }
        if anchor != 0 {
            let count = node.count();
            let name = self.names.remove(&anchor);
            self.anchors.insert(
                anchor,
                Anchored {
                    node: node.clone(),
                    count,
                    name,
                },
            );
        }
        self.place((node, 0));
    }

    fn place(&mut self, (node, _): (Node, usize)) {
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame {
                kind: FrameKind::Seq(items),
                ..
            }) => items.push(node),
            Some(Frame {
                kind: FrameKind::Map { entries, key },
                ..
            }) => match key.take() {
                None => {
                    if node.as_scalar().is_none() {
                        self.diagnostics.push(SyntaxError::new(
                            SyntaxErrorKind::Unsupported,
                            node.span,
                            "a mapping key must be plain text, not a list or mapping",
                        ));
                    }
                    *key = Some(node);
                }
                Some(k) => entries.push(Entry {
                    key: k,
                    value: node,
                }),
            },
        }
    }
}

/// The opening quote of a quoted scalar that runs on to `at`: the last quote
/// character, on this line or up to 50 lines before, that no later one closes.
fn unclosed_quote(text: &str, at: usize) -> Option<(usize, char)> {
    let at = super::clamp_to_char_boundary(text, at);
    let from = text[..at]
        .rmatch_indices('\n')
        .nth(50)
        .map_or(0, |(i, _)| i + 1);
    let mut open: Option<(usize, char)> = None;
    let mut escaped = false;
    for (i, c) in text[from..at].char_indices() {
        match (open, c) {
            (Some((_, '"')), '\\') if !escaped => {
                escaped = true;
                continue;
            }
            (Some((_, q)), c) if c == q && !escaped => open = None,
            (None, '"' | '\'') => {
                // Only a quote that starts a scalar opens one (`key: "..`, `- '..`, `[".."`).
                let before = text[from..from + i].trim_end_matches(' ');
                if before.is_empty() || before.ends_with([':', '-', '[', '{', ',', '\n']) {
                    open = Some((from + i, c));
                }
            }
            _ => {}
        }
        escaped = false;
    }
    open
}

fn describe(e: &granit_parser::ScanError) -> String {
    let s = e.to_string();
    // The error's own text ends with a position we report separately.
    let s = s.split(" at char ").next().unwrap_or(&s);
    let s = s.split(" at byte ").next().unwrap_or(s);
    let s = s.split(" at line ").next().unwrap_or(s);
    s.trim().to_string()
}
