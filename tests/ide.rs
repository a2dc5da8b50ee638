//! Fixture-driven tests of the editor features. Each `tests/ide/<feature>/<case>`
//! document (`.trial.yaml` or `.trial.json`) may hold a cursor marker `‸` (U+2038,
//! removed before the call); beside it, `<file>.<feature>` is the expected answer:
//!
//! - `completion/`: `label | kind | «readable name» detail | insert | replaced text`, one item a
//!   line, in the order the editor sorts them;
//! - `hover/`: the markdown, then the hovered text;
//! - `navigate/`: the symbol at the cursor, its occurrences and the rename range;
//! - `outline/`: `.symbols` (the outline), `.folding` (line ranges) and `.links`.
//! - `presentation/`: `.inlay`, `.semantic`, `.lens`, `.selection`, `.highlight`
//!   (module `ide/presentation.rs`).
//!
//! Completion and hover see the records of `tests/ide/workspace/` as the workspace.
//! `TRLS_BLESS=1 cargo test --test ide` rewrites the expectations (review the diff).
//! Every function is also run at every offset of every fixture (and of truncated,
//! CRLF and non-ASCII variants) to check that none panics.

mod common;
#[path = "ide/presentation.rs"]
mod presentation;

use common::compare;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use trls::ide::{self, OutlineItem, RecordRef, WorkspaceView};
use trls::model::RecordSummary;
use trls::schema::Schema;
use trls::syntax::{self, LineIndex, Span, Syntax};

const CURSOR: char = '\u{2038}';

fn root() -> PathBuf {
    PathBuf::from("tests/ide")
}

fn is_doc(p: &Path) -> bool {
    let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    n.ends_with(".trial.yaml") || n.ends_with(".trial.json")
}

fn docs(feature: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join(feature))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| is_doc(p))
        .collect();
    v.sort();
    v
}

fn syntax_of(p: &Path) -> Syntax {
    Syntax::from_path(p)
}

/// The text without the marker, and the marker's offset.
fn load(p: &Path) -> (String, Option<usize>) {
    let raw = std::fs::read_to_string(p).unwrap();
    let at = raw.find(CURSOR);
    (raw.replacen(CURSOR, "", 1), at)
}

struct Workspace {
    records: Vec<(PathBuf, RecordSummary)>,
}

impl Workspace {
    fn load() -> Workspace {
        let mut records = Vec::new();
        let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("workspace"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| is_doc(p))
            .collect();
        files.sort();
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            let parsed = syntax::parse(&text, syntax_of(&f));
            let summary = parsed
                .root
                .as_ref()
                .map(RecordSummary::build)
                .unwrap_or_default();
            records.push((f, summary));
        }
        Workspace { records }
    }

    fn view(&self) -> WorkspaceView<'_> {
        WorkspaceView {
            records: self
                .records
                .iter()
                .map(|(path, summary)| RecordRef { path, summary })
                .collect(),
        }
    }
}

fn pos(text: &str, lines: &LineIndex, offset: usize) -> String {
    let (l, c) = lines.line_col(text, offset);
    format!("{}:{}", l + 1, c + 1)
}

fn range(text: &str, lines: &LineIndex, span: Span) -> String {
    format!(
        "{}-{}",
        pos(text, lines, span.start),
        pos(text, lines, span.end)
    )
}

