//! Whole-workspace diagnostics: every record of the workspace folders, open or not,
//! as `trls check` would report it.
//!
//! - `workspace/diagnostic` answers the open documents (their current check) and
//!   every closed record under the workspace folders, checked by the engine against
//!   the workspace index. Each report has a result id that is a digest of its
//!   diagnostics, so a file whose findings did not change is `unchanged`. With a
//!   `partialResultToken` the reports are streamed in batches (`$/progress`), all
//!   but the last, which is the answer's; a
//!   `workDoneToken`, or a large workspace on a client with work-done progress,
//!   gets progress. A file the client has a report for that is no record any more
//!   gets an empty report.
//! - A closed record's report is kept with the index epoch and a digest of the
//!   file's bytes it was made from: a pull re-reads the files (so changes on disk
//!   are seen with or without `didChangeWatchedFiles`) and re-checks only what
//!   changed, or everything after the index or the configuration changed.
//! - The setting `trls.workspaceDiagnostics` (off by default) publishes the same
//!   reports of closed records with `textDocument/publishDiagnostics`, for clients
//!   that do not pull workspace diagnostics (Neovim, Helix, Emacs); they follow
//!   indexing, watched files, configuration, and documents opening and closing.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::notification::Notification;
use tower_lsp_server::ls_types::*;

use super::convert::{self, Encoding, Positions};
use super::server::{guarded, Backend};
use super::session::Files;
use super::session::{check_against, read_index, SharedIndex};
use crate::engine;
use crate::syntax::{LineIndex, Span, Syntax};

/// Closed records checked in one batch (and streamed as one partial result).
const CHUNK: usize = 64;
/// More closed records to check than this: report work-done progress even when the
/// client gave no token.
const LARGE: usize = 200;
/// Changes to publish for closed records are gathered this long.
const SETTLE: Duration = Duration::from_millis(150);

/// One closed record's report, and what it was made from.
pub struct Report {
    epoch: u64,
    digest: u64,
    uri: Uri,
    result_id: String,
    items: Vec<Diagnostic>,
}

#[derive(Default)]
struct State {
    /// Closed records' latest reports.
    closed: HashMap<PathBuf, Arc<Report>>,
    /// `trls.workspaceDiagnostics`: publish closed records' diagnostics.
    publish: bool,
    /// What is published for closed records: URI → result id.
    published: HashMap<Uri, String>,
}

/// The reports of closed records, shared by pulls and publications.
#[derive(Default)]
pub struct Reports {
    state: Mutex<State>,
    /// A publication of closed records is on its way.
    scheduled: AtomicBool,
    /// One publication at a time.
    publishing: tokio::sync::Mutex<()>,
}

impl Reports {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A document closed: what was published for it before it opened is stale.
    pub fn forget(&self, uri: &Uri) {
        self.lock().published.remove(uri);
    }

    /// Set `trls.workspaceDiagnostics`; returns whether it changed.
    pub fn set_publish(&self, on: bool) -> bool {
        let mut st = self.lock();
        std::mem::replace(&mut st.publish, on) != on
    }
}

/// FNV-1a: a digest that is the same in every build (result ids may be kept by
/// the client across restarts of the server).
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The digest of a report's diagnostics: its result id.
fn result_id(items: &[Diagnostic]) -> String {
    format!(
        "{:016x}",
        fnv(serde_json::to_string(items).unwrap_or_default().as_bytes())
    )
}

fn digest(bytes: &[u8]) -> u64 {
    fnv(bytes)
}

/// The report of one document: `unchanged` when the client has this result id.
fn report(
    uri: Uri,
    version: Option<i64>,
    result_id: String,
    items: &[Diagnostic],
    previous: &HashMap<Uri, String>,
) -> WorkspaceDocumentDiagnosticReport {
    if previous.get(&uri) == Some(&result_id) {
        return WorkspaceDocumentDiagnosticReport::Unchanged(
            WorkspaceUnchangedDocumentDiagnosticReport {
                uri,
                version,
                unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                    result_id,
                },
            },
        );
    }
    WorkspaceDocumentDiagnosticReport::Full(WorkspaceFullDocumentDiagnosticReport {
        uri,
        version,
        full_document_diagnostic_report: FullDocumentDiagnosticReport {
            result_id: Some(result_id),
            items: items.to_vec(),
        },
    })
}

