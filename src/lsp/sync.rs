//! Document sync and diagnostics: `didOpen`/`didChange`/`didClose` return at once
//! after updating the document; each open document has its own check worker that
//! checks its latest version off the request path (a newer version supersedes one
//! not yet checked, and a stale result is never published), records its summary in
//! the workspace index, publishes (push clients) and wakes the other documents'
//! workers when cross-record findings may have changed. Pull diagnostics answer
//! from the cached check of the current version, checking only when there is none
//! (`workspace/diagnostic` and closed records: `workspace_diagnostics`).
//!
//! When to check ([`debounce`]): a document whose last check was cheap (under
//! [`INSTANT`]) is checked at once on every change, and so is any document whose
//! changes come further apart than its check costs (each check is done before the
//! next change: nothing piles up). Only while changes come faster than a costlier
//! document's checks does a change wait for a pause in typing, of
//! clamp(cost / 2, 0, [`MAX_DEBOUNCE`]): a check started on each keystroke would be
//! superseded before it is published; waiting half its cost keeps the time from the
//! last keystroke to its diagnostics under 1.5 × the cost (plus the check in
//! progress, if any) while sparing the CPU that checks of superseded versions would
//! burn — the CPU other documents' checks and requests share. The cost is the
//! measured wall time of the document's last check; the gap is the time between its
//! last two changes (the first check, on open, runs at once).

use std::sync::Arc;
use std::time::{Duration, Instant};

use tower_lsp_server::ls_types::notification::LogTrace;

use tokio::sync::Notify;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

use super::convert::{self, Positions};
use super::document::Document;
use super::server::{guarded, Backend};
use super::session::{self, Cached, Snapshot};
use crate::model::RecordSummary;

/// A document whose last check took less than this is checked at once on a change.
pub const INSTANT: Duration = Duration::from_millis(10);
/// The longest a change waits for a pause in typing.
pub const MAX_DEBOUNCE: Duration = Duration::from_millis(300);

/// The pause in typing a costly document waits for: half its cost, at most
/// [`MAX_DEBOUNCE`]; none under [`INSTANT`].
pub fn typing_debounce(cost: Option<Duration>) -> Duration {
    match cost {
        Some(c) if c >= INSTANT => (c / 2).min(MAX_DEBOUNCE),
        _ => Duration::ZERO,
    }
}

/// How long a change waits for a pause in typing before the document is checked,
/// given what its last check cost and the gap between its last two changes (see the
/// module's documentation).
pub fn debounce(cost: Option<Duration>, gap: Option<Duration>) -> Duration {
    match (cost, gap) {
        (Some(c), Some(g)) if g < c => typing_debounce(cost),
        _ => Duration::ZERO,
    }
}

/// Check a snapshot: the engine's one call, converted to LSP.
fn check(snap: &Snapshot) -> (Cached, RecordSummary, Duration) {
    let started = Instant::now();
    let result = session::check_against(
        &snap.text,
        snap.syntax,
        &snap.file,
        &snap.config,
        &snap.index,
    );
    let checked = result.checked;
    let pos = Positions::new(&checked.text, &checked.lines, snap.enc);
    let mut elsewhere = snap.elsewhere();
    let mut locate = |path: &std::path::Path, span| elsewhere.location(path, span);
    let lsp = checked
        .diagnostics
        .iter()
        .map(|d| convert::diagnostic(d, &pos, &snap.uri, snap.version, snap.related, &mut locate))
        .collect();
    let cached = Cached {
        version: snap.version,
        epoch: snap.epoch,
        checked,
        lsp,
    };
    (cached, result.summary, started.elapsed())
}

