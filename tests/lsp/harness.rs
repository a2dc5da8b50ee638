//! An in-process LSP client: the real server over in-memory pipes, speaking framed
//! JSON-RPC, answering the server's own requests as an editor would.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{
    AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream, ReadHalf, WriteHalf,
};
use tokio::task::JoinHandle;

pub struct Client {
    write: WriteHalf<DuplexStream>,
    read: BufReader<ReadHalf<DuplexStream>>,
    next_id: i64,
    /// Notifications and server requests received while waiting for something else.
    pub backlog: Vec<Value>,
    /// Answer to `workspace/configuration`.
    pub settings: Value,
    /// The server: it ends with the process's exit status.
    pub server: Option<JoinHandle<i32>>,
}

pub fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// Client capabilities of a modern editor; `utf8` offers UTF-8 positions.
pub fn capabilities(utf8: bool, pull: bool) -> Value {
    let mut caps = json!({
        "general": {"positionEncodings": if utf8 { json!(["utf-8", "utf-16"]) } else { json!(["utf-16"]) }},
        "textDocument": {
            "publishDiagnostics": {"relatedInformation": true, "versionSupport": true, "tagSupport": {"valueSet": [1, 2]}},
            "completion": {"completionItem": {"snippetSupport": true, "labelDetailsSupport": true}},
            "synchronization": {"dynamicRegistration": false},
        },
        "workspace": {
            "configuration": true,
            "didChangeWatchedFiles": {"dynamicRegistration": true},
            "workspaceFolders": true,
        },
        "window": {"workDoneProgress": true},
    });
    if pull {
        caps["textDocument"]["diagnostic"] = json!({"dynamicRegistration": false});
    }
    caps
}

impl Client {
    pub async fn start(caps: Value, root: Option<&Path>) -> (Client, Value) {
        Self::start_with(caps, root, Arc::new(trls::lsp::DiskFiles)).await
    }

    /// The server (framing layer included) over in-memory pipes, without `initialize`.
    pub fn connect(files: Arc<dyn trls::lsp::Files>) -> Client {
        let (client_io, server_io) = tokio::io::duplex(1 << 20);
        let (server_read, server_write) = tokio::io::split(server_io);
        let server = tokio::spawn(trls::lsp::serve(server_read, server_write, files));
        let (read, write) = tokio::io::split(client_io);
        Client {
            write,
            read: BufReader::new(read),
            next_id: 1,
            backlog: Vec::new(),
            settings: json!({}),
            server: Some(server),
        }
    }

    pub async fn start_with(
        caps: Value,
        root: Option<&Path>,
        files: Arc<dyn trls::lsp::Files>,
    ) -> (Client, Value) {
        let mut client = Self::connect(files);
        let folders = root
            .map(|r| json!([{"uri": uri(r), "name": "records"}]))
            .unwrap_or(Value::Null);
        let init = client
            .request(
                "initialize",
                json!({"capabilities": caps, "workspaceFolders": folders, "processId": null}),
            )
            .await;
        client.notify("initialized", json!({})).await;
        (client, init)
    }

