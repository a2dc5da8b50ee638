//! The formatter (`trls fmt`, and the language server's formatting requests).
//!
//! `tests/fixtures/fmt/<name>.<yaml|json>` is a record as written, beside it
//! `<name>.formatted.<ext>` its canonical layout (blessed with `TRLS_BLESS=1`, then
//! reviewed). Each input formats to its expectation, the expectation formats to
//! itself, and both check the same (same codes and messages).

#[allow(dead_code)]
#[path = "common/mod.rs"]
mod common;
#[cfg(feature = "lsp")]
#[allow(dead_code)]
#[path = "lsp/harness.rs"]
mod harness;

use std::path::{Path, PathBuf};
use std::process::Command;

use trls::config::Config;
use trls::format::{self, FormatError};
use trls::schema::Schema;
use trls::syntax::edit::apply;
use trls::syntax::{Span, Syntax};

const BIN: &str = env!("CARGO_BIN_EXE_trls");

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fmt")
}

/// (input, expected output) pairs.
fn cases() -> Vec<(PathBuf, PathBuf)> {
    let mut v: Vec<(PathBuf, PathBuf)> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_str().unwrap();
            !name.contains(".formatted.") && (name.ends_with(".yaml") || name.ends_with(".json"))
        })
        .map(|p| {
            let stem = p.file_stem().unwrap().to_str().unwrap().to_string();
            let ext = p.extension().unwrap().to_str().unwrap().to_string();
            let out = p.with_file_name(format!("{stem}.formatted.{ext}"));
            (p, out)
        })
        .collect();
    v.sort();
    v
}

fn syntax(p: &Path) -> Syntax {
    Syntax::from_path(p)
}

/// The findings of a record: (code, message), sorted; positions left out.
fn findings(text: &str, syntax: Syntax) -> Vec<(String, String)> {
    let path = match syntax {
        Syntax::Json => Path::new("record.trial.json"),
        Syntax::Yaml => Path::new("record.trial.yaml"),
    };
    let config = Config::default();
    let analysis = trls::engine::analyze_text(text, syntax, Some(path), &config);
    let checked = trls::engine::check_one(analysis, &config);
    let mut v: Vec<(String, String)> = checked
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str().to_string(), d.message.clone()))
        .collect();
    v.sort();
    v
}

