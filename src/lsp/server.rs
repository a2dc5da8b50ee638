//! The `LanguageServer` implementation: document sync, diagnostics (push and pull),
//! workspace indexing, configuration and code actions. Editor features that read a
//! document (completion, hover, navigation, outline) are in `features.rs`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use super::document::{Document, Encoding, Positions};
use crate::codes::Code;
use crate::config::{Config, ConfigError, FILE_NAME};
use crate::diagnostic::{self, Severity};
use crate::engine;
use crate::model::RecordSummary;
use crate::workspace::index::WorkspaceIndex;

/// How long typing must pause before a document is checked.
const DEBOUNCE: Duration = Duration::from_millis(120);

#[derive(Default, Clone, Copy)]
struct ClientCaps {
    pull_diagnostics: bool,
    watch_dynamic: bool,
    progress: bool,
    configuration: bool,
    related_information: bool,
}

pub(super) struct State {
    pub(super) enc: Encoding,
    caps: ClientCaps,
    pub(super) docs: HashMap<Uri, Document>,
    roots: Vec<PathBuf>,
    /// Every record of the workspace; open documents' latest summaries override disk.
    pub(super) index: Arc<WorkspaceIndex>,
    /// Summaries of files on disk, to restore when a document closes.
    disk: HashMap<PathBuf, RecordSummary>,
    /// Severities from the editor's settings (`trls.rules`), over `trls.toml`.
    overrides: HashMap<String, Option<Severity>>,
    /// trls.toml path → its configuration (or error).
    configs: HashMap<PathBuf, std::result::Result<Arc<Config>, ConfigError>>,
    shutting_down: bool,
}

impl State {
    fn new() -> Self {
        State {
            enc: Encoding::Utf16,
            caps: ClientCaps::default(),
            docs: HashMap::new(),
            roots: Vec::new(),
            index: Arc::new(WorkspaceIndex::default()),
            disk: HashMap::new(),
            overrides: HashMap::new(),
            configs: HashMap::new(),
            shutting_down: false,
        }
    }

    /// The configuration governing a file (defaults where there is no usable one).
    pub(super) fn config_for(&mut self, path: Option<&Path>) -> Arc<Config> {
        let base = path
            .and_then(Path::parent)
            .and_then(Config::find)
            .and_then(|p| {
                let entry = self
                    .configs
                    .entry(p.clone())
                    .or_insert_with(|| Config::load(&p).map(Arc::new));
                entry.as_ref().ok().cloned()
            })
            .unwrap_or_else(|| Arc::new(Config::default()));
        if self.overrides.is_empty() {
            base
        } else {
            Arc::new(base.with_severities(&self.overrides))
        }
    }
}

pub struct Backend {
    client: Client,
    state: Arc<Mutex<State>>,
}

/// What a diagnostics computation needs, taken under the lock.
struct Job {
    uri: Uri,
    version: i32,
    text: String,
    path: PathBuf,
    config: Arc<Config>,
    index: Arc<WorkspaceIndex>,
    enc: Encoding,
    related: bool,
}

/// A document's diagnostics, with the summary it contributes to the workspace.
struct Outcome {
    summary: RecordSummary,
    diagnostics: Vec<Diagnostic>,
}

fn compute(job: &Job) -> Outcome {
    let analysis = engine::analyze(job.text.as_bytes(), Some(&job.path), &job.config);
    let summary = analysis.summary.clone();
    // The index may hold this document's previous summary; the rule judges the
    // current one against the other records only, so the shared index serves as is.
    let workspace = crate::rules::workspace::check(&job.path, &summary, &job.index);
    let checked = engine::finish(analysis, workspace, &job.config);
    let pos = Positions::new(&checked.text, job.enc);
    let diagnostics = checked
        .diagnostics
        .iter()
        .map(|d| to_lsp(d, &pos, &job.uri, job.related))
        .collect();
    Outcome {
        summary,
        diagnostics,
    }
}

