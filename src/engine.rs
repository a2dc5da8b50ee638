//! The one entry point every shell calls: text in, diagnostics out.

use std::path::{Path, PathBuf};

use crate::codes::Code;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::LocalIndex;
pub use crate::model::RecordSummary;
use crate::rules::{self, Context};
use crate::syntax::{self, LineIndex, Node, Parsed, Span, Syntax, SyntaxError, SyntaxErrorKind};
use crate::workspace::index::WorkspaceIndex;

/// A checked document: its text (lossily decoded if it was not UTF-8), the line
/// index for positions, and its diagnostics ordered by position.
#[derive(Debug)]
pub struct Checked {
    pub text: String,
    pub lines: LineIndex,
    pub diagnostics: Vec<Diagnostic>,
}

/// A record after the single-record checks, before configuration and suppressions
/// are applied: what the workspace phase needs from it.
pub struct Analysis {
    pub path: Option<std::path::PathBuf>,
    pub text: String,
    pub lines: LineIndex,
    /// The parse, without its tree: comments and damaged regions for the workspace
    /// phase. The tree is dropped as soon as the single-record checks have run, so a
    /// batch of records does not hold every tree until the cross-record phase.
    pub parsed: Parsed,
    pub diagnostics: Vec<Diagnostic>,
    /// Per code, findings counted but not kept (see `diagnostic::cap_per_code`).
    pub omitted: Vec<(Code, usize)>,
    pub index: LocalIndex,
    pub summary: RecordSummary,
}

/// Parse and run every single-record check. Input that is not UTF-8 is `TRF001`.
pub fn analyze(bytes: &[u8], path: Option<&Path>, config: &Config) -> Analysis {
    let syntax = path.map_or(Syntax::Yaml, Syntax::from_path);
    match std::str::from_utf8(bytes) {
        Ok(text) => analyze_text(text, syntax, path, config),
        Err(e) => {
            let at = e.valid_up_to();
            let text = String::from_utf8_lossy(bytes).into_owned();
            let d = Diagnostic::new(
                Code::InvalidSyntax,
                // The lossy text holds U+FFFD (3 bytes) where the bad byte was.
                Span::new(at, at + '\u{fffd}'.len_utf8()),
                format!(
                    "the file is not UTF-8 text (byte 0x{:02X} at offset {at}); save it as UTF-8",
                    bytes[at]
                ),
            );
            Analysis {
                path: path.map(Path::to_path_buf),
                lines: LineIndex::new(&text),
                text,
                parsed: Parsed::default(),
                diagnostics: vec![d],
                omitted: Vec::new(),
                index: LocalIndex::default(),
                summary: RecordSummary::default(),
            }
        }
    }
}

pub fn analyze_text(text: &str, syntax: Syntax, path: Option<&Path>, config: &Config) -> Analysis {
    let parsed = syntax::parse(text, syntax);
    let empty = Node::map(Vec::new(), Span::empty(0));
    let root = parsed.root.as_ref().unwrap_or(&empty);
    let index = LocalIndex::build(root);
    let summary = RecordSummary::build(root);
    let mut diagnostics: Vec<Diagnostic> = parsed.errors.iter().map(syntax_diagnostic).collect();
    let verdict = rules::schema::check(&parsed, text, config.schema());
    diagnostics.extend(verdict.diagnostics);
    let omitted = verdict.omitted;
    let unsupported = diagnostics.iter().any(|d| d.code == Code::FormatVersion);
    if !unsupported {
        let cx = Context {
            text,
            syntax: parsed.syntax,
            root,
            path,
            config,
            index: &index,
        };
        diagnostics.extend(rules::check_record(&cx));
    }
    let mut parsed = parsed;
    parsed.root = None;
    Analysis {
        path: path.map(Path::to_path_buf),
        text: text.to_string(),
        lines: LineIndex::new(text),
        diagnostics,
        omitted,
        index,
        summary,
        parsed,
    }
}

/// A syntax error as its finding: `TRF001` (invalid), `TRF002` (a duplicate key,
/// with its first occurrence as related information), `TRF003` (unsupported YAML).
pub fn syntax_diagnostic(e: &SyntaxError) -> Diagnostic {
    match &e.kind {
        SyntaxErrorKind::Invalid => Diagnostic::new(Code::InvalidSyntax, e.span, &e.message),
        SyntaxErrorKind::DuplicateKey { key, first } => {
            Diagnostic::new(Code::DuplicateKey, e.span, &e.message)
                .with_related(*first, format!("first `{key}` is here"))
        }
        SyntaxErrorKind::Unsupported => Diagnostic::new(Code::UnsupportedYaml, e.span, &e.message),
    }
}

/// Only what a record contributes to the workspace index (no checks): for indexing
/// files that are not open.
pub fn summarize(bytes: &[u8], path: &Path) -> RecordSummary {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return RecordSummary::default();
    };
    let parsed = syntax::parse(text, Syntax::from_path(path));
    parsed
        .root
        .as_ref()
        .map(RecordSummary::build)
        .unwrap_or_default()
}

