//! `trls lsp`: the language server, a shell over the engine and the `ide` layer
//! (built with the `lsp` feature).
//!
//! - `framing`: reads the client's frames, answers malformed ones itself, forwards
//!   good ones to tower-lsp-server (whose own transport would stop on them);
//! - `session`: documents, the workspace index, configuration, cached checks, and
//!   the `Files` the shell gives (the disk; tests may give anything else);
//! - `server`: initialization, shutdown and the one document-request helper;
//! - handlers: `sync` (documents and diagnostics, with a check worker per
//!   document), `navigation`, `editing` (code actions), `explain` (rule
//!   documentation), `workspace`, `workspace_diagnostics` (every record of the
//!   workspace, open or not), `presentation` (inlay hints, semantic tokens, code
//!   lens, selection, highlights);
//! - `convert` and `document`: positions, kinds, and the document store.
//!
//! Robustness: every request's work runs in a blocking task under `catch_unwind`, so a
//! panic becomes an error response; state locks recover from poisoning; positions are
//! clamped; diagnostics are published only while the version they were computed
//! from is current.

pub mod convert;
pub mod document;
mod editing;
mod explain;
mod formatting;
pub mod framing;
mod navigation;
mod presentation;
mod server;
pub mod session;
mod sync;
mod workspace;
mod workspace_diagnostics;

pub use server::Backend;
pub use session::{DiskFiles, Files, Session};

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::{LspService, Server};

/// Requests handled at once. Handlers only wait for their own work (checks run in
/// their own workers), so this bounds memory, not latency between documents.
const CONCURRENCY: usize = 64;

/// How long handlers may still run after `exit`.
const EXIT_GRACE: std::time::Duration = std::time::Duration::from_millis(500);

/// Serve LSP over `input`/`output` until the client exits or the input ends.
/// Returns the process's exit status: 1 for `exit` without a prior `shutdown`,
/// else 0.
pub async fn serve<I, O>(input: I, output: O, files: Arc<dyn Files>) -> i32
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin + Send + 'static,
{
    let session = Arc::new(Session::new(files));
    let shared = session.clone();
    let (service, socket) = LspService::build(move |client| Backend::new(client, shared))
        .custom_method("trls/documentText", Backend::document_text)
        .finish();
    let (server_in, frames_in) = tokio::io::duplex(1 << 16);
    let (server_out, frames_out) = tokio::io::duplex(1 << 16);
    let (tx, rx) = tokio::sync::mpsc::channel(64);
    let exited = Arc::new(AtomicBool::new(false));
    let exit = Arc::new(tokio::sync::Notify::new());
    let writer = tokio::spawn(framing::write_frames(rx, output));
    let forward = tokio::spawn(framing::forward_output(frames_out, tx.clone()));
    let reader = tokio::spawn(framing::read_frames(
        input,
        frames_in,
        tx,
        exited.clone(),
        exit.clone(),
    ));
    let serving = Server::new(server_in, server_out, socket)
        .concurrency_level(CONCURRENCY)
        .serve(service);
    // tower-lsp-server returns from `serve` after `exit` only once every handler
    // has finished, and a handler may be waiting for an answer the client will
    // never send: after `exit`, allow a moment, then stop.
    tokio::select! {
        _ = serving => {}
        _ = async {
            exit.notified().await;
            tokio::time::sleep(EXIT_GRACE).await;
        } => {}
    }
    // After `exit` the client may keep its end open: stop reading it.
    reader.abort();
    let _ = reader.await;
    let _ = forward.await;
    let _ = writer.await;
    let status = if exited.load(Ordering::SeqCst) && !session.is_shut_down() {
        1
    } else {
        0
    };
    // End the check workers (they end when woken after shutdown).
    session.set_shut_down();
    for open in session.lock().docs.values() {
        open.wake.notify_one();
    }
    status
}

/// Serve LSP on stdin/stdout until the client exits.
pub fn run() -> i32 {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_stack_size(64 << 20)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("trls: lsp: cannot start the runtime: {e}");
            return 2;
        }
    };
    let code = runtime.block_on(serve(
        tokio::io::stdin(),
        tokio::io::stdout(),
        Arc::new(DiskFiles),
    ));
    // A blocking read of stdin may still be waiting: do not wait for it.
    runtime.shutdown_background();
    code
}
