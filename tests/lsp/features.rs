//! Every document capability over the wire, as fixtures: `cases/<method>--<name>.trial.*`
//! is a record with a cursor marker `‸`; beside it `<file>.json` is the server's whole
//! answer (blessed with `TRLS_BLESS=1`, then reviewed). Methods: completion, hover,
//! definition, references, prepareRename, rename (to `renamed`), documentLink,
//! documentSymbol, foldingRange, codeAction (at the cursor); inlayHint (the whole
//! document), semanticTokens (full), semanticTokensRange (the cursor's line),
//! codeLens, selectionRange and documentHighlight (at the cursor); formatting,
//! rangeFormatting (of the cursor's line).

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::common::compare;
use crate::harness::{capabilities, Client};

const MARK: char = '‸';

/// UTF-16 position of the marker; the text without it.
fn cursor(text: &str) -> (String, Value) {
    let at = text.find(MARK).unwrap_or(0);
    let before = &text[..at];
    let line = before.matches('\n').count();
    let col: usize = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .encode_utf16()
        .count();
    (
        text.replacen(MARK, "", 1),
        json!({"line": line, "character": col}),
    )
}

fn params(method: &str, uri: &str, pos: &Value) -> (String, Value) {
    let doc = json!({"uri": uri});
    let at = json!({"textDocument": doc, "position": pos});
    match method {
        "completion" | "hover" | "definition" | "prepareRename" => {
            (format!("textDocument/{method}"), at)
        }
        "references" => (
            "textDocument/references".into(),
            json!({"textDocument": doc, "position": pos, "context": {"includeDeclaration": true}}),
        ),
        "rename" => (
            "textDocument/rename".into(),
            json!({"textDocument": doc, "position": pos, "newName": "renamed"}),
        ),
        "codeAction" => (
            "textDocument/codeAction".into(),
            json!({"textDocument": doc, "range": {"start": pos, "end": pos}, "context": {"diagnostics": []}}),
        ),
        // Presentation (issue 14).
        "inlayHint" => (
            "textDocument/inlayHint".into(),
            json!({"textDocument": doc, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 100_000, "character": 0}}}),
        ),
        "semanticTokens" => (
            "textDocument/semanticTokens/full".into(),
            json!({"textDocument": doc}),
        ),
        "semanticTokensRange" => {
            let line = pos["line"].as_u64().unwrap_or(0);
            (
                "textDocument/semanticTokens/range".into(),
                json!({"textDocument": doc, "range": {"start": {"line": line, "character": 0}, "end": {"line": line + 1, "character": 0}}}),
            )
        }
        "selectionRange" => (
            "textDocument/selectionRange".into(),
            json!({"textDocument": doc, "positions": [pos]}),
        ),
        "documentHighlight" => ("textDocument/documentHighlight".into(), at),
        "formatting" => (
            "textDocument/formatting".into(),
            json!({"textDocument": doc, "options": {"tabSize": 2, "insertSpaces": true}}),
        ),
        "rangeFormatting" => (
            "textDocument/rangeFormatting".into(),
            json!({"textDocument": doc, "range": {"start": pos, "end": pos}, "options": {"tabSize": 2, "insertSpaces": true}}),
        ),
        m => (format!("textDocument/{m}"), json!({"textDocument": doc})),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_capability_answers_its_fixture() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/lsp/cases");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| trls::workspace::is_record(p))
        .collect();
    cases.sort();
    let mut failures = Vec::new();
    let mut methods = std::collections::BTreeSet::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_str().unwrap();
        let method = name.split("--").next().unwrap();
        methods.insert(method.to_string());
        let (text, pos) = cursor(&std::fs::read_to_string(case).unwrap());
        let (mut c, _) = Client::start(capabilities(false, false), None).await;
        // The document lives at a stable path so that answers are the same everywhere.
        let uri = format!("file:///records/{}", name.split("--").nth(1).unwrap());
        c.open(&uri, &text).await;
        c.wait_for("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri.as_str()
        })
        .await;
        let (m, p) = params(method, &uri, &pos);
        let answer = c.request(&m, p).await;
        let actual = serde_json::to_string_pretty(&answer).unwrap() + "\n";
        let expected_path = Path::new(&format!("{}.json", case.display())).to_path_buf();
        compare(&expected_path, &actual, &mut failures);
        if answer.is_null() || answer == json!([]) {
            failures.push(format!("{name}: empty answer"));
        }
    }
    for m in [
        "completion",
        "hover",
        "definition",
        "references",
        "prepareRename",
        "rename",
        "documentLink",
        "documentSymbol",
        "foldingRange",
        "codeAction",
        "inlayHint",
        "semanticTokens",
        "semanticTokensRange",
        "codeLens",
        "selectionRange",
        "documentHighlight",
    ] {
        if !methods.contains(m) {
            failures.push(format!("no fixture for {m}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
