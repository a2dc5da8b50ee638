//! `cargo bench --bench lsp -- [RECORDS]`: the language server, measured as an editor
//! uses it, with one stdio client for every server:
//!   - edit → published diagnostics latency (p50/p99) on a 200-line record and on a
//!     20,000-line record, typing one character at a time;
//!   - completion latency at a vocabulary value, hover latency on a key;
//!   - hover latency on a small document while another, long document (100,000
//!     lines; 20,000 in a smoke run of under 1,000 records) is being edited and
//!     checked;
//!   - start-up: time from `initialize` until the first diagnostics of a document
//!     opened at once, and until the workspace of RECORDS records (default 10,000)
//!     is indexed (trls reports its end as work-done progress), and the server's peak
//!     resident memory.
//!
//! The client does not support pull diagnostics: diagnostics are pushed
//! (`textDocument/publishDiagnostics`), as most editors still take them.
//!
//! The same run measures yaml-language-server (given `trls schema`) when it is found
//! (`YAML_LANGUAGE_SERVER=path/to/bin` or `node_modules/.bin/yaml-language-server`),
//! and prints each trls figure as a ratio to it. Figures, never assertions.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

struct Server {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Value>,
    next_id: i64,
    backlog: VecDeque<Value>,
    /// Answers to `workspace/configuration`, by section.
    settings: Value,
}

