//! The JSON format: one document with a summary and every diagnostic, its related
//! locations (`related`, present where there are some) and its fix (present where
//! one exists), positioned as `interfaces.md` says.

use serde_json::{json, Value};

use super::{related, summary, FileReport, Files, Range, Summary};

fn range_fields(v: &mut Value, r: Option<Range>) {
    let n = |f: fn(&Range) -> usize| r.as_ref().map_or(Value::Null, |r| f(r).into());
    v["line"] = n(|r| r.line);
    v["column"] = n(|r| r.column);
    v["end_line"] = n(|r| r.end_line);
    v["end_column"] = n(|r| r.end_column);
}

pub fn json<F: Files + ?Sized>(reports: &[FileReport], files: &F) -> String {
    json_document(&summary(reports), &json_diagnostics(reports, files))
}

/// The diagnostics of these reports, each as it stands in the document's
/// `diagnostics` list: a batch writes them a chunk of records at a time and holds
/// only these texts, not the records' ([`json_document`] puts them together).
pub fn json_diagnostics<F: Files + ?Sized>(reports: &[FileReport], files: &F) -> Vec<String> {
    let mut diagnostics = Vec::new();
    for report in reports {
        let source = report.checked.source();
        for d in &report.checked.diagnostics {
            let at = source.range(d.span);
            let mut v = json!({
                "path": report.path.display().to_string(),
                "code": d.code.as_str(),
                "severity": d.severity.as_str(),
                "line": at.line, "column": at.column,
                "end_line": at.end_line, "end_column": at.end_column,
                "message": d.message,
            });
            let related: Vec<Value> = related(report, d, files)
                .into_iter()
                .map(|r| {
                    let mut v = json!({"path": r.path.display().to_string()});
                    range_fields(&mut v, r.range);
                    v["message"] = r.message.into();
                    v
                })
                .collect();
            if !related.is_empty() {
                v["related"] = related.into();
            }
            if let Some(fix) = &d.fix {
                let edits: Vec<Value> = fix
                    .edits
                    .iter()
                    .map(|e| {
                        let mut v = json!({});
                        range_fields(&mut v, Some(source.range(e.span)));
                        v["new_text"] = e.new_text.clone().into();
                        v
                    })
                    .collect();
                v["fix"] = json!({"title": fix.title, "edits": edits});
            }
            // Indented as the pretty printer indents an item of the list.
            let text = serde_json::to_string_pretty(&v).unwrap_or_default();
            diagnostics.push(text.replace('\n', "\n    "));
        }
    }
    diagnostics
}

/// The JSON document: its summary, then the diagnostics (from [`json_diagnostics`]).
pub fn json_document(s: &Summary, diagnostics: &[String]) -> String {
    let head = json!({
        "version": 1,
        "summary": {"files": s.files, "errors": s.errors, "warnings": s.warnings,
                    "infos": s.infos, "hints": s.hints},
    });
    let head = serde_json::to_string_pretty(&head).unwrap_or_default();
    let head = head.strip_suffix("\n}").unwrap_or(&head);
    let mut out = String::with_capacity(
        head.len() + diagnostics.iter().map(|d| d.len() + 6).sum::<usize>() + 32,
    );
    out.push_str(head);
    if diagnostics.is_empty() {
        out.push_str(",\n  \"diagnostics\": []\n}\n");
        return out;
    }
    out.push_str(",\n  \"diagnostics\": [");
    for (i, d) in diagnostics.iter().enumerate() {
        out.push_str(if i == 0 { "\n    " } else { ",\n    " });
        out.push_str(d);
    }
    out.push_str("\n  ]\n}\n");
    out
}
