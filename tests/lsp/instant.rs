//! Instant edits (issue 10): when a document is checked (at once when its checks are
//! cheap, after a pause in typing growing with their cost), which other documents an
//! edit re-checks (only those whose cross-record findings may have changed), stale
//! results, and start-up indexing in the background with progress. Behaviour is
//! read from the server's `$/logTrace` (asked for with `trace: "verbose"`) and the
//! order of its messages, never from timings.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};

use serde_json::{json, Value};

use super::harness::{capabilities, codes, uri, Client, MemFiles};

const RECORD: &str = "trf: 1
id: NCT06853522
title: Exosomes in ulcerative colitis
status: NOT_YET_RECRUITING
study_type: OBSERVATIONAL
conditions: [Ulcerative Colitis]
enrollment: {count: 40, type: ESTIMATED}
dates: {start: 2025-05-30}
sources:
  - {id: ctgov, kind: REGISTRY, registry_id: NCT06853522}
";

fn other_record() -> String {
    RECORD
        .replace("NCT06853522", "NCT00000102")
        .replace("Exosomes", "Cells")
}

/// A started server that traces its decisions (`trace: "verbose"`).
async fn traced(files: Arc<dyn trls::lsp::Files>, root: Option<&Path>) -> Client {
    let mut c = Client::connect(files);
    let folders = root
        .map(|r| json!([{"uri": uri(r), "name": "records"}]))
        .unwrap_or(Value::Null);
    c.request(
        "initialize",
        json!({"capabilities": capabilities(false, false), "workspaceFolders": folders,
               "processId": null, "trace": "verbose"}),
    )
    .await;
    c.notify("initialized", json!({})).await;
    c
}

fn no_files() -> Arc<dyn trls::lsp::Files> {
    Arc::new(MemFiles(HashMap::new()))
}

/// A check the server traced: `(cost, debounce before it, debounce it sets for
/// typing, facts changed)`
/// in microseconds.
struct Check {
    cost: u64,
    waited: u64,
    next: u64,
    changed: bool,
}

