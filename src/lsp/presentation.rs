//! Presentation features: inlay hints, semantic tokens (full, delta and range),
//! code lens, selection ranges and document highlights: the `ide` layer's answers
//! converted to LSP. Every answer is computed from the document as it is at the
//! request, so a hint or a lens follows an entry as soon as it changes.
//!
//! Semantic tokens use standard token types only (`enumMember`, `namespace`,
//! `variable`, `type`, `number`) and the standard `declaration` modifier, plus a
//! `date` modifier on dates (a client that does not know it ignores it). A delta is
//! computed against the document's last answer, kept here by result id (the
//! answer's hash).

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{LazyLock, Mutex};

use serde_json::json;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::convert::Positions;
use super::server::Backend;
use crate::ide::{self, HintKind, TokenKind};
use crate::syntax::Span;

/// The client command a code lens runs: VS Code's extension turns it into
/// `editor.action.showReferences`; other editors may bind it to their own list.
pub const SHOW_REFERENCES: &str = "trls.showReferences";

const TOKEN_TYPES: [SemanticTokenType; 5] = [
    SemanticTokenType::ENUM_MEMBER,
    SemanticTokenType::NAMESPACE,
    SemanticTokenType::VARIABLE,
    SemanticTokenType::TYPE,
    SemanticTokenType::NUMBER,
];

/// Bits of the modifiers in the legend's order.
const DECLARATION: u32 = 1;
const DATE: u32 = 2;

/// (token type index, modifier bits) of a kind.
fn encode(kind: TokenKind) -> (u32, u32) {
    match kind {
        TokenKind::Term => (0, 0),
        TokenKind::RegistryId => (1, 0),
        TokenKind::LocalDefinition => (2, DECLARATION),
        TokenKind::LocalReference => (2, 0),
        TokenKind::Unit => (3, 0),
        TokenKind::Number => (4, 0),
        TokenKind::Date => (4, DATE),
    }
}

pub(super) fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TOKEN_TYPES.to_vec(),
        token_modifiers: vec![
            SemanticTokenModifier::DECLARATION,
            SemanticTokenModifier::new("date"),
        ],
    }
}

pub(super) fn semantic_tokens_capability() -> SemanticTokensServerCapabilities {
    SemanticTokensServerCapabilities::SemanticTokensOptions(SemanticTokensOptions {
        work_done_progress_options: Default::default(),
        legend: legend(),
        range: Some(true),
        full: Some(SemanticTokensFullOptions::Delta { delta: Some(true) }),
    })
}

/// The tokens of a span of the document, relative-encoded as LSP wants them.
fn encode_tokens(p: &Positions, tokens: &[ide::Token], within: Option<Span>) -> Vec<SemanticToken> {
    let mut out = Vec::with_capacity(tokens.len());
    let (mut line, mut col) = (0u32, 0u32);
    for t in tokens {
        if let Some(r) = within {
            if t.span.end < r.start || t.span.start > r.end {
                continue;
            }
        }
        let a = p.position(t.span.start);
        let z = p.position(t.span.end);
        // The ide layer never gives a token across lines; be safe anyway.
        if z.line != a.line || z.character <= a.character {
            continue;
        }
        let (token_type, modifiers) = encode(t.kind);
        out.push(SemanticToken {
            delta_line: a.line - line,
            delta_start: if a.line == line {
                a.character - col
            } else {
                a.character
            },
            length: z.character - a.character,
            token_type,
            token_modifiers_bitset: modifiers,
        });
        line = a.line;
        col = a.character;
    }
    out
}

/// The last full answer per document (result id, tokens), for deltas. Bounded: a
/// document not asked for lately is forgotten, and its next delta is a full answer.
struct Previous {
    by_uri: HashMap<Uri, (String, Vec<SemanticToken>)>,
}

const REMEMBERED: usize = 64;

static PREVIOUS: LazyLock<Mutex<Previous>> = LazyLock::new(|| {
    Mutex::new(Previous {
        by_uri: HashMap::new(),
    })
});

