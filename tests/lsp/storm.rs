//! A random message storm: a seeded generator of valid and malformed frames, random
//! incremental edits (line separators, CR-only and CRLF line ends, non-ASCII,
//! lone surrogates), version gaps and stale versions, unknown methods and requests,
//! against a reference copy of each document. At the end the server's copy of every
//! document (`trls/documentText`) equals the client's, every request was answered
//! once and every malformed frame got its error.
//!
//! `TRLS_STORM=<messages>` and `TRLS_STORM_SEED=<n>` change the size (500 in the
//! suite) and the seed; `scripts/lsp-storm.sh` runs 10,000.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// LSP's position of a byte offset (lines end at `\n`, `\r\n`, `\r`; UTF-16
/// columns), written independently of the server's code.
fn position(text: &str, offset: usize) -> Value {
    let b = text.as_bytes();
    let (mut line, mut start) = (0, 0);
    for i in 0..offset {
        let ends = b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n'));
        if ends {
            line += 1;
            start = i + 1;
        }
    }
    let col = text[start..offset].encode_utf16().count();
    json!({"line": line, "character": col})
}

/// A random char boundary that is not between `\r` and `\n`.
fn offset(rng: &mut Rng, text: &str) -> usize {
    let mut at = rng.below(text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    if at > 0 && text.as_bytes()[at - 1] == b'\r' && text.as_bytes().get(at) == Some(&b'\n') {
        at -= 1;
    }
    at
}

/// Keep a replaced range short: at most three characters after `start`.
fn clip(text: &str, start: usize, end: usize) -> usize {
    let mut at = text[start..end]
        .char_indices()
        .nth(3)
        .map_or(end, |(i, _)| start + i);
    let b = text.as_bytes();
    if at > start && b[at - 1] == b'\r' && b.get(at) == Some(&b'\n') {
        at -= 1;
    }
    at
}

const PIECES: &[&str] = &[
    "a",
    "id",
    ": ",
    "x: 1",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "\"",
    "'",
    "#",
    " ",
    "\n",
    "\r\n",
    "\r",
    "\u{2028}",
    "\u{2029}",
    "\u{85}",
    "\u{b}",
    "\u{c}",
    "µ",
    "间充质",
    "😀",
    "\t",
    "\\",
];

/// Placeholder replaced in the JSON text by a lone surrogate escape.
const LONE: &str = "\u{e000}LONE\u{e001}";

fn insertion(rng: &mut Rng) -> String {
    let mut s = String::new();
    for _ in 0..rng.below(4) {
        if rng.chance(2) {
            s.push_str(LONE);
        } else {
            s.push_str(PIECES[rng.below(PIECES.len())]);
        }
    }
    s
}

/// What the client's copy holds after the server repaired the lone surrogates.
fn as_received(s: &str) -> String {
    s.replace(LONE, "\u{fffd}")
}

fn frame(body: &str) -> Vec<u8> {
    let body = body.replace(LONE, "\\ud800");
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

fn malformed(rng: &mut Rng) -> Vec<u8> {
    let options: [&[u8]; 8] = [
        b"Content-Length: 9\r\n\r\n{not json",
        b"Content-Length: 7\r\n\r\n[1,2,3]",
        b"Content-Length: 2\r\n\r\n[]",
        b"Content-Length: 4\r\n\r\nnull",
        b"Content-Length: 11\r\n\r\n{\"hello\":1}",
        b"Content-Length: 3\r\n\r\n\xff\xfe\xfd",
        b"X-Nothing: here\r\n\r\n",
        b"Content-Length: 21\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\"",
    ];
    options[rng.below(options.len())].to_vec()
}

struct Doc {
    uri: String,
    text: String,
    version: i64,
    open: bool,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_message_storm_keeps_every_document_equal_to_the_client_copy() {
    let count: usize = std::env::var("TRLS_STORM")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(500);
    let seed: u64 = std::env::var("TRLS_STORM_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0x5eed_2025);
    storm(count, seed).await;
}

async fn storm(count: usize, seed: u64) {
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let (client_io, server_io) = tokio::io::duplex(1 << 20);
    let (server_read, server_write) = tokio::io::split(server_io);
    let server = tokio::spawn(trls::lsp::serve(
        server_read,
        server_write,
        Arc::new(trls::lsp::DiskFiles),
    ));
    let (read, mut write) = tokio::io::split(client_io);
    // Read everything the server says, all the time (it must never block on us).
    let (tx, mut rx) = mpsc::unbounded_channel::<Value>();
    tokio::spawn(async move {
        let mut read = BufReader::new(read);
        loop {
            let mut length = 0;
            loop {
                let mut line = String::new();
                if read.read_line(&mut line).await.unwrap_or(0) == 0 {
                    return;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(n) = line.strip_prefix("Content-Length: ") {
                    length = n.parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            if read.read_exact(&mut body).await.is_err() {
                return;
            }
            let _ = tx.send(serde_json::from_slice(&body).expect("the server wrote JSON"));
        }
    });
    let mut next_id = 1i64;
    let mut requests: HashMap<i64, &'static str> = HashMap::new();
    let mut malformed_sent = 0;
    let mut seen = std::collections::VecDeque::new();
    let init =
        json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"capabilities": {}}});
    write.write_all(&frame(&init.to_string())).await.unwrap();
    let inited = json!({"jsonrpc": "2.0", "method": "initialized", "params": {}});
    write.write_all(&frame(&inited.to_string())).await.unwrap();
    requests.insert(0, "initialize");
    let mut docs: Vec<Doc> = (0..3)
        .map(|i| Doc {
            uri: format!("file:///tmp/trls-storm-{i}.trial.yaml"),
            text: String::new(),
            version: 0,
            open: false,
        })
        .collect();
    for n in 0..count {
        let d = rng.below(docs.len());
        let roll = rng.below(100);
        let msg: Vec<u8> = if !docs[d].open || roll < 3 {
            // (Re)open with a fresh text.
            let doc = &mut docs[d];
            let mut text = String::from("trf: 1\nid: NCT06853522\ntitle: storm\n");
            text.push_str(&insertion(&mut rng));
            if doc.open {
                let close = json!({"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {"textDocument": {"uri": doc.uri}}});
                write.write_all(&frame(&close.to_string())).await.unwrap();
            }
            doc.version = rng.below(5) as i64;
            doc.open = true;
            doc.text = as_received(&text);
            frame(
                &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
                    "uri": doc.uri, "languageId": "yaml", "version": doc.version, "text": text}}})
                .to_string(),
            )
        } else if roll < 55 {
            // Incremental edits, each relative to the text after the one before.
            let doc = &mut docs[d];
            let stale = rng.chance(5);
            let version = if stale {
                doc.version - rng.below(2) as i64
            } else {
                doc.version + 1 + rng.below(3) as i64
            };
            let mut text = doc.text.clone();
            let mut changes = Vec::new();
            for _ in 0..1 + rng.below(3) {
                if rng.chance(3) {
                    let whole = insertion(&mut rng);
                    text = as_received(&whole);
                    changes.push(json!({"text": whole}));
                    continue;
                }
                let a = offset(&mut rng, &text);
                let b = offset(&mut rng, &text);
                let (start, end) = (a.min(b), a.max(b));
                let end = clip(&text, start, end);
                let new = insertion(&mut rng);
                changes.push(json!({"range": {"start": position(&text, start), "end": position(&text, end)}, "text": new}));
                text.replace_range(start..end, &as_received(&new));
            }
            if !stale {
                doc.version = version;
                doc.text = text;
            }
            frame(
                &json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                    "textDocument": {"uri": doc.uri, "version": version}, "contentChanges": changes}})
                .to_string(),
            )
        } else if roll < 70 {
            malformed_sent += 1;
            malformed(&mut rng)
        } else if roll < 90 {
            // Requests at random positions.
            let doc = &docs[d];
            let at = offset(&mut rng, &doc.text);
            let method = [
                "textDocument/hover",
                "textDocument/completion",
                "textDocument/documentSymbol",
                "textDocument/foldingRange",
                "textDocument/definition",
                "textDocument/codeAction",
            ][rng.below(6)];
            let id = next_id;
            next_id += 1;
            requests.insert(id, method);
            let pos = position(&doc.text, at);
            frame(
                &json!({"jsonrpc": "2.0", "id": id, "method": method, "params": {
                    "textDocument": {"uri": doc.uri}, "position": pos,
                    "range": {"start": pos, "end": pos}, "context": {"diagnostics": []}}})
                .to_string(),
            )
        } else {
            // Valid JSON-RPC the server does not know.
            if rng.chance(50) {
                let id = next_id;
                next_id += 1;
                requests.insert(id, "trls/noSuchMethod");
                frame(
                    &json!({"jsonrpc": "2.0", "id": id, "method": "trls/noSuchMethod"}).to_string(),
                )
            } else {
                frame(
                    &json!({"jsonrpc": "2.0", "method": "$/noSuchNotification", "params": [n]})
                        .to_string(),
                )
            }
        };
        write.write_all(&msg).await.unwrap();
        while let Ok(m) = rx.try_recv() {
            if m.get("method").is_none() {
                seen.push_back(m);
            }
        }
    }
    // The server's copy of every document equals the client's.
    let mut pending: HashMap<i64, usize> = HashMap::new();
    for (i, doc) in docs.iter().enumerate() {
        let id = next_id;
        next_id += 1;
        pending.insert(id, i);
        let req = json!({"jsonrpc": "2.0", "id": id, "method": "trls/documentText", "params": {"textDocument": {"uri": doc.uri}}});
        write.write_all(&frame(&req.to_string())).await.unwrap();
    }
    write.flush().await.unwrap();
    let mut answered: HashMap<i64, usize> = HashMap::new();
    let mut null_errors = 0;
    let mut internal_errors = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    while !pending.is_empty() || answered.len() < requests.len() || null_errors < malformed_sent {
        let msg = match seen.pop_front() {
            Some(m) => m,
            None => tokio::time::timeout_at(deadline, rx.recv())
                .await
                .expect("the server stopped answering during the storm")
                .expect("the server closed its output"),
        };
        if msg.get("method").is_some() {
            continue; // notifications (diagnostics)
        }
        if msg["id"].is_null() {
            null_errors += 1;
            continue;
        }
        let id = msg["id"].as_i64().unwrap();
        if let Some(i) = pending.remove(&id) {
            let doc = &docs[i];
            assert_eq!(
                msg["result"]["text"].as_str(),
                Some(doc.text.as_str()),
                "{} drifted from the client's copy (seed {seed}): {msg}",
                doc.uri
            );
            assert_eq!(msg["result"]["version"], doc.version);
            continue;
        }
        *answered.entry(id).or_default() += 1;
        if msg["error"]["code"] == -32603 {
            internal_errors.push(format!("{}: {}", requests[&id], msg["error"]["message"]));
        }
    }
    assert_eq!(null_errors, malformed_sent, "one error per malformed frame");
    for (id, method) in &requests {
        assert_eq!(
            answered.get(id),
            Some(&1),
            "{method} (id {id}) answered once"
        );
    }
    assert!(
        internal_errors.is_empty(),
        "internal errors (seed {seed}): {internal_errors:?}"
    );
    let shutdown = json!({"jsonrpc": "2.0", "id": next_id, "method": "shutdown"});
    write
        .write_all(&frame(&shutdown.to_string()))
        .await
        .unwrap();
    loop {
        let m = tokio::time::timeout(Duration::from_secs(20), rx.recv())
            .await
            .expect("no answer to shutdown")
            .expect("the server closed its output");
        if m["id"] == next_id {
            break;
        }
    }
    let exit = json!({"jsonrpc": "2.0", "method": "exit"});
    write.write_all(&frame(&exit.to_string())).await.unwrap();
    let status = tokio::time::timeout(Duration::from_secs(20), server)
        .await
        .expect("the server did not exit")
        .unwrap();
    assert_eq!(status, 0);
    eprintln!(
        "storm: {count} messages (seed {seed}), {malformed_sent} malformed, {} requests",
        requests.len()
    );
}