fn parse_check(message: &str) -> Check {
    let number = |after: &str| -> u64 {
        let at = message
            .find(after)
            .unwrap_or_else(|| panic!("{after:?} in {message}"));
        message[at + after.len()..]
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    Check {
        cost: number(" in "),
        waited: number("after a debounce of "),
        next: number("debounce while typing "),
        changed: message.ends_with("cross-record facts changed: yes"),
    }
}

/// The trace of the check of `u` at `version`.
async fn checked(c: &mut Client, u: &str, version: i64) -> Check {
    let prefix = format!("trls: checked {u} version {version} ");
    let p = c
        .wait_for("$/logTrace", |p| {
            p["message"]
                .as_str()
                .is_some_and(|m| m.starts_with(&prefix))
        })
        .await;
    parse_check(p["message"].as_str().unwrap())
}

/// The debounce the server documents: none under 10 ms, else half the cost, at most
/// 300 ms.
fn expected_debounce(cost_us: u64) -> u64 {
    if cost_us < 10_000 {
        0
    } else {
        (cost_us / 2).min(300_000)
    }
}

fn insert_at_top(text: &str) -> Value {
    json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": text}])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_after_the_last_check_are_checked_at_once_and_the_debounce_follows_cost() {
    let mut c = traced(no_files(), None).await;
    let u = "file:///tmp/instant/cheap.trial.yaml";
    c.open(u, RECORD).await;
    let first = codes(&c.diagnostics(u, 1).await);
    let mut previous = checked(&mut c, u, 1).await;
    assert_eq!(previous.waited, 0, "the first check runs at once");
    for version in 2..=6 {
        let edit = if version % 2 == 0 { "# a\n" } else { "" };
        let change = if edit.is_empty() {
            json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 0}}, "text": ""}])
        } else {
            insert_at_top(edit)
        };
        c.change(u, version, change).await;
        assert_eq!(codes(&c.diagnostics(u, version).await), first);
        let now = checked(&mut c, u, version).await;
        // The debounce for typing follows the documented formula; but each change
        // here is sent after the previous one's check was published, so changes come
        // further apart than checks cost, and each is checked at once.
        assert_eq!(previous.next, expected_debounce(previous.cost));
        assert_eq!(now.waited, 0, "version {version}");
        previous = now;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_changing_a_duplicate_id_updates_the_other_document() {
    let mut c = traced(no_files(), None).await;
    let (a, b) = (
        "file:///tmp/instant/dup-a.trial.yaml",
        "file:///tmp/instant/dup-b.trial.yaml",
    );
    c.open(a, RECORD).await;
    assert!(c.diagnostics(a, 1).await.is_empty());
    c.open(b, &other_record()).await;
    assert!(c.diagnostics(b, 1).await.is_empty());
    // `a` takes `b`'s id: both are the same trial now.
    c.change(a, 2, json!([{"range": {"start": {"line": 1, "character": 4}, "end": {"line": 1, "character": 15}}, "text": "NCT00000102"}])).await;
    assert!(codes(&c.diagnostics(a, 2).await).contains(&"TRF105".to_string()));
    assert!(checked(&mut c, a, 2).await.changed);
    let p = c
        .wait_for("textDocument/publishDiagnostics", |p| {
            p["uri"] == b && !p["diagnostics"].as_array().unwrap().is_empty()
        })
        .await;
    assert_eq!(codes(p["diagnostics"].as_array().unwrap()), ["TRF105"]);
    // And back: `b` is told it is alone again.
    c.change(a, 3, json!([{"range": {"start": {"line": 1, "character": 4}, "end": {"line": 1, "character": 15}}, "text": "NCT06853522"}])).await;
    assert!(c.diagnostics(a, 3).await.is_empty());
    c.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == b && p["diagnostics"].as_array().unwrap().is_empty()
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_not_changing_cross_record_facts_does_not_recheck_other_documents() {
    let mut c = traced(no_files(), None).await;
    let (a, b) = (
        "file:///tmp/instant/quiet-a.trial.yaml",
        "file:///tmp/instant/quiet-b.trial.yaml",
    );
    c.open(a, RECORD).await;
    assert!(checked(&mut c, a, 1).await.changed, "a enters the index");
    c.open(b, &other_record()).await;
    assert!(checked(&mut c, b, 1).await.changed, "b enters the index");
    // `b` entering the index re-checks `a` once; then nothing is pending.
    assert!(!checked(&mut c, a, 1).await.changed);
    c.backlog.clear();
    // Lines inserted and removed above `a`'s id move every span of its summary, and
    // change none of its facts.
    for version in 2..=5 {
        let change = if version % 2 == 0 {
            insert_at_top("# moved\n")
        } else {
            json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 0}}, "text": ""}])
        };
        c.change(a, version, change).await;
        c.diagnostics(a, version).await;
        assert!(
            !checked(&mut c, a, version).await.changed,
            "version {version}"
        );
    }
    // Then one that does: `a` takes `b`'s id.
    c.change(a, 6, json!([{"range": {"start": {"line": 1, "character": 4}, "end": {"line": 1, "character": 15}}, "text": "NCT00000102"}])).await;
    assert!(codes(&c.diagnostics(a, 6).await).contains(&"TRF105".to_string()));
    let p = c
        .wait_for("textDocument/publishDiagnostics", |p| {
            p["uri"] == b && !p["diagnostics"].as_array().unwrap().is_empty()
        })
        .await;
    assert_eq!(codes(p["diagnostics"].as_array().unwrap()), ["TRF105"]);
    // `b` was checked (and published) once since the quiet point: for the id change.
    let prefix = format!("trls: checked {b} ");
    let b_checks = c
        .backlog
        .iter()
        .filter(|m| {
            m["method"] == "$/logTrace"
                && m["params"]["message"]
                    .as_str()
                    .is_some_and(|s| s.starts_with(&prefix))
        })
        .count();
    let b_published = c
        .backlog
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == b)
        .count();
    assert_eq!(b_published, 0, "{:#?}", c.backlog);
    assert!(b_checks <= 1, "{:#?}", c.backlog);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_edits_never_publishes_an_older_version_after_a_newer_one() {
    let mut c = traced(no_files(), None).await;
    let u = "file:///tmp/instant/burst.trial.yaml";
    // A record long enough that edits arrive while it is being checked.
    let mut text = RECORD.to_string();
    text.push_str("outcomes:\n");
    for i in 0..400 {
        text.push_str(&format!(
            "  - {{id: o{i}, type: SECONDARY, title: Outcome {i}, quantity: FEV1, unit: L}}\n"
        ));
    }
    c.open(u, &text).await;
    c.diagnostics(u, 1).await;
    let last = 40;
    for version in 2..=last {
        c.change(u, version, insert_at_top("# x\n")).await;
    }
    c.diagnostics(u, last).await;
    let published: Vec<i64> = c
        .backlog
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == u)
        .map(|m| m["params"]["version"].as_i64().unwrap())
        .collect();
    assert!(
        published.windows(2).all(|w| w[0] < w[1]),
        "published versions: {published:?}"
    );
    // Every check the server did not publish was of a version already superseded.
    for m in &c.backlog {
        let Some(msg) = m["params"]["message"].as_str() else {
            continue;
        };
        if let Some(rest) = msg.strip_prefix(&format!("trls: discarded the check of {u} version "))
        {
            let v: i64 = rest.split(' ').next().unwrap().parse().unwrap();
            assert!(v < last, "{msg}");
        }
    }
    // The server's copy is the client's.
    let copy = c.document_text(u).await;
    assert_eq!(copy["version"], last);
}

