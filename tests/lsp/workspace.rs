//! Whole-workspace diagnostics (pulled, streamed, and published for closed records
//! with `trls.workspaceDiagnostics`) and the actions that teach (ignore on this line,
//! the rule's documentation), over the wire.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{json, Value};

use crate::common::compare;
use crate::harness::{capabilities, codes, scratch, uri, Client, MemFiles};

fn cases() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/lsp/cases")
}

/// The records of `cases/workspace/`, in memory at `/records/`.
fn workspace_files() -> MemFiles {
    let mut files = HashMap::new();
    for e in std::fs::read_dir(cases().join("workspace")).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_owned();
        files.insert(
            Path::new("/records").join(name),
            std::fs::read_to_string(&p).unwrap(),
        );
    }
    MemFiles(files)
}

/// Start a client on a workspace and wait until it is indexed.
async fn indexed(caps: Value, root: &Path, files: Option<MemFiles>) -> Client {
    let (mut c, _) = match files {
        Some(f) => Client::start_with(caps, Some(root), Arc::new(f)).await,
        None => Client::start(caps, Some(root)).await,
    };
    c.wait_for("$/progress", |p| p["value"]["kind"] == "end")
        .await;
    c
}

/// Each item's uri → (kind, codes).
fn by_uri(items: &Value) -> HashMap<String, (String, Vec<String>)> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let diags = i["items"].as_array().cloned().unwrap_or_default();
            (
                i["uri"].as_str().unwrap().to_string(),
                (i["kind"].as_str().unwrap().to_string(), codes(&diags)),
            )
        })
        .collect()
}