fn remember(uri: &Uri, data: &[SemanticToken]) -> String {
    // The id is the tokens' hash: the same answer has the same id, in any session.
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for t in data {
        (
            t.delta_line,
            t.delta_start,
            t.length,
            t.token_type,
            t.token_modifiers_bitset,
        )
            .hash(&mut h);
    }
    let id = format!("{:016x}", h.finish());
    let mut prev = PREVIOUS.lock().unwrap_or_else(|e| e.into_inner());
    if prev.by_uri.len() >= REMEMBERED && !prev.by_uri.contains_key(uri) {
        if let Some(k) = prev.by_uri.keys().next().cloned() {
            prev.by_uri.remove(&k);
        }
    }
    prev.by_uri.insert(uri.clone(), (id.clone(), data.to_vec()));
    id
}

fn previous(uri: &Uri, result_id: &str) -> Option<Vec<SemanticToken>> {
    let prev = PREVIOUS.lock().unwrap_or_else(|e| e.into_inner());
    prev.by_uri
        .get(uri)
        .filter(|(id, _)| id == result_id)
        .map(|(_, d)| d.clone())
}

/// One edit turning `old` into `new` (the tokens between their common prefix and
/// suffix), in the flat integer array's units (five per token).
fn delta(old: &[SemanticToken], new: &[SemanticToken]) -> Vec<SemanticTokensEdit> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (old_mid, new_mid) = (old.len() - prefix - suffix, new.len() - prefix - suffix);
    if old_mid == 0 && new_mid == 0 {
        return Vec::new();
    }
    vec![SemanticTokensEdit {
        start: (prefix * 5) as u32,
        delete_count: (old_mid * 5) as u32,
        data: Some(new[prefix..prefix + new_mid].to_vec()),
    }]
}

pub(super) async fn semantic_tokens_full(
    b: &Backend,
    params: SemanticTokensParams,
) -> Result<Option<SemanticTokensResult>> {
    b.on_document(&params.text_document.uri.clone(), move |s| {
        let tokens = ide::semantic_tokens(&s.text, s.syntax, s.config.schema());
        let data = encode_tokens(&s.positions(), &tokens, None);
        let id = remember(&s.uri, &data);
        Some(SemanticTokensResult::Tokens(SemanticTokens {
            result_id: Some(id),
            data,
        }))
    })
    .await
}

pub(super) async fn semantic_tokens_full_delta(
    b: &Backend,
    params: SemanticTokensDeltaParams,
) -> Result<Option<SemanticTokensFullDeltaResult>> {
    let before = params.previous_result_id;
    b.on_document(&params.text_document.uri.clone(), move |s| {
        let tokens = ide::semantic_tokens(&s.text, s.syntax, s.config.schema());
        let data = encode_tokens(&s.positions(), &tokens, None);
        let old = previous(&s.uri, &before);
        let id = remember(&s.uri, &data);
        Some(match old {
            Some(old) => SemanticTokensFullDeltaResult::TokensDelta(SemanticTokensDelta {
                result_id: Some(id),
                edits: delta(&old, &data),
            }),
            None => SemanticTokensFullDeltaResult::Tokens(SemanticTokens {
                result_id: Some(id),
                data,
            }),
        })
    })
    .await
}

pub(super) async fn semantic_tokens_range(
    b: &Backend,
    params: SemanticTokensRangeParams,
) -> Result<Option<SemanticTokensRangeResult>> {
    let range = params.range;
    b.on_document(&params.text_document.uri.clone(), move |s| {
        let p = s.positions();
        let tokens = ide::semantic_tokens(&s.text, s.syntax, s.config.schema());
        let data = encode_tokens(&p, &tokens, Some(p.span(range)));
        Some(SemanticTokensRangeResult::Tokens(SemanticTokens {
            result_id: None,
            data,
        }))
    })
    .await
}

pub(super) async fn inlay_hint(
    b: &Backend,
    params: InlayHintParams,
) -> Result<Option<Vec<InlayHint>>> {
    let range = params.range;
    b.on_document(&params.text_document.uri.clone(), move |s| {
        let p = s.positions();
        let hints = ide::inlay_hints(&s.text, s.syntax, s.config.schema(), p.span(range));
        Some(
            hints
                .into_iter()
                .map(|h| InlayHint {
                    position: p.position(h.offset),
                    label: InlayHintLabel::String(h.label),
                    kind: match h.kind {
                        HintKind::Conversion => Some(InlayHintKind::TYPE),
                        HintKind::Label => None,
                    },
                    text_edits: None,
                    tooltip: Some(InlayHintTooltip::String(h.tooltip)),
                    padding_left: Some(true),
                    padding_right: None,
                    data: None,
                })
                .collect(),
        )
    })
    .await
}