#[test]
fn fixtures_format_to_their_layout_again_to_themselves_and_check_the_same() {
    let schema = Schema::builtin();
    let mut failures = Vec::new();
    let cases = cases();
    assert!(cases.len() >= 3, "fixtures: {cases:?}");
    for (input, expected) in &cases {
        let text = std::fs::read_to_string(input).unwrap();
        let syn = syntax(input);
        let formatted = match format::format(&text, syn, &schema) {
            Ok(f) => f,
            Err(e) => {
                failures.push(format!("{}: {e}", input.display()));
                continue;
            }
        };
        assert!(formatted.changed, "{}: already canonical", input.display());
        common::compare(expected, &formatted.text, &mut failures);
        // Formatting the layout changes nothing: no edits, for the document and
        // for a range over all of it.
        let again = format::document_edits(&formatted.text, syn, &schema).unwrap();
        assert!(
            again.is_empty(),
            "{}: not idempotent: {again:?}",
            input.display()
        );
        let whole = Span::new(0, formatted.text.len());
        let again = format::range_edits(&formatted.text, syn, &schema, whole).unwrap();
        assert!(
            again.is_empty(),
            "{}: range not idempotent: {again:?}",
            input.display()
        );
        // The document edits give the formatted text.
        let edits = format::document_edits(&text, syn, &schema).unwrap();
        assert_eq!(apply(&text, &edits), formatted.text, "{}", input.display());
        // The record checks the same before and after.
        assert_eq!(
            findings(&text, syn),
            findings(&formatted.text, syn),
            "{}: checks differently after formatting",
            input.display()
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_scrambled_record_keeps_its_comments_anchors_aliases_quoting_and_values() {
    let input = dir().join("scrambled.yaml");
    let text = std::fs::read_to_string(&input).unwrap();
    let out = format::format(&text, Syntax::Yaml, &Schema::builtin())
        .unwrap()
        .text;
    for kept in [
        "# A record written by hand",
        "id: 'NCT06853522'  # the registry id, single-quoted",
        "title: \"hucMSCs Exosomes for the Treatment of Active Ulcerative Colitis\"",
        "  start: 2025-05-30  # first patient in",
        "  # the treated group\n  - id: exo\n",
        "interventions: &treated [hucmsc-exo]",
        "interventions: *treated",
        "    description: |\n      The corresponding exosome content of\n",
        "\n        (indented line kept as written)\n",
        "    description: >-\n      Equal amount of saline\n",
        "# end of the record\n",
    ] {
        assert!(out.contains(kept), "{kept:?} not in\n{out}");
    }
    // Keys in the schema's order, two-space indentation, a blank line around lists.
    assert!(out.starts_with("# A record"), "{out}");
    let keys: Vec<&str> = out
        .lines()
        .filter(|l| !l.starts_with([' ', '#', '-']) && l.contains(':'))
        .map(|l| l.split(':').next().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "trf",
            "id",
            "registry",
            "title",
            "status",
            "study_type",
            "phases",
            "conditions",
            "product",
            "design",
            "enrollment",
            "dates",
            "sponsors",
            "arms",
            "interventions",
            "sources",
            "notes"
        ]
    );
    assert!(
        !out.contains("    -") && !out.contains("\n    id:"),
        "{out}"
    );
    assert!(out.contains("\n\narms:\n"), "{out}");
}

#[test]
fn a_record_that_does_not_parse_is_not_formatted_and_the_error_says_why() {
    let text = "id: NCT06853522\ntrf: 1\nphases: [PHASE1\ntitle: x\n";
    let e = format::format(text, Syntax::Yaml, &Schema::builtin()).unwrap_err();
    assert!(matches!(e, FormatError::Syntax { line: 3, .. }), "{e:?}");
    assert!(e.to_string().contains("does not parse (line 3"), "{e}");
    assert!(format::document_edits(text, Syntax::Yaml, &Schema::builtin()).is_err());
    let json = "{\"trf\": 1, \"id\": }";
    assert!(format::format(json, Syntax::Json, &Schema::builtin()).is_err());
}

#[test]
fn range_formatting_lays_out_the_sections_it_touches_and_moves_none() {
    let text = "id: X\ntrf: 1\ndates:\n    updated: 2025-01-01\n    start: 2024-01-01\nproduct:\n    modality: CELLS\n    name: n\n";
    let schema = Schema::builtin();
    // The cursor in `dates`: only `dates` is laid out; `id` stays before `trf`.
    let at = text.find("updated").unwrap();
    let edits = format::range_edits(text, Syntax::Yaml, &schema, Span::empty(at)).unwrap();
    let out = apply(text, &edits);
    assert_eq!(
        out,
        "id: X\ntrf: 1\ndates:\n  start: 2024-01-01\n  updated: 2025-01-01\nproduct:\n    modality: CELLS\n    name: n\n"
    );
    for e in &edits {
        assert!(e.span.start >= text.find("dates").unwrap(), "{e:?}");
        assert!(e.span.end <= text.find("product").unwrap(), "{e:?}");
    }
    // The whole document as the range: every section, still in its order.
    let all = format::range_edits(text, Syntax::Yaml, &schema, Span::new(0, text.len())).unwrap();
    assert_eq!(
        apply(text, &all),
        "id: X\ntrf: 1\ndates:\n  start: 2024-01-01\n  updated: 2025-01-01\nproduct:\n  name: n\n  modality: CELLS\n"
    );
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("trls-fmt-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn trls(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn fmt_check_diff_and_write() {
    let d = scratch("cli");
    let scrambled = std::fs::read_to_string(dir().join("scrambled.yaml")).unwrap();
    let formatted = std::fs::read_to_string(dir().join("scrambled.formatted.yaml")).unwrap();
    std::fs::write(d.join("a.trial.yaml"), &scrambled).unwrap();
    std::fs::write(d.join("b.trial.yaml"), &formatted).unwrap();
    // --check: lists what would change, writes nothing, exits 1.
    let (code, out, err) = trls(&["fmt", "--check", "."], &d);
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(out, "would format ./a.trial.yaml\n");
    assert!(
        err.contains("1 file would be formatted, 1 already formatted"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(d.join("a.trial.yaml")).unwrap(),
        scrambled
    );
    // --diff: a unified diff, nothing written.
    let (code, out, _) = trls(&["fmt", "--diff", "a.trial.yaml"], &d);
    assert_eq!(code, 1);
    assert!(
        out.starts_with("--- a.trial.yaml\n+++ a.trial.yaml\n@@ -1,"),
        "{out}"
    );
    assert!(
        out.contains("\n-id: 'NCT06853522'   # the registry id"),
        "{out}"
    );
    assert!(out.contains("\n+trf: 1\n"), "{out}");
    assert_eq!(
        std::fs::read_to_string(d.join("a.trial.yaml")).unwrap(),
        scrambled
    );
    // Writing: the file becomes the canonical layout; then --check passes.
    let (code, _, err) = trls(&["fmt"], &d);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("1 file formatted, 1 already formatted"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(d.join("a.trial.yaml")).unwrap(),
        formatted
    );
    let (code, out, _) = trls(&["fmt", "--check"], &d);
    assert_eq!((code, out.as_str()), (0, ""));
    // A record that does not parse: named with the reason, left as it is, exit 1.
    let broken = "trf: 1\nid: [NCT06853522\n";
    std::fs::write(d.join("c.trial.yaml"), broken).unwrap();
    let (code, _, err) = trls(&["fmt", "c.trial.yaml"], &d);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("c.trial.yaml: not formatted: the record does not parse (line 2"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(d.join("c.trial.yaml")).unwrap(),
        broken
    );
}

#[cfg(feature = "lsp")]
mod lsp {
    use super::*;
    use harness::{capabilities, uri, Client};
    use serde_json::{json, Value};

    /// Apply LSP edits (UTF-16 positions) to a text.
    fn apply_lsp(text: &str, edits: &Value) -> String {
        let offset = |p: &Value| {
            let (line, ch) = (
                p["line"].as_u64().unwrap() as usize,
                p["character"].as_u64().unwrap() as usize,
            );
            let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
            let mut units = 0;
            for (i, c) in text[start..].char_indices() {
                if units >= ch || c == '\n' {
                    return start + i;
                }
                units += c.len_utf16();
            }
            text.len()
        };
        let edits: Vec<trls::syntax::edit::TextEdit> = edits
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                trls::syntax::edit::TextEdit::new(
                    Span::new(offset(&e["range"]["start"]), offset(&e["range"]["end"])),
                    e["newText"].as_str().unwrap(),
                )
            })
            .collect();
        apply(text, &edits)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn fmt_check_agrees_with_the_editors_formatting() {
        let d = scratch("agree");
        let (mut c, init) = Client::start(capabilities(false, false), None).await;
        assert_eq!(init["capabilities"]["documentFormattingProvider"], true);
        assert_eq!(
            init["capabilities"]["documentRangeFormattingProvider"],
            true
        );
        let options = json!({"tabSize": 4, "insertSpaces": true});
        for (i, (input, _)) in cases().iter().enumerate() {
            let text = std::fs::read_to_string(input).unwrap();
            let ext = input.extension().unwrap().to_str().unwrap();
            let file = d.join(format!("r{i}.trial.{ext}"));
            std::fs::write(&file, &text).unwrap();
            let u = uri(&file);
            c.open(&u, &text).await;
            let edits = c
                .request(
                    "textDocument/formatting",
                    json!({"textDocument": {"uri": u}, "options": options}),
                )
                .await;
            let in_editor = apply_lsp(&text, &edits);
            // `trls fmt --check` says the file would change; `trls fmt` writes what
            // the editor's edits give.
            let name = file.file_name().unwrap().to_str().unwrap();
            let (code, out, _) = trls(&["fmt", "--check", name], &d);
            assert_eq!(
                (code, out.trim()),
                (1, format!("would format {name}").as_str())
            );
            let (code, _, err) = trls(&["fmt", name], &d);
            assert_eq!(code, 0, "{err}");
            assert_eq!(std::fs::read_to_string(&file).unwrap(), in_editor, "{name}");
            // The formatted text: no edits in the editor, nothing to do for --check.
            c.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"text": in_editor}]}),
            )
            .await;
            let again = c
                .request(
                    "textDocument/formatting",
                    json!({"textDocument": {"uri": u}, "options": options}),
                )
                .await;
            assert_eq!(again, json!([]), "{name}");
            assert_eq!(trls(&["fmt", "--check", name], &d).0, 0);
        }
        // A record that does not parse: no edits, and a log message saying why.
        let u = "file:///tmp/broken.trial.yaml";
        c.open(u, "trf: 1\nid: [x\n").await;
        let edits = c
            .request(
                "textDocument/formatting",
                json!({"textDocument": {"uri": u}, "options": options}),
            )
            .await;
        assert_eq!(edits, json!([]));
        let log = c
            .wait_for("window/logMessage", |p| {
                p["message"]
                    .as_str()
                    .unwrap_or("")
                    .contains("broken.trial.yaml")
            })
            .await;
        assert!(
            log["message"].as_str().unwrap().contains("does not parse"),
            "{log}"
        );
    }
}

