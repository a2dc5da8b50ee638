//! The message framing layer in front of tower-lsp-server's transport.
//!
//! Why it exists: tower-lsp-server's codec ends the server on the first frame it
//! cannot decode (its `FramedRead` stream stops after an error, so `serve` returns
//! with stdin still open); it matches header names case-sensitively, accepts at most
//! two headers, does not skip a byte order mark, and rejects a lone surrogate
//! escape (`"\ud800"`) that editors do send. The crate offers no hook to change
//! that, so this layer reads the client's frames itself:
//!
//! - headers are parsed leniently (names case-insensitive, any number, a BOM before
//!   them skipped, blank lines between frames ignored);
//! - a body that is not JSON is answered with a parse error (`-32700`, id null),
//!   valid JSON that is not a request, notification or response (a batch, a bare
//!   array or scalar, an object without `method`) with an invalid request
//!   (`-32600`); lone surrogate escapes become U+FFFD;
//! - every good frame is re-framed canonically and forwarded to the server through
//!   an in-memory pipe, so the crate only ever sees frames it decodes.
//!
//! Output: the server writes into a pipe whose frames are forwarded whole, through
//! one channel, to the single task that owns the real output; this layer's own
//! answers go through the same channel, so frames never interleave.

use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Request, Response};

/// Longest header line kept (longer lines are garbage and cut).
const MAX_HEADER_LINE: usize = 8 << 10;
/// Largest body read; a longer one is skipped and answered with an error.
pub const MAX_BODY: usize = 256 << 20;

/// What to do with one frame's body.
#[derive(Debug, PartialEq)]
pub enum Verdict {
    /// Forward this JSON text to the server (`exit`: it is the exit notification).
    Forward { json: String, exit: bool },
    /// Answer the client with this error response.
    Answer(Value),
}

fn error(code: i64, message: &str, id: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

fn parse_error(detail: impl std::fmt::Display) -> Verdict {
    Verdict::Answer(error(
        -32700,
        &format!("Parse error: {detail}"),
        Value::Null,
    ))
}

/// Judge one frame's body.
pub fn judge(body: &[u8]) -> Verdict {
    let Ok(text) = std::str::from_utf8(body) else {
        return parse_error("the message is not UTF-8");
    };
    let text = repair_surrogates(text);
    let value: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => return parse_error(e),
    };
    let invalid = |id: Value| Verdict::Answer(error(-32600, "Invalid request", id));
    let Value::Object(map) = &value else {
        return invalid(Value::Null);
    };
    // Exactly what the transport will decode: a request or notification, or a
    // response to one of the server's requests.
    if let Ok(req) = serde_json::from_str::<Request>(&text) {
        let exit = req.method() == "exit";
        return Verdict::Forward {
            json: text.into_owned(),
            exit,
        };
    }
    if serde_json::from_str::<Response>(&text).is_ok() {
        return Verdict::Forward {
            json: text.into_owned(),
            exit: false,
        };
    }
    let id = match map.get("id") {
        Some(id @ Value::String(_)) => id.clone(),
        Some(id @ Value::Number(n)) if n.is_i64() => id.clone(),
        _ => Value::Null,
    };
    invalid(id)
}

fn hex4(b: &[u8]) -> Option<u16> {
    let s = std::str::from_utf8(b.get(..4)?).ok()?;
    u16::from_str_radix(s, 16).ok()
}

/// Replace `\uXXXX` escapes of unpaired surrogates by `\uFFFD`: JSON allows them,
/// Rust strings cannot hold them, and an editor's text may contain one.
pub fn repair_surrogates(text: &str) -> Cow<'_, str> {
    let b = text.as_bytes();
    if !b.windows(2).any(|w| w == b"\\u") {
        return Cow::Borrowed(text);
    }
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    let mut copied = 0;
    let mut repaired = false;
    while i < b.len() {
        if b[i] != b'\\' {
            i += 1;
            continue;
        }
        if b.get(i + 1) != Some(&b'u') {
            i += 2; // another escape: skip the escaped character
            continue;
        }
        let Some(unit) = b.get(i + 2..).and_then(hex4) else {
            i += 2;
            continue;
        };
        let lone = match unit {
            0xD800..=0xDBFF => {
                let low = (b.get(i + 6..i + 8) == Some(b"\\u"))
                    .then(|| b.get(i + 8..).and_then(hex4))
                    .flatten();
                if matches!(low, Some(0xDC00..=0xDFFF)) {
                    i += 12;
                    continue;
                }
                true
            }
            0xDC00..=0xDFFF => true,
            _ => false,
        };
        if lone {
            out.extend_from_slice(&b[copied..i]);
            out.extend_from_slice(b"\\uFFFD");
            repaired = true;
            copied = i + 6;
        }
        i += 6;
    }
    if !repaired {
        return Cow::Borrowed(text);
    }
    out.extend_from_slice(&b[copied..]);
    // Only ASCII escapes were replaced by ASCII: still UTF-8.
    Cow::Owned(
        String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
    )
}

/// A frame in the canonical form tower-lsp-server decodes.
pub fn frame(json: &str) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", json.len()).into_bytes();
    out.extend_from_slice(json.as_bytes());
    out
}

/// One header line without its line break (cut at `MAX_HEADER_LINE`); `None` at
/// the end of input.
async fn header_line<R: AsyncRead + Unpin>(r: &mut BufReader<R>) -> Option<Vec<u8>> {
    let mut line = Vec::new();
    loop {
        let buf = r.fill_buf().await.ok()?;
        if buf.is_empty() {
            return (!line.is_empty()).then_some(line);
        }
        let (take, done) = match buf.iter().position(|&c| c == b'\n') {
            Some(n) => (n + 1, true),
            None => (buf.len(), false),
        };
        let room = MAX_HEADER_LINE.saturating_sub(line.len());
        line.extend_from_slice(&buf[..take.min(room)]);
        r.consume(take);
        if done {
            while matches!(line.last(), Some(b'\n' | b'\r')) {
                line.pop();
            }
            return Some(line);
        }
    }
}

