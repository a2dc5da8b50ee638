//! The language server over the wire: sync, diagnostics, encodings, workspace,
//! configuration, code actions and robustness. Editor features read from
//! cursor-marked fixtures are in `features.rs`.

#[path = "../common/mod.rs"]
mod common;
mod features;
mod harness;
mod instant;
mod presentation;
mod robust;
mod storm;
mod workspace;

use harness::{capabilities, codes, scratch, uri, Client, MemFiles};
use serde_json::json;

const RECORD: &str = "trf: 1
id: NCT06853522
title: 间充质干细胞外泌体
status: NOT_YET_RECRUITNG
study_type: OBSERVATIONAL
conditions: [Ulcerative Colitis]
enrollment: {count: 40, type: ESTIMATED}
dates: {start: 2025-05-30}
sources:
  - {id: ctgov, kind: REGISTRY, registry_id: NCT06853522}
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn negotiates_utf8_when_offered_else_utf16() {
    let (_c, init) = Client::start(capabilities(true, false), None).await;
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    let (_c, init) = Client::start(capabilities(false, false), None).await;
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(
        init["capabilities"]["textDocumentSync"], 2,
        "incremental sync"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publishes_versioned_diagnostics_with_positions_in_the_negotiated_encoding() {
    // A Chinese title before the error: columns differ between encodings.
    let text = "trf: 1\nid: NCT06853522\ntitle: 间充质干细胞外泌体 x: y\n";
    let line = text.lines().nth(2).unwrap();
    let at = line.find(": y").unwrap();
    let utf16 = line[..at].encode_utf16().count();
    for (utf8, col) in [(false, utf16), (true, at)] {
        let (mut c, _) = Client::start(capabilities(utf8, false), None).await;
        let u = "file:///tmp/enc.trial.yaml";
        c.open(u, text).await;
        let diags = c.diagnostics(u, 1).await;
        let d = diags
            .iter()
            .find(|d| d["code"] == "TRF001")
            .expect("TRF001");
        assert_eq!(
            d["range"]["start"],
            json!({"line": 2, "character": col}),
            "utf8={utf8}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn incremental_changes_update_diagnostics_and_stale_results_are_never_published() {
    let (mut c, _) = Client::start(capabilities(false, false), None).await;
    let u = "file:///tmp/sync.trial.yaml";
    c.open(u, RECORD).await;
    let first = c.diagnostics(u, 1).await;
    assert_eq!(codes(&first), ["TRF013"]);
    // Fix the typo in three quick edits (versions 2..4): "RECRUITNG" → "RECRUITING".
    let line = 3;
    let col = "status: NOT_YET_RECRUIT".chars().count() as u32;
    c.change(u, 2, json!([{"range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col}}, "text": "I"}])).await;
    c.change(u, 3, json!([{"range": {"start": {"line": 2, "character": 7}, "end": {"line": 2, "character": 16}}, "text": "外泌体"}])).await;
    c.change(u, 4, json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "# edited\n"}])).await;
    let last = c.diagnostics(u, 4).await;
    assert!(last.is_empty(), "{last:?}");
    // Every publication for this document is at a version no older than the one before.
    let versions: Vec<i64> = c
        .backlog
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == u)
        .map(|m| m["params"]["version"].as_i64().unwrap())
        .collect();
    assert!(versions.windows(2).all(|w| w[0] <= w[1]), "{versions:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pull_diagnostics_when_the_client_supports_them() {
    let (mut c, init) = Client::start(capabilities(false, true), None).await;
    assert_eq!(
        init["capabilities"]["diagnosticProvider"]["workspaceDiagnostics"],
        true
    );
    let u = "file:///tmp/pull.trial.yaml";
    c.open(u, RECORD).await;
    let report = c
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": u}}),
        )
        .await;
    assert_eq!(report["kind"], "full");
    assert_eq!(codes(report["items"].as_array().unwrap()), ["TRF013"]);
    let ws = c
        .request("workspace/diagnostic", json!({"previousResultIds": []}))
        .await;
    assert_eq!(ws["items"][0]["uri"], u);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quick_fix_and_fix_all_code_actions() {
    let (mut c, _) = Client::start(capabilities(false, false), None).await;
    let u = "file:///tmp/fix.trial.yaml";
    c.open(u, RECORD).await;
    let diags = c.diagnostics(u, 1).await;
    let range = diags[0]["range"].clone();
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": u}, "range": range, "context": {"diagnostics": diags}}),
        )
        .await;
    let actions = actions.as_array().unwrap();
    let quick = actions
        .iter()
        .find(|a| a["kind"] == "quickfix")
        .expect("quickfix");
    assert_eq!(quick["title"], "replace with `NOT_YET_RECRUITING`");
    let edit = &quick["edit"]["changes"][u][0];
    assert_eq!(edit["newText"], "NOT_YET_RECRUITING");
    assert_eq!(edit["range"], range);
    let all = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": u}, "range": range, "context": {"diagnostics": [], "only": ["source.fixAll.trls"]}}),
        )
        .await;
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["kind"], "source.fixAll.trls");
    let text = all[0]["edit"]["changes"][u][0]["newText"].as_str().unwrap();
    assert!(text.contains("status: NOT_YET_RECRUITING\n"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tags_and_related_information() {
    let (mut c, _) = Client::start(capabilities(false, false), None).await;
    let u = "file:///tmp/tags.trial.yaml";
    let text = RECORD.replace(
        "status: NOT_YET_RECRUITNG",
        "status: NOT_YET_RECRUITING\ntitle: again",
    );
    c.open(u, &text).await;
    let diags = c.diagnostics(u, 1).await;
    let dup = diags
        .iter()
        .find(|d| d["code"] == "TRF002")
        .expect("TRF002");
    assert_eq!(
        dup["relatedInformation"][0]["location"]["range"]["start"]["line"],
        2
    );
    let unused = "trf: 1
id: NCT06853522
title: x
status: NOT_YET_RECRUITING
study_type: INTERVENTIONAL
phases: [PHASE1]
conditions: [UC]
product: {modality: EXOSOMES, cell_source: UMBILICAL_CORD}
design: {allocation: NON_RANDOMIZED, intervention_model: SINGLE_GROUP, masking: NONE}
enrollment: {count: 4, type: ESTIMATED}
dates: {start: 2025-05-30}
arms:
  - {id: a, type: EXPERIMENTAL, label: A, interventions: [x]}
interventions:
  - {id: x, type: BIOLOGICAL, name: X}
  - {id: y, type: OTHER, name: Y}
sources:
  - {id: ctgov, kind: REGISTRY, registry_id: NCT06853522}
";
    let u2 = "file:///tmp/unused.trial.yaml";
    c.open(u2, unused).await;
    let diags = c.diagnostics(u2, 1).await;
    let d = diags
        .iter()
        .find(|d| d["code"] == "TRF109")
        .expect("TRF109");
    assert_eq!(d["tags"], json!([1]), "Unnecessary tag");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn indexes_the_workspace_with_progress_and_follows_watched_files() {
    let root = scratch("ws");
    let a = RECORD
        .replace("NOT_YET_RECRUITNG", "NOT_YET_RECRUITING")
        .replace("sources:", "related: [NCT02442037]\nsources:");
    std::fs::write(root.join("a.trial.yaml"), &a).unwrap();
    let (mut c, _) = Client::start(capabilities(false, false), Some(&root)).await;
    // Progress: begin … end.
    c.wait_for("$/progress", |p| p["value"]["kind"] == "end")
        .await;
    let ua = uri(&root.join("a.trial.yaml"));
    c.open(&ua, &a).await;
    let diags = c.diagnostics(&ua, 1).await;
    assert_eq!(
        codes(&diags),
        ["TRF108"],
        "the related trial is not recorded yet"
    );
    // A file that is not open appears on disk: the related trial is now recorded.
    let b = RECORD
        .replace("NOT_YET_RECRUITNG", "COMPLETED")
        .replace("NCT06853522", "NCT02442037");
    let pb = root.join("b.trial.yaml");
    std::fs::write(&pb, &b).unwrap();
    c.backlog.clear();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&pb), "type": 1}]}),
    )
    .await;
    let diags = c.diagnostics(&ua, 1).await;
    assert!(diags.is_empty(), "{diags:?}");
    // Workspace symbols find records that are not open, by id or title.
    let syms = c
        .request("workspace/symbol", json!({"query": "NCT0244"}))
        .await;
    assert_eq!(syms[0]["name"], "NCT02442037");
    assert_eq!(syms[0]["location"]["uri"], uri(&pb));
}

