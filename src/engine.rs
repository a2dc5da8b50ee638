//! The one entry point every shell calls: text in, diagnostics out.

use std::path::{Path, PathBuf};

use crate::codes::Code;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::LocalIndex;
pub use crate::model::RecordSummary;
use crate::registry::{Snapshot, Snapshots};
use crate::rules::suppress::Suppressions;
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
    let local = analyze_local(text, syntax, path, config);
    Analysis {
        path: path.map(Path::to_path_buf),
        text: text.to_string(),
        lines: LineIndex::new(text),
        diagnostics: local.diagnostics,
        omitted: local.omitted,
        index: local.index,
        summary: local.summary,
        parsed: local.parsed,
    }
}

/// The single-record checks' results, before they are kept whole ([`Analysis`])
/// or compactly ([`Compact`]).
struct Local {
    parsed: Parsed,
    diagnostics: Vec<Diagnostic>,
    omitted: Vec<(Code, usize)>,
    index: LocalIndex,
    summary: RecordSummary,
}

/// Parse and run every single-record check; the tree is dropped before returning.
fn analyze_local(text: &str, syntax: Syntax, path: Option<&Path>, config: &Config) -> Local {
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
        if let Some(snapshot) = config.snapshots().and_then(|s| snapshot_of(root, s)) {
            diagnostics.extend(rules::registry::check(&cx, snapshot));
        }
    }
    let mut parsed = parsed;
    parsed.root = None;
    Local {
        parsed,
        diagnostics,
        omitted,
        index,
        summary,
    }
}

/// What a batch keeps of one record after its single-record checks: all that the
/// cross-record phase and [`finish`] need, without the record's text, tree or line
/// index, so a batch's memory does not grow with the size of its records. Its
/// content depends on the record's bytes, its file name and extension (TRF104, the
/// syntax), the configuration and this build only: the result cache's key.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Compact {
    /// The single-record findings, before precedence, severities and suppressions.
    pub diagnostics: Vec<Diagnostic>,
    /// Per code, findings counted but not kept (see `diagnostic::cap_per_code`).
    pub omitted: Vec<(Code, usize)>,
    pub summary: RecordSummary,
    /// The record's `# trls: ignore` directives, resolved to lines.
    pub suppressions: Suppressions,
}

/// [`analyze`], kept compactly: parse, run every single-record check, and drop the
/// text, the tree and the line index (built only when the record has a `trls:`
/// directive to place).
pub fn analyze_compact(bytes: &[u8], path: Option<&Path>, config: &Config) -> Compact {
    let syntax = path.map_or(Syntax::Yaml, Syntax::from_path);
    let Ok(text) = std::str::from_utf8(bytes) else {
        // Not UTF-8: one finding, no comments (rare: no need to be lean).
        return analyze(bytes, path, config).compact();
    };
    let local = analyze_local(text, syntax, path, config);
    let suppressions = if local
        .parsed
        .comments
        .iter()
        .any(crate::syntax::Comment::is_directive)
    {
        Suppressions::parse(text, &local.parsed.comments, &LineIndex::new(text))
    } else {
        Suppressions::default()
    };
    let mut compact = Compact {
        diagnostics: local.diagnostics,
        omitted: local.omitted,
        summary: local.summary,
        suppressions,
    };
    compact.shrink();
    compact
}

impl Compact {
    /// Give back what the lists and messages reserved beyond their length: a batch
    /// holds one of these per record until the cross-record phase, and a vector's
    /// first growth reserves room for four.
    pub fn shrink(&mut self) {
        for d in &mut self.diagnostics {
            d.message.shrink_to_fit();
        }
        self.diagnostics.shrink_to_fit();
        self.omitted.shrink_to_fit();
        let s = &mut self.summary;
        s.secondary.shrink_to_fit();
        s.related.shrink_to_fit();
        if let Some(t) = &mut s.title {
            t.shrink_to_fit();
        }
    }
}