pub(super) fn to_lsp(
    d: &diagnostic::Diagnostic,
    pos: &Positions,
    uri: &Uri,
    related: bool,
) -> Diagnostic {
    let severity = match d.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    };
    let related_information = (related && !d.related.is_empty()).then(|| {
        d.related
            .iter()
            .filter(|r| r.path.is_none())
            .map(|r| DiagnosticRelatedInformation {
                location: Location::new(uri.clone(), pos.range(r.span)),
                message: r.message.clone(),
            })
            .collect()
    });
    Diagnostic {
        range: pos.range(d.span),
        severity: Some(severity),
        code: Some(NumberOrString::String(d.code.to_string())),
        code_description: None,
        source: Some("trls".into()),
        message: d.message.clone(),
        related_information,
        tags: {
            let tags: Vec<DiagnosticTag> = d
                .code
                .meta()
                .tags
                .iter()
                .map(|t| match t {
                    crate::codes::Tag::Unnecessary => DiagnosticTag::UNNECESSARY,
                })
                .collect();
            (!tags.is_empty()).then_some(tags)
        },
        data: None,
    }
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
            code: tower_lsp_server::jsonrpc::ErrorCode::InternalError,
            message: "trls: internal error while answering this request (the server goes on)"
                .into(),
            data: None,
        }),
    }
}

fn is_record(path: &Path) -> bool {
    crate::workspace::is_record(path)
}

impl Backend {
    pub fn new(client: Client) -> Self {
        Backend {
            client,
            state: Arc::new(Mutex::new(State::new())),
        }
    }

    pub(super) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The diagnostics job of an open document, taken under the lock.
    fn job(&self, uri: &Uri) -> Option<Job> {
        let mut st = self.lock();
        if st.shutting_down {
            return None;
        }
        let doc = st.docs.get(uri)?;
        let (version, text, path) = (doc.version, doc.text(), doc.path.clone());
        let path = path.unwrap_or_else(|| PathBuf::from(uri.as_str()));
        let config = st.config_for(Some(&path));
        Some(Job {
            uri: uri.clone(),
            version,
            text,
            path,
            config,
            index: st.index.clone(),
            enc: st.enc,
            related: st.caps.related_information,
        })
    }

    /// Check a document; if it is still at the version checked, record its summary in
    /// the workspace index and (for push clients) publish its diagnostics. With
    /// `debounce`, wait for typing to pause first; with `cascade`, re-check the other
    /// open documents when its summary changed (cross-record findings).
    async fn diagnose(&self, uri: Uri, debounce: bool, cascade: bool) {
        if debounce {
            let version = self.lock().docs.get(&uri).map(|d| d.version);
            tokio::time::sleep(DEBOUNCE).await;
            if self.lock().docs.get(&uri).map(|d| d.version) != version {
                return; // a newer change will be checked
            }
        }
        let Some(job) = self.job(&uri) else { return };
        let Ok((job, outcome)) = guarded(move || {
            let outcome = compute(&job);
            (job, outcome)
        })
        .await
        else {
            self.client
                .log_message(
                    MessageType::ERROR,
                    format!("trls: checking {} failed", uri.as_str()),
                )
                .await;
            return;
        };
        let (summary_changed, push) = {
            let mut st = self.lock();
            if st.docs.get(&job.uri).map(|d| d.version) != Some(job.version) {
                return; // stale: never publish over a newer version
            }
            let changed = st.index.records.get(&job.path) != Some(&outcome.summary);
            if changed {
                Arc::make_mut(&mut st.index).insert(&job.path, outcome.summary.clone());
            }
            (changed, !st.caps.pull_diagnostics)
        };
        if push {
            self.client
                .publish_diagnostics(job.uri.clone(), outcome.diagnostics, Some(job.version))
                .await;
        }
        if summary_changed && cascade {
            self.rediagnose_others(&job.uri).await;
        }
    }

