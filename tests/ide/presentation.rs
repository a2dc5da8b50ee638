//! The presentation features (issue 14): inlay hints, semantic tokens, code lens,
//! selection ranges and highlights. Each `tests/ide/presentation/<case>` document
//! (cursor marker `‸` for selection ranges and highlights) sits beside its answers:
//! `.inlay`, `.semantic`, `.lens`, `.selection` and `.highlight`. The same answers
//! must come for the document with CRLF line ends; every function must be total at
//! every offset of the fixtures and of the nasty documents, with its invariants
//! (tokens sorted, apart and on one line; each selection range holding the cursor
//! and the range inside it).

use std::fmt::Write as _;

use trls::ide::{self, HintKind, TokenKind};
use trls::schema::Schema;
use trls::syntax::{LineIndex, Span, Syntax};

use super::{compare, crlf, docs, finish, load, range, same_with_crlf, slice, syntax_of, with_ext};

fn short(text: &str, span: Span) -> String {
    // Without CRs, so that a CRLF copy cuts at the same character.
    let s = slice(text, span).replace("\\r", "");
    if s.chars().count() > 50 {
        format!("{}…", s.chars().take(49).collect::<String>())
    } else {
        s
    }
}

fn render_inlay(text: &str, syntax: Syntax, schema: &Schema) -> String {
    let lines = LineIndex::new(text);
    let mut out = String::new();
    for h in ide::inlay_hints(text, syntax, schema, Span::new(0, text.len())) {
        let (l, c) = lines.line_col(text, h.offset);
        let kind = match h.kind {
            HintKind::Conversion => "conversion",
            HintKind::Label => "label",
        };
        writeln!(
            out,
            "{}:{} {kind} «{}» ({})",
            l + 1,
            c + 1,
            h.label,
            h.tooltip
        )
        .unwrap();
    }
    out
}

fn render_semantic(text: &str, syntax: Syntax, schema: &Schema) -> String {
    let lines = LineIndex::new(text);
    let mut out = String::new();
    for t in ide::semantic_tokens(text, syntax, schema) {
        writeln!(
            out,
            "{} {:?} «{}»",
            range(text, &lines, t.span),
            t.kind,
            slice(text, t.span)
        )
        .unwrap();
    }
    out
}

fn render_lens(text: &str, syntax: Syntax) -> String {
    let lines = LineIndex::new(text);
    let mut out = String::new();
    for l in ide::code_lenses(text, syntax) {
        let refs: Vec<String> = l
            .references
            .iter()
            .map(|s| range(text, &lines, *s))
            .collect();
        writeln!(
            out,
            "{} {} «{}»: {} [{}]",
            range(text, &lines, l.span),
            l.kind.noun(),
            l.id,
            l.title(),
            refs.join(", ")
        )
        .unwrap();
    }
    out
}

fn render_selection(text: &str, syntax: Syntax, at: usize) -> String {
    let lines = LineIndex::new(text);
    let mut out = String::new();
    for chain in ide::selection_ranges(text, syntax, &[at]) {
        for s in chain {
            writeln!(out, "{} «{}»", range(text, &lines, s), short(text, s)).unwrap();
        }
    }
    out
}

fn render_highlight(text: &str, syntax: Syntax, at: usize) -> String {
    let lines = LineIndex::new(text);
    let mut out = String::new();
    for h in ide::highlights(text, syntax, at) {
        writeln!(
            out,
            "{} «{}» {}",
            range(text, &lines, h.span),
            slice(text, h.span),
            if h.definition { "write" } else { "read" }
        )
        .unwrap();
    }
    if out.is_empty() {
        out.push_str("(none)\n");
    }
    out
}

/// Every answer of one document at `at`, by expectation extension.
fn answers(text: &str, syntax: Syntax, at: usize, schema: &Schema) -> Vec<(&'static str, String)> {
    vec![
        ("inlay", render_inlay(text, syntax, schema)),
        ("semantic", render_semantic(text, syntax, schema)),
        ("lens", render_lens(text, syntax)),
        ("selection", render_selection(text, syntax, at)),
        ("highlight", render_highlight(text, syntax, at)),
    ]
}