/// Files in memory whose first read of `held` returns its text of that moment, then
/// waits for `release` before handing it over: workspace indexing holds an old
/// text while the file changes.
struct HeldFiles {
    texts: std::sync::Mutex<std::collections::HashMap<std::path::PathBuf, String>>,
    held: std::path::PathBuf,
    reading: std::sync::Mutex<Option<std::sync::mpsc::Sender<()>>>,
    release: std::sync::Mutex<Option<std::sync::mpsc::Receiver<()>>>,
}

impl trls::lsp::Files for HeldFiles {
    fn read(&self, path: &std::path::Path) -> Option<Vec<u8>> {
        let text = self.texts.lock().unwrap().get(path).cloned();
        if path == self.held {
            let (reading, release) = (
                self.reading.lock().unwrap().take(),
                self.release.lock().unwrap().take(),
            );
            if let (Some(reading), Some(release)) = (reading, release) {
                let _ = reading.send(());
                let _ = release.recv_timeout(std::time::Duration::from_secs(30));
            }
        }
        text.map(String::into_bytes)
    }

    fn exists(&self, path: &std::path::Path) -> bool {
        self.texts.lock().unwrap().contains_key(path)
    }

    fn records(&self, roots: &[std::path::PathBuf]) -> Vec<std::path::PathBuf> {
        let mut found: Vec<_> = self
            .texts
            .lock()
            .unwrap()
            .keys()
            .filter(|p| roots.iter().any(|r| p.starts_with(r)))
            .filter(|p| trls::workspace::is_record(p))
            .cloned()
            .collect();
        found.sort();
        found
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn indexing_does_not_replace_a_file_changed_while_it_ran() {
    let root = std::path::PathBuf::from("/nonexistent-trls-memory/held");
    let path = root.join("a.trial.yaml");
    let (reading, read_started) = std::sync::mpsc::channel();
    let (release, released) = std::sync::mpsc::channel();
    let files = std::sync::Arc::new(HeldFiles {
        texts: std::sync::Mutex::new([(path.clone(), RECORD.to_string())].into()),
        held: path.clone(),
        reading: std::sync::Mutex::new(Some(reading)),
        release: std::sync::Mutex::new(Some(released)),
    });
    let (mut c, _) =
        Client::start_with(capabilities(false, false), Some(&root), files.clone()).await;
    // Indexing has read the old text and holds it (the server's requests before it
    // are answered meanwhile).
    c.wait_for("$/progress", |p| p["value"]["kind"] == "begin")
        .await;
    tokio::task::spawn_blocking(move || {
        read_started.recv_timeout(std::time::Duration::from_secs(30))
    })
    .await
    .unwrap()
    .expect("indexing reads the record");
    // The file changes (another id) and the watcher says so before indexing ends.
    let new = RECORD.replace("id: NCT06853522", "id: NCT02442037");
    files.texts.lock().unwrap().insert(path.clone(), new);
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&path), "type": 2}]}),
    )
    .await;
    let ids = |syms: &serde_json::Value| -> Vec<String> {
        syms.as_array()
            .map(|a| {
                a.iter()
                    .map(|s| s["name"].as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut seen = Vec::new();
    for _ in 0..200 {
        seen = ids(&c.request("workspace/symbol", json!({"query": "NCT"})).await);
        if seen == ["NCT02442037"] {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_eq!(seen, ["NCT02442037"], "the watched change is in the index");
    // Indexing ends with its older read: the watched change stays.
    release.send(()).unwrap();
    c.wait_for("$/progress", |p| p["value"]["kind"] == "end")
        .await;
    let syms = c.request("workspace/symbol", json!({"query": "NCT"})).await;
    assert_eq!(ids(&syms), ["NCT02442037"], "{syms}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicate_records_update_in_every_open_file() {
    let root = scratch("dup");
    let text = RECORD.replace("NOT_YET_RECRUITNG", "NOT_YET_RECRUITING");
    let (mut c, _) = Client::start(capabilities(false, false), Some(&root)).await;
    let (u1, u2) = (
        uri(&root.join("one.trial.yaml")),
        uri(&root.join("two.trial.yaml")),
    );
    c.open(&u1, &text).await;
    assert!(c.diagnostics(&u1, 1).await.is_empty());
    c.open(&u2, &text).await;
    let d2 = c.diagnostics(&u2, 1).await;
    assert_eq!(codes(&d2), ["TRF105"], "{:#?}", c.backlog);
    // The first file learns about the second without being edited.
    let again = c
        .wait_for("textDocument/publishDiagnostics", |p| {
            p["uri"] == u1.as_str() && !p["diagnostics"].as_array().unwrap().is_empty()
        })
        .await;
    assert_eq!(codes(again["diagnostics"].as_array().unwrap()), ["TRF105"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_from_workspace_configuration() {
    let (mut c, _) = Client::start(capabilities(false, false), None).await;
    c.settings = json!({"rules": {"TRF013": "off"}});
    c.notify("workspace/didChangeConfiguration", json!({"settings": {}}))
        .await;
    let u = "file:///tmp/settings.trial.yaml";
    // Wait until the server has asked for the new settings.
    c.wait_for("workspace/configuration", |_| true).await;
    c.wait_for("workspace/configuration", |_| true).await;
    c.open(u, RECORD).await;
    assert!(c.diagnostics(u, 1).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_take_rule_prefixes_and_name_bad_keys() {
    let (mut c, _) = Client::start(capabilities(false, false), None).await;
    // `TRF0` switches off every TRF0xx (the record's TRF013); `TRF77` is no rule key.
    c.settings = json!({"rules": {"TRF0": "off", "TRF77": "off"}});
    c.notify("workspace/didChangeConfiguration", json!({"settings": {}}))
        .await;
    let said = c
        .wait_for("window/showMessage", |p| {
            p["message"].as_str().is_some_and(|m| m.contains("`TRF77`"))
        })
        .await;
    assert_eq!(said["type"], 2, "{said}");
    let u = "file:///tmp/settings-prefix.trial.yaml";
    c.open(u, RECORD).await;
    assert!(c.diagnostics(u, 1).await.is_empty(), "{:#?}", c.backlog);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_get_errors_and_the_server_goes_on() {
    let (mut c, _) = Client::start(capabilities(false, true), None).await;
    let resp = c
        .request_raw(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": "file:///nowhere.trial.yaml"}}),
        )
        .await;
    assert!(resp.get("error").is_some(), "{resp}");
    let resp = c
        .request_raw("textDocument/codeAction", json!({"nonsense": true}))
        .await;
    assert!(resp.get("error").is_some(), "{resp}");
    let resp = c.request_raw("trls/unknownMethod", json!({})).await;
    assert!(resp.get("error").is_some(), "{resp}");
    // Out-of-range positions are clamped, not fatal.
    let u = "file:///tmp/range.trial.yaml";
    c.open(u, RECORD).await;
    let far =
        json!({"start": {"line": 999, "character": 999}, "end": {"line": 1000, "character": 0}});
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": u}, "range": far, "context": {"diagnostics": []}}),
        )
        .await;
    assert!(actions.is_array());
    // Still serving.
    let report = c
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": u}}),
        )
        .await;
    assert_eq!(report["kind"], "full");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registry_ids_navigate_and_rename_across_records_including_closed_files() {
    let root = scratch("xrename");
    let ok = RECORD.replace("NOT_YET_RECRUITNG", "NOT_YET_RECRUITING");
    let a = ok.replace("sources:", "related: [NCT02442037]\nsources:");
    let b = ok.replace("NCT06853522", "NCT02442037");
    let (pa, pb) = (root.join("a.trial.yaml"), root.join("b.trial.yaml"));
    std::fs::write(&pa, &a).unwrap();
    std::fs::write(&pb, &b).unwrap();
    let (mut c, _) = Client::start(capabilities(false, false), Some(&root)).await;
    c.wait_for("$/progress", |p| p["value"]["kind"] == "end")
        .await;
    let ua = uri(&pa);
    c.open(&ua, &a).await;
    c.diagnostics(&ua, 1).await;
    // `related: [NCT02442037]` is line 8; the id starts at column 10.
    let at = json!({"textDocument": {"uri": ua}, "position": {"line": 8, "character": 12}});
    let def = c.request("textDocument/definition", at.clone()).await;
    assert_eq!(def[0]["uri"], uri(&pb), "{def}");
    assert_eq!(def[0]["range"]["start"], json!({"line": 1, "character": 4}));
    let mut params = at;
    params["newName"] = json!("NCT02442038");
    let edit = c.request("textDocument/rename", params).await;
    let changes = edit["changes"].as_object().unwrap();
    assert!(changes.contains_key(&ua), "{edit}");
    let in_b = changes
        .get(&uri(&pb))
        .expect("the closed file is edited too");
    // b's `id` and its source's `registry_id`.
    assert_eq!(in_b.as_array().unwrap().len(), 2, "{edit}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trls_toml_is_reloaded_when_it_changes() {
    let root = scratch("toml");
    std::fs::write(root.join("trls.toml"), "[rules]\nTRF013 = \"warning\"\n").unwrap();
    let (mut c, _) = Client::start(capabilities(false, false), Some(&root)).await;
    c.wait_for("$/progress", |p| p["value"]["kind"] == "end")
        .await;
    let u = uri(&root.join("a.trial.yaml"));
    c.open(&u, RECORD).await;
    let d = c.diagnostics(&u, 1).await;
    assert_eq!(d[0]["severity"], 2, "warning from trls.toml: {d:?}");
    std::fs::write(root.join("trls.toml"), "[rules]\nTRF013 = \"off\"\n").unwrap();
    c.backlog.clear();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&root.join("trls.toml")), "type": 2}]}),
    )
    .await;
    assert!(c.diagnostics(&u, 1).await.is_empty());
    // A bad trls.toml is a diagnostic on trls.toml, with its line.
    std::fs::write(root.join("trls.toml"), "[rules]\nTRF013 = \"loud\"\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&root.join("trls.toml")), "type": 2}]}),
    )
    .await;
    let toml = uri(&root.join("trls.toml"));
    let p = c
        .wait_for("textDocument/publishDiagnostics", |p| {
            p["uri"] == toml.as_str() && !p["diagnostics"].as_array().unwrap().is_empty()
        })
        .await;
    assert_eq!(p["diagnostics"][0]["range"]["start"]["line"], 1);
    assert!(p["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .contains("loud"));
}

/// TRF12x in the editor: a record is judged against the snapshots of its
/// `trls.toml`'s `[registry]` folder, and a snapshot changed on disk is seen.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registry_snapshots_are_read_and_reread_when_they_change() {
    let root = scratch("registry");
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    std::fs::write(
        root.join("trls.toml"),
        "[registry]\nsnapshots = \"registry/\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("registry")).unwrap();
    let snapshot = std::fs::read_to_string(fixtures.join("registry/NCT01775774.json")).unwrap();
    std::fs::write(root.join("registry/NCT01775774.json"), &snapshot).unwrap();
    let record =
        std::fs::read_to_string(fixtures.join("TRF120/quiet-same-facts-finer-date.trial.yaml"))
            .unwrap();
    let (mut c, _) = Client::start(capabilities(false, false), Some(&root)).await;
    c.wait_for("$/progress", |p| p["value"]["kind"] == "end")
        .await;
    let u = uri(&root.join("NCT01775774.trial.yaml"));
    c.open(&u, &record).await;
    let codes = |d: &[serde_json::Value]| -> Vec<String> {
        d.iter()
            .filter_map(|d| d["code"].as_str())
            .filter(|c| c.starts_with("TRF12"))
            .map(String::from)
            .collect()
    };
    let d = c.diagnostics(&u, 1).await;
    assert!(codes(&d).is_empty(), "agrees with its snapshot: {d:?}");
    // The registry moves on: a newer entry with another status.
    let newer = snapshot
        .replace(
            "\"overallStatus\": \"COMPLETED\"",
            "\"overallStatus\": \"TERMINATED\"",
        )
        .replace("2017-08-14", "2018-01-09");
    std::fs::write(root.join("registry/NCT01775774.json"), newer).unwrap();
    c.backlog.clear();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&root.join("registry/NCT01775774.json")), "type": 2}]}),
    )
    .await;
    let d = c.diagnostics(&u, 1).await;
    assert_eq!(codes(&d), ["TRF120", "TRF121"], "{d:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_duplicate_record_names_the_other_file_at_its_id_in_that_files_own_lines() {
    // The other record is JSON with a Chinese title before its `id` on the same line:
    // a wrong encoding or another file's line index would show in the column.
    let other = "{\"trf\": 1, \"title\": \"间充质干细胞外泌体\", \"id\": \"NCT06853522\",\n \"status\": \"NOT_YET_RECRUITING\"}\n";
    let text = RECORD.replace("NOT_YET_RECRUITNG", "NOT_YET_RECRUITING");
    let first = other.lines().next().unwrap();
    let at = first.find("\"NCT06853522\"").unwrap();
    let end = at + "\"NCT06853522\"".len();
    let utf16 = |b: usize| first[..b].encode_utf16().count();
    for utf8 in [false, true] {
        let col = |b: usize| if utf8 { b } else { utf16(b) };
        let root = scratch(&format!("related-{utf8}"));
        let (pa, pb) = (root.join("a.trial.json"), root.join("b.trial.yaml"));
        std::fs::write(&pa, other).unwrap();
        let (mut c, _) = Client::start(capabilities(utf8, false), Some(&root)).await;
        c.wait_for("$/progress", |p| p["value"]["kind"] == "end")
            .await;
        let (ua, ub) = (uri(&pa), uri(&pb));
        let related_of = |diags: &[serde_json::Value]| {
            let d = diags
                .iter()
                .find(|d| d["code"] == "TRF105")
                .unwrap_or_else(|| panic!("TRF105: {diags:?}"));
            d["relatedInformation"][0].clone()
        };
        // The other record on disk only: read through the session's files.
        c.open(&ub, &text).await;
        let rel = related_of(&c.diagnostics(&ub, 1).await);
        assert_eq!(rel["location"]["uri"], ua, "utf8={utf8}: {rel}");
        assert_eq!(
            rel["location"]["range"],
            json!({"start": {"line": 0, "character": col(at)}, "end": {"line": 0, "character": col(end)}}),
            "utf8={utf8}"
        );
        assert!(rel["message"]
            .as_str()
            .unwrap()
            .contains("also recorded here"));
        // Gone from disk (unannounced): the location stays, at the file's start.
        std::fs::remove_file(&pa).unwrap();
        c.change(&ub, 2, json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "# edited\n"}])).await;
        let rel = related_of(&c.diagnostics(&ub, 2).await);
        assert_eq!(rel["location"]["uri"], ua, "utf8={utf8}: {rel}");
        assert_eq!(
            rel["location"]["range"],
            json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}),
            "utf8={utf8}"
        );
        // Both open: the other document's own text (here one line lower than it was).
        c.backlog.clear();
        c.open(&ua, &format!("\n{other}")).await;
        let p = c
            .wait_for("textDocument/publishDiagnostics", |p| {
                p["uri"] == ub.as_str()
                    && p["diagnostics"].as_array().unwrap().iter().any(|d| {
                        d["relatedInformation"][0]["location"]["range"]["start"]["line"] == 1
                    })
            })
            .await;
        let rel = related_of(p["diagnostics"].as_array().unwrap());
        assert_eq!(rel["location"]["uri"], ua, "utf8={utf8}: {rel}");
        assert_eq!(
            rel["location"]["range"],
            json!({"start": {"line": 1, "character": col(at)}, "end": {"line": 1, "character": col(end)}}),
            "utf8={utf8}"
        );
        // And the open other document names this one at its `id` (line 1, column 4).
        let d = c.diagnostics(&ua, 1).await;
        let rel = related_of(&d);
        assert_eq!(rel["location"]["uri"], ub, "utf8={utf8}: {rel}");
        assert_eq!(
            rel["location"]["range"]["start"],
            json!({"line": 2, "character": 4}),
            "utf8={utf8}: b has a comment line above its id now"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trls_toml_is_found_and_read_through_the_session_files() {
    // Nothing of this exists on disk: the configuration can only come from `Files`.
    let root = std::path::PathBuf::from("/nonexistent-trls-memory/records");
    let nested = root.join("deep/er");
    let files = MemFiles(
        [
            (
                root.join("trls.toml"),
                "[rules]\nTRF013 = \"warning\"\n".to_string(),
            ),
            (
                nested.join("trls.toml"),
                "[rules]\nTRF013 = \"loud\"\n".to_string(),
            ),
        ]
        .into_iter()
        .collect(),
    );
    assert!(!root.exists());
    let (mut c, _) =
        Client::start_with(capabilities(false, false), None, std::sync::Arc::new(files)).await;
    let u = uri(&root.join("deep/a.trial.yaml"));
    c.open(&u, RECORD).await;
    let d = c.diagnostics(&u, 1).await;
    assert_eq!(codes(&d), ["TRF013"]);
    assert_eq!(
        d[0]["severity"], 2,
        "warning from the nearest trls.toml: {d:?}"
    );
    // A bad trls.toml nearer to another record is reported on that trls.toml.
    let u2 = uri(&nested.join("b.trial.yaml"));
    c.open(&u2, RECORD).await;
    let d = c.diagnostics(&u2, 1).await;
    assert_eq!(d[0]["severity"], 1, "defaults under a bad trls.toml: {d:?}");
    let toml = uri(&nested.join("trls.toml"));
    let p = c
        .wait_for("textDocument/publishDiagnostics", |p| {
            p["uri"] == toml.as_str() && !p["diagnostics"].as_array().unwrap().is_empty()
        })
        .await;
    assert_eq!(p["diagnostics"][0]["range"]["start"]["line"], 1);
    assert!(p["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .contains("loud"));
}