    /// Cross-record findings may have changed: check every other open document.
    async fn rediagnose_others(&self, except: &Uri) {
        let (uris, pull) = {
            let st = self.lock();
            let uris: Vec<Uri> = st.docs.keys().filter(|u| *u != except).cloned().collect();
            (uris, st.caps.pull_diagnostics)
        };
        if pull {
            let _ = self.client.workspace_diagnostic_refresh().await;
            return;
        }
        for uri in uris {
            Box::pin(self.diagnose(uri, false, false)).await;
        }
    }

    async fn rediagnose_all(&self) {
        let uris: Vec<Uri> = self.lock().docs.keys().cloned().collect();
        if self.lock().caps.pull_diagnostics {
            let _ = self.client.workspace_diagnostic_refresh().await;
            return;
        }
        for uri in uris {
            self.diagnose(uri, false, false).await;
        }
    }

    /// Index every record under the workspace folders, with work-done progress.
    async fn index_workspace(&self) {
        let (roots, progress) = {
            let st = self.lock();
            (st.roots.clone(), st.caps.progress)
        };
        if roots.is_empty() {
            return;
        }
        let token = NumberOrString::String("trls/index".into());
        let mut bar = None;
        if progress
            && self
                .client
                .create_work_done_progress(token.clone())
                .await
                .is_ok()
        {
            bar = Some(
                self.client
                    .progress(token, "trls: indexing trial records")
                    .with_percentage(0)
                    .begin()
                    .await,
            );
        }
        let files = guarded(move || {
            let mut files = Vec::new();
            for root in &roots {
                for entry in ignore::WalkBuilder::new(root)
                    .require_git(false)
                    .build()
                    .flatten()
                {
                    if entry.file_type().is_some_and(|t| t.is_file()) && is_record(entry.path()) {
                        files.push(entry.path().to_path_buf());
                    }
                }
            }
            files
        })
        .await
        .unwrap_or_default();
        let total = files.len().max(1);
        let mut summaries: Vec<(PathBuf, RecordSummary)> = Vec::with_capacity(files.len());
        for (n, chunk) in files.chunks(500).enumerate() {
            let chunk = chunk.to_vec();
            let part = guarded(move || {
                use rayon::prelude::*;
                chunk
                    .par_iter()
                    .filter_map(|p| {
                        std::fs::read(p)
                            .ok()
                            .map(|b| (p.clone(), engine::summarize(&b, p)))
                    })
                    .collect::<Vec<_>>()
            })
            .await
            .unwrap_or_default();
            summaries.extend(part);
            if let Some(bar) = &bar {
                let done = ((n + 1) * 500).min(total);
                bar.report_with_message(
                    format!("{done}/{total} records"),
                    (done * 100 / total) as u32,
                )
                .await;
            }
        }
        {
            let mut st = self.lock();
            let open: Vec<PathBuf> = st.docs.values().filter_map(|d| d.path.clone()).collect();
            let index = Arc::make_mut(&mut st.index);
            for (path, summary) in &summaries {
                if !open.contains(path) {
                    index.insert(path, summary.clone());
                }
            }
            st.disk = summaries.into_iter().collect();
        }
        if let Some(bar) = bar {
            bar.finish_with_message(format!("{} records", files.len()))
                .await;
        }
        self.rediagnose_all().await;
    }

    async fn load_settings(&self) {
        if !self.lock().caps.configuration {
            return;
        }
        let item = ConfigurationItem {
            scope_uri: None,
            section: Some("trls".into()),
        };
        let Ok(values) = self.client.configuration(vec![item]).await else {
            return;
        };
        let mut overrides = HashMap::new();
        if let Some(Value::Object(rules)) = values.first().and_then(|v| v.get("rules")) {
            for (code, sev) in rules {
                let sev = sev.as_str().unwrap_or("");
                if Code::parse(code).is_none() {
                    continue;
                }
                match sev {
                    "off" => {
                        overrides.insert(code.to_uppercase(), None);
                    }
                    s => {
                        if let Some(s) = Severity::parse(s) {
                            overrides.insert(code.to_uppercase(), Some(s));
                        }
                    }
                }
            }
        }
        self.lock().overrides = overrides;
    }

