//! Code actions. A quick fix is read from the diagnostic's `data`, where the check
//! put the fix in LSP ranges with the document version they are in (or from the
//! cached check of the current version when the client sends no diagnostics), so a
//! code action never re-checks. Data of another version than the document's current
//! one is never used: the fix comes from the current check's diagnostic of the same
//! code at the requested range instead, or, while that check is not done, there is
//! none (the client asks again when the new diagnostics arrive).
//! `source.fixAll.trls` is offered when the cached check has a safe fix and its edit
//! is computed on `codeAction/resolve` where the client supports that (eagerly
//! otherwise). Beside the fixes, the actions that teach: "ignore CODE on this
//! line" and "show documentation of CODE", from the current check.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

use super::convert::DiagnosticData;
use super::explain;
use super::server::Backend;
use super::session::Snapshot;
use crate::codes::Code;
use crate::engine;
use crate::ide;
use crate::syntax::Span;

fn fix_all_kind() -> CodeActionKind {
    CodeActionKind::new("source.fixAll.trls")
}

pub(super) fn capability() -> CodeActionProviderCapability {
    CodeActionProviderCapability::Options(CodeActionOptions {
        code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, fix_all_kind()]),
        resolve_provider: Some(true),
        ..Default::default()
    })
}

/// What a deferred `source.fixAll` needs to be resolved.
#[derive(Serialize, Deserialize)]
struct FixAllData {
    uri: Uri,
    version: i32,
}

fn touches(a: Range, b: Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// The `data` of a diagnostic this server published.
fn data(d: &Diagnostic) -> Option<DiagnosticData> {
    serde_json::from_value(d.data.clone()?).ok()
}

/// The quick fix in a diagnostic's data, if that data is of `version`.
fn quick_fix(uri: &Uri, version: i32, d: &Diagnostic) -> Option<CodeActionOrCommand> {
    let data = data(d).filter(|data| data.version == version)?;
    let fix = data.fix?;
    let mut shown = d.clone();
    shown.data = None;
    Some(CodeActionOrCommand::CodeAction(CodeAction {
        title: fix.title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![shown]),
        edit: Some(WorkspaceEdit::new(HashMap::from([(
            uri.clone(),
            fix.edits,
        )]))),
        is_preferred: Some(fix.safe),
        ..Default::default()
    }))
}

/// Beside the fixes, for each finding of the current check at `range` (of the
/// codes the client asked about, if it sent diagnostics): "ignore CODE on this line"
/// (YAML: the `# trls: ignore[CODE]` comment, written by the edit layer) and "show
/// documentation of CODE" (the client command [`explain::SHOW`]). One of each per
/// code and line; none while the current version's check is not done.
fn teaching(s: &Snapshot, range: Range, given: &[Diagnostic]) -> Vec<CodeActionOrCommand> {
    let Some(cached) = &s.cached else {
        return Vec::new();
    };
    let pos = s.positions();
    let mut ignores = Vec::new();
    let mut docs = Vec::new();
    let mut seen_lines: Vec<(Code, u32)> = Vec::new();
    let mut seen_codes: Vec<Code> = Vec::new();
    for (d, shown) in cached.checked.diagnostics.iter().zip(&cached.lsp) {
        if !touches(shown.range, range)
            || !(given.is_empty() || given.iter().any(|g| g.code == shown.code))
        {
            continue;
        }
        let mut shown = shown.clone();
        shown.data = None;
        let code = d.code;
        let line = shown.range.start.line;
        if code != Code::UnusedSuppression && !seen_lines.contains(&(code, line)) {
            seen_lines.push((code, line));
            if let Some(edit) = ide::ignore_edit(&s.text, s.syntax, code, d.span.start) {
                let edit = TextEdit::new(pos.range(edit.span), edit.new_text);
                ignores.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("ignore {code} on this line"),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![shown.clone()]),
                    edit: Some(WorkspaceEdit::new(HashMap::from([(
                        s.uri.clone(),
                        vec![edit],
                    )]))),
                    ..Default::default()
                }));
            }
        }
        if !seen_codes.contains(&code) {
            seen_codes.push(code);
            let title = format!("show documentation of {code}");
            docs.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: title.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![shown]),
                command: Some(Command {
                    title,
                    command: explain::SHOW.into(),
                    arguments: Some(vec![code.as_str().into()]),
                }),
                ..Default::default()
            }));
        }
    }
    ignores.extend(docs);
    ignores
}