pub(super) async fn code_lens(
    b: &Backend,
    params: CodeLensParams,
) -> Result<Option<Vec<CodeLens>>> {
    b.on_document(&params.text_document.uri.clone(), move |s| {
        let p = s.positions();
        Some(
            ide::code_lenses(&s.text, s.syntax)
                .into_iter()
                .map(|l| {
                    let range = p.range(l.span);
                    let locations: Vec<Location> = l
                        .references
                        .iter()
                        .map(|r| Location::new(s.uri.clone(), p.range(*r)))
                        .collect();
                    CodeLens {
                        range,
                        command: Some(Command {
                            title: l.title(),
                            command: SHOW_REFERENCES.into(),
                            arguments: Some(vec![
                                json!(s.uri.as_str()),
                                json!(range.start),
                                json!(locations),
                            ]),
                        }),
                        data: None,
                    }
                })
                .collect(),
        )
    })
    .await
}

pub(super) async fn selection_range(
    b: &Backend,
    params: SelectionRangeParams,
) -> Result<Option<Vec<SelectionRange>>> {
    let positions = params.positions;
    b.on_document(&params.text_document.uri.clone(), move |s| {
        let p = s.positions();
        let offsets: Vec<usize> = positions.iter().map(|pos| p.offset(*pos)).collect();
        Some(
            ide::selection_ranges(&s.text, s.syntax, &offsets)
                .into_iter()
                .map(|chain| {
                    // Innermost first: build from the outermost in.
                    let mut parent: Option<Box<SelectionRange>> = None;
                    for span in chain.into_iter().rev() {
                        parent = Some(Box::new(SelectionRange {
                            range: p.range(span),
                            parent,
                        }));
                    }
                    parent.map_or(
                        SelectionRange {
                            range: Range::default(),
                            parent: None,
                        },
                        |b| *b,
                    )
                })
                .collect(),
        )
    })
    .await
}

pub(super) async fn document_highlight(
    b: &Backend,
    params: DocumentHighlightParams,
) -> Result<Option<Vec<DocumentHighlight>>> {
    let pos = params.text_document_position_params;
    b.on_document(&pos.text_document.uri.clone(), move |s| {
        let p = s.positions();
        let found = ide::highlights(&s.text, s.syntax, p.offset(pos.position));
        (!found.is_empty()).then(|| {
            found
                .into_iter()
                .map(|h| DocumentHighlight {
                    range: p.range(h.span),
                    kind: Some(if h.definition {
                        DocumentHighlightKind::WRITE
                    } else {
                        DocumentHighlightKind::READ
                    }),
                })
                .collect()
        })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(delta_line: u32, delta_start: u32) -> SemanticToken {
        SemanticToken {
            delta_line,
            delta_start,
            length: 1,
            token_type: 0,
            token_modifiers_bitset: 0,
        }
    }

    #[test]
    fn a_delta_replaces_only_what_changed() {
        let old = [t(0, 1), t(1, 2), t(1, 3), t(1, 4)];
        let new = [t(0, 1), t(1, 9), t(1, 3), t(1, 4)];
        let edits = delta(&old, &new);
        assert_eq!(edits.len(), 1);
        assert_eq!((edits[0].start, edits[0].delete_count), (5, 5));
        assert_eq!(edits[0].data.as_deref(), Some(&[t(1, 9)][..]));
        assert!(delta(&old, &old).is_empty());
        // A token added at the end, and every token removed.
        let more = [t(0, 1), t(1, 2), t(1, 3), t(1, 4), t(2, 0)];
        let e = delta(&old, &more);
        assert_eq!((e[0].start, e[0].delete_count), (20, 0));
        let e = delta(&old, &[]);
        assert_eq!((e[0].start, e[0].delete_count), (0, 20));
    }
}