    async fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        self.send_raw(frame.as_bytes()).await;
    }

    /// Send bytes as they are (malformed frames included).
    pub async fn send_raw(&mut self, bytes: &[u8]) {
        self.write.write_all(bytes).await.unwrap();
        self.write.flush().await.unwrap();
    }

    /// The next response with `id: null` (an answer to a malformed message).
    pub async fn null_id_response(&mut self) -> Value {
        loop {
            let msg = self.recv().await;
            if let Some(resp) = self.handle(msg).await {
                if resp["id"].is_null() {
                    return resp;
                }
            }
        }
    }

    /// The server's copy of a document (`trls/documentText`).
    pub async fn document_text(&mut self, uri: &str) -> Value {
        self.request("trls/documentText", json!({"textDocument": {"uri": uri}}))
            .await
    }

    /// The response to request `id` (one sent with `send_raw`).
    pub async fn response(&mut self, id: i64) -> Value {
        loop {
            let msg = self.recv().await;
            if let Some(resp) = self.handle(msg).await {
                if resp["id"] == json!(id) {
                    return resp;
                }
            }
        }
    }

    /// Wait for the server to end by itself (our end stays open) and return the
    /// exit status it gives the process.
    pub async fn exit_status(mut self) -> i32 {
        let server = self.server.take().unwrap();
        let status = tokio::time::timeout(Duration::from_secs(20), server)
            .await
            .expect("the server did not end while its input was still open")
            .unwrap();
        drop(self);
        status
    }

    /// The next message from the server (panics after 20 s: a hang is a failure).
    async fn recv(&mut self) -> Value {
        tokio::time::timeout(Duration::from_secs(20), async {
            let mut length = 0;
            loop {
                let mut line = String::new();
                self.read.read_line(&mut line).await.unwrap();
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(n) = line.strip_prefix("Content-Length: ") {
                    length = n.parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            self.read.read_exact(&mut body).await.unwrap();
            serde_json::from_slice(&body).unwrap()
        })
        .await
        .expect("the server did not answer")
    }

    /// Answer a request the server sent us, as an editor would.
    async fn answer(&mut self, msg: &Value) {
        let result = match msg["method"].as_str() {
            Some("workspace/configuration") => json!([self.settings.clone()]),
            _ => Value::Null,
        };
        self.send(json!({"jsonrpc": "2.0", "id": msg["id"].clone(), "result": result}))
            .await;
    }

    /// Handle one incoming message: answer server requests, keep notifications.
    async fn handle(&mut self, msg: Value) -> Option<Value> {
        if msg.get("method").is_some() && msg.get("id").is_some() {
            self.answer(&msg).await;
            self.backlog.push(msg);
            None
        } else if msg.get("method").is_some() {
            self.backlog.push(msg);
            None
        } else {
            Some(msg)
        }
    }

    /// Send a request and return the whole response (`result` or `error`).
    pub async fn request_raw(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        loop {
            let msg = self.recv().await;
            if let Some(resp) = self.handle(msg).await {
                if resp["id"] == json!(id) {
                    return resp;
                }
            }
        }
    }

    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let resp = self.request_raw(method, params).await;
        assert!(resp.get("error").is_none(), "{method} failed: {resp}");
        resp["result"].clone()
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}))
            .await;
    }

    /// Wait for a notification matching `pred` (looking at the backlog first).
    pub async fn wait_for(&mut self, method: &str, pred: impl Fn(&Value) -> bool) -> Value {
        loop {
            if let Some(i) = self
                .backlog
                .iter()
                .position(|m| m["method"] == method && pred(&m["params"]))
            {
                return self.backlog.remove(i)["params"].clone();
            }
            let msg = self.recv().await;
            let _ = self.handle(msg).await;
        }
    }

    /// Diagnostics published for a document at a version.
    pub async fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let p = self
            .wait_for("textDocument/publishDiagnostics", |p| {
                p["uri"] == uri && p["version"] == version
            })
            .await;
        p["diagnostics"].as_array().unwrap().clone()
    }

    pub async fn open(&mut self, uri: &str, text: &str) {
        let lang = if uri.ends_with(".json") {
            "json"
        } else {
            "yaml"
        };
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": lang, "version": 1, "text": text}}),
        )
        .await;
    }

    pub async fn change(&mut self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        )
        .await;
    }
}

pub fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

pub fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("trls-lsp-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Files in memory: the server sees these and nothing of the disk.
pub struct MemFiles(pub std::collections::HashMap<std::path::PathBuf, String>);

impl trls::lsp::Files for MemFiles {
    fn read(&self, path: &Path) -> Option<Vec<u8>> {
        self.0.get(path).map(|t| t.clone().into_bytes())
    }

    fn exists(&self, path: &Path) -> bool {
        self.0.contains_key(path)
    }

    fn records(&self, roots: &[std::path::PathBuf]) -> Vec<std::path::PathBuf> {
        let mut found: Vec<_> = self
            .0
            .keys()
            .filter(|p| roots.iter().any(|r| p.starts_with(r)) && trls::workspace::is_record(p))
            .cloned()
            .collect();
        found.sort();
        found
    }
}