/// `$/progress` carrying a partial result.
enum PartialResult {}

#[derive(Serialize, Deserialize)]
struct PartialParams {
    token: ProgressToken,
    value: WorkspaceDiagnosticReportPartialResult,
}

impl Notification for PartialResult {
    type Params = PartialParams;
    const METHOD: &'static str = "$/progress";
}

/// The closed records under the workspace folders and what checking them needs,
/// taken at once from the session.
struct Closed {
    paths: Vec<PathBuf>,
    epoch: u64,
    enc: Encoding,
    related: bool,
    index: SharedIndex,
    /// Open documents by path (their text positions related locations).
    open: HashMap<PathBuf, (Uri, Arc<String>, Arc<LineIndex>)>,
}

type TextLines = (Arc<String>, Arc<LineIndex>);

/// Positions spans of other files (an open document's text, else the file's).
struct Locator<'a> {
    closed: &'a Closed,
    files: &'a dyn Files,
    seen: HashMap<PathBuf, Option<TextLines>>,
}

impl Locator<'_> {
    fn location(&mut self, path: &Path, span: Span) -> Option<Location> {
        let enc = self.closed.enc;
        if let Some((uri, text, lines)) = self.closed.open.get(path) {
            let range = Positions::new(text, lines, enc).range(span);
            return Some(Location::new(uri.clone(), range));
        }
        let uri = Uri::from_file_path(path)?;
        let files = self.files;
        let known = self.seen.entry(path.to_path_buf()).or_insert_with(|| {
            let text = String::from_utf8(files.read(path)?).ok()?;
            let lines = LineIndex::new(&text);
            Some((Arc::new(text), Arc::new(lines)))
        });
        let range = match known {
            Some((text, lines)) => Positions::new(text, lines, enc).range(span),
            None => Range::default(),
        };
        Some(Location::new(uri, range))
    }
}

/// Check one closed record (its bytes as read) through the engine, as LSP
/// diagnostics (without fix data: a fix applies to an open document's version).
fn check_closed(
    closed: &Closed,
    files: &dyn Files,
    path: &Path,
    bytes: &[u8],
    config: &crate::config::Config,
) -> Option<(Uri, Vec<Diagnostic>)> {
    let uri = Uri::from_file_path(path)?;
    let checked = match std::str::from_utf8(bytes) {
        Ok(text) => {
            check_against(text, Syntax::from_path(path), path, config, &closed.index).checked
        }
        Err(_) => engine::check_bytes(bytes, path, config),
    };
    let pos = Positions::new(&checked.text, &checked.lines, closed.enc);
    let mut locator = Locator {
        closed,
        files,
        seen: HashMap::new(),
    };
    let mut locate = |p: &Path, span: Span| {
        if p == path {
            Some(Location::new(uri.clone(), pos.range(span)))
        } else {
            locator.location(p, span)
        }
    };
    let items = checked
        .diagnostics
        .iter()
        .map(|d| {
            let mut lsp = convert::diagnostic(d, &pos, &uri, 0, closed.related, &mut locate);
            lsp.data = None;
            lsp
        })
        .collect();
    Some((uri, items))
}

impl Backend {
    fn closed_records(&self) -> Closed {
        let st = self.session.lock();
        let open: HashMap<PathBuf, (Uri, Arc<String>, Arc<LineIndex>)> = st
            .docs
            .values()
            .filter_map(|o| {
                let d = &o.doc;
                Some((d.path.clone()?, (d.uri.clone(), d.text(), d.lines())))
            })
            .collect();
        let index = st.index();
        let mut paths: Vec<PathBuf> = read_index(&index)
            .records
            .keys()
            .filter(|p| !open.contains_key(&***p) && st.roots.iter().any(|r| p.starts_with(r)))
            .map(|p| p.to_path_buf())
            .collect();
        paths.sort();
        Closed {
            paths,
            epoch: st.epoch,
            enc: st.enc,
            related: st.caps.related_information,
            index,
            open,
        }
    }