/// The whole-document edit applying every safe fix, if there is one.
fn fix_all_edit(s: &Snapshot) -> Option<WorkspaceEdit> {
    let fixed = engine::fix_all(&s.text, &s.file, &s.config)?;
    let whole = s.positions().range(Span::new(0, s.text.len()));
    Some(WorkspaceEdit::new(HashMap::from([(
        s.uri.clone(),
        vec![TextEdit::new(whole, fixed)],
    )])))
}

impl Backend {
    pub(super) async fn code_actions(
        &self,
        params: CodeActionParams,
    ) -> Result<Option<CodeActionResponse>> {
        let resolve = self.session.lock().caps.resolve_edit;
        let uri = params.text_document.uri.clone();
        self.on_document(&uri, move |s| {
            let only = params.context.only.as_ref();
            let wants = |k: &CodeActionKind| {
                only.is_none_or(|o| o.iter().any(|w| k.as_str().starts_with(w.as_str())))
            };
            let mut actions = Vec::new();
            // The client's diagnostics, or the current check's where it sent none
            // or sent ones from an older version (by code, at the requested range).
            let given = &params.context.diagnostics;
            let (fresh, stale): (Vec<&Diagnostic>, Vec<&Diagnostic>) = given
                .iter()
                .filter(|d| d.data.is_some())
                .partition(|d| data(d).is_some_and(|data| data.version == s.version));
            let current: Vec<&Diagnostic> = match &s.cached {
                Some(c) => c
                    .lsp
                    .iter()
                    .filter(|d| touches(d.range, params.range))
                    .filter(|d| given.is_empty() || stale.iter().any(|old| old.code == d.code))
                    .filter(|d| !fresh.iter().any(|f| f.code == d.code && f.range == d.range))
                    .collect(),
                None => Vec::new(),
            };
            if wants(&CodeActionKind::QUICKFIX) {
                for d in fresh.into_iter().chain(current) {
                    actions.extend(quick_fix(&s.uri, s.version, d));
                }
                actions.extend(teaching(&s, params.range, given));
            }
            let all = fix_all_kind();
            let asked_fix_all = only.is_some_and(|o| {
                o.iter()
                    .any(|w| all.as_str().starts_with(w.as_str()) && !w.as_str().is_empty())
            });
            if asked_fix_all || only.is_none() {
                let mut action = CodeAction {
                    title: "trls: fix all safe problems".into(),
                    kind: Some(all),
                    ..Default::default()
                };
                let has_safe_fix = s.cached.as_ref().is_none_or(|c| {
                    c.checked
                        .diagnostics
                        .iter()
                        .any(|d| d.fix.as_ref().is_some_and(|f| f.safe))
                });
                if resolve && has_safe_fix {
                    action.data = serde_json::to_value(FixAllData {
                        uri: s.uri.clone(),
                        version: s.version,
                    })
                    .ok();
                    actions.push(CodeActionOrCommand::CodeAction(action));
                } else if !resolve && has_safe_fix {
                    if let Some(edit) = fix_all_edit(&s) {
                        action.edit = Some(edit);
                        actions.push(CodeActionOrCommand::CodeAction(action));
                    }
                }
            }
            Some(actions)
        })
        .await
    }

    /// `codeAction/resolve`: fill in a `source.fixAll` edit for the current text.
    pub(super) async fn resolve_code_action(&self, mut action: CodeAction) -> Result<CodeAction> {
        let Some(data) = action
            .data
            .clone()
            .and_then(|d| serde_json::from_value::<FixAllData>(d).ok())
        else {
            return Ok(action); // nothing to resolve
        };
        let edit = self
            .on_document(&data.uri, |s| Some(fix_all_edit(&s)))
            .await?
            .ok_or_else(|| Error::invalid_params("the document is not open"))?;
        action.edit = Some(edit.unwrap_or_default());
        action.data = None;
        Ok(action)
    }
}