fn previous(items: &Value) -> Value {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| json!({"uri": i["uri"], "value": i["resultId"]}))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workspace_diagnostic_reports_every_record_never_opened_included() {
    // The whole answer, as a fixture: reports sorted by URI.
    let root = Path::new("/records");
    let mut c = indexed(capabilities(false, true), root, Some(workspace_files())).await;
    let answer = c
        .request("workspace/diagnostic", json!({"previousResultIds": []}))
        .await;
    let mut failures = Vec::new();
    compare(
        &cases().join("workspace.diagnostic.json"),
        &(serde_json::to_string_pretty(&answer).unwrap() + "\n"),
        &mut failures,
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    let reports = by_uri(&answer["items"]);
    assert_eq!(reports.len(), 3, "{answer:#}");
    let broken = "file:///records/NCT06853522.trial.yaml";
    assert_eq!(reports[broken].1, ["TRF105", "TRF013"]);
    assert_eq!(
        reports["file:///records/fine.trial.yaml"].1,
        Vec::<String>::new()
    );
    // Asked again with the result ids: nothing changed.
    let again = c
        .request(
            "workspace/diagnostic",
            json!({"previousResultIds": previous(&answer["items"])}),
        )
        .await;
    let reports = by_uri(&again["items"]);
    assert_eq!(reports.len(), 3, "{again:#}");
    assert!(reports.values().all(|(k, _)| k == "unchanged"), "{again:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workspace_diagnostic_follows_files_on_disk_and_open_documents() {
    let root = scratch("wsdiag");
    let text = std::fs::read_to_string(cases().join("workspace/NCT06853522.trial.yaml")).unwrap();
    let fine = std::fs::read_to_string(cases().join("workspace/fine.trial.yaml")).unwrap();
    let (pa, pb) = (
        root.join("NCT06853522.trial.yaml"),
        root.join("fine.trial.yaml"),
    );
    std::fs::write(&pa, &text).unwrap();
    std::fs::write(&pb, &fine).unwrap();
    let (ua, ub) = (uri(&pa), uri(&pb));
    let mut c = indexed(capabilities(false, true), &root, None).await;
    let first = c
        .request("workspace/diagnostic", json!({"previousResultIds": []}))
        .await;
    assert_eq!(
        by_uri(&first["items"])[&ua],
        ("full".into(), vec!["TRF013".into()])
    );

    // Fixed on disk: that file is full (and empty), the other unchanged.
    std::fs::write(&pa, text.replace("RECRUITNG", "RECRUITING")).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": ua, "type": 2}]}),
    )
    .await;
    let second = c
        .request(
            "workspace/diagnostic",
            json!({"previousResultIds": previous(&first["items"])}),
        )
        .await;
    let reports = by_uri(&second["items"]);
    assert_eq!(reports[&ua], ("full".into(), vec![]), "{second:#}");
    assert_eq!(reports[&ub].0, "unchanged", "{second:#}");

    // An open document is reported from its current text, with its version.
    c.open(&ub, &fine.replace("COMPLETED", "DONE")).await;
    let third = c
        .request(
            "workspace/diagnostic",
            json!({"previousResultIds": previous(&second["items"])}),
        )
        .await;
    let open = third["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["uri"] == ub.as_str())
        .unwrap();
    assert_eq!(open["version"], 1);
    assert_eq!(codes(open["items"].as_array().unwrap()), ["TRF013"]);

    // Deleted: the client's report of it is emptied.
    std::fs::remove_file(&pa).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": ua, "type": 3}]}),
    )
    .await;
    let fourth = c
        .request(
            "workspace/diagnostic",
            json!({"previousResultIds": [{"uri": ua, "value": "0000"}]}),
        )
        .await;
    assert_eq!(
        by_uri(&fourth["items"])[&ua],
        ("full".into(), vec![]),
        "{fourth:#}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workspace_diagnostic_streams_partial_results_with_progress() {
    let root = Path::new("/records");
    let mut c = indexed(capabilities(false, true), root, Some(workspace_files())).await;
    let fine = "file:///records/fine.trial.yaml";
    c.open(
        fine,
        &workspace_files().0[Path::new("/records/fine.trial.yaml")],
    )
    .await;
    c.backlog.clear();
    let answer = c
        .request(
            "workspace/diagnostic",
            json!({"previousResultIds": [], "partialResultToken": "part", "workDoneToken": "work"}),
        )
        .await;
    // The open document came first, as a partial result; the last batch (here the
    // closed records) is the answer.
    let streamed: Vec<Value> = c
        .backlog
        .iter()
        .filter(|m| m["method"] == "$/progress" && m["params"]["token"] == "part")
        .flat_map(|m| m["params"]["value"]["items"].as_array().unwrap().clone())
        .collect();
    let streamed = by_uri(&Value::Array(streamed));
    assert_eq!(
        streamed.keys().collect::<Vec<_>>(),
        [fine],
        "{:#?}",
        c.backlog
    );
    let answered = by_uri(&answer["items"]);
    assert_eq!(answered.len(), 2, "{answer:#}");
    assert_eq!(
        answered["file:///records/NCT06853522.trial.yaml"].1,
        ["TRF105", "TRF013"]
    );
    // Work-done progress on the client's token, from begin to end.
    let begin = c
        .wait_for("$/progress", |p| {
            p["token"] == "work" && p["value"]["kind"] == "begin"
        })
        .await;
    assert_eq!(begin["value"]["title"], "trls: checking the workspace");
    c.wait_for("$/progress", |p| {
        p["token"] == "work" && p["value"]["kind"] == "end"
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closed_records_are_published_only_with_the_setting() {
    let broken = "file:///records/NCT06853522.trial.yaml";
    // Off by default: only the open document is published.
    let root = Path::new("/records");
    let mut c = indexed(capabilities(false, false), root, Some(workspace_files())).await;
    let u = "file:///records/fine.trial.yaml";
    let fine = workspace_files().0[Path::new("/records/fine.trial.yaml")].clone();
    c.open(u, &fine).await;
    c.diagnostics(u, 1).await;
    c.request("workspace/symbol", json!({"query": ""})).await;
    assert!(
        !c.backlog
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == broken),
        "{:#?}",
        c.backlog
    );

    // With `trls.workspaceDiagnostics`, a record nobody opened is published.
    let (mut c, _) = Client::start_with(
        capabilities(false, false),
        Some(root),
        Arc::new(workspace_files()),
    )
    .await;
    c.settings = json!({"workspaceDiagnostics": true});
    let p = c
        .wait_for("textDocument/publishDiagnostics", |p| p["uri"] == broken)
        .await;
    assert_eq!(
        codes(p["diagnostics"].as_array().unwrap()),
        ["TRF105", "TRF013"]
    );
    assert!(p["version"].is_null());
    // Opened, it is the document's own check; closed again, the closed record's.
    let text = workspace_files().0[Path::new("/records/NCT06853522.trial.yaml")].clone();
    c.open(broken, &text.replace("RECRUITNG", "RECRUITING"))
        .await;
    let open = c.diagnostics(broken, 1).await;
    assert_eq!(codes(&open), ["TRF105"]);
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": broken}}),
    )
    .await;
    let p = c
        .wait_for("textDocument/publishDiagnostics", |p| {
            p["uri"] == broken
                && p["version"].is_null()
                && p["diagnostics"].as_array().unwrap().len() == 2
        })
        .await;
    assert_eq!(
        codes(p["diagnostics"].as_array().unwrap()),
        ["TRF105", "TRF013"]
    );
}

/// The edit of a code action titled `title` at `line`:`character`, applied by the
/// client; returns the new diagnostics.
async fn apply_action(c: &mut Client, u: &str, pos: Value, title: &str) -> Vec<Value> {
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": u}, "range": {"start": pos, "end": pos}, "context": {"diagnostics": []}}),
        )
        .await;
    let action = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == title)
        .unwrap_or_else(|| panic!("no `{title}` in {actions:#}"))
        .clone();
    let edits = action["edit"]["changes"][u].as_array().unwrap().clone();
    assert_eq!(edits.len(), 1);
    c.change(
        u,
        2,
        json!([{"range": edits[0]["range"], "text": edits[0]["newText"]}]),
    )
    .await;
    c.diagnostics(u, 2).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ignore_on_this_line_silences_the_finding_and_nothing_else() {
    let (mut c, _) = Client::start(capabilities(false, false), None).await;
    let u = "file:///tmp/ignore.trial.yaml";
    let text = std::fs::read_to_string(cases().join("workspace/NCT06853522.trial.yaml")).unwrap();
    let text = text.replace(
        "title: A",
        "title: A\nflavour: vanilla  # a key the format lacks\n# placeholder",
    );
    c.open(u, &text).await;
    let before = c.diagnostics(u, 1).await;
    assert_eq!(codes(&before), ["TRF011", "TRF013"]);
    // A trailing comment on the status line: only TRF013 goes.
    let after = apply_action(
        &mut c,
        u,
        json!({"line": 5, "character": 9}),
        "ignore TRF013 on this line",
    )
    .await;
    assert_eq!(
        codes(&after),
        ["TRF011"],
        "no TRF900: the suppression is used"
    );
    let server = c.document_text(u).await;
    let now = server["text"].as_str().unwrap();
    assert!(
        now.contains("status: RECRUITNG # trls: ignore[TRF013]\n"),
        "{now}"
    );
    // The unknown key's line has a comment: the suppression goes on the line before.
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": u}, "range": {"start": {"line": 3, "character": 1}, "end": {"line": 3, "character": 1}}, "context": {"diagnostics": []}}),
        )
        .await;
    let ignore = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "ignore TRF011 on this line")
        .unwrap();
    let edit = &ignore["edit"]["changes"][u][0];
    assert_eq!(edit["newText"], "# trls: ignore[TRF011]\n");
    assert_eq!(edit["range"]["start"], json!({"line": 3, "character": 0}));
    // JSON has no comments: documentation, but no ignore.
    let uj = "file:///tmp/ignore.trial.json";
    c.open(uj, "{\"trf\": 1, \"status\": \"RECRUITNG\"}").await;
    c.diagnostics(uj, 1).await;
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uj}, "range": {"start": {"line": 0, "character": 24}, "end": {"line": 0, "character": 24}}, "context": {"diagnostics": []}}),
        )
        .await;
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["title"].as_str())
        .collect();
    assert!(
        titles.contains(&"show documentation of TRF013"),
        "{titles:?}"
    );
    assert!(
        !titles.iter().any(|t| t.starts_with("ignore")),
        "{titles:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_documentation_of_a_rule_is_one_command_away() {
    let (mut c, init) = Client::start(capabilities(false, false), None).await;
    assert_eq!(
        init["capabilities"]["executeCommandProvider"]["commands"],
        json!(["trls.explain"])
    );
    let doc = c
        .request(
            "workspace/executeCommand",
            json!({"command": "trls.explain", "arguments": ["TRF013"]}),
        )
        .await;
    assert_eq!(doc, trls::codes::Code::UnknownTerm.meta().doc);
    // By name or by the codeDescription's URI too.
    for arg in ["unknown-term", "trls:explain/TRF013"] {
        let by = c
            .request(
                "workspace/executeCommand",
                json!({"command": "trls.explain", "arguments": [arg]}),
            )
            .await;
        assert_eq!(by, doc);
    }
    // A bad argument is an error, and the server goes on.
    let bad = c
        .request_raw(
            "workspace/executeCommand",
            json!({"command": "trls.explain", "arguments": ["TRF999"]}),
        )
        .await;
    assert!(bad.get("error").is_some(), "{bad}");
    // Every diagnostic links to its documentation.
    let u = "file:///tmp/doc.trial.yaml";
    c.open(u, "trf: 1\nstatus: RECRUITNG\n").await;
    let diags = c.diagnostics(u, 1).await;
    assert!(!diags.is_empty());
    for d in &diags {
        assert_eq!(
            d["codeDescription"]["href"],
            format!("trls:explain/{}", d["code"].as_str().unwrap())
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readable_names_go_to_label_details_or_else_the_detail() {
    let text = "trf: 1\ninterventions:\n  - id: exo\n    route: INH\n";
    let pos = json!({"line": 3, "character": 14});
    let mut caps = capabilities(false, false);
    for label_details in [true, false] {
        caps["textDocument"]["completion"]["completionItem"]["labelDetailsSupport"] =
            json!(label_details);
        let (mut c, _) = Client::start(caps.clone(), None).await;
        let u = "file:///tmp/labels.trial.yaml";
        c.open(u, text).await;
        c.diagnostics(u, 1).await;
        let list = c
            .request(
                "textDocument/completion",
                json!({"textDocument": {"uri": u}, "position": pos}),
            )
            .await;
        let item = |label: &str| {
            list["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["label"] == label)
                .unwrap()
                .clone()
        };
        let (inh, iv) = (item("INHALATION"), item("INTRAVENOUS"));
        // A name that only repeats the id is not shown at all.
        assert!(
            iv.get("labelDetails").is_none() && iv.get("detail").is_none(),
            "{iv}"
        );
        let name = inh["labelDetails"]["description"].clone();
        if label_details {
            assert!(name.is_string(), "{inh}");
            assert!(inh.get("detail").is_none(), "{inh}");
        } else {
            assert!(name.is_null(), "{inh}");
            assert!(inh["detail"].is_string(), "{inh}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_workspace_gets_progress_and_a_second_pull_is_all_unchanged() {
    let text = std::fs::read_to_string(cases().join("workspace/fine.trial.yaml")).unwrap();
    let mut files = HashMap::new();
    for i in 0..300 {
        let id = format!("NCT{:08}", 10_000_000 + i);
        let mut t = text.replace("NCT02442037", &id);
        if i % 50 == 0 {
            t = t.replace("COMPLETED", "COMPLETE");
        }
        files.insert(PathBuf::from(format!("/big/{id}.trial.yaml")), t);
    }
    let root = Path::new("/big");
    let mut c = indexed(capabilities(false, true), root, Some(MemFiles(files))).await;
    c.backlog.clear();
    let started = std::time::Instant::now();
    let first = c
        .request(
            "workspace/diagnostic",
            json!({"previousResultIds": [], "partialResultToken": "big"}),
        )
        .await;
    let took = started.elapsed();
    // Streamed in batches; every record once, in the batches and the answer.
    let mut all: Vec<Value> = c
        .backlog
        .iter()
        .filter(|m| m["method"] == "$/progress" && m["params"]["token"] == "big")
        .flat_map(|m| m["params"]["value"]["items"].as_array().unwrap().clone())
        .collect();
    assert!(all.len() >= 200, "most records are streamed: {}", all.len());
    all.extend(first["items"].as_array().unwrap().iter().cloned());
    let first = json!({"items": all});
    let reports = by_uri(&first["items"]);
    assert_eq!(reports.len(), 300);
    assert_eq!(first["items"].as_array().unwrap().len(), 300);
    let broken = reports.values().filter(|(_, c)| c == &["TRF013"]).count();
    assert_eq!(broken, 6);
    // No token given: the server made its own progress, from begin to end.
    let created = c
        .backlog
        .iter()
        .any(|m| m["method"] == "window/workDoneProgress/create");
    assert!(created, "{:#?}", c.backlog);
    let started = std::time::Instant::now();
    let second = c
        .request(
            "workspace/diagnostic",
            json!({"previousResultIds": previous(&first["items"])}),
        )
        .await;
    let again = started.elapsed();
    assert!(by_uri(&second["items"])
        .values()
        .all(|(k, _)| k == "unchanged"));
    println!("300 closed records: first pull {took:?}, second (unchanged) {again:?}");
}
