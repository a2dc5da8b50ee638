//! The JSON format: one document with a summary and every diagnostic, its related
//! locations (`related`, present where there are some) and its fix (present where
//! one exists), positioned as `interfaces.md` says.

use serde_json::{json, Value};

use super::{related, summary, FileReport, Files, Range};

fn range_fields(v: &mut Value, r: Option<Range>) {
    let n = |f: fn(&Range) -> usize| r.as_ref().map_or(Value::Null, |r| f(r).into());
    v["line"] = n(|r| r.line);
    v["column"] = n(|r| r.column);
    v["end_line"] = n(|r| r.end_line);
    v["end_column"] = n(|r| r.end_column);
}

pub fn json<F: Files + ?Sized>(reports: &[FileReport], files: &F) -> String {
    let s = summary(reports);
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
            diagnostics.push(v);
        }
    }
    let doc = json!({
        "version": 1,
        "summary": {"files": s.files, "errors": s.errors, "warnings": s.warnings,
                    "infos": s.infos, "hints": s.hints},
        "diagnostics": diagnostics,
    });
    format!(
        "{}\n",
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    )
}
