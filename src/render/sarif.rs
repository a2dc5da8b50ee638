//! SARIF 2.1.0: one run, every rule in `tool.driver.rules`, results with physical
//! locations, `relatedLocations` and fixes, as GitHub code scanning accepts them.

use serde_json::{json, Value};

use super::{related, uri, FileReport, Files, Range};
use crate::codes::Code;
use crate::diagnostic::Severity;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

fn region(r: Range) -> Value {
    json!({"startLine": r.line, "startColumn": r.column,
           "endLine": r.end_line, "endColumn": r.end_column})
}

pub fn sarif<F: Files + ?Sized>(reports: &[FileReport], files: &F) -> String {
    let rules: Vec<Value> = Code::ALL
        .iter()
        .map(|c| {
            let r = c.meta();
            json!({
                "id": r.id,
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.summary},
                "help": {"text": r.doc, "markdown": r.doc},
                "helpUri": format!("urn:trls:explain:{}", r.id),
                "defaultConfiguration": {"level": level(r.severity)},
            })
        })
        .collect();
    let mut results = Vec::new();
    for report in reports {
        let source = report.checked.source();
        let artifact = json!({"uri": uri(&report.path)});
        for d in &report.checked.diagnostics {
            let index = Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0);
            let mut result = json!({
                "ruleId": d.code.as_str(),
                "ruleIndex": index,
                "level": level(d.severity),
                "message": {"text": d.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": artifact,
                    "region": region(source.range(d.span)),
                }}],
            });
            let related: Vec<Value> = related(report, d, files)
                .into_iter()
                .enumerate()
                .map(|(i, r)| {
                    let mut physical = json!({"artifactLocation": {"uri": uri(r.path)}});
                    if let Some(at) = r.range {
                        physical["region"] = region(at);
                    }
                    json!({"id": i, "physicalLocation": physical, "message": {"text": r.message}})
                })
                .collect();
            if !related.is_empty() {
                result["relatedLocations"] = related.into();
            }
            if let Some(fix) = &d.fix {
                let replacements: Vec<Value> = fix
                    .edits
                    .iter()
                    .map(|e| {
                        json!({
                            "deletedRegion": region(source.range(e.span)),
                            "insertedContent": {"text": e.new_text},
                        })
                    })
                    .collect();
                result["fixes"] = json!([{
                    "description": {"text": fix.title},
                    "artifactChanges": [{"artifactLocation": artifact, "replacements": replacements}],
                }]);
            }
            results.push(result);
        }
    }
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "trls",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    format!(
        "{}\n",
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    )
}