#[test]
fn presentation_fixtures() {
    let schema = Schema::builtin();
    let mut failures = Vec::new();
    for doc in docs("presentation") {
        let (text, at) = load(&doc);
        let at = at.unwrap_or_else(|| panic!("{}: no cursor marker", doc.display()));
        let syntax = syntax_of(&doc);
        let lf = answers(&text, syntax, at, &schema);
        let (text2, at2) = crlf(&text, at);
        let crlf = answers(&text2, syntax, at2, &schema);
        for ((ext, out), (_, out2)) in lf.iter().zip(&crlf) {
            same_with_crlf(&doc, out, out2, &mut failures);
            compare(&with_ext(&doc, ext), out, &mut failures);
        }
    }
    finish(failures);
}

/// The invariants every answer keeps, for any text and offset.
/// Selection ranges at every offset at once (one parse), highlights at each.
fn check_offsets(text: &str, syntax: Syntax) {
    let offsets: Vec<usize> = (0..=text.len() + 2).collect();
    let chains = ide::selection_ranges(text, syntax, &offsets);
    assert_eq!(chains.len(), offsets.len());
    for (offset, chain) in offsets.into_iter().zip(chains) {
        check_at(text, syntax, offset, chain);
    }
}

fn check_at(text: &str, syntax: Syntax, offset: usize, chain: Vec<Span>) {
    let ok = |s: Span, what: &str| {
        assert!(
            s.start <= s.end && s.end <= text.len(),
            "{what} {s:?} outside the text ({}) at {offset}",
            text.len()
        );
        assert!(
            text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
            "{what} {s:?} not on char boundaries at {offset}"
        );
    };
    {
        assert!(!chain.is_empty());
        let cursor = trls::syntax::clamp_to_char_boundary(text, offset);
        let mut inner: Option<Span> = None;
        for s in chain {
            ok(s, "selection");
            assert!(
                s.contains(cursor),
                "selection {s:?} without the cursor {cursor}"
            );
            if let Some(i) = inner {
                assert!(
                    s.start <= i.start && i.end <= s.end && s != i,
                    "{s:?} ⊉ {i:?}"
                );
            }
            inner = Some(s);
        }
    }
    for h in ide::highlights(text, syntax, offset) {
        ok(h.span, "highlight");
    }
}