/// The headers of one frame: `Some(Ok(n))` with a usable `Content-Length`,
/// `Some(Err(why))` for a header block without one, `None` at the end of input.
async fn headers<R: AsyncRead + Unpin>(
    r: &mut BufReader<R>,
) -> Option<Result<usize, &'static str>> {
    let mut length = Err("no Content-Length header");
    let mut seen = false;
    loop {
        let mut line = header_line(r).await?;
        if !seen {
            while line.starts_with("\u{feff}".as_bytes()) {
                line.drain(..3);
            }
        }
        if line.is_empty() {
            if seen {
                return Some(length);
            }
            continue; // blank lines between frames
        }
        seen = true;
        let text = String::from_utf8_lossy(&line);
        if let Some((name, value)) = text.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = value
                    .trim()
                    .parse::<usize>()
                    .map_err(|_| "bad Content-Length header");
            }
        }
    }
}

/// Read the client's frames from `input` until it ends or `exit` arrives: answer
/// bad ones on `answers`, forward good ones to the server on `server`. Sets
/// `exited` and notifies `on_exit` when the exit notification was forwarded.
pub async fn read_frames<R, W>(
    input: R,
    mut server: W,
    answers: mpsc::Sender<Vec<u8>>,
    exited: Arc<AtomicBool>,
    on_exit: Arc<tokio::sync::Notify>,
) where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut r = BufReader::with_capacity(1 << 16, input);
    while let Some(length) = headers(&mut r).await {
        let verdict = match length {
            Err(why) => parse_error(why),
            Ok(n) if n > MAX_BODY => {
                let skipped = tokio::io::copy(&mut (&mut r).take(n as u64), &mut tokio::io::sink())
                    .await
                    .unwrap_or(0);
                if skipped < n as u64 {
                    return;
                }
                parse_error(format!("a message of {n} bytes is too large"))
            }
            Ok(n) => {
                let mut body = vec![0; n];
                if r.read_exact(&mut body).await.is_err() {
                    return; // the input ended inside a frame
                }
                judge(&body)
            }
        };
        match verdict {
            Verdict::Forward { json, exit } => {
                if server.write_all(&frame(&json)).await.is_err() || server.flush().await.is_err() {
                    return;
                }
                if exit {
                    exited.store(true, Ordering::SeqCst);
                    on_exit.notify_one();
                    return;
                }
            }
            Verdict::Answer(v) => {
                if answers.send(frame(&v.to_string())).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// Forward the server's frames whole from `from` to the output channel.
pub async fn forward_output<R: AsyncRead + Unpin>(from: R, out: mpsc::Sender<Vec<u8>>) {
    let mut r = BufReader::with_capacity(1 << 16, from);
    while let Some(length) = headers(&mut r).await {
        let Ok(n) = length else { continue };
        let mut body = vec![0; n];
        if r.read_exact(&mut body).await.is_err() {
            return;
        }
        let mut whole = format!("Content-Length: {n}\r\n\r\n").into_bytes();
        whole.extend_from_slice(&body);
        if out.send(whole).await.is_err() {
            return;
        }
    }
}

/// The one writer of the real output.
pub async fn write_frames<W: AsyncWrite + Unpin>(mut frames: mpsc::Receiver<Vec<u8>>, mut out: W) {
    while let Some(f) = frames.recv().await {
        if out.write_all(&f).await.is_err() || out.flush().await.is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(v: Verdict) -> i64 {
        match v {
            Verdict::Answer(v) => v["error"]["code"].as_i64().unwrap(),
            Verdict::Forward { .. } => 0,
        }
    }

    #[test]
    fn judges_bodies() {
        assert_eq!(code(judge(b"{not json")), -32700);
        assert_eq!(code(judge(b"\xff\xfe")), -32700);
        assert_eq!(code(judge(b"[]")), -32600);
        assert_eq!(
            code(judge(br#"[{"jsonrpc":"2.0","id":1,"method":"x"}]"#)),
            -32600
        );
        assert_eq!(code(judge(b"42")), -32600);
        assert_eq!(code(judge(br#"{"id": 3}"#)), -32600);
        assert_eq!(
            code(judge(br#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#)),
            -32600
        );
        assert_eq!(code(judge(br#"{"jsonrpc":"2.0","id":1,"method":"x"}"#)), 0);
        assert_eq!(code(judge(br#"{"jsonrpc":"2.0","id":1,"result":null}"#)), 0);
        assert_eq!(
            judge(br#"{"jsonrpc":"2.0","method":"exit"}"#),
            Verdict::Forward {
                json: r#"{"jsonrpc":"2.0","method":"exit"}"#.into(),
                exit: true
            }
        );
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        assert_eq!(repair_surrogates(r#""\ud800x""#), r#""\uFFFDx""#);
        assert_eq!(repair_surrogates(r#""\udc00""#), r#""\uFFFD""#);
        assert_eq!(repair_surrogates(r#""\ud83d\ude00""#), r#""\ud83d\ude00""#);
        assert_eq!(repair_surrogates(r#""\\ud800""#), r#""\\ud800""#);
        assert_eq!(repair_surrogates(r#""\ud800\u0041""#), r#""\uFFFD\u0041""#);
        assert!(matches!(repair_surrogates("plain"), Cow::Borrowed(_)));
    }
}
