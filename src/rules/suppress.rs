//! `# trls: ignore[CODE, ...]` comments (YAML) and TRF900 for the ones that
//! silence nothing. A trailing comment applies to its own line; a comment alone on
//! its line applies to the next line with content. A bare `# trls: ignore`
//! silences every rule on that line.

use crate::codes::Code;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Fix};
use crate::syntax::edit::Editor;
use crate::syntax::{directive_line, Comment, LineIndex, Span, Syntax};

struct Suppression {
    comment: Span,
    /// 0-based line the suppression applies to.
    line: usize,
    /// `None`: every code.
    codes: Option<Vec<String>>,
}

fn parse(text: &str, comments: &[Comment], lines: &LineIndex) -> Vec<Suppression> {
    let mut out = Vec::new();
    for c in comments {
        let body = c.text.trim();
        let Some(rest) = body.strip_prefix("trls:").map(str::trim_start) else {
            continue;
        };
        let Some(rest) = rest.strip_prefix("ignore") else {
            continue;
        };
        let rest = rest.trim_start();
        // `ignore[A, B]` lists codes; a bare `ignore` (or `ignore because ...`)
        // silences every rule on the line.
        let codes: Option<Vec<String>> = rest
            .trim_start()
            .strip_prefix('[')
            .and_then(|r| r.split(']').next())
            .map(|list| {
                list.split(',')
                    .map(|s| s.trim().to_uppercase())
                    .filter(|s| !s.is_empty())
                    .collect()
            });
        out.push(Suppression {
            comment: c.span,
            line: directive_line(text, lines, c.span),
            codes,
        });
    }
    out
}

/// Drop suppressed diagnostics and add TRF900 for suppressions that silenced nothing.
pub fn apply(
    diagnostics: Vec<Diagnostic>,
    text: &str,
    comments: &[Comment],
    lines: &LineIndex,
    config: &Config,
) -> Vec<Diagnostic> {
    let sups = parse(text, comments, lines);
    if sups.is_empty() {
        return diagnostics;
    }
    let mut used: Vec<Vec<bool>> = sups
        .iter()
        .map(|s| vec![false; s.codes.as_ref().map_or(1, Vec::len)])
        .collect();
    let mut kept = Vec::with_capacity(diagnostics.len());
    'diag: for d in diagnostics {
        let line = lines.line_of(d.span.start);
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
        // Comments are YAML's only.
        let fix = whole.then(|| {
            let edit = Editor::new(text, Syntax::Yaml).remove_comment(s.comment);
            Fix::new("remove the unused suppression", vec![edit], true)
        });
        kept.push(Diagnostic::new(Code::UnusedSuppression, s.comment, message).with_fix(fix));
    }
    kept
}
