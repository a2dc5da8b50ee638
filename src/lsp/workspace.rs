//! Workspace handlers: indexing the workspace folders (with progress), watched
//! files, settings from `workspace/configuration`, `trls.toml` errors, and
//! workspace symbols. Files are read through the session's `Files`, never directly.

use std::collections::HashMap;
use std::path::PathBuf;

use serde_json::Value;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::convert::Positions;
use super::server::{guarded, Backend};
use crate::config::FILE_NAME;
use crate::model::RecordSummary;
use crate::syntax::LineIndex;

impl Backend {
    /// Index every record under the workspace folders, with work-done progress.
    pub(super) async fn index_workspace(&self) {
        let (roots, progress, since) = {
            let st = self.session.lock();
            (st.roots.clone(), st.caps.progress, st.indexing_starts())
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
        let files = self.session.files.clone();
        let found = guarded(move || files.records(&roots))
            .await
            .unwrap_or_default();
        let total = found.len().max(1);
        let mut summaries: Vec<(PathBuf, RecordSummary)> = Vec::with_capacity(found.len());
        for (n, chunk) in found.chunks(500).enumerate() {
            let chunk = chunk.to_vec();
            let files = self.session.files.clone();
            let part = guarded(move || {
                use rayon::prelude::*;
                chunk
                    .par_iter()
                    .filter_map(|p| {
                        files
                            .read(p)
                            .map(|b| (p.clone(), crate::engine::summarize_sections(&b, p)))
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
        // One lock of the index for every record (not one per record).
        self.session.lock().set_disk_summaries(summaries, since);
        if let Some(bar) = bar {
            bar.finish_with_message(format!("{} records", found.len()))
                .await;
        }
        self.rediagnose_all().await;
    }

    pub(super) async fn load_settings(&self) {
        if !self.session.lock().caps.configuration {
            return;
        }
        let item = ConfigurationItem {
            scope_uri: None,
            section: Some("trls".into()),
        };
        let Ok(values) = self.client.configuration(vec![item]).await else {
            return;
        };
        // Codes or code prefixes (`TRF4`), as in `trls.toml`; bad entries are said.
        let rules = values.first().and_then(|v| v.get("rules"));
        let (overrides, errors) = crate::config::rule_settings(rules.unwrap_or(&Value::Null));
        self.session.lock().set_overrides(overrides);
        for e in errors {
            self.client.show_message(MessageType::WARNING, e).await;
        }
        let closed = values
            .first()
            .and_then(|v| v.get("workspaceDiagnostics"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if self.reports.set_publish(closed) {
            self.closed_files_changed();
        }
    }

    /// A bad `trls.toml` is a diagnostic on `trls.toml` in the editor.
    pub(super) async fn publish_config_errors(&self) {
        let errors = self.session.lock().config_errors();
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

    pub(super) async fn watch_files(&self) {
        if !self.session.lock().caps.watch_dynamic {
            return;
        }
        let watchers = [
            "**/*.trial.yaml",
            "**/*.trial.yml",
            "**/*.trial.json",
            "**/trls.toml",
            // Registry snapshots (only those in a configured folder count).
            "**/*.json",
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

    pub(super) async fn watched_files(&self, params: DidChangeWatchedFilesParams) {
        let mut config_changed = false;
        let mut records = Vec::new();
        for change in params.changes {
            let Some(path) = change.uri.to_file_path().map(|p| p.into_owned()) else {
                continue;
            };
            if path.file_name().and_then(|n| n.to_str()) == Some(FILE_NAME) {
                config_changed = true;
            } else if crate::workspace::is_record(&path) {
                records.push((path, change.typ == FileChangeType::DELETED));
            } else if self.session.lock().is_snapshot(&path) {
                // A snapshot changed: the configurations read their folders again,
                // and every record is judged against the new snapshots (TRF12x).
                config_changed = true;
            }
        }
        let records_changed = !records.is_empty();
        let files = self.session.files.clone();
        let summaries = guarded(move || {
            records
                .into_iter()
                .map(|(path, deleted)| {
                    let summary = (!deleted)
                        .then(|| files.read(&path))
                        .flatten()
                        .map(|b| crate::engine::summarize_sections(&b, &path));
                    (path, summary)
                })
                .collect::<Vec<_>>()
        })
        .await
        .unwrap_or_default();
        {
            let mut st = self.session.lock();
            for (path, summary) in summaries {
                st.set_disk_summary(&path, summary);
            }
            if config_changed {
                st.reload_configs();
            }
        }
        if config_changed || records_changed {
            self.rediagnose_all().await;
        }
        if config_changed {
            // Re-read configurations of open documents, then report their errors.
            let paths: Vec<Option<PathBuf>> = self
                .session
                .lock()
                .docs
                .values()
                .map(|o| o.doc.path.clone())
                .collect();
            let files = self.session.files.clone();
            for p in paths {
                self.session.lock().config_for(&*files, p.as_deref());
            }
            self.publish_config_errors().await;
        }
    }

    pub(super) async fn workspace_symbols(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        let query = params.query.to_lowercase();
        let (index, enc, open) = {
            let st = self.session.lock();
            let open: HashMap<PathBuf, std::sync::Arc<String>> = st
                .docs
                .values()
                .filter_map(|o| o.doc.path.clone().map(|p| (p, o.doc.text())))
                .collect();
            (st.index(), st.enc, open)
        };
        let files = self.session.files.clone();
        guarded(move || {
            // The matches are taken out of the index, which is not held while files
            // are read below.
            let index = super::session::read_index(&index);
            let mut found: Vec<(PathBuf, std::sync::Arc<RecordSummary>)> = index
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
                .map(|(p, s)| (p.to_path_buf(), s.clone()))
                .collect();
            drop(index);
            found.sort_by(|a, b| a.0.cmp(&b.0));
            found.truncate(200);
            let symbols = found
                .into_iter()
                .filter_map(|(path, s)| {
                    let (id, span) = s.id.clone()?;
                    let uri = Uri::from_file_path(&path)?;
                    // Open documents override the disk.
                    let text = match open.get(&path) {
                        Some(t) => t.to_string(),
                        None => String::from_utf8(files.read(&path)?).ok()?,
                    };
                    let lines = LineIndex::new(&text);
                    let range = Positions::new(&text, &lines, enc).range(span);
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