    /// The reports of some closed records: kept ones where neither the file nor the
    /// epoch changed, else checked now (in parallel). A file that cannot be read is
    /// left out.
    async fn closed_reports(&self, closed: &Arc<Closed>, paths: Vec<PathBuf>) -> Vec<Arc<Report>> {
        let Ok(_permit) = self.session.checks.acquire().await else {
            return Vec::new();
        };
        let (session, reports, closed) =
            (self.session.clone(), self.reports.clone(), closed.clone());
        guarded(move || {
            use rayon::prelude::*;
            let files = session.files.clone();
            let read: Vec<(PathBuf, Vec<u8>, u64)> = paths
                .into_par_iter()
                .filter_map(|p| {
                    let bytes = files.read(&p)?;
                    let d = digest(&bytes);
                    Some((p, bytes, d))
                })
                .collect();
            let mut done = Vec::with_capacity(read.len());
            let mut todo = Vec::new();
            {
                let kept = reports.lock();
                for (path, bytes, d) in read {
                    match kept.closed.get(&path) {
                        Some(r) if r.epoch == closed.epoch && r.digest == d => done.push(r.clone()),
                        _ => todo.push((path, bytes, d)),
                    }
                }
            }
            let configs: Vec<_> = {
                let mut st = session.lock();
                todo.iter()
                    .map(|(p, _, _)| st.config_for(&*files, Some(p)))
                    .collect()
            };
            let fresh: Vec<(PathBuf, Arc<Report>)> = todo
                .into_par_iter()
                .zip(configs)
                .filter_map(|((path, bytes, d), config)| {
                    let (uri, items) = check_closed(&closed, &*files, &path, &bytes, &config)?;
                    let report = Report {
                        epoch: closed.epoch,
                        digest: d,
                        uri,
                        result_id: result_id(&items),
                        items,
                    };
                    Some((path, Arc::new(report)))
                })
                .collect();
            let mut kept = reports.lock();
            for (path, r) in fresh {
                kept.closed.insert(path, r.clone());
                done.push(r);
            }
            // Forget reports of records that are gone or open.
            let known: HashSet<&PathBuf> = closed.paths.iter().collect();
            if kept.closed.len() > known.len() {
                kept.closed.retain(|p, _| known.contains(p));
            }
            done
        })
        .await
        .unwrap_or_default()
    }

    pub(super) async fn pull_workspace_diagnostics(
        &self,
        params: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        let previous: HashMap<Uri, String> = params
            .previous_result_ids
            .into_iter()
            .map(|p| (p.uri, p.value))
            .collect();
        let partial = params.partial_result_params.partial_result_token;
        let mut out = Vec::new();
        let mut reported: HashSet<Uri> = HashSet::new();

        // The open documents: their current check.
        let uris: Vec<Uri> = self.session.lock().docs.keys().cloned().collect();
        let mut batch = Vec::new();
        for uri in uris {
            if let Ok(Some((version, items))) = self.current_diagnostics(&uri).await {
                let id = result_id(&items);
                reported.insert(uri.clone());
                batch.push(report(uri, Some(version as i64), id, &items, &previous));
            }
        }
        // Every closed record under the workspace folders.
        let closed = Arc::new(self.closed_records());
        if closed.paths.is_empty() {
            out.extend(batch);
        } else {
            self.emit(&partial, &mut out, batch).await;
        }
        let total = closed.paths.len();
        let progress = self.session.lock().caps.progress;
        let token = match params.work_done_progress_params.work_done_token {
            Some(t) => Some(t),
            None if progress && total > LARGE => {
                let t = NumberOrString::String("trls/workspace-diagnostics".into());
                self.client
                    .create_work_done_progress(t.clone())
                    .await
                    .is_ok()
                    .then_some(t)
            }
            None => None,
        };
        let bar = match token {
            Some(t) if total > 0 => Some(
                self.client
                    .progress(t, "trls: checking the workspace")
                    .with_percentage(0)
                    .begin()
                    .await,
            ),
            _ => None,
        };
        let mut done = 0;
        let chunks = closed.paths.chunks(CHUNK).count();
        for (n, chunk) in closed.paths.chunks(CHUNK).enumerate() {
            let reports = self.closed_reports(&closed, chunk.to_vec()).await;
            let batch = reports
                .iter()
                .map(|r| {
                    reported.insert(r.uri.clone());
                    report(
                        r.uri.clone(),
                        None,
                        r.result_id.clone(),
                        &r.items,
                        &previous,
                    )
                })
                .collect();
            // The last batch is the answer's: a partial result is never sent just
            // before the answer (the transport does not keep notifications and
            // responses in order, and a client drops partial results that come
            // after the answer).
            if n + 1 == chunks {
                out.extend(batch);
            } else {
                self.emit(&partial, &mut out, batch).await;
            }
            done += chunk.len();
            if let Some(bar) = &bar {
                bar.report_with_message(
                    format!("{done}/{total} records"),
                    (done * 100 / total.max(1)) as u32,
                )
                .await;
            }
        }
        if let Some(bar) = bar {
            bar.finish_with_message(format!("{total} records")).await;
        }

        // What the client knows of that is no record now: nothing to show.
        let gone: Vec<_> = previous
            .keys()
            .filter(|u| !reported.contains(*u))
            .map(|u| report(u.clone(), None, result_id(&[]), &[], &previous))
            .collect();
        out.extend(gone);
        Ok(WorkspaceDiagnosticReportResult::Report(
            WorkspaceDiagnosticReport { items: out },
        ))
    }

