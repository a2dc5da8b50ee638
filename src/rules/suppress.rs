//! `# trls: ignore[CODE, ...]` comments (YAML) and TRF900 for the ones that
//! silence nothing. A trailing comment applies to its own line; a comment alone on
//! its line applies to the next line with content. A bare `# trls: ignore`
//! silences every rule on that line.

use crate::codes::Code;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Fix, TextEdit};
use crate::syntax::edit::Editor;
use crate::syntax::{directive_line, Comment, LineIndex, Span, Syntax};

/// One `# trls: ignore` directive, resolved against its record's text: all that
/// applying it needs, so a batch can drop the text before the cross-record phase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    pub comment: Span,
    /// 0-based line the suppression applies to.
    pub line: usize,
    /// `None`: every code.
    pub codes: Option<Vec<String>>,
    /// The edit that removes the comment (the fix of its TRF900).
    pub removal: TextEdit,
}

/// A record's suppressions, and its line starts when it has any (to put later
/// findings, the cross-record ones, on their lines without the text).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Suppressions {
    pub items: Vec<Suppression>,
    /// Byte offset where each line starts; empty when there are no items.
    pub line_starts: Vec<usize>,
}

impl Suppressions {
    /// The suppressions of a record's comments.
    pub fn parse(text: &str, comments: &[Comment], lines: &LineIndex) -> Suppressions {
        let mut items = Vec::new();
        for c in comments {
            let Some(directive) = c.ignore_directive() else {
                continue;
            };
            let codes = directive
                .codes
                .map(|list| list.iter().map(|s| s.to_uppercase()).collect());
            items.push(Suppression {
                comment: c.span,
                line: directive_line(text, lines, c.span),
                codes,
                // Comments are YAML's only.
                removal: Editor::new(text, Syntax::Yaml).remove_comment(c.span),
            });
        }
        let line_starts = if items.is_empty() {
            Vec::new()
        } else {
            (0..lines.line_count())
                .map(|l| lines.line_start(l))
                .collect()
        };
        Suppressions { items, line_starts }
    }

    /// 0-based line of a byte offset (as [`LineIndex::line_of`]).
    fn line_of(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }
}

/// Drop suppressed diagnostics and add TRF900 for suppressions that silenced nothing.
pub fn apply(
    diagnostics: Vec<Diagnostic>,
    suppressions: &Suppressions,
    config: &Config,
) -> Vec<Diagnostic> {
    let sups = &suppressions.items;
    if sups.is_empty() {
        return diagnostics;
    }
    let mut used: Vec<Vec<bool>> = sups
        .iter()
        .map(|s| vec![false; s.codes.as_ref().map_or(1, Vec::len)])
        .collect();
    let mut kept = Vec::with_capacity(diagnostics.len());
    'diag: for d in diagnostics {
        let line = suppressions.line_of(d.span.start);
        for (i, s) in sups.iter().enumerate() {
            if s.line != line {
                continue;
            }
            match &s.codes {
                None => {
                    used[i][0] = true;
                    continue 'diag;
                }
                Some(codes) => {
                    if let Some(j) = codes.iter().position(|c| c == d.code.as_str()) {
                        used[i][j] = true;
                        continue 'diag;
                    }
                }
            }
        }
        kept.push(d);
    }
    for (s, used) in sups.iter().zip(&used) {
        let unused: Vec<String> = match &s.codes {
            None if !used[0] => vec![],
            None => continue,
            Some(codes) => codes
                .iter()
                .zip(used)
                .filter(|(c, u)| !**u && Code::parse(c).is_none_or(|c| !config.is_off(c)))
                .map(|(c, _)| c.clone())
                .collect(),
        };
        if s.codes.is_some() && unused.is_empty() {
            continue;
        }
        let whole = match &s.codes {
            None => true,
            Some(codes) => unused.len() == codes.len(),
        };
        let names = unused
            .iter()
            .map(|c| match Code::parse(c) {
                Some(_) => format!("`{c}`"),
                None => format!("`{c}` (not a trls code)"),
            })
            .collect::<Vec<_>>()
            .join(", ");
        let not_codes: Vec<&String> = unused.iter().filter(|c| Code::parse(c).is_none()).collect();
        let message = if let [c] = not_codes.as_slice() {
            format!("`{c}` is not a trls code, so this suppression of it silences nothing")
        } else if s.codes.is_none() {
            format!("this suppression silences nothing on line {}", s.line + 1)
        } else {
            format!(
                "suppression of {names} silences nothing on line {}",
                s.line + 1
            )
        };
        let fix = whole.then(|| {
            Fix::new(
                "remove the unused suppression",
                vec![s.removal.clone()],
                true,
            )
        });
        kept.push(Diagnostic::new(Code::UnusedSuppression, s.comment, message).with_fix(fix));
    }
    kept
}
