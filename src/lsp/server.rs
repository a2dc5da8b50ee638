//! The `LanguageServer` implementation: initialization and shutdown here, every
//! other method delegated to its group of handlers (`sync`, `navigation`,
//! `editing`, `workspace`), all of which answer through [`Backend::on_document`].

use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use super::convert::Encoding;
use super::session::{ClientCaps, Session, Snapshot};

/// The server: the client handle and the shared session. Cheap to clone (check
/// workers hold one).
#[derive(Clone)]
pub struct Backend {
    pub(super) client: Client,
    pub(super) session: Arc<Session>,
    /// Closed records' reports (workspace diagnostics).
    pub(super) reports: Arc<super::workspace_diagnostics::Reports>,
}

/// Run a request's work off the async threads; a panic becomes an error response.
pub(super) async fn guarded<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T> {
    match tokio::task::spawn_blocking(move || {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
    })
    .await
    {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(_)) | Err(_) => Err(Error {
            code: ErrorCode::InternalError,
            message: "trls: internal error while answering this request (the server goes on)"
                .into(),
            data: None,
        }),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentTextParams {
    pub text_document: TextDocumentIdentifier,
}

#[derive(Serialize)]
pub struct DocumentText {
    pub version: i32,
    pub text: String,
}

impl Backend {
    pub fn new(client: Client, session: Arc<Session>) -> Self {
        Backend {
            client,
            session,
            reports: Default::default(),
        }
    }

    /// The one way a request reads a document: take a snapshot of it (none: the
    /// document is not open, answer `null`), run `work` on it in a blocking task
    /// under `catch_unwind` (a panic answers an internal error).
    pub(super) async fn on_document<T: Send + 'static>(
        &self,
        uri: &Uri,
        work: impl FnOnce(Snapshot) -> Option<T> + Send + 'static,
    ) -> Result<Option<T>> {
        let Some(snap) = self.session.snapshot(uri, None) else {
            return Ok(None);
        };
        guarded(move || work(snap)).await
    }

    /// `trls/documentText`: the server's copy of a document (for tests and
    /// debugging: an editor can compare it with its own).
    pub async fn document_text(&self, params: DocumentTextParams) -> Result<DocumentText> {
        let st = self.session.lock();
        match st.docs.get(&params.text_document.uri) {
            Some(open) => Ok(DocumentText {
                version: open.doc.version,
                text: open.doc.text().to_string(),
            }),
            None => Err(Error::invalid_params("the document is not open")),
        }
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let caps = &params.capabilities;
        let offered = caps
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.clone())
            .unwrap_or_default();
        let enc = if offered.contains(&PositionEncodingKind::UTF8) {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        };
        let text = caps.text_document.as_ref();
        let ws = caps.workspace.as_ref();
        let client = ClientCaps {
            pull_diagnostics: text.and_then(|t| t.diagnostic.as_ref()).is_some(),
            watch_dynamic: ws
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            progress: caps
                .window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false),
            configuration: ws.and_then(|w| w.configuration).unwrap_or(false),
            related_information: text
                .and_then(|t| t.publish_diagnostics.as_ref())
                .and_then(|p| p.related_information)
                .unwrap_or(false)
                || text.and_then(|t| t.diagnostic.as_ref()).is_some(),
            resolve_edit: text
                .and_then(|t| t.code_action.as_ref())
                .and_then(|c| c.resolve_support.as_ref())
                .is_some_and(|r| r.properties.iter().any(|p| p == "edit")),
            label_details: text
                .and_then(|t| t.completion.as_ref())
                .and_then(|c| c.completion_item.as_ref())
                .and_then(|i| i.label_details_support)
                .unwrap_or(false),
            trace: params.trace == Some(TraceValue::Verbose),
        };
        let mut roots: Vec<PathBuf> = params
            .workspace_folders
            .unwrap_or_default()
            .iter()
            .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
            .collect();
        #[allow(deprecated)]
        if roots.is_empty() {
            if let Some(p) = params.root_uri.as_ref().and_then(|u| u.to_file_path()) {
                roots.push(p.into_owned());
            }
        }
        {
            let mut st = self.session.lock();
            st.enc = enc;
            st.caps = client;
            st.roots = roots;
        }
        let diagnostic_provider = client.pull_diagnostics.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some("trls".into()),
                inter_file_dependencies: true,
                workspace_diagnostics: true,
                work_done_progress_options: Default::default(),
            })
        });
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(match enc {
                    Encoding::Utf8 => PositionEncodingKind::UTF8,
                    Encoding::Utf16 => PositionEncodingKind::UTF16,
                }),
                text_document_sync: Some(TextDocumentSyncCapability::Kind(
                    TextDocumentSyncKind::INCREMENTAL,
                )),
                diagnostic_provider,
                code_action_provider: Some(super::editing::capability()),
                execute_command_provider: Some(super::explain::capability()),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                // Presentation (issue 14): see `presentation`.
                inlay_hint_provider: Some(OneOf::Left(true)),
                semantic_tokens_provider: Some(super::presentation::semantic_tokens_capability()),
                code_lens_provider: Some(CodeLensOptions {
                    resolve_provider: Some(false),
                }),
                selection_range_provider: Some(SelectionRangeProviderCapability::Simple(true)),
                document_highlight_provider: Some(OneOf::Left(true)),
                document_formatting_provider: super::formatting::document_capability(),
                document_range_formatting_provider: super::formatting::range_capability(),
                ..super::navigation::capabilities()
            },
            server_info: Some(ServerInfo {
                name: "trls".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        self.load_settings().await;
        self.watch_files().await;
        // In the background: requests and open documents are answered meanwhile
        // (against the part of the workspace indexed so far; every open document is
        // checked again when indexing ends).
        let b = self.clone();
        tokio::spawn(async move { b.index_workspace().await });
    }

    async fn shutdown(&self) -> Result<()> {
        self.session.set_shut_down();
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        self.open(params);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        self.change(params);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        self.close(params).await;
    }

    async fn did_change_configuration(&self, _: DidChangeConfigurationParams) {
        self.load_settings().await;
        self.rediagnose_all().await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        self.watched_files(params).await;
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        self.pull_diagnostics(params).await
    }

    async fn workspace_diagnostic(
        &self,
        params: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        self.pull_workspace_diagnostics(params).await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        self.code_actions(params).await
    }

    async fn code_action_resolve(&self, action: CodeAction) -> Result<CodeAction> {
        self.resolve_code_action(action).await
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        self.run_command(params).await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        super::navigation::completion(self, params).await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        super::navigation::hover(self, params).await
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        super::navigation::definition(self, params).await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        super::navigation::references(self, params).await
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        super::navigation::prepare_rename(self, params).await
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        super::navigation::rename(self, params).await
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        super::navigation::document_link(self, params).await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        super::navigation::document_symbol(self, params).await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        super::navigation::folding_range(self, params).await
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        self.format_document(params).await
    }

    async fn range_formatting(
        &self,
        params: DocumentRangeFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>> {
        self.format_range(params).await
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        self.workspace_symbols(params).await
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        super::presentation::inlay_hint(self, params).await
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        super::presentation::semantic_tokens_full(self, params).await
    }

    async fn semantic_tokens_full_delta(
        &self,
        params: SemanticTokensDeltaParams,
    ) -> Result<Option<SemanticTokensFullDeltaResult>> {
        super::presentation::semantic_tokens_full_delta(self, params).await
    }

    async fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> Result<Option<SemanticTokensRangeResult>> {
        super::presentation::semantic_tokens_range(self, params).await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        super::presentation::code_lens(self, params).await
    }

    async fn selection_range(
        &self,
        params: SelectionRangeParams,
    ) -> Result<Option<Vec<SelectionRange>>> {
        super::presentation::selection_range(self, params).await
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        super::presentation::document_highlight(self, params).await
    }
}