impl Analysis {
    /// What a batch keeps of this analysis (see [`Compact`]).
    pub fn compact(self) -> Compact {
        self.into_compact().0
    }

    /// What a batch keeps of this analysis, and the text and line index it drops.
    fn into_compact(self) -> (Compact, String, LineIndex) {
        let compact = Compact {
            suppressions: Suppressions::parse(&self.text, &self.parsed.comments, &self.lines),
            diagnostics: self.diagnostics,
            omitted: self.omitted,
            summary: self.summary,
        };
        (compact, self.text, self.lines)
    }
}

/// The snapshot of a record: of its `id`, else of one of its `secondary_ids`
/// (compared in canonical form, so a non-canonical spelling still finds it).
fn snapshot_of<'s>(root: &Node, snapshots: &'s Snapshots) -> Option<&'s Snapshot> {
    let id = root.get("id").and_then(Node::text);
    let secondary = root
        .get("secondary_ids")
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .filter_map(|s| s.get("id").and_then(Node::text));
    id.into_iter().chain(secondary).find_map(|text| {
        let canonical =
            crate::ids::canonical(text).map_or_else(|| text.trim().to_string(), |c| c.id);
        snapshots.get(&canonical)
    })
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
    crate::model::summary::whole(bytes, path)
}

/// [`summarize`], parsing only the record's top-level sections the summary reads
/// when the record is plain enough: the language server's start-up indexing.
pub fn summarize_sections(bytes: &[u8], path: &Path) -> RecordSummary {
    crate::model::summary::summarize(bytes, path)
}

/// Add the workspace phase's findings, then apply precedence, configured severities
/// and suppressions, order by position, and cap the findings of each code.
pub fn finish(analysis: Analysis, workspace: Vec<Diagnostic>, config: &Config) -> Checked {
    let suppressions =
        Suppressions::parse(&analysis.text, &analysis.parsed.comments, &analysis.lines);
    let Analysis {
        text,
        lines,
        diagnostics,
        omitted,
        ..
    } = analysis;
    Checked {
        diagnostics: finish_diagnostics(diagnostics, workspace, omitted, &suppressions, config),
        text,
        lines,
    }
}

/// [`finish`] of a compact record: its final diagnostics.
pub fn finish_compact(
    record: Compact,
    workspace: Vec<Diagnostic>,
    config: &Config,
) -> Vec<Diagnostic> {
    let Compact {
        diagnostics,
        omitted,
        suppressions,
        ..
    } = record;
    finish_diagnostics(diagnostics, workspace, omitted, &suppressions, config)
}

fn finish_diagnostics(
    mut diagnostics: Vec<Diagnostic>,
    workspace: Vec<Diagnostic>,
    omitted: Vec<(Code, usize)>,
    suppressions: &Suppressions,
    config: &Config,
) -> Vec<Diagnostic> {
    diagnostics.extend(workspace);
    for d in &mut diagnostics {
        lowercase_start(&mut d.message);
        for r in &mut d.related {
            lowercase_start(&mut r.message);
        }
    }
    let mut diagnostics = rules::apply_precedence(diagnostics);
    diagnostics.retain_mut(|d| match config.severity(d.code, d.severity) {
        Some(s) => {
            d.severity = s;
            true
        }
        None => false,
    });
    let mut diagnostics = rules::suppress::apply(diagnostics, suppressions, config);
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, a.code).cmp(&(b.span.start, b.span.end, b.code))
    });
    let omitted: Vec<(Code, usize)> = omitted
        .into_iter()
        .filter(|(c, _)| config.severity(*c, c.severity()).is_some())
        .collect();
    crate::diagnostic::cap_per_code(diagnostics, &omitted)
}