impl Server {
    fn spawn(cmd: &[String], settings: Value) -> Server {
        let mut child = Command::new(&cmd[0])
            .args(&cmd[1..])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", cmd[0]));
        let stdin = child.stdin.take().unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let (tx, rx) = channel();
        std::thread::spawn(move || loop {
            let mut len = 0usize;
            loop {
                let mut line = String::new();
                if out.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(n) = line.strip_prefix("Content-Length: ") {
                    len = n.parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; len];
            if out.read_exact(&mut body).is_err() {
                return;
            }
            if let Ok(v) = serde_json::from_slice(&body) {
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        Server {
            child,
            stdin,
            rx,
            next_id: 1,
            backlog: VecDeque::new(),
            settings,
        }
    }

    fn send(&mut self, v: Value) {
        let body = v.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn recv(&mut self) -> Value {
        let msg = self
            .rx
            .recv_timeout(Duration::from_secs(300))
            .expect("server did not answer");
        if msg.get("method").is_some() && msg.get("id").is_some() {
            // A request from the server: answer as an editor would.
            let result = match msg["method"].as_str() {
                Some("workspace/configuration") => Value::Array(
                    msg["params"]["items"]
                        .as_array()
                        .map(|items| {
                            items
                                .iter()
                                .map(|i| {
                                    self.settings
                                        .get(i["section"].as_str().unwrap_or(""))
                                        .cloned()
                                        .unwrap_or(Value::Null)
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                ),
                _ => Value::Null,
            };
            self.send(json!({"jsonrpc": "2.0", "id": msg["id"], "result": result}));
        }
        msg
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let msg = self.recv();
            if msg.get("method").is_none() && msg["id"] == json!(id) {
                return msg["result"].clone();
            }
            if msg.get("method").is_some() && msg.get("id").is_none() {
                self.backlog.push_back(msg);
            }
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&pred) {
            return self.backlog.remove(i).unwrap();
        }
        loop {
            let msg = self.recv();
            if pred(&msg) {
                return msg;
            }
        }
    }

    fn peak_rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }

    fn stop(mut self) {
        let _ = self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let _ = self.child.wait();
    }
}

fn uri(p: &Path) -> String {
    format!("file://{}", p.display())
}

fn record(i: usize, results: usize) -> String {
    let mut r = format!(
        "trf: 1
id: NCT{:08}
title: Nebulized umbilical cord MSC exosomes in asthma, record {i}
status: COMPLETED
study_type: INTERVENTIONAL
phases: [PHASE1, PHASE2]
conditions: [Asthma]
product: {{modality: EXOSOMES, cell_source: UMBILICAL_CORD, donor: ALLOGENEIC}}
design: {{allocation: RANDOMIZED, intervention_model: PARALLEL, masking: DOUBLE}}
enrollment: {{count: 60, type: ACTUAL}}
dates: {{start: 2023-03, completion: 2024-12-31, updated: 2025-04-27}}
arms:
  - {{id: high, type: EXPERIMENTAL, label: High dose, size: 30, interventions: [exo]}}
  - {{id: placebo, type: PLACEBO_COMPARATOR, label: Saline, size: 30, interventions: [saline]}}
interventions:
  - {{id: exo, type: BIOLOGICAL, name: exosomes, route: INHALATION, dose: 8e9 {{particles}}}}
  - {{id: saline, type: OTHER, name: saline, route: INHALATION}}
outcomes:
  - {{id: fev1, type: PRIMARY, title: FEV1, quantity: FEV1, unit: L}}
results:
",
        10_000_000 + i
    );
    for k in 0..results {
        r.push_str(&format!(
            "  - outcome: fev1\n    arm: {}\n    timepoint: {} wk\n    n: 30\n    mean: {:.2} L\n",
            if k % 2 == 0 { "high" } else { "placebo" },
            k % 52,
            2.0 + (k % 10) as f64 / 10.0
        ));
    }
    r.push_str(
        "sources:\n  - {id: paper, kind: JOURNAL_ARTICLE, doi: 10.1177/2050313X251386547}\n",
    );
    r
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[((v.len() - 1) as f64 * p).round() as usize]
}

struct Figures {
    edit_small: (f64, f64),
    edit_large: (f64, f64),
    completion: (f64, f64),
    hover: (f64, f64),
    hover_busy: (f64, f64),
    first_diagnostics: f64,
    indexed: Option<f64>,
    rss_mib: f64,
}

fn capabilities() -> Value {
    json!({
        "general": {"positionEncodings": ["utf-16"]},
        "textDocument": {"publishDiagnostics": {"versionSupport": true}, "completion": {"completionItem": {"snippetSupport": true}}},
        "workspace": {"configuration": true, "didChangeConfiguration": {"dynamicRegistration": true}},
        "window": {"workDoneProgress": true},
    })
}

/// Type `n` characters into a document, one edit at a time, timing each edit until
/// diagnostics for it arrive. The edits toggle a typo in `status`.
fn edit_latency(s: &mut Server, path: &Path, text: &str, n: usize) -> (f64, f64) {
    let u = uri(path);
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": u, "languageId": "yaml", "version": 1, "text": text}}),
    );
    s.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == u.as_str()
    });
    let line = text.lines().position(|l| l.starts_with("status:")).unwrap() as u32;
    let mut times = Vec::new();
    for v in 0..n {
        let version = v as i64 + 2;
        // Alternately delete and re-insert the `D` of COMPLETED.
        let change = if v % 2 == 0 {
            json!({"range": {"start": {"line": line, "character": 16}, "end": {"line": line, "character": 17}}, "text": ""})
        } else {
            json!({"range": {"start": {"line": line, "character": 16}, "end": {"line": line, "character": 16}}, "text": "D"})
        };
        let t = Instant::now();
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": u, "version": version}, "contentChanges": [change]}),
        );
        // A server that reports versions must report this one; one that does not
        // (yaml-language-server) is timed to its next report for the document.
        s.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == u.as_str()
                && (m["params"]["version"].is_null() || m["params"]["version"] == version)
        });
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    s.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
    (
        percentile(&mut times.clone(), 0.5),
        percentile(&mut times, 0.99),
    )
}

/// Time `n` requests at the `status` line of an open document (`character` 10: in
/// the value, for completion; 2: on the key, for hover).
fn request_latency(
    s: &mut Server,
    u: &str,
    text: &str,
    method: &str,
    character: u32,
    n: usize,
) -> (f64, f64) {
    let line = text.lines().position(|l| l.starts_with("status:")).unwrap() as u32;
    let mut times = Vec::new();
    for _ in 0..n {
        let t = Instant::now();
        let r = s.request(
            method,
            json!({"textDocument": {"uri": u}, "position": {"line": line, "character": character}}),
        );
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(r);
    }
    (
        percentile(&mut times.clone(), 0.5),
        percentile(&mut times, 0.99),
    )
}

/// Hover on the small document `u` (open) again and again while the long document
/// at `busy` is edited `rounds` times: after each edit, until its diagnostics arrive
/// (the server waits for a pause in typing, then checks it), so the hovers overlap
/// the check.
fn hover_while_busy(
    s: &mut Server,
    u: &str,
    text: &str,
    busy: &Path,
    busy_text: &str,
    rounds: usize,
) -> (f64, f64) {
    let b = uri(busy);
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": b, "languageId": "yaml", "version": 1, "text": busy_text}}),
    );
    let published = |m: &Value, version: i64| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == b.as_str()
            && (m["params"]["version"].is_null() || m["params"]["version"] == version)
    };
    s.wait_for(|m| published(m, 1));
    let line = text.lines().position(|l| l.starts_with("status:")).unwrap() as u32;
    let busy_line = busy_text
        .lines()
        .position(|l| l.starts_with("status:"))
        .unwrap() as u32;
    let mut times = Vec::new();
    for round in 0..rounds {
        let version = round as i64 + 2;
        let change = if round % 2 == 0 {
            json!({"range": {"start": {"line": busy_line, "character": 16}, "end": {"line": busy_line, "character": 17}}, "text": ""})
        } else {
            json!({"range": {"start": {"line": busy_line, "character": 16}, "end": {"line": busy_line, "character": 16}}, "text": "D"})
        };
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": b, "version": version}, "contentChanges": [change]}),
        );
        // At least a few hovers per round, then until the check is published.
        let mut k = 0;
        while k < 3 || !s.backlog.iter().any(|m| published(m, version)) {
            let t = Instant::now();
            let r = s.request(
                "textDocument/hover",
                json!({"textDocument": {"uri": u}, "position": {"line": line, "character": 2}}),
            );
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            std::hint::black_box(r);
            k += 1;
            if k > 2_000 {
                break;
            }
        }
        s.wait_for(|m| published(m, version));
    }
    s.notify("textDocument/didClose", json!({"textDocument": {"uri": b}}));
    (
        percentile(&mut times.clone(), 0.5),
        percentile(&mut times, 0.99),
    )
}