    /// A bad `trls.toml` is a diagnostic on `trls.toml` in the editor.
    async fn publish_config_errors(&self) {
        let errors: Vec<(PathBuf, Option<ConfigError>)> = {
            let st = self.lock();
            st.configs
                .iter()
                .map(|(p, r)| (p.clone(), r.as_ref().err().cloned()))
                .collect()
        };
        for (path, err) in errors {
            let Some(uri) = Uri::from_file_path(&path) else {
                continue;
            };
            let diagnostics = match err {
                None => Vec::new(),
                Some(e) => {
                    let line = e.line.saturating_sub(1) as u32;
                    let col = e.column.saturating_sub(1) as u32;
                    vec![Diagnostic {
                        range: Range::new(Position::new(line, col), Position::new(line, col + 1)),
                        severity: Some(DiagnosticSeverity::ERROR),
                        source: Some("trls".into()),
                        message: e.message,
                        ..Default::default()
                    }]
                }
            };
            self.client
                .publish_diagnostics(uri, diagnostics, None)
                .await;
        }
    }

    async fn watch_files(&self) {
        if !self.lock().caps.watch_dynamic {
            return;
        }
        let watchers = [
            "**/*.trial.yaml",
            "**/*.trial.yml",
            "**/*.trial.json",
            "**/trls.toml",
        ]
        .iter()
        .map(|g| FileSystemWatcher {
            glob_pattern: GlobPattern::String((*g).into()),
            kind: None,
        })
        .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let registration = Registration {
            id: "trls-watch".into(),
            method: "workspace/didChangeWatchedFiles".into(),
            register_options: serde_json::to_value(options).ok(),
        };
        let _ = self.client.register_capability(vec![registration]).await;
    }

    /// A snapshot of an open document: text, path, syntax, encoding.
    pub(super) fn document(
        &self,
        uri: &Uri,
    ) -> Option<(String, Option<PathBuf>, crate::syntax::Syntax, Encoding)> {
        let st = self.lock();
        let doc = st.docs.get(uri)?;
        Some((doc.text(), doc.path.clone(), doc.syntax, st.enc))
    }
}

