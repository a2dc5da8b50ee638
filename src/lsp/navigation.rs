//! Navigation and reading features: completion, hover, definition, references,
//! rename, links, outline and folding: the `ide` layer's answers converted to LSP.
//! Local ids are navigated within the document; registry ids across every record of
//! the workspace index (open documents first, then files through the session's
//! `Files`).

use std::collections::HashMap;
use std::path::PathBuf;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::convert::{item_kind, markdown, symbol_kind, Positions};
use super::server::Backend;
use super::session::Snapshot;
use crate::ide::{self, OutlineItem, RecordRef, Symbol, WorkspaceView};
use crate::syntax::{LineIndex, Syntax};
use crate::workspace::index::WorkspaceIndex;

pub(super) fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(
                [":", " ", "-", "[", ",", "\"", "{"]
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
            ),
            resolve_provider: Some(false),
            ..Default::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        document_link_provider: Some(DocumentLinkOptions {
            resolve_provider: Some(false),
            work_done_progress_options: Default::default(),
        }),
        document_symbol_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        ..Default::default()
    }
}

fn view(index: &WorkspaceIndex) -> WorkspaceView<'_> {
    WorkspaceView {
        records: index
            .records
            .iter()
            .map(|(path, summary)| RecordRef { path, summary })
            .collect(),
    }
}

pub(super) async fn completion(
    b: &Backend,
    params: CompletionParams,
) -> Result<Option<CompletionResponse>> {
    let pos = params.text_document_position;
    let label_details = b.session.lock().caps.label_details;
    b.on_document(&pos.text_document.uri.clone(), move |s| {
        let p = s.positions();
        let offset = p.offset(pos.position);
        let items = ide::completion(
            &s.text,
            s.syntax,
            offset,
            s.config.schema(),
            &view(&s.read_index()),
        )
        .into_iter()
        .map(|c| CompletionItem {
            label: c.label.clone(),
            kind: Some(item_kind(c.kind)),
            // The readable name beside the label where the client shows it there,
            // else as the detail.
            label_details: c
                .label_detail
                .clone()
                .filter(|_| label_details)
                .map(|name| CompletionItemLabelDetails {
                    detail: None,
                    description: Some(name),
                }),
            detail: match (label_details, c.label_detail) {
                (false, Some(name)) => Some(match c.detail {
                    Some(d) => format!("{name} · {d}"),
                    None => name,
                }),
                _ => c.detail,
            },
            documentation: c
                .documentation
                .map(|d| Documentation::MarkupContent(markdown(d))),
            sort_text: Some(c.sort),
            filter_text: Some(c.label),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                p.range(c.replace),
                c.insert,
            ))),
            insert_text_format: Some(if c.snippet {
                InsertTextFormat::SNIPPET
            } else {
                InsertTextFormat::PLAIN_TEXT
            }),
            insert_text_mode: Some(InsertTextMode::AS_IS),
            ..Default::default()
        })
        .collect();
        Some(CompletionResponse::List(CompletionList {
            is_incomplete: false,
            items,
        }))
    })
    .await
}

pub(super) async fn hover(b: &Backend, params: HoverParams) -> Result<Option<Hover>> {
    let pos = params.text_document_position_params;
    b.on_document(&pos.text_document.uri.clone(), move |s| {
        let p = s.positions();
        let offset = p.offset(pos.position);
        ide::hover(
            &s.text,
            s.syntax,
            offset,
            s.config.schema(),
            &view(&s.read_index()),
        )
        .map(|h| Hover {
            contents: HoverContents::Markup(markdown(h.markdown)),
            range: Some(p.range(h.span)),
        })
    })
    .await
}

/// Every occurrence of a symbol: locals in this document; registry ids in every
/// record whose summary names the id (and this document).
fn locations(s: &Snapshot, symbol: &Symbol) -> Vec<(Location, bool)> {
    let mut out = Vec::new();
    {
        let p = s.positions();
        for (span, def) in ide::occurrences(&s.text, s.syntax, symbol) {
            out.push((Location::new(s.uri.clone(), p.range(span)), def));
        }
    }
    let mut push = |uri: &Uri, text: &str, syntax: Syntax| {
        let lines = LineIndex::new(text);
        let p = Positions::new(text, &lines, s.enc);
        for (span, def) in ide::occurrences(text, syntax, symbol) {
            out.push((Location::new(uri.clone(), p.range(span)), def));
        }
    };
    if let Symbol::Registry(id) = symbol {
        let this = s.uri.to_file_path().map(|p| p.into_owned());
        let canon = |t: &str| crate::workspace::index::canonical(t);
        // The records are found under the index's lock, then read without it.
        let mentioning: Vec<PathBuf> = s
            .read_index()
            .records
            .iter()
            .filter(|(path, _)| Some(&***path) != this.as_deref())
            .filter(|(_, summary)| {
                summary
                    .id
                    .iter()
                    .chain(&summary.secondary)
                    .chain(&summary.related)
                    .any(|(t, _)| canon(t).as_deref() == Some(id.as_str()))
            })
            .map(|(path, _)| path.to_path_buf())
            .collect();
        for path in &mentioning {
            if let Some((uri, text, syntax)) = s.text_of(path) {
                push(&uri, &text, syntax);
            }
        }
    }
    out
}

