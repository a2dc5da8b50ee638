//! Presentation over the wire (issue 14), beyond the fixtures: the semantic-token
//! legend, deltas that rebuild the full answer, inlay hints that follow the entry
//! they name, and answers on a document that does not parse.

use serde_json::{json, Value};

use crate::harness::{capabilities, Client};

const RECORD: &str = "trf: 1
id: NCT06853522
arms:
  - id: exo
    type: EXPERIMENTAL
    label: Exos Localized Treatment Group
outcomes:
  - {id: wbc, type: PRIMARY, title: WBC, quantity: WBC, unit: 10*9/L}
results:
  - {outcome: wbc, arm: exo, timepoint: baseline, mean: 6600 /uL}
";

fn ints(v: &Value) -> Vec<u64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap())
        .collect()
}

/// Replace `text` on line `line` by `new` (ASCII only).
fn edit(line: u32, col: u32, old: &str, new: &str) -> Value {
    json!([{"range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col + old.len() as u32}}, "text": new}])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn semantic_token_deltas_rebuild_the_full_answer() {
    let (mut c, init) = Client::start(capabilities(false, false), None).await;
    let provider = &init["capabilities"]["semanticTokensProvider"];
    assert_eq!(
        provider["legend"]["tokenTypes"],
        json!(["enumMember", "namespace", "variable", "type", "number"])
    );
    assert_eq!(
        provider["legend"]["tokenModifiers"],
        json!(["declaration", "date"])
    );
    assert_eq!(provider["full"], json!({"delta": true}));
    assert_eq!(provider["range"], true);
    let u = "file:///records/delta.trial.yaml";
    c.open(u, RECORD).await;
    let doc = json!({"uri": u});
    let first = c
        .request(
            "textDocument/semanticTokens/full",
            json!({"textDocument": doc}),
        )
        .await;
    let mut data = ints(&first["data"]);
    // The arm gets another id: its definition and its reference change length.
    c.change(u, 2, edit(3, 8, "exo", "exosomes")).await;
    c.change(u, 3, edit(9, 24, "exo", "exosomes")).await;
    let delta = c
        .request(
            "textDocument/semanticTokens/full/delta",
            json!({"textDocument": doc, "previousResultId": first["resultId"]}),
        )
        .await;
    let edits = delta["edits"]
        .as_array()
        .expect("a delta, not a full answer");
    assert!(!edits.is_empty());
    for e in edits.iter().rev() {
        let start = e["start"].as_u64().unwrap() as usize;
        let count = e["deleteCount"].as_u64().unwrap() as usize;
        let new = e.get("data").map(ints).unwrap_or_default();
        data.splice(start..start + count, new);
    }
    let full = c
        .request(
            "textDocument/semanticTokens/full",
            json!({"textDocument": doc}),
        )
        .await;
    assert_eq!(data, ints(&full["data"]));
    assert_eq!(delta["resultId"], full["resultId"]);
    // An unknown previous id answers in full.
    let again = c
        .request(
            "textDocument/semanticTokens/full/delta",
            json!({"textDocument": doc, "previousResultId": "no such id"}),
        )
        .await;
    assert_eq!(ints(&again["data"]), ints(&full["data"]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inlay_hints_follow_the_entry_they_name() {
    let (mut c, _) = Client::start(capabilities(false, false), None).await;
    let u = "file:///records/hints.trial.yaml";
    c.open(u, RECORD).await;
    let params = json!({"textDocument": {"uri": u}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 99, "character": 0}}});
    let labels = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|h| h["label"].as_str().unwrap().to_string())
            .collect()
    };
    let hints = c.request("textDocument/inlayHint", params.clone()).await;
    assert_eq!(
        labels(&hints),
        ["WBC", "Exos Localized Treatment Group", "= 6.6 10*9/L"]
    );
    c.change(
        u,
        2,
        edit(5, 11, "Exos Localized Treatment Group", "Nebulized"),
    )
    .await;
    let hints = c.request("textDocument/inlayHint", params.clone()).await;
    assert_eq!(labels(&hints), ["WBC", "Nebulized", "= 6.6 10*9/L"]);
    // Broken YAML above the results: the hints below it stay.
    c.change(u, 3, edit(4, 10, "EXPERIMENTAL", "[EXPERIMENTAL"))
        .await;
    let hints = c.request("textDocument/inlayHint", params).await;
    assert!(
        labels(&hints).contains(&"= 6.6 10*9/L".to_string()),
        "{hints}"
    );
    // And every other presentation request answers on it.
    let doc = json!({"uri": u});
    let at = json!({"textDocument": doc, "position": {"line": 9, "character": 25}});
    let hl = c
        .request("textDocument/documentHighlight", at.clone())
        .await;
    assert!(hl.as_array().is_some_and(|a| !a.is_empty()), "{hl}");
    let sel = c
        .request(
            "textDocument/selectionRange",
            json!({"textDocument": doc, "positions": [at["position"]]}),
        )
        .await;
    assert!(sel[0]["parent"].is_object(), "{sel}");
    let lens = c
        .request("textDocument/codeLens", json!({"textDocument": doc}))
        .await;
    assert!(lens.as_array().is_some(), "{lens}");
}
