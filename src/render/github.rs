//! GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=TRF107::…`).
//! Workflow commands have no related locations; they follow the message as
//! `note:` lines, which the annotation shows.

use std::fmt::Write as _;

use super::{related, FileReport, Files};
use crate::diagnostic::Severity;

/// Workflow command escaping, as GitHub's toolkit does it.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn prop(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn github<F: Files + ?Sized>(reports: &[FileReport], files: &F) -> String {
    let mut out = String::new();
    for report in reports {
        let source = report.checked.source();
        for d in &report.checked.diagnostics {
            let at = source.range(d.span);
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Hint => "notice",
            };
            let mut message = d.message.clone();
            for r in related(report, d, files) {
                let _ = write!(message, "\nnote: {} ({}", r.message, r.path.display());
                if let Some(at) = r.range {
                    let _ = write!(message, ":{}:{}", at.line, at.column);
                }
                message.push(')');
            }
            let _ = writeln!(
                out,
                "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                prop(&report.path.display().to_string()),
                at.line,
                at.column,
                at.end_line,
                at.end_column,
                prop(d.code.as_str()),
                data(&message)
            );
        }
    }
    out
}
