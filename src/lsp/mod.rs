//! `trls lsp`: the language server, a shell over the engine and the `ide` layer. It
//! keeps documents, the workspace index and configuration, and translates between
//! LSP and the engine's byte spans. It has no checks of its own.
//!
//! Robustness: every request's work runs in a blocking task under `catch_unwind`, so a
//! panic becomes an error response; state locks recover from poisoning; positions are
//! clamped; diagnostics carry the document version they were computed from and are
//! published only while that version is current.

pub mod document;
mod features;
mod server;

pub use server::Backend;

use tower_lsp_server::{LspService, Server};

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
    runtime.block_on(async {
        let (service, socket) = LspService::new(Backend::new);
        Server::new(tokio::io::stdin(), tokio::io::stdout(), socket)
            .serve(service)
            .await;
    });
    0
}
