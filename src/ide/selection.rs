//! Selection ranges ("expand selection"): from the value at the cursor to its
//! entry (`key: value`), the mapping or list item holding it, the list, the
//! section (`arms: …`) and the whole record. Every range holds the one inside it
//! and the cursor.

use super::doc;
use super::tree;
use crate::syntax::{clamp_to_char_boundary, Node, NodeKind, Span, Syntax};

/// A span without the whitespace at its end (block collections and scalars run on
/// to the next line's indentation).
fn trim(text: &str, span: Span) -> Span {
    let inner = text.get(span.start..span.end).unwrap_or("");
    Span::new(span.start, span.start + inner.trim_end().len())
}

/// For each offset, its ranges from the innermost out (never empty: at least the
/// empty range at the offset).
pub fn selection_ranges(text: &str, syntax: Syntax, offsets: &[usize]) -> Vec<Vec<Span>> {
    let text = &*crate::ide::lf_lines(text);
    let root = doc::record(text, syntax);
    offsets
        .iter()
        .map(|&offset| {
            let offset = clamp_to_char_boundary(text, offset);
            let mut outward = Vec::new();
            if let Some(root) = &root {
                descend(text, root, offset, &mut outward);
            }
            outward.reverse();
            chain(offset, outward)
        })
        .collect()
}

/// The spans from the root down to the node at `offset`, outermost first.
fn descend(text: &str, root: &Node, offset: usize, out: &mut Vec<Span>) {
    let mut node = root;
    out.push(trim(text, node.span));
    // Bounded by the tree's depth (the parser caps it).
    loop {
        match &node.kind {
            NodeKind::Scalar(_) => {
                let inner = tree::inner(text, node.span);
                if inner != node.span && inner.contains(offset) {
                    out.push(inner);
                }
                return;
            }
            NodeKind::Map(entries) => {
                let Some(e) = entries.iter().find(|e| {
                    let whole = trim(text, e.key.span.cover(e.value.span));
                    whole.contains(offset)
                }) else {
                    return;
                };
                out.push(trim(text, e.key.span.cover(e.value.span)));
                if e.key.span.contains(offset) && !e.value.span.contains(offset) {
                    out.push(tree::inner(text, e.key.span));
                    return;
                }
                if !trim(text, e.value.span).contains(offset) {
                    return;
                }
                node = &e.value;
                out.push(trim(text, node.span));
            }
            NodeKind::Seq(items) => {
                let Some(item) = items.iter().find(|n| trim(text, n.span).contains(offset)) else {
                    return;
                };
                node = item;
                out.push(trim(text, node.span));
            }
        }
    }
}

/// Innermost first: each range widened to hold the cursor and the range before it,
/// repeats dropped.
fn chain(offset: usize, inward_first: Vec<Span>) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    let mut held = Span::empty(offset);
    for s in inward_first {
        let s = s.cover(held);
        if out.last() != Some(&s) {
            out.push(s);
        }
        held = s;
    }
    if out.is_empty() {
        out.push(held);
    }
    out
}
