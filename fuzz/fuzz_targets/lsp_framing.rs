//! The message framing layer on arbitrary input: never a panic or a hang; every
//! frame it forwards to the server is canonical (`Content-Length`, then a JSON body
//! the server's transport decodes); every bad frame is answered with a JSON-RPC
//! error.
#![no_main]

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use trls::lsp::framing;

fuzz_target!(|data: &[u8]| {
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let (forwarded, answers) = rt.block_on(async {
        let mut forwarded: Vec<u8> = Vec::new();
        // Every frame is at least a few bytes: room for one answer per input byte.
        let (tx, mut rx) = tokio::sync::mpsc::channel(data.len() + 1);
        framing::read_frames(
            data,
            &mut forwarded,
            tx,
            Arc::new(AtomicBool::new(false)),
            Arc::new(tokio::sync::Notify::new()),
        )
        .await;
        let mut answers = Vec::new();
        while let Ok(a) = rx.try_recv() {
            answers.push(a);
        }
        (forwarded, answers)
    });
    let mut rest = forwarded.as_slice();
    while !rest.is_empty() {
        let text = std::str::from_utf8(rest).expect("forwarded headers are ASCII");
        let head_end = text.find("\r\n\r\n").expect("a canonical header");
        let n: usize = text[..head_end]
            .strip_prefix("Content-Length: ")
            .expect("Content-Length first and only")
            .parse()
            .unwrap();
        let body = &rest[head_end + 4..head_end + 4 + n];
        let json: serde_json::Value = serde_json::from_slice(body).expect("JSON body");
        assert!(json.is_object(), "forwarded a non-object");
        rest = &rest[head_end + 4 + n..];
    }
    for a in answers {
        let text = String::from_utf8(a).unwrap();
        let body = &text[text.find("\r\n\r\n").unwrap() + 4..];
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert!(v["error"]["code"].is_i64(), "an answer without an error code");

    }
});