    /// Stream a batch as a partial result, or keep it for the response.
    async fn emit(
        &self,
        partial: &Option<ProgressToken>,
        out: &mut Vec<WorkspaceDocumentDiagnosticReport>,
        batch: Vec<WorkspaceDocumentDiagnosticReport>,
    ) {
        match partial {
            Some(token) if !batch.is_empty() => {
                self.client
                    .send_notification::<PartialResult>(PartialParams {
                        token: token.clone(),
                        value: WorkspaceDiagnosticReportPartialResult { items: batch },
                    })
                    .await;
            }
            Some(_) => {}
            None => out.extend(batch),
        }
    }

    /// Closed records' diagnostics may have changed: publish them shortly (with
    /// `trls.workspaceDiagnostics`), once for a burst of changes.
    pub(super) fn closed_files_changed(&self) {
        {
            let st = self.reports.lock();
            if !st.publish && st.published.is_empty() {
                return;
            }
        }
        if self.reports.scheduled.swap(true, Ordering::SeqCst) {
            return;
        }
        let b = self.clone();
        tokio::spawn(async move {
            tokio::time::sleep(SETTLE).await;
            b.reports.scheduled.store(false, Ordering::SeqCst);
            b.publish_closed().await;
        });
    }

    /// Publish what changed in closed records' reports; clear what is no longer a
    /// closed record (or everything, once the setting is off). An opened document
    /// is left to its own publications on a push client, cleared on a pull client
    /// (whose document pull reports it).
    async fn publish_closed(&self) {
        let _one = self.reports.publishing.lock().await;
        if self.session.is_shut_down() {
            return;
        }
        let on = self.reports.lock().publish;
        let closed = Arc::new(self.closed_records());
        let mut now: HashMap<Uri, Arc<Report>> = HashMap::new();
        if on {
            for chunk in closed.paths.chunks(CHUNK) {
                for r in self.closed_reports(&closed, chunk.to_vec()).await {
                    now.insert(r.uri.clone(), r);
                }
            }
        }
        let published = self.reports.lock().published.clone();
        let pull = self.session.lock().caps.pull_diagnostics;
        let is_open = |uri: &Uri| {
            let path = uri.to_file_path().map(|p| p.into_owned());
            self.session
                .lock()
                .docs
                .values()
                .any(|o| o.doc.path.is_some() && o.doc.path == path)
        };
        for (uri, r) in &now {
            if published.get(uri) == Some(&r.result_id) {
                continue;
            }
            let _publish = self.session.publish.lock().await;
            if is_open(uri) {
                continue; // opened meanwhile: its own check speaks for it
            }
            self.client
                .publish_diagnostics(uri.clone(), r.items.clone(), None)
                .await;
            self.reports
                .lock()
                .published
                .insert(uri.clone(), r.result_id.clone());
        }
        for uri in published.keys().filter(|u| !now.contains_key(*u)) {
            let _publish = self.session.publish.lock().await;
            if pull || !is_open(uri) {
                self.client
                    .publish_diagnostics(uri.clone(), Vec::new(), None)
                    .await;
            }
            self.reports.lock().published.remove(uri);
        }
    }
}