/// The whole-document answers: spans inside, tokens sorted, apart and on one line.
fn check_document(text: &str, syntax: Syntax, schema: &Schema) {
    let len = text.len();
    for h in ide::inlay_hints(text, syntax, schema, Span::new(0, len)) {
        assert!(h.offset <= len && text.is_char_boundary(h.offset), "{h:?}");
    }
    let mut end = 0;
    for t in ide::semantic_tokens(text, syntax, schema) {
        assert!(t.span.start >= end && t.span.start < t.span.end && t.span.end <= len);
        assert!(text.is_char_boundary(t.span.start) && text.is_char_boundary(t.span.end));
        assert!(
            !text[t.span.start..t.span.end].contains(['\n', '\r']),
            "{t:?}"
        );
        end = t.span.end;
    }
    for l in ide::code_lenses(text, syntax) {
        for s in std::iter::once(l.span).chain(l.references) {
            assert!(s.end <= len && text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        }
    }
}

#[test]
fn presentation_is_total_at_every_offset() {
    let schema = Schema::builtin();
    let mut texts: Vec<(String, Syntax)> = Vec::new();
    for doc in docs("presentation").into_iter().chain(docs("outline")) {
        let (text, _) = load(&doc);
        let syntax = syntax_of(&doc);
        texts.push((text.replace('\n', "\r\n"), syntax));
        texts.push((text.replace('\n', "\r"), syntax));
        texts.push((text, syntax));
    }
    for nasty in super::NASTY {
        texts.push((nasty.to_string(), Syntax::Json));
        texts.push((nasty.to_string(), Syntax::Yaml));
    }
    for (text, syntax) in &texts {
        check_document(text, *syntax, &schema);
        check_offsets(text, *syntax);
    }
    // Every prefix (a record being typed from the top).
    for doc in docs("presentation") {
        let (text, _) = load(&doc);
        let syntax = syntax_of(&doc);
        for cut in (0..=text.len()).filter(|c| text.is_char_boundary(*c) && c % 5 == 0) {
            check_document(&text[..cut], syntax, &schema);
        }
    }
}

#[test]
fn a_conversion_is_the_units_layers_and_labels_follow_their_entry() {
    let schema = Schema::builtin();
    let text = "outcomes:\n  - {id: wbc, quantity: WBC, unit: 10*9/L}\narms:\n  - {id: exo, label: Exos}\n\
                results:\n  - {outcome: wbc, arm: exo, mean: 6600 /uL}\n";
    let all = Span::new(0, text.len());
    let labels: Vec<String> = ide::inlay_hints(text, Syntax::Yaml, &schema, all)
        .into_iter()
        .map(|h| h.label)
        .collect();
    assert_eq!(labels, ["Exos", "= 6.6 10*9/L"]);
    // The arm's label changes: so does the hint (hints are computed per request).
    let renamed = text.replace("label: Exos", "label: Exosomes (nebulized)");
    let labels: Vec<String> =
        ide::inlay_hints(&renamed, Syntax::Yaml, &schema, Span::new(0, renamed.len()))
            .into_iter()
            .map(|h| h.label)
            .collect();
    assert_eq!(labels, ["Exosomes (nebulized)", "= 6.6 10*9/L"]);
    // Only hints inside the requested range.
    let first_line_of_results = text.find("results").unwrap();
    assert!(ide::inlay_hints(
        text,
        Syntax::Yaml,
        &schema,
        Span::new(0, first_line_of_results)
    )
    .is_empty());
    // No hint where the units do not convert, or are the outcome's own.
    for mean in ["6600 mg", "6.6 10*9/L", "6600 bogus"] {
        let t = text.replace("6600 /uL", mean);
        let hints = ide::inlay_hints(&t, Syntax::Yaml, &schema, Span::new(0, t.len()));
        assert!(
            hints.iter().all(|h| h.kind == HintKind::Label),
            "{mean}: {hints:?}"
        );
    }
}

#[test]
fn a_large_document_is_presented_in_linear_time() {
    let schema = Schema::builtin();
    let mut text = String::from(
        "outcomes:\n  - {id: wbc, quantity: WBC, unit: 10*9/L}\narms:\n  - {id: exo, label: Exos}\nresults:\n",
    );
    for i in 0..20_000 {
        writeln!(
            text,
            "  - {{outcome: wbc, arm: exo, timepoint: {} wk, mean: 66{} /uL}}",
            i % 52,
            i % 10
        )
        .unwrap();
    }
    let start = std::time::Instant::now();
    trls::syntax::parse(&text, Syntax::Yaml);
    let parse = start.elapsed().as_millis();
    let hints = ide::inlay_hints(&text, Syntax::Yaml, &schema, Span::new(0, text.len()));
    let t1 = start.elapsed().as_millis();
    let tokens = ide::semantic_tokens(&text, Syntax::Yaml, &schema);
    let t2 = start.elapsed().as_millis();
    let lenses = ide::code_lenses(&text, Syntax::Yaml);
    let ms = start.elapsed().as_millis();
    eprintln!(
        "20,000 results: parse {parse} ms, hints {} ms, tokens {} ms, lenses {} ms",
        t1 - parse,
        t2 - t1,
        ms - t2
    );
    assert_eq!(hints.len(), 40_000);
    assert!(tokens.iter().filter(|t| t.kind == TokenKind::Unit).count() > 20_000);
    assert_eq!(
        lenses
            .iter()
            .find(|l| l.id == "exo")
            .unwrap()
            .references
            .len(),
        20_000
    );
    assert!(ms < 60_000, "{ms} ms");
}
