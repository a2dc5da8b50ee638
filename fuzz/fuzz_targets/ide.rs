//! Every editor feature at an arbitrary offset of arbitrary text, YAML and JSON:
//! never a panic, and every span it returns lies inside the text on char
//! boundaries (the presentation features too, with their own invariants). The first
//! two bytes pick the offset.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trls::ide::{self, Symbol, WorkspaceView};
use trls::schema::Schema;
use trls::syntax::{Span, Syntax};

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let at = u16::from_le_bytes([data[0], data[1]]) as usize;
    let text = String::from_utf8_lossy(&data[2..]);
    let text = text.as_ref();
    let offset = at % (text.len() + 2);
    let schema = Schema::builtin();
    let ws = WorkspaceView::default();
    let inside = |s: Span| {
        assert!(s.start <= s.end && s.end <= text.len(), "{s:?} outside {}", text.len());
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end), "{s:?}");
    };
    for syntax in [Syntax::Yaml, Syntax::Json] {
        for c in ide::completion(text, syntax, offset, &schema, &ws) {
            inside(c.replace);
        }
        if let Some(h) = ide::hover(text, syntax, offset, &schema, &ws) {
            inside(h.span);
        }
        if let Some((symbol, span)) = ide::symbol_at(text, syntax, offset) {
            inside(span);
            for (s, _) in ide::occurrences(text, syntax, &symbol) {
                inside(s);
            }
            let _: &Symbol = &symbol;
        }
        if let Some((span, _)) = ide::prepare_rename(text, syntax, offset) {
            inside(span);
        }
        for s in ide::folding_ranges(text, syntax) {
            inside(s);
        }
        for l in ide::document_links(text, syntax) {
            inside(l.span);
        }
        fn walk(items: &[ide::OutlineItem], inside: &dyn Fn(Span)) {
            for i in items {
                inside(i.span);
                inside(i.selection);
                walk(&i.children, inside);
            }
        }
        walk(&ide::document_symbols(text, syntax), &inside);
        // Presentation (issue 14): hints, tokens (sorted, apart, on one line),
        // lenses, selection ranges (each holding the cursor and the one inside),
        // highlights.
        for h in ide::inlay_hints(text, syntax, &schema, Span::new(0, text.len())) {
            inside(Span::empty(h.offset));
        }
        let mut end = 0;
        for t in ide::semantic_tokens(text, syntax, &schema) {
            inside(t.span);
            assert!(t.span.start >= end && t.span.start < t.span.end, "{t:?}");
            assert!(!text[t.span.start..t.span.end].contains(['\n', '\r']), "{t:?}");
            end = t.span.end;
        }
        for l in ide::code_lenses(text, syntax) {
            inside(l.span);
            for r in l.references {
                inside(r);
            }
        }
        let cursor = trls::syntax::clamp_to_char_boundary(text, offset);
        for chain in ide::selection_ranges(text, syntax, &[offset]) {
            assert!(!chain.is_empty());
            let mut inner: Option<Span> = None;
            for s in chain {
                inside(s);
                assert!(s.contains(cursor), "{s:?} without {cursor}");
                if let Some(i) = inner {
                    assert!(s.start <= i.start && i.end <= s.end && s != i, "{s:?} {i:?}");
                }
                inner = Some(s);
            }
        }
        for h in ide::highlights(text, syntax, offset) {
            inside(h.span);
        }
    }
});