/// Every record of the project (rule fixtures, examples, protocol cases, fuzz
/// seeds) that parses formats without the safety check failing, to a layout that
/// formats to itself and checks the same as the record.
#[test]
fn every_record_of_the_project_formats_and_checks_the_same() {
    let mut files = common::project_records();
    files.sort();
    assert!(files.len() > 100, "{}", files.len());
    let schema = Schema::builtin();
    let mut failures = Vec::new();
    let mut changed = 0;
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        let syn = syntax(f);
        match format::format(&text, syn, &schema) {
            Ok(out) if out.changed => {
                changed += 1;
                let again = format::format(&out.text, syn, &schema).map(|a| a.changed);
                if again != Ok(false) {
                    failures.push(format!("{}: not idempotent ({again:?})", f.display()));
                }
                if findings(&text, syn) != findings(&out.text, syn) {
                    failures.push(format!("{}: checks differently", f.display()));
                }
            }
            Ok(_) | Err(FormatError::Syntax { .. }) => {}
            Err(e) if e.to_string().contains("safely") => {
                failures.push(format!("{}: {e}", f.display()))
            }
            Err(_) => {}
        }
    }
    assert!(changed > 100, "{changed}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Large and deep records: linear time, and no stack overflow on a 2 MB thread
/// (the language server's blocking threads) at the parser's depth limit.
#[test]
fn hostile_records_format_in_linear_time_and_bounded_stack() {
    let long_flow = format!(
        "trf: 1\nkeywords: [{}]\n",
        (0..40_000)
            .map(|i| format!("k{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let many_items = format!(
        "trf: 1\narms:\n{}",
        (0..20_000)
            .map(|i| format!("    -   label: L{i}  # c{i}\n        id: a{i}\n"))
            .collect::<String>()
    );
    let json = format!(
        "{{\"trf\": 1, \"keywords\": [{}]}}",
        (0..40_000)
            .map(|i| format!("\"k{i}\""))
            .collect::<Vec<_>>()
            .join(",")
    );
    let depth = trls::syntax::MAX_DEPTH - 2;
    let deep_block: String = (0..depth)
        .map(|d| format!("{}k{d}:\n", "  ".repeat(d)))
        .collect::<String>()
        + &"  ".repeat(depth)
        + "x: 1\n";
    let deep_flow = format!("notes: {}1{}\n", "[".repeat(depth), "]".repeat(depth));
    let deep_json = format!("{{\"a\": {}1{}}}", "[".repeat(depth), "]".repeat(depth));
    let cases = [
        (long_flow, Syntax::Yaml),
        (many_items, Syntax::Yaml),
        (json, Syntax::Json),
        (deep_block, Syntax::Yaml),
        (deep_flow, Syntax::Yaml),
        (deep_json, Syntax::Json),
    ];
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let schema = Schema::builtin();
            for (text, syn) in &cases {
                let t = std::time::Instant::now();
                let out = format::format(text, *syn, &schema);
                let spent = t.elapsed();
                assert!(out.is_ok(), "{:?}", out.err());
                assert!(
                    // Generous: a debug build on a loaded machine (a megabyte takes
                    // seconds there, milliseconds in release).
                    spent < std::time::Duration::from_secs(90),
                    "{} bytes took {spent:?}",
                    text.len()
                );
            }
        })
        .unwrap()
        .join()
        .unwrap();
}

/// Found by `fuzz/format`: a YAML record written as one flow mapping over several
/// lines is laid out as block, one with indented keys moves them to column 0; range
/// formatting then lays out all of it (a section alone would not fit its neighbours).
#[test]
fn range_formatting_a_flow_mapping_record_lays_out_all_of_it() {
    let text = "{trf: 1,\n  id: X,\n  title: T,\n  dates: {start: 2024-01-01}}\n";
    let schema = Schema::builtin();
    let at = text.find("title").unwrap();
    let edits = format::range_edits(text, Syntax::Yaml, &schema, Span::empty(at)).unwrap();
    let out = apply(text, &edits);
    assert_eq!(out, "trf: 1\nid: X\ntitle: T\ndates: {start: 2024-01-01}\n");
    // The same for a record whose keys are all indented (they move to column 0).
    let text = "  trf: 1\n  id: X\n  title: T\n";
    let at = text.find("title").unwrap();
    let edits = format::range_edits(text, Syntax::Yaml, &schema, Span::empty(at)).unwrap();
    assert_eq!(apply(text, &edits), "trf: 1\nid: X\ntitle: T\n");
}
