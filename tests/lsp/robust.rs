//! Protocol hardening (issue 8): malformed frames are answered and the server goes
//! on; documents holding Unicode line separators or CR-only line ends stay equal to
//! the client's copy; versions may skip numbers; `exit` gives the right status; a
//! slow document never delays requests on another; code actions read fixes from
//! the diagnostic's `data` (only data of the document's current version) and
//! `source.fixAll` resolves lazily.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

use super::harness::{capabilities, Client};

/// A request the server answers whatever its state (an empty workspace's symbols).
fn probe(id: i64) -> String {
    json!({"jsonrpc": "2.0", "id": id, "method": "workspace/symbol", "params": {"query": "x"}})
        .to_string()
}

async fn still_answers(c: &mut Client) {
    let r = c
        .request_raw("workspace/symbol", json!({"query": ""}))
        .await;
    assert!(r.get("result").is_some(), "{r}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_frames_are_answered_and_the_server_goes_on() {
    let (mut c, _) = Client::start(capabilities(false, false), None).await;
    // Not JSON: a parse error with id null; JSON that is not a request, a
    // notification or a response: an invalid request with id null.
    let batch = r#"[{"jsonrpc":"2.0","id":5,"method":"workspace/symbol","params":{}}]"#;
    let bad: Vec<(Vec<u8>, i64)> = vec![
        (b"Content-Length: 9\r\n\r\n{not json".to_vec(), -32700),
        (b"Content-Length: 2\r\n\r\n\xff\xfe".to_vec(), -32700),
        (b"Content-Type: text/plain\r\n\r\n".to_vec(), -32700),
        (b"Content-Length: 10\r\n\r\n{\"hello\":1".to_vec(), -32700),
        (
            format!("Content-Length: {}\r\n\r\n{batch}", batch.len()).into_bytes(),
            -32600,
        ),
        (b"Content-Length: 7\r\n\r\n[1,2,3]".to_vec(), -32600),
        (b"Content-Length: 11\r\n\r\n{\"hello\":1}".to_vec(), -32600),
        (b"Content-Length: 2\r\n\r\n42".to_vec(), -32600),
    ];
    for (frame, code) in bad {
        c.send_raw(&frame).await;
        let answer = c.null_id_response().await;
        assert_eq!(answer["error"]["code"], code, "{answer}");
        still_answers(&mut c).await;
    }
    // Lenient headers: lower-case names, three headers, a BOM before them.
    let body = probe(900);
    let lower = format!("content-length: {}\r\n\r\n{body}", body.len());
    c.send_raw(lower.as_bytes()).await;
    assert!(c.response(900).await.get("result").is_some());
    let body = probe(901);
    let three = format!(
        "Content-Length: {}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\nX-Trace: on\r\n\r\n{body}",
        body.len()
    );
    c.send_raw(three.as_bytes()).await;
    assert!(c.response(901).await.get("result").is_some());
    let body = probe(902);
    let bom = format!("\u{feff}Content-Length: {}\r\n\r\n{body}", body.len());
    c.send_raw(bom.as_bytes()).await;
    assert!(c.response(902).await.get("result").is_some());
    // A lone surrogate inside a didOpen text: the document opens with U+FFFD.
    let u = "file:///tmp/surrogate.trial.yaml";
    let open = json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": u, "languageId": "yaml", "version": 1, "text": "title: aLONEb\n"}}})
    .to_string()
    .replace("LONE", "\\ud800");
    c.send_raw(format!("Content-Length: {}\r\n\r\n{open}", open.len()).as_bytes())
        .await;
    let doc = c.document_text(u).await;
    assert_eq!(doc["text"], "title: a\u{fffd}b\n");
    still_answers(&mut c).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unicode_separators_and_cr_only_text_stay_equal_to_the_client_copy() {
    let (mut c, _) = Client::start(capabilities(false, false), None).await;
    for (n, sep) in ["\u{2028}", "\u{2029}", "\u{85}", "\u{b}", "\u{c}"]
        .iter()
        .enumerate()
    {
        let u = format!("file:///tmp/sep{n}.trial.yaml");
        c.open(&u, &format!("title: a{sep}b\nid: x\n")).await;
        // Line 1 is `id: x` for LSP: replace `x` (character 4).
        c.change(&u, 2, json!([{"range": {"start": {"line": 1, "character": 4}, "end": {"line": 1, "character": 5}}, "text": "NCT0"}])).await;
        // And insert after the separator on line 0 (it is one UTF-16 unit).
        c.change(&u, 3, json!([{"range": {"start": {"line": 0, "character": 9}, "end": {"line": 0, "character": 9}}, "text": "!"}])).await;
        let doc = c.document_text(&u).await;
        assert_eq!(
            doc["text"],
            format!("title: a{sep}!b\nid: NCT0\n"),
            "separator {sep:?}"
        );
    }
    // CR-only line ends: edits and diagnostics on the right lines.
    let u = "file:///tmp/cr.trial.yaml";
    let text = "trf: 1\rid: NCT06853522\rtitle: x\rstatus: NOT_YET_RECRUITNG\r";
    c.open(u, text).await;
    let diags = c.diagnostics(u, 1).await;
    let d = diags
        .iter()
        .find(|d| d["code"] == "TRF013")
        .expect("TRF013");
    assert_eq!(
        d["range"]["start"],
        json!({"line": 3, "character": 8}),
        "{d}"
    );
    c.change(u, 2, json!([{"range": {"start": {"line": 2, "character": 7}, "end": {"line": 2, "character": 8}}, "text": "y\r\n"}])).await;
    let doc = c.document_text(u).await;
    assert_eq!(
        doc["text"],
        "trf: 1\rid: NCT06853522\rtitle: y\r\n\rstatus: NOT_YET_RECRUITNG\r"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn versions_may_skip_numbers_and_only_older_ones_are_ignored() {
    let (mut c, _) = Client::start(capabilities(false, false), None).await;
    let u = "file:///tmp/gaps.trial.yaml";
    c.open(u, "abc").await;
    let at = |ch: u32| json!({"start": {"line": 0, "character": ch}, "end": {"line": 0, "character": ch}});
    c.change(u, 3, json!([{"range": at(1), "text": "3"}])).await;
    let doc = c.document_text(u).await;
    assert_eq!(
        (doc["text"].as_str(), doc["version"].as_i64()),
        (Some("a3bc"), Some(3))
    );
    c.change(u, 2, json!([{"range": at(0), "text": "2"}])).await;
    c.change(u, 3, json!([{"range": at(0), "text": "3"}])).await;
    c.change(u, 10, json!([{"range": at(0), "text": "!"}]))
        .await;
    let doc = c.document_text(u).await;
    assert_eq!(
        (doc["text"].as_str(), doc["version"].as_i64()),
        (Some("!a3bc"), Some(10))
    );
    // The published diagnostics follow the newest version.
    c.diagnostics(u, 10).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_without_shutdown_is_status_1_and_after_it_0() {
    let (mut c, _) = Client::start(capabilities(false, false), None).await;
    c.notify("exit", json!(null)).await;
    assert_eq!(c.exit_status().await, 1);
    let (mut c, _) = Client::start(capabilities(false, false), None).await;
    c.request("shutdown", json!(null)).await;
    c.notify("exit", json!(null)).await;
    assert_eq!(c.exit_status().await, 0);
}

/// The real binary: `exit` without `shutdown` ends the process with status 1 while
/// its stdin is still open.
#[test]
fn the_binary_exits_with_status_1_on_exit_without_shutdown() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_trls"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    for msg in [
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}),
        json!({"jsonrpc": "2.0", "method": "exit"}),
    ] {
        let body = msg.to_string();
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    }
    stdin.flush().unwrap();
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("trls lsp did not exit");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    drop(stdin);
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    assert!(out.contains("\"id\":1"), "{out}");
    assert_eq!(status.code(), Some(1));
}

/// A record whose check takes seconds in a test build.
fn huge_record(arms: usize) -> String {
    let mut s = String::from(
        "trf: 1\nid: NCT06853522\ntitle: big\nstatus: RECRUITING\nstudy_type: INTERVENTIONAL\n\
         phases: [PHASE1]\nconditions: [UC]\narms:\n",
    );
    for i in 0..arms {
        s.push_str(&format!(
            "  - id: a{i}\n    type: EXPERIMENTAL\n    label: Arm {i}\n    interventions: [x]\n"
        ));
    }
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_document_never_delays_requests_on_another() {
    let (mut c, _) = Client::start(capabilities(false, false), None).await;
    // More slow documents than the transport's old limit of four handlers, each
    // held through its check before.
    let huge = huge_record(8000);
    let slow: Vec<String> = (0..5)
        .map(|i| format!("file:///tmp/slow{i}.trial.yaml"))
        .collect();
    for u in &slow {
        c.open(u, &huge).await;
    }
    let b = "file:///tmp/quick.trial.yaml";
    c.open(b, "trf: 1\nstatus: RECRUITING\n").await;
    let hover = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": b}, "position": {"line": 1, "character": 2}}),
        )
        .await;
    assert!(hover["contents"]["value"].is_string(), "{hover}");
    let published: Vec<&Value> = c
        .backlog
        .iter()
        .filter(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && slow.iter().any(|u| m["params"]["uri"] == u.as_str())
        })
        .collect();
    assert!(
        published.is_empty(),
        "the hover waited for a slow document's check"
    );
    // The slow documents are still checked.
    for u in &slow {
        c.diagnostics(u, 1).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quick_fixes_come_from_diagnostic_data_and_fix_all_resolves_lazily() {
    let mut caps = capabilities(false, false);
    caps["textDocument"]["codeAction"] = json!({"resolveSupport": {"properties": ["edit"]}});
    let (mut c, _) = Client::start(caps, None).await;
    let u = "file:///tmp/resolve.trial.yaml";
    let text = "trf: 1\nid: NCT06853522\ntitle: x\nstatus: NOT_YET_RECRUITNG\n";
    c.open(u, text).await;
    let diags = c.diagnostics(u, 1).await;
    let d = diags
        .iter()
        .find(|d| d["code"] == "TRF013")
        .unwrap()
        .clone();
    assert!(d["data"]["fix"]["edits"].is_array(), "{d}");
    // A fix in the data is used as it is: the client's copy decides.
    let mut forged = d.clone();
    forged["data"]["fix"]["title"] = json!("from the data");
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": u}, "range": d["range"], "context": {"diagnostics": [forged]}}),
        )
        .await;
    let quick = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "quickfix")
        .unwrap();
    assert_eq!(quick["title"], "from the data");
    // Without diagnostics in the context: from the cached check of this version.
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": u}, "range": d["range"], "context": {"diagnostics": []}}),
        )
        .await;
    let actions = actions.as_array().unwrap();
    assert!(actions.iter().any(|a| a["kind"] == "quickfix"));
    let all = actions
        .iter()
        .find(|a| a["kind"] == "source.fixAll.trls")
        .expect("fix all");
    assert!(all.get("edit").is_none(), "computed on resolve: {all}");
    let resolved = c.request("codeAction/resolve", all.clone()).await;
    let new_text = resolved["edit"]["changes"][u][0]["newText"]
        .as_str()
        .unwrap();
    assert!(
        new_text.contains("status: NOT_YET_RECRUITING\n"),
        "{resolved}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_data_from_an_older_version_is_never_used() {
    let (mut c, _) = Client::start(capabilities(false, false), None).await;
    let u = "file:///tmp/stale-fix.trial.yaml";
    let text = "trf: 1\nid: NCT06853522\ntitle: x\nstatus: NOT_YET_RECRUITNG\n";
    c.open(u, text).await;
    let old = c.diagnostics(u, 1).await;
    let mut old = old
        .into_iter()
        .find(|d| d["code"] == "TRF013")
        .expect("TRF013");
    assert_eq!(old["data"]["version"], 1, "{old}");
    assert_eq!(old["range"]["start"]["line"], 3);
    old["data"]["fix"]["title"] = json!("from version 1");
    // Two lines above it: the typo moves down, the old fix's range is wrong now.
    c.change(
        u,
        2,
        json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "# a\n# b\n"}]),
    )
    .await;
    let now = c.diagnostics(u, 2).await;
    let now = now.iter().find(|d| d["code"] == "TRF013").unwrap().clone();
    assert_eq!(now["range"]["start"]["line"], 5);
    let ask = |range: &Value, diags: Vec<Value>| json!({"textDocument": {"uri": u}, "range": range, "context": {"diagnostics": diags, "only": ["quickfix"]}});
    // The client still holds version 1's diagnostic: the fix comes from version 2's check.
    let actions = c
        .request(
            "textDocument/codeAction",
            ask(&now["range"], vec![old.clone()]),
        )
        .await;
    // The fixes (beside them: ignore on this line, the rule's documentation).
    let fixes = |actions: &Value| -> Vec<Value> {
        actions
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| {
                let t = a["title"].as_str().unwrap_or("");
                !t.starts_with("ignore ") && !t.starts_with("show documentation of ")
            })
            .cloned()
            .collect()
    };
    let actions = fixes(&actions);
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["title"], "replace with `NOT_YET_RECRUITING`");
    let edit = &actions[0]["edit"]["changes"][u][0];
    assert_eq!(edit["range"], now["range"]);
    assert_eq!(actions[0]["diagnostics"][0]["range"], now["range"]);
    // At its old range nothing of that code is found now: no fix at all.
    let actions = c
        .request(
            "textDocument/codeAction",
            ask(&old["range"], vec![old.clone()]),
        )
        .await;
    assert_eq!(actions, json!([]));
    // Data of the current version is used as sent, once even beside a stale copy.
    let mut current = now.clone();
    current["data"]["fix"]["title"] = json!("from version 2");
    let actions = c
        .request(
            "textDocument/codeAction",
            ask(&now["range"], vec![current, old]),
        )
        .await;
    let titles: Vec<Value> = fixes(&actions).iter().map(|a| a["title"].clone()).collect();
    assert_eq!(titles, [json!("from version 2")]);
}