fn measure(
    name: &'static str,
    cmd: &[String],
    settings: Value,
    workspace: &Path,
    scratch: &Path,
    edits: usize,
    (busy_rounds, busy_results): (usize, usize),
) -> Figures {
    let start = Instant::now();
    let mut s = Server::spawn(cmd, settings);
    s.request(
        "initialize",
        json!({"processId": std::process::id(), "capabilities": capabilities(), "workspaceFolders": [{"uri": uri(workspace), "name": "records"}], "rootUri": uri(workspace)}),
    );
    s.notify("initialized", json!({}));
    let small = record(1, 36);
    let large = record(2, 4_000);
    // A document opened at once: its first diagnostics, while the workspace is
    // still being indexed.
    let first = uri(&scratch.join("first.trial.yaml"));
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": first, "languageId": "yaml", "version": 1, "text": small}}),
    );
    // Indexing reports work-done progress; its end means the workspace is known. A
    // small workspace may be indexed before the first diagnostics arrive, so both
    // are watched for together (waiting for one would drop the other).
    let is_end = |m: &Value| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end";
    let mut indexed_at = None;
    let first_diagnostics = loop {
        let m = match s.backlog.pop_front() {
            Some(m) => m,
            None => s.recv(),
        };
        if is_end(&m) {
            indexed_at = Some(start.elapsed().as_secs_f64());
        }
        if m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == first.as_str()
        {
            break start.elapsed().as_secs_f64();
        }
    };
    let indexed = (name == "trls").then(|| {
        indexed_at.unwrap_or_else(|| {
            s.wait_for(is_end);
            start.elapsed().as_secs_f64()
        })
    });
    s.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": first}}),
    );
    let edit_small = edit_latency(&mut s, &scratch.join("small.trial.yaml"), &small, edits);
    let edit_large = edit_latency(
        &mut s,
        &scratch.join("large.trial.yaml"),
        &large,
        edits.min(30),
    );
    let u = uri(&scratch.join("requests.trial.yaml"));
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": u, "languageId": "yaml", "version": 1, "text": small}}),
    );
    let completion = request_latency(&mut s, &u, &small, "textDocument/completion", 10, edits);
    let hover = request_latency(&mut s, &u, &small, "textDocument/hover", 2, edits);
    let huge = record(3, busy_results);
    let hover_busy = hover_while_busy(
        &mut s,
        &u,
        &small,
        &scratch.join("huge.trial.yaml"),
        &huge,
        busy_rounds,
    );
    s.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
    let rss_mib = s.peak_rss_kib() as f64 / 1024.0;
    s.stop();
    Figures {
        edit_small,
        edit_large,
        completion,
        hover,
        hover_busy,
        first_diagnostics,
        indexed,
        rss_mib,
    }
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10_000);
    let edits = 60;
    // Edits of the 100,000-line document during which hovers are timed (fewer in a
    // smoke run).
    let busy_rounds = if n < 1_000 { 2 } else { 8 };
    // The busy document: 100,000 lines (20,000 in a smoke run).
    let busy_results = if n < 1_000 { 4_000 } else { 20_000 };
    let base = std::env::temp_dir().join(format!("trls-lsp-bench-{n}"));
    let workspace = base.join("records");
    let scratch = base.join("open");
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&workspace).unwrap();
    std::fs::create_dir_all(&scratch).unwrap();
    for i in 0..n {
        std::fs::write(
            workspace.join(format!("NCT{:08}.trial.yaml", 10_000_000 + i)),
            record(i, 20),
        )
        .unwrap();
    }
    println!(
        "lines: small record {}, large record {}, busy record {}",
        record(1, 36).lines().count(),
        record(2, 4_000).lines().count(),
        record(3, busy_results).lines().count()
    );
    let trls_cmd = vec![env!("CARGO_BIN_EXE_trls").to_string(), "lsp".to_string()];
    let trls = measure(
        "trls",
        &trls_cmd,
        json!({"trls": {}}),
        &workspace,
        &scratch,
        edits,
        (busy_rounds, busy_results),
    );

    // yaml-language-server with the schema trls prints.
    let yls = std::env::var("YAML_LANGUAGE_SERVER")
        .ok()
        .map(PathBuf::from)
        .or_else(|| {
            Some(PathBuf::from("node_modules/.bin/yaml-language-server")).filter(|p| p.exists())
        });
    let other = yls.map(|bin| {
        let schema = base.join("trf-1.schema.json");
        let out = Command::new(env!("CARGO_BIN_EXE_trls")).arg("schema").output().unwrap();
        std::fs::write(&schema, out.stdout).unwrap();
        let settings = json!({"yaml": {"validate": true, "completion": true, "hover": true, "schemas": {uri(&schema): "*.trial.yaml"}}});
        let cmd = vec![bin.display().to_string(), "--stdio".to_string()];
        measure(
            "yaml-language-server",
            &cmd,
            settings,
            &workspace,
            &scratch,
            edits,
            (busy_rounds, busy_results),
        )
    });

    let cores = std::thread::available_parallelism().map_or(0, |c| c.get());
    println!(
        "language server benchmark: {n} records in the workspace, {edits} edits, {cores} cores, push diagnostics"
    );
    println!(
        "{:<34} {:>12} {:>22} {:>8}",
        "figure", "trls", "yaml-language-server", "ratio"
    );
    let row = |label: &str, a: f64, b: Option<f64>, unit: &str| match b {
        Some(b) => println!(
            "{label:<34} {:>10.1}{unit} {:>20.1}{unit} {:>7.2}x",
            a,
            b,
            a / b
        ),
        None => println!("{label:<34} {:>10.1}{unit} {:>22}", a, "-"),
    };
    let o = other.as_ref();
    // A latency's p50 and p99 rows: `name p50, where`.
    let pair = |name: &str, at: &str, a: (f64, f64), b: Option<(f64, f64)>| {
        row(&format!("{name} p50{at}"), a.0, b.map(|b| b.0), "ms");
        row(&format!("{name} p99{at}"), a.1, b.map(|b| b.1), "ms");
    };
    pair(
        "edit→diagnostics",
        ", 200 lines",
        trls.edit_small,
        o.map(|f| f.edit_small),
    );
    pair(
        "edit→diagnostics",
        ", 20k lines",
        trls.edit_large,
        o.map(|f| f.edit_large),
    );
    pair("completion", "", trls.completion, o.map(|f| f.completion));
    pair("hover", "", trls.hover, o.map(|f| f.hover));
    pair(
        "hover",
        ", other doc checking",
        trls.hover_busy,
        o.map(|f| f.hover_busy),
    );
    row(
        "start-up: first diagnostics",
        trls.first_diagnostics,
        o.map(|f| f.first_diagnostics),
        "s ",
    );
    // yaml-language-server does not index a workspace (nor report it).
    row(
        "start-up: workspace indexed",
        trls.indexed.unwrap_or(f64::NAN),
        None,
        "s ",
    );
    row("peak RSS", trls.rss_mib, o.map(|f| f.rss_mib), "MiB");
    if other.is_none() {
        println!("(yaml-language-server not found: npm install yaml-language-server@1, or set YAML_LANGUAGE_SERVER)");
    }
    let _ = std::fs::remove_dir_all(&base);
}
