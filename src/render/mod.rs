//! How check results are shown: the text, JSON, SARIF 2.1.0 and GitHub Actions
//! renderers, as pure functions over the results and a file lookup. This is the one
//! place where a byte span becomes a line and a column (through each file's own
//! [`LineIndex`], so a related location in another file is positioned in that file).
//! Lines and columns are 1-based, columns count Unicode scalar values, ends are
//! exclusive. Nothing here reads files or writes to a terminal: the shells do.

mod github;
mod json;
mod sarif;
mod text;

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::Checked;
use crate::syntax::{LineIndex, Span};

pub use self::github::github;
pub use self::json::{json, json_diagnostics, json_document};
pub use self::sarif::sarif;
pub use self::text::{plural, summary_line, text, text_diagnostics, TextOptions};

/// One checked file: the path as reached from the arguments, and its results.
#[derive(Debug)]
pub struct FileReport {
    pub path: PathBuf,
    pub checked: Checked,
}

/// A file's text and line index, as the renderers need them to position a span.
#[derive(Clone, Copy)]
pub struct Source<'a> {
    pub text: &'a str,
    pub lines: &'a LineIndex,
}

/// Gives the text and line index of a file by the path a diagnostic names (a
/// related location in another file). The reports of a run are one: every file a
/// cross-record rule can name was checked in the same run.
pub trait Files {
    fn source(&self, path: &Path) -> Option<Source<'_>>;
}

impl Files for [FileReport] {
    fn source(&self, path: &Path) -> Option<Source<'_>> {
        self.iter()
            .find(|r| r.path == path)
            .map(|r| r.checked.source())
    }
}

impl Files for Vec<FileReport> {
    fn source(&self, path: &Path) -> Option<Source<'_>> {
        self.as_slice().source(path)
    }
}

/// No other files: related locations in another file are named, not positioned.
pub struct NoFiles;

impl Files for NoFiles {
    fn source(&self, _: &Path) -> Option<Source<'_>> {
        None
    }
}

impl Checked {
    pub fn source(&self) -> Source<'_> {
        Source {
            text: &self.text,
            lines: &self.lines,
        }
    }
}

/// A 1-based range; columns count Unicode scalar values; the end is exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Source<'_> {
    /// The position of a byte span in this file.
    pub fn range(&self, span: Span) -> Range {
        let (l, c) = self.lines.line_col(self.text, span.start);
        let (el, ec) = self.lines.line_col(self.text, span.end);
        Range {
            line: l + 1,
            column: c + 1,
            end_line: el + 1,
            end_column: ec + 1,
        }
    }
}

/// A related location, resolved: its file's path, its range when that file could be
/// looked up, and its message.
pub struct Located<'a> {
    pub path: &'a Path,
    pub range: Option<Range>,
    pub message: &'a str,
}

/// The related locations of a diagnostic of `report`, each positioned in its own file.
pub fn related<'a, F: Files + ?Sized>(
    report: &'a FileReport,
    d: &'a Diagnostic,
    files: &'a F,
) -> Vec<Located<'a>> {
    d.related
        .iter()
        .map(|r| {
            let path = r.path.as_deref().unwrap_or(&report.path);
            let source = if path == report.path {
                Some(report.checked.source())
            } else {
                files.source(path)
            };
            Located {
                path,
                range: source.map(|s| s.range(r.span)),
                message: &r.message,
            }
        })
        .collect()
}

/// How many findings of each severity a run reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub hints: usize,
}

pub fn summary(reports: &[FileReport]) -> Summary {
    let mut s = Summary {
        files: reports.len(),
        ..Summary::default()
    };
    for d in reports.iter().flat_map(|r| &r.checked.diagnostics) {
        match d.severity {
            Severity::Error => s.errors += 1,
            Severity::Warning => s.warnings += 1,
            Severity::Info => s.infos += 1,
            Severity::Hint => s.hints += 1,
        }
    }
    s
}

/// A path as a relative URI reference: forward slashes, every byte outside the
/// unreserved set percent-escaped (a file name that is not UTF-8 keeps its bytes).
pub(crate) fn uri(path: &Path) -> String {
    let bytes = path.as_os_str().as_encoded_bytes();
    let bytes = bytes.strip_prefix(b"./").unwrap_or(bytes);
    let mut out = String::new();
    for &b in bytes {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            b'\\' => out.push('/'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::diagnostic::Related;

    /// A report of one record whose first diagnostic points at a related location
    /// in a file the lookup may not know.
    fn report() -> FileReport {
        let config = Config::default();
        let text = "trf: 1\nenrolment: 1\n";
        let mut checked = crate::engine::check_one(
            crate::engine::analyze_text(text, crate::syntax::Syntax::Yaml, None, &config),
            &config,
        );
        checked.diagnostics[0].related.push(Related {
            path: Some(PathBuf::from("other.trial.yaml")),
            span: Span::new(7, 9),
            message: "over there".into(),
        });
        FileReport {
            path: PathBuf::from("r.trial.yaml"),
            checked,
        }
    }

    #[test]
    fn a_related_file_the_lookup_does_not_know_is_named_without_a_position() {
        let reports = vec![report()];
        let doc: serde_json::Value = serde_json::from_str(&json(&reports, &NoFiles)).unwrap();
        let r = &doc["diagnostics"][0]["related"][0];
        assert_eq!(r["path"], "other.trial.yaml");
        assert!(r["line"].is_null() && r["end_column"].is_null());
        let shown = text(&reports, &NoFiles, TextOptions::default());
        assert!(
            shown.contains("= note: over there (other.trial.yaml)\n"),
            "{shown}"
        );
        let doc: serde_json::Value = serde_json::from_str(&sarif(&reports, &NoFiles)).unwrap();
        let loc = &doc["runs"][0]["results"][0]["relatedLocations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "other.trial.yaml");
        assert!(loc.get("region").is_none());
    }

    #[test]
    fn a_related_file_is_positioned_with_its_own_lines() {
        let other = FileReport {
            path: PathBuf::from("other.trial.yaml"),
            checked: Checked {
                text: "a\nb\ncdefgh\n".into(),
                lines: LineIndex::new("a\nb\ncdefgh\n"),
                diagnostics: Vec::new(),
            },
        };
        let reports = vec![report(), other];
        let doc: serde_json::Value = serde_json::from_str(&json(&reports, &reports)).unwrap();
        let r = &doc["diagnostics"][0]["related"][0];
        assert_eq!(
            (r["line"].as_u64(), r["column"].as_u64()),
            (Some(3), Some(4))
        );
        assert_eq!(
            (r["end_line"].as_u64(), r["end_column"].as_u64()),
            (Some(3), Some(6))
        );
    }

    #[test]
    fn uris_escape_bytes_and_drop_a_leading_dot_folder() {
        assert_eq!(uri(Path::new("./a b/c.trial.yaml")), "a%20b/c.trial.yaml");
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let p = Path::new(std::ffi::OsStr::from_bytes(b"caf\xe9.trial.yaml"));
            assert_eq!(uri(p), "caf%E9.trial.yaml");
        }
    }
}
