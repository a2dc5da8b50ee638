//! Conversions between the engine and LSP: byte offsets ↔ positions (UTF-8 or
//! UTF-16 columns over the one `syntax::LineIndex`), diagnostics (with their fix in
//! `data`, and related locations in other files positioned by the caller with those
//! files' own lines), and the kinds of completion items, symbols and severities.

use std::path::Path;

use serde::{Deserialize, Serialize};
use tower_lsp_server::ls_types::*;

use crate::codes::Tag;
use crate::diagnostic::{self, Severity};
use crate::ide::{ItemKind, OutlineKind};
use crate::syntax::{clamp_to_char_boundary, LineIndex, Span};

/// The negotiated position encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

/// Positions of one text snapshot: byte offsets ↔ LSP positions.
pub struct Positions<'t> {
    pub text: &'t str,
    pub lines: &'t LineIndex,
    pub enc: Encoding,
}

impl<'t> Positions<'t> {
    pub fn new(text: &'t str, lines: &'t LineIndex, enc: Encoding) -> Self {
        Positions { text, lines, enc }
    }

    pub fn position(&self, offset: usize) -> Position {
        let offset = clamp_to_char_boundary(self.text, offset);
        let line = self.lines.line_of(offset);
        let start = self.lines.line_start(line);
        let col = match self.enc {
            Encoding::Utf8 => offset - start,
            Encoding::Utf16 => self.text[start..offset].chars().map(char::len_utf16).sum(),
        };
        Position::new(line as u32, col as u32)
    }

    pub fn range(&self, span: Span) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    /// The byte offset of a position, clamped into the text: a column past the end
    /// of a line means its end (before the line break), a line past the end the end
    /// of the text, a column inside a character that character's start.
    pub fn offset(&self, pos: Position) -> usize {
        let line = pos.line as usize;
        if line >= self.lines.line_count() {
            return self.text.len();
        }
        let start = self.lines.line_start(line);
        let content = self.lines.line_text(self.text, line);
        let col = pos.character as usize;
        match self.enc {
            Encoding::Utf8 => clamp_to_char_boundary(self.text, start + col.min(content.len())),
            Encoding::Utf16 => {
                let mut units = 0;
                for (i, c) in content.char_indices() {
                    units += c.len_utf16();
                    if units > col {
                        return start + i;
                    }
                }
                start + content.len()
            }
        }
    }

    pub fn span(&self, range: Range) -> Span {
        Span::new(self.offset(range.start), self.offset(range.end))
    }
}

/// A fix as it travels in an LSP diagnostic's `data`, already in LSP ranges, so a
/// code action needs no re-check.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FixData {
    pub title: String,
    pub safe: bool,
    pub edits: Vec<TextEdit>,
}

/// A diagnostic's `data`: its fix, and the document version the fix's ranges are
/// in (a code action uses the fix only while the document is at that version).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DiagnosticData {
    pub version: i32,
    pub fix: Option<FixData>,
}

pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// An engine diagnostic of the document `uri` at `version` as LSP's, with its
/// related locations when the client shows them: those in this document positioned
/// by `pos`, those in another file by `elsewhere` (which knows that file's text and
/// lines; `None` drops the entry).
pub fn diagnostic(
    d: &diagnostic::Diagnostic,
    pos: &Positions,
    uri: &Uri,
    version: i32,
    related: bool,
    elsewhere: &mut dyn FnMut(&Path, Span) -> Option<Location>,
) -> Diagnostic {
    let related_information = (related && !d.related.is_empty()).then(|| {
        d.related
            .iter()
            .filter_map(|r| {
                let location = match &r.path {
                    None => Location::new(uri.clone(), pos.range(r.span)),
                    Some(path) => elsewhere(path, r.span)?,
                };
                Some(DiagnosticRelatedInformation {
                    location,
                    message: r.message.clone(),
                })
            })
            .collect()
    });
    let tags: Vec<DiagnosticTag> = d
        .code
        .meta()
        .tags
        .iter()
        .map(|t| match t {
            Tag::Unnecessary => DiagnosticTag::UNNECESSARY,
        })
        .collect();
    let fix = d.fix.as_ref().map(|f| FixData {
        title: f.title.clone(),
        safe: f.safe,
        edits: f
            .edits
            .iter()
            .map(|e| TextEdit::new(pos.range(e.span), e.new_text.clone()))
            .collect(),
    });
    Diagnostic {
        range: pos.range(d.span),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.code.to_string())),
        code_description: super::explain::description(d.code),
        source: Some("trls".into()),
        message: d.message.clone(),
        related_information,
        tags: (!tags.is_empty()).then_some(tags),
        data: fix.and_then(|fix| {
            serde_json::to_value(DiagnosticData {
                version,
                fix: Some(fix),
            })
            .ok()
        }),
    }
}

pub fn item_kind(k: ItemKind) -> CompletionItemKind {
    match k {
        ItemKind::Key => CompletionItemKind::PROPERTY,
        ItemKind::Term => CompletionItemKind::ENUM_MEMBER,
        ItemKind::Unit => CompletionItemKind::UNIT,
        ItemKind::LocalId => CompletionItemKind::REFERENCE,
        ItemKind::RecordId => CompletionItemKind::VALUE,
        ItemKind::Snippet => CompletionItemKind::SNIPPET,
    }
}

pub fn symbol_kind(k: OutlineKind) -> SymbolKind {
    match k {
        OutlineKind::Record => SymbolKind::FILE,
        OutlineKind::Section => SymbolKind::NAMESPACE,
        OutlineKind::Arm => SymbolKind::CLASS,
        OutlineKind::Intervention => SymbolKind::FUNCTION,
        OutlineKind::Outcome => SymbolKind::PROPERTY,
        OutlineKind::Result => SymbolKind::NUMBER,
        OutlineKind::Source => SymbolKind::OBJECT,
        OutlineKind::Cohort => SymbolKind::ENUM_MEMBER,
    }
}

pub fn markdown(value: String) -> MarkupContent {
    MarkupContent {
        kind: MarkupKind::Markdown,
        value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_round_trip_in_both_encodings() {
        let text = "间充质 x\r\u{2028}😀y\rz";
        let lines = LineIndex::new(text);
        let p = Positions::new(text, &lines, Encoding::Utf16);
        assert_eq!(p.position(text.find('x').unwrap()), Position::new(0, 4));
        assert_eq!(p.offset(Position::new(0, 4)), text.find('x').unwrap());
        // U+2028 is a character of line 1, not a line break.
        assert_eq!(p.position(text.find('y').unwrap()), Position::new(1, 3));
        assert_eq!(p.offset(Position::new(1, 3)), text.find('y').unwrap());
        assert_eq!(p.position(text.find('z').unwrap()), Position::new(2, 0));
        // Inside a surrogate pair: the character's start.
        assert_eq!(p.offset(Position::new(1, 2)), text.find('😀').unwrap());
        assert_eq!(p.offset(Position::new(7, 0)), text.len());
        assert_eq!(p.offset(Position::new(0, 99)), text.find('\r').unwrap());
        let p8 = Positions::new(text, &lines, Encoding::Utf8);
        assert_eq!(p8.position(text.find('x').unwrap()), Position::new(0, 10));
    }
}