/// Add the workspace phase's findings, then apply precedence, configured severities
/// and suppressions, order by position, and cap the findings of each code.
pub fn finish(analysis: Analysis, workspace: Vec<Diagnostic>, config: &Config) -> Checked {
    let Analysis {
        text,
        lines,
        parsed,
        mut diagnostics,
        omitted,
        ..
    } = analysis;
    diagnostics.extend(workspace);
    let mut diagnostics = rules::apply_precedence(diagnostics);
    diagnostics.retain_mut(|d| match config.severity(d.code, d.severity) {
        Some(s) => {
            d.severity = s;
            true
        }
        None => false,
    });
    let mut diagnostics =
        rules::suppress::apply(diagnostics, &text, &parsed.comments, &lines, config);
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, a.code).cmp(&(b.span.start, b.span.end, b.code))
    });
    let omitted: Vec<(Code, usize)> = omitted
        .into_iter()
        .filter(|(c, _)| config.severity(*c, c.severity()).is_some())
        .collect();
    let diagnostics = crate::diagnostic::cap_per_code(diagnostics, &omitted);
    Checked {
        text,
        lines,
        diagnostics,
    }
}

/// One document checked against a workspace index: what an editor shows for it.
pub struct DocumentCheck {
    pub checked: Checked,
    /// What the document contributes to the workspace index.
    pub summary: RecordSummary,
}

/// Check one document's text as part of a workspace: the single-record checks, the
/// cross-record checks against `index` (which may hold this document's previous
/// summary; the rules judge it against the other records only), then configuration
/// and suppressions. The language server's one call into the engine for a check.
pub fn check_document(
    text: &str,
    syntax: Syntax,
    path: &Path,
    config: &Config,
    index: &WorkspaceIndex,
) -> DocumentCheck {
    let analysis = analyze_text(text, syntax, Some(path), config);
    let summary = analysis.summary.clone();
    let workspace = rules::workspace::check(path, &summary, index);
    DocumentCheck {
        checked: finish(analysis, workspace, config),
        summary,
    }
}

/// Check a set of records together (cross-record rules see all of them).
pub fn check_all(analyses: Vec<Analysis>, configs: &[&Config]) -> Vec<Checked> {
    check_all_in(analyses, configs, &[])
}

/// Check a set of records together, within a wider workspace: the cross-record
/// rules also judge them against `context`, the summaries of other records (see
/// [`summarize`]), which are not reported on.
pub fn check_all_in(
    analyses: Vec<Analysis>,
    configs: &[&Config],
    context: &[(PathBuf, RecordSummary)],
) -> Vec<Checked> {
    let paths: Vec<PathBuf> = analyses
        .iter()
        .enumerate()
        .map(|(i, a)| {
            a.path
                .clone()
                .unwrap_or_else(|| PathBuf::from(format!("<document {i}>")))
        })
        .collect();
    let index = WorkspaceIndex::build(
        paths
            .iter()
            .map(PathBuf::as_path)
            .zip(analyses.iter().map(|a| &a.summary))
            .chain(context.iter().map(|(p, s)| (p.as_path(), s))),
    );
    let judge = |a: Analysis, path: &PathBuf, c: &&Config| {
        let workspace = rules::workspace::check(path, &a.summary, &index);
        finish(a, workspace, c)
    };
    if analyses.len() == 1 {
        return analyses
            .into_iter()
            .zip(&paths)
            .zip(configs)
            .map(|((a, path), c)| judge(a, path, c))
            .collect();
    }
    // The cross-record phase (and dropping each record's tree) in parallel too, in
    // the order given.
    use rayon::prelude::*;
    analyses
        .into_par_iter()
        .zip(paths.par_iter())
        .zip(configs.par_iter())
        .map(|((a, path), c)| judge(a, path, c))
        .collect()
}

/// Check one record on its own (a workspace of one).
pub fn check_one(analysis: Analysis, config: &Config) -> Checked {
    check_all(vec![analysis], &[config])
        .pop()
        .unwrap_or_else(|| Checked {
            text: String::new(),
            lines: LineIndex::new(""),
            diagnostics: Vec::new(),
        })
}

/// Check one file on its own.
pub fn check_bytes(bytes: &[u8], path: &Path, config: &Config) -> Checked {
    check_one(analyze(bytes, Some(path), config), config)
}

/// Apply every safe fix, re-checking until nothing more applies (fixes of
/// overlapping ranges wait for the next round). `None` when nothing changed or the
/// file is not UTF-8. Text outside the edited ranges is kept byte for byte.
pub fn fix_all(text: &str, path: &Path, config: &Config) -> Option<String> {
    let syntax = Syntax::from_path(path);
    let mut current = text.to_string();
    for _ in 0..10 {
        let checked = check_one(analyze_text(&current, syntax, Some(path), config), config);
        let mut edits: Vec<&crate::diagnostic::TextEdit> = checked
            .diagnostics
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .filter(|f| f.safe)
            .flat_map(|f| &f.edits)
            .collect();
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        let mut next = String::with_capacity(current.len());
        let mut at = 0;
        let mut applied = 0;
        for e in edits {
            if e.span.start < at || e.span.end > current.len() {
                continue;
            }
            if !current.is_char_boundary(e.span.start) || !current.is_char_boundary(e.span.end) {
                continue;
            }
            next.push_str(&current[at..e.span.start]);
            next.push_str(&e.new_text);
            at = e.span.end;
            applied += 1;
        }
        next.push_str(&current[at..]);
        if applied == 0 || next == current {
            break;
        }
        current = next;
    }
    (current != text).then_some(current)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_that_is_not_utf8_is_flagged_on_its_replacement_character() {
        let checked = check_bytes(
            b"trf: 1\ntitle: caf\xe9\n",
            Path::new("a.trial.yaml"),
            &Config::default(),
        );
        let d = &checked.diagnostics[0];
        assert_eq!(d.code, Code::InvalidSyntax);
        assert_eq!(&checked.text[d.span.start..d.span.end], "\u{fffd}");
    }
}