/// One capitalisation for every message, whoever wrote it (a rule, the YAML or
/// JSON parser): it starts in lower case, as a clause after `error[CODE]: `. A word
/// in capitals (`FEV1`, `JSON`) is a name and stays.
fn lowercase_start(message: &mut String) {
    let mut chars = message.chars();
    if let (Some(first), Some(second)) = (chars.next(), chars.next()) {
        if first.is_ascii_uppercase() && second.is_lowercase() {
            message.replace_range(..1, &first.to_ascii_lowercase().to_string());
        }
    }
    // After the parser's prefix (`invalid JSON: Trailing commas …`) too.
    for prefix in ["invalid JSON: ", "invalid YAML: "] {
        if let Some(rest) = message.strip_prefix(prefix) {
            let mut rest = rest.to_string();
            if rest.chars().nth(1).is_some_and(char::is_lowercase) {
                lowercase_start_only(&mut rest);
            }
            *message = format!("{prefix}{rest}");
        }
    }
}

fn lowercase_start_only(s: &mut String) {
    if let Some(first) = s.chars().next().filter(char::is_ascii_uppercase) {
        s.replace_range(..1, &first.to_ascii_lowercase().to_string());
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
    check_document_in(text, syntax, path, config, || index)
}

/// [`check_document`], reaching the index only for the cross-record phase: the
/// language server holds it behind a lock, taken only while the cross-record rules
/// read it (parsing and the single-record rules run without it).
pub fn check_document_in<I: std::ops::Deref<Target = WorkspaceIndex>>(
    text: &str,
    syntax: Syntax,
    path: &Path,
    config: &Config,
    index: impl FnOnce() -> I,
) -> DocumentCheck {
    let analysis = analyze_text(text, syntax, Some(path), config);
    let summary = analysis.summary.clone();
    let workspace = rules::workspace::check(path, &summary, &index());
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
    let mut texts = Vec::with_capacity(analyses.len());
    let records: Vec<(PathBuf, Compact)> = analyses
        .into_iter()
        .enumerate()
        .map(|(i, mut a)| {
            let path = a
                .path
                .take()
                .unwrap_or_else(|| PathBuf::from(format!("<document {i}>")));
            let (compact, text, lines) = a.into_compact();
            texts.push((text, lines));
            (path, compact)
        })
        .collect();
    check_batch(records, configs, context)
        .into_iter()
        .zip(texts)
        .map(|(diagnostics, (text, lines))| Checked {
            text,
            lines,
            diagnostics,
        })
        .collect()
}

/// Check a batch of compact records together, within a wider workspace (as
/// [`check_all_in`]): the final diagnostics of each, in the order given. The
/// cross-record rules read only the summaries, so no record's text is needed.
pub fn check_batch(
    records: Vec<(PathBuf, Compact)>,
    configs: &[&Config],
    context: &[(PathBuf, RecordSummary)],
) -> Vec<Vec<Diagnostic>> {
    let mut records = records;
    let summaries: Vec<(PathBuf, RecordSummary)> = records
        .iter_mut()
        .map(|(p, c)| (p.clone(), std::mem::take(&mut c.summary)))
        .chain(context.iter().cloned())
        .collect();
    let workspace = Workspace::new(summaries);
    let judge = |(path, record): (PathBuf, Compact), config: &&Config| {
        workspace.judge(&path, record, config)
    };
    if records.len() == 1 {
        return records
            .into_iter()
            .zip(configs)
            .map(|(r, c)| judge(r, c))
            .collect();
    }
    // The cross-record phase in parallel too, in the order given.
    use rayon::prelude::*;
    records
        .into_par_iter()
        .zip(configs.par_iter())
        .map(|(r, c)| judge(r, c))
        .collect()
}

/// The records of a batch for the cross-record phase: each record's summary, held
/// once (the index owns them), so that a batch can judge its records one at a time
/// and keep only the findings of the ones not yet reported.
pub struct Workspace {
    index: WorkspaceIndex,
}

impl Workspace {
    /// The workspace of these records (the checked ones and their context).
    pub fn new(records: Vec<(PathBuf, RecordSummary)>) -> Workspace {
        let mut workspace = Workspace::with_capacity(records.len());
        for (path, summary) in records {
            workspace.insert(path.into(), Workspace::summary(summary));
        }
        workspace
    }

    /// A record's summary as a batch workspace holds it: only what the cross-record
    /// rules read (see [`RecordSummary::for_cross_record`]), shareable. Made where
    /// the record is analyzed, so that a batch holds this and not the whole summary
    /// until its workspace is built.
    pub fn summary(summary: RecordSummary) -> std::sync::Arc<RecordSummary> {
        std::sync::Arc::new(summary.for_cross_record())
    }

    /// An empty workspace with room for `n` records (no growth, so no moment with
    /// two tables, while a large batch fills it).
    pub fn with_capacity(n: usize) -> Workspace {
        let mut index = WorkspaceIndex::default();
        index.records.reserve(n);
        index.primary.reserve(n);
        Workspace { index }
    }

    /// Add a record's summary, made by [`Workspace::summary`] (replacing any
    /// earlier one of `path`). The workspace shares the caller's `path`.
    pub fn insert(&mut self, path: std::sync::Arc<Path>, summary: std::sync::Arc<RecordSummary>) {
        self.index.insert_shared(path, summary);
    }

    /// The final diagnostics of the record at `path`: its single-record findings
    /// (`record`, whose summary may have been moved into this workspace) with the
    /// cross-record ones, through [`finish`]'s precedence, severities, suppressions
    /// and caps. The record is judged by the summary this workspace holds for it.
    pub fn judge(&self, path: &Path, record: Compact, config: &Config) -> Vec<Diagnostic> {
        let empty = RecordSummary::default();
        let summary = self.index.records.get(path).map_or(&empty, |s| s.as_ref());
        let workspace = rules::workspace::check(path, summary, &self.index);
        finish_compact(record, workspace, config)
    }
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
    fix_all_counted(text, path, config).map(|(fixed, _)| fixed)
}

/// [`fix_all`], also saying how many fixes were applied (a fix counts once however
/// many edits it makes).
pub fn fix_all_counted(text: &str, path: &Path, config: &Config) -> Option<(String, usize)> {
    let syntax = Syntax::from_path(path);
    let mut current = text.to_string();
    let mut fixes = 0;
    for _ in 0..10 {
        let checked = check_one(analyze_text(&current, syntax, Some(path), config), config);
        let mut edits: Vec<(usize, &crate::diagnostic::TextEdit)> = checked
            .diagnostics
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .filter(|f| f.safe)
            .enumerate()
            .flat_map(|(i, f)| f.edits.iter().map(move |e| (i, e)))
            .collect();
        edits.sort_by_key(|(_, e)| (e.span.start, e.span.end));
        let mut next = String::with_capacity(current.len());
        let mut at = 0;
        let mut applied = 0;
        let mut applied_fixes = std::collections::HashSet::new();
        for (fix, e) in edits {
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
            applied_fixes.insert(fix);
        }
        next.push_str(&current[at..]);
        if applied == 0 || next == current {
            break;
        }
        fixes += applied_fixes.len();
        current = next;
    }
    (current != text).then_some((current, fixes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_start_in_lower_case_but_names_in_capitals_stay() {
        let mut m = "Trailing commas".to_string();
        lowercase_start(&mut m);
        assert_eq!(m, "trailing commas");
        let mut m = "invalid JSON: Trailing commas are not allowed".to_string();
        lowercase_start(&mut m);
        assert_eq!(m, "invalid JSON: trailing commas are not allowed");
        let mut m = "FEV1 `2.59 L` is greater".to_string();
        lowercase_start(&mut m);
        assert_eq!(m, "FEV1 `2.59 L` is greater");
        let checked = check_bytes(
            b"{\"trf\": 1,}",
            Path::new("a.trial.json"),
            &Config::default(),
        );
        assert!(checked
            .diagnostics
            .iter()
            .all(|d| !d.message.starts_with(|c: char| c.is_ascii_uppercase())
                && !d.message.contains(": T")));
    }

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