pub(super) async fn definition(
    b: &Backend,
    params: GotoDefinitionParams,
) -> Result<Option<GotoDefinitionResponse>> {
    let pos = params.text_document_position_params;
    b.on_document(&pos.text_document.uri.clone(), move |s| {
        let p = s.positions();
        let (symbol, _) = ide::symbol_at(&s.text, s.syntax, p.offset(pos.position))?;
        let defs: Vec<Location> = locations(&s, &symbol)
            .into_iter()
            .filter(|(_, d)| *d)
            .map(|(l, _)| l)
            .collect();
        (!defs.is_empty()).then_some(GotoDefinitionResponse::Array(defs))
    })
    .await
}

pub(super) async fn references(
    b: &Backend,
    params: ReferenceParams,
) -> Result<Option<Vec<Location>>> {
    let pos = params.text_document_position;
    let include_declaration = params.context.include_declaration;
    b.on_document(&pos.text_document.uri.clone(), move |s| {
        let p = s.positions();
        let (symbol, _) = ide::symbol_at(&s.text, s.syntax, p.offset(pos.position))?;
        Some(
            locations(&s, &symbol)
                .into_iter()
                .filter(|(_, d)| include_declaration || !*d)
                .map(|(l, _)| l)
                .collect(),
        )
    })
    .await
}

pub(super) async fn prepare_rename(
    b: &Backend,
    params: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>> {
    b.on_document(&params.text_document.uri.clone(), move |s| {
        let p = s.positions();
        let (span, text) = ide::prepare_rename(&s.text, s.syntax, p.offset(params.position))?;
        Some(PrepareRenameResponse::RangeWithPlaceholder {
            range: p.range(span),
            placeholder: text,
        })
    })
    .await
}

pub(super) async fn rename(b: &Backend, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
    let pos = params.text_document_position;
    let new_name = params.new_name;
    b.on_document(&pos.text_document.uri.clone(), move |s| {
        let p = s.positions();
        let offset = p.offset(pos.position);
        ide::prepare_rename(&s.text, s.syntax, offset)?;
        let (symbol, _) = ide::symbol_at(&s.text, s.syntax, offset)?;
        let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
        for (loc, _) in locations(&s, &symbol) {
            changes
                .entry(loc.uri)
                .or_default()
                .push(TextEdit::new(loc.range, new_name.clone()));
        }
        Some(WorkspaceEdit::new(changes))
    })
    .await
}

pub(super) async fn document_link(
    b: &Backend,
    params: DocumentLinkParams,
) -> Result<Option<Vec<DocumentLink>>> {
    b.on_document(&params.text_document.uri.clone(), move |s| {
        let p = s.positions();
        Some(
            ide::document_links(&s.text, s.syntax)
                .into_iter()
                .map(|l| DocumentLink {
                    range: p.range(l.span),
                    target: l.target.parse().ok(),
                    tooltip: Some(l.target),
                    data: None,
                })
                .collect(),
        )
    })
    .await
}

fn outline(p: &Positions, item: OutlineItem) -> DocumentSymbol {
    #[allow(deprecated)]
    DocumentSymbol {
        name: if item.name.is_empty() {
            "(unnamed)".into()
        } else {
            item.name
        },
        detail: item.detail,
        kind: symbol_kind(item.kind),
        tags: None,
        deprecated: None,
        range: p.range(item.span),
        selection_range: p.range(item.selection),
        children: Some(item.children.into_iter().map(|c| outline(p, c)).collect()),
    }
}

pub(super) async fn document_symbol(
    b: &Backend,
    params: DocumentSymbolParams,
) -> Result<Option<DocumentSymbolResponse>> {
    b.on_document(&params.text_document.uri.clone(), move |s| {
        let p = s.positions();
        let items = ide::document_symbols(&s.text, s.syntax)
            .into_iter()
            .map(|i| outline(&p, i))
            .collect();
        Some(DocumentSymbolResponse::Nested(items))
    })
    .await
}

pub(super) async fn folding_range(
    b: &Backend,
    params: FoldingRangeParams,
) -> Result<Option<Vec<FoldingRange>>> {
    b.on_document(&params.text_document.uri.clone(), move |s| {
        // Folding ranges count lines only, so the encoding does not matter.
        let p = s.positions();
        Some(
            ide::folding_ranges(&s.text, s.syntax)
                .into_iter()
                .map(|span| {
                    let (a, z) = (p.position(span.start), p.position(span.end));
                    FoldingRange {
                        start_line: a.line,
                        start_character: None,
                        end_line: z.line,
                        end_character: None,
                        kind: Some(FoldingRangeKind::Region),
                        collapsed_text: None,
                    }
                })
                .filter(|r| r.end_line > r.start_line)
                .collect(),
        )
    })
    .await
}