impl Backend {
    pub(super) fn open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let uri = doc.uri.clone();
        let document = Document::new(doc.uri, doc.version, doc.text);
        let (id, wake) = self.session.lock().open(document);
        let worker = self.clone();
        tokio::spawn(async move { worker.check_worker(uri, id, wake).await });
        self.closed_files_changed();
    }

    pub(super) fn change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let mut st = self.session.lock();
        let enc = st.enc;
        if let Some(open) = st.docs.get_mut(&uri) {
            if open
                .doc
                .change(params.text_document.version, params.content_changes, enc)
            {
                let now = Instant::now();
                open.gap = open.last_change.map(|t| now - t);
                open.last_change = Some(now);
                open.wake.notify_one();
            }
        }
    }

    pub(super) async fn close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        // Removed before the first await: a `didOpen` right after it must not be
        // overtaken.
        let (path, pull, known) = {
            let mut st = self.session.lock();
            let Some(open) = st.docs.remove(&uri) else {
                return;
            };
            open.wake.notify_one(); // the worker sees it is closed and ends
            let known = open.doc.path.as_deref().is_some_and(|p| st.knows_disk(p));
            (open.doc.path, st.caps.pull_diagnostics, known)
        };
        if !pull {
            // After any publication in progress (the worker publishes nothing now).
            let _publish = self.session.publish.lock().await;
            if !self.session.lock().docs.contains_key(&uri) {
                self.client
                    .publish_diagnostics(uri.clone(), Vec::new(), None)
                    .await;
            }
        }
        self.reports.forget(&uri);
        self.closed_files_changed();
        let Some(path) = path else { return };
        // Back to what is on disk (read only when indexing has not seen the file).
        let on_disk = if known {
            None
        } else {
            let (files, p) = (self.session.files.clone(), path.clone());
            guarded(move || {
                files
                    .read(&p)
                    .map(|b| crate::engine::summarize_sections(&b, &p))
            })
            .await
            .ok()
            .flatten()
        };
        if self.session.lock().closed(&path, on_disk) {
            self.rediagnose_others(&uri).await;
        }
    }

    /// A `$/logTrace` message, when the client asked for verbose traces at
    /// `initialize` (what the server decided, for tests and for debugging).
    pub(super) async fn trace(&self, message: impl FnOnce() -> String) {
        if self.session.lock().caps.trace {
            self.client
                .send_notification::<LogTrace>(LogTraceParams {
                    message: message(),
                    verbose: None,
                })
                .await;
        }
    }

    /// The check worker of one opening of a document: woken by every change and
    /// by changes elsewhere; ends when the document closes.
    async fn check_worker(self, uri: Uri, id: u64, wake: Arc<Notify>) {
        wake.notify_one(); // the first check
        loop {
            wake.notified().await;
            // While changes come faster than this document's checks, wait for a
            // pause in typing (see `debounce`); a change during the wait restarts it.
            let waited = loop {
                let (version, wait) = {
                    let st = self.session.lock();
                    match st.docs.get(&uri).filter(|o| o.id == id) {
                        Some(o) => (o.doc.version, debounce(o.cost, o.gap)),
                        None => return,
                    }
                };
                if wait.is_zero() {
                    break wait;
                }
                tokio::time::sleep(wait).await;
                let now = self.session.lock().docs.get(&uri).map(|o| o.doc.version);
                if now == Some(version) {
                    break wait;
                }
            };
            if self.session.is_shut_down() {
                return;
            }
            let Some(snap) = self.session.snapshot(&uri, Some(id)) else {
                return;
            };
            let Ok(permit) = self.session.checks.acquire().await else {
                return;
            };
            let result = guarded(move || {
                let r = check(&snap);
                (snap, r)
            })
            .await;
            drop(permit);
            let Ok((snap, (cached, summary, took))) = result else {
                self.client
                    .log_message(
                        MessageType::ERROR,
                        format!("trls: checking {} failed", uri.as_str()),
                    )
                    .await;
                continue;
            };
            self.finish_check(snap, id, cached, summary, (waited, took))
                .await;
        }
    }

    /// Record a finished check; publish it if it is still current.
    async fn finish_check(
        &self,
        snap: Snapshot,
        id: u64,
        cached: Cached,
        summary: RecordSummary,
        (waited, took): (Duration, Duration),
    ) {
        let publish = self.session.publish.lock().await;
        let Some((changed, cached)) =
            self.session
                .store_check(&snap, Some(id), cached, summary, took)
        else {
            // Stale: a newer version is on its way; nothing is published.
            drop(publish);
            self.trace(|| {
                format!(
                    "trls: discarded the check of {} version {} (a newer version arrived)",
                    snap.uri.as_str(),
                    snap.version
                )
            })
            .await;
            return;
        };
        let (pull, report_config) = {
            let mut st = self.session.lock();
            let report = match st.docs.get_mut(&snap.uri) {
                Some(o) if !o.config_reported => {
                    o.config_reported = true;
                    true
                }
                _ => false,
            };
            (st.caps.pull_diagnostics, report)
        };
        if !pull {
            self.client
                .publish_diagnostics(snap.uri.clone(), cached.lsp.clone(), Some(snap.version))
                .await;
        }
        drop(publish);
        self.trace(|| {
            format!(
                "trls: checked {} version {} in {} us after a debounce of {} us; debounce while typing {} us; cross-record facts changed: {}",
                snap.uri.as_str(),
                snap.version,
                took.as_micros(),
                waited.as_micros(),
                typing_debounce(Some(took)).as_micros(),
                if changed { "yes" } else { "no" }
            )
        })
        .await;
        if report_config {
            self.publish_config_errors().await;
        }
        if changed {
            self.rediagnose_others(&snap.uri).await;
        }
    }

    /// Cross-record findings may have changed: wake every other open document.
    pub(super) async fn rediagnose_others(&self, except: &Uri) {
        self.closed_files_changed();
        let pull = {
            let st = self.session.lock();
            if !st.caps.pull_diagnostics {
                for (uri, open) in &st.docs {
                    if uri != except {
                        open.wake.notify_one();
                    }
                }
            }
            st.caps.pull_diagnostics
        };
        if pull {
            let _ = self.client.workspace_diagnostic_refresh().await;
        }
    }

    pub(super) async fn rediagnose_all(&self) {
        self.closed_files_changed();
        let pull = {
            let st = self.session.lock();
            if !st.caps.pull_diagnostics {
                for open in st.docs.values() {
                    open.wake.notify_one();
                }
            }
            st.caps.pull_diagnostics
        };
        if pull {
            let _ = self.client.workspace_diagnostic_refresh().await;
        }
    }

    /// The current version's diagnostics: cached, or checked now.
    pub(super) async fn current_diagnostics(
        &self,
        uri: &Uri,
    ) -> Result<Option<(i32, Vec<Diagnostic>)>> {
        let session = self.session.clone();
        let found = self
            .on_document(uri, move |snap| {
                if let Some(c) = snap.cached.as_ref().filter(|c| c.epoch == snap.epoch) {
                    return Some((snap.version, c.lsp.clone(), false));
                }
                let (cached, summary, took) = check(&snap);
                let lsp = cached.lsp.clone();
                let changed = session
                    .store_check(&snap, None, cached, summary, took)
                    .is_some_and(|(changed, _)| changed);
                Some((snap.version, lsp, changed))
            })
            .await?;
        Ok(found.map(|(version, lsp, changed)| {
            if changed {
                let b = self.clone();
                let uri = uri.clone();
                tokio::spawn(async move { b.rediagnose_others(&uri).await });
            }
            (version, lsp)
        }))
    }

    pub(super) async fn pull_diagnostics(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let Some((version, items)) = self.current_diagnostics(&uri).await? else {
            return Err(Error::invalid_params(format!(
                "unknown document {}",
                uri.as_str()
            )));
        };
        Ok(DocumentDiagnosticReportResult::Report(
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: Some(format!("{version}")),
                    items,
                },
            }),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debounce_is_zero_for_cheap_checks_and_grows_with_cost_up_to_a_cap() {
        let ms = Duration::from_millis;
        // Typing faster than the checks (a gap of 1 ms).
        let typing = |cost| debounce(Some(cost), Some(ms(1)));
        assert_eq!(
            debounce(None, None),
            Duration::ZERO,
            "the first check runs at once"
        );
        assert_eq!(typing(ms(0)), Duration::ZERO);
        assert_eq!(typing(ms(9)), Duration::ZERO);
        assert_eq!(typing(ms(10)), ms(5));
        assert_eq!(typing(ms(80)), ms(40));
        assert_eq!(typing(ms(600)), MAX_DEBOUNCE);
        assert_eq!(typing(Duration::from_secs(30)), MAX_DEBOUNCE);
    }

    #[test]
    fn changes_further_apart_than_a_check_costs_are_checked_at_once() {
        let ms = Duration::from_millis;
        assert_eq!(
            debounce(Some(ms(80)), None),
            Duration::ZERO,
            "a first change"
        );
        assert_eq!(debounce(Some(ms(80)), Some(ms(80))), Duration::ZERO);
        assert_eq!(debounce(Some(ms(80)), Some(ms(500))), Duration::ZERO);
        assert_eq!(debounce(Some(ms(80)), Some(ms(79))), ms(40));
    }
}