fn slice(text: &str, span: Span) -> String {
    text.get(span.start..span.end)
        .unwrap_or("<bad span>")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

fn with_ext(p: &Path, ext: &str) -> PathBuf {
    let name = p.file_name().unwrap().to_str().unwrap();
    p.with_file_name(format!("{name}.{ext}"))
}

fn finish(failures: Vec<String>) {
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn render_completion(
    text: &str,
    syntax: Syntax,
    at: usize,
    schema: &Schema,
    view: &WorkspaceView,
) -> String {
    let mut items = ide::completion(text, syntax, at, schema, view);
    items.sort_by(|a, b| (&a.sort, &a.label).cmp(&(&b.sort, &b.label)));
    let mut out = String::new();
    for i in &items {
        writeln!(
            out,
            "{} | {:?} | {} | {}{} | «{}»",
            i.label,
            i.kind,
            match (&i.label_detail, &i.detail) {
                (Some(n), Some(d)) => format!("«{n}» {d}"),
                (Some(n), None) => format!("«{n}»"),
                (None, Some(d)) => d.clone(),
                (None, None) => "-".into(),
            },
            if i.snippet { "snippet " } else { "" },
            i.insert.replace('\n', "\\n"),
            slice(text, i.replace),
        )
        .unwrap();
    }
    out
}

/// The same document with CRLF line breaks, and where the marker lands in it.
fn crlf(text: &str, at: usize) -> (String, usize) {
    let lines_before = text[..at].matches('\n').count();
    (text.replace('\n', "\r\n"), at + lines_before)
}

/// An answer for the CRLF copy must read as the LF one.
fn same_with_crlf(doc: &Path, lf: &str, crlf: &str, failures: &mut Vec<String>) {
    let crlf = crlf.replace("\\r", "");
    if lf != crlf {
        failures.push(format!(
            "{} with CRLF line breaks:\n--- LF\n{lf}--- CRLF\n{crlf}",
            doc.display()
        ));
    }
}

/// An answer for the copy with lone CR line ends (old Mac files; a line end to LSP
/// and YAML) must read as the LF one: same items, same ranges.
fn same_with_cr(doc: &Path, lf: &str, cr: &str, failures: &mut Vec<String>) {
    let cr = cr.replace('\r', "\n");
    if lf != cr {
        failures.push(format!(
            "{} with lone CR line ends:\n--- LF\n{lf}--- CR\n{cr}",
            doc.display()
        ));
    }
}

#[test]
fn completion_fixtures() {
    let schema = Schema::builtin();
    let ws = Workspace::load();
    let view = ws.view();
    let mut failures = Vec::new();
    for doc in docs("completion") {
        let (text, at) = load(&doc);
        let at = at.unwrap_or_else(|| panic!("{}: no cursor marker", doc.display()));
        let syntax = syntax_of(&doc);
        let out = render_completion(&text, syntax, at, &schema, &view);
        let (text2, at2) = crlf(&text, at);
        let out2 = render_completion(&text2, syntax, at2, &schema, &view);
        same_with_crlf(&doc, &out, &out2, &mut failures);
        let cr = render_completion(&text.replace('\n', "\r"), syntax, at, &schema, &view);
        same_with_cr(&doc, &out, &cr, &mut failures);
        compare(&with_ext(&doc, "completion"), &out, &mut failures);
    }
    finish(failures);
}

fn render_hover(
    text: &str,
    syntax: Syntax,
    at: usize,
    schema: &Schema,
    view: &WorkspaceView,
) -> String {
    match ide::hover(text, syntax, at, schema, view) {
        Some(h) => format!("{}\n--- span: «{}»\n", h.markdown, slice(text, h.span)),
        None => "(none)\n".to_string(),
    }
}

#[test]
fn hover_fixtures() {
    let schema = Schema::builtin();
    let ws = Workspace::load();
    let view = ws.view();
    let mut failures = Vec::new();
    for doc in docs("hover") {
        let (text, at) = load(&doc);
        let at = at.unwrap_or_else(|| panic!("{}: no cursor marker", doc.display()));
        let syntax = syntax_of(&doc);
        let out = render_hover(&text, syntax, at, &schema, &view);
        let (text2, at2) = crlf(&text, at);
        same_with_crlf(
            &doc,
            &out,
            &render_hover(&text2, syntax, at2, &schema, &view),
            &mut failures,
        );
        let cr = render_hover(&text.replace('\n', "\r"), syntax, at, &schema, &view);
        same_with_cr(&doc, &out, &cr, &mut failures);
        compare(&with_ext(&doc, "hover"), &out, &mut failures);
    }
    finish(failures);
}

fn render_navigation(text: &str, syntax: Syntax, at: usize) -> String {
    let lines = LineIndex::new(text);
    let mut out = String::new();
    match ide::symbol_at(text, syntax, at) {
        Some((symbol, span)) => {
            writeln!(
                out,
                "symbol: {symbol:?} at {} «{}»",
                range(text, &lines, span),
                slice(text, span)
            )
            .unwrap();
            for (span, def) in ide::occurrences(text, syntax, &symbol) {
                writeln!(
                    out,
                    "  {} «{}»{}",
                    range(text, &lines, span),
                    slice(text, span),
                    if def { " definition" } else { "" }
                )
                .unwrap();
            }
        }
        None => out.push_str("symbol: (none)\n"),
    }
    match ide::prepare_rename(text, syntax, at) {
        Some((span, current)) => {
            writeln!(out, "rename: {} «{current}»", range(text, &lines, span)).unwrap()
        }
        None => out.push_str("rename: (none)\n"),
    }
    out
}

#[test]
fn navigation_fixtures() {
    let mut failures = Vec::new();
    for doc in docs("navigate") {
        let (text, at) = load(&doc);
        let at = at.unwrap_or_else(|| panic!("{}: no cursor marker", doc.display()));
        let syntax = syntax_of(&doc);
        let out = render_navigation(&text, syntax, at);
        let (text2, at2) = crlf(&text, at);
        same_with_crlf(
            &doc,
            &out,
            &render_navigation(&text2, syntax, at2),
            &mut failures,
        );
        compare(&with_ext(&doc, "navigate"), &out, &mut failures);
    }
    finish(failures);
}

fn outline(out: &mut String, text: &str, lines: &LineIndex, item: &OutlineItem, depth: usize) {
    writeln!(
        out,
        "{}{:?} {}{} [{} sel «{}»]",
        "  ".repeat(depth),
        item.kind,
        item.name,
        item.detail
            .as_ref()
            .map(|d| format!(" — {d}"))
            .unwrap_or_default(),
        range(text, lines, item.span),
        slice(text, item.selection),
    )
    .unwrap();
    for c in &item.children {
        outline(out, text, lines, c, depth + 1);
    }
}

#[test]
fn outline_fixtures() {
    let mut failures = Vec::new();
    for doc in docs("outline") {
        let (text, _) = load(&doc);
        let syntax = syntax_of(&doc);
        let lines = LineIndex::new(&text);
        let mut out = String::new();
        for item in ide::document_symbols(&text, syntax) {
            outline(&mut out, &text, &lines, &item, 0);
        }
        compare(&with_ext(&doc, "symbols"), &out, &mut failures);

        let mut out = String::new();
        for span in ide::folding_ranges(&text, syntax) {
            let (l1, _) = lines.line_col(&text, span.start);
            let (l2, _) = lines.line_col(&text, span.end);
            writeln!(
                out,
                "{}-{} {}",
                l1 + 1,
                l2 + 1,
                lines.line_text(&text, l1).trim()
            )
            .unwrap();
        }
        compare(&with_ext(&doc, "folding"), &out, &mut failures);

        let mut out = String::new();
        for link in ide::document_links(&text, syntax) {
            writeln!(
                out,
                "{} «{}» -> {}",
                range(&text, &lines, link.span),
                slice(&text, link.span),
                link.target
            )
            .unwrap();
        }
        compare(&with_ext(&doc, "links"), &out, &mut failures);
    }
    finish(failures);
}

/// Every feature at `offset`; none may panic, and every span must lie on char
/// boundaries inside the text.
fn run_all(text: &str, syntax: Syntax, offset: usize, schema: &Schema, view: &WorkspaceView) {
    run_features(text, syntax, offset, schema, view, true);
}

/// [`run_all`]; with `cursor_checks` off, only totality and the spans' bounds and
/// char boundaries are checked (not that a range holds the cursor).
fn run_features(
    text: &str,
    syntax: Syntax,
    offset: usize,
    schema: &Schema,
    view: &WorkspaceView,
    cursor_checks: bool,
) {
    let ok = |s: Span| {
        assert!(
            s.start <= s.end && s.end <= text.len(),
            "span {s:?} outside the text at offset {offset}"
        );
        assert!(
            text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
            "span {s:?} not on char boundaries at offset {offset}"
        );
    };
    // A completion's range is on one line and holds the cursor (as LSP requires).
    // Where an editor can put it: not inside a byte order mark or a CRLF.
    let mut cursor = syntax::clamp_to_char_boundary(text, offset);
    if text.starts_with('\u{feff}') {
        cursor = cursor.max(3);
    }
    if text[..cursor].ends_with('\r') && text[cursor..].starts_with('\n') {
        cursor -= 1;
    }
    // The cursor checks read lines as `\n` ends them; with a lone CR (which LSP
    // counts as a line end but the editor features do not yet) only totality and
    // char boundaries are checked.
    let b = text.as_bytes();
    let lone_cr =
        !cursor_checks || (0..b.len()).any(|i| b[i] == b'\r' && b.get(i + 1) != Some(&b'\n'));
    for c in ide::completion(text, syntax, offset, schema, view) {
        ok(c.replace);
        if lone_cr {
            continue;
        }
        assert!(
            c.replace.start <= cursor && cursor <= c.replace.end,
            "{:?} does not hold the cursor {cursor} ({:?}) in {:?}",
            c.replace,
            c.label,
            &text[cursor.saturating_sub(40)..(cursor + 40).min(text.len())]
        );
        assert!(
            !text[c.replace.start..c.replace.end].contains('\n'),
            "{:?} spans lines at {cursor} ({:?})",
            c.replace,
            c.label
        );
    }
    let holds = |s: Span, what: &str| {
        if lone_cr {
            return;
        }
        assert!(
            s.start <= cursor && cursor <= s.end,
            "{what} {s:?} does not hold the cursor {cursor} in {:?}",
            &text[cursor.saturating_sub(40)..(cursor + 40).min(text.len())]
        );
    };
    if let Some(h) = ide::hover(text, syntax, offset, schema, view) {
        ok(h.span);
        holds(h.span, "hover");
    }
    if let Some((symbol, span)) = ide::symbol_at(text, syntax, offset) {
        ok(span);
        // Without its quotes: the cursor may be on one.
        holds(
            Span::new(span.start.saturating_sub(1), span.end + 1),
            "symbol",
        );
        for (s, _) in ide::occurrences(text, syntax, &symbol) {
            ok(s);
        }
    }
    if let Some((span, _)) = ide::prepare_rename(text, syntax, offset) {
        ok(span);
    }
}

/// The documents run at every offset: every completion case (small, many broken)
/// and one of each other kind.
fn all_docs() -> Vec<PathBuf> {
    let mut all = docs("completion");
    for f in ["hover", "navigate", "outline", "workspace"] {
        all.extend(docs(f).into_iter().take(1));
    }
    all
}

/// Small documents that put multi-byte characters, unclosed strings, byte order
/// marks and odd line ends where the editor features scan bytes.
const NASTY: &[&str] = &[
    "{\"µ\n",
    "{\"µ",
    "{\"µ\": \"µ",
    "{\"id\": \"é\\\u{e9}\n",
    "{\"\\µ\": 1}\n",
    "{\"arms\": [{\"id\": \"a\"}], \"results\": [{\"arm\": \"ä\n",
    "{\"results\": [{\"arm\": \"€\", \"outcome\": \"😀",
    "\u{feff}{\"µ\r\n",
    "\u{feff}{\"id\": \"NCT0é\"}",
    "{\"id\":\r\"NCT0\",\r\"related\": [\"µ\r]}",
    "µ",
    "\"µ",
    "'µ\n",
    "id: \"µ\narms:\n  - id: 'é\n",
    "arms:\r  - id: é\r    interventions: [µ\rresults:\r  - arm: µ\r",
    "\u{feff}arms:\r\n  - id: µ\r\n    label: \"x\r\nresults:\r\n  - arm: µ\r\n",
    "results:\n  - arm: 😀\n    outcome: \"é\n  - arm: 'µ\n",
    "related: [\"NCT0µ, 'é\nsecondary_ids:\n  - id: ü\n    type: REGISTRY\n",
    "sources:\n  - id: s\n    registry_id: \"NCT€\nµ: é\n",
    "\r\r\nµ\r",
];

#[test]
fn every_feature_is_total_at_every_offset() {
    let schema = Schema::builtin();
    let ws = Workspace::load();
    let view = ws.view();
    let mut texts: Vec<(String, Syntax)> = Vec::new();
    for doc in all_docs() {
        let (text, _) = load(&doc);
        let syntax = syntax_of(&doc);
        texts.push((text.replace('\n', "\r\n"), syntax));
        texts.push((text, syntax));
    }
    texts.push((
        "title: 间充质干细胞治疗\narms:\n  - id: 臂\n    label: 干细胞 µ×\n    \u{1F600}: x\n"
            .into(),
        Syntax::Yaml,
    ));
    texts.push(("\u{feff}trf: 1\nid: NCT0\n".into(), Syntax::Yaml));
    texts.push((
        "{\"title\": \"间充质\", \"arms\": [{\"id\": \"臂".into(),
        Syntax::Json,
    ));
    every_offset(&texts, &schema, &view, true);
}

/// Every feature at every offset (and past the end) of each text, and the
/// whole-document features once.
fn every_offset(
    texts: &[(String, Syntax)],
    schema: &Schema,
    view: &WorkspaceView,
    cursor_checks: bool,
) {
    for (text, syntax) in texts {
        for offset in 0..=text.len() + 2 {
            run_features(text, *syntax, offset, schema, view, cursor_checks);
        }
        for (extra, s) in ide::folding_ranges(text, *syntax)
            .into_iter()
            .map(|s| (s, *syntax))
            .chain(
                ide::document_links(text, *syntax)
                    .into_iter()
                    .map(|l| (l.span, *syntax)),
            )
        {
            let _ = s;
            assert!(extra.end <= text.len());
        }
        ide::document_symbols(text, *syntax);
    }
}

/// Issue 8.5: `{"µ` + newline made hover, definition, references and rename
/// panic in a byte scan. Each nasty document, as JSON and as YAML, as written and
/// with every line end made CRLF and lone CR, at every byte offset.
#[test]
fn nasty_documents_are_total_at_every_offset() {
    let schema = Schema::builtin();
    let ws = Workspace::load();
    let view = ws.view();
    let mut texts: Vec<(String, Syntax)> = Vec::new();
    for nasty in NASTY {
        for text in [
            nasty.to_string(),
            nasty.replace('\n', "\r\n"),
            nasty.replace('\n', "\r"),
        ] {
            texts.push((text.clone(), Syntax::Json));
            texts.push((text, Syntax::Yaml));
        }
    }
    // And small documents strung together from the same kinds of pieces, by a
    // fixed pseudo-random sequence.
    let pieces = [
        "{",
        "}",
        "[",
        "]",
        "\"",
        "'",
        ":",
        ": ",
        ",",
        " ",
        "  ",
        "\n",
        "\r",
        "\r\n",
        "µ",
        "😀",
        "\\",
        "- ",
        "id",
        "arms",
        "results",
        "arm",
        "outcome",
        "related",
        "#",
        "\u{feff}",
        "interventions",
        "NCT0",
        "é",
    ];
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut random = Vec::new();
    for _ in 0..400 {
        let n = next() % 16 + 1;
        let text: String = (0..n)
            .map(|_| pieces[(next() % pieces.len() as u64) as usize])
            .collect();
        let syntax = if next() % 2 == 0 {
            Syntax::Json
        } else {
            Syntax::Yaml
        };
        random.push((text, syntax));
    }
    // Only totality here: a few of these put the cursor where completion's word
    // range is not yet exact (`key : |`).
    every_offset(&random, &schema, &view, false);
}

#[test]
fn hostile_documents_do_not_break_any_feature() {
    let schema = Schema::builtin();
    let view = WorkspaceView::default();
    let deep_open = "[".repeat(100_000);
    let deep_closed = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let deep_map = "{\"a\": ".repeat(50_000);
    let yaml_deep = "- ".repeat(20_000);
    let yaml_indent = (0..3_000)
        .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
        .collect::<String>();
    let long_line = format!("title: {}\n", "x".repeat(200_000));
    let cases: Vec<(&str, Syntax)> = vec![
        (&deep_open, Syntax::Json),
        (&deep_closed, Syntax::Json),
        (&deep_map, Syntax::Json),
        (&deep_open, Syntax::Yaml),
        (&yaml_deep, Syntax::Yaml),
        (&yaml_indent, Syntax::Yaml),
        (&long_line, Syntax::Yaml),
        ("\u{feff}", Syntax::Json),
        ("\"", Syntax::Json),
        ("'", Syntax::Yaml),
        ("- - - : : : [ { ,", Syntax::Yaml),
    ];
    for (text, syntax) in cases {
        for at in [0, 1, text.len() / 2, text.len()] {
            run_all(text, syntax, at, &schema, &view);
        }
        ide::document_symbols(text, syntax);
        ide::folding_ranges(text, syntax);
        ide::document_links(text, syntax);
    }
}

#[test]
fn every_feature_is_total_while_typing() {
    // Every prefix of a record, with the cursor at its end: what an editor sees
    // while the record is typed from the top.
    let schema = Schema::builtin();
    let ws = Workspace::load();
    let view = ws.view();
    for doc in docs("outline") {
        let (text, _) = load(&doc);
        let syntax = syntax_of(&doc);
        let mut cut = 0;
        while cut <= text.len() {
            if text.is_char_boundary(cut) {
                let prefix = &text[..cut];
                // What runs on keystrokes at every prefix; what parses the whole
                // document at every seventh (they cost the test most of its time).
                for c in ide::completion(prefix, syntax, cut, &schema, &view) {
                    assert!(c.replace.start <= cut && cut <= c.replace.end);
                    assert!(!prefix[c.replace.start..c.replace.end].contains('\n'));
                }
                ide::hover(prefix, syntax, cut, &schema, &view);
                if cut % 7 == 0 {
                    run_all(prefix, syntax, cut, &schema, &view);
                    ide::document_symbols(prefix, syntax);
                    ide::folding_ranges(prefix, syntax);
                    ide::document_links(prefix, syntax);
                }
            }
            cut += 1;
        }
    }
}

/// A record of about `lines` lines: many results.
fn big_record(lines: usize) -> String {
    let mut s = String::from(
        "trf: 1\nid: NCT06853522\ntitle: Big\nstatus: COMPLETED\nstudy_type: INTERVENTIONAL\n\
         phases: [PHASE2]\nconditions: [Asthma]\nenrollment: { count: 40, type: ACTUAL }\n\
         dates:\n  start: 2024-01\narms:\n  - id: exo\n    type: EXPERIMENTAL\n    label: Exo\n\
         interventions:\n  - id: exo-neb\n    type: BIOLOGICAL\n    name: exosomes\n\
         outcomes:\n  - id: fev1\n    type: PRIMARY\n    title: FEV1\n    quantity: FEV1\n    unit: L\n\
         sources:\n  - id: reg\n    kind: REGISTRY\n    registry_id: NCT06853522\nresults:\n",
    );
    let mut i = 0;
    while s.lines().count() < lines {
        write!(
            s,
            "  - outcome: fev1\n    arm: exo\n    timepoint: {} wk\n    mean: 2.{} L\n    sd: 0.3 L\n",
            i % 52 + 1,
            i % 10
        )
        .unwrap();
        i += 1;
    }
    s
}

#[test]
fn a_large_document_answers_quickly() {
    let schema = Schema::builtin();
    let view = WorkspaceView::default();
    let text = big_record(20_000);
    // Completion at the end (a new result's unit), in the middle (a key of a result)
    // and at the top (a top-level key).
    let end = format!("{text}  - outcome: fev1\n    arm: exo\n    timepoint: 1 wk\n    mean: 2 ");
    let middle = text.find("    sd: 0.3 L\n  - outcome").unwrap() + 4 + 10_000 * 5;
    let middle = text[..middle.min(text.len())].rfind("    sd:").unwrap_or(0) + 4;
    let cases: Vec<(&str, usize)> = vec![(&end, end.len()), (&text, middle), (&text, 0)];
    let mut worst = 0u128;
    for (t, at) in &cases {
        let start = Instant::now();
        let items = ide::completion(t, Syntax::Yaml, *at, &schema, &view);
        worst = worst.max(start.elapsed().as_millis());
        assert!(!items.is_empty(), "no completion at {at}");
    }
    // Hover on a result's arm (a reference into another entry) and on an
    // outcome's key, near the end.
    let near_end = text.rfind("    arm: exo").unwrap() + 10;
    let mut hover_worst = 0u128;
    for at in [near_end, middle, text.find("quantity").unwrap()] {
        let start = Instant::now();
        assert!(ide::hover(&text, Syntax::Yaml, at, &schema, &view).is_some());
        hover_worst = hover_worst.max(start.elapsed().as_millis());
    }
    let start = Instant::now();
    ide::document_symbols(&text, Syntax::Yaml);
    let outline = start.elapsed().as_millis();
    eprintln!(
        "20,000 lines: slowest completion {worst} ms, slowest hover {hover_worst} ms; \
         outline (parses all) {outline} ms"
    );
    // JSON: a result per line; completion of a unit in the middle and at the end.
    let mut json = String::from(
        "{\"trf\": 1, \"id\": \"NCT06853522\",\n\"outcomes\": [{\"id\": \"fev1\", \
         \"type\": \"PRIMARY\", \"title\": \"FEV1\", \"quantity\": \"FEV1\"}],\n\"results\": [\n",
    );
    for i in 0..20_000 {
        writeln!(
            json,
            "  {{\"outcome\": \"fev1\", \"arm\": \"exo\", \"timepoint\": \"{} wk\", \"mean\": \"2.{} L\"}},",
            i % 52 + 1,
            i % 10
        )
        .unwrap();
    }
    json.push_str(
        "  {\"outcome\": \"fev1\", \"arm\": \"exo\", \"timepoint\": \"1 wk\", \"mean\": \"2 ",
    );
    let json_middle = json.len() / 2;
    let json_middle = json[..json_middle].rfind(" L\"").unwrap() + 2;
    for at in [json.len(), json_middle] {
        let start = Instant::now();
        let items = ide::completion(&json, Syntax::Json, at, &schema, &view);
        worst = worst.max(start.elapsed().as_millis());
        assert!(items.iter().any(|i| i.label == "mL"), "no units at {at}");
    }
    let start = Instant::now();
    assert!(ide::hover(&json, Syntax::Json, json_middle, &schema, &view).is_some());
    hover_worst = hover_worst.max(start.elapsed().as_millis());
    eprintln!("with JSON: slowest completion {worst} ms, slowest hover {hover_worst} ms");
    // Generous for unoptimised test builds on a shared machine; release is far
    // faster.
    assert!(worst < 3_000, "completion took {worst} ms");
    assert!(hover_worst < 3_000, "hover took {hover_worst} ms");
}