fn code_action_kind_all() -> CodeActionKind {
    CodeActionKind::new("source.fixAll.trls")
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
            let mut st = self.lock();
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
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            code_action_kind_all(),
                        ]),
                        ..Default::default()
                    },
                )),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                ..super::features::capabilities()
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
        self.index_workspace().await;
    }

    async fn shutdown(&self) -> Result<()> {
        self.lock().shutting_down = true;
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let uri = doc.uri.clone();
        let document = Document::new(doc.uri, doc.version, &doc.text);
        // Into the workspace index at once, so that other documents see it.
        let mut new_summary = false;
        if let Some(path) = document.path.clone() {
            let summary = engine::summarize(doc.text.as_bytes(), &path);
            let mut st = self.lock();
            if st.index.records.get(&path) != Some(&summary) {
                Arc::make_mut(&mut st.index).insert(&path, summary);
                new_summary = true;
            }
        }
        self.lock().docs.insert(uri.clone(), document);
        self.diagnose(uri.clone(), false, true).await;
        if new_summary {
            self.rediagnose_others(&uri).await;
        }
        self.publish_config_errors().await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri.clone();
        let changed = {
            let mut st = self.lock();
            let enc = st.enc;
            match st.docs.get_mut(&uri) {
                Some(doc) => doc.change(params.text_document.version, params.content_changes, enc),
                None => false,
            }
        };
        if changed {
            self.diagnose(uri, true, true).await;
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let path = {
            let mut st = self.lock();
            let path = st.docs.remove(&uri).and_then(|d| d.path);
            if let Some(p) = &path {
                // Back to what is on disk.
                let summary = std::fs::read(p).ok().map(|b| engine::summarize(&b, p));
                let index = Arc::make_mut(&mut st.index);
                match summary {
                    Some(s) if p.exists() => index.insert(p, s),
                    _ => index.remove(p),
                }
            }
            path
        };
        if !self.lock().caps.pull_diagnostics {
            self.client
                .publish_diagnostics(uri.clone(), Vec::new(), None)
                .await;
        }
        if path.is_some() {
            self.rediagnose_others(&uri).await;
        }
    }

    async fn did_change_configuration(&self, _: DidChangeConfigurationParams) {
        self.load_settings().await;
        self.rediagnose_all().await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let mut config_changed = false;
        let mut records_changed = false;
        for change in params.changes {
            let Some(path) = change.uri.to_file_path().map(|p| p.into_owned()) else {
                continue;
            };
            if path.file_name().and_then(|n| n.to_str()) == Some(FILE_NAME) {
                config_changed = true;
                continue;
            }
            if !is_record(&path) {
                continue;
            }
            records_changed = true;
            let summary = if change.typ == FileChangeType::DELETED {
                None
            } else {
                std::fs::read(&path)
                    .ok()
                    .map(|b| engine::summarize(&b, &path))
            };
            let mut st = self.lock();
            let open = st
                .docs
                .values()
                .any(|d| d.path.as_deref() == Some(path.as_path()));
            match summary {
                Some(s) => {
                    st.disk.insert(path.clone(), s.clone());
                    if !open {
                        Arc::make_mut(&mut st.index).insert(&path, s);
                    }
                }
                None => {
                    st.disk.remove(&path);
                    if !open {
                        Arc::make_mut(&mut st.index).remove(&path);
                    }
                }
            }
        }
        if config_changed {
            self.lock().configs.clear();
        }
        if config_changed || records_changed {
            self.rediagnose_all().await;
        }
        if config_changed {
            // Re-read configurations of open documents, then report their errors.
            let paths: Vec<Option<PathBuf>> =
                self.lock().docs.values().map(|d| d.path.clone()).collect();
            for p in paths {
                self.lock().config_for(p.as_deref());
            }
            self.publish_config_errors().await;
        }
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let Some(job) = self.job(&uri) else {
            return Err(Error::invalid_params(format!(
                "unknown document {}",
                uri.as_str()
            )));
        };
        let (job, outcome) = guarded(move || {
            let o = compute(&job);
            (job, o)
        })
        .await?;
        {
            let mut st = self.lock();
            if st.index.records.get(&job.path) != Some(&outcome.summary) {
                Arc::make_mut(&mut st.index).insert(&job.path, outcome.summary.clone());
            }
        }
        Ok(DocumentDiagnosticReportResult::Report(
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: Some(format!("{}", job.version)),
                    items: outcome.diagnostics,
                },
            }),
        ))
    }

    async fn workspace_diagnostic(
        &self,
        _: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        // Reports for the open documents; files on disk are reported by `trls check`.
        let uris: Vec<Uri> = self.lock().docs.keys().cloned().collect();
        let mut items = Vec::new();
        for uri in uris {
            let params = DocumentDiagnosticParams {
                text_document: TextDocumentIdentifier { uri: uri.clone() },
                identifier: None,
                previous_result_id: None,
                work_done_progress_params: Default::default(),
                partial_result_params: Default::default(),
            };
            if let Ok(DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
                full,
            ))) = self.diagnostic(params).await
            {
                let version = self.lock().docs.get(&uri).map(|d| d.version as i64);
                items.push(WorkspaceDocumentDiagnosticReport::Full(
                    WorkspaceFullDocumentDiagnosticReport {
                        uri,
                        version,
                        full_document_diagnostic_report: full.full_document_diagnostic_report,
                    },
                ));
            }
        }
        Ok(WorkspaceDiagnosticReportResult::Report(
            WorkspaceDiagnosticReport { items },
        ))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri.clone();
        let Some((text, path, syntax, enc)) = self.document(&uri) else {
            return Ok(None);
        };
        let config = self.lock().config_for(path.as_deref());
        let only = params.context.only.clone();
        let related = self.lock().caps.related_information;
        guarded(move || {
            let wants = |k: &CodeActionKind| {
                only.as_ref()
                    .is_none_or(|o| o.iter().any(|w| k.as_str().starts_with(w.as_str())))
            };
            let file = path.clone().unwrap_or_else(|| PathBuf::from(uri.as_str()));
            let analysis = engine::analyze_text(&text, syntax, Some(&file), &config);
            let checked = engine::check_one(analysis, &config);
            let pos = Positions::new(&text, enc);
            let want = pos.span(params.range);
            let mut actions = Vec::new();
            if wants(&CodeActionKind::QUICKFIX) {
                for d in &checked.diagnostics {
                    let Some(fix) = &d.fix else { continue };
                    let touches = d.span.start <= want.end && want.start <= d.span.end;
                    if !touches {
                        continue;
                    }
                    let edits = fix
                        .edits
                        .iter()
                        .map(|e| TextEdit::new(pos.range(e.span), e.new_text.clone()))
                        .collect();
                    actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: fix.title.clone(),
                        kind: Some(CodeActionKind::QUICKFIX),
                        diagnostics: Some(vec![to_lsp(d, &pos, &uri, related)]),
                        edit: Some(WorkspaceEdit::new(HashMap::from([(uri.clone(), edits)]))),
                        is_preferred: Some(fix.safe),
                        ..Default::default()
                    }));
                }
            }
            let all = code_action_kind_all();
            let asked_fix_all = only.as_ref().is_some_and(|o| {
                o.iter()
                    .any(|w| all.as_str().starts_with(w.as_str()) && w.as_str() != "")
            });
            if asked_fix_all || only.is_none() {
                if let Some(fixed) = engine::fix_all(&text, &file, &config) {
                    let whole = pos.range(crate::syntax::Span::new(0, text.len()));
                    actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: "trls: fix all safe problems".into(),
                        kind: Some(all),
                        edit: Some(WorkspaceEdit::new(HashMap::from([(
                            uri.clone(),
                            vec![TextEdit::new(whole, fixed)],
                        )]))),
                        ..Default::default()
                    }));
                }
            }
            Some(actions)
        })
        .await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        super::features::completion(self, params).await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        super::features::hover(self, params).await
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        super::features::definition(self, params).await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        super::features::references(self, params).await
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        super::features::prepare_rename(self, params).await
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        super::features::rename(self, params).await
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        super::features::document_link(self, params).await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        super::features::document_symbol(self, params).await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        super::features::folding_range(self, params).await
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        let query = params.query.to_lowercase();
        let (index, enc) = {
            let st = self.lock();
            (st.index.clone(), st.enc)
        };
        guarded(move || {
            let mut found: Vec<(&PathBuf, &RecordSummary)> = index
                .records
                .iter()
                .filter(|(_, s)| {
                    let id =
                        s.id.as_ref()
                            .map(|(i, _)| i.to_lowercase())
                            .unwrap_or_default();
                    let title = s.title.as_deref().unwrap_or("").to_lowercase();
                    query.is_empty() || id.contains(&query) || title.contains(&query)
                })
                .collect();
            found.sort_by(|a, b| a.0.cmp(b.0));
            found.truncate(200);
            let symbols = found
                .into_iter()
                .filter_map(|(path, s)| {
                    let (id, span) = s.id.clone()?;
                    let uri = Uri::from_file_path(path)?;
                    let text = std::fs::read_to_string(path).unwrap_or_default();
                    let range = Positions::new(&text, enc).range(span);
                    #[allow(deprecated)]
                    Some(SymbolInformation {
                        name: id,
                        kind: SymbolKind::FILE,
                        tags: None,
                        deprecated: None,
                        location: Location::new(uri, range),
                        container_name: s.title.clone(),
                    })
                })
                .collect();
            Some(WorkspaceSymbolResponse::Flat(symbols))
        })
        .await
    }
}