/// Files whose records cannot be listed until the test opens the gate: indexing is
/// held after it began while the test sends requests.
struct Gated {
    files: MemFiles,
    open: Gate,
}

impl trls::lsp::Files for Gated {
    fn read(&self, path: &Path) -> Option<Vec<u8>> {
        self.files.read(path)
    }

    fn exists(&self, path: &Path) -> bool {
        self.files.exists(path)
    }

    /// Indexing lists the records first (after its progress began): held there.
    fn records(&self, roots: &[PathBuf]) -> Vec<PathBuf> {
        let (lock, cv) = &*self.open;
        let mut open = lock.lock().unwrap_or_else(|e| e.into_inner());
        while !*open {
            open = cv.wait(open).unwrap_or_else(|e| e.into_inner());
        }
        drop(open);
        self.files.records(roots)
    }
}

type Gate = Arc<(Mutex<bool>, Condvar)>;

fn open_gate(gate: &Gate) {
    let (lock, cv) = &**gate;
    *lock.lock().unwrap_or_else(|e| e.into_inner()) = true;
    cv.notify_all();
}

struct OpenOnDrop(Gate);

impl Drop for OpenOnDrop {
    fn drop(&mut self) {
        open_gate(&self.0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn indexing_runs_in_the_background_with_progress_while_requests_are_answered() {
    let root = PathBuf::from("/tmp/instant-ws");
    let mut records = HashMap::new();
    for i in 0..1200 {
        let id = format!("NCT{:08}", 20_000_000 + i);
        records.insert(
            root.join(format!("{id}.trial.yaml")),
            RECORD.replace("NCT06853522", &id),
        );
    }
    // One record on disk has the id of the document the test opens.
    records.insert(root.join("twin.trial.yaml"), RECORD.to_string());
    let gate = Arc::new((Mutex::new(false), Condvar::new()));
    let files = Gated {
        files: MemFiles(records),
        open: gate.clone(),
    };
    // Opened however the test ends (a failing test must not leave indexing blocked).
    let _opened = OpenOnDrop(gate.clone());
    let mut c = traced(Arc::new(files), Some(&root)).await;
    c.wait_for("$/progress", |p| p["value"]["kind"] == "begin")
        .await;
    // Indexing is held: an open document is checked and requests are answered.
    let u = uri(&root.join("open.trial.yaml"));
    c.open(&u, RECORD).await;
    assert!(
        c.diagnostics(&u, 1).await.is_empty(),
        "its twin is not indexed yet"
    );
    let hover = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": u}, "position": {"line": 3, "character": 2}}),
        )
        .await;
    assert!(hover["contents"]["value"].as_str().is_some(), "{hover}");
    let completion = c
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": u}, "position": {"line": 3, "character": 10}}),
        )
        .await;
    assert!(!completion
        .as_array()
        .or(completion["items"].as_array())
        .unwrap()
        .is_empty());
    assert!(
        !c.backlog
            .iter()
            .any(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"),
        "indexing cannot have ended while the gate is shut"
    );
    open_gate(&gate);
    // Progress reports on the way, then the end; the open document then learns of
    // its twin.
    let report = c
        .wait_for("$/progress", |p| p["value"]["kind"] == "report")
        .await;
    assert!(report["value"]["message"]
        .as_str()
        .unwrap()
        .ends_with("records"));
    let end = c
        .wait_for("$/progress", |p| p["value"]["kind"] == "end")
        .await;
    assert_eq!(end["value"]["message"], "1201 records");
    let p = c
        .wait_for("textDocument/publishDiagnostics", |p| {
            p["uri"] == u.as_str() && !p["diagnostics"].as_array().unwrap().is_empty()
        })
        .await;
    assert_eq!(codes(p["diagnostics"].as_array().unwrap()), ["TRF105"]);
}
